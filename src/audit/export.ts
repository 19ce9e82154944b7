/**
 * Exporting an index table, or the one-row-per-line status (`lines`), for people and machines:
 * streamed (a statement iterator written as it comes: CSV to a file, waiting for the stream to
 * drain, or a JSON array to stdout), so neither the table nor the file is ever held in memory.
 *
 * Shaped so a spreadsheet reads it right: every amount twice, in yuan (`amount_yuan`, two decimals)
 * and in fen (`amount_fen`, the integer the chain holds); times in Beijing time with their offset;
 * each line's 序号 (`seq`); earmark codes as text; departments, office kinds and suspension
 * reasons by name (departments, regions and programmes named from a --names file where given).
 * Filters: a programme, a region and everything inside it, and a range of Beijing dates of the
 * rows' blocks.
 */
import { EXPORTABLE_TABLES, type IndexDatabase, type Row } from "../indexer/index.js";
import { ENUM_NAMES } from "../chain/states.js";
import { formatFen } from "../money.js";
import { type NameBook, nameIn, NO_NAMES } from "../names.js";
import { officeKindLabel } from "../offices.js";
import { regionRange } from "../roster/village.js";
import { type Cell, JsonArrayPrinter, withCsv } from "./csv.js";
import { lineStatusSql } from "./line-status.js";
import { earmarkText, isoTime } from "./rows.js";

/** What `--table` accepts: the line status first, then the index's own tables. */
export const EXPORT_TABLES = ["lines", ...EXPORTABLE_TABLES] as const;
export type ExportTableName = (typeof EXPORT_TABLES)[number];

export function exportableTable(name: string): ExportTableName {
  const table = EXPORT_TABLES.find((t) => t === name);
  if (!table) throw new Error(`--table must be one of ${EXPORT_TABLES.join(", ")}; got "${name}"`);
  return table;
}

export interface ExportFilter {
  programme?: bigint;
  /** A region code: rows of it and of every region inside it. */
  region?: bigint;
  /** Epoch seconds: rows of blocks at or after `since` and before `until`. */
  since?: number;
  until?: number;
}

export interface ExportTarget {
  /** CSV file to write; otherwise a JSON array is printed. */
  csv?: string;
  print?: (line: string) => void;
  filter?: ExportFilter;
  names?: NameBook;
}

const MONEY = new Set(["amount", "total", "released", "budget_ceiling", "household_cap"]);
const TIMES = new Set(["block_time", "time", "publicity_ends_at", "payout_deadline", "paid_time", "settled_time"]);
const REGIONS = new Set(["region", "other_region", "root_region"]);

/** How a table reaches a programme, a region and a block time, by its columns. */
function filterSql(table: ExportTableName, columns: Set<string>, filter: ExportFilter): string[] {
  const where: string[] = [];
  const rosterOf = table === "lines" ? "r" : undefined;
  if (filter.programme !== undefined) {
    if (rosterOf) where.push(`${rosterOf}.programme_id = :programme`);
    else if (columns.has("programme_id")) where.push(`t.programme_id = :programme`);
    else if (columns.has("roster_id"))
      where.push(`t.roster_id IN (SELECT roster_id FROM rosters WHERE programme_id = :programme)`);
    else throw new Error(`--programme does not apply to --table ${table}: its rows belong to no programme`);
  }
  if (filter.region !== undefined) {
    if (rosterOf) where.push(`${rosterOf}.region BETWEEN :low AND :high`);
    else if (columns.has("region")) where.push(`t.region BETWEEN :low AND :high`);
    else if (columns.has("roster_id"))
      where.push(`t.roster_id IN (SELECT roster_id FROM rosters WHERE region BETWEEN :low AND :high)`);
    else if (columns.has("household"))
      where.push(`t.household / 256 IN (SELECT block_id FROM household_blocks WHERE region BETWEEN :low AND :high)`);
    else throw new Error(`--region does not apply to --table ${table}: its rows belong to no region`);
  }
  const timeOf = table === "lines" ? "lb.time" : table === "blocks" ? "t.time" : "b.time";
  if (filter.since !== undefined) where.push(`${timeOf} >= :since`);
  if (filter.until !== undefined) where.push(`${timeOf} < :until`);
  return where;
}

function querySql(db: IndexDatabase, table: ExportTableName, filter: ExportFilter): string {
  if (table === "lines") return lineStatusSql(filterSql(table, new Set(), filter).join(" AND "));
  const columns = new Set(db.all(`SELECT name FROM pragma_table_info('${table}')`).map((r) => String(r.name)));
  const where = filterSql(table, columns, filter);
  const clause = where.length ? ` WHERE ${where.join(" AND ")}` : "";
  switch (table) {
    case "blocks":
      return `SELECT number, time, hash FROM blocks t${clause} ORDER BY number`;
    case "txs":
      return `SELECT t.hash, t.block, b.time AS block_time, t.sender FROM txs t LEFT JOIN blocks b ON b.number = t.block${clause} ORDER BY t.block, t.hash`;
    default:
      return `SELECT t.*${columns.has("line_index") ? ", t.line_index + 1 AS seq" : ""}, b.time AS block_time FROM ${table} t LEFT JOIN blocks b ON b.number = t.block${clause} ORDER BY t.block, t.log_index`;
  }
}

interface Shaper {
  columns: string[];
  shape(row: Row): Cell[];
}

/** The output columns for `raw` and how each row becomes them. */
function shaper(table: ExportTableName, raw: string[], names: NameBook): Shaper {
  const hasNames = (n: Record<string, unknown>) => Object.keys(n).length > 0;
  const parts: Array<{ columns: string[]; cells: (row: Row) => Cell[] }> = raw.map((c) => {
    const v = (row: Row) => row[c] as Cell;
    if (MONEY.has(c))
      return {
        columns: [`${c}_yuan`, `${c}_fen`],
        cells: (row) =>
          row[c] === null ? [null, null] : [formatFen(BigInt(row[c] as bigint)).replace(/,/g, ""), v(row)],
      };
    if (TIMES.has(c)) return { columns: [c], cells: (row) => [isoTime(row[c] as bigint | null)] };
    if (c === "earmark") return { columns: ["earmark_code"], cells: (row) => [earmarkText(String(row[c]))] };
    if (c === "department")
      return {
        columns: ["department", "department_name"],
        cells: (row) => [v(row), nameIn(names.departments, String(row[c]), "zh") ?? `department ${row[c]}`],
      };
    if (c === "kind" && table === "offices")
      return { columns: ["kind", "office"], cells: (row) => [v(row), officeKindLabel(row[c] as bigint)] };
    if (c === "reason" && table === "suspensions")
      return {
        columns: ["reason", "reason_name"],
        cells: (row) => [v(row), row[c] === null ? null : (ENUM_NAMES.SuspensionReason[Number(row[c])] ?? null)],
      };
    if (c === "programme_id" && hasNames(names.programmes))
      return {
        columns: [c, "programme_name"],
        cells: (row) => [v(row), nameIn(names.programmes, String(row[c]), "zh") ?? null],
      };
    if (REGIONS.has(c) && hasNames(names.regions))
      return {
        columns: [c, `${c}_name`],
        cells: (row) => [v(row), row[c] === null ? null : (nameIn(names.regions, String(row[c]), "zh") ?? null)],
      };
    return { columns: [c], cells: (row) => [v(row)] };
  });
  return { columns: parts.flatMap((p) => p.columns), shape: (row) => parts.flatMap((p) => p.cells(row)) };
}

function parameters(db: IndexDatabase, filter: ExportFilter, table: ExportTableName): Record<string, bigint | number> {
  const p: Record<string, bigint | number> = {};
  if (filter.programme !== undefined) p.programme = filter.programme;
  if (filter.region !== undefined) {
    const { low, high } = regionRange(filter.region);
    p.low = low;
    p.high = high;
  }
  if (filter.since !== undefined) p.since = filter.since;
  if (filter.until !== undefined) p.until = filter.until;
  if (table === "lines") p.now = db.head().time ?? Math.floor(Date.now() / 1000);
  return p;
}

/** Writes every row of `table` that passes the filter; returns the number of rows written. */
export async function exportTable(db: IndexDatabase, table: ExportTableName, target: ExportTarget): Promise<number> {
  const filter = target.filter ?? {};
  const statement = db.db.prepare(querySql(db, table, filter));
  const rows = statement.iterate(parameters(db, filter, table)) as Iterable<Row>;
  const { columns, shape } = shaper(
    table,
    statement.columns().map((c) => c.name),
    target.names ?? NO_NAMES,
  );
  if (target.csv)
    return withCsv(target.csv, columns, async (csv) => {
      for (const row of rows) await csv.write(shape(row));
    });
  const json = new JsonArrayPrinter(target.print);
  for (const row of rows) {
    const cells = shape(row);
    json.write(Object.fromEntries(columns.map((c, i) => [c, cells[i]])));
  }
  json.end();
  return json.count;
}
