/**
 * Recording the payouts of a roster: plan from the chain's own state which lines are still to be
 * paid (and which can never be, and why), then send them in chunks of many lines, one multiproof per
 * chunk. The plan is read from the chain every time, so a run that was killed — or whose node was
 * restarted — resumes where it stopped without paying anyone twice: the contract itself refuses a
 * line or a household already paid.
 *
 * Within one run, a transient failure of the connection (refused, reset, timed out, a gateway's
 * 5xx) is retried with bounded exponential backoff. When the failure leaves a chunk's outcome
 * unknown (the send's answer or the receipt was lost), the run does not guess: it waits until the
 * account has nothing pending, reads the plan from the chain again and pays only what is still
 * unpaid. The same re-reading catches lines the node lost (a restart from an older saved state)
 * after the run had their receipts: they are paid again, once.
 */
import type { Provider, Signer } from "ethers";

import { batchProof, type LineTree, packLine, type RosterLine, seqText } from "../lines.js";
import { isWithinRegion } from "../roster/village.js";
import { connectSuite, type Suite } from "../suite.js";
import { describeError } from "./errors.js";
import {
  backoffDelay,
  isContractRefusal,
  OutcomeUnknownError,
  retryingReads,
  type RetryOptions,
  retryPolicy,
  sendOnce,
  sleep,
  TransactionRevertedError,
  transientReason,
  waitForNoPending,
  waitForReceipt,
} from "./signers.js";
import { rosterStateName } from "./states.js";
import { Bitmap, bitAt, householdInBlock, readWords } from "./words.js";

export type SkipReason =
  | "objection-hold"
  | "household-suspended"
  | "household-paid-elsewhere"
  | "unregistered-household"
  | "household-outside-region"
  | "above-cap";

export interface PayoutPlan {
  rosterId: bigint;
  programmeId: bigint;
  /** Lines to pay now, in line order. */
  payable: RosterLine[];
  /** Lines already paid on chain (by an earlier run or another operator). */
  alreadyPaid: number;
  /** Lines that cannot be paid now, with the reason. */
  skipped: Array<{ line: RosterLine; reason: SkipReason }>;
  /** What the roster still reserves for payouts. */
  remaining: bigint;
  /** Some line of the roster is frozen or excluded, so a payout reads holds (RosterBook.payoutTerms). */
  anyLineHeld: boolean;
}

/**
 * The most gas a payout transaction may use, as a cost model: measured with `npm run bench:gas`
 * (BENCHMARKS.md) and held above the real cost, for batches of every shape, by
 * test/ts/payout-gas.test.ts. Sending with this limit spares the node an estimate, which costs it as
 * much as executing the payout; and chunks are cut by it, so that a batch of scattered households
 * (a new word for each) stays under the transaction cap.
 */
export const PAYOUT_GAS = {
  /** Per transaction: intrinsic gas, three access checks, roster and ledger accounting, the batch hash and events (about 171,000 in all for a one-line batch). */
  transaction: 240_000n,
  /** Per line: 32 bytes of calldata, its checks, its PayoutRecorded event, its leaf and a proof step (about 3,650 beside the terms below). */
  line: 4_200n,
  /** Per word of 256 paid bits the batch touches: read, and written from zero at worst. */
  lineWord: 25_000n,
  /** Per word of 256 households the batch touches: the suspended word read, the paid word read and written from zero at worst. */
  householdWord: 30_000n,
  /** Per hold word of 128 lines read (only while some line of the roster is frozen or excluded). */
  holdWord: 4_000n,
  /** Per proof hash: 32 bytes of calldata and a hash step. */
  proofHash: 800n,
} as const;

/** The payout's memory: its proof's work queue is two words a line (quadratic memory pricing). */
function memoryGas(lines: number): bigint {
  const words = BigInt(2 * lines + 64);
  return 3n * words + (words * words) / 512n;
}

/** What a batch touches, kept as lines are added to it, and the gas bound that follows. */
class BatchCost {
  readonly lines: RosterLine[] = [];
  private readonly lineWords = new Set<number>();
  private readonly holdWords = new Set<number>();
  private readonly householdWords = new Set<bigint>();
  /** Runs of consecutive line indices. */
  runs = 0;

  constructor(private readonly anyLineHeld: boolean) {}

  add(line: RosterLine): void {
    const last = this.lines[this.lines.length - 1];
    if (!last || line.index !== last.index + 1) this.runs++;
    this.lines.push(line);
    this.lineWords.add(line.index >>> 8);
    this.holdWords.add(line.index >>> 7);
    this.householdWords.add(line.household >> 8n);
  }

  bound(proofHashes: number): bigint {
    return (
      PAYOUT_GAS.transaction +
      PAYOUT_GAS.line * BigInt(this.lines.length) +
      PAYOUT_GAS.lineWord * BigInt(this.lineWords.size) +
      PAYOUT_GAS.householdWord * BigInt(this.householdWords.size) +
      (this.anyLineHeld ? PAYOUT_GAS.holdWord * BigInt(this.holdWords.size) : 0n) +
      PAYOUT_GAS.proofHash * BigInt(proofHashes) +
      memoryGas(this.lines.length)
    );
  }
}

/** An upper bound on the gas of `recordPayouts` for `lines` (ascending) with `proofHashes` proof hashes. */
export function payoutGasBound(lines: readonly RosterLine[], proofHashes: number, anyLineHeld: boolean): bigint {
  const cost = new BatchCost(anyLineHeld);
  for (const line of lines) cost.add(line);
  return cost.bound(proofHashes);
}

/** The transaction gas cap of EIP-7825. */
export const TX_GAS_CAP = 16_777_216n;

/**
 * Cuts `lines` (ascending) into chunks of at most `maxLines` lines whose gas bound stays within
 * `maxGas`. The proof's size is not known until a chunk is chosen, so it is bounded here by two
 * sibling paths (`depth` hashes each) per run of consecutive lines.
 */
export function chunkLines(
  lines: readonly RosterLine[],
  maxLines: number,
  maxGas: bigint,
  depth: number,
  anyLineHeld: boolean,
): RosterLine[][] {
  const chunks: RosterLine[][] = [];
  let cost = new BatchCost(anyLineHeld);
  for (const line of lines) {
    cost.add(line);
    if (cost.lines.length > maxLines || cost.bound(2 * depth * cost.runs) > maxGas) {
      const full = cost.lines.slice(0, -1);
      if (full.length === 0) throw new Error(`${seqText(line.index)} alone would need more than ${maxGas} gas`);
      chunks.push(full);
      cost = new BatchCost(anyLineHeld);
      cost.add(line);
    }
  }
  if (cost.lines.length > 0) chunks.push(cost.lines);
  return chunks;
}

/** The most gas one transaction may use on the chain `provider` reads: the block gas limit or the EIP-7825 cap, the lower. */
export async function transactionGasLimit(provider: Pick<Provider, "getBlock">): Promise<bigint> {
  const latest = await provider.getBlock("latest");
  return latest && latest.gasLimit < TX_GAS_CAP ? latest.gasLimit : TX_GAS_CAP;
}

/** The chunks a run sends `lines` (ascending) in, for a roster tree of `treeLines` lines. */
export function payoutChunks(
  lines: readonly RosterLine[],
  treeLines: number,
  options: { chunkSize: number; maxGas?: bigint; anyLineHeld: boolean },
): RosterLine[][] {
  // A proof path has one hash per level of the tree.
  const depth = Math.ceil(Math.log2(Math.max(2, treeLines))) + 1;
  return chunkLines(lines, options.chunkSize, options.maxGas ?? TX_GAS_CAP, depth, options.anyLineHeld);
}

/** Reads the chain and classifies every line of the roster. */
export async function planPayout(
  suite: Suite,
  rosterId: bigint,
  roster: { root: string; lines: readonly RosterLine[] },
): Promise<PayoutPlan> {
  const onChain = await suite.rosterBook.roster(rosterId);
  if (onChain.root.toLowerCase() !== roster.root.toLowerCase()) {
    throw new Error(
      `roster ${rosterId} on chain has root ${onChain.root}, but this bundle's root is ${roster.root}: wrong bundle or wrong roster id`,
    );
  }
  const state = rosterStateName(await suite.rosterBook.rosterState(rosterId));
  if (state !== "Payable") {
    const detail =
      state === "InPublicity"
        ? ` (publicity ends at ${new Date((Number(onChain.approvedAt) + Number(onChain.publicityPeriod)) * 1000).toISOString()})`
        : "";
    throw new Error(`roster ${rosterId} is ${state}, not Payable${detail}`);
  }
  const programmeId = onChain.programmeId;
  const [cap, terms] = await Promise.all([
    suite.programmes.householdCap(programmeId),
    suite.rosterBook.payoutTerms(rosterId),
  ]);
  const lines = roster.lines;
  const householdWords = lines.map((l) => l.household >> 8n);
  const [paid, holds, suspended, paidHouseholds, blocks] = await Promise.all([
    readWords(
      suite,
      Bitmap.PaidLines,
      rosterId,
      lines.map((l) => BigInt(l.index) >> 8n),
    ),
    // No line of the roster is frozen or excluded: every hold word is zero.
    terms.anyLineHeld
      ? readWords(
          suite,
          Bitmap.Holds,
          rosterId,
          lines.map((l) => BigInt(l.index) >> 7n),
        )
      : new Map<bigint, bigint>(),
    readWords(suite, Bitmap.Suspended, 0n, householdWords),
    readWords(suite, Bitmap.PaidHouseholds, programmeId, householdWords),
    readWords(suite, Bitmap.HouseholdBlocks, 0n, householdWords),
  ]);

  const plan: PayoutPlan = {
    rosterId,
    programmeId,
    payable: [],
    alreadyPaid: 0,
    skipped: [],
    remaining: 0n,
    anyLineHeld: terms.anyLineHeld,
  };
  plan.remaining = onChain.total - onChain.paid - onChain.excluded - onChain.released;
  for (const line of lines) {
    const index = BigInt(line.index);
    if (bitAt(paid.get(index >> 8n) ?? 0n, index & 0xffn)) {
      plan.alreadyPaid++;
      continue;
    }
    const hold = ((holds.get(index >> 7n) ?? 0n) >> ((index & 127n) * 2n)) & 3n;
    const hBit = line.household & 0xffn;
    const block = householdInBlock(blocks.get(line.household >> 8n) ?? 0n, line.household);
    const reason: SkipReason | undefined =
      hold !== 0n
        ? "objection-hold"
        : !block.registered
          ? "unregistered-household"
          : !isWithinRegion(block.region, terms.region)
            ? "household-outside-region"
            : bitAt(suspended.get(line.household >> 8n) ?? 0n, hBit)
              ? "household-suspended"
              : bitAt(paidHouseholds.get(line.household >> 8n) ?? 0n, hBit)
                ? "household-paid-elsewhere"
                : line.amount > cap || line.amount === 0n
                  ? "above-cap"
                  : undefined;
    if (reason) plan.skipped.push({ line, reason });
    else plan.payable.push(line);
  }
  return plan;
}

export interface PayoutProgress {
  chunk: number;
  chunks: number;
  linesSent: number;
  linesTotal: number;
  txHash: string;
}

/** What a re-reading of the chain after a failure found. */
export interface PayoutRecheck {
  /** Why the chain was read again. */
  reason: string;
  /** The check at the end of the run (nothing failed before it, necessarily). */
  final: boolean;
  /** Lines of this run found paid although no receipt was seen (a send whose answer was lost). */
  landedWithoutReceipt: number;
  /** Lines this run had receipts for that the chain no longer shows as paid (the node lost blocks). */
  lostAfterReceipt: number;
  /** Lines of this run that can no longer be paid (suspended, objected, … meanwhile). */
  nowSkipped: Array<{ line: RosterLine; reason: SkipReason }>;
  /** Lines still to pay after this reading. */
  toPay: number;
}

export interface PayoutReport {
  /** Lines of the plan that are paid on chain at the end of the run (by this run's transactions). */
  paidLines: number;
  paidAmount: bigint;
  /** Transactions with a receipt whose lines are still paid on chain. */
  transactions: string[];
  gasUsed: bigint;
  /** Lines those transactions paid (gasUsed is theirs). */
  linesWithReceipt: number;
  /** Chunk attempts that failed transiently and were retried after re-reading the chain. */
  retries: number;
  /** Lines found paid on re-reading although their send's answer was lost. */
  landedWithoutReceipt: number;
  /** Lines paid again because the node lost the blocks that had paid them. */
  paidAgain: number;
  /** Lines of the plan that could no longer be paid when the chain was read again. */
  nowSkipped: Array<{ line: RosterLine; reason: SkipReason }>;
  /** Chunks that ran out of the gas limit of the cost model (PAYOUT_GAS); the rest of the run let the node estimate. */
  gasModelMisses: number;
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

interface SentChunk {
  hash: string;
  lines: RosterLine[];
  gasUsed: bigint;
}

/**
 * The light re-reading: which of `lines` carry the paid bit now (one call per 256 lines). Unpaid
 * lines keep the classification they had (payable, or skipped as `skipped`): a line that became
 * unpayable since is refused by the contract, and a refusal is followed by a full plan.
 */
async function paidBitsPlan(
  suite: Suite,
  rosterId: bigint,
  lines: readonly RosterLine[],
  skipped: ReadonlySet<number>,
): Promise<Pick<PayoutPlan, "payable" | "skipped">> {
  const words = await readWords(
    suite,
    Bitmap.PaidLines,
    rosterId,
    lines.map((l) => BigInt(l.index) >> 8n),
  );
  const unpaid = lines.filter((l) => !bitAt(words.get(BigInt(l.index) >> 8n) ?? 0n, BigInt(l.index) & 0xffn));
  return { payable: unpaid.filter((l) => !skipped.has(l.index)), skipped: [] };
}

const linesText = (lines: readonly RosterLine[]) =>
  lines.length === 0 ? "no lines" : seqText(lines[0]!.index, lines[lines.length - 1]!.index);

/**
 * Sends the plan's payable lines in chunks of at most `chunkSize` lines that fit the gas cap
 * (chunkLines), each with the gas limit of the cost model (payoutGasBound), `window` transactions
 * in flight at most, in nonce order, receipts awaited oldest first. A transient failure is retried (at most `retry.policy.attempts` failures in a row): the chain is read again
 * first and only lines still unpaid are sent, so no chunk whose lines are paid is ever resent. A
 * refusal by the contract is checked against the chain too: if the chunk's lines were paid meanwhile
 * (an earlier send landed late) the run goes on, otherwise it stops with the refusal. Stops with a
 * message naming the chunk; everything before it stays paid and a rerun (which plans again from the
 * chain) continues after it. At the end the chain is read once more to confirm that every line
 * sent is paid.
 */
export async function sendPayouts(
  suite: Suite,
  signer: Signer,
  plan: PayoutPlan,
  tree: LineTree,
  options: SendPayoutsOptions,
): Promise<PayoutReport> {
  const retry = options.retry ?? {};
  const policy = retryPolicy(retry);
  const window = Math.max(1, Math.floor(options.window ?? 1));
  if (!signer.provider) throw new Error("the signer has no provider");
  const provider = retryingReads(signer.provider, retry);
  const reads = connectSuite(suite.addresses, provider);
  const disbursement = suite.addresses.disbursement;
  const iface = suite.disbursement.interface;
  const ours = plan.payable;
  const amountOf = (lines: Iterable<RosterLine>) => {
    let sum = 0n;
    for (const l of lines) sum += l.amount;
    return sum;
  };

  // Lines this run knows are paid, and the transactions that paid them.
  const paid = new Map<number, RosterLine>();
  const sent: SentChunk[] = [];
  const report: PayoutReport = {
    paidLines: 0,
    paidAmount: 0n,
    transactions: [],
    gasUsed: 0n,
    linesWithReceipt: 0,
    retries: 0,
    landedWithoutReceipt: 0,
    paidAgain: 0,
    nowSkipped: [],
    gasModelMisses: 0,
  };
  const settle = () => {
    report.paidLines = paid.size;
    report.paidAmount = amountOf(paid.values());
    report.transactions = sent.map((c) => c.hash);
    report.gasUsed = sent.reduce((s, c) => s + c.gasUsed, 0n);
    report.linesWithReceipt = sent.reduce((s, c) => s + c.lines.length, 0);
  };
  const paidBefore = () => `${paid.size} lines were paid before it; run the same command again to continue.`;

  /**
   * Reads this run's lines from the chain again and reconciles what this run knows. After a
   * transient failure only the paid bits are read (which lines landed, which the node lost); after a
   * refusal (`full`) the whole plan, since a line may have become unpayable meanwhile.
   */
  const recheck = async (reason: string, how: { final?: boolean; full?: boolean } = {}): Promise<RosterLine[]> => {
    await waitForNoPending(signer, { retry });
    const skippedBefore = new Set(report.nowSkipped.map((s) => s.line.index));
    const fresh = how.full
      ? await planPayout(reads, plan.rosterId, { root: tree.root, lines: ours })
      : await paidBitsPlan(reads, plan.rosterId, ours, skippedBefore);
    const unpaid = new Set([...fresh.payable.map((l) => l.index), ...fresh.skipped.map((s) => s.line.index)]);
    const result: PayoutRecheck = {
      reason,
      final: how.final ?? false,
      landedWithoutReceipt: 0,
      lostAfterReceipt: 0,
      nowSkipped: [],
      toPay: fresh.payable.length,
    };
    for (const line of ours) {
      if (!unpaid.has(line.index) && !paid.has(line.index)) {
        paid.set(line.index, line);
        result.landedWithoutReceipt++;
      } else if (unpaid.has(line.index) && paid.has(line.index)) {
        paid.delete(line.index);
        result.lostAfterReceipt++;
      }
    }
    if (result.lostAfterReceipt > 0) {
      // A transaction is all or nothing: drop the ones whose lines the chain no longer has.
      for (let i = sent.length - 1; i >= 0; i--) if (sent[i]!.lines.some((l) => !paid.has(l.index))) sent.splice(i, 1);
    }
    result.nowSkipped = fresh.skipped.filter((s) => !skippedBefore.has(s.line.index));
    report.nowSkipped.push(...result.nowSkipped);
    report.landedWithoutReceipt += result.landedWithoutReceipt;
    report.paidAgain += result.lostAfterReceipt;
    settle();
    options.onRecheck?.(result);
    return fresh.payable;
  };

  const maxGas = await transactionGasLimit(provider);
  let estimateGas = false; // after the cost model fell short once, the node estimates every chunk

  let pending = ours.slice();
  let failures = 0; // in a row, without progress
  let completed = 0; // chunks with a receipt
  let finalChecks = 0;
  for (;;) {
    if (pending.length === 0) {
      // Everything sent has a receipt (or was found paid): confirm it with the chain once, which also
      // catches a node that lost blocks after their receipts (it restarted from an older state).
      if (++finalChecks > policy.attempts) {
        throw new Error(
          `the chain lost paid lines again after ${policy.attempts} checks; is the node stable? ${paidBefore()}`,
        );
      }
      try {
        pending = await recheck("checking that every line sent is paid", { final: true });
      } catch (error) {
        const reason = transientReason(error);
        if (reason === undefined) throw error;
        throw new Error(
          `all chunks were sent and have receipts, but the final check against the chain failed (${reason}). ${paidBefore()}`,
          { cause: error },
        );
      }
      if (pending.length === 0) break;
      continue;
    }

    // Send the chunks in nonce order, at most `window` without a receipt; receipts oldest first.
    const chunks = payoutChunks(pending, tree.length, {
      chunkSize: options.chunkSize,
      maxGas,
      anyLineHeld: plan.anyLineHeld,
    });
    const total = completed + chunks.length;
    const inFlight: Array<{ chunk: RosterLine[]; label: string; gasLimit?: bigint; receipt: Promise<SentChunk> }> = [];
    let failed: { chunk: RosterLine[]; label: string; gasLimit?: bigint; error: unknown } | undefined;
    let progressed = false;
    const settleOldest = async () => {
      const f = inFlight.shift()!;
      let c: SentChunk;
      try {
        c = await f.receipt;
      } catch (error) {
        failed ??= { chunk: f.chunk, label: f.label, gasLimit: f.gasLimit, error };
        return;
      }
      progressed = true;
      completed++;
      sent.push(c);
      for (const line of c.lines) paid.set(line.index, line);
      settle();
      options.onProgress?.({
        chunk: completed,
        chunks: total,
        linesSent: paid.size,
        linesTotal: ours.length,
        txHash: c.hash,
      });
    };
    for (const chunk of chunks) {
      if (failed) break;
      while (inFlight.length >= window) await settleOldest();
      if (failed) break;
      const label = `chunk ${completed + inFlight.length + 1} of ${total} (${linesText(chunk)})`;
      let gasLimit: bigint | undefined;
      try {
        const batch = batchProof(
          tree,
          chunk.map((x) => x.index),
        );
        gasLimit = estimateGas ? undefined : payoutGasBound(batch.lines, batch.proof.length, plan.anyLineHeld);
        const data = iface.encodeFunctionData("recordPayouts", [plan.rosterId, batch.lines.map(packLine), batch.proof]);
        const hash = await sendOnce(signer, { to: disbursement, data, gasLimit });
        const receipt = waitForReceipt(provider, hash, { timeoutMs: options.receiptTimeoutMs }).then((r) => ({
          hash: r.hash,
          lines: chunk,
          gasUsed: r.gasUsed,
        }));
        receipt.catch(() => undefined); // awaited in settleOldest; no unhandled rejection meanwhile
        inFlight.push({ chunk, label, gasLimit, receipt });
      } catch (error) {
        failed = { chunk, label, gasLimit, error };
      }
    }
    while (inFlight.length > 0) await settleOldest();
    if (progressed) failures = 0;
    if (!failed) {
      pending = [];
      continue;
    }

    const { label, error: failure } = failed;
    const outOfGas =
      failure instanceof TransactionRevertedError &&
      failed.gasLimit !== undefined &&
      failure.gasUsed !== undefined &&
      failure.gasUsed * 100n >= failed.gasLimit * 99n;
    if (outOfGas) {
      // The cost model gave too little: nothing of the chunk was paid; let the node estimate from now on.
      estimateGas = true;
      report.gasModelMisses++;
      options.onGasModelMiss?.(label);
    }
    const reason = outOfGas ? "out of gas" : transientReason(failure);
    const refused = reason === undefined;
    if (refused && !isContractRefusal(failure)) {
      throw new Error(`${label} failed: ${describeError(failure)}. ${paidBefore()}`);
    }
    failures++;
    const what = refused ? describeError(failure) : failure instanceof OutcomeUnknownError ? failure.message : reason;
    if (failures >= policy.attempts) {
      throw new Error(`${label} failed ${failures} times in a row; last: ${what}. ${paidBefore()}`);
    }
    const delayMs = refused || outOfGas ? 0 : backoffDelay(policy, failures);
    if (!refused && !outOfGas) {
      report.retries++;
      retry.onRetry?.({ what: label, attempt: failures, attempts: policy.attempts, delayMs, reason: what });
      await sleep(delayMs);
    }
    // Read the chain again instead of guessing; repeat the reading while it fails transiently.
    for (;;) {
      try {
        pending = await recheck(`${label}: ${what}`, { full: refused });
        break;
      } catch (error) {
        const again = transientReason(error);
        if (again === undefined)
          throw new Error(`reading the chain again after ${label} failed: ${describeError(error)}. ${paidBefore()}`, {
            cause: error,
          });
        failures++;
        if (failures >= policy.attempts)
          throw new Error(
            `${label}: reading the chain again failed ${failures} times in a row; last: ${again}. ${paidBefore()}`,
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
    const stillPending = new Set(pending.map((l) => l.index));
    if (refused && failed.chunk.every((l) => stillPending.has(l.index))) {
      // Nothing about these lines changed on chain: the refusal stands.
      throw new Error(`${label} failed: ${describeError(failure)}. ${paidBefore()}`);
    }
  }
  settle();
  return report;
}
