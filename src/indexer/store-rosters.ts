/** The typed tables of the RosterBook's events (but RosterPaid, checked against its batch) and the RosterLines' lines. */
import { type EventRows, flag, int, INT64_MAX, type TableColumns, text } from "./store-fields.js";

export const ROSTER_COLUMNS: TableColumns = {
  rosters: [
    "roster_id",
    "programme_id",
    "region",
    "submitter",
    "root",
    "line_count",
    "total",
    "document_hash",
    "document_uri",
  ],
  approvals: ["roster_id", "stage", "department", "approver", "decision", "signed", "reason_hash"],
  roster_endings: ["roster_id", "kind", "publicity_ends_at", "payout_deadline", "lines", "released", "reason_hash"],
  objections: ["roster_id", "line_index", "objector", "evidence_hash"],
  resolutions: ["roster_id", "line_index", "household", "upheld", "department", "amount", "reason_hash"],
  roster_lines: ["roster_id", "line_index", "household", "amount"],
  roster_seals: ["roster_id", "root", "total"],
};

export const ROSTER_ROWS: EventRows = {
  // ------------------------------------------------------------------------------ RosterBook
  "RosterBook.RosterSubmitted": (log, row) =>
    row(
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
      String(log.event!.args.documentURI),
    ),
  "RosterBook.RosterApproved": (log, row) =>
    row(
      "approvals",
      log,
      int(log, "rosterId"),
      int(log, "stage"),
      int(log, "department"),
      text(log, "approver"),
      "approved",
      flag(log, "signed"),
      null,
    ),
  "RosterBook.RosterRejected": (log, row) => {
    row(
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
    row("roster_endings", log, int(log, "rosterId"), "rejected", null, null, null, null, text(log, "reasonHash"));
  },
  "RosterBook.RosterSignedOff": (log, row) =>
    row(
      "roster_endings",
      log,
      int(log, "rosterId"),
      "signed_off",
      int(log, "publicityEndsAt"),
      int(log, "payoutDeadline"),
      null,
      null,
      null,
    ),
  "RosterBook.RosterCloseRequested": (log, row) =>
    row(
      "roster_endings",
      log,
      int(log, "rosterId"),
      "close_requested",
      null,
      null,
      int(log, "payableLines"),
      null,
      text(log, "reasonHash"),
    ),
  "RosterBook.RosterLinesDropped": (log, row) =>
    row(
      "roster_endings",
      log,
      int(log, "rosterId"),
      "lines_dropped",
      null,
      null,
      int(log, "droppedLines"),
      null,
      text(log, "reasonHash"),
    ),
  "RosterBook.RosterWithdrawn": (log, row) =>
    row("roster_endings", log, int(log, "rosterId"), "withdrawn", null, null, null, null, text(log, "reasonHash")),
  "RosterBook.RosterClosed": (log, row) =>
    row("roster_endings", log, int(log, "rosterId"), "closed", null, null, null, int(log, "released"), null),
  "RosterBook.LineObjected": (log, row) =>
    row(
      "objections",
      log,
      int(log, "rosterId"),
      int(log, "lineIndex"),
      text(log, "objector"),
      text(log, "evidenceHash"),
    ),
  "RosterBook.ObjectionResolved": (log, row) =>
    row(
      "resolutions",
      log,
      int(log, "rosterId"),
      int(log, "lineIndex"),
      int(log, "household"),
      flag(log, "upheld"),
      int(log, "department"),
      int(log, "amount"),
      text(log, "reasonHash"),
    ),
  "RosterBook.RosterSealed": (log, row) =>
    row("roster_seals", log, int(log, "rosterId"), text(log, "root"), int(log, "total")),

  // ----------------------------------------------------------------------------- RosterLines
  "RosterLines.LineListed": (log, row) => {
    // bits 192..255 the roster id, 128..159 the line index, 0..127 the amount (IRosterLines).
    const packed = log.event!.args.line as bigint;
    const amount = packed & ((1n << 128n) - 1n);
    if (amount > INT64_MAX)
      throw new Error(
        `RosterLines.LineListed at block ${log.block}, log ${log.logIndex} (tx ${log.tx}) has amount = ${amount}, beyond the 64-bit integers this index stores`,
      );
    row("roster_lines", log, packed >> 192n, (packed >> 128n) & 0xffffffffn, int(log, "household"), amount);
  },
};
