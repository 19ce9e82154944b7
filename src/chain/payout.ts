/**
 * Recording the payouts of a roster: plan from the chain's own state which lines are still to be
 * paid (and which can never be, and why), then send them in chunks of many lines, one multiproof per
 * chunk. The plan is read from the chain every time, so a run that was killed — or whose node was
 * restarted — resumes where it stopped without paying anyone twice: the contract itself refuses a
 * line or a household already paid.
 */
import type { Signer } from "ethers";

import { batchProof, type LineTree, packLine, type RosterLine } from "../lines.js";
import type { Suite } from "../suite.js";
import { describeError } from "./errors.js";
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

export interface PayoutReport {
  paidLines: number;
  paidAmount: bigint;
  transactions: string[];
  gasUsed: bigint;
}

/**
 * Sends the plan's payable lines in chunks of `chunkSize`, waiting for each receipt. Stops at the
 * first failure with a message naming the chunk; everything before it stays paid and a rerun
 * (which plans again from the chain) continues after it.
 */
export async function sendPayouts(
  suite: Suite,
  signer: Signer,
  plan: PayoutPlan,
  tree: LineTree,
  options: { chunkSize: number; onProgress?: (p: PayoutProgress) => void },
): Promise<PayoutReport> {
  const disbursement = suite.disbursement.connect(signer);
  const chunks: RosterLine[][] = [];
  for (let i = 0; i < plan.payable.length; i += options.chunkSize) chunks.push(plan.payable.slice(i, i + options.chunkSize));
  const report: PayoutReport = { paidLines: 0, paidAmount: 0n, transactions: [], gasUsed: 0n };
  for (const [i, chunk] of chunks.entries()) {
    const batch = batchProof(tree, chunk.map((l) => l.index));
    let receipt;
    try {
      const tx = await disbursement.recordPayouts(plan.rosterId, batch.lines.map(packLine), batch.proof, batch.proofFlags);
      receipt = await tx.wait();
    } catch (error) {
      throw new Error(
        `chunk ${i + 1} of ${chunks.length} (lines ${chunk[0]!.index}…${chunk[chunk.length - 1]!.index}) failed: ${describeError(error)}. ` +
          `${report.paidLines} lines were paid before it; run the same command again to continue.`,
      );
    }
    if (!receipt) throw new Error(`chunk ${i + 1}: no receipt`);
    report.paidLines += chunk.length;
    report.paidAmount += chunk.reduce((s, l) => s + l.amount, 0n);
    report.transactions.push(receipt.hash);
    report.gasUsed += receipt.gasUsed;
    options.onProgress?.({ chunk: i + 1, chunks: chunks.length, linesSent: report.paidLines, linesTotal: plan.payable.length, txHash: receipt.hash });
  }
  return report;
}
