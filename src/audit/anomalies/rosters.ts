/**
 * Findings about a roster's life after sign-off: objections left open while it paid, lines owed past
 * the deadline, lines left unpaid when it closed.
 */
import type { IndexDatabase, Row } from "../../indexer/index.js";
import { seqOf } from "../../lines.js";
import { formatFen } from "../../money.js";
import { lineStatusSql } from "../line-status.js";
import { big, isoTime, lineSeq, num, str } from "../rows.js";
import { at, daysBefore, type Finding, indicesOf, listed, TXS_SHOWN } from "./findings.js";

/** Rosters that paid lines while an objection to one of their lines has never been resolved. */
export function paidWithOpenObjection(db: IndexDatabase): Finding[] {
  const rows = db.all(`
    WITH objected AS (SELECT roster_id, line_index, COUNT(*) AS n, MAX(block) AS block FROM objections GROUP BY roster_id, line_index),
         resolved AS (SELECT roster_id, line_index, COUNT(*) AS n FROM resolutions GROUP BY roster_id, line_index),
         open AS (
           SELECT o.roster_id, o.line_index, o.block FROM objected o LEFT JOIN resolved r USING (roster_id, line_index)
           WHERE o.n > COALESCE(r.n, 0))
    SELECT open.roster_id, open.line_index,
           (SELECT tx FROM objections x WHERE x.roster_id = open.roster_id AND x.line_index = open.line_index ORDER BY block DESC, log_index DESC LIMIT 1) AS objection_tx,
           open.block, b.time
    FROM open LEFT JOIN blocks b ON b.number = open.block
    WHERE EXISTS (SELECT 1 FROM roster_paid p WHERE p.roster_id = open.roster_id)
    ORDER BY open.roster_id, open.line_index`);
  const paidTxs = db.db.prepare("SELECT tx, amount FROM roster_paid WHERE roster_id = ? ORDER BY block, log_index");
  return rows.map((r) => {
    const paid = paidTxs.all(big(r, "roster_id"));
    const amount = paid.reduce((s, p) => s + big(p, "amount"), 0n);
    const txs = paid.map((p) => str(p, "tx"));
    return {
      kind: "paid-with-open-objection" as const,
      subject: `roster ${r.roster_id}`,
      detail: `the objection to ${lineSeq(r)} was never resolved, yet the roster paid ${formatFen(amount)} yuan in ${paid.length} batch(es)`,
      txs: [str(r, "objection_tx"), ...txs.slice(0, TXS_SHOWN)],
      ...at(r),
    };
  });
}

/**
 * Rosters past their payout deadline that still owe lines (approved, not paid, not excluded, not
 * frozen) and are not closed: the duty to pay, unmet. One finding per roster, naming its region.
 */
export function overdueLines(db: IndexDatabase, now: number): Finding[] {
  const rows = db.all(
    `WITH signed AS (SELECT roster_id, payout_deadline, tx, block FROM roster_endings WHERE kind = 'signed_off'),
          ended AS (SELECT DISTINCT roster_id FROM roster_endings WHERE kind IN ('closed', 'withdrawn', 'rejected')),
          paid AS (SELECT roster_id, COUNT(*) AS n FROM payouts GROUP BY roster_id),
          excluded AS (SELECT roster_id, COUNT(*) AS n FROM resolutions WHERE upheld = 1 GROUP BY roster_id),
          objected AS (SELECT roster_id, COUNT(*) AS n FROM objections GROUP BY roster_id),
          resolved AS (SELECT roster_id, COUNT(*) AS n FROM resolutions GROUP BY roster_id)
     SELECT r.roster_id, r.region, r.programme_id, s.payout_deadline, s.tx, s.block, b.time,
            r.line_count - COALESCE(paid.n, 0) - COALESCE(excluded.n, 0) - (COALESCE(objected.n, 0) - COALESCE(resolved.n, 0)) AS owed
     FROM rosters r JOIN signed s USING (roster_id)
       LEFT JOIN paid USING (roster_id) LEFT JOIN excluded USING (roster_id)
       LEFT JOIN objected USING (roster_id) LEFT JOIN resolved USING (roster_id)
       LEFT JOIN blocks b ON b.number = s.block
     WHERE s.payout_deadline < ? AND r.roster_id NOT IN (SELECT roster_id FROM ended)
     ORDER BY r.region, r.roster_id`,
    now,
  );
  return rows
    .filter((r) => num(r, "owed") > 0)
    .map((r) => ({
      kind: "overdue-lines" as const,
      subject: `roster ${r.roster_id}, region ${r.region}`,
      detail: `${r.owed} approved line(s) of programme ${r.programme_id} still unpaid ${daysBefore(now, num(r, "payout_deadline"))} days after the payout deadline (${isoTime(big(r, "payout_deadline"))})`,
      txs: [str(r, "tx")],
      ...at(r),
    }));
}

/**
 * Closed rosters with lines neither paid nor held: not paid (a returned or reversed line was paid),
 * not excluded by an upheld objection, not frozen by an open one. On this suite's contracts only a
 * closing the bureau requests with a reason and a stage office co-signs drops such lines
 * (`RosterLinesDropped`); a line of a suspended household is not held, so it is among them. One
 * finding per roster, with the lines and what they amounted to.
 */
export function closedWithUnpaidLines(db: IndexDatabase): Finding[] {
  // A line's status and hold as every audit derives them (line-status.ts).
  const lines = lineStatusSql("l.roster_id IN (SELECT roster_id FROM roster_endings WHERE kind = 'closed')");
  const rows = db.db
    .prepare(
      `
    WITH closed AS (SELECT roster_id, tx, block, released FROM roster_endings WHERE kind = 'closed'),
    unpaid AS (SELECT roster_id, line_index, amount FROM (${lines}) WHERE status = 'Unpaid' AND hold = 'None')
    SELECT c.roster_id, r.region, r.programme_id, c.tx, c.block, c.released, b.time,
           COUNT(*) AS n, SUM(u.amount) AS amount, GROUP_CONCAT(u.line_index) AS lines,
           (SELECT e.tx FROM roster_endings e WHERE e.roster_id = c.roster_id AND e.kind = 'close_requested'
            ORDER BY e.block DESC, e.log_index DESC LIMIT 1) AS request_tx,
           (SELECT e.lines FROM roster_endings e WHERE e.roster_id = c.roster_id AND e.kind = 'lines_dropped') AS dropped
    FROM unpaid u JOIN closed c USING (roster_id) JOIN rosters r USING (roster_id) LEFT JOIN blocks b ON b.number = c.block
    GROUP BY c.roster_id ORDER BY c.block, c.roster_id`,
    )
    .all({ now: db.head().time ?? 0 }) as Row[];
  return rows.map((r) => {
    const lines = indicesOf(r, "lines");
    const signed =
      r.dropped === null
        ? "no co-signed closing is recorded, which this suite's contracts require"
        : `the bureau asked to close it with a reason and a stage office co-signed, dropping ${r.dropped} line(s)`;
    return {
      kind: "closed-with-unpaid-lines" as const,
      subject: `roster ${r.roster_id}, region ${r.region}`,
      detail: `closed with ${r.n} line(s) of programme ${r.programme_id}, ${formatFen(big(r, "amount"))} yuan, neither paid nor held by an objection: 序号 ${listed(lines.map((i) => seqOf(i)))}; ${signed}; ${formatFen(big(r, "released"))} yuan went back to the region`,
      txs: [...(r.request_tx === null ? [] : [str(r, "request_tx")]), str(r, "tx")],
      ...at(r),
    };
  });
}
