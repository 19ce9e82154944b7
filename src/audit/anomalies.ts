/**
 * Anomalies: patterns in the events that deserve a closer look. None of them is proof of wrongdoing
 * (docs/auditing.md says what each one does and does not show); each finding names the
 * transactions that make it, so that anyone can check it in a block explorer.
 *
 * Every query runs over the index in SQL (grouped, never loading 10^6 payouts into memory). "Now"
 * is the time of the last indexed block, not the wall clock, so that a finding depends only on the
 * chain up to that block and a rerun over the same index gives the same answer.
 */
import type { IndexDatabase, Row } from "../indexer/index.js";
import { seqOf } from "../lines.js";
import { formatFen } from "../money.js";
import { big, isoTime, lineSeq, num, str } from "./rows.js";

export const ANOMALY_KINDS = [
  "duplicate-household",
  "unconfirmed-payout",
  "paid-with-open-objection",
  "role-conflict",
  "cap-cluster",
  "fast-approval",
  "repeated-bank-reference",
  "unrecovered-reversal",
  "overdue-lines",
] as const;

export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface Finding {
  kind: AnomalyKind;
  /** What the finding is about, e.g. "household 17, period 202611" or "roster 3". */
  subject: string;
  detail: string;
  /** The transactions that prove it, earliest first. */
  txs: string[];
  block: number;
  time: string | null;
}

export interface AnomalyOptions {
  /** A payout unconfirmed by the bank this many days after it was recorded is reported. */
  unconfirmedDays: number;
  /** A roster with more than this share of its paid lines at exactly the cap is reported. */
  capShare: number;
  /** …if it paid at least this many lines (a three-line roster at the cap says little). */
  capMinLines: number;
  /** An approval less than this many seconds after the roster's submission is reported. */
  fastApprovalSeconds: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = {
  unconfirmedDays: 7,
  capShare: 0.3,
  capMinLines: 10,
  fastApprovalSeconds: 60,
};

/** How many line numbers a finding lists before it says "…". */
const SHOWN = 20;
const TXS_SHOWN = 20;

const listed = (items: readonly (string | number | bigint)[]) =>
  `${items.slice(0, SHOWN).join(", ")}${items.length > SHOWN ? `, … (${items.length} in all)` : ""}`;

/** Lines (roster, line) that no longer hold their payout: returned by the bank, or reversed and
 * recovered from the card (an approved reversal still awaiting recovery leaves the money there). */
const UNDONE = `
  undone AS (
    SELECT roster_id, line_index FROM returns
    UNION
    SELECT roster_id, line_index FROM recoveries)`;

/** The same household paid in several regions or programmes of one fiscal period (payouts that stand). */
function duplicateHouseholds(db: IndexDatabase): Finding[] {
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
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const k = `${row.household}/${row.fiscal_period}`;
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return [...groups.values()].map((g) => {
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
      block: num(first, "block"),
      time: isoTime(big(first, "time")),
    };
  });
}

/** Payouts neither confirmed, returned nor reversed `days` after they were recorded; one finding per payout transaction. */
function unconfirmedPayouts(db: IndexDatabase, days: number, now: number): Finding[] {
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
    const age = (now - num(r, "time")) / 86_400;
    return {
      kind: "unconfirmed-payout" as const,
      subject: `roster ${r.roster_id}`,
      detail: `${r.n} line(s), ${formatFen(big(r, "amount"))} yuan, paid ${age.toFixed(1)} days before the last indexed block and not confirmed by the bank: 序号 ${listed(lines.map((i) => seqOf(i)))}`,
      txs: [str(r, "tx")],
      block: num(r, "block"),
      time: isoTime(big(r, "time")),
    };
  });
}

/** Rosters that paid lines while an objection to one of their lines has never been resolved. */
function paidWithOpenObjection(db: IndexDatabase): Finding[] {
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
      block: num(r, "block"),
      time: isoTime(big(r, "time")),
    };
  });
}

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
function roleConflicts(db: IndexDatabase): Finding[] {
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
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const k = `${row.roster_id}/${row.account}`;
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  const findings: Finding[] = [];
  for (const g of groups.values()) {
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
      block: num(first, "block"),
      time: isoTime(big(first, "time")),
    });
  }
  return findings;
}

/**
 * Rosters where more than `share` of the paid lines are at exactly the programme's cap in force
 * when they were paid (the latest creation or amendment of its terms at or before the payout's
 * block).
 */
function capClusters(db: IndexDatabase, share: number, minLines: number): Finding[] {
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
      block: num(r, "block"),
      time: isoTime(big(r, "time")),
    };
  });
}

/** Approvals recorded less than `seconds` after the roster was submitted. */
function fastApprovals(db: IndexDatabase, seconds: number): Finding[] {
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

export interface AnomalyReport {
  block: number;
  time: string | null;
  options: AnomalyOptions;
  counts: Record<AnomalyKind, number>;
  findings: Finding[];
}

/**
 * One bank reference hash on several settlements (confirmations, returns, recoveries): a bank names
 * each transaction once, so a repeat is a copied reference or a settlement file applied to the wrong
 * lines. The chain refuses only a zero reference; repeats are reported here.
 */
function repeatedBankReferences(db: IndexDatabase): Finding[] {
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
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(str(r, "ref"), [...(groups.get(str(r, "ref")) ?? []), r]);
  return [...groups].map(([ref, uses]) => {
    const first = uses[0]!;
    return {
      kind: "repeated-bank-reference" as const,
      subject: `bank reference hash ${ref}`,
      detail: `one bank reference on ${uses.length} settlements: ${listed(uses.map((u) => str(u, "what")))}`,
      txs: [...new Set(uses.map((u) => str(u, "tx")))].slice(0, TXS_SHOWN),
      block: num(first, "block"),
      time: first.time === null ? null : isoTime(big(first, "time")),
    };
  });
}

/** Reversals approved `days` ago or more whose money the bank has not recorded as recovered. */
function unrecoveredReversals(db: IndexDatabase, days: number, now: number): Finding[] {
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
    detail: `roster ${r.roster_id} ${lineSeq(r)} (household ${r.household}, ${formatFen(big(r, "amount"))} yuan) was approved for reversal ${((now - num(r, "time")) / 86_400).toFixed(1)} days before the last indexed block and the bank has not recorded recovering it: the money is still on the card`,
    txs: [str(r, "tx")],
    block: num(r, "block"),
    time: isoTime(big(r, "time")),
  }));
}

/**
 * Rosters past their payout deadline that still owe lines (approved, not paid, not excluded, not
 * frozen) and are not closed: the duty to pay, unmet. One finding per roster, naming its region.
 */
function overdueLines(db: IndexDatabase, now: number): Finding[] {
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
      detail: `${r.owed} approved line(s) of programme ${r.programme_id} still unpaid ${((now - num(r, "payout_deadline")) / 86_400).toFixed(1)} days after the payout deadline (${isoTime(big(r, "payout_deadline"))})`,
      txs: [str(r, "tx")],
      block: num(r, "block"),
      time: r.time === null ? null : isoTime(big(r, "time")),
    }));
}

export function findAnomalies(db: IndexDatabase, options: Partial<AnomalyOptions> = {}): AnomalyReport {
  const o = { ...DEFAULT_ANOMALY_OPTIONS, ...options };
  const head = db.head();
  const now = head.time ?? 0;
  const findings = [
    ...duplicateHouseholds(db),
    ...unconfirmedPayouts(db, o.unconfirmedDays, now),
    ...paidWithOpenObjection(db),
    ...roleConflicts(db),
    ...capClusters(db, o.capShare, o.capMinLines),
    ...fastApprovals(db, o.fastApprovalSeconds),
    ...repeatedBankReferences(db),
    ...unrecoveredReversals(db, o.unconfirmedDays, now),
    ...overdueLines(db, now),
  ];
  const counts = Object.fromEntries(
    ANOMALY_KINDS.map((k) => [k, findings.filter((f) => f.kind === k).length]),
  ) as Record<AnomalyKind, number>;
  return { block: head.block, time: isoTime(head.time), options: o, counts, findings };
}
