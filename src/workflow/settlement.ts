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
 * the same file again; a line whose chain status contradicts the file is an issue. Within a run,
 * transient failures of the connection are retried with backoff, and when a chunk's outcome is
 * unknown the plan is read from the chain again before anything is resent (as payouts do).
 */
import { keccak256, type Signer, toUtf8Bytes } from "ethers";

import type { PaidLineRecord } from "../chain/batches.js";
import { describeError } from "../chain/errors.js";
import {
  backoffDelay,
  isContractRefusal,
  OutcomeUnknownError,
  retryingReads,
  type RetryOptions,
  retryPolicy,
  sendOnce,
  sleep,
  transientReason,
  waitForNoPending,
  waitForReceipt,
  withRetries,
} from "../chain/signers.js";
import { type RosterLine, seqText } from "../lines.js";
import { connectSuite, type Suite } from "../suite.js";
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
    super(
      `bank result file ${fileName} ${what}, ${issues.length} issue${issues.length === 1 ? "" : "s"}; nothing was sent:\n${formatBankIssues(issues)}`,
    );
    this.name = "BankResultsRejectedError";
    this.issues = issues;
  }
}

// ------------------------------------------------------------------------------------ reading

type Column = "line" | "序号" | "status" | "bank_reference";

/** Header cell → column; case, width (full-width letters), spaces, hyphens and underscores do not matter. */
function columnOf(cell: string): Column | undefined {
  const key = cell
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "_");
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
    issues.push({
      line: 0,
      field: "file",
      value: "",
      problem: "the file is empty",
      fix: `write the header ${SETTLEMENT_HEADER.join(",")} and one row per settled line`,
    });
    return result;
  }
  const at = new Map<Column, number>();
  header.cells.forEach((cell, i) => {
    const column = columnOf(cell);
    if (!column) return; // other columns (amount, name, …) are the bank's business
    if (at.has(column)) {
      issues.push({
        line: header.line,
        field: "header",
        value: cell,
        problem: `the column ${column} appears twice`,
        fix: "keep one of them",
      });
      return;
    }
    at.set(column, i);
  });
  if (at.has("line") && at.has("序号")) {
    issues.push({
      line: header.line,
      field: "header",
      value: header.cells.join(","),
      problem: "the header has both line (from 0) and 序号 (from 1)",
      fix: "keep one of them",
    });
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
    const issue = (field: BankResultField, value: string, problem: string, fix: string) =>
      rowIssues.push({ line: record.line, field, value, problem, fix });

    const lineText = cell(lineColumn!);
    const lineNorm = lineText.normalize("NFKC").trim();
    let index: number | undefined;
    if (!/^\d+$/.test(lineNorm)) {
      issue(
        result.numbering,
        lineText,
        lineNorm === "" ? "the line number is missing" : "not a whole number",
        `write the roster's ${result.numbering === "序号" ? "序号 (1, 2, 3, …)" : "line number (0, 1, 2, …)"}`,
      );
    } else if (Number(lineNorm) < base || Number(lineNorm) > lastLine) {
      issue(
        result.numbering,
        lineText,
        `out of range: the roster has ${options.lineCount} lines, numbered ${base} … ${lastLine} in this column`,
        result.numbering === "序号"
          ? "序号 counts from 1; check the row against the payout list"
          : "line counts from 0 (序号 − 1); check the row against the payout list",
      );
    } else {
      index = Number(lineNorm) - base;
      const earlier = firstRowOf.get(index);
      if (earlier !== undefined) {
        issue(
          result.numbering,
          lineText,
          `this roster line is on file line ${earlier} already`,
          "keep one row per roster line",
        );
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
    if (reference === "")
      issue(
        "bank_reference",
        refText,
        "the bank reference is missing",
        "copy the bank's transaction reference (银行流水号) of this payout",
      );
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    else if (/[\u0000-\u001f\u007f]/.test(reference))
      issue(
        "bank_reference",
        refText,
        "the reference holds a control character (tab or line break)",
        "copy the reference as plain text",
      );

    if (rowIssues.length > 0 || index === undefined || !outcome) {
      issues.push(...rowIssues);
      continue;
    }
    result.rows.push({
      fileLine: record.line,
      line: index,
      outcome,
      reference,
      refHash: keccak256(toUtf8Bytes(reference)),
    });
  }
  if (records.length === 0 && issues.length === 0) {
    issues.push({
      line: 0,
      field: "file",
      value: "",
      problem: "the file has a header but no rows",
      fix: "add one row per settled payout line",
    });
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
export async function planSettlement(
  suite: Suite,
  rosterId: bigint,
  rows: readonly BankResultRow[],
): Promise<SettlementPlan> {
  const statuses = await lineStatusesOf(
    suite,
    rosterId,
    rows.map((r) => r.line),
  );
  const plan: SettlementPlan = {
    rosterId,
    toConfirm: [],
    toReturn: [],
    skipped: { confirmed: 0, returned: 0 },
    conflicts: [],
  };
  const conflict = (row: BankResultRow, problem: string, fix: string) =>
    plan.conflicts.push({
      line: row.fileLine,
      field: "status",
      value: row.outcome.toUpperCase(),
      problem: `${seqText(row.line)} ${problem}`,
      fix,
    });
  for (const row of rows) {
    const status = statuses.get(row.line) ?? "Unpaid";
    if (status === "Paid") {
      (row.outcome === "confirmed" ? plan.toConfirm : plan.toReturn).push(row);
    } else if (status === "Confirmed" && row.outcome === "confirmed") {
      plan.skipped.confirmed++;
    } else if (status === "Returned" && row.outcome === "returned") {
      plan.skipped.returned++;
    } else if (status === "Unpaid") {
      conflict(
        row,
        "has not been paid on chain, so the bank cannot have settled it",
        "check the line number; remove the row if the line was not in the payout file",
      );
    } else if (status === "Confirmed") {
      conflict(
        row,
        "is Confirmed on chain: a confirmed payout cannot be returned",
        "if the money did come back, ask for a reversal (reversal request); otherwise correct the status",
      );
    } else if (status === "Returned") {
      conflict(
        row,
        "is Returned on chain: a returned payout cannot be confirmed",
        "check the row against the bank's records; remove it if the return was right",
      );
    } else if (row.outcome === "confirmed") {
      // Reversed, or reversed awaiting recovery: only a confirmed line is ever reversed, so the
      // bank's confirmation is on chain already.
      plan.skipped.confirmed++;
    } else {
      conflict(
        row,
        `is ${status} on chain: it was confirmed, then reversed`,
        status === "ReversalPendingRecovery"
          ? "if the bank took the money back from the card, record that with bank recover --reversal <id>, not as a return"
          : "remove the row: the reversal's recovery already put the money back in the budget",
      );
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
  /** Chunk attempts that failed transiently and were retried after re-reading the chain. */
  retries: number;
  /** Lines found settled on re-reading although their send's answer was lost. */
  landedWithoutReceipt: number;
  /** Lines settled again because the node lost the blocks that had settled them. */
  settledAgain: number;
}

/** What a re-reading of the chain after a failure found. */
export interface SettlementRecheck {
  reason: string;
  /** The check at the end of the run. */
  final: boolean;
  landedWithoutReceipt: number;
  lostAfterReceipt: number;
  toConfirm: number;
  toReturn: number;
}

export interface SendSettlementOptions {
  chunkSize: number;
  dryRun?: boolean;
  onProgress?: (p: SettlementProgress) => void;
  /** Retry policy and notices for transient failures (reads and chunks alike). */
  retry?: RetryOptions;
  /** Told each time the chain is read again after a failure, and what it showed. */
  onRecheck?: (r: SettlementRecheck) => void;
  receiptTimeoutMs?: number;
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

type Work =
  | { kind: "confirmed"; rows: BankResultRow[] }
  | { kind: "returned"; rows: BankResultRow[]; batch: PaidLineRecord["batch"] };

/**
 * Sends the plan: confirmations in chunks of `chunkSize` (confirmPayouts), then returns grouped by
 * the payout batch that paid each line (returnPayouts with that batch's packed lines), in chunks too.
 * `paid` is the chain's record of every paid line (paidBatchesOf). With `dryRun`, every call is
 * checked with staticCall and nothing is sent. A transient failure is retried (at most
 * `retry.policy.attempts` in a row) after reading the plan from the chain again, so nothing settled
 * is sent twice; a refusal by the contract is checked against the chain the same way. Stops with a
 * message naming the chunk; what was sent before it stays, and a rerun skips it.
 */
export async function sendSettlement(
  suite: Suite,
  signer: Signer,
  plan: SettlementPlan,
  paid: ReadonlyMap<number, PaidLineRecord>,
  options: SendSettlementOptions,
): Promise<SettlementReport> {
  const retry = options.retry ?? {};
  const policy = retryPolicy(retry);
  if (!signer.provider) throw new Error("the signer has no provider");
  const provider = retryingReads(signer.provider, retry);
  const reads = connectSuite(suite.addresses, provider);
  const d = suite.disbursement.connect(signer);
  const recordOf = (row: BankResultRow): PaidLineRecord => {
    const record = paid.get(row.line);
    if (!record)
      throw new Error(
        `roster ${plan.rosterId} ${seqText(row.line)} is Paid on chain but no payout batch of it was found in the chain's events`,
      );
    return record;
  };
  const amountOf = (rows: Iterable<BankResultRow>) => {
    let sum = 0n;
    for (const r of rows) sum += recordOf(r).line.amount;
    return sum;
  };
  const ours = [...plan.toConfirm, ...plan.toReturn];
  ours.forEach(recordOf); // every line to settle must have its payout batch, before anything is sent
  const done = new Map<number, { row: BankResultRow; txHash?: string }>();
  const report: SettlementReport = {
    confirmed: { count: 0, amount: 0n },
    returned: { count: 0, amount: 0n },
    skipped: plan.skipped.confirmed + plan.skipped.returned,
    transactions: [],
    dryRun: options.dryRun ?? false,
    retries: 0,
    landedWithoutReceipt: 0,
    settledAgain: 0,
  };
  const tally = () => {
    const rows = [...done.values()].map((x) => x.row);
    const confirmed = rows.filter((r) => r.outcome === "confirmed");
    const returned = rows.filter((r) => r.outcome === "returned");
    report.confirmed = { count: confirmed.length, amount: amountOf(confirmed) };
    report.returned = { count: returned.length, amount: amountOf(returned) };
    report.transactions = [
      ...new Set([...done.values()].map((x) => x.txHash).filter((h): h is string => h !== undefined)),
    ];
  };
  const settledSoFar = () =>
    `${report.confirmed.count} confirmed and ${report.returned.count} returned lines were settled before it`;

  const workOf = (toConfirm: readonly BankResultRow[], toReturn: readonly BankResultRow[]): Work[] => {
    const byBatch = new Map<number, { record: PaidLineRecord; rows: BankResultRow[] }>();
    for (const row of toReturn) {
      const record = recordOf(row);
      const group = byBatch.get(record.batch.batchId) ?? { record, rows: [] };
      group.rows.push(row);
      byBatch.set(record.batch.batchId, group);
    }
    return [
      ...chunked(toConfirm, options.chunkSize).map((rows): Work => ({ kind: "confirmed", rows })),
      // Returns carry the whole batch that paid each line: group the rows by that batch.
      ...[...byBatch.values()]
        .sort((x, y) => x.record.batch.batchId - y.record.batch.batchId)
        .flatMap(({ record, rows }) =>
          chunked(rows, options.chunkSize).map((chunk): Work => ({
            kind: "returned",
            rows: chunk,
            batch: record.batch,
          })),
        ),
    ];
  };

  const callOf = (work: Work) => {
    const refs = work.rows.map((r) => r.refHash);
    if (work.kind === "confirmed") {
      const indices = work.rows.map((r) => r.line);
      return {
        data: d.interface.encodeFunctionData("confirmPayouts", [plan.rosterId, indices, refs]),
        check: () => d.confirmPayouts.staticCall(plan.rosterId, indices, refs),
      };
    }
    const records = work.rows.map(recordOf);
    const positions = records.map((r) => r.position);
    const lines: RosterLine[] = records.map((r) => r.line);
    return {
      data: d.interface.encodeFunctionData("returnPayouts", [plan.rosterId, work.batch, positions, lines, refs]),
      check: () => d.returnPayouts.staticCall(plan.rosterId, work.batch, positions, lines, refs),
    };
  };

  /** Reads the plan of this run's rows from the chain again and reconciles what this run knows. */
  const recheck = async (reason: string, final = false): Promise<Work[]> => {
    await waitForNoPending(signer, { retry });
    const fresh = await planSettlement(reads, plan.rosterId, ours);
    if (fresh.conflicts.length > 0)
      throw new BankResultsRejectedError(
        "(the same file, read against the chain again)",
        fresh.conflicts,
        "now contradicts the chain",
      );
    const open = new Set([...fresh.toConfirm, ...fresh.toReturn].map((r) => r.line));
    const result: SettlementRecheck = {
      reason,
      final,
      landedWithoutReceipt: 0,
      lostAfterReceipt: 0,
      toConfirm: fresh.toConfirm.length,
      toReturn: fresh.toReturn.length,
    };
    for (const row of ours) {
      if (!open.has(row.line) && !done.has(row.line)) {
        done.set(row.line, { row });
        result.landedWithoutReceipt++;
      } else if (open.has(row.line) && done.has(row.line)) {
        done.delete(row.line);
        result.lostAfterReceipt++;
      }
    }
    report.landedWithoutReceipt += result.landedWithoutReceipt;
    report.settledAgain += result.lostAfterReceipt;
    tally();
    options.onRecheck?.(result);
    return workOf(fresh.toConfirm, fresh.toReturn);
  };

  let work = workOf(plan.toConfirm, plan.toReturn);
  const numbered = { confirmed: 0, returned: 0 };
  let failures = 0;
  let verified = options.dryRun ?? false;
  let finalChecks = 0;
  for (;;) {
    if (work.length === 0) {
      // Confirm with the chain once that everything sent is settled (a node may lose blocks).
      if (verified) break;
      verified = true;
      if (++finalChecks > policy.attempts)
        throw new Error(
          `the chain lost settled lines again after ${policy.attempts} checks; is the node stable? ${settledSoFar()}`,
        );
      try {
        work = await recheck("checking that every line sent is settled", true);
      } catch (error) {
        const reason = transientReason(error);
        if (reason === undefined) throw error;
        throw new Error(
          `every chunk was sent and has a receipt, but the final check against the chain failed (${reason}). ${settledSoFar()}; run the same command again to check.`,
          { cause: error },
        );
      }
      if (work.length > 0) verified = false;
      continue;
    }
    const item = work[0]!;
    const number = numbered[item.kind] + 1;
    const chunks = number - 1 + work.filter((w) => w.kind === item.kind).length;
    const label =
      item.kind === "confirmed"
        ? `confirmation chunk ${number} of ${chunks} (file lines ${item.rows[0]!.fileLine}…${item.rows[item.rows.length - 1]!.fileLine})`
        : `return chunk ${number} of ${chunks} (payout batch ${item.batch.batchId}, file lines ${item.rows.map((r) => r.fileLine).join(", ")})`;
    const call = callOf(item);
    let txHash: string | undefined;
    let failure: unknown;
    let ok = false;
    try {
      if (options.dryRun) {
        await withRetries(`checking ${label}`, call.check, retry);
      } else {
        const hash = await sendOnce(signer, { to: suite.addresses.disbursement, data: call.data });
        txHash = (await waitForReceipt(provider, hash, { timeoutMs: options.receiptTimeoutMs })).hash;
      }
      ok = true;
    } catch (error) {
      failure = error;
    }
    if (ok) {
      failures = 0;
      numbered[item.kind]++;
      work.shift();
      if (!options.dryRun) for (const row of item.rows) done.set(row.line, { row, txHash });
      else for (const row of item.rows) done.set(row.line, { row });
      tally();
      options.onProgress?.({
        kind: item.kind,
        chunk: number,
        chunks,
        lines: item.rows.length,
        amount: amountOf(item.rows),
        txHash,
        batchId: item.kind === "returned" ? item.batch.batchId : undefined,
      });
      continue;
    }

    const reason = transientReason(failure);
    const refused = reason === undefined;
    const failedMessage = () =>
      `${label} failed: ${describeError(failure)}. ${settledSoFar()}; run the same command again to continue.`;
    if (refused && (options.dryRun || !isContractRefusal(failure))) {
      throw new Error(failedMessage());
    }
    failures++;
    const what = refused ? describeError(failure) : failure instanceof OutcomeUnknownError ? failure.message : reason;
    if (failures >= policy.attempts)
      throw new Error(
        `${label} failed ${failures} times in a row; last: ${what}. ${settledSoFar()}; run the same command again to continue.`,
      );
    if (options.dryRun) {
      // Nothing was sent: a check that failed transiently (retries used up) is simply tried again.
      const delayMs = backoffDelay(policy, failures);
      retry.onRetry?.({ what: label, attempt: failures, attempts: policy.attempts, delayMs, reason: what });
      report.retries++;
      await sleep(delayMs);
      continue;
    }
    if (!refused) {
      const delayMs = backoffDelay(policy, failures);
      report.retries++;
      retry.onRetry?.({ what: label, attempt: failures, attempts: policy.attempts, delayMs, reason: what });
      await sleep(delayMs);
    }
    for (;;) {
      try {
        work = await recheck(`${label}: ${what}`);
        break;
      } catch (error) {
        const again = transientReason(error);
        if (again === undefined) throw error;
        failures++;
        if (failures >= policy.attempts)
          throw new Error(
            `${label}: reading the chain again failed ${failures} times in a row; last: ${again}. ${settledSoFar()}; run the same command again to continue.`,
            { cause: error },
          );
        const wait = backoffDelay(policy, failures);
        retry.onRetry?.({
          what: `reading the chain again after ${label}`,
          attempt: failures,
          attempts: policy.attempts,
          delayMs: wait,
          reason: again,
        });
        await sleep(wait);
      }
    }
    const stillOpen = new Set(work.flatMap((w) => w.rows.map((r) => r.line)));
    if (refused && item.rows.every((r) => stillOpen.has(r.line))) {
      // Nothing about these lines changed on chain: the refusal stands.
      throw new Error(failedMessage());
    }
    verified = false;
  }
  tally();
  return report;
}
