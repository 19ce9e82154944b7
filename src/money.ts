/** Money is integer fen (分) everywhere; these helpers only format it for people. */

/** `123456n` → `"1,234.56"` (yuan, two decimals, thousands separators). */
export function formatFen(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${yuan}.${cents}`;
}
