/**
 * A household's self-check: ID number + query code → commitment (locally) → the chain. Shared by
 * `npx hardhat resident check` and the residents' web page (web/). Browser-safe: ethers and the
 * browser-safe parts of src/privacy, src/roster/idNumber.ts, src/chain/states.ts and src/money.ts,
 * nothing from node:. The end-to-end test (test/e2e) checks that this stays so.
 */
export {
  DISBURSEMENT_ABI,
  HOUSEHOLD_REGISTRY_ABI,
  LENS_ABI,
  RESIDENT_ABIS,
  ROSTER_BOOK_ABI,
  ROSTER_LINES_ABI,
} from "./abi.js";
export { parsePageConfig, type ResidentPageConfig } from "./config.js";
export { type Explorer, type ExplorerKind, EXPLORER_KINDS, explorer, isExplorerKind } from "./explorer.js";
export { formatChinaDate, formatChinaTime, formatFen, shortHex } from "./format.js";
export { type InputProblem, residentInput, type ResidentInput } from "./input.js";
export { DEFAULT_LOG_WINDOW, type LogWindow, logWindow, scanLogs } from "./logs.js";
export * from "./lookup.js";
export { type ChainReader } from "./reader.js";
export * from "./records.js";
export { browserLang, type Lang, type MessageKey, outcomeText, reasonText, translate } from "./i18n/index.js";
