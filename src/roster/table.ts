/**
 * What the CSV and XLSX readers both produce: rows of cells with the line number a clerk sees in
 * their editor, plus any issue that stopped part of the file from being read at all.
 */
import type { Cell } from "./cells.js";
import type { RosterIssue } from "./types.js";

export interface TableRow {
  /** CSV: physical line where the record starts. XLSX: sheet row number. */
  line: number;
  cells: Cell[];
}

export interface Table {
  rows: TableRow[];
  issues: RosterIssue[];
  /**
   * CSV rows must have as many cells as the header: an extra cell almost always means an
   * unquoted comma (1,234.50) that shifted every value after it. XLSX cells have addresses, so
   * a short row is just empty cells.
   */
  checkWidth: boolean;
}
