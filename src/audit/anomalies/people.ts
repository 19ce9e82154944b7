/** Findings about the people who act on a roster: one account in two duties, approvals given in seconds. */
import type { IndexDatabase } from "../../indexer/index.js";
import { groupBy } from "../../group.js";
import { big, isoTime, num, str } from "../rows.js";
import { at, type Finding, TXS_SHOWN } from "./findings.js";

/** The duty each act on a roster belongs to: the contracts give each duty its own office (docs/spec.md §2.2). */
const DUTY_OF_ACT: Record<string, string> = {
  submitter: "submit",
  approver: "review",
  resolver: "review",
  "reversal approver": "review",
  disburser: "disburse",
  "reversal requester": "disburse",
  settler: "settle",
};

/**
 * One account doing two different duties on one roster: submit, review (approve, resolve
 * objections, decide reversals), disburse (pay, request reversals) and settle (confirm, return,
 * recover). The contracts refuse this (one account holds one office, for life, and each duty needs
 * its own kind of office), so a finding here means the chain's rules were not those of this suite;
 * the check stays as the auditor's independent one. Acts are attributed to the sending account of
 * the transaction (for a call routed through the AccessManager, the account that called execute).
 */
export function roleConflicts(db: IndexDatabase): Finding[] {
  const rows = db.all(`
    WITH acts AS (
      SELECT roster_id, submitter AS account, 'submitter' AS role, tx, block, log_index FROM rosters
      UNION ALL SELECT roster_id, approver, 'approver', tx, block, log_index FROM approvals
      UNION ALL SELECT b.roster_id, t.sender, 'disburser', b.tx, b.block, b.log_index FROM batches b JOIN txs t ON t.hash = b.tx
      UNION ALL SELECT s.roster_id, t.sender, 'resolver', s.tx, s.block, s.log_index FROM resolutions s JOIN txs t ON t.hash = s.tx
      UNION ALL SELECT roster_id, requester, 'reversal requester', tx, block, log_index FROM reversals
      UNION ALL SELECT roster_id, approver, 'reversal approver', tx, block, log_index FROM reversal_decisions
      UNION ALL SELECT c.roster_id, t.sender, 'settler', c.tx, c.block, c.log_index FROM confirmations c JOIN txs t ON t.hash = c.tx
      UNION ALL SELECT r.roster_id, t.sender, 'settler', r.tx, r.block, r.log_index FROM returns r JOIN txs t ON t.hash = r.tx
      UNION ALL SELECT v.roster_id, t.sender, 'settler', v.tx, v.block, v.log_index FROM recoveries v JOIN txs t ON t.hash = v.tx),
    multi AS (SELECT roster_id, account FROM acts GROUP BY roster_id, account HAVING COUNT(DISTINCT role) > 1)
    SELECT acts.*, b.time FROM acts JOIN multi USING (roster_id, account) LEFT JOIN blocks b ON b.number = acts.block
    ORDER BY acts.roster_id, acts.account, acts.block, acts.log_index`);
  const findings: Finding[] = [];
  for (const g of groupBy(rows, (r) => `${r.roster_id}/${r.account}`).values()) {
    const roles = new Set(g.map((r) => str(r, "role")));
    if (new Set([...roles].map((role) => DUTY_OF_ACT[role])).size < 2) continue;
    const first = g[0]!;
    const named = [...roles].map((role) => {
      const acts = g.filter((r) => str(r, "role") === role);
      return `${role}${acts.length > 1 ? ` (${acts.length} times)` : ""}`;
    });
    findings.push({
      kind: "role-conflict",
      subject: `roster ${first.roster_id}`,
      detail: `account ${first.account} acted as ${named.join(" and ")}`,
      txs: [...new Set(g.map((r) => str(r, "tx")))].slice(0, TXS_SHOWN),
      ...at(first),
    });
  }
  return findings;
}

/** Approvals recorded less than `seconds` after the roster was submitted. */
export function fastApprovals(db: IndexDatabase, seconds: number): Finding[] {
  const rows = db.all(
    `SELECT a.roster_id, a.department, a.approver, a.signed, a.tx, a.block, ab.time AS approved_at, r.tx AS submit_tx, rb.time AS submitted_at
     FROM approvals a JOIN rosters r USING (roster_id) JOIN blocks ab ON ab.number = a.block JOIN blocks rb ON rb.number = r.block
     WHERE a.decision = 'approved' AND ab.time - rb.time < ?
     ORDER BY a.block, a.log_index`,
    seconds,
  );
  return rows.map((r) => ({
    kind: "fast-approval" as const,
    subject: `roster ${r.roster_id}, department ${r.department}`,
    detail: `department ${r.department} (${r.approver}) approved ${num(r, "approved_at") - num(r, "submitted_at")} s after submission${num(r, "signed") ? " (a signed seal, relayed then)" : ""}`,
    txs: [str(r, "submit_tx"), str(r, "tx")],
    block: num(r, "block"),
    time: isoTime(big(r, "approved_at")),
  }));
}
