/**
 * Reading XLSX rosters (src/roster): workbooks generated with write-excel-file, with numbers,
 * strings and empty cells, checking that numbers reach the amount as their exact text and that
 * sheet row numbers are the line numbers. Names are invented; ID numbers are synthetic (region 99).
 */
import { createHash } from "node:crypto";

import { expect } from "chai";
import fc from "fast-check";
import writeXlsxFile, { type Row, type SheetData } from "write-excel-file/node";

import { parseRoster, type RosterEntry, type RosterIssue, syntheticIdNumber } from "../../../src/roster/index.js";

const HEADER: Row = ["身份证号", "姓名", "村代码", "金额(元)"];
const ID = (n: number): string => syntheticIdNumber(n);

async function xlsx(rows: SheetData): Promise<Uint8Array> {
  return new Uint8Array(await writeXlsxFile(rows).toBuffer());
}

function brief(issues: readonly RosterIssue[]): [number, string, string, string][] {
  return issues.map((i) => [i.line, i.field, i.value, i.problem]);
}

describe("roster XLSX", () => {
  it("reads numbers, strings and empty cells; a number 1234.5 is 123450 fen", async () => {
    const bytes = await xlsx([
      ["序号", ...HEADER, "备注"],
      [1, ID(1), "测试甲", 110101001001, 1234.5, null],
      [2, ID(2), "样例乙", "110101001002", "1,234.50", "有备注"],
      [3, ID(3), "  测试丙 ", 110101001001, 0.01, null],
      [4, ID(4), "样例丁", 110101001001, 200000, { value: "" }],
    ]);
    const result = await parseRoster(bytes, "roster.xlsx", { householdCap: 20_000_000n });
    expect(result.issues).to.deep.equal([]);
    expect(result.entries).to.deep.equal([
      { line: 2, idNumber: ID(1), name: "测试甲", village: 110101001001n, amount: 123450n },
      { line: 3, idNumber: ID(2), name: "样例乙", village: 110101001002n, amount: 123450n },
      { line: 4, idNumber: ID(3), name: "测试丙", village: 110101001001n, amount: 1n },
      { line: 5, idNumber: ID(4), name: "样例丁", village: 110101001001n, amount: 20_000_000n },
    ]);
    expect(result.source).to.deep.equal({
      fileName: "roster.xlsx",
      format: "xlsx",
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  });

  it("uses sheet row numbers as line numbers and skips empty rows", async () => {
    const bytes = await xlsx([
      HEADER,
      [ID(1), "测试甲", 110101001001, 5],
      [null, null, null, null],
      [],
      [ID(2), "样例乙", 110101001001, "oops"],
      [null, null, null, null],
    ]);
    const result = await parseRoster(bytes, "roster.xlsx");
    expect(result.entries.map((e) => e.line)).to.deep.equal([2]);
    expect(brief(result.issues)).to.deep.equal([[5, "amount", "oops", "not an amount in yuan"]]);
  });

  it("never lets float noise or exponent notation through as an amount", async () => {
    const bytes = await xlsx([
      HEADER,
      [ID(1), "测试甲", 110101001001, 0.1 + 0.2],
      [ID(2), "测试乙", 110101001001, 1.2e21],
      [ID(3), "测试丙", 110101001001, -100],
      [ID(4), "测试丁", 110101001001, 0],
      [ID(5), "测试戊", 110101001001, null],
    ]);
    const result = await parseRoster(bytes, "roster.xlsx");
    expect(brief(result.issues)).to.deep.equal([
      [2, "amount", "0.30000000000000004", "more than two decimals"],
      [
        3,
        "amount",
        "1.2e+21",
        "exponent notation (the spreadsheet stored the amount as a number shown in scientific format)",
      ],
      [4, "amount", "-100", "negative"],
      [5, "amount", "0", "zero"],
      [6, "amount", "", "empty"],
    ]);
    expect(result.issues[0]?.fix).to.equal("write the amount in yuan with at most two decimals, e.g. 0.30");
  });

  it("refuses an ID number stored as a number, even one that looks valid", async () => {
    // A float holds an 18-digit number only approximately; Excel keeps 15 significant digits.
    const bytes = await xlsx([HEADER, [Number("990000198001010004"), "测试甲", 110101001001, 5]]);
    const result = await parseRoster(bytes, "roster.xlsx");
    expect(result.issues.map((i) => [i.line, i.field, i.problem])).to.deep.equal([
      [2, "idNumber", "stored as a number, and spreadsheets keep only 15 significant digits of a number"],
    ]);
  });

  it("reports date and boolean cells, formulas typed as text and bad division codes", async () => {
    const bytes = await xlsx([
      HEADER,
      [ID(1), "测试甲", 110101001001, { value: new Date(Date.UTC(2025, 5, 1)), format: "yyyy-mm-dd" }],
      [ID(2), '=HYPERLINK("http://example.invalid")', 110101001001, 5],
      [ID(3), "测试丙", 1101010010, true],
      [ID(4).toLowerCase(), "\t测试丁", "1.10101001001E+11", 5],
    ]);
    const result = await parseRoster(bytes, "roster.xlsx");
    const injection =
      "starts like a spreadsheet formula (=, +, -, @, tab or carriage return), which is not allowed in a roster";
    expect(brief(result.issues)).to.deep.equal([
      [2, "amount", "2025-06-01", "is formatted as a date, so the spreadsheet changed what was typed"],
      [3, "name", '=HYPERLINK("http://example.invalid")', injection],
      [4, "village", "1101010010", "10 digits instead of 12"],
      [4, "amount", "TRUE", "not an amount in yuan"],
      [5, "name", "\t测试丁", injection],
      [
        5,
        "village",
        "1.10101001001E+11",
        "written in scientific notation (the spreadsheet shows the code as a number)",
      ],
    ]);
  });

  it("reports missing columns, a header below a title row and an empty sheet", async () => {
    const missing = await parseRoster(
      await xlsx([
        ["身份证号", "姓名", "金额"],
        [ID(1), "测试甲", 5],
      ]),
      "roster.xlsx",
    );
    expect(brief(missing.issues)).to.deep.equal([[1, "header", "身份证号,姓名,金额", "no village column"]]);
    const titled = await parseRoster(
      await xlsx([["2025年6月发放花名册"], HEADER, [ID(1), "测试甲", 110101001001, 5]]),
      "roster.xlsx",
    );
    expect(brief(titled.issues)).to.deep.equal([
      [1, "header", "2025年6月发放花名册,,,", "the header is on line 2, not on line 1"],
    ]);
    const headerOnly = await parseRoster(await xlsx([HEADER]), "roster.xlsx");
    expect(brief(headerOnly.issues)).to.deep.equal([[0, "file", "roster.xlsx", "the roster has no lines"]]);
  });

  it("sniffs a workbook without an extension and reports a broken one", async () => {
    const bytes = await xlsx([HEADER, [ID(1), "测试甲", 110101001001, 5]]);
    const sniffed = await parseRoster(bytes, "roster-download");
    expect(sniffed.source.format).to.equal("xlsx");
    expect(sniffed.entries).to.have.length(1);
    const renamed = await parseRoster(bytes, "roster.xls"); // an .xlsx renamed .xls is still a zip
    expect(renamed.source.format).to.equal("xlsx");
    expect(renamed.issues).to.deep.equal([]);
    const broken = await parseRoster(bytes.slice(0, 200), "roster.xlsx");
    expect(broken.entries).to.deep.equal([]);
    expect(broken.issues).to.have.length(1);
    expect(broken.issues[0]).to.include({ line: 0, field: "file", value: "roster.xlsx" });
    expect(broken.issues[0]?.problem).to.match(/^could not be read as an XLSX workbook/);
  });

  it("reads back the entries written, amounts as numbers or as text (property)", async () => {
    const entryArb = fc.record({
      n: fc.integer({ min: 0, max: 99_999 }),
      name: fc.constantFrom("测试甲", "样例乙", "测试丙丁", "样例"),
      village: fc.integer({ min: 1, max: 999 }),
      amount: fc.bigInt({ min: 1n, max: 10n ** 9n }),
      amountAsNumber: fc.boolean(),
      villageAsNumber: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(entryArb, { selector: (e) => e.n, minLength: 1, maxLength: 20 }),
        async (rows) => {
          const sheet: SheetData = [HEADER];
          const expected: RosterEntry[] = [];
          rows.forEach((row, i) => {
            const yuan = `${row.amount / 100n}.${(row.amount % 100n).toString().padStart(2, "0")}`;
            const village = 110101001000n + BigInt(row.village);
            // Test input only: a spreadsheet holds a typed 1234.5 as the double nearest to it, and
            // writes its shortest decimal form, which is what this Number() produces.
            sheet.push([
              ID(row.n),
              row.name,
              row.villageAsNumber ? Number(village) : village.toString(),
              row.amountAsNumber ? Number(yuan) : yuan,
            ]);
            expected.push({ line: i + 2, idNumber: ID(row.n), name: row.name, village, amount: row.amount });
          });
          const result = await parseRoster(await xlsx(sheet), "roster.xlsx", { region: 110101001000n });
          expect(result.issues).to.deep.equal([]);
          expect(result.entries).to.deep.equal(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
});
