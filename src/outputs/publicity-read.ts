/**
 * Reading a publicity list (公示名单, publicity.ts) back: its rows' 序号 and amounts, and where it
 * first differs from the lines on chain. Browser-safe (the portal's list check runs it on the
 * reader's device) and used by `audit verify-roster`.
 */
import { parseYuan } from "../roster/amount.js";
import { decodeCsv, readCsvTable } from "../roster/csv.js";
import { PUBLICITY_HEADER } from "./publicity.js";

export interface PublicityListRow {
  /** The file's line number. */
  line: number;
  /** The roster line index (序号 − 1). */
  index: number;
  /** Fen. */
  amount: bigint;
}

/** The rows of a publicity list, or why it cannot be read as one. */
export function readPublicityList(
  bytes: Uint8Array,
  fileName: string,
): { rows: PublicityListRow[] } | { problem: string } {
  const decoded = decodeCsv(bytes, fileName);
  if ("issue" in decoded) return { problem: decoded.issue.problem };
  const table = readCsvTable(decoded.text);
  const [header, ...body] = table.rows.filter((r) => r.cells.some((c) => c.text.trim() !== ""));
  if (!header) return { problem: "the file is empty" };
  const headerText = header.cells.map((c) => c.text.trim());
  if (PUBLICITY_HEADER.some((h, i) => headerText[i] !== h)) {
    return {
      problem: `its header is ${JSON.stringify(headerText)}, not the publicity list's ${JSON.stringify(PUBLICITY_HEADER)}`,
    };
  }
  const rows: PublicityListRow[] = [];
  for (const row of body) {
    const index = Number(row.cells[0]?.text.trim()) - 1;
    const amount = parseYuan(row.cells[3]?.text ?? "");
    if (!Number.isInteger(index) || index < 0 || "problem" in amount)
      return { problem: `line ${row.line} is not a list row (序号 and 金额)` };
    rows.push({ line: row.line, index, amount: amount.fen });
  }
  return { rows };
}

export type ListDifference =
  | { kind: "amount"; seq: number; line: number; list: bigint; chain: bigint }
  | { kind: "missing"; seq: number; chain: bigint }
  | { kind: "extra"; seq: number; line: number; list: bigint }
  | { kind: "order"; seq: number; line: number };

/** The first row where the list and the chain's lines (in order) disagree on 序号 or amount. */
export function firstListDifference(
  rows: readonly PublicityListRow[],
  chain: ReadonlyArray<{ index: number; amount: bigint }>,
): ListDifference | undefined {
  const n = Math.max(rows.length, chain.length);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const line = chain[i];
    if (!row) return { kind: "missing", seq: i + 1, chain: line!.amount };
    if (!line) return { kind: "extra", seq: i + 1, line: row.line, list: row.amount };
    if (row.index !== i) return { kind: "order", seq: i + 1, line: row.line };
    if (row.amount !== line.amount)
      return { kind: "amount", seq: i + 1, line: row.line, list: row.amount, chain: line.amount };
  }
  return undefined;
}
