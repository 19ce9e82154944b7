/**
 * Findings about what the bank did with the money paid out, and how it was corrected: payouts the bank
 * never settled, one bank reference on several settlements, returns never paid again, reversals of
 * payouts the bank had confirmed, reversals left unrecovered.
 */
import type { IndexDatabase } from "../../indexer/index.js";
import { groupBy } from "../../group.js";
import { seqOf } from "../../lines.js";
import { formatFen } from "../../money.js";
import { big, isoTime, lineSeq, num, str } from "../rows.js";
import { at, daysBefore, type Finding, indicesOf, listed, TXS_SHOWN, UNDONE } from "./findings.js";

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
    const lines = indicesOf(r, "lines");
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

/**
 * Payouts the bank returned whose household was never paid again in the programme: no payout to it,
 * in any roster of the programme, after the return. The contract lets a returned household be paid
 * again only through a new line, so a line is never paid twice. One finding per return.
 */
export function returnedNeverRepaid(db: IndexDatabase, now: number): Finding[] {
  const rows = db.all(`
    SELECT t.roster_id, t.line_index, t.household, t.programme_id, t.amount, t.tx, t.block, b.time,
           (SELECT p.tx FROM payouts p WHERE p.roster_id = t.roster_id AND p.line_index = t.line_index
            ORDER BY p.block, p.log_index LIMIT 1) AS payout_tx
    FROM returns t LEFT JOIN blocks b ON b.number = t.block
    WHERE NOT EXISTS (
      SELECT 1 FROM payouts p JOIN rosters r USING (roster_id)
      WHERE p.household = t.household AND r.programme_id = t.programme_id
        AND (p.block > t.block OR (p.block = t.block AND p.log_index > t.log_index)))
    ORDER BY t.block, t.log_index`);
  return rows.map((r) => ({
    kind: "returned-never-repaid" as const,
    subject: `household ${r.household}, programme ${r.programme_id}`,
    detail: `roster ${r.roster_id} ${lineSeq(r)} (${formatFen(big(r, "amount"))} yuan) was returned by the bank ${daysBefore(now, num(r, "time"))} days before the last indexed block, and the household has not been paid again in the programme`,
    txs: [...(r.payout_tx === null ? [] : [str(r, "payout_tx")]), str(r, "tx")],
    ...at(r),
  }));
}

/**
 * Approved reversals (红字冲销) of payouts the bank had confirmed as credited: money that reached the
 * household's card, taken back. On this suite's contracts only a confirmed payout can be reversed (an
 * unconfirmed one is returned by the bank), so this lists every approved reversal, as the auditor's
 * own check of that rule and as the record of every claw-back. One finding per reversal, naming the
 * confirmation, the request, the approval and, once recorded, the bank's recovery.
 */
export function reversalsOfConfirmedPayouts(db: IndexDatabase): Finding[] {
  const rows = db.all(`
    SELECT v.reversal_id, v.roster_id, v.line_index, v.household, v.amount, v.tx AS request_tx,
           d.tx, d.block, d.department, b.time, c.tx AS confirm_tx, cb.time AS confirmed_at, rc.tx AS recovery_tx
    FROM reversals v JOIN reversal_decisions d ON d.reversal_id = v.reversal_id AND d.approved = 1
      JOIN confirmations c ON c.roster_id = v.roster_id AND c.line_index = v.line_index
        AND (c.block < v.block OR (c.block = v.block AND c.log_index < v.log_index))
      LEFT JOIN recoveries rc ON rc.reversal_id = v.reversal_id
      LEFT JOIN blocks b ON b.number = d.block LEFT JOIN blocks cb ON cb.number = c.block
    ORDER BY d.block, d.log_index`);
  return rows.map((r) => ({
    kind: "reversal-of-confirmed-payout" as const,
    subject: `reversal ${r.reversal_id}`,
    detail: `roster ${r.roster_id} ${lineSeq(r)} (household ${r.household}, ${formatFen(big(r, "amount"))} yuan) was confirmed by the bank as credited${r.confirmed_at === null ? "" : ` at ${isoTime(big(r, "confirmed_at"))}`}, then reversed with the approval of department ${r.department}; ${r.recovery_tx === null ? "the bank has not recorded recovering it from the card" : "the bank recorded recovering it from the card"}`,
    txs: [
      str(r, "confirm_tx"),
      str(r, "request_tx"),
      str(r, "tx"),
      ...(r.recovery_tx === null ? [] : [str(r, "recovery_tx")]),
    ],
    ...at(r),
  }));
}
