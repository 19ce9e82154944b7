/**
 * Anomalies: patterns in the events that deserve a closer look. None of them is proof of wrongdoing
 * (docs/auditing.md says what each one does and does not show); each finding names the
 * transactions that make it, so that anyone can check it in a block explorer.
 *
 * Every query runs over the index in SQL (grouped, never loading 10^6 payouts into memory). "Now"
 * is the time of the last indexed block, not the wall clock, so that a finding depends only on the
 * chain up to that block and a rerun over the same index gives the same answer.
 */
import type { IndexDatabase } from "../../indexer/index.js";
import { isoTime } from "../rows.js";
import {
  ANOMALY_KINDS,
  type AnomalyKind,
  type AnomalyOptions,
  DEFAULT_ANOMALY_OPTIONS,
  type Finding,
} from "./findings.js";
import { fastApprovals, roleConflicts } from "./people.js";
import { capClusters, duplicateHouseholds } from "./payouts.js";
import { closedWithUnpaidLines, overdueLines, paidWithOpenObjection } from "./rosters.js";
import {
  repeatedBankReferences,
  returnedNeverRepaid,
  reversalsOfConfirmedPayouts,
  unconfirmedPayouts,
  unrecoveredReversals,
} from "./settlement.js";

export interface AnomalyReport {
  block: number;
  time: string | null;
  options: AnomalyOptions;
  counts: Record<AnomalyKind, number>;
  findings: Finding[];
}

export function findAnomalies(db: IndexDatabase, options: Partial<AnomalyOptions> = {}): AnomalyReport {
  const o = { ...DEFAULT_ANOMALY_OPTIONS, ...options };
  const head = db.head();
  const now = head.time ?? 0;
  const findings = [
    ...duplicateHouseholds(db),
    ...unconfirmedPayouts(db, o.unconfirmedDays, now),
    ...paidWithOpenObjection(db, now),
    ...roleConflicts(db),
    ...capClusters(db, o.capShare, o.capMinLines),
    ...fastApprovals(db, o.fastApprovalSeconds),
    ...repeatedBankReferences(db),
    ...unrecoveredReversals(db, o.unconfirmedDays, now),
    ...overdueLines(db, now),
    ...closedWithUnpaidLines(db),
    ...returnedNeverRepaid(db, now),
    ...reversalsOfConfirmedPayouts(db),
  ];
  const counts = Object.fromEntries(
    ANOMALY_KINDS.map((k) => [k, findings.filter((f) => f.kind === k).length]),
  ) as Record<AnomalyKind, number>;
  return { block: head.block, time: isoTime(head.time), options: o, counts, findings };
}
