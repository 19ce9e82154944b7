/**
 * The indexer's own consistency checks over what it stored, beyond those made range by range in
 * store.ts: for each roster, the PayoutRecorded lines must add up to the RosterPaid events (the
 * roster's gross paid); plus every finding recorded at index time (batch hash, batch line count
 * and amount, RosterPaid against its batch). A finding here means the chain's events contradict
 * each other — or that the database was altered.
 */
import type { IndexDatabase } from "./database.js";
import { LineSums } from "./line-sums.js";

export interface IntegrityFinding {
  kind: string;
  detail: string;
  block: number | null;
  tx: string | null;
}

export function integrityFindings(db: IndexDatabase, lineSums: LineSums = new LineSums()): IntegrityFinding[] {
  const findings: IntegrityFinding[] = db
    .all("SELECT block, tx, kind, detail FROM issues ORDER BY block, log_index")
    .map((r) => ({ kind: String(r.kind), detail: String(r.detail), block: Number(r.block), tx: String(r.tx) }));

  lineSums.update(db);
  const paid = new Map<bigint, { amount: bigint; tx: string | null; block: number | null }>();
  for (const r of db.all(
    "SELECT roster_id, SUM(amount) AS amount, MAX(tx) AS tx, MAX(block) AS block FROM roster_paid GROUP BY roster_id",
  ))
    paid.set(BigInt(r.roster_id as bigint), {
      amount: BigInt(r.amount as bigint),
      tx: String(r.tx),
      block: Number(r.block),
    });
  const ids = [...new Set([...lineSums.rosters(), ...paid.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const rosterId of ids) {
    const lines = lineSums.roster(rosterId).paid;
    const p = paid.get(rosterId) ?? { amount: 0n, tx: null, block: null };
    if (lines.amount === p.amount) continue;
    findings.push({
      kind: "roster-paid-total",
      detail: `roster ${rosterId}: its ${lines.lines} PayoutRecorded lines add up to ${lines.amount} fen, its RosterPaid events to ${p.amount} fen`,
      block: p.block,
      tx: p.tx,
    });
  }
  return findings;
}
