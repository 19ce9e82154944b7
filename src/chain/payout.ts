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
import type { Signer } from "ethers";

import { batchProof, type LineTree, packLine, type RosterLine } from "../lines.js";
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
  transientReason,
  waitForNoPending,
  waitForReceipt,
} from "./signers.js";
import { rosterStateName } from "./states.js";
import { bitAt, readWords } from "./words.js";

export type SkipReason = "objection-hold" | "household-suspended" | "household-paid-elsewhere" | "unregistered-household" | "above-cap";

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
}


/** Reads the chain and classifies every line of the roster. */
export async function planPayout(suite: Suite, rosterId: bigint, roster: { root: string; lines: readonly RosterLine[] }): Promise<PayoutPlan> {
  const onChain = await suite.rosterBook.roster(rosterId);
  if (onChain.root.toLowerCase() !== roster.root.toLowerCase()) {
    throw new Error(`roster ${rosterId} on chain has root ${onChain.root}, but this bundle's root is ${roster.root}: wrong bundle or wrong roster id`);
  }
  const state = rosterStateName(await suite.rosterBook.rosterState(rosterId));
  if (state !== "Payable") {
    const detail = state === "InPublicity"
      ? ` (publicity ends at ${new Date((Number(onChain.approvedAt) + Number(onChain.publicityPeriod)) * 1000).toISOString()})`
      : "";
    throw new Error(`roster ${rosterId} is ${state}, not Payable${detail}`);
  }
  const programmeId = onChain.programmeId;
  const [cap, householdCount] = await Promise.all([
    suite.programmes.householdCap(programmeId),
    suite.households.householdCount(),
  ]);
  const lines = roster.lines;
  const lineWords = lines.map((l) => BigInt(l.index) >> 8n);
  const holdWords = lines.map((l) => BigInt(l.index) >> 7n);
  const householdWords = lines.map((l) => l.household >> 8n);
  const [paid, holds, suspended, paidHouseholds] = await Promise.all([
    readWords(lineWords, (w) => suite.disbursement.paidLinesWord(rosterId, w)),
    readWords(holdWords, (w) => suite.rosterBook.holdWord(rosterId, w)),
    readWords(householdWords, (w) => suite.households.suspendedWord(w)),
    readWords(householdWords, (w) => suite.disbursement.paidHouseholdsWord(programmeId, w)),
  ]);

  const plan: PayoutPlan = { rosterId, programmeId, payable: [], alreadyPaid: 0, skipped: [], remaining: 0n };
  plan.remaining = onChain.total - onChain.paid - onChain.excluded - onChain.released;
  for (const line of lines) {
    const index = BigInt(line.index);
    if (bitAt(paid.get(index >> 8n) ?? 0n, index & 0xffn)) {
      plan.alreadyPaid++;
      continue;
    }
    const hold = ((holds.get(index >> 7n) ?? 0n) >> ((index & 127n) * 2n)) & 3n;
    const hBit = line.household & 0xffn;
    const reason: SkipReason | undefined =
      hold !== 0n
        ? "objection-hold"
        : line.household === 0n || line.household > householdCount
          ? "unregistered-household"
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
}

export interface SendPayoutsOptions {
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
   * Above 1, chunks are sent one after another in nonce order and receipts are awaited oldest first,
   * never more than `window` unanswered; on the first failure nothing more is sent, the chunks in
   * flight are waited for, and the run goes on as with one chunk at a time (re-reading the chain).
   */
  window?: number;
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
async function paidBitsPlan(suite: Suite, rosterId: bigint, lines: readonly RosterLine[], skipped: ReadonlySet<number>): Promise<Pick<PayoutPlan, "payable" | "skipped">> {
  const words = await readWords(lines.map((l) => BigInt(l.index) >> 8n), (w) => suite.disbursement.paidLinesWord(rosterId, w));
  const unpaid = lines.filter((l) => !bitAt(words.get(BigInt(l.index) >> 8n) ?? 0n, BigInt(l.index) & 0xffn));
  return { payable: unpaid.filter((l) => !skipped.has(l.index)), skipped: [] };
}

const linesText = (lines: readonly RosterLine[]) => (lines.length === 0 ? "no lines" : `lines ${lines[0]!.index}…${lines[lines.length - 1]!.index}`);

/**
 * Sends the plan's payable lines in chunks of `chunkSize`, waiting for each receipt. A transient
 * failure is retried (at most `retry.policy.attempts` failures in a row): the chain is read again
 * first and only lines still unpaid are sent, so no chunk whose lines are paid is ever resent. A
 * refusal by the contract is checked against the chain too: if the chunk's lines were paid meanwhile
 * (an earlier send landed late) the run goes on, otherwise it stops with the refusal. Stops with a
 * message naming the chunk; everything before it stays paid and a rerun (which plans again from the
 * chain) continues after it. At the end the chain is read once more to confirm that every line
 * sent is paid.
 */
export async function sendPayouts(suite: Suite, signer: Signer, plan: PayoutPlan, tree: LineTree, options: SendPayoutsOptions): Promise<PayoutReport> {
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
    const result: PayoutRecheck = { reason, final: how.final ?? false, landedWithoutReceipt: 0, lostAfterReceipt: 0, nowSkipped: [], toPay: fresh.payable.length };
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

  let pending = ours.slice();
  let failures = 0; // in a row, without progress
  let completed = 0; // chunks with a receipt
  let verified = false;
  let finalChecks = 0;
  for (;;) {
    if (pending.length === 0) {
      // Everything sent has a receipt (or was found paid): confirm it with the chain once, which also
      // catches a node that lost blocks after their receipts (it restarted from an older state).
      if (verified) break;
      verified = true;
      if (++finalChecks > policy.attempts) {
        throw new Error(`the chain lost paid lines again after ${policy.attempts} checks; is the node stable? ${paidBefore()}`);
      }
      try {
        pending = await recheck("checking that every line sent is paid", { final: true });
      } catch (error) {
        const reason = transientReason(error);
        if (reason === undefined) throw error;
        throw new Error(`all chunks were sent and have receipts, but the final check against the chain failed (${reason}). ${paidBefore()}`);
      }
      if (pending.length === 0) break;
      verified = false;
      continue;
    }
    let chunk = pending.slice(0, options.chunkSize);
    const chunkNumber = completed + 1;
    const chunks = completed + Math.ceil(pending.length / options.chunkSize);
    let label = `chunk ${chunkNumber} of ${chunks} (${linesText(chunk)})`;
    let done: SentChunk | undefined;
    let failure: unknown;
    if (window > 1) {
      // Pipelined: up to `window` transactions unanswered, sent in nonce order, receipts oldest first.
      const inFlight: Array<{ chunk: RosterLine[]; label: string; receipt: Promise<SentChunk> }> = [];
      let failed: { chunk: RosterLine[]; label: string; error: unknown } | undefined;
      let progressed = false;
      const settleOldest = async () => {
        const f = inFlight.shift()!;
        try {
          const c = await f.receipt;
          progressed = true;
          completed++;
          sent.push(c);
          for (const line of c.lines) paid.set(line.index, line);
          settle();
          options.onProgress?.({ chunk: completed, chunks, linesSent: paid.size, linesTotal: ours.length, txHash: c.hash });
        } catch (error) {
          failed ??= { chunk: f.chunk, label: f.label, error };
        }
      };
      let offset = 0;
      let number = chunkNumber;
      while (offset < pending.length && !failed) {
        if (inFlight.length >= window) {
          await settleOldest();
          continue;
        }
        const c = pending.slice(offset, offset + options.chunkSize);
        const l = `chunk ${number} of ${chunks} (${linesText(c)})`;
        try {
          const batch = batchProof(tree, c.map((x) => x.index));
          const data = iface.encodeFunctionData("recordPayouts", [plan.rosterId, batch.lines.map(packLine), batch.proof]);
          const hash = await sendOnce(signer, { to: disbursement, data });
          const receipt = waitForReceipt(provider, hash, { timeoutMs: options.receiptTimeoutMs }).then((r) => ({ hash: r.hash, lines: c, gasUsed: r.gasUsed }));
          receipt.catch(() => undefined); // awaited in settleOldest; no unhandled rejection meanwhile
          inFlight.push({ chunk: c, label: l, receipt });
        } catch (error) {
          failed = { chunk: c, label: l, error };
          break;
        }
        offset += c.length;
        number++;
      }
      while (inFlight.length > 0) await settleOldest();
      if (progressed) failures = 0;
      if (!failed) {
        pending = [];
        continue;
      }
      chunk = failed.chunk;
      label = failed.label;
      failure = failed.error;
    } else {
      try {
        const batch = batchProof(tree, chunk.map((l) => l.index));
        const data = iface.encodeFunctionData("recordPayouts", [plan.rosterId, batch.lines.map(packLine), batch.proof]);
        const hash = await sendOnce(signer, { to: disbursement, data });
        const receipt = await waitForReceipt(provider, hash, { timeoutMs: options.receiptTimeoutMs });
        done = { hash: receipt.hash, lines: chunk, gasUsed: receipt.gasUsed };
      } catch (error) {
        failure = error;
      }
    }
    if (done) {
      failures = 0;
      completed++;
      sent.push(done);
      for (const line of chunk) paid.set(line.index, line);
      settle();
      pending = pending.slice(chunk.length);
      options.onProgress?.({ chunk: chunkNumber, chunks, linesSent: paid.size, linesTotal: ours.length, txHash: done.hash });
      continue;
    }

    const reason = transientReason(failure);
    const refused = reason === undefined;
    if (refused && !isContractRefusal(failure)) {
      throw new Error(`${label} failed: ${describeError(failure)}. ${paidBefore()}`);
    }
    failures++;
    const what = refused ? describeError(failure) : failure instanceof OutcomeUnknownError ? failure.message : reason;
    if (failures >= policy.attempts) {
      throw new Error(`${label} failed ${failures} times in a row; last: ${what}. ${paidBefore()}`);
    }
    const delayMs = refused ? 0 : backoffDelay(policy, failures);
    if (!refused) {
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
        if (again === undefined) throw new Error(`reading the chain again after ${label} failed: ${describeError(error)}. ${paidBefore()}`);
        failures++;
        if (failures >= policy.attempts) throw new Error(`${label}: reading the chain again failed ${failures} times in a row; last: ${again}. ${paidBefore()}`);
        const wait = backoffDelay(policy, failures);
        retry.onRetry?.({ what: `reading the chain again after ${label}`, attempt: failures, attempts: policy.attempts, delayMs: wait, reason: again });
        await sleep(wait);
      }
    }
    const stillPending = new Set(pending.map((l) => l.index));
    if (refused && chunk.every((l) => stillPending.has(l.index))) {
      // Nothing about these lines changed on chain: the refusal stands.
      throw new Error(`${label} failed: ${describeError(failure)}. ${paidBefore()}`);
    }
    verified = false;
  }
  settle();
  return report;
}
