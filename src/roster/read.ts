/**
 * Reading a roster file: which format it is, turning its bytes into a table of cells, and handing
 * the table to validate.ts. Problems of the file as a whole (empty, .xls, not text) end here.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";

import { decodeCsv, readCsvTable } from "./csv.js";
import { sortIssues } from "./issues.js";
import type { Table } from "./table.js";
import type { ReadOptions, RosterReadResult, RosterSource } from "./types.js";
import { validateTable } from "./validate.js";
import { isValidRegionCode } from "./village.js";
import { readXlsxTable } from "./xlsx.js";

export async function readRosterFile(path: string, options: ReadOptions = {}): Promise<RosterReadResult> {
  const bytes = await readFile(path);
  return parseRoster(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), basename(path), options);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

const ZIP = [0x50, 0x4b]; // "PK": every XLSX is a zip archive
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // Excel 97–2003 .xls

/**
 * A password-protected .xlsx is not a zip but an OLE file like an .xls, whose directory names the
 * streams "EncryptionInfo" and "EncryptedPackage" (MS-OFFCRYPTO), in UTF-16LE.
 */
const ENCRYPTED_PACKAGE = Buffer.from("EncryptedPackage", "utf16le");

function contains(bytes: Uint8Array, needle: Buffer): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}

/** Web systems export "Excel" files that are HTML tables (or Excel 2003 XML), named .xls or even .csv. */
function isMarkup(text: string): boolean {
  return /^\s*<(?:!doctype\s+html|html|table|\?xml|workbook)\b/i.test(text);
}

function checkOptions(options: ReadOptions): void {
  // These are programming errors in the caller, not problems of the file: throw, do not report.
  if (options.householdCap !== undefined && options.householdCap <= 0n) {
    throw new RangeError(`householdCap must be positive, got ${options.householdCap}`);
  }
  if (options.region !== undefined && !isValidRegionCode(options.region)) {
    throw new RangeError(`region must be a 12-digit division code, got ${options.region}`);
  }
}

/**
 * Reads a roster from its bytes. The format comes from the extension (.csv, .xlsx); any other
 * name is sniffed (an XLSX file is a zip archive and starts with "PK").
 */
export async function parseRoster(
  bytes: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
): Promise<RosterReadResult> {
  checkOptions(options);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const ext = extname(fileName).toLowerCase();
  const isZip = startsWith(bytes, ZIP);
  const format: RosterSource["format"] =
    ext === ".xlsx" || (ext !== ".csv" && (isZip || startsWith(bytes, OLE))) ? "xlsx" : "csv";
  const source: RosterSource = { fileName, format, sha256 };
  const fileIssue = (problem: string, fix: string): RosterReadResult => ({
    entries: [],
    issues: [{ line: 0, field: "file", value: fileName, problem, fix }],
    source,
  });

  if (bytes.length === 0) return fileIssue("the file is empty", "export the roster again from the spreadsheet");
  if (startsWith(bytes, OLE)) {
    if (contains(bytes, ENCRYPTED_PACKAGE)) {
      return fileIssue(
        "a password-protected (encrypted) workbook, which cannot be read without its password",
        "open it with the password, remove the password (Excel: File › Info › Protect Workbook › Encrypt with Password; WPS: File › Document Encryption) and save it as .xlsx or CSV UTF-8",
      );
    }
    // Judged by content, not name: an .xlsx renamed .xls is read (sniffed as a zip) like any other.
    return fileIssue(
      "an Excel 97–2003 (.xls) workbook, which this reader does not take",
      "open it in Excel or WPS and save it as .xlsx (Excel Workbook) or as CSV UTF-8",
    );
  }
  if (format === "csv" && isZip) {
    return fileIssue(
      "a zip archive (probably an .xlsx workbook) named .csv",
      "give the file its real extension, .xlsx, or save it from the spreadsheet as CSV UTF-8",
    );
  }

  let table: Table;
  if (format === "xlsx") {
    try {
      table = await readXlsxTable(bytes);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return fileIssue(
        `could not be read as an XLSX workbook (${reason})`,
        "open it in Excel or WPS and save it again as .xlsx, or save it as CSV UTF-8",
      );
    }
  } else {
    const decoded = decodeCsv(bytes, fileName);
    if ("issue" in decoded) return { entries: [], issues: [decoded.issue], source };
    source.encoding = decoded.encoding;
    if (isMarkup(decoded.text)) {
      return fileIssue(
        'an HTML or XML document (what many web systems export as "Excel"), not CSV or XLSX',
        "open it in Excel or WPS and save it as .xlsx (Excel Workbook) or as CSV UTF-8",
      );
    }
    table = readCsvTable(decoded.text);
  }

  const { entries, issues } = validateTable(table, fileName, options);
  return { entries, issues: sortIssues([...table.issues, ...issues]), source };
}
