/**
 * Bank settlement of a paid roster: the settlement bank's result file (one row per credited or
 * returned payout line), checked row by row before anything is sent, then planned against the chain
 * and sent in chunks.
 *
 * The file is CSV, UTF-8 with or without BOM (GB18030 as older Chinese Excel writes it is accepted
 * too), with the header `line,status,bank_reference` or its Chinese form `序号,状态,银行流水号`
 * (序号 counts from 1, so it is the roster line + 1). Status is CONFIRMED or RETURNED (any case) or
 * 成功 / 退回. Every bad row is reported with its line in the file, the field, the value and the fix,
 * and nothing is sent while any row is bad.
 *
 * Rerunnable: the plan is read from the chain every time. Lines already Confirmed or Returned with
 * the outcome the file gives are skipped, so a run that was killed half-way is finished by running
 * the same file again; a line whose chain status contradicts the file is an issue.
 */
import { keccak256, type Signer, toUtf8Bytes } from "ethers";

import type { PaidLineRecord } from "../chain/batches.js";
import { describeError } from "../chain/errors.js";
import type { RosterLine } from "../lines.js";
import type { Suite } from "../suite.js";
import { lineStatusesOf } from "../chain/lineStatus.js";
import { decodeCsv, readCsvTable } from "../roster/csv.js";

/** IDisbursement.LineStatus, by its numeric value. */

export const SETTLEMENT_HEADER = ["line", "status", "bank_reference"] as const;
export const SETTLEMENT_HEADER_ZH = ["序号", "状态", "银行流水号"] as const;

export type SettlementOutcome = "confirmed" | "returned";

/** One valid row of the bank's file. */
export interface BankResultRow {
  /** The physical line of the file the row starts on (the header is line 1). */
  fileLine: number;
  /** The roster line (0-based), whichever numbering the file used. */
  line: number;
  outcome: SettlementOutcome;
  /** The bank's reference, trimmed, as it goes into the hash. */
  reference: string;
  /** keccak256 of the reference's UTF-8 bytes: what goes on chain (the reference itself does not). */
  refHash: string;
}

export type BankResultField = "file" | "header" | "line" | "序号" | "status" | "bank_reference";

/** One thing wrong with the file, phrased for the clerk who has to fix it (as src/roster/issues.ts). */
export interface BankResultIssue {
  /** Line in the file (0: the file as a whole). */
  line: number;
  field: BankResultField;
  value: string;
  problem: string;
  fix: string;
}

export interface BankResultRead {
  rows: BankResultRow[];
  issues: BankResultIssue[];
  encoding: "utf-8" | "utf-8-bom" | "gb18030";
  /** How the file numbers roster lines: `line` from 0, or `序号` from 1. */
  numbering: "line" | "序号";
}

const MAX_QUOTED = 60;

function quote(value: string): string {
  const chars = Array.from(value);
  return JSON.stringify(chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED).join("")}…` : value);
}

/** `line 7, status "PENDING": … Fix: …` (file-wide issues omit the line). */
export function formatBankIssue(issue: BankResultIssue): string {
  const where = issue.line > 0 ? `line ${issue.line}, ` : "";
  return `${where}${issue.field} ${quote(issue.value)}: ${issue.problem}. Fix: ${issue.fix}`;
}

/** One issue per line; after `max` of them, a count of the rest. */
export function formatBankIssues(issues: readonly BankResultIssue[], max = 50): string {
  const shown = issues.slice(0, Math.max(0, max)).map(formatBankIssue);
  const rest = issues.length - shown.length;
  if (rest > 0) shown.push(`… and ${rest} more issue${rest === 1 ? "" : "s"}`);
  return shown.join("\n");
}

/** Thrown when a result file (or its plan against the chain) has issues; the message lists them all. */
export class BankResultsRejectedError extends Error {
  readonly issues: BankResultIssue[];

  constructor(fileName: string, issues: BankResultIssue[], what = "rejected") {
    super(`bank result file ${fileName} ${what}, ${issues.length} issue${issues.length === 1 ? "" : "s"}; nothing was sent:\n${formatBankIssues(issues)}`);
    this.name = "BankResultsRejectedError";
    this.issues = issues;
  }
}

// ------------------------------------------------------------------------------------ reading



type Column = "line" | "序号" | "status" | "bank_reference";

/** Header cell → column; case, width (full-width letters), spaces, hyphens and underscores do not matter. */
function columnOf(cell: string): Column | undefined {
  const key = cell.normalize("NFKC").trim().toLowerCase().replace(/[\s_-]+/g, "_");
  switch (key) {
    case "line":
    case "line_index":
      return "line";
    case "序号":
      return "序号";
    case "status":
    case "状态":
      return "status";
    case "bank_reference":
    case "bank_ref":
    case "银行流水号":
    case "流水号":
      return "bank_reference";
    default:
      return undefined;
  }
}

const STATUS_WORDS: Record<string, SettlementOutcome> = {
  CONFIRMED: "confirmed",
  RETURNED: "returned",
  成功: "confirmed",
  退回: "returned",
};


/**
 * Reads and checks a bank result file for a roster of `lineCount` lines. Returns every valid row
 * and every issue; use the rows only when there are no issues.
 */
export function readBankResults(bytes: Uint8Array, options: { lineCount: number }): BankResultRead {
  const issues: BankResultIssue[] = [];
  const result: BankResultRead = { rows: [], issues, encoding: "utf-8", numbering: "line" };
  // The same decoding (UTF-8, BOM, GB18030) and CSV reading (physical line numbers) as rosters.
  const decoded = decodeCsv(bytes, "the bank result file");
  if ("issue" in decoded) {
    issues.push({ ...decoded.issue, field: "file" });
    return result;
  }
  result.encoding = decoded.encoding;
  const table = readCsvTable(decoded.text);
  for (const issue of table.issues) issues.push({ ...issue, field: "file" });
  const records = table.rows
    .map((row) => ({ line: row.line, cells: row.cells.map((c) => c.text) }))
    .filter((r) => r.cells.some((c) => c.trim() !== ""));
  const header = records.shift();
  if (!header) {
    issues.push({ line: 0, field: "file", value: "", problem: "the file is empty", fix: `write the header ${SETTLEMENT_HEADER.join(",")} and one row per settled line` });
    return result;
  }
  const at = new Map<Column, number>();
  header.cells.forEach((cell, i) => {
    const column = columnOf(cell);
    if (!column) return; // other columns (amount, name, …) are the bank's business
    if (at.has(column)) {
      issues.push({ line: header.line, field: "header", value: cell, problem: `the column ${column} appears twice`, fix: "keep one of them" });
      return;
    }
    at.set(column, i);
  });
  if (at.has("line") && at.has("序号")) {
    issues.push({ line: header.line, field: "header", value: header.cells.join(","), problem: "the header has both line (from 0) and 序号 (from 1)", fix: "keep one of them" });
  }
  result.numbering = at.has("序号") && !at.has("line") ? "序号" : "line";
  const lineColumn = at.get(result.numbering);
  const missing = [
    lineColumn === undefined ? "line (or 序号)" : undefined,
    at.has("status") ? undefined : "status (or 状态)",
    at.has("bank_reference") ? undefined : "bank_reference (or 银行流水号)",
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    issues.push({
      line: header.line,
      field: "header",
      value: header.cells.join(","),
      problem: `the header lacks ${missing.join(", ")}`,
      fix: `the first line must be ${SETTLEMENT_HEADER.join(",")} (or ${SETTLEMENT_HEADER_ZH.join(",")})`,
    });
    return result;
  }
  if (issues.some((i) => i.field === "header")) return result;
  const statusColumn = at.get("status")!;
  const refColumn = at.get("bank_reference")!;
  const firstRowOf = new Map<number, number>();
  const base = result.numbering === "序号" ? 1 : 0;
  const lastLine = options.lineCount - 1 + base;
  for (const record of records) {
    const cell = (i: number) => record.cells[i] ?? "";
    const rowIssues: BankResultIssue[] = [];
    const issue = (field: BankResultField, value: string, problem: string, fix: string) => rowIssues.push({ line: record.line, field, value, problem, fix });

    const lineText = cell(lineColumn!);
    const lineNorm = lineText.normalize("NFKC").trim();
    let index: number | undefined;
    if (!/^\d+$/.test(lineNorm)) {
      issue(result.numbering, lineText, lineNorm === "" ? "the line number is missing" : "not a whole number", `write the roster's ${result.numbering === "序号" ? "序号 (1, 2, 3, …)" : "line number (0, 1, 2, …)"}`);
    } else if (Number(lineNorm) < base || Number(lineNorm) > lastLine) {
      issue(
        result.numbering,
        lineText,
        `out of range: the roster has ${options.lineCount} lines, numbered ${base} … ${lastLine} in this column`,
        result.numbering === "序号" ? "序号 counts from 1; check the row against the payout list" : "line counts from 0 (序号 − 1); check the row against the payout list",
      );
    } else {
      index = Number(lineNorm) - base;
      const earlier = firstRowOf.get(index);
      if (earlier !== undefined) {
        issue(result.numbering, lineText, `this roster line is on file line ${earlier} already`, "keep one row per roster line");
        index = undefined;
      } else {
        firstRowOf.set(index, record.line);
      }
    }

    const statusText = cell(statusColumn);
    const outcome = STATUS_WORDS[statusText.normalize("NFKC").trim().toUpperCase()];
    if (!outcome) {
      issue(
        "status",
        statusText,
        statusText.trim() === "" ? "the status is missing" : "not a settlement status",
        "write CONFIRMED (成功) for a credited payout or RETURNED (退回) for one the bank sent back",
      );
    }

    const refText = cell(refColumn);
    const reference = refText.trim();
    if (reference === "") issue("bank_reference", refText, "the bank reference is missing", "copy the bank's transaction reference (银行流水号) of this payout");
    else if (/[\u0000-\u001f\u007f]/.test(reference)) issue("bank_reference", refText, "the reference holds a control character (tab or line break)", "copy the reference as plain text");

    if (rowIssues.length > 0 || index === undefined || !outcome) {
      issues.push(...rowIssues);
      continue;
    }
    result.rows.push({ fileLine: record.line, line: index, outcome, reference, refHash: keccak256(toUtf8Bytes(reference)) });
  }
  if (records.length === 0 && issues.length === 0) {
    issues.push({ line: 0, field: "file", value: "", problem: "the file has a header but no rows", fix: "add one row per settled payout line" });
  }
  return result;
}

// ------------------------------------------------------------------------------------ planning

export interface SettlementPlan {
  rosterId: bigint;
  toConfirm: BankResultRow[];
  toReturn: BankResultRow[];
  /** Rows whose line already has the outcome the file gives (an earlier run): not sent again. */
  skipped: { confirmed: number; returned: number };
  /** Rows the chain contradicts. Nothing may be sent while any is left. */
  conflicts: BankResultIssue[];
}

/**
 * Classifies each row against the line's status on chain: Paid lines are to be settled, lines that
 * already carry the file's outcome are skipped, and anything else (unpaid, the other outcome,
 * reversed) is a conflict.
 */
export async function planSettlement(suite: Suite, rosterId: bigint, rows: readonly BankResultRow[]): Promise<SettlementPlan> {
  const d = suite.disbursement;
  const statuses = await lineStatusesOf(suite, rosterId, rows.map((r) => r.line));
  const plan: SettlementPlan = { rosterId, toConfirm: [], toReturn: [], skipped: { confirmed: 0, returned: 0 }, conflicts: [] };
  const conflict = (row: BankResultRow, problem: string, fix: string) =>
    plan.conflicts.push({ line: row.fileLine, field: "status", value: row.outcome.toUpperCase(), problem: `roster line ${row.line} ${problem}`, fix });
  for (const row of rows) {
    const status = statuses.get(row.line) ?? "Unpaid";
    if (status === "Paid") {
      (row.outcome === "confirmed" ? plan.toConfirm : plan.toReturn).push(row);
    } else if (status === "Confirmed" && row.outcome === "confirmed") {
      plan.skipped.confirmed++;
    } else if (status === "Returned" && row.outcome === "returned") {
      plan.skipped.returned++;
    } else if (status === "Unpaid") {
      conflict(row, "has not been paid on chain, so the bank cannot have settled it", "check the line number; remove the row if the line was not in the payout file");
    } else if (status === "Confirmed") {
      conflict(
        row,
        "is Confirmed on chain: a confirmed payout cannot be returned",
        "if the money did come back, ask for a reversal (reversal request); otherwise correct the status",
      );
    } else if (status === "Returned") {
      conflict(row, "is Returned on chain: a returned payout cannot be confirmed", "check the row against the bank's records; remove it if the return was right");
    } else {
      const confirmedBefore =
        row.outcome === "confirmed" && (await d.queryFilter(d.filters.PayoutConfirmed(rosterId, row.line))).length > 0;
      if (confirmedBefore) plan.skipped.confirmed++;
      else conflict(row, `is ${status} on chain (a reversal refunded it)`, "remove the row: the line's money is already back in the budget");
    }
  }
  return plan;
}

// ------------------------------------------------------------------------------------ sending

export interface SettlementProgress {
  kind: SettlementOutcome;
  chunk: number;
  chunks: number;
  lines: number;
  amount: bigint;
  txHash?: string;
  batchId?: number;
}

export interface SettlementReport {
  confirmed: { count: number; amount: bigint };
  returned: { count: number; amount: bigint };
  skipped: number;
  transactions: string[];
  dryRun: boolean;
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Sends the plan: confirmations in chunks of `chunkSize` (confirmPayouts), then returns grouped by
 * the payout batch that paid each line (returnPayouts with that batch's leaves), in chunks too.
 * `paid` is the chain's record of every paid line (paidBatchesOf). With `dryRun`, every call is
 * checked with staticCall and nothing is sent. Stops at the first failure with a message naming the
 * chunk; what was sent before it stays, and a rerun skips it.
 */
export async function sendSettlement(
  suite: Suite,
  signer: Signer,
  plan: SettlementPlan,
  paid: ReadonlyMap<number, PaidLineRecord>,
  options: { chunkSize: number; dryRun?: boolean; onProgress?: (p: SettlementProgress) => void },
): Promise<SettlementReport> {
  const d = suite.disbursement.connect(signer);
  const recordOf = (row: BankResultRow): PaidLineRecord => {
    const record = paid.get(row.line);
    if (!record) throw new Error(`roster line ${row.line} is Paid on chain but no payout batch of it was found in the chain's events`);
    return record;
  };
  const amountOf = (rows: readonly BankResultRow[]) => rows.reduce((s, r) => s + recordOf(r).line.amount, 0n);
  const report: SettlementReport = {
    confirmed: { count: 0, amount: 0n },
    returned: { count: 0, amount: 0n },
    skipped: plan.skipped.confirmed + plan.skipped.returned,
    transactions: [],
    dryRun: options.dryRun ?? false,
  };
  const settledSoFar = () => `${report.confirmed.count} confirmed and ${report.returned.count} returned lines were settled before it`;

  const confirmChunks = chunked(plan.toConfirm, options.chunkSize);
  for (const [i, rows] of confirmChunks.entries()) {
    const lines = rows.map((r) => r.line);
    const refs = rows.map((r) => r.refHash);
    const amount = amountOf(rows);
    let txHash: string | undefined;
    try {
      if (options.dryRun) {
        await d.confirmPayouts.staticCall(plan.rosterId, lines, refs);
      } else {
        const tx = await d.confirmPayouts(plan.rosterId, lines, refs);
        await tx.wait();
        txHash = tx.hash;
        report.transactions.push(tx.hash);
      }
    } catch (error) {
      throw new Error(
        `confirmation chunk ${i + 1} of ${confirmChunks.length} (file lines ${rows[0]!.fileLine}…${rows[rows.length - 1]!.fileLine}) failed: ${describeError(error)}. ` +
          `${settledSoFar()}; run the same command again to continue.`,
      );
    }
    report.confirmed.count += rows.length;
    report.confirmed.amount += amount;
    options.onProgress?.({ kind: "confirmed", chunk: i + 1, chunks: confirmChunks.length, lines: rows.length, amount, txHash });
  }

  // Returns carry the whole batch that paid each line: group the rows by that batch.
  const byBatch = new Map<number, { record: PaidLineRecord; rows: BankResultRow[] }>();
  for (const row of plan.toReturn) {
    const record = recordOf(row);
    const group = byBatch.get(record.batch.batchId) ?? { record, rows: [] };
    group.rows.push(row);
    byBatch.set(record.batch.batchId, group);
  }
  const returnChunks = [...byBatch.values()]
    .sort((x, y) => x.record.batch.batchId - y.record.batch.batchId)
    .flatMap(({ record, rows }) => chunked(rows, options.chunkSize).map((chunk) => ({ batch: record.batch, rows: chunk })));
  for (const [i, { batch, rows }] of returnChunks.entries()) {
    const records = rows.map(recordOf);
    const positions = records.map((r) => r.position);
    const lines: RosterLine[] = records.map((r) => r.line);
    const refs = rows.map((r) => r.refHash);
    const amount = amountOf(rows);
    let txHash: string | undefined;
    try {
      if (options.dryRun) {
        await d.returnPayouts.staticCall(plan.rosterId, batch, positions, lines, refs);
      } else {
        const tx = await d.returnPayouts(plan.rosterId, batch, positions, lines, refs);
        await tx.wait();
        txHash = tx.hash;
        report.transactions.push(tx.hash);
      }
    } catch (error) {
      throw new Error(
        `return chunk ${i + 1} of ${returnChunks.length} (payout batch ${batch.batchId}, file lines ${rows.map((r) => r.fileLine).join(", ")}) failed: ${describeError(error)}. ` +
          `${settledSoFar()}; run the same command again to continue.`,
      );
    }
    report.returned.count += rows.length;
    report.returned.amount += amount;
    options.onProgress?.({ kind: "returned", chunk: i + 1, chunks: returnChunks.length, lines: rows.length, amount, txHash, batchId: batch.batchId });
  }
  return report;
}
