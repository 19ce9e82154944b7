/**
 * Issues are a reader's real output for a bad file (a roster, a bank's result file): each one names
 * the line, the field, the offending text, what is wrong and how to fix it, so that a clerk can
 * correct the spreadsheet in one pass instead of fixing one error per upload.
 */
import type { FileIssue, RosterField, RosterIssue, RosterReadResult, RosterSource } from "./types.js";

/** Longest cell text quoted in a message; a pasted paragraph must not drown the report. */
const MAX_QUOTED = 60;

/** Default number of issues `formatIssues` prints before summarising the rest. */
export const DEFAULT_MAX_FORMATTED = 50;

const FIELD_ORDER: readonly RosterField[] = ["file", "header", "idNumber", "name", "village", "amount"];

function quote(value: string): string {
  const chars = Array.from(value);
  const shown = chars.length > MAX_QUOTED ? `${chars.slice(0, MAX_QUOTED).join("")}…` : value;
  // JSON quoting makes tabs, line breaks and quotes inside the cell visible instead of breaking the line.
  return JSON.stringify(shown);
}

/**
 * `line 7, amount "1,234.567": more than two decimals. Fix: write the amount in yuan with at most
 * two decimals, e.g. 1234.57`. Issues about the whole file (line 0) omit the line.
 */
export function formatIssue(issue: FileIssue): string {
  const where = issue.line > 0 ? `line ${issue.line}, ` : "";
  return `${where}${issue.field} ${quote(issue.value)}: ${issue.problem}. Fix: ${issue.fix}`;
}

/** One issue per line; after `max` of them, a count of the rest (a 30,000-line disaster stays readable). */
export function formatIssues(issues: readonly FileIssue[], max = DEFAULT_MAX_FORMATTED): string {
  const limit = Math.max(0, Math.floor(max));
  const shown = issues.slice(0, limit).map(formatIssue);
  const rest = issues.length - shown.length;
  if (rest > 0) shown.push(`… and ${rest} more issue${rest === 1 ? "" : "s"}`);
  return shown.join("\n");
}

/** Orders issues by line, then by column role, keeping discovery order otherwise (Array.sort is stable). */
export function sortIssues(issues: RosterIssue[]): RosterIssue[] {
  return issues.sort((a, b) => a.line - b.line || FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
}

/**
 * Thrown by `assertValidRoster`. The message lists the issues, which quote cell text (names, ID
 * numbers): like the roster itself it must stay on the bureau's machine, so do not ship it to a
 * remote log.
 */
export class RosterRejectedError extends Error {
  readonly issues: RosterIssue[];
  readonly source: RosterSource;

  constructor(issues: RosterIssue[], source: RosterSource) {
    const count = `${issues.length} issue${issues.length === 1 ? "" : "s"}`;
    super(`roster ${source.fileName} rejected, ${count}:\n${formatIssues(issues)}`);
    this.name = "RosterRejectedError";
    this.issues = issues;
    this.source = source;
  }
}

/**
 * The only way from a read result to lines that may go on chain: nothing of a roster with any
 * issue gets through, not even its good lines, because a partially submitted roster would hide
 * the bad lines from the joint sign-off.
 */
export function assertValidRoster(result: RosterReadResult): RosterReadResult["entries"] {
  if (result.issues.length > 0) throw new RosterRejectedError(result.issues, result.source);
  if (result.entries.length === 0) {
    // The reader always reports an empty roster as an issue; this guards hand-built results.
    throw new RosterRejectedError(
      [
        {
          line: 0,
          field: "file",
          value: result.source.fileName,
          problem: "the roster has no lines",
          fix: "add one line per household below the header",
        },
      ],
      result.source,
    );
  }
  return result.entries;
}
