/**
 * CSV writing shared by the publicity list and the notices: UTF-8 with a BOM (so Excel on a
 * Chinese-locale Windows machine does not read it as GB18030), CRLF after every record, RFC 4180
 * quoting, and a guard against formula injection.
 */

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

// A cell starting with one of these is run as a formula by Excel/WPS/LibreOffice ("=HYPERLINK(…)").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: a leading single quote defuses formulas; cells with `"`, `,`, CR or LF are quoted. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole file: BOM, then each record's cells joined by commas and ended by CRLF. */
export function csvBytes(records: readonly (readonly string[])[]): Uint8Array {
  const text = records.map((cells) => cells.map(csvCell).join(",") + "\r\n").join("");
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(BOM.length + body.length);
  out.set(BOM, 0);
  out.set(body, BOM.length);
  return out;
}

/** Shared row checks: rows are the roster's lines in order (序号 = index + 1 is the line objected to). */
export function checkRowBasics(
  rows: readonly { index: number; village: bigint; amount: bigint }[],
  what: string,
): void {
  if (rows.length === 0) throw new Error(`${what}: no rows`);
  rows.forEach((row, i) => {
    if (row.index !== i) {
      throw new Error(
        `${what}: row ${i} has index ${row.index}; rows must be the roster's lines in order, numbered 0, 1, 2, …`,
      );
    }
    if (row.village < 100_000_000_000n || row.village > 999_999_999_999n) {
      throw new Error(`${what}: row ${i} has village code ${row.village}, not a 12-digit division code`);
    }
    if (row.amount <= 0n) throw new Error(`${what}: row ${i} has amount ${row.amount} fen; a line pays at least 1 fen`);
  });
}
