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
import { type Chunk, type Recheck, sendResumable } from "./resumable.js";
import { readingSuite, type RetryOptions, waitForNoPending } from "../transport/index.js";
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
  /** Told each time the chain is read again, and what it showed (src/chain/resumable.ts). */
  onRecheck?: (recheck: Recheck) => void;
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
 * of `tree`, resuming where the chain stands, both through the one resumable sender
 * (src/chain/resumable.ts). The tree's root must be the submission's root.
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
  let rosterId = await existingRoster(reads, submission);
  let retries = 0;
  const submitted = rosterId === undefined;
  if (rosterId === undefined) {
    // One item, the submission: done once the chain has a live roster of this root.
    const report = await sendResumable(
      signer,
      {
        items: [submission],
        key: () => 0,
        noun: "submissions",
        chunks: (toSend) =>
          toSend.map((s) => ({
            items: [s],
            label: "the submission",
            build: () => ({
              to: suite.addresses.rosterBook,
              data: suite.rosterBook.interface.encodeFunctionData("submitRoster", [s]),
            }),
          })),
        read: async () => {
          const undone = (await existingRoster(reads, submission)) === undefined ? [submission] : [];
          return { undone, toSend: undone };
        },
        doneSoFar: () => "the roster was not submitted",
      },
      // The final check of the submission is said by the listing's own.
      { retry: options, onRecheck: (r) => (r.final ? undefined : options.onRecheck?.(r)) },
    );
    retries += report.retries;
    rosterId = await existingRoster(reads, submission);
    if (rosterId === undefined)
      throw new Error("the submission was sent, but the chain has no live roster of its root");
  }
  const listed = await listLines(suite, signer, rosterId, tree, options);
  return { rosterId, submitted, ...listed, retries: retries + listed.retries };
}

/** The live roster of this programme and root: one not withdrawn or rejected, if any. */
export async function existingRoster(reads: Suite, s: RosterSubmission): Promise<bigint | undefined> {
  const id = await reads.rosterBook.rosterOfRoot(s.programmeId, s.root);
  if (id === 0n) return undefined;
  const state = rosterStateName(await reads.rosterBook.rosterState(id));
  return state === "Withdrawn" || state === "Rejected" ? undefined : id;
}

/**
 * Lists the lines of roster `rosterId` that the chain does not have yet, in chunks, the last of
 * which seals it, through the one resumable sender: each reading of the chain starts from its
 * count of listed lines, and a send whose outcome is unclear is followed by a fresh reading, so a
 * chunk that landed is never sent again. Lines on chain that are not this tree's first lines are a
 * ListingMismatchError, before anything is sent.
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
  const perTx = options.linesPerTransaction ?? LINES_PER_TRANSACTION;
  const n = tree.length;

  /** The chain's listing of this roster: how many lines it has (all of them once it is sealed). */
  const chainListed = async (): Promise<{ listed: number; state: string }> => {
    const state = await reads.rosterBook.rosterState(rosterId);
    const [count, , frontierHash] = await reads.rosterLines.listing(rosterId);
    const listed = Number(count);
    if (!awaitingLines(state)) return { listed: n, state: rosterStateName(state) };
    if (frontierHash !== tree.frontierHash(listed)) {
      throw new ListingMismatchError(
        `roster ${rosterId} has ${listed} lines on chain, and they are not the first ${listed} lines of this bundle: the bundle was changed after it was submitted. Withdraw the roster (roster withdraw) and submit the list again.`,
      );
    }
    return { listed, state: rosterStateName(state) };
  };

  const before = await chainListed();
  const listedBefore = before.listed;
  const lines = Array.from({ length: n - before.listed }, (_, i) => tree.line(before.listed + i));
  const report = await sendResumable(
    signer,
    {
      items: lines,
      key: (line) => line.index,
      noun: "lines",
      chunks: (toSend) => {
        const chunks: Chunk<RosterLine>[] = [];
        for (let i = 0; i < toSend.length; i += perTx) {
          const first = toSend[i]!.index;
          const items = toSend.slice(i, i + perTx);
          chunks.push({
            items,
            label: `${seqText(first, items[items.length - 1]!.index)} of ${n}`,
            build: () => {
              const chunk = lineChunk(tree, first, perTx);
              return {
                to: suite.addresses.rosterLines,
                data: suite.rosterLines.interface.encodeFunctionData("submitLines", [
                  rosterId,
                  chunk.first,
                  chunk.lines,
                  chunk.frontier,
                ]),
              };
            },
          });
        }
        return chunks;
      },
      read: async () => {
        const { listed } = await chainListed();
        const undone = lines.filter((l) => l.index >= listed);
        return { undone, toSend: undone };
      },
      doneSoFar: (done) => `${listedBefore + done.length} of ${n} lines were listed before it`,
    },
    {
      retry: options,
      onChunk: (c) =>
        options.onProgress?.({ rosterId, listed: before.listed + c.itemsDone, lineCount: n, transactions: c.number }),
      onRecheck: options.onRecheck,
    },
  );
  const after = await chainListed();
  return {
    listedNow: after.listed - listedBefore,
    listedBefore,
    transactions: report.transactions.length,
    state: after.state,
    retries: report.retries,
  };
}
