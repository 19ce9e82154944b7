/**
 * Roster ingestion: the spreadsheets a county finance bureau actually has (CSV in UTF-8 or
 * GB18030, XLSX) to validated lines in integer fen, or the complete list of what is wrong.
 *
 *   const result = await readRosterFile("2024-07 低保.xlsx", { householdCap, region });
 *   const entries = assertValidRoster(result); // throws RosterRejectedError listing every issue
 */
export type { ReadOptions, RosterEntry, RosterField, RosterIssue, RosterReadResult, RosterSource } from "./types.js";
export { parseRoster, readRosterFile } from "./read.js";
export { MAX_NAME_LENGTH } from "./validate.js";
export { assertValidRoster, formatIssue, formatIssues, RosterRejectedError } from "./issues.js";
export { idCheckCharacter, idNumberProblem, normaliseIdNumber } from "./idNumber.js";
export { parseYuan, type YuanParse } from "./amount.js";
export { isWithinRegion, parseVillage, regionAt, regionLevel } from "./village.js";
export { COLUMN_ALIASES, normaliseHeader } from "./columns.js";
export { SYNTHETIC_ID_COUNT, syntheticIdNumber } from "./synthetic.js";
