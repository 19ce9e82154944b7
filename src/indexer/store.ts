/**
 * Writing one range of decoded logs into the raw and typed tables, with prepared statements, inside
 * the caller's transaction. Payout lines are held until the PayoutBatchRecorded log of their
 * transaction, so that each line is stored with its batch id and each batch is checked against
 * its lines as it is stored: batch hash (as src/lines.ts batchHash computes it), line count, amount, and the
 * RosterPaid amount that follows it.
 */

import { ZeroHash } from "ethers";

import { batchHash, type RosterLine, seqText } from "../lines.js";
import type { IndexDatabase } from "./database.js";
import { argsJson, type DecodedEvent, type DecodedLog } from "./decode.js";
import type { StatementSync, SQLInputValue } from "./sqlite.js";

const INT64_MAX = 2n ** 63n - 1n;

/** An integer argument as SQLite stores it; refused by name if it does not fit 64 bits. */
function int(log: DecodedLog, field: string): bigint {
  const value = log.event!.args[field];
  const n = typeof value === "bigint" ? value : BigInt(value as number);
  if (n < 0n || n > INT64_MAX) {
    throw new Error(
      `${log.contract}.${log.event!.name} at block ${log.block}, log ${log.logIndex} (tx ${log.tx}) has ${field} = ${n}, beyond the 64-bit integers this index stores; it cannot be audited with this tool`,
    );
  }
  return n;
}

const text = (log: DecodedLog, field: string): string => String(log.event!.args[field]).toLowerCase();
const flag = (log: DecodedLog, field: string): number => (log.event!.args[field] ? 1 : 0);

interface PendingLine {
  log: DecodedLog;
  rosterId: bigint;
  line: RosterLine;
}

interface LastBatch {
  rosterId: bigint;
  batchId: bigint;
  amount: bigint;
}

export interface StoreCounts {
  events: number;
  byName: Map<string, number>;
  issues: number;
}

export class EventStore {
  private readonly insert: Record<string, StatementSync>;
  /** Payout lines of each transaction since its last batch event. */
  private pending = new Map<string, PendingLine[]>();
  /** The last batch of each transaction, for the RosterPaid that follows it. */
  private lastBatch = new Map<string, LastBatch>();
  private counts: StoreCounts = { events: 0, byName: new Map(), issues: 0 };

  constructor(private readonly db: IndexDatabase) {
    const prepare = (table: string, columns: string[]) =>
      db.db.prepare(
        `INSERT OR IGNORE INTO ${table} (block, log_index, tx, ${columns.join(", ")}) VALUES (?, ?, ?${", ?".repeat(columns.length)})`,
      );
    this.insert = {
      events: prepare("events", ["contract", "address", "name", "args"]),
      issues: prepare("issues", ["kind", "detail"]),
      programmes: prepare("programmes", ["programme_id", "earmark", "fiscal_period", "root_region"]),
      programme_terms: prepare("programme_terms", [
        "programme_id",
        "kind",
        "budget_ceiling",
        "household_cap",
        "publicity_period",
        "payout_period",
        "review_stages",
        "policy_doc_hash",
        "policy_uri",
      ]),
      ledger_moves: prepare("ledger_moves", ["programme_id", "kind", "region", "other_region", "amount", "account"]),
      households: prepare("households", ["household", "commitment", "attestation_hash"]),
      household_blocks: prepare("household_blocks", ["block_id", "region"]),
      suspensions: prepare("suspensions", ["household", "commitment", "suspended", "reason", "reason_hash"]),
      offices: prepare("offices", ["event", "account", "kind", "department", "region", "previous"]),
      role_grants: prepare("role_grants", ["kind", "role_id", "account", "delay", "since", "new_member"]),
      pauses: prepare("pauses", ["contract", "account", "paused"]),
      rosters: prepare("rosters", [
        "roster_id",
        "programme_id",
        "region",
        "submitter",
        "root",
        "line_count",
        "total",
        "document_hash",
        "document_uri",
      ]),
      approvals: prepare("approvals", [
        "roster_id",
        "stage",
        "department",
        "approver",
        "decision",
        "signed",
        "reason_hash",
      ]),
      roster_endings: prepare("roster_endings", [
        "roster_id",
        "kind",
        "publicity_ends_at",
        "payout_deadline",
        "lines",
        "released",
        "reason_hash",
      ]),
      objections: prepare("objections", ["roster_id", "line_index", "objector", "evidence_hash"]),
      resolutions: prepare("resolutions", [
        "roster_id",
        "line_index",
        "household",
        "upheld",
        "department",
        "amount",
        "reason_hash",
      ]),
      roster_paid: prepare("roster_paid", ["roster_id", "programme_id", "region", "amount"]),
      roster_lines: prepare("roster_lines", ["roster_id", "line_index", "household", "amount"]),
      roster_seals: prepare("roster_seals", ["roster_id", "root", "total"]),
      payouts: prepare("payouts", ["roster_id", "line_index", "household", "amount", "batch_id"]),
      batches: prepare("batches", ["roster_id", "batch_id", "batch_hash", "line_count", "amount", "hash_ok"]),
      confirmations: prepare("confirmations", ["roster_id", "line_index", "bank_ref_hash"]),
      returns: prepare("returns", ["roster_id", "household", "programme_id", "line_index", "amount", "bank_ref_hash"]),
      reversals: prepare("reversals", [
        "reversal_id",
        "roster_id",
        "household",
        "line_index",
        "amount",
        "requester",
        "reason_hash",
      ]),
      reversal_decisions: prepare("reversal_decisions", [
        "reversal_id",
        "roster_id",
        "department",
        "approver",
        "approved",
        "reason_hash",
      ]),
      recoveries: prepare("recoveries", [
        "reversal_id",
        "roster_id",
        "household",
        "line_index",
        "amount",
        "bank_ref_hash",
      ]),
    };
  }

  private row(table: string, log: DecodedLog, ...values: SQLInputValue[]): void {
    this.insert[table]!.run(log.block, log.logIndex, log.tx, ...values);
  }

  private issue(log: DecodedLog, kind: string, detail: string): void {
    this.insert.issues!.run(log.block, log.logIndex, log.tx, kind, detail);
    this.counts.issues++;
  }

  /** Stores one range's logs (in chain order); call inside a transaction. */
  storeRange(logs: readonly DecodedLog[]): StoreCounts {
    this.counts = { events: 0, byName: new Map(), issues: 0 };
    this.pending = new Map();
    this.lastBatch = new Map();
    for (const log of logs) {
      const name = log.event?.name ?? null;
      this.insert.events!.run(log.block, log.logIndex, log.tx, log.contract, log.address, name, argsJson(log));
      this.counts.events++;
      const key = `${log.contract}.${name ?? "(undecoded)"}`;
      this.counts.byName.set(key, (this.counts.byName.get(key) ?? 0) + 1);
      if (log.event) this.typed(log, log.event);
    }
    // Lines whose batch event never came (not possible through Disbursement.recordPayouts): kept, flagged.
    for (const lines of this.pending.values()) {
      for (const p of lines) {
        this.row("payouts", p.log, p.rosterId, p.line.index, p.line.household, p.line.amount, null);
        this.issue(
          p.log,
          "payout-without-batch",
          `roster ${p.rosterId} ${seqText(p.line.index)}: no PayoutBatchRecorded follows it in its transaction`,
        );
      }
    }
    return this.counts;
  }

  private typed(log: DecodedLog, e: DecodedEvent): void {
    switch (`${log.contract}.${e.name}`) {
      // ------------------------------------------------------------------- Disbursement (hot path)
      case "Disbursement.PayoutRecorded": {
        const list = this.pending.get(log.tx) ?? [];
        list.push({
          log,
          rosterId: int(log, "rosterId"),
          line: { index: Number(int(log, "lineIndex")), household: int(log, "household"), amount: int(log, "amount") },
        });
        this.pending.set(log.tx, list);
        return;
      }
      case "Disbursement.PayoutBatchRecorded":
        return this.batch(log);
      case "Disbursement.PayoutConfirmed":
        return this.row("confirmations", log, int(log, "rosterId"), int(log, "lineIndex"), text(log, "bankRefHash"));
      case "Disbursement.PayoutReturned":
        return this.row(
          "returns",
          log,
          int(log, "rosterId"),
          int(log, "household"),
          int(log, "programmeId"),
          int(log, "lineIndex"),
          int(log, "amount"),
          text(log, "bankRefHash"),
        );
      case "Disbursement.ReversalRequested":
        return this.row(
          "reversals",
          log,
          int(log, "reversalId"),
          int(log, "rosterId"),
          int(log, "household"),
          int(log, "lineIndex"),
          int(log, "amount"),
          text(log, "requester"),
          text(log, "reasonHash"),
        );
      case "Disbursement.ReversalApproved":
        return this.row(
          "reversal_decisions",
          log,
          int(log, "reversalId"),
          int(log, "rosterId"),
          int(log, "department"),
          text(log, "approver"),
          1,
          null,
        );
      case "Disbursement.ReversalRejected":
        return this.row(
          "reversal_decisions",
          log,
          int(log, "reversalId"),
          int(log, "rosterId"),
          int(log, "department"),
          text(log, "approver"),
          0,
          text(log, "reasonHash"),
        );
      case "Disbursement.ReversalRecovered":
        return this.row(
          "recoveries",
          log,
          int(log, "reversalId"),
          int(log, "rosterId"),
          int(log, "household"),
          int(log, "lineIndex"),
          int(log, "amount"),
          text(log, "bankRefHash"),
        );

      // ------------------------------------------------------------------------------ RosterBook
      case "RosterBook.RosterSubmitted":
        return this.row(
          "rosters",
          log,
          int(log, "rosterId"),
          int(log, "programmeId"),
          int(log, "region"),
          text(log, "submitter"),
          text(log, "root"),
          int(log, "lineCount"),
          int(log, "total"),
          text(log, "documentHash"),
          String(e.args.documentURI),
        );
      case "RosterBook.RosterApproved":
        return this.row(
          "approvals",
          log,
          int(log, "rosterId"),
          int(log, "stage"),
          int(log, "department"),
          text(log, "approver"),
          "approved",
          flag(log, "signed"),
          null,
        );
      case "RosterBook.RosterRejected":
        this.row(
          "approvals",
          log,
          int(log, "rosterId"),
          null,
          int(log, "department"),
          text(log, "approver"),
          "rejected",
          0,
          text(log, "reasonHash"),
        );
        return this.row(
          "roster_endings",
          log,
          int(log, "rosterId"),
          "rejected",
          null,
          null,
          null,
          null,
          text(log, "reasonHash"),
        );
      case "RosterBook.RosterSignedOff":
        return this.row(
          "roster_endings",
          log,
          int(log, "rosterId"),
          "signed_off",
          int(log, "publicityEndsAt"),
          int(log, "payoutDeadline"),
          null,
          null,
          null,
        );
      case "RosterBook.RosterCloseRequested":
        return this.row(
          "roster_endings",
          log,
          int(log, "rosterId"),
          "close_requested",
          null,
          null,
          int(log, "payableLines"),
          null,
          text(log, "reasonHash"),
        );
      case "RosterBook.RosterLinesDropped":
        return this.row(
          "roster_endings",
          log,
          int(log, "rosterId"),
          "lines_dropped",
          null,
          null,
          int(log, "droppedLines"),
          null,
          text(log, "reasonHash"),
        );
      case "RosterBook.RosterWithdrawn":
        return this.row(
          "roster_endings",
          log,
          int(log, "rosterId"),
          "withdrawn",
          null,
          null,
          null,
          null,
          text(log, "reasonHash"),
        );
      case "RosterBook.RosterClosed":
        return this.row(
          "roster_endings",
          log,
          int(log, "rosterId"),
          "closed",
          null,
          null,
          null,
          int(log, "released"),
          null,
        );
      case "RosterBook.LineObjected":
        return this.row(
          "objections",
          log,
          int(log, "rosterId"),
          int(log, "lineIndex"),
          text(log, "objector"),
          text(log, "evidenceHash"),
        );
      case "RosterBook.ObjectionResolved":
        return this.row(
          "resolutions",
          log,
          int(log, "rosterId"),
          int(log, "lineIndex"),
          int(log, "household"),
          flag(log, "upheld"),
          int(log, "department"),
          int(log, "amount"),
          text(log, "reasonHash"),
        );
      case "RosterBook.RosterPaid":
        return this.rosterPaid(log);
      case "RosterBook.RosterSealed":
        return this.row("roster_seals", log, int(log, "rosterId"), text(log, "root"), int(log, "total"));

      // ----------------------------------------------------------------------------- RosterLines
      case "RosterLines.LineListed": {
        // bits 192..255 the roster id, 128..159 the line index, 0..127 the amount (IRosterLines).
        const packed = log.event!.args.line as bigint;
        const amount = packed & ((1n << 128n) - 1n);
        if (amount > INT64_MAX)
          throw new Error(
            `RosterLines.LineListed at block ${log.block}, log ${log.logIndex} (tx ${log.tx}) has amount = ${amount}, beyond the 64-bit integers this index stores`,
          );
        return this.row(
          "roster_lines",
          log,
          packed >> 192n,
          (packed >> 128n) & 0xffffffffn,
          int(log, "household"),
          amount,
        );
      }
      case "RosterLines.RosterLinesListed":
        return;

      // ---------------------------------------------------------------------------- BudgetLedger
      case "BudgetLedger.ProgrammeFunded":
        return this.row(
          "ledger_moves",
          log,
          int(log, "programmeId"),
          "funded",
          int(log, "region"),
          null,
          int(log, "amount"),
          text(log, "by"),
        );
      case "BudgetLedger.BudgetAllocated":
        return this.row(
          "ledger_moves",
          log,
          int(log, "programmeId"),
          "allocated",
          int(log, "from"),
          int(log, "to"),
          int(log, "amount"),
          null,
        );
      case "BudgetLedger.BudgetReclaimed":
        return this.row(
          "ledger_moves",
          log,
          int(log, "programmeId"),
          "reclaimed",
          int(log, "parent"),
          int(log, "child"),
          int(log, "amount"),
          null,
        );
      case "BudgetLedger.FundsReserved":
        return this.row(
          "ledger_moves",
          log,
          int(log, "programmeId"),
          "reserved",
          int(log, "region"),
          null,
          int(log, "amount"),
          null,
        );
      case "BudgetLedger.FundsReleased":
        return this.row(
          "ledger_moves",
          log,
          int(log, "programmeId"),
          "released",
          int(log, "region"),
          null,
          int(log, "amount"),
          null,
        );
      case "BudgetLedger.FundsPaid":
        return this.row(
          "ledger_moves",
          log,
          int(log, "programmeId"),
          "paid",
          int(log, "region"),
          null,
          int(log, "amount"),
          null,
        );
      case "BudgetLedger.FundsRefunded": {
        // RefundKind: 0 Returned, 1 Reversed (IBudgetLedger).
        const kind = int(log, "kind") === 0n ? "refunded_returned" : "refunded_reversed";
        return this.row(
          "ledger_moves",
          log,
          int(log, "programmeId"),
          kind,
          int(log, "region"),
          null,
          int(log, "amount"),
          null,
        );
      }

      // ------------------------------------------------------------------- registries and governance
      case "ProgrammeRegistry.ProgrammeCreated":
        this.row(
          "programmes",
          log,
          int(log, "programmeId"),
          text(log, "earmarkCode"),
          int(log, "fiscalPeriod"),
          int(log, "rootRegion"),
        );
        return this.terms(log, "created");
      case "ProgrammeRegistry.ProgrammeAmended":
        return this.terms(log, "amended");
      case "HouseholdRegistry.HouseholdRegistered":
        return this.row(
          "households",
          log,
          int(log, "household"),
          text(log, "commitment"),
          text(log, "attestationHash"),
        );
      // A household copied from the predecessor register: its attestation is in the predecessor's
      // events, so the zero hash stands for it here.
      case "HouseholdRegistry.HouseholdImported":
        return this.row("households", log, int(log, "household"), text(log, "commitment"), ZeroHash);
      case "HouseholdRegistry.HouseholdBlockOpened":
        return this.row("household_blocks", log, int(log, "blockId"), int(log, "region"));
      case "HouseholdRegistry.HouseholdSuspended":
        return this.row(
          "suspensions",
          log,
          int(log, "household"),
          text(log, "commitment"),
          1,
          int(log, "reason"),
          text(log, "reasonHash"),
        );
      case "HouseholdRegistry.HouseholdReinstated":
        return this.row(
          "suspensions",
          log,
          int(log, "household"),
          text(log, "commitment"),
          0,
          null,
          text(log, "reasonHash"),
        );
      case "Directory.OfficeBound":
        return this.row(
          "offices",
          log,
          "bound",
          text(log, "account"),
          int(log, "kind"),
          int(log, "department"),
          int(log, "region"),
          text(log, "previous"),
        );
      case "Directory.OfficeVacated":
        return this.row(
          "offices",
          log,
          "vacated",
          text(log, "account"),
          int(log, "kind"),
          int(log, "department"),
          int(log, "region"),
          null,
        );
      case "SuiteAccessManager.RoleGranted":
        // Role ids are uint64 and PUBLIC is 2^64-1: stored as text.
        return this.row(
          "role_grants",
          log,
          "granted",
          String(e.args.roleId),
          text(log, "account"),
          int(log, "delay"),
          int(log, "since"),
          flag(log, "newMember"),
        );
      case "SuiteAccessManager.RoleRevoked":
        return this.row("role_grants", log, "revoked", String(e.args.roleId), text(log, "account"), null, null, null);
      default:
        if (e.name === "Paused" || e.name === "Unpaused") {
          return this.row("pauses", log, log.contract, text(log, "account"), e.name === "Paused" ? 1 : 0);
        }
      // Everything else (scheduled operations, role labels, function roles, …) is in the raw table only.
    }
  }

  private terms(log: DecodedLog, kind: "created" | "amended"): void {
    const t = log.event!.args.terms as {
      budgetCeiling: bigint;
      householdCap: bigint;
      publicityPeriod: bigint;
      payoutPeriod: bigint;
      reviewStages: bigint;
      policyDocHash: string;
      policyURI: string;
    };
    const fits = (name: string, v: bigint) => {
      if (v > INT64_MAX)
        throw new Error(
          `${log.event!.name} at block ${log.block} (tx ${log.tx}) has ${name} = ${v}, beyond the 64-bit integers this index stores`,
        );
      return v;
    };
    this.row(
      "programme_terms",
      log,
      int(log, "programmeId"),
      kind,
      fits("budgetCeiling", t.budgetCeiling),
      fits("householdCap", t.householdCap),
      t.publicityPeriod,
      t.payoutPeriod,
      t.reviewStages.toString(),
      t.policyDocHash.toLowerCase(),
      t.policyURI,
    );
  }

  private batch(log: DecodedLog): void {
    const rosterId = int(log, "rosterId");
    const batchId = int(log, "batchId");
    const hash = text(log, "batchHash");
    const lineCount = int(log, "lineCount");
    const amount = int(log, "amount");
    const all = this.pending.get(log.tx) ?? [];
    const mine = all.filter((p) => p.rosterId === rosterId);
    const others = all.filter((p) => p.rosterId !== rosterId);
    this.pending.delete(log.tx);
    for (const p of others) {
      this.row("payouts", p.log, p.rosterId, p.line.index, p.line.household, p.line.amount, null);
      this.issue(
        p.log,
        "payout-without-batch",
        `roster ${p.rosterId} ${seqText(p.line.index)}: the batch event that follows it is for roster ${rosterId}`,
      );
    }
    for (const p of mine) this.row("payouts", p.log, rosterId, p.line.index, p.line.household, p.line.amount, batchId);
    const lines = mine.map((p) => p.line);
    const rebuilt = lines.length > 0 ? batchHash(lines) : undefined;
    const hashOk = rebuilt === hash;
    const sum = lines.reduce((s, l) => s + l.amount, 0n);
    this.row("batches", log, rosterId, batchId, hash, lineCount, amount, hashOk ? 1 : 0);
    const at = `roster ${rosterId} batch ${batchId}`;
    if (!hashOk)
      this.issue(
        log,
        "batch-hash",
        `${at}: batch hash ${hash}, its ${lines.length} PayoutRecorded lines hash to ${rebuilt ?? "(no lines)"}`,
      );
    if (BigInt(lines.length) !== lineCount)
      this.issue(
        log,
        "batch-line-count",
        `${at}: the event says ${lineCount} lines, ${lines.length} PayoutRecorded logs precede it`,
      );
    if (sum !== amount)
      this.issue(log, "batch-amount", `${at}: the event says ${amount} fen, its lines add up to ${sum} fen`);
    this.lastBatch.set(log.tx, { rosterId, batchId, amount });
  }

  private rosterPaid(log: DecodedLog): void {
    const rosterId = int(log, "rosterId");
    const amount = int(log, "amount");
    this.row("roster_paid", log, rosterId, int(log, "programmeId"), int(log, "region"), amount);
    const batch = this.lastBatch.get(log.tx);
    this.lastBatch.delete(log.tx);
    if (!batch || batch.rosterId !== rosterId) {
      this.issue(
        log,
        "roster-paid-without-batch",
        `roster ${rosterId}: RosterPaid of ${amount} fen with no payout batch of the roster before it in its transaction`,
      );
    } else if (batch.amount !== amount) {
      this.issue(
        log,
        "roster-paid-amount",
        `roster ${rosterId} batch ${batch.batchId}: RosterPaid says ${amount} fen, the batch ${batch.amount} fen`,
      );
    }
  }
}
