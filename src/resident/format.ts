/** Formatting shared by `resident check` and the residents' page. Browser-safe. */
import { formatFen } from "../money.js";

export { formatFen };

/** China Standard Time, whatever the reader's machine says: the dates of a notice and of publicity. */
export const CHINA_OFFSET_SECONDS = 8 * 3600;

/** Unix seconds → "2026-11-08 14:03" in China Standard Time (UTC+8). */
export function formatChinaTime(unixSeconds: number): string {
  return new Date((unixSeconds + CHINA_OFFSET_SECONDS) * 1000).toISOString().slice(0, 16).replace("T", " ");
}

/** Unix seconds → "2026-11-08" in China Standard Time (UTC+8). */
export function formatChinaDate(unixSeconds: number): string {
  return formatChinaTime(unixSeconds).slice(0, 10);
}

/** "0x1234…abcd": a hash or address short enough for a phone screen (the link carries all of it). */
export function shortHex(hex: string, keep = 6): string {
  return hex.length <= 2 + keep * 2 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}
