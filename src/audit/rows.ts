/** Reading typed values out of index rows (the database returns every INTEGER as a bigint). */
import type { Row } from "../indexer/index.js";
import { seqText } from "../lines.js";

export function big(row: Row, column: string): bigint {
  const v = row[column];
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  if (v === null || v === undefined) return 0n;
  throw new Error(`index column ${column} holds ${typeof v}, not an integer`);
}

export const num = (row: Row, column: string): number => Number(big(row, column));

export function str(row: Row, column: string): string {
  const v = row[column];
  return v === null || v === undefined ? "" : String(v);
}

/** The row's line as people name it (`序号 5`), from its `line_index` column (from 0). */
export const lineSeq = (row: Row): string => seqText(num(row, "line_index"));

/** Seconds since the epoch as an ISO time (UTC), as every audit prints block times. */
export function isoTime(seconds: number | bigint | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}
