/**
 * Findings about who was paid how much: the same household paid in two places of one period, rosters
 * with their amounts bunched at the cap.
 */
import type { IndexDatabase } from "../../indexer/index.js";
import { groupBy } from "../../group.js";
import { formatFen } from "../../money.js";
import { big, lineSeq, num, str } from "../rows.js";
import { at, type Finding, TXS_SHOWN, UNDONE } from "./findings.js";

/** The same household paid in several regions or programmes of one fiscal period (payouts that stand). */
export function duplicateHouseholds(db: IndexDatabase): Finding[] {
  const rows = db.all(`
    WITH ${UNDONE},
    standing AS (
      SELECT p.household, p.roster_id, p.line_index, p.amount, p.tx, p.block, r.programme_id, r.region, g.fiscal_period
      FROM payouts p JOIN rosters r USING (roster_id) JOIN programmes g ON g.programme_id = r.programme_id
      WHERE NOT EXISTS (SELECT 1 FROM undone u WHERE u.roster_id = p.roster_id AND u.line_index = p.line_index)),
    dup AS (
      SELECT household, fiscal_period FROM standing GROUP BY household, fiscal_period
      HAVING COUNT(DISTINCT programme_id || '/' || region) > 1)
    SELECT s.*, b.time FROM standing s JOIN dup USING (household, fiscal_period) LEFT JOIN blocks b ON b.number = s.block
    ORDER BY s.household, s.fiscal_period, s.block, s.line_index`);
  return [...groupBy(rows, (r) => `${r.household}/${r.fiscal_period}`).values()].map((g) => {
    const first = g[0]!;
    const places = g.map(
      (r) =>
        `programme ${r.programme_id} region ${r.region} (roster ${r.roster_id} ${lineSeq(r)}, ${formatFen(big(r, "amount"))} yuan)`,
    );
    return {
      kind: "duplicate-household" as const,
      subject: `household ${first.household}, period ${first.fiscal_period}`,
      detail: `paid ${g.length} times in one fiscal period: ${places.join("; ")}`,
      txs: [...new Set(g.map((r) => str(r, "tx")))],
      ...at(first),
    };
  });
}

/**
 * Rosters where more than `share` of the paid lines are at exactly the programme's cap in force
 * when they were paid (the latest creation or amendment of its terms at or before the payout's
 * block).
 */
export function capClusters(db: IndexDatabase, share: number, minLines: number): Finding[] {
  const rows = db.all(
    `WITH paid_blocks AS (SELECT DISTINCT roster_id, block FROM payouts),
     caps AS (
       SELECT pb.roster_id, pb.block,
              (SELECT t.household_cap FROM programme_terms t WHERE t.programme_id = r.programme_id AND t.block <= pb.block
               ORDER BY t.block DESC, t.log_index DESC LIMIT 1) AS cap
       FROM paid_blocks pb JOIN rosters r USING (roster_id)),
     per_roster AS (
       SELECT p.roster_id, COUNT(*) AS lines, SUM(p.amount = caps.cap) AS at_cap, MAX(caps.cap) AS cap, MIN(p.block) AS block
       FROM payouts p JOIN caps USING (roster_id, block) GROUP BY p.roster_id)
     SELECT per_roster.*, b.time FROM per_roster LEFT JOIN blocks b ON b.number = per_roster.block
     WHERE lines >= ? AND at_cap * 1.0 > ? * lines ORDER BY roster_id`,
    minLines,
    share,
  );
  const txsAtCap = db.db.prepare(
    `SELECT DISTINCT p.tx FROM payouts p JOIN rosters r USING (roster_id)
     WHERE p.roster_id = ? AND p.amount = (SELECT t.household_cap FROM programme_terms t WHERE t.programme_id = r.programme_id AND t.block <= p.block ORDER BY t.block DESC, t.log_index DESC LIMIT 1)
     ORDER BY p.block LIMIT ${TXS_SHOWN}`,
  );
  return rows.map((r) => {
    const lines = num(r, "lines");
    const atCap = num(r, "at_cap");
    return {
      kind: "cap-cluster" as const,
      subject: `roster ${r.roster_id}`,
      detail: `${atCap} of its ${lines} paid lines (${((100 * atCap) / lines).toFixed(1)}%, threshold ${(100 * share).toFixed(0)}%) are at exactly the cap of ${formatFen(big(r, "cap"))} yuan`,
      txs: txsAtCap.all(big(r, "roster_id")).map((t) => str(t, "tx")),
      ...at(r),
    };
  });
}
