/**
 * XLSX rosters: the first sheet, every cell as text. Numbers arrive as the exact digits stored in
 * the file (`parseNumber: (s) => s`), never as a JavaScript number, so 1234.5 becomes "1234.5"
 * and then 123450 fen without a float in between.
 */
import { readSheet } from "read-excel-file/node";

import { type Cell, EMPTY_CELL } from "./cells.js";
import type { Table } from "./table.js";
import { readZipMember } from "./zip.js";

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
    cells: row.map((value): Cell =>
      value instanceof NumberText ? toCell(value.text, true) : toCell(value as RawCell, false),
    ),
  }));
  for (const { row, column, code } of firstSheetErrorCells(bytes)) {
    // read-excel-file drops trailing empty rows, so a last row of errors may not be there yet.
    while (rows.length < row) rows.push({ line: rows.length + 1, cells: [] });
    const cells = rows[row - 1]?.cells;
    if (!cells) continue;
    while (cells.length <= column) cells.push(EMPTY_CELL);
    cells[column] = { text: code, kind: "error" };
  }
  return { rows, issues: [], checkWidth: false };
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] ?? "");
}

function text(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** The zip path of the workbook's first sheet (the one read-excel-file reads), from workbook.xml and its relationships. */
function firstSheetPath(bytes: Uint8Array): string | undefined {
  const workbook = text(readZipMember(bytes, "xl/workbook.xml"));
  const rels = text(readZipMember(bytes, "xl/_rels/workbook.xml.rels"));
  if (workbook === undefined || rels === undefined) return undefined;
  // `sheetId` is not an `id` attribute: the \s before the optional prefix rules it out.
  const id = /<(?:\w+:)?sheet\b[^>]*?\s(?:\w+:)?id\s*=\s*["']([^"']+)["']/.exec(workbook)?.[1];
  if (id === undefined) return undefined;
  for (const [relationship] of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    if (/\sId\s*=\s*["']([^"']+)["']/.exec(relationship)?.[1] !== id) continue;
    const target = /\sTarget\s*=\s*["']([^"']+)["']/.exec(relationship)?.[1];
    if (target === undefined) return undefined;
    return target.startsWith("/") ? target.slice(1) : `xl/${target.replace(/^\.\//, "")}`;
  }
  return undefined;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * Cells of the first sheet that hold an error value (`<c t="e"><v>#N/A</v></c>`), which
 * read-excel-file turns into empty cells. Empty is the wrong reading: a line whose cells all
 * failed (#REF! after a source sheet was deleted) would be skipped as an empty row, and the
 * household silently left out. Best effort: a workbook this cannot take apart has no error cells
 * found, and reads as before.
 */
function firstSheetErrorCells(bytes: Uint8Array): { row: number; column: number; code: string }[] {
  const path = firstSheetPath(bytes);
  const xml = path === undefined ? undefined : text(readZipMember(bytes, path));
  const isError = /\st\s*=\s*["']e["']/;
  if (xml === undefined || !isError.test(xml)) return [];
  const found: { row: number; column: number; code: string }[] = [];
  for (const match of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attributes = match[1] ?? "";
    if (!isError.test(attributes)) continue;
    const ref = /\sr\s*=\s*["']([A-Z]+)(\d+)["']/.exec(attributes);
    if (!ref?.[1] || !ref[2]) continue;
    const value = /<v\b[^>]*>([\s\S]*?)<\/v>/.exec(match[2] ?? "")?.[1];
    found.push({
      row: Number(ref[2]),
      column: columnIndex(ref[1]),
      code: value === undefined || value === "" ? "#ERROR" : unescapeXml(value),
    });
  }
  return found;
}
