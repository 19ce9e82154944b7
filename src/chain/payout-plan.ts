/**
 * The plan of a payout run, read from the chain's own state every time: which lines of the roster
 * are still to be paid, which are paid already, and which can never be paid now, and why. A run
 * that was killed, or whose node was restarted, plans again and resumes where it stopped; the
 * contract itself refuses a line or a household already paid.
 */
import type { RosterLine } from "../lines.js";
import { isWithinRegion } from "../roster/village.js";
import type { Suite } from "../suite.js";
import { rosterStateName } from "./states.js";
import { Bitmap, bitAt, householdInBlock, pairAt, readWords } from "./words.js";

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
    const hold = pairAt(holds, index);
    const hBit = line.household & 0xffn;
    const block = householdInBlock(blocks.get(line.household >> 8n) ?? 0n, line.household);
    const reason: SkipReason | undefined =
      hold !== 0
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
