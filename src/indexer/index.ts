/** The auditor's event indexer: every log of the suite in an SQLite file, read incrementally. */
export { IndexDatabase, type IndexHead, type IndexIdentity, type Row } from "./database.js";
export { INDEXED_CONTRACTS, LogDecoder } from "./decode.js";
export { IndexStoppedError, type IndexOptions, type IndexProgress, type IndexReport, updateIndex } from "./indexer.js";
export { classifyError, DEFAULT_RANGE, INDEX_RETRY, type JsonRpc, type RangeOptions } from "./rpc.js";
export { EXPORTABLE_TABLES, type ExportableTable } from "./schema.js";
export { type IntegrityFinding, integrityFindings } from "./verify.js";
export {
  addLineSums,
  type DaySums,
  type LineCounts,
  LineSums,
  type RosterTotals,
  rowTotals,
  zeroDay,
} from "./line-sums.js";
