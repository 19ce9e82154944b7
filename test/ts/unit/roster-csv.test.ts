/**
 * Reading CSV rosters (src/roster): encodings, line ends, headers, every line rule with the exact
 * issue expected, and a property test that valid entries written in the many ways clerks write
 * them read back unchanged. Names are invented (测试甲, 样例乙); ID numbers are synthetic (region 99).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { expect } from "chai";
import fc from "fast-check";

import {
  assertValidRoster,
  parseRoster,
  readRosterFile,
  type ReadOptions,
  type RosterEntry,
  type RosterIssue,
  type RosterReadResult,
  syntheticIdNumber,
} from "../../../src/roster/index.js";
import { gb18030 } from "../helpers/gb18030.js";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => new Uint8Array([...a, ...b]);
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const HEADER = "身份证号,姓名,村代码,金额(元)";
const VILLAGE = 110101001001n;
const ID = (n: number): string => syntheticIdNumber(n);
/** The first synthetic ID whose check character is X, to test the lowercase x. */
const ID_X = (() => {
  for (let n = 0; ; n++) if (ID(n).endsWith("X")) return ID(n);
})();

function csv(lines: readonly string[], eol = "\n"): Uint8Array {
  return utf8(lines.join(eol) + eol);
}

async function read(lines: readonly string[], options?: ReadOptions): Promise<RosterReadResult> {
  return parseRoster(csv(lines), "roster.csv", options);
}

/** Issues without their fix text, for compact expectations; fixes are checked where they matter. */
function brief(issues: readonly RosterIssue[]): [number, string, string, string][] {
  return issues.map((i) => [i.line, i.field, i.value, i.problem]);
}

describe("roster CSV", () => {
  describe("encodings and line ends", () => {
    const lines = [HEADER, `${ID(1)},测试甲,110101001001,"1,234.50"`, `${ID(2)},样例乙,110101001002,800`];
    const expected: RosterEntry[] = [
      { line: 2, idNumber: ID(1), name: "测试甲", village: 110101001001n, amount: 123450n },
      { line: 3, idNumber: ID(2), name: "样例乙", village: 110101001002n, amount: 80000n },
    ];

    it("reads UTF-8 with LF and reports the source", async () => {
      const bytes = csv(lines);
      const result = await parseRoster(bytes, "roster.csv");
      expect(result.issues).to.deep.equal([]);
      expect(result.entries).to.deep.equal(expected);
      expect(result.source).to.deep.equal({
        fileName: "roster.csv",
        format: "csv",
        encoding: "utf-8",
        sha256: sha256(bytes),
      });
      expect(assertValidRoster(result)).to.deep.equal(expected);
    });

    it("reads UTF-8 with a BOM and CRLF", async () => {
      const bytes = concat(BOM, csv(lines, "\r\n"));
      const result = await parseRoster(bytes, "roster.csv");
      expect(result.issues).to.deep.equal([]);
      expect(result.entries).to.deep.equal(expected);
      expect(result.source.encoding).to.equal("utf-8-bom");
      expect(result.source.sha256).to.equal(sha256(bytes)); // of the raw bytes, BOM included
    });

    it("reads GB18030 with CRLF", async () => {
      // Derived bytes, checked by hand against the GB 18030 table: 身 C9ED, 份 B7DD, 测 B2E2, 乙 D2D2.
      expect([...gb18030("身份")]).to.deep.equal([0xc9, 0xed, 0xb7, 0xdd]);
      expect([...gb18030("测")]).to.deep.equal([0xb2, 0xe2]);
      expect(new TextDecoder("gb18030").decode(new Uint8Array([0xd2, 0xd2]))).to.equal("乙");
      const text = lines.join("\r\n") + "\r\n";
      const bytes = gb18030(text);
      expect(new TextDecoder("gb18030").decode(bytes)).to.equal(text);
      const result = await parseRoster(bytes, "roster.csv");
      expect(result.issues).to.deep.equal([]);
      expect(result.entries).to.deep.equal(expected);
      expect(result.source.encoding).to.equal("gb18030");
    });

    it("reads old Mac line ends (CR only)", async () => {
      const result = await parseRoster(csv(lines, "\r"), "roster.csv");
      expect(result.issues).to.deep.equal([]);
      expect(result.entries).to.deep.equal(expected);
    });

    it("reads the committed GB18030 fixture from disk", async () => {
      const path = "test/fixtures/rosters/gb18030-crlf.csv";
      const bytes = await readFile(path);
      expect(bytes.includes(Buffer.from("\r\n")), "the fixture must keep its CRLF line ends").to.equal(true);
      const result = await readRosterFile(path, { region: 110101000000n, householdCap: 200_000n });
      expect(result.issues).to.deep.equal([]);
      expect(result.source).to.deep.equal({
        fileName: "gb18030-crlf.csv",
        format: "csv",
        encoding: "gb18030",
        sha256: sha256(bytes),
      });
      // Line 3's 备注 cell holds a line break, so the next record starts on line 5.
      expect(result.entries).to.deep.equal([
        { line: 2, idNumber: "990000198001010004", name: "测试甲", village: 110101001001n, amount: 120000n },
        { line: 3, idNumber: "99000019800101008X", name: "样例乙", village: 110101001002n, amount: 80000n },
        { line: 5, idNumber: "990000198001010012", name: "样例丙", village: 110101001001n, amount: 5050n },
      ]);
    });

    it("rejects bytes that are neither UTF-8 nor GB18030, UTF-16 and empty files", async () => {
      const bad = await parseRoster(new Uint8Array([0xff, 0xff, 0x2c, 0x0a]), "roster.csv");
      expect(brief(bad.issues)).to.deep.equal([[0, "file", "roster.csv", "neither UTF-8 nor GB18030 text"]]);
      expect(bad.issues[0]?.fix).to.match(/CSV UTF-8/);
      const utf16 = await parseRoster(new Uint8Array([0xff, 0xfe, 0x31, 0x00]), "roster.csv");
      expect(utf16.issues[0]?.problem).to.equal('UTF-16 text (Excel "Unicode text"), which this reader does not take');
      const empty = await parseRoster(new Uint8Array(), "roster.csv");
      expect(brief(empty.issues)).to.deep.equal([[0, "file", "roster.csv", "the file is empty"]]);
      expect(empty.source.sha256).to.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    });
  });

  describe("format detection", () => {
    it("sniffs a file without a known extension", async () => {
      const result = await parseRoster(csv([HEADER, `${ID(1)},测试甲,110101001001,5`]), "roster.txt");
      expect(result.source.format).to.equal("csv");
      expect(result.entries).to.have.length(1);
    });

    it("reports an .xls workbook and a zip named .csv", async () => {
      const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
      const xls = await parseRoster(ole, "roster.xls");
      expect(brief(xls.issues)).to.deep.equal([
        [0, "file", "roster.xls", "an Excel 97–2003 (.xls) workbook, which this reader does not take"],
      ]);
      const zip = await parseRoster(utf8("PK\u0003\u0004rest"), "roster.csv");
      expect(brief(zip.issues)).to.deep.equal([
        [0, "file", "roster.csv", "a zip archive (probably an .xlsx workbook) named .csv"],
      ]);
    });

    it("throws on options that are the caller's mistake", async () => {
      const bytes = csv([HEADER]);
      let error: unknown;
      await parseRoster(bytes, "r.csv", { householdCap: 0n }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RangeError);
      error = undefined;
      await parseRoster(bytes, "r.csv", { region: 1101n }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RangeError);
    });
  });

  describe("header", () => {
    it("finds columns by alias, in any order, ignoring unknown columns", async () => {
      const result = await read([
        "序号, 补贴金额（元）,户主姓名,Village_Code,备注,公民身份号码（18位）,银行卡号",
        `1,"1,000",测试甲,110101001001,无,${ID(3)},6222000000000000`,
      ]);
      expect(result.issues).to.deep.equal([]);
      expect(result.entries).to.deep.equal([
        { line: 2, idNumber: ID(3), name: "测试甲", village: VILLAGE, amount: 100000n },
      ]);
    });

    it("reports each missing column with the accepted names", async () => {
      const result = await read(["身份证号,姓名,金额", `${ID(1)},测试甲,5`]);
      expect(result.issues).to.deep.equal([
        {
          line: 1,
          field: "header",
          value: "身份证号,姓名,金额",
          problem: "no village column",
          fix: "add a column headed 村 (accepted names: 村, 村代码, 行政区划代码, 区划代码, village, village_code, region, region_code)",
        },
      ]);
      expect(result.entries).to.deep.equal([]);
    });

    it("reports a required column present twice", async () => {
      const result = await read(["身份证号,姓名,户主,村代码,金额", `${ID(1)},测试甲,测试甲,110101001001,5`]);
      expect(brief(result.issues)).to.deep.equal([
        [1, "header", "身份证号,姓名,户主,村代码,金额", 'the name column appears 2 times (B "姓名" and C "户主")'],
      ]);
    });

    it("refuses an amount column in another unit than yuan", async () => {
      const result = await read(["身份证号,姓名,村代码,金额（万元）", `${ID(1)},测试甲,110101001001,0.5`]);
      expect(brief(result.issues)).to.deep.equal([
        [1, "header", "金额（万元）", 'column D "金额（万元）" looks like the amount, but not in yuan'],
      ]);
    });

    it("points at a header below title lines", async () => {
      const result = await read(["2025年6月农村低保发放花名册,,,", ",,,", HEADER, `${ID(1)},测试甲,110101001001,5`]);
      expect(result.issues).to.deep.equal([
        {
          line: 1,
          field: "header",
          value: "2025年6月农村低保发放花名册,,,",
          problem: "the header is on line 3, not on line 1",
          fix: "delete the 2 lines above the header (titles, notes, empty lines)",
        },
      ]);
    });

    it("reports a roster without lines", async () => {
      for (const lines of [[HEADER], [HEADER, "", ",,,", ""]]) {
        const result = await read(lines);
        expect(brief(result.issues)).to.deep.equal([[0, "file", "roster.csv", "the roster has no lines"]]);
      }
      const whitespace = await parseRoster(utf8("\n\n"), "roster.csv");
      expect(brief(whitespace.issues).map((i) => i[3])).to.include("the roster has no lines");
    });
  });

  describe("lines", () => {
    it("skips empty rows and keeps physical line numbers", async () => {
      const result = await read([
        HEADER,
        "",
        `${ID(1)},测试甲,110101001001,5`,
        ",,,",
        "  , , ,",
        `${ID(2)},样例乙,110101001001,6`,
        "",
        "",
      ]);
      expect(result.issues).to.deep.equal([]);
      expect(result.entries.map((e) => e.line)).to.deep.equal([3, 6]);
    });

    it("reads quoted cells with commas, quotes and line breaks, numbering lines where records start", async () => {
      const header = `${HEADER},备注`;
      const result = await read(
        [
          header,
          `${ID(1)},"测试甲","110101001001","1,234.50","第一行\n第二行, 有逗号"`,
          `${ID(2)},"样例""乙""",110101001001,"2,000.00",`,
          `${ID(3)},测试丙,110101001001,oops,"a\n\nb"`,
          `${ID(4)},测试丁,110101001001,7,`,
        ],
        { householdCap: 200_000n },
      );
      expect(result.entries.map((e) => [e.line, e.name, e.amount])).to.deep.equal([
        [2, "测试甲", 123450n],
        [4, '样例"乙"', 200000n],
        [8, "测试丁", 700n],
      ]);
      expect(brief(result.issues)).to.deep.equal([[5, "amount", "oops", "not an amount in yuan"]]);
    });

    it("normalises full-width digits, lowercase x and stray spaces", async () => {
      // Full-width digits, comma and point: the full-width comma is not a CSV delimiter.
      const fullWidth = (s: string): string =>
        s.replace(/[0-9,.]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
      const result = await read([
        HEADER,
        `${fullWidth(ID(5))},测试甲,${fullWidth("110101001001")},${fullWidth("1,234.50")}`,
        ` ${ID_X.slice(0, 6)} ${ID_X.slice(6, 14)} ${ID_X.slice(14).toLowerCase()} ,  样例乙  , 110101001001 ,  ￥ 800 元 `,
      ]);
      expect(result.issues).to.deep.equal([]);
      expect(result.entries).to.deep.equal([
        { line: 2, idNumber: ID(5), name: "测试甲", village: VILLAGE, amount: 123450n },
        { line: 3, idNumber: ID_X, name: "样例乙", village: VILLAGE, amount: 80000n },
      ]);
    });

    it("reports a line with the wrong number of cells", async () => {
      const result = await read([HEADER, `${ID(1)},测试甲,110101001001,1,234.50`, `${ID(2)},样例乙,110101001001`]);
      expect(result.issues).to.deep.equal([
        {
          line: 2,
          field: "file",
          value: `${ID(1)},测试甲,110101001001,1,234.50`,
          problem: "5 cells where the header has 4",
          fix: 'put a value containing a comma (such as the amount 1,234.50) in double quotes, "1,234.50", or remove the extra cells',
        },
        {
          line: 3,
          field: "file",
          value: `${ID(2)},样例乙,110101001001`,
          problem: "3 cells where the header has 4",
          fix: "fill in the missing cells (an empty cell still needs its comma)",
        },
      ]);
    });

    it("reports a quote that is never closed, and the issues before it", async () => {
      const result = await read([
        HEADER,
        `${ID(1)},测试甲,110101001001,0`,
        `${ID(2)},"样例乙,110101001001,5`,
        `${ID(3)},测试丙,110101001001,5`,
      ]);
      expect(brief(result.issues)).to.deep.equal([
        [2, "amount", "0", "zero"],
        [
          3,
          "file",
          `${ID(2)},"样例乙,110101001001,5`,
          "a quoted cell on this line is never closed, so nothing from here to the end of the file could be read",
        ],
      ]);
    });

    it("checks ID numbers and names the specific problem", async () => {
      const badCheck = ID(1).slice(0, 17) + (ID(1).endsWith("0") ? "1" : "0");
      const result = await read([
        HEADER,
        `${badCheck},测试甲,110101001001,5`,
        `${ID(1).slice(0, 16)},测试乙,110101001001,5`,
        `${ID(1).slice(0, 6)}19800230${ID(1).slice(14)},测试丙,110101001001,5`,
        `,测试丁,110101001001,5`,
        `9.90001198001E+17,测试戊,110101001001,5`,
      ]);
      expect(brief(result.issues)).to.deep.equal([
        [2, "idNumber", badCheck, "check digit does not match: at least one character is mistyped"],
        [3, "idNumber", ID(1).slice(0, 16), "16 characters instead of 18"],
        [
          4,
          "idNumber",
          `${ID(1).slice(0, 6)}19800230${ID(1).slice(14)}`,
          "birth date 19800230 (characters 7–14) is not a real date",
        ],
        [5, "idNumber", "", "empty"],
        [
          6,
          "idNumber",
          "9.90001198001E+17",
          "written in scientific notation: the spreadsheet stored it as a number and kept only 15 digits",
        ],
      ]);
      expect(result.issues[0]?.fix).to.equal(
        "compare all 18 characters with the resident ID card or household register; do not just change the last character",
      );
    });

    it("reports every repeat of an ID number, naming the first line", async () => {
      const result = await read([
        HEADER,
        `${ID_X},测试甲,110101001001,5`,
        `${ID(2)},测试乙,110101001001,5`,
        `${ID_X.toLowerCase()},测试丙,110101001001,5`,
        `${ID_X},测试丁,110101001001,5`,
      ]);
      expect(brief(result.issues)).to.deep.equal([
        [4, "idNumber", ID_X.toLowerCase(), "the same ID number as line 2"],
        [5, "idNumber", ID_X, "the same ID number as line 2"],
      ]);
      expect(result.entries.map((e) => e.line)).to.deep.equal([2, 3]);
    });

    it("checks names: empty, too long, line breaks", async () => {
      const longest = "测".repeat(64);
      const result = await read([
        `${HEADER},备注`,
        `${ID(1)},  ,110101001001,5,`,
        `${ID(2)},${"测".repeat(65)},110101001001,5,`,
        `${ID(3)},${longest},110101001001,5,`,
        `${ID(4)},"测试\n甲",110101001001,5,`,
      ]);
      expect(brief(result.issues)).to.deep.equal([
        [2, "name", "  ", "empty"],
        [3, "name", "测".repeat(65), "65 characters, more than 64"],
        [5, "name", "测试\n甲", "contains a line break or another control character"],
      ]);
      expect(result.entries.map((e) => e.name)).to.deep.equal([longest]);
    });

    it("refuses spreadsheet formulas and injection prefixes in any field", async () => {
      const injection =
        "starts like a spreadsheet formula (=, +, -, @, tab or carriage return), which is not allowed in a roster";
      const result = await read([
        HEADER,
        `${ID(1)},"=HYPERLINK(""http://example.invalid"",""测试甲"")",110101001001,5`,
        `${ID(2)},@SUM(A1),110101001001,5`,
        `${ID(3)},+测试,110101001001,5`,
        `${ID(4)},-测试,110101001001,5`,
        `${ID(5)},"\t测试戊",110101001001,5`,
        `${ID(6)},"\r=1+1",110101001001,5`, // a lone CR is a line break: this record spans lines 7–8
        `${ID(7)}, =1+1,110101001001,5`,
        `${ID(8)},＝1+1,110101001001,5`,
        `=1+1,测试,=2+2,=3+3`,
      ]);
      expect(result.issues.map((i) => [i.line, i.field, i.problem === injection])).to.deep.equal([
        [2, "name", true],
        [3, "name", true],
        [4, "name", true],
        [5, "name", true],
        [6, "name", true],
        [7, "name", true],
        [9, "name", true],
        [10, "name", true],
        [11, "idNumber", true],
        [11, "village", true],
        [11, "amount", true],
      ]);
      expect(result.issues[0]?.value).to.equal('=HYPERLINK("http://example.invalid","测试甲")');
    });

    it("checks division codes and the roster's region", async () => {
      const result = await read(
        [
          HEADER,
          `${ID(1)},测试甲,110101001001,5`,
          `${ID(2)},测试乙,110101001000,5`,
          `${ID(3)},测试丙,110101002001,5`,
          `${ID(4)},测试丁,1101010010,5`,
          `${ID(5)},测试戊,,5`,
        ],
        { region: 110101001000n },
      );
      expect(brief(result.issues)).to.deep.equal([
        [4, "village", "110101002001", "not in the roster's region 110101001000"],
        [5, "village", "1101010010", "10 digits instead of 12"],
        [6, "village", "", "empty"],
      ]);
      expect(result.entries.map((e) => e.village)).to.deep.equal([110101001001n, 110101001000n]);
    });

    it("checks amounts and the per-household cap (in yuan)", async () => {
      const result = await read(
        [
          HEADER,
          `${ID(1)},测试甲,110101001001,"2,000.00"`,
          `${ID(2)},测试乙,110101001001,2000.01`,
          `${ID(3)},测试丙,110101001001,-100`,
          `${ID(4)},测试丁,110101001001,"1,234.567"`,
          `${ID(5)},测试戊,110101001001,1.2E3`,
          `${ID(6)},测试己,110101001001,"1,23.4"`,
          `${ID(7)},测试庚,110101001001,`,
          `${ID(8)},测试辛,110101001001,0.00`,
        ],
        { householdCap: 200_000n },
      );
      expect(brief(result.issues)).to.deep.equal([
        [3, "amount", "2000.01", "above the programme's per-household cap of 2,000.00 yuan"],
        [4, "amount", "-100", "negative"],
        [5, "amount", "1,234.567", "more than two decimals"],
        [
          6,
          "amount",
          "1.2E3",
          "exponent notation (the spreadsheet stored the amount as a number shown in scientific format)",
        ],
        [7, "amount", "1,23.4", "malformed thousands separators"],
        [8, "amount", "", "empty"],
        [9, "amount", "0.00", "zero"],
      ]);
      expect(result.entries.map((e) => e.amount)).to.deep.equal([200_000n]);
    });

    it("reports several issues on one line, in column order", async () => {
      const result = await read(["金额,村,姓名,身份证号", `abc,12,,123`]);
      expect(brief(result.issues)).to.deep.equal([
        [2, "idNumber", "123", "3 characters instead of 18"],
        [2, "name", "", "empty"],
        [2, "village", "12", "2 digits instead of 12"],
        [2, "amount", "abc", "not an amount in yuan"],
      ]);
    });

    it("reports totals rows and spreadsheet error values", async () => {
      const result = await read([
        `序号,${HEADER}`,
        `1,${ID(1)},测试甲,110101001001,5`,
        `2,${ID(2)},#N/A,110101001001,5`,
        `合计,,,,"1,005.00"`,
      ]);
      expect(brief(result.issues)).to.deep.equal([
        [3, "name", "#N/A", "shows the spreadsheet error #N/A instead of a value"],
        [4, "file", "合计", "a totals row, not a household"],
      ]);
    });

    it("reports all of many bad lines at once", async () => {
      const lines = [HEADER];
      for (let i = 0; i < 3000; i++) {
        // Every seventh line has a bad amount, every eleventh a bad village.
        const amount = i % 7 === 0 ? "12.345" : "100.00";
        const village = i % 11 === 0 ? "11010100100" : "110101001001";
        lines.push(`${ID(i)},测试${i},${village},${amount}`);
      }
      const result = await read(lines);
      const badAmount = Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 7 === 0);
      const badVillage = Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 11 === 0);
      expect(result.issues.filter((i) => i.field === "amount").map((i) => i.line)).to.deep.equal(
        badAmount.map((i) => i + 2),
      );
      expect(result.issues.filter((i) => i.field === "village").map((i) => i.line)).to.deep.equal(
        badVillage.map((i) => i + 2),
      );
      expect(result.issues).to.have.length(badAmount.length + badVillage.length);
      const bad = new Set([...badAmount, ...badVillage]);
      expect(result.entries).to.have.length(3000 - bad.size);
      expect(() => assertValidRoster(result)).to.throw(/rejected, 702 issues:\nline 2, village "11010100100"/);
    });
  });

  describe("round trip (property)", () => {
    const NAME_CHARS = Array.from("测试样例甲乙丙丁戊己庚辛壬癸张王李赵");
    const entryArb = fc.record({
      n: fc.integer({ min: 0, max: 99_999 }),
      nameChars: fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 6 }),
      village: fc.integer({ min: 1, max: 999 }),
      amount: fc.bigInt({ min: 1n, max: 200_000n }),
      blankAfter: fc.boolean(),
      style: fc.record({
        fullWidth: fc.boolean(),
        lowerX: fc.boolean(),
        spaces: fc.boolean(),
        separators: fc.boolean(),
        symbol: fc.constantFrom("", "¥", "￥"),
        suffix: fc.constantFrom("", "元"),
        quote: fc.boolean(),
        remark: fc.constantFrom("", "无", "有逗号,的备注", "两行\n备注", '带"引号"'),
      }),
    });
    const rosterArb = fc.record({
      rows: fc.uniqueArray(entryArb, { selector: (e) => e.n, minLength: 1, maxLength: 30 }),
      eol: fc.constantFrom("\n", "\r\n"),
      encoding: fc.constantFrom("utf-8", "utf-8-bom", "gb18030"),
    });

    const fullWidth = (s: string): string =>
      s.replace(/[0-9,.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const withSeparators = (yuan: string): string => yuan.replace(/\B(?=(\d{3})+\.)/g, ",");
    const quoteCell = (s: string): string => `"${s.replace(/"/g, '""')}"`;

    it("reads back exactly the entries written, however they are written", async () => {
      await fc.assert(
        fc.asyncProperty(rosterArb, async ({ rows, eol, encoding }) => {
          const lines = ["序号,身份证号码,户主姓名,行政区划代码,发放金额（元）,备注"];
          const expected: RosterEntry[] = [];
          let line = 2;
          rows.forEach((row, i) => {
            const s = row.style;
            const id = syntheticIdNumber(row.n);
            const village = 110101001000n + BigInt(row.village);
            const yuan = `${row.amount / 100n}.${(row.amount % 100n).toString().padStart(2, "0")}`;
            let idText = s.lowerX ? id.toLowerCase() : id;
            if (s.fullWidth) idText = fullWidth(idText);
            if (s.spaces) idText = ` ${idText.slice(0, 6)} ${idText.slice(6)} `;
            // The half-width ¥ has no two-byte GB18030 code; Chinese files use the full-width ￥.
            const symbol = encoding === "gb18030" && s.symbol === "¥" ? "￥" : s.symbol;
            const digits = s.separators ? withSeparators(yuan) : yuan;
            const amountText = `${symbol}${s.fullWidth ? fullWidth(digits) : digits}${s.suffix}`;
            const name = row.nameChars.join("");
            const cells = [
              String(i + 1),
              idText,
              s.spaces ? ` ${name} ` : name,
              village.toString(),
              amountText,
              s.remark,
            ];
            lines.push(cells.map((c) => (s.quote || /[",\n]/.test(c) ? quoteCell(c) : c)).join(","));
            expected.push({ line, idNumber: id, name, village, amount: row.amount });
            line += 1 + (s.remark.match(/\n/g)?.length ?? 0);
            if (row.blankAfter) {
              lines.push(i % 2 === 0 ? "" : ",,,,,");
              line++;
            }
          });
          // Line breaks inside quoted cells follow the file's line ends, as a spreadsheet writes them.
          const text = `${lines.join("\n")}\n`.replace(/\n/g, eol);
          const bytes =
            encoding === "gb18030" ? gb18030(text) : encoding === "utf-8-bom" ? concat(BOM, utf8(text)) : utf8(text);
          const result = await parseRoster(bytes, "roster.csv", { region: 110101000000n, householdCap: 200_000n });
          expect(result.issues).to.deep.equal([]);
          expect(result.entries).to.deep.equal(expected);
          expect(result.source.encoding).to.equal(encoding);
        }),
        { numRuns: 60 },
      );
    });
  });
});
