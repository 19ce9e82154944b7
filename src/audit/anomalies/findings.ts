/**
 * What every anomaly finding shares: the kinds, the shape of a finding, the auditor's thresholds,
 * and the small helpers the queries of src/audit/anomalies/ build their findings with.
 */
import type { Row } from "../../indexer/index.js";
import { big, isoTime, num, str } from "../rows.js";

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
  "closed-with-unpaid-lines",
  "returned-never-repaid",
  "reversal-of-confirmed-payout",
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
/** How many transactions a finding names at most. */
export const TXS_SHOWN = 20;

/** Up to SHOWN items, then how many there are in all. */
export const listed = (items: readonly (string | number | bigint)[]) =>
  `${items.slice(0, SHOWN).join(", ")}${items.length > SHOWN ? `, … (${items.length} in all)` : ""}`;

/** Lines (roster, line) that no longer hold their payout: returned by the bank, or reversed and
 * recovered from the card (an approved reversal still awaiting recovery leaves the money there). */
export const UNDONE = `
  undone AS (
    SELECT roster_id, line_index FROM returns
    UNION
    SELECT roster_id, line_index FROM recoveries)`;

/** Where a finding is on the chain: the row's block and its time (null where the block's time is not indexed). */
export const at = (row: Row): Pick<Finding, "block" | "time"> => ({
  block: num(row, "block"),
  time: row.time === null || row.time === undefined ? null : isoTime(big(row, "time")),
});

/** The line indices of a `GROUP_CONCAT(line_index)` column, in line order. */
export const indicesOf = (row: Row, column: string): number[] =>
  str(row, column)
    .split(",")
    .map(Number)
    .sort((a, b) => a - b);

/** Days from `seconds` to `now` (the last indexed block), as findings print them. */
export const daysBefore = (now: number, seconds: number): string => ((now - seconds) / 86_400).toFixed(1);
