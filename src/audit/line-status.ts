/**
 * One row per roster line with where it stands, derived from the index's stored facts only: the
 * roster's state (the RosterState names), the line's status (LineStatus) and hold (LineHold), and the
 * transactions that moved it. What `audit export --table lines` writes; the portal's roster pages
 * read the same query. A line's status follows the contracts' order: a recovery makes it Reversed,
 * an approved reversal still unrecovered ReversalPendingRecovery, then Returned, Confirmed, Paid,
 * Unpaid; its hold is Excluded once an objection to it was upheld, Frozen while an objection made
 * after its last resolution is open.
 */

/**
 * A roster's state at `:now` (epoch seconds), from its events: the RosterState names. `roster` is
 * the SQL expression of its id, `so` the alias of its `signed_off` row in roster_endings.
 */
export function rosterStateSql(roster: string, so = "so"): string {
  return `CASE
    WHEN EXISTS (SELECT 1 FROM roster_endings e WHERE e.roster_id = ${roster} AND e.kind = 'closed') THEN 'Closed'
    WHEN EXISTS (SELECT 1 FROM roster_endings e WHERE e.roster_id = ${roster} AND e.kind = 'withdrawn') THEN 'Withdrawn'
    WHEN EXISTS (SELECT 1 FROM roster_endings e WHERE e.roster_id = ${roster} AND e.kind = 'rejected') THEN 'Rejected'
    WHEN ${so}.publicity_ends_at IS NOT NULL AND ${so}.publicity_ends_at > :now THEN 'InPublicity'
    WHEN ${so}.publicity_ends_at IS NOT NULL THEN 'Payable'
    WHEN EXISTS (SELECT 1 FROM roster_seals s WHERE s.roster_id = ${roster}) THEN 'AwaitingSignOff'
    ELSE 'AwaitingLines' END`;
}

/** The latest event of `table` for the line, as `(block, log_index)` ordering. */
const latest = (table: string, column: string, alias: string) =>
  `(SELECT x.${column} FROM ${table} x WHERE x.roster_id = l.roster_id AND x.line_index = l.line_index ORDER BY x.block DESC, x.log_index DESC LIMIT 1) AS ${alias}`;

/**
 * The query: parameters `:now` (the index head's block time); `where` filters on `l` (the line),
 * `r` (its roster) and `lb` (the block the line was listed in). Columns are those of LINE_COLUMNS
 * before shaping, in chain order of rosters and lines.
 */
export function lineStatusSql(where: string): string {
  return `SELECT roster_id, programme_id, region, line_index, seq, household, amount, roster_state,
      CASE WHEN recovered_tx IS NOT NULL THEN 'Reversed'
           WHEN reversal_approved = 1 THEN 'ReversalPendingRecovery'
           WHEN returned_tx IS NOT NULL THEN 'Returned'
           WHEN confirmed_tx IS NOT NULL THEN 'Confirmed'
           WHEN paid_tx IS NOT NULL THEN 'Paid'
           ELSE 'Unpaid' END AS status,
      CASE WHEN upheld > 0 THEN 'Excluded'
           WHEN last_objection IS NOT NULL AND (last_resolution IS NULL OR last_objection > last_resolution) THEN 'Frozen'
           ELSE 'None' END AS hold,
      publicity_ends_at, payout_deadline,
      CASE WHEN paid_tx IS NULL AND upheld = 0 AND roster_state = 'Payable' AND payout_deadline < :now THEN 1 ELSE 0 END AS overdue,
      listed_tx, paid_tx, paid_block, paid_log, paid_time, confirmed_tx, returned_tx, settled_time, reversal_id, recovered_tx
    FROM (
      SELECT l.roster_id, r.programme_id, r.region, l.line_index, l.line_index + 1 AS seq, l.household, l.amount,
        ${rosterStateSql("l.roster_id")} AS roster_state,
        so.publicity_ends_at, so.payout_deadline,
        l.tx AS listed_tx,
        p.tx AS paid_tx, p.block AS paid_block, p.log_index AS paid_log, pb.time AS paid_time,
        c.tx AS confirmed_tx, rt.tx AS returned_tx, COALESCE(cb.time, rb.time) AS settled_time,
        (SELECT COUNT(*) FROM resolutions s WHERE s.roster_id = l.roster_id AND s.line_index = l.line_index AND s.upheld = 1) AS upheld,
        (SELECT MAX(o.block * 1000000 + o.log_index) FROM objections o WHERE o.roster_id = l.roster_id AND o.line_index = l.line_index) AS last_objection,
        (SELECT MAX(s.block * 1000000 + s.log_index) FROM resolutions s WHERE s.roster_id = l.roster_id AND s.line_index = l.line_index) AS last_resolution,
        ${latest("reversals", "reversal_id", "reversal_id")},
        (SELECT MAX(d.approved) FROM reversal_decisions d WHERE d.reversal_id =
          (SELECT x.reversal_id FROM reversals x WHERE x.roster_id = l.roster_id AND x.line_index = l.line_index ORDER BY x.block DESC, x.log_index DESC LIMIT 1)) AS reversal_approved,
        ${latest("recoveries", "tx", "recovered_tx")}
      FROM roster_lines l
      JOIN rosters r ON r.roster_id = l.roster_id
      LEFT JOIN blocks lb ON lb.number = l.block
      LEFT JOIN roster_endings so ON so.roster_id = l.roster_id AND so.kind = 'signed_off'
      LEFT JOIN payouts p ON p.roster_id = l.roster_id AND p.line_index = l.line_index
      LEFT JOIN blocks pb ON pb.number = p.block
      LEFT JOIN confirmations c ON c.roster_id = l.roster_id AND c.line_index = l.line_index
      LEFT JOIN blocks cb ON cb.number = c.block
      LEFT JOIN returns rt ON rt.roster_id = l.roster_id AND rt.line_index = l.line_index
      LEFT JOIN blocks rb ON rb.number = rt.block
      ${where ? `WHERE ${where}` : ""}
      ORDER BY l.roster_id, l.line_index
    )`;
}
