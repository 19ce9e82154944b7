/**
 * Resident ID numbers (公民身份号码, GB 11643-1999): 6-digit region of first registration,
 * 8-digit birth date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0–9 or X).
 *
 * The check character is never printed in a message, even though it would be easy to: the digit
 * that fails is usually not the mistyped one, and a clerk told "should be 7" would change the last
 * character, turning a detectable typo into a valid-looking number of somebody else.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";

/** The earliest birth date accepted; older numbers do not occur among living residents. */
const EARLIEST_BIRTH = "19000101";

/**
 * What a clerk's spreadsheet turns an ID number into: full-width digits (NFKC), spaces typed for
 * readability (removed wherever they are), and a lowercase x. Nothing else is repaired: a wrong
 * character is an error to report, not to guess.
 */
export function normaliseIdNumber(raw: string): string {
  return raw.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? "";
}

/** Today's date as YYYYMMDD in China Standard Time (UTC+8), whatever the machine's time zone. */
export function todayInChina(now: Date = new Date()): string {
  const china = new Date(now.getTime() + 8 * 3600 * 1000);
  const y = china.getUTCFullYear().toString().padStart(4, "0");
  const m = (china.getUTCMonth() + 1).toString().padStart(2, "0");
  const d = china.getUTCDate().toString().padStart(2, "0");
  return `${y}${m}${d}`;
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * Why a normalised ID number is not valid, or undefined if it is. The problems are specific so
 * that the clerk knows where to look. `today` (YYYYMMDD) is for tests; it defaults to the date in China.
 */
export function idNumberProblem(normalised: string, today: string = todayInChina()): string | undefined {
  if (normalised === "") return "empty";
  // Excel shows an 18-digit number typed into a General cell as 1.10101E+17 and keeps 15 digits.
  if (/^\d+(\.\d+)?E\+?\d+$/.test(normalised)) {
    return "written in scientific notation: the spreadsheet stored it as a number and kept only 15 digits";
  }
  const length = Array.from(normalised).length;
  if (length === 15 && /^\d{15}$/.test(normalised)) return "an old 15-digit number; rosters need the 18-digit number";
  if (length !== 18) return `${length} characters instead of 18`;
  const bad = Array.from(normalised).findIndex((ch, i) => !(/\d/.test(ch) || (i === 17 && ch === "X")));
  if (bad >= 0) {
    const ch = Array.from(normalised)[bad] ?? "";
    return bad === 17
      ? `last character "${ch}" is neither a digit nor X`
      : `character ${bad + 1} "${ch}" is not a digit (only the last character may be X)`;
  }
  if (normalised.startsWith("0")) return "starts with 0, which no region code does";
  const birth = normalised.slice(6, 14);
  if (!isCalendarDate(birth)) return `birth date ${birth} (characters 7–14) is not a real date`;
  if (birth < EARLIEST_BIRTH) return `birth date ${birth} (characters 7–14) is before 1900`;
  if (birth > today) return `birth date ${birth} (characters 7–14) is in the future`;
  if (idCheckCharacter(normalised.slice(0, 17)) !== normalised[17]) {
    return "check digit does not match: at least one character is mistyped";
  }
  return undefined;
}

/** The clerk-facing fix for each kind of ID problem. */
export function idNumberFix(problem: string): string {
  if (problem.startsWith("written in scientific notation")) {
    return "format the column as Text and type the full 18-character number again (the lost digits cannot be recovered from the file)";
  }
  if (problem.startsWith("an old 15-digit")) return "use the 18-character number printed on the resident ID card";
  if (problem.startsWith("check digit")) {
    return "compare all 18 characters with the resident ID card or household register; do not just change the last character";
  }
  if (problem === "empty") return "write the household's 18-character resident ID number";
  return "copy the 18-character number exactly from the resident ID card or household register";
}
