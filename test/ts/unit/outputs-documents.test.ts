/**
 * Documents for people: name masking, the publicity list (whose hash goes on chain) and the
 * household notices. Synthetic names (测试甲…) and fictitious ID numbers (prefix 99xxxx).
 */
import { expect } from "chai";
import { keccak256 } from "ethers";

import { csvCell, formatYuanPlain, maskName, noticesCsv, publishedListCsv } from "../../../src/outputs/index.js";

/** A fictitious ID number: 17 digits plus the ISO 7064 MOD 11-2 check character. */
function idNumber(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = Array.from(body17).reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body17 + "10X98765432"[sum % 11]!;
}

const decode = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
const BOM = "\uFEFF";

describe("outputs: maskName", function () {
  it("masks Chinese names of 2, 3 and 4+ characters", function () {
    expect(maskName("测试")).to.equal("测*");
    expect(maskName("测试甲")).to.equal("测*甲");
    expect(maskName("测试乙丙")).to.equal("测**丙");
    expect(maskName("测试乙丙丁")).to.equal("测***丁");
  });

  it("masks a single character entirely, and the middle dot of a long name", function () {
    expect(maskName("测")).to.equal("*");
    expect(maskName("测试·乙丙")).to.equal("测***丙");
  });

  it("drops stray spaces in a Chinese name, including the ideographic space", function () {
    expect(maskName(" 测 试甲\u3000")).to.equal("测*甲");
  });

  it("keeps the first letter of each word of a Latin-script name", function () {
    expect(maskName("Ana Li")).to.equal("A** L*");
    expect(maskName("  Test   Person  Q ")).to.equal("T*** P***** Q");
  });

  it("counts code points, not UTF-16 units", function () {
    // "😀" and "𠀀" (U+20000) are two UTF-16 units each; a unit-based mask would split them.
    expect(maskName("测😀试甲")).to.equal("测**甲");
    expect(maskName("测试😀")).to.equal("测*😀");
    expect(maskName("𠀀测")).to.equal("𠀀*");
    expect(maskName("😀na Li")).to.equal("😀** L*");
    for (const masked of [maskName("测试😀"), maskName("😀na Li")]) {
      // In a u-mode class, surrogate ranges match only lone (broken) surrogates.
      expect(/[\uD800-\uDFFF]/u.test(masked)).to.equal(false);
    }
  });

  it("refuses an empty name", function () {
    expect(() => maskName("  ")).to.throw(/empty/);
  });
});

describe("outputs: formatYuanPlain", function () {
  it("formats fen as yuan with two decimals and no separators", function () {
    expect(formatYuanPlain(123450n)).to.equal("1234.50");
    expect(formatYuanPlain(1n)).to.equal("0.01");
    expect(formatYuanPlain(123456789012n)).to.equal("1234567890.12");
    expect(formatYuanPlain(-5n)).to.equal("-0.05");
  });
});

describe("outputs: publishedListCsv", function () {
  const rows = [
    { index: 0, name: "测试甲", village: 990101001001n, amount: 123450n },
    { index: 1, name: "Ana Li", village: 990101001002n, amount: 100n },
  ];

  it("writes the exact bytes: BOM, CRLF, header, masked names, plain amounts", function () {
    const { bytes } = publishedListCsv(rows);
    const expected =
      BOM +
      "序号,姓名,村(行政区划代码),金额(元)\r\n" +
      "1,测*甲,990101001001,1234.50\r\n" +
      "2,A** L*,990101001002,1.00\r\n";
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(Buffer.from(bytes).equals(Buffer.from(expected, "utf8"))).to.equal(true);
    expect(decode(bytes)).to.equal(expected);
  });

  it("hashes exactly its bytes, stably", function () {
    const first = publishedListCsv(rows);
    const again = publishedListCsv(rows.map((r) => ({ ...r })));
    expect(first.hash).to.equal(keccak256(first.bytes));
    expect(again.hash).to.equal(first.hash);
    expect(first.hash).to.equal(PUBLICITY_VECTOR_HASH);
    const changed = publishedListCsv([rows[0]!, { ...rows[1]!, amount: 101n }]);
    expect(changed.hash).not.to.equal(first.hash);
  });

  it("defuses cells that a spreadsheet would run as formulas", function () {
    const { bytes } = publishedListCsv([
      { index: 0, name: "=cmd", village: 990101001001n, amount: 100n },
      { index: 1, name: "+Ana", village: 990101001001n, amount: 100n },
      { index: 2, name: "-Li", village: 990101001001n, amount: 100n },
      { index: 3, name: "@Ab Cd", village: 990101001001n, amount: 100n },
    ]);
    const lines = decode(bytes).split("\r\n");
    expect(lines.slice(1, 5)).to.deep.equal([
      "1,'=***,990101001001,1.00",
      "2,'+***,990101001001,1.00",
      "3,'-**,990101001001,1.00",
      "4,'@** C*,990101001001,1.00",
    ]);
  });

  it("refuses rows out of order, bad village codes and non-positive amounts", function () {
    expect(() => publishedListCsv([{ ...rows[1]! }])).to.throw(/row 0 has index 1/);
    expect(() => publishedListCsv([{ ...rows[0]!, village: 9901010010n }])).to.throw(/12-digit division code/);
    expect(() => publishedListCsv([{ ...rows[0]!, amount: 0n }])).to.throw(/at least 1 fen/);
    expect(() => publishedListCsv([])).to.throw(/no rows/);
  });
});

describe("outputs: csvCell", function () {
  it("prefixes = + - @ tab and CR with a quote and quotes what RFC 4180 requires", function () {
    expect(csvCell("=1+1")).to.equal("'=1+1");
    expect(csvCell("\tx")).to.equal("'\tx");
    expect(csvCell("\rx")).to.equal('"\'\rx"');
    expect(csvCell('a,"b"')).to.equal('"a,""b"""');
    expect(csvCell("a\nb")).to.equal('"a\nb"');
    expect(csvCell("测试甲")).to.equal("测试甲");
  });
});

describe("outputs: noticesCsv", function () {
  const ID_1 = idNumber("99010119800101001");
  const ID_X = idNumber("99010119800101009");

  it("writes full names, the last four ID characters, amounts and printed query codes", function () {
    const bytes = noticesCsv([
      {
        index: 0,
        name: "测试甲",
        idNumber: ID_1,
        village: 990101001001n,
        amount: 123450n,
        queryCode: "0123456789abcdef",
      },
      {
        index: 1,
        name: "测试乙",
        idNumber: ID_X,
        village: 990101001002n,
        amount: 50000n,
        queryCode: "hjrk-3xe0-ne4n-r4zt",
      },
    ]);
    expect(decode(bytes)).to.equal(
      BOM +
        "序号,姓名,身份证号(后四位),村(行政区划代码),金额(元),查询码\r\n" +
        "1,测试甲,**************0014,990101001001,1234.50,0123-4567-89AB-CDEF\r\n" +
        "2,测试乙,**************009X,990101001002,500.00,HJRK-3XE0-NE4N-R4ZT\r\n",
    );
  });

  it("never writes a full ID number", function () {
    const text = decode(
      noticesCsv([
        { index: 0, name: "测试甲", idNumber: ID_1, village: 990101001001n, amount: 1n, queryCode: "0123456789ABCDEF" },
      ]),
    );
    expect(text).not.to.include(ID_1);
    expect(text).not.to.include(ID_1.slice(0, 14)); // region + birth date + sequence
  });

  it("defuses and quotes a hostile name", function () {
    const text = decode(
      noticesCsv([
        {
          index: 0,
          name: '=HYPERLINK("http://x","y")',
          idNumber: ID_1,
          village: 990101001001n,
          amount: 1n,
          queryCode: "0123456789ABCDEF",
        },
      ]),
    );
    expect(text.split("\r\n")[1]).to.equal(
      `1,"'=HYPERLINK(""http://x"",""y"")",**************0014,990101001001,0.01,0123-4567-89AB-CDEF`,
    );
  });

  it("names the row of a bad ID number or query code", function () {
    const row = {
      index: 0,
      name: "测试甲",
      idNumber: ID_1,
      village: 990101001001n,
      amount: 1n,
      queryCode: "0123456789ABCDEF",
    };
    expect(() => noticesCsv([{ ...row, idNumber: ID_X.toLowerCase() }])).to.throw(
      /row 0: ID number must be normalised/,
    );
    expect(() => noticesCsv([{ ...row, queryCode: "0123456789ABCDEU" }])).to.throw(/row 0: query code contains "U"/);
  });
});

// keccak256 of the exact bytes in the first publicity test; computed once. It changes only if the
// document format changes, which changes every documentHash a bureau would publish.
const PUBLICITY_VECTOR_HASH = "0x6fefc3b7ed44ff2d2636b023fee82230b6f26f28914936daba5a7a1852eccea5";
