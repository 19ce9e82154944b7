/**
 * CSV rosters: decoding the bytes (UTF-8 with or without BOM, else GB18030 as older Chinese Excel
 * and WPS write it) and splitting them into records with the line each record starts on.
 */
import { parse } from "csv-parse/sync";

import { textCell } from "./cells.js";
import type { Table, TableRow } from "./table.js";
import type { RosterIssue, RosterSource } from "./types.js";

type Encoding = NonNullable<RosterSource["encoding"]>;

const SAVE_AS_UTF8 = "save the roster from the spreadsheet as CSV UTF-8 (逗号分隔, UTF-8) or as .xlsx, and read it again";

export type Decoded = { text: string; encoding: Encoding } | { issue: RosterIssue };

/**
 * UTF-8 is tried first and strictly (`fatal`): GB18030 decodes almost any byte string without
 * error, so it is only the fallback when the bytes are not UTF-8. Pure ASCII is reported as UTF-8.
 */
export function decodeCsv(bytes: Uint8Array, fileName: string): Decoded {
  const fileIssue = (problem: string, fix = SAVE_AS_UTF8): Decoded => ({ issue: { line: 0, field: "file", value: fileName, problem, fix } });
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return fileIssue("UTF-16 text (Excel \"Unicode text\"), which this reader does not take");
  }
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    // ignoreBOM: true keeps the BOM in the text so that we can strip and report it ourselves.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return hasBom ? { text: text.slice(1), encoding: "utf-8-bom" } : { text, encoding: "utf-8" };
  } catch {
    // Not UTF-8: fall through to GB18030.
  }
  try {
    return { text: new TextDecoder("gb18030", { fatal: true }).decode(bytes), encoding: "gb18030" };
  } catch {
    return fileIssue("neither UTF-8 nor GB18030 text");
  }
}

/**
 * One record delimiter, LF: CRLF (Windows) becomes LF, and so does CR in a file that has no LF at
 * all (old Mac "CSV (Macintosh)"). A lone CR elsewhere stays, inside its cell.
 */
function normaliseLineEnds(text: string): string {
  const crlf = text.replace(/\r\n/g, "\n");
  return crlf.includes("\n") ? crlf : crlf.replace(/\r/g, "\n");
}

/** Line breaks as editors count them: LF, CRLF or a lone CR (csv-parse's own count takes CRLF as two). */
function countLineBreaks(s: string): number {
  return s.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** What csv-parse hands to on_record with `raw` on (its typings do not model it). */
interface ParsedRecord {
  record: string[];
  raw: string;
}

/**
 * Splits CSV text into rows. Quoted cells may hold commas, quotes ("") and line breaks; the line
 * of a record is where it starts, so a record with a line break inside a quoted cell still points
 * at the line the clerk has to look at. Column counts are not checked here (see Table.checkWidth).
 */
export function readCsvTable(text: string): Table {
  const normalised = normaliseLineEnds(text);
  const issues: RosterIssue[] = [];
  const rows: TableRow[] = [];
  // Records are contiguous (empty lines are records too), so each starts where the previous ended.
  let line = 1;
  parse(normalised, {
    record_delimiter: "\n",
    // Empty lines are kept so that line numbers stay physical; read.ts skips empty rows itself.
    skip_empty_lines: false,
    relax_column_count: true,
    // A quote inside an unquoted cell (测试"甲) is a character, not a syntax error.
    relax_quotes: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (err, raw) => {
      // With the relaxations above, the one error left is a quote that is never closed: the
      // parser has swallowed everything from the record's start to the end of the file.
      issues.push({
        line,
        field: "file",
        value: (raw ?? "").split("\n")[0] ?? "",
        problem:
          err?.code === "CSV_QUOTE_NOT_CLOSED"
            ? "a quoted cell on this line is never closed, so nothing from here to the end of the file could be read"
            : `this line could not be read as CSV (${err?.message ?? "unknown error"})`,
        fix: 'remove the stray double quote ("), or close it; inside a quoted cell write a quote as ""',
      });
      line += countLineBreaks(raw ?? "");
      return undefined;
    },
    on_record: (parsed) => {
      const { record, raw } = parsed as unknown as ParsedRecord;
      rows.push({ line, cells: record.map(textCell) });
      line += countLineBreaks(raw);
      return parsed;
    },
  });
  return { rows, issues, checkWidth: true };
}
