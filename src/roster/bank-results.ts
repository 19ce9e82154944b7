/**
 * The settlement bank's result file for a paid roster: one row per credited or returned payout
 * line, read and checked row by row before anything is planned or sent.
 *
 * The file is CSV, UTF-8 with or without BOM (GB18030 as older Chinese Excel writes it is accepted
 * too; the same decoding and CSV reading as rosters), with the header `序号,状态,银行流水号` (序号
 * as in the published list, from 1) or, in older files, `line,status,bank_reference` (line from 0).
 * Status is 成功 / 退回 or CONFIRMED / RETURNED (any case). Every bad row is reported with its line
 * in the file, the field, the value and the fix (src/roster/issues.ts), and nothing is sent while
 * any row is bad.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import { decodeCsv, readCsvTable } from "./csv.js";
import { formatIssues } from "./issues.js";
import type { FileIssue } from "./types.js";

export const SETTLEMENT_HEADER = ["line", "status", "bank_reference"] as const;
export const SETTLEMENT_HEADER_ZH = ["序号", "状态", "银行流水号"] as const;

export type SettlementOutcome = "confirmed" | "returned";

/** One valid row of the bank's file. */
export interface BankResultRow {
  /** The physical line of the file the row starts on (the header is line 1). */
  fileLine: number;
  /** The roster line (0-based), whichever numbering the file used. */
  line: number;
  outcome: SettlementOutcome;
  /** The bank's reference, trimmed, as it goes into the hash. */
  reference: string;
  /** keccak256 of the reference's UTF-8 bytes: what goes on chain (the reference itself does not). */
  refHash: string;
}

export type BankResultField = "file" | "header" | "line" | "序号" | "status" | "bank_reference";

/** One thing wrong with the file, phrased for the clerk who has to fix it. */
export type BankResultIssue = FileIssue<BankResultField>;

export interface BankResultRead {
  rows: BankResultRow[];
  issues: BankResultIssue[];
  encoding: "utf-8" | "utf-8-bom" | "gb18030";
  /** How the file numbers roster lines: `line` from 0, or `序号` from 1. */
  numbering: "line" | "序号";
}

/** Thrown when a result file (or its plan against the chain) has issues; the message lists them all. */
export class BankResultsRejectedError extends Error {
  readonly issues: BankResultIssue[];

  constructor(fileName: string, issues: BankResultIssue[], what = "rejected") {
    super(
      `bank result file ${fileName} ${what}, ${issues.length} issue${issues.length === 1 ? "" : "s"}; nothing was sent:\n${formatIssues(issues)}`,
    );
    this.name = "BankResultsRejectedError";
    this.issues = issues;
  }
}

type Column = "line" | "序号" | "status" | "bank_reference";

/** Header cell → column; case, width (full-width letters), spaces, hyphens and underscores do not matter. */
function columnOf(cell: string): Column | undefined {
  const key = cell
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "_");
  switch (key) {
    case "line":
    case "line_index":
      return "line";
    case "序号":
      return "序号";
    case "status":
    case "状态":
      return "status";
    case "bank_reference":
    case "bank_ref":
    case "银行流水号":
    case "流水号":
      return "bank_reference";
    default:
      return undefined;
  }
}

const STATUS_WORDS: Record<string, SettlementOutcome> = {
  CONFIRMED: "confirmed",
  RETURNED: "returned",
  成功: "confirmed",
  退回: "returned",
};

/**
 * Reads and checks a bank result file for a roster of `lineCount` lines. Returns every valid row
 * and every issue; use the rows only when there are no issues.
 */
export function readBankResults(bytes: Uint8Array, options: { lineCount: number }): BankResultRead {
  const issues: BankResultIssue[] = [];
  const result: BankResultRead = { rows: [], issues, encoding: "utf-8", numbering: "line" };
  // The same decoding (UTF-8, BOM, GB18030) and CSV reading (physical line numbers) as rosters.
  const decoded = decodeCsv(bytes, "the bank result file");
  if ("issue" in decoded) {
    issues.push({ ...decoded.issue, field: "file" });
    return result;
  }
  result.encoding = decoded.encoding;
  const table = readCsvTable(decoded.text);
  for (const issue of table.issues) issues.push({ ...issue, field: "file" });
  const records = table.rows
    .map((row) => ({ line: row.line, cells: row.cells.map((c) => c.text) }))
    .filter((r) => r.cells.some((c) => c.trim() !== ""));
  const header = records.shift();
  if (!header) {
    issues.push({
      line: 0,
      field: "file",
      value: "",
      problem: "the file is empty",
      fix: `write the header ${SETTLEMENT_HEADER_ZH.join(",")} and one row per settled line`,
    });
    return result;
  }
  const at = new Map<Column, number>();
  header.cells.forEach((cell, i) => {
    const column = columnOf(cell);
    if (!column) return; // other columns (amount, name, …) are the bank's business
    if (at.has(column)) {
      issues.push({
        line: header.line,
        field: "header",
        value: cell,
        problem: `the column ${column} appears twice`,
        fix: "keep one of them",
      });
      return;
    }
    at.set(column, i);
  });
  if (at.has("line") && at.has("序号")) {
    issues.push({
      line: header.line,
      field: "header",
      value: header.cells.join(","),
      problem: "the header has both line (from 0) and 序号 (from 1)",
      fix: "keep one of them",
    });
  }
  result.numbering = at.has("序号") && !at.has("line") ? "序号" : "line";
  const lineColumn = at.get(result.numbering);
  const missing = [
    lineColumn === undefined ? "line (or 序号)" : undefined,
    at.has("status") ? undefined : "status (or 状态)",
    at.has("bank_reference") ? undefined : "bank_reference (or 银行流水号)",
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    issues.push({
      line: header.line,
      field: "header",
      value: header.cells.join(","),
      problem: `the header lacks ${missing.join(", ")}`,
      fix: `the first line must be ${SETTLEMENT_HEADER_ZH.join(",")} (序号 from 1; older files: ${SETTLEMENT_HEADER.join(",")}, line from 0)`,
    });
    return result;
  }
  if (issues.some((i) => i.field === "header")) return result;
  const statusColumn = at.get("status")!;
  const refColumn = at.get("bank_reference")!;
  const firstRowOf = new Map<number, number>();
  const base = result.numbering === "序号" ? 1 : 0;
  const lastLine = options.lineCount - 1 + base;
  for (const record of records) {
    const cell = (i: number) => record.cells[i] ?? "";
    const rowIssues: BankResultIssue[] = [];
    const issue = (field: BankResultField, value: string, problem: string, fix: string) =>
      rowIssues.push({ line: record.line, field, value, problem, fix });

    const lineText = cell(lineColumn!);
    const lineNorm = lineText.normalize("NFKC").trim();
    let index: number | undefined;
    if (!/^\d+$/.test(lineNorm)) {
      issue(
        result.numbering,
        lineText,
        lineNorm === "" ? "the line number is missing" : "not a whole number",
        `write the roster's ${result.numbering === "序号" ? "序号 (1, 2, 3, …)" : "line number (0, 1, 2, …)"}`,
      );
    } else if (Number(lineNorm) < base || Number(lineNorm) > lastLine) {
      issue(
        result.numbering,
        lineText,
        `out of range: the roster has ${options.lineCount} lines, numbered ${base} … ${lastLine} in this column`,
        result.numbering === "序号"
          ? "序号 counts from 1; check the row against the payout list"
          : "line counts from 0 (序号 − 1); check the row against the payout list",
      );
    } else {
      index = Number(lineNorm) - base;
      const earlier = firstRowOf.get(index);
      if (earlier !== undefined) {
        issue(
          result.numbering,
          lineText,
          `this roster line is on file line ${earlier} already`,
          "keep one row per roster line",
        );
        index = undefined;
      } else {
        firstRowOf.set(index, record.line);
      }
    }

    const statusText = cell(statusColumn);
    const outcome = STATUS_WORDS[statusText.normalize("NFKC").trim().toUpperCase()];
    if (!outcome) {
      issue(
        "status",
        statusText,
        statusText.trim() === "" ? "the status is missing" : "not a settlement status",
        "write CONFIRMED (成功) for a credited payout or RETURNED (退回) for one the bank sent back",
      );
    }

    const refText = cell(refColumn);
    const reference = refText.trim();
    if (reference === "")
      issue(
        "bank_reference",
        refText,
        "the bank reference is missing",
        "copy the bank's transaction reference (银行流水号) of this payout",
      );
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    else if (/[\u0000-\u001f\u007f]/.test(reference))
      issue(
        "bank_reference",
        refText,
        "the reference holds a control character (tab or line break)",
        "copy the reference as plain text",
      );

    if (rowIssues.length > 0 || index === undefined || !outcome) {
      issues.push(...rowIssues);
      continue;
    }
    result.rows.push({
      fileLine: record.line,
      line: index,
      outcome,
      reference,
      refHash: keccak256(toUtf8Bytes(reference)),
    });
  }
  if (records.length === 0 && issues.length === 0) {
    issues.push({
      line: 0,
      field: "file",
      value: "",
      problem: "the file has a header but no rows",
      fix: "add one row per settled payout line",
    });
  }
  return result;
}
