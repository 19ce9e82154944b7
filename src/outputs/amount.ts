/**
 * Amounts for documents that machines read back: yuan with two decimals and no thousands
 * separator ("1234.50"), because a comma inside a CSV cell would need quoting and spreadsheets
 * read "1,234.50" as text in some locales. src/money.ts formatFen is for people on screen.
 */
export function formatYuanPlain(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}
