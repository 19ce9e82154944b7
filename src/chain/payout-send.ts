/**
 * Recording the payouts of a roster: the plan's payable lines (src/chain/payout-plan.ts) sent in
 * chunks of many lines, one multiproof per chunk, each with the gas limit of the cost model
 * (src/chain/payout-gas.ts), through the one resumable sender (src/chain/resumable.ts): a transient
 * failure is retried after the chain is read again, a refusal stands only if nothing changed on
 * chain, and lines the node lost after their receipts are paid again, once.
 */
import type { Signer } from "ethers";

import { batchProof, type LineTree, packLine, type RosterLine, seqText } from "../lines.js";
import { connectSuite, type Suite } from "../suite.js";
import { payoutChunks, payoutGasBound, transactionGasLimit } from "./payout-gas.js";
import { planPayout, type PayoutPlan, type SkipReason } from "./payout-plan.js";
import { type ChainReading, type Chunk, type Recheck, type SendReport, sendResumable } from "./resumable.js";
import { retryingReads, type RetryOptions } from "../transport/index.js";
import { Bitmap, bitAt, readWords } from "./words.js";

export interface PayoutProgress {
  chunk: number;
  chunks: number;
  linesSent: number;
  linesTotal: number;
  txHash: string;
}

/** What a reading of the chain again found (src/chain/resumable.ts), and the lines that became unpayable. */
export interface PayoutRecheck extends Recheck {
  /** Lines of this run that can no longer be paid (suspended, objected, … meanwhile). */
  nowSkipped: Array<{ line: RosterLine; reason: SkipReason }>;
}

export interface PayoutReport extends SendReport {
  /** Lines of the plan that are paid on chain at the end of the run (by this run's transactions). */
  paidLines: number;
  paidAmount: bigint;
  /** Lines of the plan that could no longer be paid when the chain was read again. */
  nowSkipped: Array<{ line: RosterLine; reason: SkipReason }>;
}

export interface SendPayoutsOptions {
  /** At most this many lines per transaction; chunks are also cut to stay within the gas cap (chunkLines). */
  chunkSize: number;
  onProgress?: (p: PayoutProgress) => void;
  /** Retry policy and notices for transient failures (reads and chunks alike). */
  retry?: RetryOptions;
  /** Told each time the chain is read again after a failure, and what it showed. */
  onRecheck?: (r: PayoutRecheck) => void;
  /** How long to wait for one transaction's receipt (default 5 minutes). */
  receiptTimeoutMs?: number;
  /**
   * Transactions in flight at once (default 1: send a chunk, wait for its receipt, send the next).
   * Chunks are sent one after another in nonce order and receipts are awaited oldest first, never
   * more than `window` unanswered; on the first failure nothing more is sent, the chunks in flight
   * are waited for, and the chain is read again before anything is resent.
   */
  window?: number;
  /** Told when a chunk ran out of the gas the cost model gave it, after which the node estimates. */
  onGasModelMiss?: (what: string) => void;
}

/**
 * The light reading of the chain: which of `lines` carry the paid bit now (one call per 256 lines).
 * After a refusal by the contract the whole plan is read instead (planPayout), since a line may have
 * become unpayable meanwhile.
 */
async function unpaidOf(suite: Suite, rosterId: bigint, lines: readonly RosterLine[]): Promise<RosterLine[]> {
  const words = await readWords(
    suite,
    Bitmap.PaidLines,
    rosterId,
    lines.map((l) => BigInt(l.index) >> 8n),
  );
  return lines.filter((l) => !bitAt(words.get(BigInt(l.index) >> 8n) ?? 0n, BigInt(l.index) & 0xffn));
}

const linesText = (lines: readonly RosterLine[]) =>
  lines.length === 0 ? "no lines" : seqText(lines[0]!.index, lines[lines.length - 1]!.index);

/**
 * Sends the plan's payable lines in chunks of at most `chunkSize` lines that fit the chain's gas
 * limit per transaction (payoutChunks), each with the gas limit of the cost model (payoutGasBound),
 * `window` transactions in flight at most. Stops with a message naming the chunk; everything before
 * it stays paid, and a rerun (which plans again from the chain) continues after it.
 */
export async function sendPayouts(
  suite: Suite,
  signer: Signer,
  plan: PayoutPlan,
  tree: LineTree,
  options: SendPayoutsOptions,
): Promise<PayoutReport> {
  if (!signer.provider) throw new Error("the signer has no provider");
  const provider = retryingReads(signer.provider, options.retry);
  const reads = connectSuite(suite.addresses, provider);
  const maxGas = await transactionGasLimit(provider);
  const iface = suite.disbursement.interface;
  let estimateGas = false; // after the cost model fell short once, the node estimates every chunk
  const nowSkipped: Array<{ line: RosterLine; reason: SkipReason }> = [];
  let newlySkipped: typeof nowSkipped = [];

  const chunks = (toSend: readonly RosterLine[], completed: number): Chunk<RosterLine>[] => {
    const cut = payoutChunks(toSend, tree.length, {
      chunkSize: options.chunkSize,
      maxGas,
      anyLineHeld: plan.anyLineHeld,
    });
    return cut.map((lines, i) => ({
      items: lines,
      label: `chunk ${completed + i + 1} of ${completed + cut.length} (${linesText(lines)})`,
      build: () => {
        const batch = batchProof(
          tree,
          lines.map((x) => x.index),
        );
        return {
          to: suite.addresses.disbursement,
          data: iface.encodeFunctionData("recordPayouts", [plan.rosterId, batch.lines.map(packLine), batch.proof]),
          gasLimit: estimateGas ? undefined : payoutGasBound(batch.lines, batch.proof.length, plan.anyLineHeld),
        };
      },
    }));
  };

  const read = async ({ full }: { full: boolean }): Promise<ChainReading<RosterLine>> => {
    const skippedBefore = new Set(nowSkipped.map((s) => s.line.index));
    if (!full) {
      const unpaid = await unpaidOf(reads, plan.rosterId, plan.payable);
      newlySkipped = [];
      return { undone: unpaid, toSend: unpaid.filter((l) => !skippedBefore.has(l.index)) };
    }
    const fresh = await planPayout(reads, plan.rosterId, { root: tree.root, lines: plan.payable });
    newlySkipped = fresh.skipped.filter((s) => !skippedBefore.has(s.line.index));
    nowSkipped.push(...newlySkipped);
    return { undone: [...fresh.payable, ...fresh.skipped.map((s) => s.line)], toSend: fresh.payable };
  };

  const report = await sendResumable(
    signer,
    {
      items: plan.payable,
      key: (line) => line.index,
      noun: "lines",
      chunks,
      read,
      onOutOfGas: (chunk) => {
        // The cost model gave too little: nothing of the chunk was paid; let the node estimate from now on.
        estimateGas = true;
        options.onGasModelMiss?.(chunk.label);
      },
      doneSoFar: (done) => `${done.length} lines were paid before it`,
    },
    {
      window: options.window,
      retry: options.retry,
      receiptTimeoutMs: options.receiptTimeoutMs,
      onChunk: (c) =>
        options.onProgress?.({
          chunk: c.number,
          chunks: c.of,
          linesSent: c.itemsDone,
          linesTotal: c.itemsTotal,
          txHash: c.txHash!,
        }),
      onRecheck: (r) => options.onRecheck?.({ ...r, nowSkipped: newlySkipped }),
    },
  );
  const { done, ...sendReport } = report;
  return {
    ...sendReport,
    paidLines: done.length,
    paidAmount: done.reduce((sum, l) => sum + l.amount, 0n),
    nowSkipped,
  };
}
