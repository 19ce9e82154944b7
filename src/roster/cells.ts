/**
 * A spreadsheet cell as both readers deliver it, and the checks that apply to a cell whatever its
 * column: formula injection, spreadsheet error values and date-typed cells.
 */

/**
 * `kind` records how the spreadsheet stored the cell, because the text alone is not enough: an ID
 * number stored as an XLSX number has already lost its last digits to a float, even if what is
 * left happens to look valid. `error` is an XLSX error value (#N/A, #REF!, …), its code as text.
 * CSV cells are always `text`.
 */
export interface Cell {
  text: string;
  kind: "text" | "number" | "date" | "boolean" | "error";
}

export const EMPTY_CELL: Cell = { text: "", kind: "text" };

export function textCell(text: string): Cell {
  return { text, kind: "text" };
}

/** True when the cell holds nothing but whitespace (such rows are skipped, such fields are "empty"). */
export function isBlank(cell: Cell): boolean {
  return cell.text.normalize("NFKC").trim() === "";
}

export interface CellProblem {
  problem: string;
  fix: string;
}

/**
 * Text that a spreadsheet would run as a formula when the roster (or an issue report quoting it)
 * is opened again: `=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`, and the tab/CR prefixes that
 * smuggle them past naive filters (OWASP "CSV injection"). Leading spaces are ignored before the
 * sign check because some spreadsheets still evaluate ` =1+1`. Checked after NFKC so that a
 * full-width ＝ counts too.
 */
export function injectionProblem(text: string): CellProblem | undefined {
  const normalised = text.normalize("NFKC");
  const startsWithControl = /^[\t\r]/.test(normalised);
  const startsWithSign = /^[=+\-@]/.test(normalised.trimStart());
  if (!startsWithControl && !startsWithSign) return undefined;
  return {
    problem: "starts like a spreadsheet formula (=, +, -, @, tab or carriage return), which is not allowed in a roster",
    fix: "type the plain value without a leading =, +, -, @ or tab; if it was a formula, replace it by its value (copy, paste as values)",
  };
}

/** The error values spreadsheets show instead of a result, which Excel also writes into CSV. */
const SPREADSHEET_ERRORS = new Set([
  "#N/A",
  "#VALUE!",
  "#REF!",
  "#DIV/0!",
  "#NUM!",
  "#NAME?",
  "#NULL!",
  "#SPILL!",
  "#CALC!",
  "#GETTING_DATA",
]);

/** An XLSX error cell of any code, or text that is one of the error values (CSV, or typed). */
export function spreadsheetErrorProblem(cell: Cell): CellProblem | undefined {
  const normalised = cell.text.normalize("NFKC").trim().toUpperCase();
  if (cell.kind !== "error" && !SPREADSHEET_ERRORS.has(normalised)) return undefined;
  return {
    problem: `shows the spreadsheet error ${normalised} instead of a value`,
    fix: "correct the formula that produces this cell, or type the value itself",
  };
}

export function dateCellProblem(cell: Cell): CellProblem | undefined {
  if (cell.kind !== "date") return undefined;
  return {
    problem: "is formatted as a date, so the spreadsheet changed what was typed",
    fix: "format the column as Text (or, for amounts, as a number with two decimals) and type the value again",
  };
}

/**
 * Rows that sum the roster instead of naming a household. Common at the foot of Chinese
 * spreadsheets; paying them would pay the total to nobody, so they get their own message.
 */
const TOTAL_MARKERS = new Set(["合计", "总计", "小计", "共计", "total", "subtotal", "sum"]);

export function isTotalsMarker(text: string): boolean {
  return TOTAL_MARKERS.has(
    text
      .normalize("NFKC")
      .replace(/\s+/g, "")
      .replace(/[:：]$/, "")
      .toLowerCase(),
  );
}
