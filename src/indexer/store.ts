/**
 * Writing one range of decoded logs into the raw and typed tables, with prepared statements, inside
 * the caller's transaction. Payout lines are held until the PayoutBatchRecorded log of their
 * transaction, so that each line is stored with its batch id and each batch is checked against
 * its lines as it is stored: batch hash (as src/lines.ts batchHash computes it), line count, amount, and the
 * RosterPaid amount that follows it. The Disbursement's tables are written here; the other
 * contracts' tables are declared with the rows their events write in ./store-rosters.ts and
 * ./store-registries.ts.
 */

import { batchHash, type RosterLine, seqText } from "../lines.js";
import type { IndexDatabase } from "./database.js";
import { argsJson, type DecodedEvent, type DecodedLog } from "./decode.js";
import type { StatementSync, SQLInputValue } from "./sqlite.js";
import { type EventRows, int, type TableColumns, text, type WriteRow } from "./store-fields.js";
import { REGISTRY_COLUMNS, REGISTRY_ROWS } from "./store-registries.js";
import { ROSTER_COLUMNS, ROSTER_ROWS } from "./store-rosters.js";

/** The tables written here: the raw events, the issues found, the Disbursement's events and the pauses. */
const COLUMNS: TableColumns = {
  events: ["contract", "address", "name", "args"],
  issues: ["kind", "detail"],
  pauses: ["contract", "account", "paused"],
  roster_paid: ["roster_id", "programme_id", "region", "amount"],
  payouts: ["roster_id", "line_index", "household", "amount", "batch_id"],
  batches: ["roster_id", "batch_id", "batch_hash", "line_count", "amount", "hash_ok"],
  confirmations: ["roster_id", "line_index", "bank_ref_hash"],
  returns: ["roster_id", "household", "programme_id", "line_index", "amount", "bank_ref_hash"],
  reversals: ["reversal_id", "roster_id", "household", "line_index", "amount", "requester", "reason_hash"],
  reversal_decisions: ["reversal_id", "roster_id", "department", "approver", "approved", "reason_hash"],
  recoveries: ["reversal_id", "roster_id", "household", "line_index", "amount", "bank_ref_hash"],
};

/** The rows of the other contracts' events. */
const OTHER_ROWS: EventRows = { ...ROSTER_ROWS, ...REGISTRY_ROWS };

/** The reversal and the line it reverses, as the reversal events name them (reversals and recoveries tables). */
const reversalLine = (log: DecodedLog) =>
  [
    int(log, "reversalId"),
    int(log, "rosterId"),
    int(log, "household"),
    int(log, "lineIndex"),
    int(log, "amount"),
  ] as const;

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
  private readonly write: WriteRow = (table, log, ...values) => this.row(table, log, ...values);

  constructor(private readonly db: IndexDatabase) {
    const tables = { ...COLUMNS, ...ROSTER_COLUMNS, ...REGISTRY_COLUMNS };
    this.insert = Object.fromEntries(
      Object.entries(tables).map(([table, columns]) => [
        table,
        db.db.prepare(
          `INSERT OR IGNORE INTO ${table} (block, log_index, tx, ${columns.join(", ")}) VALUES (?, ?, ?${", ?".repeat(columns.length)})`,
        ),
      ]),
    );
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
        return this.row("reversals", log, ...reversalLine(log), text(log, "requester"), text(log, "reasonHash"));
      case "Disbursement.ReversalApproved":
      case "Disbursement.ReversalRejected": {
        const approved = e.name === "ReversalApproved";
        return this.row(
          "reversal_decisions",
          log,
          int(log, "reversalId"),
          int(log, "rosterId"),
          int(log, "department"),
          text(log, "approver"),
          approved ? 1 : 0,
          approved ? null : text(log, "reasonHash"),
        );
      }
      case "Disbursement.ReversalRecovered":
        return this.row("recoveries", log, ...reversalLine(log), text(log, "bankRefHash"));

      // ------------------------------------------------ RosterBook.RosterPaid, checked against its batch
      case "RosterBook.RosterPaid":
        return this.rosterPaid(log);
      default: {
        const rows = OTHER_ROWS[`${log.contract}.${e.name}`];
        if (rows) return rows(log, this.write);
        if (e.name === "Paused" || e.name === "Unpaused") {
          return this.row("pauses", log, log.contract, text(log, "account"), e.name === "Paused" ? 1 : 0);
        }
      }
      // Everything else (scheduled operations, role labels, function roles, …) is in the raw table only.
    }
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
