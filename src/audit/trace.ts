/**
 * The history of one household, roster or programme, rebuilt from the index: every step with its
 * block, block time and transaction hash, in chain order. Line-level steps of a roster that come in
 * bulk (payout batches, bank confirmations) are given per transaction, with their line counts.
 */

import type { IndexDatabase, Row } from "../indexer/index.js";
import { ENUM_NAMES } from "../chain/states.js";
import { seqText } from "../lines.js";
import { formatFen } from "../money.js";
import { describeStages, unpackStages } from "../offices.js";
import { big, earmarkText, isoTime, lineSeq, num, str } from "./rows.js";

export interface TraceEntry {
  block: number;
  logIndex: number;
  time: string | null;
  tx: string;
  event: string;
  detail: string;
}

export type TraceSubject = { household: bigint } | { commitment: string } | { roster: bigint } | { programme: bigint };

export interface Trace {
  subject: string;
  block: number;
  entries: TraceEntry[];
}

const yuan = (row: Row, column = "amount") => `${formatFen(big(row, column))} yuan`;
const suspensionReason = (value: bigint) => ENUM_NAMES.SuspensionReason[Number(value)] ?? `reason ${value}`;

class Collector {
  readonly entries: TraceEntry[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly db: IndexDatabase) {}

  /** Adds one entry per row of `sql` (rows must carry block, log_index, tx); each event once. */
  add(
    sql: string,
    params: Array<bigint | string>,
    event: string | ((row: Row) => string),
    detail: (row: Row) => string,
  ): Row[] {
    const rows = this.db.all(
      `SELECT q.*, b.time AS block_time FROM (${sql}) q LEFT JOIN blocks b ON b.number = q.block`,
      ...params,
    );
    for (const row of rows) {
      const id = `${row.block}/${row.log_index}/${typeof event === "string" ? event : event(row)}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.entries.push({
        block: num(row, "block"),
        logIndex: num(row, "log_index"),
        time: isoTime(row.block_time === null ? null : big(row, "block_time")),
        tx: str(row, "tx"),
        event: typeof event === "string" ? event : event(row),
        detail: detail(row),
      });
    }
    return rows;
  }

  sorted(): TraceEntry[] {
    return [...this.entries].sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
  }
}

/** Submission, decisions, publicity, ending of the rosters in `ids`. */
function rosterLifecycle(c: Collector, where: string, params: bigint[]): void {
  c.add(
    `SELECT * FROM rosters WHERE ${where}`,
    params,
    "RosterSubmitted",
    (r) =>
      `roster ${r.roster_id} submitted by ${r.submitter} for programme ${r.programme_id}, region ${r.region}: ${r.line_count} lines, ${yuan(r, "total")}; root ${r.root}, list ${r.document_uri} (hash ${r.document_hash})`,
  );
  c.add(
    `SELECT * FROM roster_seals WHERE ${where}`,
    params,
    "RosterSealed",
    (r) =>
      `roster ${r.roster_id}: every line on chain, adding up to ${yuan(r, "total")} with root ${r.root}, as declared: sealed, sign-off may start`,
  );
  c.add(
    `SELECT * FROM approvals WHERE ${where}`,
    params,
    (r) => (str(r, "decision") === "approved" ? "RosterApproved" : "RosterRejected"),
    (r) =>
      str(r, "decision") === "approved"
        ? `roster ${r.roster_id} approved at stage ${num(r, "stage") + 1} by department ${r.department} (${r.approver}${num(r, "signed") ? ", signed seal relayed" : ""})`
        : `roster ${r.roster_id} rejected by department ${r.department} (${r.approver}), reason hash ${r.reason_hash}`,
  );
  c.add(
    `SELECT * FROM roster_endings WHERE kind <> 'rejected' AND ${where}`,
    params,
    (r) =>
      ({
        signed_off: "RosterSignedOff",
        withdrawn: "RosterWithdrawn",
        closed: "RosterClosed",
        close_requested: "RosterCloseRequested",
        lines_dropped: "RosterLinesDropped",
      })[str(r, "kind")] ?? str(r, "kind"),
    (r) => {
      switch (str(r, "kind")) {
        case "signed_off":
          return `roster ${r.roster_id} signed off by every review stage; publicity until ${isoTime(big(r, "publicity_ends_at"))}, every line to be paid by ${isoTime(big(r, "payout_deadline"))}`;
        case "close_requested":
          return `roster ${r.roster_id}: its bureau asked to close it with ${r.lines} line(s) still owed, reason hash ${r.reason_hash}`;
        case "lines_dropped":
          return `roster ${r.roster_id}: a reviewing department co-signed closing it, dropping ${r.lines} unpaid line(s), reason hash ${r.reason_hash}`;
        case "withdrawn":
          return `roster ${r.roster_id} withdrawn by its region's bureau, reason hash ${r.reason_hash}`;
        default:
          return `roster ${r.roster_id} closed; ${yuan(r, "released")} not paid went back to the region`;
      }
    },
  );
}

function householdTrace(db: IndexDatabase, household: bigint): TraceEntry[] {
  const c = new Collector(db);
  c.add(
    "SELECT h.*, b.region FROM households h LEFT JOIN household_blocks b ON b.block_id = h.household / 256 WHERE h.household = ?",
    [household],
    "HouseholdRegistered",
    (r) =>
      `household ${r.household} registered in region ${r.region ?? "(unknown: its block was opened before the index starts)"}, commitment ${r.commitment}, attestation hash ${r.attestation_hash}`,
  );
  c.add(
    "SELECT * FROM suspensions WHERE household = ?",
    [household],
    (r) => (num(r, "suspended") ? "HouseholdSuspended" : "HouseholdReinstated"),
    (r) =>
      num(r, "suspended")
        ? `suspended (${suspensionReason(big(r, "reason"))}), reason hash ${r.reason_hash}`
        : `reinstated, reason hash ${r.reason_hash}`,
  );
  // The household's lines: wherever its id appears with a roster and line index, from its listing on.
  const lines = db.all(
    `SELECT roster_id, line_index FROM roster_lines WHERE household = ?
     UNION SELECT roster_id, line_index FROM payouts WHERE household = ?
     UNION SELECT roster_id, line_index FROM resolutions WHERE household = ?
     UNION SELECT roster_id, line_index FROM returns WHERE household = ?
     UNION SELECT roster_id, line_index FROM reversals WHERE household = ?`,
    household,
    household,
    household,
    household,
    household,
  );
  c.add(
    "SELECT * FROM roster_lines WHERE household = ?",
    [household],
    "LineListed",
    (r) => `listed on roster ${r.roster_id} as ${lineSeq(r)} of its published list: ${yuan(r)}`,
  );
  const rosters = [...new Set(lines.map((l) => big(l, "roster_id")))];
  for (const rosterId of rosters) rosterLifecycle(c, "roster_id = ?", [rosterId]);
  for (const l of lines) {
    const at = [big(l, "roster_id"), big(l, "line_index")];
    c.add(
      "SELECT * FROM objections WHERE roster_id = ? AND line_index = ?",
      at,
      "LineObjected",
      (r) => `roster ${r.roster_id} ${lineSeq(r)} objected to by ${r.objector}, evidence hash ${r.evidence_hash}`,
    );
    c.add(
      "SELECT * FROM confirmations WHERE roster_id = ? AND line_index = ?",
      at,
      "PayoutConfirmed",
      (r) =>
        `the bank confirmed roster ${r.roster_id} ${lineSeq(r)} as credited, bank reference hash ${r.bank_ref_hash}`,
    );
  }
  c.add(
    "SELECT * FROM resolutions WHERE household = ?",
    [household],
    "ObjectionResolved",
    (r) =>
      `objection to roster ${r.roster_id} ${lineSeq(r)} ${num(r, "upheld") ? `upheld (line excluded, ${yuan(r)} released)` : "dismissed (line payable)"} by department ${r.department}`,
  );
  c.add(
    "SELECT p.*, r.programme_id, r.region FROM payouts p JOIN rosters r USING (roster_id) WHERE p.household = ?",
    [household],
    "PayoutRecorded",
    (r) =>
      `paid ${yuan(r)} on roster ${r.roster_id} ${lineSeq(r)} (programme ${r.programme_id}, region ${r.region}, batch ${r.batch_id ?? "?"})`,
  );
  c.add(
    "SELECT * FROM returns WHERE household = ?",
    [household],
    "PayoutReturned",
    (r) =>
      `the bank returned ${yuan(r)} of roster ${r.roster_id} ${lineSeq(r)}, bank reference hash ${r.bank_ref_hash}`,
  );
  const reversals = c.add(
    "SELECT * FROM reversals WHERE household = ?",
    [household],
    "ReversalRequested",
    (r) =>
      `reversal ${r.reversal_id} of roster ${r.roster_id} ${lineSeq(r)} (${yuan(r)}) requested by ${r.requester}, reason hash ${r.reason_hash}`,
  );
  for (const v of reversals) decisions(c, big(v, "reversal_id"));
  return c.sorted();
}

function decisions(c: Collector, reversalId: bigint): void {
  c.add(
    "SELECT * FROM reversal_decisions WHERE reversal_id = ?",
    [reversalId],
    (r) => (num(r, "approved") ? "ReversalApproved" : "ReversalRejected"),
    (r) =>
      `reversal ${r.reversal_id} ${num(r, "approved") ? "approved: the line awaits the bank's recovery of the money from the card" : `rejected, reason hash ${r.reason_hash}`} (department ${r.department}, ${r.approver})`,
  );
  c.add(
    "SELECT * FROM recoveries WHERE reversal_id = ?",
    [reversalId],
    "ReversalRecovered",
    (r) =>
      `reversal ${r.reversal_id} recovered by the bank: the line is Reversed and ${yuan(r)} went back to the region, bank reference hash ${r.bank_ref_hash}`,
  );
}

function rosterTrace(db: IndexDatabase, rosterId: bigint): TraceEntry[] {
  const c = new Collector(db);
  rosterLifecycle(c, "roster_id = ?", [rosterId]);
  c.add(
    "SELECT * FROM objections WHERE roster_id = ?",
    [rosterId],
    "LineObjected",
    (r) => `${lineSeq(r)} objected to by ${r.objector}, evidence hash ${r.evidence_hash}`,
  );
  c.add(
    "SELECT * FROM resolutions WHERE roster_id = ?",
    [rosterId],
    "ObjectionResolved",
    (r) =>
      `objection to ${lineSeq(r)} (household ${r.household}) ${num(r, "upheld") ? `upheld: line excluded, ${yuan(r)} released` : "dismissed: line payable"} by department ${r.department}`,
  );
  c.add(
    "SELECT b.*, t.sender FROM batches b LEFT JOIN txs t ON t.hash = b.tx WHERE b.roster_id = ?",
    [rosterId],
    "PayoutBatchRecorded",
    (r) =>
      `payout batch ${r.batch_id}: ${r.line_count} lines, ${yuan(r)}, recorded by ${r.sender || "?"}; batch hash ${r.batch_hash} ${num(r, "hash_ok") ? "matches its lines" : "DOES NOT match its lines"}`,
  );
  c.add(
    `SELECT MIN(block) AS block, MIN(log_index) AS log_index, tx, COUNT(*) AS n, MIN(line_index) AS first, MAX(line_index) AS last
     FROM confirmations WHERE roster_id = ? GROUP BY tx`,
    [rosterId],
    "PayoutConfirmed",
    (r) => `the bank confirmed ${r.n} line(s) as credited (${seqText(num(r, "first"), num(r, "last"))})`,
  );
  c.add(
    "SELECT * FROM returns WHERE roster_id = ?",
    [rosterId],
    "PayoutReturned",
    (r) =>
      `the bank returned ${lineSeq(r)} (household ${r.household}, ${yuan(r)}), bank reference hash ${r.bank_ref_hash}`,
  );
  const reversals = c.add(
    "SELECT * FROM reversals WHERE roster_id = ?",
    [rosterId],
    "ReversalRequested",
    (r) =>
      `reversal ${r.reversal_id} of ${lineSeq(r)} (household ${r.household}, ${yuan(r)}) requested by ${r.requester}, reason hash ${r.reason_hash}`,
  );
  for (const v of reversals) decisions(c, big(v, "reversal_id"));
  return c.sorted();
}

function programmeTrace(db: IndexDatabase, programmeId: bigint): TraceEntry[] {
  const c = new Collector(db);
  c.add(
    "SELECT * FROM programmes WHERE programme_id = ?",
    [programmeId],
    "ProgrammeCreated",
    (r) =>
      `programme ${r.programme_id} created: earmark ${earmarkText(str(r, "earmark"))}, fiscal period ${r.fiscal_period}, root region ${r.root_region}`,
  );
  c.add(
    "SELECT * FROM programme_terms WHERE programme_id = ?",
    [programmeId],
    (r) => (str(r, "kind") === "created" ? "ProgrammeTerms" : "ProgrammeAmended"),
    (r) =>
      `${str(r, "kind") === "created" ? "terms" : "terms amended"}: ceiling ${yuan(r, "budget_ceiling")}, cap ${yuan(r, "household_cap")}, publicity ${num(r, "publicity_period") / 86_400} days, review ${describeStages(unpackStages(BigInt(str(r, "review_stages"))))}, policy ${r.policy_uri} (${r.policy_doc_hash})`,
  );
  c.add(
    "SELECT * FROM ledger_moves WHERE programme_id = ? AND kind IN ('funded', 'allocated', 'reclaimed')",
    [programmeId],
    (r) => ({ funded: "ProgrammeFunded", allocated: "BudgetAllocated", reclaimed: "BudgetReclaimed" })[str(r, "kind")]!,
    (r) => {
      switch (str(r, "kind")) {
        case "funded":
          return `${yuan(r)} funded into root region ${r.region} by ${r.account}`;
        case "allocated":
          return `${yuan(r)} allocated from ${r.region} to ${r.other_region}`;
        default:
          return `${yuan(r)} reclaimed by ${r.region} from ${r.other_region}`;
      }
    },
  );
  rosterLifecycle(c, "roster_id IN (SELECT roster_id FROM rosters WHERE programme_id = ?)", [programmeId]);
  c.add(
    "SELECT * FROM roster_paid WHERE programme_id = ?",
    [programmeId],
    "RosterPaid",
    (r) => `roster ${r.roster_id} (region ${r.region}) paid ${yuan(r)}`,
  );
  c.add(
    "SELECT * FROM returns WHERE programme_id = ?",
    [programmeId],
    "PayoutReturned",
    (r) => `the bank returned roster ${r.roster_id} ${lineSeq(r)} (household ${r.household}, ${yuan(r)})`,
  );
  c.add(
    `SELECT d.*, v.line_index, v.amount FROM reversal_decisions d JOIN reversals v USING (reversal_id)
     WHERE d.approved = 1 AND v.roster_id IN (SELECT roster_id FROM rosters WHERE programme_id = ?)`,
    [programmeId],
    "ReversalApproved",
    (r) => `reversal ${r.reversal_id} of roster ${r.roster_id} ${lineSeq(r)} approved: ${yuan(r)} back to the region`,
  );
  return c.sorted();
}

export function trace(db: IndexDatabase, subject: TraceSubject): Trace {
  const block = db.head().block;
  if ("commitment" in subject) {
    const commitment = subject.commitment.toLowerCase();
    const row = db.get("SELECT household FROM households WHERE commitment = ?", commitment);
    if (!row) throw new Error(`no household is registered under commitment ${commitment} (index up to block ${block})`);
    const household = big(row, "household");
    return {
      subject: `household ${household} (commitment ${commitment})`,
      block,
      entries: householdTrace(db, household),
    };
  }
  if ("household" in subject) {
    if (!db.get("SELECT 1 FROM households WHERE household = ?", subject.household)) {
      throw new Error(`no household ${subject.household} is registered (index up to block ${block})`);
    }
    return { subject: `household ${subject.household}`, block, entries: householdTrace(db, subject.household) };
  }
  if ("roster" in subject) {
    if (!db.get("SELECT 1 FROM rosters WHERE roster_id = ?", subject.roster))
      throw new Error(`no roster ${subject.roster} was submitted (index up to block ${block})`);
    return { subject: `roster ${subject.roster}`, block, entries: rosterTrace(db, subject.roster) };
  }
  if (!db.get("SELECT 1 FROM programmes WHERE programme_id = ?", subject.programme))
    throw new Error(`no programme ${subject.programme} was created (index up to block ${block})`);
  return { subject: `programme ${subject.programme}`, block, entries: programmeTrace(db, subject.programme) };
}
