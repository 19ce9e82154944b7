/**
 * CSV rosters: decoding the bytes (UTF-8 with or without BOM, else GB18030 as older Chinese Excel
 * and WPS write it) and splitting them into records with the line each record starts on.
 */
import { parse } from "csv-parse/sync";

import { textCell } from "./cells.js";
import type { Table, TableRow } from "./table.js";
import type { RosterIssue, RosterSource } from "./types.js";

type Encoding = NonNullable<RosterSource["encoding"]>;

const SAVE_AS_UTF8 =
  "save the roster from the spreadsheet as CSV UTF-8 (逗号分隔, UTF-8) or as .xlsx, and read it again";

export type Decoded = { text: string; encoding: Encoding } | { issue: RosterIssue };

/** Characters a line of a roster written in UTF-8 consists of: ASCII, Han, CJK and full-width punctuation. */
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ROSTER_TEXT = /^[\x00-\x7f\p{Script=Han}\u3000-\u303f\uff00-\uffef\u00a5\u00b7\u2014\u2018-\u201d\u2026]*$/u;

/**
 * Whether a line of a file that decoded as GB18030 is really UTF-8 text that GB18030 happened to
 * decode too, as mojibake: its bytes are valid UTF-8 with Han characters and nothing exotic, and
 * read as GB18030 they include characters outside GB2312 (a lead or trail byte below 0xA1, or a
 * four-byte sequence). UTF-8's continuation bytes 0x80–0xBF make the second almost certain for
 * real UTF-8 text; a GB18030 line written only in GB2312 characters can never meet it, and one
 * with rarer characters meets both only by a long chain of coincidences.
 */
function isUtf8Line(line: Uint8Array): boolean {
  if (line.every((b) => b < 0x80)) return false;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(line);
  } catch {
    return false;
  }
  if (!/\p{Script=Han}/u.test(text) || !ROSTER_TEXT.test(text)) return false;
  for (let i = 0; i < line.length; i++) {
    const lead = line[i] ?? 0;
    if (lead < 0x80) continue;
    const trail = line[i + 1] ?? 0;
    if (trail >= 0x30 && trail <= 0x39) return true; // four-byte sequence
    if (lead < 0xa1 || lead > 0xf7 || trail < 0xa1) return true;
    i++;
  }
  return false;
}

/** Physical lines (LF, CRLF or a lone CR end one) of raw bytes; no multibyte character of UTF-8 or GB18030 contains 0x0A or 0x0D. */
function byteLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a && bytes[i] !== 0x0d) continue;
    out.push(bytes.subarray(start, i));
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) i++;
    start = i + 1;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

/**
 * A file pieced together from a UTF-8 export and a GB18030 one (copy /b, or a script appending
 * lines) is not UTF-8, and usually not GB18030 either; but when every UTF-8 run happens to have an
 * even byte count, GB18030 decodes all of it, and the UTF-8 lines' names would be read as mojibake.
 * Returns the first UTF-8 line and the first line that is not UTF-8, or undefined.
 */
function mixedEncodingLines(bytes: Uint8Array): { utf8: number; other: number } | undefined {
  const lines = byteLines(bytes);
  const utf8 = lines.findIndex(isUtf8Line);
  if (utf8 < 0) return undefined;
  const strict = new TextDecoder("utf-8", { fatal: true });
  const other = lines.findIndex((line) => {
    try {
      strict.decode(line);
      return false;
    } catch {
      return true;
    }
  });
  return other < 0 ? undefined : { utf8: utf8 + 1, other: other + 1 };
}

/**
 * UTF-8 is tried first and strictly (`fatal`): GB18030 decodes almost any byte string without
 * error, so it is only the fallback when the bytes are not UTF-8, and a GB18030 reading that turns
 * UTF-8 lines into mojibake is refused. Pure ASCII is reported as UTF-8.
 */
export function decodeCsv(bytes: Uint8Array, fileName: string): Decoded {
  const fileIssue = (problem: string, fix = SAVE_AS_UTF8): Decoded => ({
    issue: { line: 0, field: "file", value: fileName, problem, fix },
  });
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return fileIssue('UTF-16 text (Excel "Unicode text"), which this reader does not take');
  }
  // No CSV text holds a NUL; UTF-16 without a byte-order mark has one after every ASCII
  // character, and GB18030 would otherwise decode it into a header of mojibake.
  if (bytes.includes(0)) {
    return fileIssue(
      "contains NUL bytes, so it is not CSV text (perhaps UTF-16 text without a byte-order mark, or not a text file at all)",
    );
  }
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    // ignoreBOM: true keeps the BOM in the text so that we can strip and report it ourselves.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return hasBom ? { text: text.slice(1), encoding: "utf-8-bom" } : { text, encoding: "utf-8" };
  } catch {
    // Not UTF-8: fall through to GB18030.
  }
  let text: string;
  try {
    text = new TextDecoder("gb18030", { fatal: true }).decode(bytes);
  } catch {
    return fileIssue("neither UTF-8 nor GB18030 text");
  }
  const mixed = mixedEncodingLines(bytes);
  if (mixed) {
    return fileIssue(
      `mixes UTF-8 and GB18030 text (line ${mixed.utf8} is UTF-8, line ${mixed.other} is not), so part of it would be read as garbled characters`,
      "the file was joined from files in different encodings: copy all lines into one spreadsheet and save it as CSV UTF-8 or as .xlsx",
    );
  }
  return { text, encoding: "gb18030" };
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
