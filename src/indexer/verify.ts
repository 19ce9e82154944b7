/**
 * The indexer's own consistency checks over what it stored, beyond those made range by range in
 * store.ts: for each roster, the PayoutRecorded lines must add up to the RosterPaid events (the
 * roster's gross paid); plus every finding recorded at index time (batch hash, batch line count
 * and amount, RosterPaid against its batch). A finding here means the chain's events contradict
 * each other — or that the database was altered.
 */
import type { IndexDatabase } from "./database.js";

export interface IntegrityFinding {
  kind: string;
  detail: string;
  block: number | null;
  tx: string | null;
}

export function integrityFindings(db: IndexDatabase): IntegrityFinding[] {
  const findings: IntegrityFinding[] = db
    .all("SELECT block, tx, kind, detail FROM issues ORDER BY block, log_index")
    .map((r) => ({ kind: String(r.kind), detail: String(r.detail), block: Number(r.block), tx: String(r.tx) }));

  const rows = db.all(`
    WITH lines AS (SELECT roster_id, SUM(amount) AS amount, COUNT(*) AS n FROM payouts GROUP BY roster_id),
         paid AS (SELECT roster_id, SUM(amount) AS amount, MAX(tx) AS tx, MAX(block) AS block FROM roster_paid GROUP BY roster_id),
         ids AS (SELECT roster_id FROM lines UNION SELECT roster_id FROM paid)
    SELECT ids.roster_id, COALESCE(lines.amount, 0) AS lines_amount, COALESCE(lines.n, 0) AS n,
           COALESCE(paid.amount, 0) AS paid_amount, paid.tx AS tx, paid.block AS block
    FROM ids LEFT JOIN lines USING (roster_id) LEFT JOIN paid USING (roster_id)
    WHERE COALESCE(lines.amount, 0) <> COALESCE(paid.amount, 0)
    ORDER BY ids.roster_id`);
  for (const r of rows) {
    findings.push({
      kind: "roster-paid-total",
      detail: `roster ${r.roster_id}: its ${r.n} PayoutRecorded lines add up to ${r.lines_amount} fen, its RosterPaid events to ${r.paid_amount} fen`,
      block: r.block === null ? null : Number(r.block),
      tx: r.tx === null ? null : String(r.tx),
    });
  }
  return findings;
}
