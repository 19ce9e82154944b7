/**
 * Sending a bank settlement: confirmations in chunks (confirmPayouts), then returns grouped by the
 * payout batch that paid each line (returnPayouts carries that batch's lines), through the one
 * resumable sender (src/chain/resumable.ts): nothing settled is sent twice, a refusal stands only
 * if nothing changed on chain, and lines the node lost after their receipts are settled again, once.
 */
import type { Signer } from "ethers";

import type { PaidLineRecord } from "./batches.js";
import type { RosterLine } from "../lines.js";
import { type BankResultRow, BankResultsRejectedError, type SettlementOutcome } from "../roster/bank-results.js";
import type { Suite } from "../suite.js";
import { seqText } from "../lines.js";
import { type ChainReading, type Chunk, type Recheck, type SendReport, sendResumable } from "./resumable.js";
import { planSettlement, type SettlementPlan } from "./settlement-plan.js";
import { readingSuite, type RetryOptions } from "../transport/index.js";

export interface SettlementProgress {
  kind: SettlementOutcome;
  chunk: number;
  chunks: number;
  lines: number;
  amount: bigint;
  txHash?: string;
  batchId?: number;
}

export interface SettlementReport extends SendReport {
  confirmed: { count: number; amount: bigint };
  returned: { count: number; amount: bigint };
  /** Rows settled on chain before this run (by an earlier run). */
  skipped: number;
  dryRun: boolean;
}

/** What a reading of the chain again found (src/chain/resumable.ts), by outcome. */
export interface SettlementRecheck extends Recheck {
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

/** A chunk of one kind, numbered among the chunks of its kind. */
interface Work {
  kind: SettlementOutcome;
  rows: BankResultRow[];
  /** For returns: the payout batch that paid every row's line. */
  batch?: PaidLineRecord["batch"];
  number: number;
  of: number;
}

/**
 * Sends the plan. `paid` is the chain's record of every paid line (paidBatchesOf). With `dryRun`,
 * every call is checked with staticCall and nothing is sent. Stops with a message naming the chunk;
 * what was sent before it stays, and a rerun skips it.
 */
export async function sendSettlement(
  suite: Suite,
  signer: Signer,
  plan: SettlementPlan,
  paid: ReadonlyMap<number, PaidLineRecord>,
  options: SendSettlementOptions,
): Promise<SettlementReport> {
  if (!signer.provider) throw new Error("the signer has no provider");
  const reads = readingSuite(suite, signer.provider, options.retry);
  const d = suite.disbursement.connect(signer);
  const recordOf = (row: BankResultRow): PaidLineRecord => {
    const record = paid.get(row.line);
    if (!record) {
      throw new Error(
        `roster ${plan.rosterId} ${seqText(row.line)} is Paid on chain but no payout batch of it was found in the chain's events`,
      );
    }
    return record;
  };
  const amountOf = (rows: Iterable<BankResultRow>) => {
    let sum = 0n;
    for (const r of rows) sum += recordOf(r).line.amount;
    return sum;
  };
  const ours = [...plan.toConfirm, ...plan.toReturn];
  ours.forEach(recordOf); // every line to settle must have its payout batch, before anything is sent
  const numbered = { confirmed: 0, returned: 0 };
  const works = new WeakMap<Chunk<BankResultRow>, Work>();

  const callOf = (work: Work) => {
    const refs = work.rows.map((r) => r.refHash);
    if (work.kind === "confirmed") {
      const indices = work.rows.map((r) => r.line);
      return {
        to: suite.addresses.disbursement,
        data: d.interface.encodeFunctionData("confirmPayouts", [plan.rosterId, indices, refs]),
        check: () => d.confirmPayouts.staticCall(plan.rosterId, indices, refs),
      };
    }
    const records = work.rows.map(recordOf);
    const positions = records.map((r) => r.position);
    const lines: RosterLine[] = records.map((r) => r.line);
    return {
      to: suite.addresses.disbursement,
      data: d.interface.encodeFunctionData("returnPayouts", [plan.rosterId, work.batch!, positions, lines, refs]),
      check: () => d.returnPayouts.staticCall(plan.rosterId, work.batch!, positions, lines, refs),
    };
  };

  const chunks = (toSend: readonly BankResultRow[]): Chunk<BankResultRow>[] => {
    const toConfirm = toSend.filter((r) => r.outcome === "confirmed");
    const byBatch = new Map<number, { record: PaidLineRecord; rows: BankResultRow[] }>();
    for (const row of toSend.filter((r) => r.outcome === "returned")) {
      const record = recordOf(row);
      const group = byBatch.get(record.batch.batchId) ?? { record, rows: [] };
      group.rows.push(row);
      byBatch.set(record.batch.batchId, group);
    }
    const confirmations = chunked(toConfirm, options.chunkSize).map((rows) => ({ rows, batch: undefined }));
    // Returns carry the whole batch that paid each line: group the rows by that batch.
    const returns = [...byBatch.values()]
      .sort((x, y) => x.record.batch.batchId - y.record.batch.batchId)
      .flatMap(({ record, rows }) => chunked(rows, options.chunkSize).map((c) => ({ rows: c, batch: record.batch })));
    const number = (kind: SettlementOutcome, list: Array<{ rows: BankResultRow[]; batch?: PaidLineRecord["batch"] }>) =>
      list.map((w, i): Work => ({ kind, ...w, number: numbered[kind] + i + 1, of: numbered[kind] + list.length }));
    return [...number("confirmed", confirmations), ...number("returned", returns)].map((work) => {
      const fileLines = work.rows.map((r) => r.fileLine);
      const label =
        work.kind === "confirmed"
          ? `confirmation chunk ${work.number} of ${work.of} (file lines ${fileLines[0]}…${fileLines[fileLines.length - 1]})`
          : `return chunk ${work.number} of ${work.of} (payout batch ${work.batch!.batchId}, file lines ${fileLines.join(", ")})`;
      const chunk: Chunk<BankResultRow> = { items: work.rows, label, build: () => callOf(work) };
      works.set(chunk, work);
      return chunk;
    });
  };

  let lastPlan = plan;
  const read = async (): Promise<ChainReading<BankResultRow>> => {
    lastPlan = await planSettlement(reads, plan.rosterId, ours);
    if (lastPlan.conflicts.length > 0) {
      throw new BankResultsRejectedError(
        "(the same file, read against the chain again)",
        lastPlan.conflicts,
        "now contradicts the chain",
      );
    }
    const open = [...lastPlan.toConfirm, ...lastPlan.toReturn];
    return { undone: open, toSend: open };
  };

  const settledSoFar = (done: readonly BankResultRow[]) => {
    const confirmed = done.filter((r) => r.outcome === "confirmed").length;
    return `${confirmed} confirmed and ${done.length - confirmed} returned lines were settled before it`;
  };

  const report = await sendResumable(
    signer,
    { items: ours, key: (row) => row.line, noun: "settlements", chunks, read, doneSoFar: settledSoFar },
    {
      dryRun: options.dryRun,
      retry: options.retry,
      receiptTimeoutMs: options.receiptTimeoutMs,
      onChunk: (c) => {
        const work = works.get(c.chunk)!;
        numbered[work.kind]++;
        options.onProgress?.({
          kind: work.kind,
          chunk: work.number,
          chunks: work.of,
          lines: work.rows.length,
          amount: amountOf(work.rows),
          txHash: c.txHash,
          batchId: work.batch?.batchId,
        });
      },
      onRecheck: (r) =>
        options.onRecheck?.({ ...r, toConfirm: lastPlan.toConfirm.length, toReturn: lastPlan.toReturn.length }),
    },
  );
  const { done, ...sendReport } = report;
  const confirmed = done.filter((r) => r.outcome === "confirmed");
  const returned = done.filter((r) => r.outcome === "returned");
  return {
    ...sendReport,
    confirmed: { count: confirmed.length, amount: amountOf(confirmed) },
    returned: { count: returned.length, amount: amountOf(returned) },
    skipped: plan.skipped.confirmed + plan.skipped.returned,
    dryRun: options.dryRun ?? false,
  };
}
