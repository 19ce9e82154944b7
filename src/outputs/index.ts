/** Outputs for people (publicity list, household notices) and for machines (the roster bundle). */
export { formatYuanPlain } from "./amount.js";
export {
  BUNDLE_FORMAT,
  type BundleInput,
  type BundleLine,
  bundleFromJson,
  bundleToJson,
  bundleTree,
  buildBundle,
  type LineTreeDump,
  type RosterBundle,
  type RosterSubmission,
  submissionOf,
} from "./bundle.js";
export { csvCell } from "./csv.js";
export { maskName } from "./mask.js";
export { maskIdNumber, type NoticeRow, NOTICES_HEADER, noticesCsv } from "./notices.js";
export { PUBLICITY_HEADER, type PublicityRow, publishedListCsv } from "./publicity.js";
