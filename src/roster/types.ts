/**
 * The shapes the roster reader hands to the rest of the tooling. Kept in one module so that the
 * reader's parts (CSV, XLSX, field checks) and its callers agree on them without import cycles.
 */

/** One validated roster line. Names and ID numbers stay on the bureau's machine; see PRODUCT.md "Privacy". */
export interface RosterEntry {
  /** CSV: the physical line where the record starts (the header is line 1). XLSX: the sheet row number. */
  line: number;
  /** 18 characters, 17 digits then a digit or an uppercase X (GB 11643). */
  idNumber: string;
  /** NFKC-normalised and trimmed. */
  name: string;
  /** 12-digit administrative division code. */
  village: bigint;
  /** Integer fen (分); never a float. */
  amount: bigint;
}

/**
 * Which part of the input an issue is about. `file`: the file as a whole or a line's structure
 * (encoding, unreadable CSV, wrong cell count, a totals row); `header`: the header row.
 */
export type RosterField = "file" | "header" | "idNumber" | "name" | "village" | "amount";

/**
 * One thing wrong with a roster, phrased for the clerk who has to fix the spreadsheet.
 * `line` is 0 for issues about the whole file. `value` is the cell text as it was in the file.
 */
/** One thing wrong with a file (a roster, a bank's result file). `line` is its line in the file (0: the file as a whole); `value` the text as it was. */
export interface FileIssue<F extends string = string> {
  line: number;
  field: F;
  value: string;
  problem: string;
  fix: string;
}

export type RosterIssue = FileIssue<RosterField>;

export interface RosterSource {
  fileName: string;
  format: "csv" | "xlsx";
  /** CSV only: the text encoding that was detected. */
  encoding?: "utf-8" | "utf-8-bom" | "gb18030";
  /** SHA-256 of the raw file bytes, 64 lowercase hex digits without `0x` (as `sha256sum` prints it). */
  sha256: string;
}

export interface ReadOptions {
  /** The programme's per-household cap in fen; a line above it is an issue. */
  householdCap?: bigint;
  /** The roster's region: every village must equal it or descend from it. */
  region?: bigint;
}

export interface RosterReadResult {
  /** The lines without any issue, in file order. A roster is usable only if `issues` is empty. */
  entries: RosterEntry[];
  /** Every issue found, ordered by line. */
  issues: RosterIssue[];
  source: RosterSource;
}

/** `fields` when every one of them was read (none is undefined), else undefined. */
export function complete<T extends object>(fields: { [K in keyof T]: T[K] | undefined }): T | undefined {
  return Object.values(fields).some((v) => v === undefined) ? undefined : (fields as T);
}
