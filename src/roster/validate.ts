/**
 * Checking a table of cells line by line into validated entries, or into the complete list of
 * what is wrong: every line is checked and every issue collected, so that a clerk fixes the
 * spreadsheet once instead of once per upload.
 */
import { capProblem, parseYuan } from "./amount.js";
import {
  type Cell,
  type CellProblem,
  dateCellProblem,
  EMPTY_CELL,
  injectionProblem,
  isBlank,
  isTotalsMarker,
  spreadsheetErrorProblem,
} from "./cells.js";
import { type ColumnKey, type ColumnMap, locateColumns } from "./columns.js";
import { idNumberFix, idNumberProblem, normaliseIdNumber } from "./idNumber.js";
import type { Table, TableRow } from "./table.js";
import { complete, type ReadOptions, type RosterEntry, type RosterIssue } from "./types.js";
import { parseVillage, regionProblem } from "./village.js";

/** Longest accepted name, in characters (code points). */
export const MAX_NAME_LENGTH = 64;

/** How far down a misplaced header is looked for, to say "delete the title lines above it". */
const HEADER_SEARCH_ROWS = 20;

/** Finds the columns, then checks every data row; never stops at the first bad line. */
export function validateTable(
  table: Table,
  fileName: string,
  options: ReadOptions,
): { entries: RosterEntry[]; issues: RosterIssue[] } {
  const [header, ...dataRows] = table.rows;
  const noLines: RosterIssue = {
    line: 0,
    field: "file",
    value: fileName,
    problem: "the roster has no lines",
    fix: "add one line per household below the header",
  };
  if (header === undefined) return { entries: [], issues: table.issues.length > 0 ? [] : [noLines] };
  // A file of blank lines has no header to criticise: "no idNumber column" ×4 would only bury the
  // one thing to say.
  if (table.rows.every((row) => row.cells.every(isBlank)))
    return { entries: [], issues: table.issues.length > 0 ? [] : [noLines] };

  const located = locateColumns(
    header.cells.map((c) => c.text),
    header.line,
  );
  if (located.columns === undefined) {
    const misplaced = findMisplacedHeader(dataRows);
    const headerIssues: RosterIssue[] = misplaced
      ? [
          {
            line: header.line,
            field: "header",
            value: header.cells.map((c) => c.text).join(","),
            problem: `the header is on line ${misplaced}, not on line 1`,
            fix: `delete the ${misplaced - 1} line${misplaced === 2 ? "" : "s"} above the header (titles, notes, empty lines)`,
          },
        ]
      : located.issues;
    const hasLines = dataRows.some((row) => !row.cells.every(isBlank));
    return { entries: [], issues: hasLines ? headerIssues : [...headerIssues, noLines] };
  }

  const columns = located.columns;
  const entries: RosterEntry[] = [];
  const issues: RosterIssue[] = [];
  const firstLineOf = new Map<string, number>();
  let lineCount = 0;
  for (const row of dataRows) {
    // Fully empty rows are left by deleted lines and at the foot of spreadsheets; they are not lines.
    if (row.cells.every(isBlank)) continue;
    lineCount++;
    const checked = checkRow(row, columns, header.cells.length, table.checkWidth, options, firstLineOf);
    if (checked.issues.length > 0) issues.push(...checked.issues);
    else if (checked.entry) entries.push(checked.entry);
  }
  if (lineCount === 0 && table.issues.length === 0) issues.push(noLines);
  return { entries, issues };
}

function findMisplacedHeader(rows: readonly TableRow[]): number | undefined {
  for (const row of rows.slice(0, HEADER_SEARCH_ROWS)) {
    if (
      locateColumns(
        row.cells.map((c) => c.text),
        row.line,
      ).columns
    )
      return row.line;
  }
  return undefined;
}

/** Problems any cell can have whatever its column; `amount` lets a leading sign through to parseYuan. */
function cellProblem(cell: Cell, key: ColumnKey): CellProblem | undefined {
  const asDate = dateCellProblem(cell);
  if (asDate) return asDate;
  const asError = spreadsheetErrorProblem(cell);
  if (asError) return asError;
  // Numbers, booleans and dates from XLSX are not text a spreadsheet could run as a formula.
  if (cell.kind !== "text") return undefined;
  // "-100" or "+¥5" in the amount column is a signed amount, for which parseYuan has a better message.
  if (key === "amount" && /^[+-]\s*[¥\d.(]/u.test(cell.text.normalize("NFKC").trim())) return undefined;
  return injectionProblem(cell.text);
}

function checkRow(
  row: TableRow,
  columns: ColumnMap,
  headerWidth: number,
  checkWidth: boolean,
  options: ReadOptions,
  firstLineOf: Map<string, number>,
): { entry?: RosterEntry; issues: RosterIssue[] } {
  const { line, cells } = row;
  // Before the width check: a totals row often has fewer cells (合计,300), and "fill in the
  // missing cells" would be the wrong advice for a line that has to be deleted.
  const total = cells.find((c) => isTotalsMarker(c.text));
  if (total) {
    return {
      issues: [
        {
          line,
          field: "file",
          value: total.text,
          problem: "a totals row, not a household",
          fix: "delete the totals row; the roster total is computed from its lines",
        },
      ],
    };
  }
  if (checkWidth && cells.length !== headerWidth) {
    return {
      issues: [
        {
          line,
          field: "file",
          value: cells.map((c) => c.text).join(","),
          problem: `${cells.length} cell${cells.length === 1 ? "" : "s"} where the header has ${headerWidth}`,
          fix:
            cells.length > headerWidth
              ? 'put a value containing a comma (such as the amount 1,234.50) in double quotes, "1,234.50", or remove the extra cells'
              : "fill in the missing cells (an empty cell still needs its comma)",
        },
      ],
    };
  }

  const issues: RosterIssue[] = [];
  const cellOf = (key: ColumnKey): Cell => cells[columns[key]] ?? EMPTY_CELL;
  const report = (key: ColumnKey, p: CellProblem): void => {
    issues.push({ line, field: key, value: cellOf(key).text, problem: p.problem, fix: p.fix });
  };
  const pre = (key: ColumnKey): boolean => {
    const p = cellProblem(cellOf(key), key);
    if (p) report(key, p);
    return p === undefined;
  };

  let idNumber: string | undefined;
  if (pre("idNumber")) {
    const cell = cellOf("idNumber");
    if (cell.kind === "number") {
      report("idNumber", {
        problem: "stored as a number, and spreadsheets keep only 15 significant digits of a number",
        fix: "format the column as Text and type the full 18-character number again (the lost digits cannot be recovered from the file)",
      });
    } else {
      const normalised = normaliseIdNumber(cell.text);
      const problem = idNumberProblem(normalised);
      if (problem !== undefined) report("idNumber", { problem, fix: idNumberFix(problem) });
      else {
        const first = firstLineOf.get(normalised);
        if (first !== undefined) {
          report("idNumber", {
            problem: `the same ID number as line ${first}`,
            fix: "a household appears once in a roster: remove the duplicate line or correct the ID number",
          });
        } else {
          firstLineOf.set(normalised, line);
          idNumber = normalised;
        }
      }
    }
  }

  let name: string | undefined;
  if (pre("name")) {
    const text = cellOf("name").text.normalize("NFKC").trim();
    const length = Array.from(text).length;
    if (text === "") report("name", { problem: "empty", fix: "write the name of the household head" });
    else if (/\p{Cc}/u.test(text)) {
      report("name", {
        problem: "contains a line break or another control character",
        fix: "retype the name on a single line",
      });
    } else if (/\p{Cf}/u.test(text)) {
      // Right-to-left overrides, zero-width spaces, a BOM: invisible, but they change how the name
      // is displayed to the reviewers who sign the roster off, or make two equal names differ.
      report("name", {
        problem:
          "contains an invisible formatting character (such as a right-to-left override, a zero-width space or a BOM)",
        fix: "retype the name instead of pasting it from a web page or another document",
      });
    } else if (length > MAX_NAME_LENGTH) {
      report("name", {
        problem: `${length} characters, more than ${MAX_NAME_LENGTH}`,
        fix: "write only the name of the household head",
      });
    } else name = text;
  }

  let village: bigint | undefined;
  if (pre("village")) {
    const parsed = parseVillage(cellOf("village").text);
    if ("problem" in parsed) report("village", parsed);
    else {
      const outside = regionProblem(parsed.code, options.region);
      if (outside) report("village", outside);
      else village = parsed.code;
    }
  }

  let amount: bigint | undefined;
  if (pre("amount")) {
    const parsed = parseYuan(cellOf("amount").text);
    if ("problem" in parsed) report("amount", parsed);
    else {
      const over = capProblem(parsed.fen, options.householdCap);
      if (over) report("amount", over);
      else amount = parsed.fen;
    }
  }

  const fields = complete<Omit<RosterEntry, "line">>({ idNumber, name, village, amount });
  return issues.length > 0 || !fields ? { issues } : { entry: { line, ...fields }, issues };
}
