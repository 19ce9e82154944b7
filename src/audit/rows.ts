/** Reading typed values out of index rows (the database returns every INTEGER as a bigint). */
import { decodeBytes32String } from "ethers";

import type { Row } from "../indexer/index.js";
import { seqText } from "../lines.js";
import { CHINA_OFFSET_SECONDS } from "../resident/format.js";

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

/**
 * Seconds since the epoch as an ISO 8601 time in Beijing time (UTC+8, China's one time zone, as
 * offices read it), with its offset written out: `2026-12-06T17:20:05+08:00`. Every audit prints
 * block times so.
 */
export function isoTime(seconds: number | bigint | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  const local = new Date((Number(seconds) + CHINA_OFFSET_SECONDS) * 1000).toISOString();
  return `${local.slice(0, 19)}+08:00`;
}

/** A Beijing date `YYYY-MM-DD` as the epoch second its day starts (for --since/--until); throws naming `option`. */
export function beijingDayStart(text: string, option: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text.trim())
    throw new Error(`--${option} must be a date YYYY-MM-DD (Beijing time), e.g. 2026-12-01; got "${text}"`);
  return ms / 1000 - CHINA_OFFSET_SECONDS;
}

/** An earmark code (bytes32) as the text it was created from (专款专用 codes are text), or its hex if it is not text. */
export function earmarkText(hex: string): string {
  try {
    return decodeBytes32String(hex);
  } catch {
    return hex;
  }
}
