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

/**
 * The lines ever objected to — few, whatever the size of the rosters — with their status and hold as
 * every audit derives them (line-status.ts), the latest objection's transaction and block.
 */
function objectedLines(db: IndexDatabase, now: number): Row[] {
  return db.db
    .prepare(
      `SELECT s.roster_id, s.line_index, s.status, s.hold, o.tx AS objection_tx, o.block, b.time
       FROM (${lineStatusSql("(l.roster_id, l.line_index) IN (SELECT roster_id, line_index FROM objections)")}) s
       JOIN objections o ON o.roster_id = s.roster_id AND o.line_index = s.line_index
         AND NOT EXISTS (SELECT 1 FROM objections x WHERE x.roster_id = o.roster_id AND x.line_index = o.line_index
                         AND (x.block > o.block OR (x.block = o.block AND x.log_index > o.log_index)))
       LEFT JOIN blocks b ON b.number = o.block
       ORDER BY s.roster_id, s.line_index`,
    )
    .all({ now }) as Row[];
}

/** Rosters that paid lines while an objection to one of their lines is still open (the line frozen). */
export function paidWithOpenObjection(db: IndexDatabase, now: number): Finding[] {
  const paidTxs = db.db.prepare("SELECT tx, amount FROM roster_paid WHERE roster_id = ? ORDER BY block, log_index");
  return objectedLines(db, now)
    .filter((r) => str(r, "hold") === "Frozen")
    .flatMap((r) => {
      const paid = paidTxs.all(big(r, "roster_id"));
      if (paid.length === 0) return [];
      const amount = paid.reduce((s, p) => s + big(p, "amount"), 0n);
      return [
        {
          kind: "paid-with-open-objection" as const,
          subject: `roster ${r.roster_id}`,
          detail: `the objection to ${lineSeq(r)} was never resolved, yet the roster paid ${formatFen(amount)} yuan in ${paid.length} batch(es)`,
          txs: [str(r, "objection_tx"), ...paid.slice(0, TXS_SHOWN).map((p) => str(p, "tx"))],
          ...at(r),
        },
      ];
    });
}

/**
 * Rosters past their payout deadline that still owe lines (approved, not paid, not excluded, not
 * frozen) and are not closed: the duty to pay, unmet. One finding per roster, naming its region.
 */
export function overdueLines(db: IndexDatabase, now: number): Finding[] {
  // Unpaid lines held by an objection (frozen while open, excluded when upheld) are not owed.
  const held = new Map<string, number>();
  for (const r of objectedLines(db, now))
    if (str(r, "status") === "Unpaid" && str(r, "hold") !== "None")
      held.set(str(r, "roster_id"), (held.get(str(r, "roster_id")) ?? 0) + 1);
  const rows = db.all(
    `WITH signed AS (SELECT roster_id, payout_deadline, tx, block FROM roster_endings WHERE kind = 'signed_off'),
          ended AS (SELECT DISTINCT roster_id FROM roster_endings WHERE kind IN ('closed', 'withdrawn', 'rejected')),
          paid AS (SELECT roster_id, COUNT(*) AS n FROM payouts GROUP BY roster_id)
     SELECT r.roster_id, r.region, r.programme_id, s.payout_deadline, s.tx, s.block, b.time,
            r.line_count - COALESCE(paid.n, 0) AS unpaid
     FROM rosters r JOIN signed s USING (roster_id)
       LEFT JOIN paid USING (roster_id)
       LEFT JOIN blocks b ON b.number = s.block
     WHERE s.payout_deadline < ? AND r.roster_id NOT IN (SELECT roster_id FROM ended)
     ORDER BY r.region, r.roster_id`,
    now,
  );
  return rows
    .map((r) => ({ r, owed: num(r, "unpaid") - (held.get(str(r, "roster_id")) ?? 0) }))
    .filter(({ owed }) => owed > 0)
    .map(({ r, owed }) => ({
      kind: "overdue-lines" as const,
      subject: `roster ${r.roster_id}, region ${r.region}`,
      detail: `${owed} approved line(s) of programme ${r.programme_id} still unpaid ${daysBefore(now, num(r, "payout_deadline"))} days after the payout deadline (${isoTime(big(r, "payout_deadline"))})`,
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
