/**
 * A roster on chain: `submitRoster` (the declared root, line count and total; the total is
 * reserved), then every line through RosterLines.submitLines in chunks, the last of which seals the
 * roster. Resumable: every step starts from what the chain holds (the roster of this root in this
 * programme, the lines it has listed, the frontier they left), so a run killed at any point is
 * rerun with the same bundle and continues where the chain stands. It never submits a roster twice
 * (the chain refuses a second roster with the same root) and never seals twice (only the chunk that
 * brings the last line seals, and a roster no longer awaiting lines is left alone).
 */
import type { Signer } from "ethers";

import { type LineTree, listingRecords, type RosterLine, seqText } from "../lines.js";
import type { RosterSubmission } from "../outputs/bundle.js";
import type { Suite } from "../suite.js";
import {
  type RetryOptions,
  backoffDelay,
  readingSuite,
  retryPolicy,
  retryingReads,
  sendOnce,
  sleep,
  transientReason,
  waitForNoPending,
  waitForReceipt,
} from "./signers.js";
import { rosterStateName } from "./states.js";

/**
 * Lines per transaction: 5,000 lines are 80,000 bytes of calldata (16 a line), well under the 128 KiB
 * that Geth-derived nodes accept per transaction, and about 11 million gas, under the 16,777,216
 * gas cap per transaction; a 50,000-line roster takes 10 transactions of lines and one of submission.
 */
export const LINES_PER_TRANSACTION = 5_000;

const awaitingLines = (state: bigint) => rosterStateName(state) === "AwaitingLines";

export interface ListingProgress {
  rosterId: bigint;
  listed: number;
  lineCount: number;
  transactions: number;
}

export interface ListingReport {
  rosterId: bigint;
  /** Whether this run sent the submission (false: the chain had it already). */
  submitted: boolean;
  /** Lines this run listed, and those the chain had before it. */
  listedNow: number;
  listedBefore: number;
  transactions: number;
  /** The roster's state at the end (AwaitingSignOff once sealed). */
  state: string;
  retries: number;
}

export interface ListingOptions extends RetryOptions {
  linesPerTransaction?: number;
  onProgress?: (progress: ListingProgress) => void;
  /** Said when a transaction's outcome was unclear and the chain was read again. */
  onRecheck?: (what: string) => void;
}

/** The arguments of one `submitLines` transaction: the first index, the lines' records, the frontier before them. */
export interface LineChunk {
  first: number;
  count: number;
  lines: string;
  frontier: string[];
}

/** The `submitLines` transaction that lists lines `first`… of `tree`, at most `perTx` of them. */
export function lineChunk(tree: LineTree, first: number, perTx = LINES_PER_TRANSACTION): LineChunk {
  const lines: RosterLine[] = [];
  for (let i = first; i < Math.min(tree.length, first + perTx); i++) lines.push(tree.line(i));
  return { first, count: lines.length, lines: listingRecords(lines), frontier: tree.frontier(first) };
}

/** The `submitLines` transactions that list every line of `tree`, `perTx` lines each. */
export function lineChunks(tree: LineTree, perTx = LINES_PER_TRANSACTION): LineChunk[] {
  const chunks: LineChunk[] = [];
  for (let first = 0; first < tree.length; first += perTx) chunks.push(lineChunk(tree, first, perTx));
  return chunks;
}

/** The chain's lines of this roster are not this bundle's: another list under the same root cannot be, so the bundle was edited. */
export class ListingMismatchError extends Error {}

/**
 * Submits the roster (unless the chain has it, awaiting lines or further on) and lists every line
 * of `tree`, resuming where the chain stands. The tree's root must be the submission's root.
 */
export async function submitRosterWithLines(
  suite: Suite,
  signer: Signer,
  submission: RosterSubmission,
  tree: LineTree,
  options: ListingOptions = {},
): Promise<ListingReport> {
  if (tree.root !== submission.root || tree.length !== submission.lineCount) {
    throw new Error(
      `the roster's tree (root ${tree.root}, ${tree.length} lines) is not the submission's (root ${submission.root}, ${submission.lineCount} lines)`,
    );
  }
  const provider = signer.provider;
  if (!provider) throw new Error("the signing account has no provider");
  const reads = readingSuite(suite, provider, options);
  await waitForNoPending(signer, { retry: options });
  const policy = retryPolicy(options);
  let rosterId = await existingRoster(reads, submission);
  let submitted = false;
  let retries = 0;
  for (let failures = 0; rosterId === undefined;) {
    const data = suite.rosterBook.interface.encodeFunctionData("submitRoster", [submission]);
    try {
      const hash = await sendOnce(signer, { to: suite.addresses.rosterBook, data });
      await waitForReceipt(retryingReads(provider, options), hash);
      submitted = true;
    } catch (error) {
      // A submission whose answer was lost may have landed: the chain says.
      if ((await existingRoster(reads, submission)) === undefined) {
        const reason = transientReason(error);
        if (reason === undefined || ++failures >= policy.attempts) throw error;
        retries++;
        const delayMs = backoffDelay(policy, failures);
        options.onRecheck?.(`the submission: ${reason}; trying again in ${(delayMs / 1000).toFixed(2)} s`);
        await sleep(delayMs);
      } else {
        submitted = true;
      }
    }
    rosterId = await existingRoster(reads, submission);
  }
  const listed = await listLines(suite, signer, rosterId, tree, options);
  return { rosterId, submitted, ...listed, retries: retries + listed.retries };
}

/** The live roster of this programme and root: one not withdrawn or rejected, if any. */
async function existingRoster(reads: Suite, s: RosterSubmission): Promise<bigint | undefined> {
  const id = await reads.rosterBook.rosterOfRoot(s.programmeId, s.root);
  if (id === 0n) return undefined;
  const state = rosterStateName(await reads.rosterBook.rosterState(id));
  return state === "Withdrawn" || state === "Rejected" ? undefined : id;
}

/**
 * Lists the lines of roster `rosterId` that the chain does not have yet, in chunks, the last of
 * which seals it. Each chunk starts from the chain's count; a send whose outcome is unclear is
 * followed by a fresh reading, so a chunk that landed is never sent again.
 */
export async function listLines(
  suite: Suite,
  signer: Signer,
  rosterId: bigint,
  tree: LineTree,
  options: ListingOptions = {},
): Promise<Omit<ListingReport, "rosterId" | "submitted">> {
  const provider = signer.provider;
  if (!provider) throw new Error("the signing account has no provider");
  const reads = readingSuite(suite, provider, options);
  const receipts = retryingReads(provider, options);
  const policy = retryPolicy(options);
  const perTx = options.linesPerTransaction ?? LINES_PER_TRANSACTION;
  const n = tree.length;
  let listedBefore: number | undefined;
  let transactions = 0;
  let retries = 0;
  let failures = 0;
  for (;;) {
    const state = await reads.rosterBook.rosterState(rosterId);
    const [count, , frontierHash] = await reads.rosterLines.listing(rosterId);
    const listed = Number(count);
    listedBefore ??= listed;
    if (!awaitingLines(state)) {
      return { listedNow: listed - listedBefore, listedBefore, transactions, state: rosterStateName(state), retries };
    }
    if (frontierHash !== tree.frontierHash(listed)) {
      throw new ListingMismatchError(
        `roster ${rosterId} has ${listed} lines on chain, and they are not the first ${listed} lines of this bundle: the bundle was changed after it was submitted. Withdraw the roster (roster withdraw) and submit the list again.`,
      );
    }
    const end = Math.min(n, listed + perTx);
    const chunk = lineChunk(tree, listed, perTx);
    const data = suite.rosterLines.interface.encodeFunctionData("submitLines", [
      rosterId,
      chunk.first,
      chunk.lines,
      chunk.frontier,
    ]);
    try {
      const hash = await sendOnce(signer, { to: suite.addresses.rosterLines, data });
      await waitForReceipt(receipts, hash);
      transactions++;
      failures = 0;
      options.onProgress?.({ rosterId, listed: end, lineCount: n, transactions });
    } catch (error) {
      // Whatever went wrong, the chain says what happened: the loop reads it again. A refusal
      // stands only if the chain did not move (an earlier send of the same lines may have landed).
      const [after] = await reads.rosterLines.listing(rosterId);
      const moved = Number(after) !== listed || !awaitingLines(await reads.rosterBook.rosterState(rosterId));
      if (moved) {
        options.onRecheck?.(`${seqText(listed, end - 1)}: the chain has them (${Number(after)} of ${n} listed)`);
        continue;
      }
      const reason = transientReason(error);
      if (reason === undefined || ++failures >= policy.attempts) throw error;
      retries++;
      const delayMs = backoffDelay(policy, failures);
      options.onRecheck?.(`${seqText(listed, end - 1)}: ${reason}; trying again in ${(delayMs / 1000).toFixed(2)} s`);
      await sleep(delayMs);
    }
  }
}
