/**
 * Amounts in yuan as clerks write them ("1,234.50", "￥800", "500元") to integer fen. Only string
 * and BigInt arithmetic: a float never touches an amount (0.1 + 0.2 is not 0.3 in binary).
 */
import { formatFen } from "../money.js";

export type YuanParse = { fen: bigint } | { problem: string; fix: string };

/** Amounts are recorded as uint128 on chain (src/lines.ts packLine). */
const MAX_FEN = 2n ** 128n - 1n;

const FIX_FORMAT =
  "write the amount in yuan with digits, an optional decimal point and at most two decimals, e.g. 1234.50 or 1,234.50";

/** Rounds a decimal string half-up to two decimals, for the example in a fix message only. */
function roundedExample(integer: string, fraction: string): string {
  const scale = 10n ** BigInt(fraction.length - 2);
  const exact = BigInt(integer + fraction);
  const cents = (exact + scale / 2n) / scale;
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}

/**
 * Parses one amount cell. Accepted: NFKC full-width digits, surrounding spaces, a leading ¥/￥,
 * a trailing 元, thousands separators in the right places, up to two decimals. Everything else is
 * rejected with the reason, never guessed at.
 */
export function parseYuan(text: string): YuanParse {
  let s = text.normalize("NFKC").trim(); // NFKC also maps ￥ to ¥ and ，to ,
  if (s === "") return { problem: "empty", fix: "write the amount paid to the household in yuan, e.g. 1234.50" };

  // Accounting formats export negatives as (1,234.00); a sign may sit before or after the ¥.
  let negative = false;
  let plus = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  const signed = /^([+-]?)\s*¥?\s*([+-]?)\s*(.*?)\s*(?:元)?$/u.exec(s);
  const sign = `${signed?.[1] ?? ""}${signed?.[2] ?? ""}`;
  s = signed?.[3] ?? s;
  if (sign.includes("-")) negative = true;
  else if (sign.includes("+")) plus = true;

  if (negative) {
    return {
      problem: "negative",
      fix: "write the positive amount paid; a payment is corrected by a reversal entry, never by a negative line",
    };
  }
  if (/^(\d[\d,]*\.?\d*|\.\d+)[eE][+-]?\d+$/.test(s)) {
    return {
      problem: "exponent notation (the spreadsheet stored the amount as a number shown in scientific format)",
      fix: "format the cell as a number with two decimals (or as text), type the amount in yuan again, and save",
    };
  }
  if (!/^[\d.,]+$/.test(s)) return { problem: "not an amount in yuan", fix: FIX_FORMAT };
  if (plus) return { problem: "has a + sign", fix: "write the amount without a sign, e.g. 1234.50" };

  const parts = s.split(".");
  if (parts.length > 2) return { problem: "more than one decimal point", fix: FIX_FORMAT };
  const [integerPart = "", fraction = ""] = parts;
  if (fraction.includes(","))
    return { problem: "malformed thousands separators (a comma after the decimal point)", fix: FIX_FORMAT };
  if (integerPart === "" || (parts.length === 2 && fraction === "")) {
    return { problem: "a decimal point without digits on both sides", fix: FIX_FORMAT };
  }
  if (integerPart.includes(",") && !/^\d{1,3}(,\d{3})+$/.test(integerPart)) {
    return {
      problem: "malformed thousands separators",
      fix: "put commas only between groups of three digits (1,234,567.50) or leave them out (1234567.50)",
    };
  }
  const integer = integerPart.replace(/,/g, "");
  if (fraction.length > 2) {
    return {
      problem: "more than two decimals",
      fix: `write the amount in yuan with at most two decimals, e.g. ${roundedExample(integer, fraction)}`,
    };
  }
  const fen = BigInt(integer) * 100n + BigInt(fraction.padEnd(2, "0"));
  if (fen === 0n) {
    return {
      problem: "zero",
      fix: "write the amount paid, or remove the line of a household that is not paid this period",
    };
  }
  if (fen > MAX_FEN) return { problem: "too large to record", fix: "check the amount; it must be in yuan" };
  return { fen };
}

/** The per-household cap check, phrased in yuan because that is what the clerk typed. */
export function capProblem(fen: bigint, cap: bigint | undefined): { problem: string; fix: string } | undefined {
  if (cap === undefined || fen <= cap) return undefined;
  return {
    problem: `above the programme's per-household cap of ${formatFen(cap)} yuan`,
    fix: `check the amount against the approved standard; no household may receive more than ${formatFen(cap)} yuan`,
  };
}
