/**
 * XLSX rosters: the first sheet, every cell as text. Numbers arrive as the exact digits stored in
 * the file (`parseNumber: (s) => s`), never as a JavaScript number, so 1234.5 becomes "1234.5"
 * and then 123450 fen without a float in between.
 */
import { readSheet } from "read-excel-file/node";

import { type Cell, EMPTY_CELL } from "./cells.js";
import type { Table } from "./table.js";

/** Whatever read-excel-file yields for a cell once numbers are kept as text. */
type RawCell = string | boolean | Date | null | undefined | object;

function toCell(value: RawCell, isNumber: boolean): Cell {
  if (value === null || value === undefined) return EMPTY_CELL;
  if (value instanceof Date) {
    // The serial number is gone by now; an ISO date is the clearest thing to quote back.
    return { text: Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10), kind: "date" };
  }
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE", kind: "boolean" };
  if (typeof value === "string") return { text: value, kind: isNumber ? "number" : "text" };
  return { text: String(value), kind: "text" };
}

/**
 * read-excel-file returns strings for both text cells and (through parseNumber) numeric cells.
 * To tell them apart, numeric cells are wrapped in a marker object by parseNumber.
 */
class NumberText {
  constructor(readonly text: string) {}
}

/**
 * Reads the first sheet. Row i of the result is sheet row i + 1: read-excel-file keeps leading
 * and inner empty rows (as null cells) and drops only trailing ones, so indices are row numbers.
 * Throws whatever read-excel-file throws for a file that is not a readable workbook.
 */
export async function readXlsxTable(bytes: Uint8Array): Promise<Table> {
  const sheet = await readSheet<NumberText>(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    parseNumber: (text: string) => new NumberText(text),
    // Trimming is ours to do (after NFKC), and a leading tab must stay visible to the injection check.
    trim: false,
  });
  const rows = sheet.map((row, i) => ({
    line: i + 1,
    cells: row.map((value): Cell => (value instanceof NumberText ? toCell(value.text, true) : toCell(value as RawCell, false))),
  }));
  return { rows, issues: [], checkWidth: false };
}
