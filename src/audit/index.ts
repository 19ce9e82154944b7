/** The auditor's questions, answered from the event index (src/indexer) and the chain's views. */
export { type AnomalyReport, findAnomalies } from "./anomalies/index.js";
export {
  ANOMALY_KINDS,
  type AnomalyKind,
  type AnomalyOptions,
  DEFAULT_ANOMALY_OPTIONS,
  type Finding,
} from "./anomalies/findings.js";
export { CsvWriter, JsonArrayPrinter, writeCsv } from "./csv.js";
export { EXPORT_TABLES, type ExportFilter, exportableTable, exportTable } from "./export.js";
export { checkOffices, type OfficeRecord, officesFromIndex } from "./offices.js";
export {
  compareWithChain,
  NODE_COLUMNS,
  type NodeBalance,
  nodeRows,
  problemLines,
  type Reconciliation,
  reconcileFromEvents,
} from "./reconcile.js";
export { type AuditArgs, type AuditSession, openAudit } from "./session.js";
export { trace, type Trace, type TraceEntry, type TraceSubject } from "./trace.js";
export { type Check, type RosterVerification, verifyRoster } from "./verify-roster.js";
