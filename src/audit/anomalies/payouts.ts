/**
 * Findings about money paid out and what the bank did with it: the same household paid twice in a
 * period, payouts the bank never settled, amounts bunched at the cap, bank references used twice,
 * reversals left unrecovered.
 */
import type { IndexDatabase } from "../../indexer/index.js";
import { seqOf } from "../../lines.js";
import { formatFen } from "../../money.js";
import { groupBy } from "../../group.js";
import { big, lineSeq, num, str } from "../rows.js";
import { at, daysBefore, type Finding, listed, TXS_SHOWN, UNDONE } from "./findings.js";

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

/** Payouts neither confirmed, returned nor reversed `days` after they were recorded; one finding per payout transaction. */
export function unconfirmedPayouts(db: IndexDatabase, days: number, now: number): Finding[] {
  const cutoff = now - Math.round(days * 86_400);
  const rows = db.all(
    `WITH ${UNDONE}
     SELECT p.roster_id, p.tx, p.block, b.time, COUNT(*) AS n, SUM(p.amount) AS amount, GROUP_CONCAT(p.line_index) AS lines
     FROM payouts p JOIN blocks b ON b.number = p.block
     WHERE b.time <= ?
       AND NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.roster_id = p.roster_id AND c.line_index = p.line_index)
       AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.roster_id = p.roster_id AND u.line_index = p.line_index)
     GROUP BY p.roster_id, p.tx ORDER BY p.block, p.roster_id`,
    cutoff,
  );
  return rows.map((r) => {
    const lines = str(r, "lines")
      .split(",")
      .map(Number)
      .sort((a, b) => a - b);
    return {
      kind: "unconfirmed-payout" as const,
      subject: `roster ${r.roster_id}`,
      detail: `${r.n} line(s), ${formatFen(big(r, "amount"))} yuan, paid ${daysBefore(now, num(r, "time"))} days before the last indexed block and not confirmed by the bank: 序号 ${listed(lines.map((i) => seqOf(i)))}`,
      txs: [str(r, "tx")],
      ...at(r),
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

/**
 * One bank reference hash on several settlements (confirmations, returns, recoveries): a bank names
 * each transaction once, so a repeat is a copied reference or a settlement file applied to the wrong
 * lines. The chain refuses only a zero reference; repeats are reported here.
 */
export function repeatedBankReferences(db: IndexDatabase): Finding[] {
  const rows = db.all(`
    WITH refs AS (
      SELECT bank_ref_hash AS ref, 'confirmation of roster ' || roster_id || ' 序号 ' || (line_index + 1) AS what, tx, block FROM confirmations
      UNION ALL
      SELECT bank_ref_hash, 'return of roster ' || roster_id || ' 序号 ' || (line_index + 1), tx, block FROM returns
      UNION ALL
      SELECT bank_ref_hash, 'recovery of reversal ' || reversal_id, tx, block FROM recoveries),
    repeated AS (SELECT ref FROM refs GROUP BY ref HAVING COUNT(*) > 1)
    SELECT r.ref, r.what, r.tx, r.block, b.time FROM refs r JOIN repeated USING (ref) LEFT JOIN blocks b ON b.number = r.block
    ORDER BY r.ref, r.block, r.what`);
  return [...groupBy(rows, (r) => str(r, "ref")).values()].map((uses) => {
    const first = uses[0]!;
    return {
      kind: "repeated-bank-reference" as const,
      subject: `bank reference hash ${first.ref}`,
      detail: `one bank reference on ${uses.length} settlements: ${listed(uses.map((u) => str(u, "what")))}`,
      txs: [...new Set(uses.map((u) => str(u, "tx")))].slice(0, TXS_SHOWN),
      ...at(first),
    };
  });
}

/** Reversals approved `days` ago or more whose money the bank has not recorded as recovered. */
export function unrecoveredReversals(db: IndexDatabase, days: number, now: number): Finding[] {
  const cutoff = now - Math.round(days * 86_400);
  const rows = db.all(
    `SELECT v.reversal_id, v.roster_id, v.line_index, v.household, v.amount, d.tx, d.block, b.time
     FROM reversals v JOIN reversal_decisions d ON d.reversal_id = v.reversal_id AND d.approved = 1
       JOIN blocks b ON b.number = d.block
     WHERE b.time <= ? AND NOT EXISTS (SELECT 1 FROM recoveries c WHERE c.reversal_id = v.reversal_id)
     ORDER BY d.block, v.reversal_id`,
    cutoff,
  );
  return rows.map((r) => ({
    kind: "unrecovered-reversal" as const,
    subject: `reversal ${r.reversal_id}`,
    detail: `roster ${r.roster_id} ${lineSeq(r)} (household ${r.household}, ${formatFen(big(r, "amount"))} yuan) was approved for reversal ${daysBefore(now, num(r, "time"))} days before the last indexed block and the bank has not recorded recovering it: the money is still on the card`,
    txs: [str(r, "tx")],
    ...at(r),
  }));
}
