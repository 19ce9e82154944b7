/**
 * Roster field rules, one function at a time (src/roster): ID numbers (GB 11643), amounts in yuan
 * to fen, division codes and regions, header aliases, synthetic IDs and issue formatting.
 * No real personal data: ID numbers start with region 99, which no province uses.
 */
import { expect } from "chai";
import fc from "fast-check";

import { formatFen } from "../../../src/money.js";
import {
  assertValidRoster,
  COLUMN_ALIASES,
  formatIssue,
  formatIssues,
  idCheckCharacter,
  idNumberProblem,
  isWithinRegion,
  normaliseHeader,
  normaliseIdNumber,
  parseVillage,
  parseYuan,
  regionLevel,
  RosterRejectedError,
  type RosterIssue,
  type RosterReadResult,
  SYNTHETIC_ID_COUNT,
  syntheticIdNumber,
} from "../../../src/roster/index.js";

/** Hand-checked: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 9900001980010100 0 give 217; 217 mod 11 = 8 → "4". */
const ID_4 = "990000198001010004";
/** Same body with sequence 008: sum 233, 233 mod 11 = 2 → "X". */
const ID_X = "99000019800101008X";
const TODAY = "20250615";

function fen(text: string): bigint {
  const parsed = parseYuan(text);
  if (!("fen" in parsed)) throw new Error(`"${text}": ${parsed.problem}`);
  return parsed.fen;
}

function yuanProblem(text: string): string {
  const parsed = parseYuan(text);
  if ("fen" in parsed) throw new Error(`"${text}" parsed as ${parsed.fen}`);
  return parsed.problem;
}

describe("roster fields", () => {
  describe("ID numbers", () => {
    it("computes the ISO 7064 MOD 11-2 check character", () => {
      expect(idCheckCharacter(ID_4.slice(0, 17))).to.equal("4");
      expect(idCheckCharacter(ID_X.slice(0, 17))).to.equal("X");
      expect(() => idCheckCharacter("1234")).to.throw(RangeError);
    });

    it("normalises full-width digits, stray spaces and a lowercase x", () => {
      expect(normaliseIdNumber("９９００００１９８００１０１０００４")).to.equal(ID_4);
      expect(normaliseIdNumber("  990000 19800101 008x \t")).to.equal(ID_X);
      expect(normaliseIdNumber("99000019800101008ｘ")).to.equal(ID_X);
      expect(normaliseIdNumber("990000\u300019800101008X")).to.equal(ID_X); // ideographic space
    });

    it("accepts valid numbers", () => {
      expect(idNumberProblem(ID_4, TODAY)).to.equal(undefined);
      expect(idNumberProblem(ID_X, TODAY)).to.equal(undefined);
      expect(idNumberProblem(ID_4)).to.equal(undefined); // default: today in China
    });

    it("names the specific problem", () => {
      const cases: [string, string][] = [
        ["", "empty"],
        ["99000019800101", "14 characters instead of 18"],
        [ID_4 + "1", "19 characters instead of 18"],
        ["990000800101001", "an old 15-digit number; rosters need the 18-digit number"],
        [
          "9.90000198001E+17",
          "written in scientific notation: the spreadsheet stored it as a number and kept only 15 digits",
        ],
        ["9900001980O1010004", 'character 11 "O" is not a digit (only the last character may be X)'],
        ["99000X198001010004", 'character 6 "X" is not a digit (only the last character may be X)'],
        ["99000019800101000Y", 'last character "Y" is neither a digit nor X'],
        ["090000198001010004", "starts with 0, which no region code does"],
        ["990000198002300004", "birth date 19800230 (characters 7–14) is not a real date"],
        ["990000198013010004", "birth date 19801301 (characters 7–14) is not a real date"],
        ["990000189912310004", "birth date 18991231 (characters 7–14) is before 1900"],
        ["990000202506160004", "birth date 20250616 (characters 7–14) is in the future"],
        ["990000198001010005", "check digit does not match: at least one character is mistyped"],
        ["990000198001010014", "check digit does not match: at least one character is mistyped"],
      ];
      for (const [input, problem] of cases) expect(idNumberProblem(input, TODAY), input).to.equal(problem);
    });

    it("knows leap years: 2000-02-29 is a date, 1900-02-29 is not", () => {
      const body2000 = "99000020000229001";
      const body1900 = "99000019000229001";
      expect(idNumberProblem(body2000 + idCheckCharacter(body2000), TODAY)).to.equal(undefined);
      expect(idNumberProblem(body1900 + idCheckCharacter(body1900), TODAY)).to.equal(
        "birth date 19000229 (characters 7–14) is not a real date",
      );
    });

    it("never prints the expected check digit", () => {
      const problem = idNumberProblem("990000198001010005", TODAY) ?? "";
      expect(problem).not.to.match(/\b4\b/);
    });
  });

  describe("synthetic ID numbers", () => {
    it("are deterministic, valid and clearly fictitious (region 99, born 1940–2005)", () => {
      for (let n = 0; n < 3000; n++) {
        const id = syntheticIdNumber(n);
        expect(id).to.equal(syntheticIdNumber(n));
        expect(id).to.match(/^99\d{15}[\dX]$/);
        expect(idNumberProblem(id), id).to.equal(undefined);
        const birth = id.slice(6, 14);
        expect(birth >= "19400101" && birth <= "20051231", id).to.equal(true);
      }
    });

    it("never collide and spread their birth years", () => {
      const ids = new Set<string>();
      const years = new Set<string>();
      for (let n = 0; n < 20_000; n += 1) ids.add(syntheticIdNumber(n));
      for (let n = 0; n < 2_000; n++) years.add(syntheticIdNumber(n).slice(6, 10));
      for (const n of [SYNTHETIC_ID_COUNT - 1, 1_234_567, 9_990_000]) ids.add(syntheticIdNumber(n));
      expect(ids.size).to.equal(20_003);
      expect(years.size).to.be.greaterThan(60); // of the 66 years 1940–2005
    });

    it("can pin the birth year and rejects n outside its range", () => {
      const id = syntheticIdNumber(42, { birthYear: 1930 });
      expect(id.slice(6, 10)).to.equal("1930");
      expect(idNumberProblem(id)).to.equal(undefined);
      expect(() => syntheticIdNumber(-1)).to.throw(RangeError);
      expect(() => syntheticIdNumber(1.5)).to.throw(RangeError);
      expect(() => syntheticIdNumber(SYNTHETIC_ID_COUNT)).to.throw(RangeError);
      expect(() => syntheticIdNumber(1, { birthYear: 1899 })).to.throw(RangeError);
    });
  });

  describe("amounts in yuan", () => {
    it("parses the ways clerks write yuan into exact fen", () => {
      const cases: [string, bigint][] = [
        ["1234.50", 123450n],
        ["1,234.50", 123450n],
        ["1234.5", 123450n],
        ["1234", 123400n],
        ["0.01", 1n],
        ["0.1", 10n],
        ["¥1,234.5", 123450n],
        ["￥800", 80000n],
        ["¥ 800.00", 80000n],
        ["500元", 50000n],
        ["￥500.00 元", 50000n],
        ["１，２３４．５０", 123450n], // full-width digits, comma and point
        ["  12  ", 1200n],
        ["1,234,567.89", 123456789n],
        ["9007199254740993.01", 900719925474099301n], // beyond a double's integer precision
      ];
      for (const [text, expected] of cases) expect(fen(text), text).to.equal(expected);
    });

    it("rejects what is not an exact positive amount, saying why", () => {
      const cases: [string, string][] = [
        ["", "empty"],
        ["   ", "empty"],
        ["-5", "negative"],
        ["-¥5.00", "negative"],
        ["¥-5.00", "negative"],
        ["(1,234.00)", "negative"],
        ["0", "zero"],
        ["0.00", "zero"],
        ["¥0", "zero"],
        ["1.234", "more than two decimals"],
        ["1,234.567", "more than two decimals"],
        ["1.2E3", "exponent notation (the spreadsheet stored the amount as a number shown in scientific format)"],
        ["1.2e+21", "exponent notation (the spreadsheet stored the amount as a number shown in scientific format)"],
        ["1,23.4", "malformed thousands separators"],
        ["1234,5", "malformed thousands separators"],
        [",123", "malformed thousands separators"],
        ["1.234,50", "malformed thousands separators (a comma after the decimal point)"],
        ["12.3.4", "more than one decimal point"],
        [".5", "a decimal point without digits on both sides"],
        ["5.", "a decimal point without digits on both sides"],
        ["+5", "has a + sign"],
        ["abc", "not an amount in yuan"],
        ["12 34", "not an amount in yuan"],
        ["五百", "not an amount in yuan"],
        ["¥", "not an amount in yuan"],
      ];
      for (const [text, problem] of cases) expect(yuanProblem(text), text).to.equal(problem);
    });

    it("suggests the rounded amount for too many decimals", () => {
      const parsed = parseYuan("1,234.567");
      expect(parsed).to.deep.equal({
        problem: "more than two decimals",
        fix: "write the amount in yuan with at most two decimals, e.g. 1234.57",
      });
      const exponent = parseYuan("1.2E3");
      expect("fix" in exponent && exponent.fix).to.equal(
        "format the cell as a number with two decimals (or as text), type the amount in yuan again, and save",
      );
    });

    it("round-trips every amount written with or without separators (property)", () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), (amount) => {
          const withSeparators = formatFen(amount);
          expect(fen(withSeparators)).to.equal(amount);
          expect(fen(withSeparators.replace(/,/g, ""))).to.equal(amount);
          expect(fen(`¥${withSeparators}元`)).to.equal(amount);
        }),
      );
    });
  });

  describe("division codes", () => {
    it("parses 12-digit codes and explains bad ones", () => {
      expect(parseVillage(" １１０１０１００１００１ ")).to.deep.equal({ code: 110101001001n });
      const problems: [string, string][] = [
        ["", "empty"],
        ["110101", "6 digits instead of 12"],
        ["0101010010010", "13 digits instead of 12"],
        ["010101001001", "starts with 0, which no division code does"],
        ["11010100100A", "not a division code: only digits are allowed"],
        ["1.10101001001E+11", "written in scientific notation (the spreadsheet shows the code as a number)"],
      ];
      for (const [text, problem] of problems) {
        const parsed = parseVillage(text);
        expect("problem" in parsed && parsed.problem, text).to.equal(problem);
      }
    });

    it("follows the contracts' levels and ancestry (RegionCode.sol)", () => {
      expect(
        [110000000000n, 110100000000n, 110101000000n, 110101001000n, 110101001001n].map(regionLevel),
      ).to.deep.equal([1, 2, 3, 4, 5]);
      expect(isWithinRegion(110101001001n, 110101001001n)).to.equal(true); // itself
      expect(isWithinRegion(110101001001n, 110101001000n)).to.equal(true); // its township
      expect(isWithinRegion(110101001001n, 110101000000n)).to.equal(true); // its county
      expect(isWithinRegion(110101001001n, 110000000000n)).to.equal(true); // its province
      expect(isWithinRegion(110101002001n, 110101001000n)).to.equal(false); // another township's village
      expect(isWithinRegion(110102001001n, 110101000000n)).to.equal(false); // another county
      expect(isWithinRegion(110101000000n, 110101001000n)).to.equal(false); // an ancestor is not inside
      expect(isWithinRegion(120101001001n, 110000000000n)).to.equal(false); // another province
    });
  });

  describe("headers", () => {
    it("normalises width, case, spaces and bracket shapes", () => {
      expect(normaliseHeader(" 金额（元） ")).to.equal("金额(元)");
      expect(normaliseHeader("金额【元】")).to.equal("金额(元)");
      expect(normaliseHeader("Ｉｄ_Ｎｕｍｂｅｒ")).to.equal("id_number");
      expect(normaliseHeader("\ufeff身份 证号")).to.equal("身份证号");
    });

    it("lists every alias the brief names", () => {
      expect(COLUMN_ALIASES.idNumber).to.include.members([
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "证件号码",
        "id_number",
        "idnumber",
        "resident_id",
      ]);
      expect(COLUMN_ALIASES.name).to.include.members(["姓名", "户主姓名", "户主", "name"]);
      expect(COLUMN_ALIASES.village).to.include.members([
        "村",
        "村代码",
        "行政区划代码",
        "区划代码",
        "village",
        "village_code",
        "region",
        "region_code",
      ]);
      expect(COLUMN_ALIASES.amount).to.include.members([
        "金额",
        "金额(元)",
        "金额（元）",
        "发放金额",
        "补贴金额",
        "amount",
        "amount_yuan",
      ]);
    });
  });

  describe("issues", () => {
    const source = {
      fileName: "roster.csv",
      format: "csv" as const,
      encoding: "utf-8" as const,
      sha256: "00".repeat(32),
    };
    const amountIssue = (line: number): RosterIssue => {
      const parsed = parseYuan("1,234.567");
      if (!("problem" in parsed)) throw new Error("expected a problem");
      return { line, field: "amount", value: "1,234.567", ...parsed };
    };

    it("formats one issue as the clerk reads it", () => {
      expect(formatIssue(amountIssue(7))).to.equal(
        'line 7, amount "1,234.567": more than two decimals. Fix: write the amount in yuan with at most two decimals, e.g. 1234.57',
      );
      expect(
        formatIssue({
          line: 0,
          field: "file",
          value: "roster.csv",
          problem: "the roster has no lines",
          fix: "add lines",
        }),
      ).to.equal('file "roster.csv": the roster has no lines. Fix: add lines');
      // Control characters are shown escaped, long cells are cut.
      expect(formatIssue({ line: 3, field: "name", value: "\t=1+1", problem: "p", fix: "f" })).to.equal(
        'line 3, name "\\t=1+1": p. Fix: f',
      );
      expect(formatIssue({ line: 3, field: "name", value: "测".repeat(100), problem: "p", fix: "f" })).to.equal(
        `line 3, name "${"测".repeat(60)}…": p. Fix: f`,
      );
    });

    it("formats many issues up to a maximum", () => {
      const issues = [2, 3, 4, 5].map(amountIssue);
      const text = formatIssues(issues, 2);
      expect(text.split("\n")).to.have.length(3);
      expect(text).to.match(/^line 2, .*\nline 3, .*\n… and 2 more issues$/);
      expect(formatIssues(issues).split("\n")).to.have.length(4);
      expect(formatIssues([])).to.equal("");
    });

    it("assertValidRoster passes only a roster without issues", () => {
      const entry = { line: 2, idNumber: ID_4, name: "测试甲", village: 110101001001n, amount: 100n };
      const good: RosterReadResult = { entries: [entry], issues: [], source };
      expect(assertValidRoster(good)).to.deep.equal([entry]);
      const bad: RosterReadResult = { entries: [entry], issues: [amountIssue(3)], source };
      expect(() => assertValidRoster(bad)).to.throw(
        RosterRejectedError,
        /roster roster\.csv rejected, 1 issue:\nline 3, amount/,
      );
      try {
        assertValidRoster(bad);
      } catch (err) {
        expect(err).to.be.instanceOf(RosterRejectedError);
        expect((err as RosterRejectedError).issues).to.deep.equal(bad.issues);
        expect((err as RosterRejectedError).source).to.equal(source);
      }
      expect(() => assertValidRoster({ entries: [], issues: [], source })).to.throw(
        RosterRejectedError,
        /the roster has no lines/,
      );
    });
  });
});
