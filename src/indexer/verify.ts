/**
 * The indexer's own consistency checks over what it stored, beyond those made range by range in
 * store.ts: for each roster, the PayoutRecorded lines must add up to the RosterPaid events (the
 * roster's gross paid); plus every finding recorded at index time (batch hash, batch line count
 * and amount, RosterPaid against its batch); and the sums the index keeps (line_sums) against its
 * rows. A finding here means the chain's events contradict each other — or that the database was
 * altered.
 */
import type { IndexDatabase } from "./database.js";
import { type DaySums, LineSums, type RosterTotals, rowTotals } from "./line-sums.js";

export interface IntegrityFinding {
  kind: string;
  detail: string;
  block: number | null;
  tx: string | null;
}

/**
 * `totals`: the rosters' sums to check, by default summed afresh from the rows; `checkKeptSums`: also
 * compare the sums the index keeps (line_sums) with `totals` (a running service, which shows the kept
 * sums, does not).
 */
export function integrityFindings(
  db: IndexDatabase,
  totals: RosterTotals = rowTotals(db),
  checkKeptSums = true,
): IntegrityFinding[] {
  const findings: IntegrityFinding[] = db
    .all("SELECT block, tx, kind, detail FROM issues ORDER BY block, log_index")
    .map((r) => ({ kind: String(r.kind), detail: String(r.detail), block: Number(r.block), tx: String(r.tx) }));

  if (checkKeptSums) findings.push(...keptSumsFindings(db, totals));
  const paid = new Map<bigint, { amount: bigint; tx: string | null; block: number | null }>();
  for (const r of db.all(
    "SELECT roster_id, SUM(amount) AS amount, MAX(tx) AS tx, MAX(block) AS block FROM roster_paid GROUP BY roster_id",
  ))
    paid.set(BigInt(r.roster_id as bigint), {
      amount: BigInt(r.amount as bigint),
      tx: String(r.tx),
      block: Number(r.block),
    });
  const ids = [...new Set([...totals.rosters(), ...paid.keys()])].sort(byId);
  for (const rosterId of ids) {
    const lines = totals.roster(rosterId).paid;
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

const byId = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

const KINDS: ReadonlyArray<keyof DaySums> = ["paid", "confirmed", "returned"];

/** The kept sums (line_sums) against the rows: they differ only in a file altered or written by a faulty tool. */
function keptSumsFindings(db: IndexDatabase, rows: RosterTotals): IntegrityFinding[] {
  const kept = new LineSums().update(db);
  const ids = [...new Set([...kept.rosters(), ...rows.rosters()])].sort(byId);
  const findings: IntegrityFinding[] = [];
  for (const rosterId of ids) {
    for (const kind of KINDS) {
      const k = kept.roster(rosterId)[kind];
      const r = rows.roster(rosterId)[kind];
      if (k.lines === r.lines && k.amount === r.amount) continue;
      findings.push({
        kind: "line-sums",
        detail: `roster ${rosterId}: the index's kept sums say ${k.lines} lines ${kind} for ${k.amount} fen, its rows ${r.lines} lines for ${r.amount} fen: the file was altered, or written by a faulty tool; index into a new --db file`,
        block: null,
        tx: null,
      });
    }
  }
  return findings;
}
