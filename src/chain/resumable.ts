/**
 * The one loop that sends work to the chain in many transactions and decides, after any failure,
 * what still has to be sent: payouts (src/chain/payout-send.ts) and bank settlement
 * (src/chain/settlement-send.ts) are this loop with their own chunks and their own reading of the
 * chain. It is the code that decides whether money is sent twice, so it never guesses:
 *
 * - Before it starts and after any failure it waits until the account has nothing pending.
 * - Chunks go out in nonce order, at most `window` without a receipt; receipts are awaited oldest
 *   first. On the first failure nothing more is sent and the chunks in flight are waited for.
 * - A transient failure (the connection, a gateway, a lost answer) is retried with bounded
 *   exponential backoff, but only after the chain was read again: only items still open are sent.
 * - A refusal by the contract is checked against the chain the same way: it stands only if nothing
 *   about the refused chunk's items changed (an earlier send of the same items may have landed late).
 * - A chunk that ran out of the gas limit it was given is reported to the job (which can let the
 *   node estimate from then on) and sent again.
 * - At the end the chain is read once more, which also catches a node that lost blocks after their
 *   receipts: those items are sent again, once.
 *
 * Every stop names the chunk and says what was done before it; a rerun reads the chain and continues.
 */
import type { Signer } from "ethers";

import { sleep } from "../async.js";
import { describeError } from "./errors.js";
import {
  backoffDelay,
  isContractRefusal,
  OutcomeUnknownError,
  retryingReads,
  type RetryOptions,
  retryPolicy,
  sendOnce,
  TransactionRevertedError,
  transientReason,
  waitForNoPending,
  waitForReceipt,
  withRetries,
} from "../transport/index.js";

/** One transaction's worth of items. */
export interface Chunk<T> {
  items: readonly T[];
  /** Names the chunk in messages: "chunk 3 of 12 (序号 501…750)". */
  label: string;
  /** The transaction, built when it is about to be sent (proofs and calldata are built one chunk at a time). */
  build: () => Call;
}

export interface Call {
  to: string;
  data: string;
  /** Sent with this gas limit (the node does not estimate); undefined lets the node estimate. */
  gasLimit?: bigint;
  /** For a dry run: the call checked without sending (staticCall). */
  check?: () => Promise<unknown>;
}

/** The chain's answer for this run's items, read again. */
export interface ChainReading<T> {
  /** Items not done on chain (whatever the reason). */
  undone: readonly T[];
  /** Of those, the items to send now, in the order to send them. */
  toSend: readonly T[];
}

export interface ResumableJob<T> {
  /** What this run is to do; `key` tells its items apart. */
  items: readonly T[];
  key: (item: T) => number;
  /** Cuts the items to send into transactions; `completed` chunks have receipts so far (for numbering). */
  chunks: (toSend: readonly T[], completed: number) => Chunk<T>[];
  /**
   * Reads the chain again. `full` after a refusal by the contract (an item may have become unsendable
   * meanwhile); otherwise a light reading of which items are done is enough.
   */
  read: (how: { full: boolean }) => Promise<ChainReading<T>>;
  /** Told when a chunk ran out of its gas limit (nothing of it was done). */
  onOutOfGas?: (chunk: Chunk<T>) => void;
  /** What `done` (this run's items done so far) amounts to, for a stop's message: "250 lines were paid before it". */
  doneSoFar: (done: T[]) => string;
  /** The items' noun in messages: "lines", "settlements". */
  noun: string;
}

export interface ResumableOptions<T> {
  /** Transactions in flight at once (default 1). */
  window?: number;
  /** Check every chunk with `check` instead of sending it; nothing is sent. */
  dryRun?: boolean;
  /** Retry policy and notices for transient failures (reads and chunks alike). */
  retry?: RetryOptions;
  /** How long to wait for one transaction's receipt (default 5 minutes). */
  receiptTimeoutMs?: number;
  /** Told when a chunk is done (has its receipt, or passed its check in a dry run). */
  onChunk?: (done: ChunkDone<T>) => void;
  /** Told each time the chain is read again, and what it showed. */
  onRecheck?: (recheck: Recheck) => void;
}

export interface ChunkDone<T> {
  chunk: Chunk<T>;
  /** Chunks done so far, this one included, and the chunks of this round in all. */
  number: number;
  of: number;
  /** Items done so far (this run's), and this run's items in all. */
  itemsDone: number;
  itemsTotal: number;
  txHash?: string;
}

/** What a reading of the chain after a failure, or at the end, found. */
export interface Recheck {
  reason: string;
  /** The check at the end of the run. */
  final: boolean;
  /** Items of this run found done although no receipt was seen (a send whose answer was lost). */
  landedWithoutReceipt: number;
  /** Items this run had receipts for that the chain no longer shows as done (the node lost blocks). */
  lostAfterReceipt: number;
  /** Items still to send after this reading. */
  toSend: number;
}

/** What a resumable run did: the same words for every job (payouts, settlement). */
export interface SendReport {
  /** Transactions with a receipt whose items are still done on chain. */
  transactions: string[];
  gasUsed: bigint;
  /** Items those transactions carried (gasUsed is theirs). */
  itemsWithReceipt: number;
  /** Chunk attempts that failed transiently and were retried after reading the chain again. */
  retries: number;
  /** Items found done on reading the chain again although their send's answer was lost. */
  landedWithoutReceipt: number;
  /** Items sent again because the node lost the blocks that had done them. */
  sentAgain: number;
  /** Chunks that ran out of the gas limit they were given and were sent again. */
  outOfGas: number;
}

export interface ResumableReport<T> extends SendReport {
  /** This run's items done on chain at the end (by its transactions, or found landed). */
  done: T[];
}

interface Sent {
  hash: string;
  keys: number[];
  gasUsed: bigint;
}

/** Sends `job`'s items, resumably (see above); returns what is done on chain at the end. */
export async function sendResumable<T>(
  signer: Signer,
  job: ResumableJob<T>,
  options: ResumableOptions<T> = {},
): Promise<ResumableReport<T>> {
  const retry = options.retry ?? {};
  const policy = retryPolicy(retry);
  const dryRun = options.dryRun ?? false;
  const window = dryRun ? 1 : Math.max(1, Math.floor(options.window ?? 1));
  if (!signer.provider) throw new Error("the signer has no provider");
  const provider = retryingReads(signer.provider, retry);
  const key = job.key;

  // Items this run knows are done, and the transactions that did them.
  const done = new Map<number, T>();
  const sent: Sent[] = [];
  const report: ResumableReport<T> = {
    done: [],
    transactions: [],
    gasUsed: 0n,
    itemsWithReceipt: 0,
    retries: 0,
    landedWithoutReceipt: 0,
    sentAgain: 0,
    outOfGas: 0,
  };
  /** The report's totals, from what is known now (once, at the end: a run may have 10^6 items). */
  const settle = () => {
    report.done = [...done.values()];
    report.transactions = sent.map((s) => s.hash);
    report.gasUsed = sent.reduce((sum, s) => sum + s.gasUsed, 0n);
    report.itemsWithReceipt = sent.reduce((sum, s) => sum + s.keys.length, 0);
  };
  const stopped = () => `${job.doneSoFar([...done.values()])}; run the same command again to continue.`;

  /** Reads the chain again and reconciles what this run knows with it. */
  const recheck = async (reason: string, how: { final?: boolean; full?: boolean } = {}): Promise<readonly T[]> => {
    await waitForNoPending(signer, { retry });
    const reading = await job.read({ full: how.full ?? false });
    const undone = new Set(reading.undone.map(key));
    const result: Recheck = {
      reason,
      final: how.final ?? false,
      landedWithoutReceipt: 0,
      lostAfterReceipt: 0,
      toSend: reading.toSend.length,
    };
    for (const item of job.items) {
      const k = key(item);
      if (!undone.has(k) && !done.has(k)) {
        done.set(k, item);
        result.landedWithoutReceipt++;
      } else if (undone.has(k) && done.has(k)) {
        done.delete(k);
        result.lostAfterReceipt++;
      }
    }
    // A transaction is all or nothing: drop the ones whose items the chain no longer has.
    if (result.lostAfterReceipt > 0) {
      for (let i = sent.length - 1; i >= 0; i--) if (sent[i]!.keys.some((k) => !done.has(k))) sent.splice(i, 1);
    }
    report.landedWithoutReceipt += result.landedWithoutReceipt;
    report.sentAgain += result.lostAfterReceipt;
    options.onRecheck?.(result);
    return reading.toSend;
  };

  /** `recheck`, repeated while reading fails transiently (each failure counts against the policy). */
  let failures = 0; // in a row, without progress
  const recheckAfter = async (label: string, what: string, full: boolean): Promise<readonly T[]> => {
    for (;;) {
      try {
        return await recheck(`${label}: ${what}`, { full });
      } catch (error) {
        const again = transientReason(error);
        if (again === undefined) {
          throw new Error(`reading the chain again after ${label} failed: ${describeError(error)}. ${stopped()}`, {
            cause: error,
          });
        }
        if (++failures >= policy.attempts) {
          throw new Error(
            `${label}: reading the chain again failed ${failures} times in a row; last: ${again}. ${stopped()}`,
            {
              cause: error,
            },
          );
        }
        const delayMs = backoffDelay(policy, failures);
        retry.onRetry?.({
          what: `reading the chain again after ${label}`,
          attempt: failures,
          attempts: policy.attempts,
          delayMs,
          reason: again,
        });
        await sleep(delayMs);
      }
    }
  };

  if (!dryRun) await waitForNoPending(signer, { retry });
  let toSend: readonly T[] = job.items.slice();
  let completed = 0; // chunks done
  let finalChecks = 0;
  for (;;) {
    if (toSend.length === 0) {
      if (dryRun) break;
      // Everything sent has a receipt (or was found done): confirm it with the chain once.
      if (++finalChecks > policy.attempts) {
        throw new Error(
          `the chain lost ${job.noun} this run sent again after ${policy.attempts} checks; is the node stable? ${stopped()}`,
        );
      }
      try {
        toSend = await recheck(`checking that every one of the ${job.noun} sent is done`, { final: true });
      } catch (error) {
        const reason = transientReason(error);
        if (reason === undefined) throw error;
        throw new Error(
          `every chunk was sent and has a receipt, but the final check against the chain failed (${reason}). ${stopped()}`,
          {
            cause: error,
          },
        );
      }
      if (toSend.length === 0) break;
      continue;
    }

    // Send the chunks in nonce order, at most `window` without a receipt; receipts oldest first.
    const chunks = job.chunks(toSend, completed);
    const round = completed + chunks.length;
    const inFlight: Array<{
      chunk: Chunk<T>;
      gasLimit?: bigint;
      receipt: Promise<{ hash?: string; gasUsed: bigint }>;
    }> = [];
    let failed: { chunk: Chunk<T>; gasLimit?: bigint; error: unknown } | undefined;
    let progressed = false;
    const settleOldest = async () => {
      const { chunk, gasLimit, receipt } = inFlight.shift()!;
      let r: { hash?: string; gasUsed: bigint };
      try {
        r = await receipt;
      } catch (error) {
        failed ??= { chunk, gasLimit, error };
        return;
      }
      progressed = true;
      completed++;
      const keys = chunk.items.map(key);
      if (r.hash !== undefined) sent.push({ hash: r.hash, keys, gasUsed: r.gasUsed });
      chunk.items.forEach((item, i) => done.set(keys[i]!, item));
      options.onChunk?.({
        chunk,
        number: completed,
        of: round,
        itemsDone: done.size,
        itemsTotal: job.items.length,
        txHash: r.hash,
      });
    };
    for (const chunk of chunks) {
      if (failed) break;
      while (inFlight.length >= window) await settleOldest();
      if (failed) break;
      let gasLimit: bigint | undefined;
      try {
        const call = chunk.build();
        gasLimit = call.gasLimit;
        let receipt: Promise<{ hash?: string; gasUsed: bigint }>;
        if (dryRun) {
          if (!call.check) throw new Error(`${chunk.label}: a dry run needs the call's check`);
          await withRetries(`checking ${chunk.label}`, call.check, retry);
          receipt = Promise.resolve({ gasUsed: 0n });
        } else {
          const hash = await sendOnce(signer, { to: call.to, data: call.data, gasLimit });
          receipt = waitForReceipt(provider, hash, { timeoutMs: options.receiptTimeoutMs });
          receipt.catch(() => undefined); // awaited in settleOldest; no unhandled rejection meanwhile
        }
        inFlight.push({ chunk, gasLimit, receipt });
      } catch (error) {
        failed = { chunk, gasLimit, error };
      }
    }
    while (inFlight.length > 0) await settleOldest();
    if (progressed) failures = 0;
    if (!failed) {
      toSend = dryRun ? toSend.filter((item) => !done.has(key(item))) : [];
      continue;
    }

    const { chunk, gasLimit, error: failure } = failed;
    const outOfGas =
      failure instanceof TransactionRevertedError &&
      gasLimit !== undefined &&
      failure.gasUsed !== undefined &&
      failure.gasUsed * 100n >= gasLimit * 99n;
    if (outOfGas) {
      report.outOfGas++;
      job.onOutOfGas?.(chunk);
    }
    const reason = outOfGas ? "out of gas" : transientReason(failure);
    const refused = reason === undefined;
    if (refused && (dryRun || !isContractRefusal(failure))) {
      throw new Error(`${chunk.label} failed: ${describeError(failure)}. ${stopped()}`, { cause: failure });
    }
    failures++;
    const what = refused ? describeError(failure) : failure instanceof OutcomeUnknownError ? failure.message : reason;
    if (failures >= policy.attempts) {
      throw new Error(`${chunk.label} failed ${failures} times in a row; last: ${what}. ${stopped()}`, {
        cause: failure,
      });
    }
    if (!refused && !outOfGas) {
      const delayMs = backoffDelay(policy, failures);
      report.retries++;
      retry.onRetry?.({ what: chunk.label, attempt: failures, attempts: policy.attempts, delayMs, reason: what });
      await sleep(delayMs);
    }
    if (dryRun) {
      // Nothing was sent: the chunk that failed transiently is checked again.
      toSend = toSend.filter((item) => !done.has(key(item)));
      continue;
    }
    // Read the chain again instead of guessing.
    toSend = await recheckAfter(chunk.label, what, refused);
    const still = new Set(toSend.map(key));
    if (refused && chunk.items.every((item) => still.has(key(item)))) {
      // Nothing about these items changed on chain: the refusal stands.
      throw new Error(`${chunk.label} failed: ${describeError(failure)}. ${stopped()}`, { cause: failure });
    }
  }
  settle();
  return report;
}
