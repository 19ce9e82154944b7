/**
 * Finding the four required columns by their header, whatever order and extra columns the
 * bureau's spreadsheet has. Headers are compared after normalisation, so 金额（元）, 金额(元) and
 * " 金额 ( 元 ) " are the same header.
 */
import { complete, type RosterIssue } from "./types.js";

export type ColumnKey = "idNumber" | "name" | "village" | "amount";

export const COLUMN_KEYS: readonly ColumnKey[] = ["idNumber", "name", "village", "amount"];

export const COLUMN_ALIASES: Record<ColumnKey, readonly string[]> = {
  idNumber: ["身份证号", "身份证号码", "公民身份号码", "证件号码", "id_number", "idnumber", "resident_id"],
  name: ["姓名", "户主姓名", "户主", "name"],
  village: ["村", "村代码", "行政区划代码", "区划代码", "village", "village_code", "region", "region_code"],
  amount: ["金额", "金额(元)", "金额（元）", "发放金额", "补贴金额", "amount", "amount_yuan"],
};

/** Bracket content that means "in yuan": only then may an amount header carry a bracket. */
const YUAN_UNITS = new Set(["元", "人民币", "人民币元", "yuan", "rmb", "cny", "¥"]);

/**
 * NFKC (full-width letters and brackets to ASCII), lowercase, no whitespace or zero-width
 * characters (a BOM that survived an editor), and the CJK bracket shapes as ASCII parentheses.
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, "")
    .replace(/[[【〔〖]/g, "(")
    .replace(/[\]】〕〗]/g, ")");
}

/** The header without any bracketed part, and the bracket contents: "身份证号(18位)" → ["身份证号", ["18位"]]. */
function splitBrackets(normalised: string): [string, string[]] {
  const contents: string[] = [];
  const base = normalised.replace(/\(([^()]*)\)/g, (_, inner: string) => {
    contents.push(inner);
    return "";
  });
  return [base, contents];
}

const EXACT = new Map<string, ColumnKey>();
const BASE = new Map<string, ColumnKey>();
for (const key of COLUMN_KEYS) {
  for (const alias of COLUMN_ALIASES[key]) {
    const normalised = normaliseHeader(alias);
    EXACT.set(normalised, key);
    BASE.set(splitBrackets(normalised)[0], key);
  }
}

type HeaderMatch = { key: ColumnKey } | { wrongUnit: string } | undefined;

/**
 * Exact alias first; otherwise the header without its bracketed parts, so that "身份证号(18位)"
 * and "村(社区)代码" are found. An amount header keeps its bracket only when it says yuan: 金额(万元)
 * or 金额(分) would silently scale every amount by 10,000 or 1/100.
 */
function matchHeader(header: string): HeaderMatch {
  const normalised = normaliseHeader(header);
  if (normalised === "") return undefined;
  const exact = EXACT.get(normalised);
  if (exact) return { key: exact };
  const [base, contents] = splitBrackets(normalised);
  const key = BASE.get(base);
  if (!key) return undefined;
  if (key === "amount" && contents.some((c) => !YUAN_UNITS.has(c))) return { wrongUnit: header };
  return { key };
}

export type ColumnMap = Record<ColumnKey, number>;

/** A1-style column letters, so that the clerk can find the column in the spreadsheet. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

function acceptedNames(key: ColumnKey): string {
  return COLUMN_ALIASES[key].join(", ");
}

/**
 * Locates each required column in a header row. Unknown columns are ignored (rosters carry
 * serial numbers, remarks, bank names); a required column missing or present twice is an issue,
 * because guessing which of two 金额 columns is meant is exactly how the wrong figure gets paid.
 */
export function locateColumns(
  headers: readonly string[],
  line: number,
): { columns?: ColumnMap; issues: RosterIssue[] } {
  const found: Record<ColumnKey, number[]> = { idNumber: [], name: [], village: [], amount: [] };
  const issues: RosterIssue[] = [];
  const value = headers.join(",");
  let amountInOtherUnit = false;
  headers.forEach((header, index) => {
    const match = matchHeader(header);
    if (match === undefined) return;
    if ("wrongUnit" in match) {
      amountInOtherUnit = true;
      issues.push({
        line,
        field: "header",
        value: header,
        problem: `column ${columnLetter(index)} "${header}" looks like the amount, but not in yuan`,
        fix: "convert the amounts to yuan and head the column 金额(元)",
      });
      return;
    }
    found[match.key].push(index);
  });
  for (const key of COLUMN_KEYS) {
    const at = found[key];
    if (at.length === 0) {
      // Already explained by the unit issue. Only by that one: a header missing the village and
      // the amount must say so for both, or the clerk fixes one and uploads again for the other.
      if (key === "amount" && amountInOtherUnit) continue;
      issues.push({
        line,
        field: "header",
        value,
        problem: `no ${key} column`,
        fix: `add a column headed ${COLUMN_ALIASES[key][0]} (accepted names: ${acceptedNames(key)})`,
      });
    } else if (at.length > 1) {
      const where = at.map((i) => `${columnLetter(i)} "${headers[i] ?? ""}"`).join(" and ");
      issues.push({
        line,
        field: "header",
        value,
        problem: `the ${key} column appears ${at.length} times (${where})`,
        fix: `keep exactly one column with one of these names: ${acceptedNames(key)}; rename or delete the others`,
      });
    }
  }
  const [idNumber] = found.idNumber;
  const [name] = found.name;
  const [village] = found.village;
  const [amount] = found.amount;
  const columns = complete<ColumnMap>({ idNumber, name, village, amount });
  return issues.length > 0 || !columns ? { issues } : { columns, issues };
}
