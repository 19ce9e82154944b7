/**
 * What must hold on chain after every run, killed or not: no line and no household paid twice,
 * nothing paid that may not be, and the roster's and the ledger's totals equal to the sum of the
 * lines the chain says are paid. And, once the scenario is over, exactly the expected lines and
 * totals. Read from the chain's own events and bitmaps, independently of the tools under test.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import { paidBatchesOf } from "../../src/chain/batches.js";
import { lineStatusesOf } from "../../src/chain/lineStatus.js";
import type { Suite } from "../../src/suite.js";
import { TOWNSHIP, type World } from "./setup.js";

export class CheckFailed extends Error {}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

export function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new CheckFailed(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

export interface PayoutState {
  paidLines: number;
  paidAmount: bigint;
  batches: number;
}

/** The invariants of any moment; returns what is paid. */
export async function checkPayouts(suite: Suite, world: World): Promise<PayoutState> {
  const d = suite.disbursement;
  const events = await d.queryFilter(d.filters.PayoutRecorded(world.rosterId));
  const lines = new Map<number, bigint>();
  const households = new Set<bigint>();
  for (const e of events) {
    const index = Number(e.args.lineIndex);
    assert(!lines.has(index), `line ${index} was paid twice (PayoutRecorded twice)`);
    assert(!households.has(e.args.household), `household ${e.args.household} was paid twice`);
    lines.set(index, e.args.amount);
    households.add(e.args.household);
  }
  const payable = new Map(world.payable.map((l) => [l.index, l]));
  for (const [index, amount] of lines) {
    const line = payable.get(index);
    assert(line, `line ${index} was paid but may not be (suspended household or frozen line)`);
    equal(amount, line.amount, `amount paid on line ${index}`);
  }
  // The paid bits agree with the events, line for line.
  const statuses = await lineStatusesOf(
    suite,
    world.rosterId,
    world.bundle.lines.map((l) => l.index),
  );
  const bits = [...statuses].filter(([, s]) => s !== "Unpaid").map(([i]) => i);
  equal(bits.length, lines.size, "lines with the paid bit vs PayoutRecorded events");
  for (const i of bits) assert(lines.has(i), `line ${i} has its paid bit but no PayoutRecorded event`);
  // Every batch's logs hash to its recorded hash (throws otherwise).
  await paidBatchesOf(suite, world.rosterId);
  const paidAmount = [...lines.values()].reduce((s, a) => s + a, 0n);
  const roster = await suite.rosterBook.roster(world.rosterId);
  equal(roster.paid, paidAmount, "roster.paid vs the sum of the paid lines");
  const township = await suite.ledger.balanceOf(world.programmeId, TOWNSHIP);
  equal(
    township.reserved,
    roster.total - roster.paid - roster.excluded - roster.released,
    "township reserved vs the roster's remaining reservation",
  );
  return { paidLines: lines.size, paidAmount, batches: Number(await suite.disbursement.batchCount(world.rosterId)) };
}

/** Before any settlement: the ledger's paid totals too. */
export async function checkLedgerPaid(suite: Suite, world: World, paidAmount: bigint): Promise<void> {
  equal((await suite.ledger.totalsOf(world.programmeId)).paid, paidAmount, "programme totals: paid");
  equal((await suite.ledger.balanceOf(world.programmeId, TOWNSHIP)).paid, paidAmount, "township balance: paid");
}

/** At the end of a payout scenario: exactly every payable line, once. */
export async function checkAllPaid(suite: Suite, world: World): Promise<PayoutState> {
  const state = await checkPayouts(suite, world);
  equal(state.paidLines, world.payable.length, "lines paid");
  equal(state.paidAmount, world.payableTotal, "amount paid (fen)");
  await checkLedgerPaid(suite, world, world.payableTotal);
  return state;
}

export interface BankRow {
  line: number;
  outcome: "confirmed" | "returned";
  reference: string;
}

/** After the bank settled `rows`: each line once, with the file's outcome and reference; refunds exact. */
export async function checkSettled(
  suite: Suite,
  world: World,
  rows: readonly BankRow[],
): Promise<{ confirmed: number; returned: number; returnedAmount: bigint }> {
  const d = suite.disbursement;
  const amount = new Map(world.payable.map((l) => [l.index, l.amount]));
  const confirmedEvents = await d.queryFilter(d.filters.PayoutConfirmed(world.rosterId));
  const returnedEvents = await d.queryFilter(d.filters.PayoutReturned(world.rosterId));
  const seen = new Map<number, { outcome: string; refHash: string }>();
  for (const e of confirmedEvents) {
    const i = Number(e.args.lineIndex);
    assert(!seen.has(i), `line ${i} was settled twice`);
    seen.set(i, { outcome: "confirmed", refHash: e.args.bankRefHash });
  }
  for (const e of returnedEvents) {
    const i = Number(e.args.lineIndex);
    assert(!seen.has(i), `line ${i} was settled twice`);
    seen.set(i, { outcome: "returned", refHash: e.args.bankRefHash });
  }
  equal(seen.size, rows.length, "lines settled");
  const statuses = await lineStatusesOf(
    suite,
    world.rosterId,
    rows.map((r) => r.line),
  );
  let returnedAmount = 0n;
  for (const row of rows) {
    const event = seen.get(row.line);
    assert(event, `line ${row.line} was not settled`);
    equal(event.outcome, row.outcome, `outcome of line ${row.line}`);
    equal(event.refHash, keccak256(toUtf8Bytes(row.reference)), `bank reference hash of line ${row.line}`);
    equal(statuses.get(row.line), row.outcome === "confirmed" ? "Confirmed" : "Returned", `status of line ${row.line}`);
    if (row.outcome === "returned") returnedAmount += amount.get(row.line)!;
  }
  const totals = await suite.ledger.totalsOf(world.programmeId);
  equal(totals.returned, returnedAmount, "programme totals: returned");
  equal(totals.paid, world.payableTotal - returnedAmount, "programme totals: paid after returns");
  const township = await suite.ledger.balanceOf(world.programmeId, TOWNSHIP);
  equal(township.returned, returnedAmount, "township balance: returned");
  for (const row of rows.filter((r) => r.outcome === "returned")) {
    const household = world.bundle.lines[row.line]!.household;
    equal(
      await suite.disbursement.isHouseholdPaid(world.programmeId, household),
      false,
      `household of returned line ${row.line} holds no payout`,
    );
  }
  const confirmed = rows.filter((r) => r.outcome === "confirmed").length;
  return { confirmed, returned: rows.length - confirmed, returnedAmount };
}
