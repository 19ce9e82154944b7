/**
 * Exporting an index table, streamed: rows are read with a statement iterator and written as they
 * come (CSV to a file, waiting for the file stream to drain; or a JSON array to stdout), so neither
 * the table nor the output file is ever held in memory. No row limit. Each event row gets its
 * block's time (block_time, ISO UTC) next to the block number, and each line its 序号 (seq).
 */
import { EXPORTABLE_TABLES, type ExportableTable, type IndexDatabase } from "../indexer/index.js";
import { CsvWriter, JsonArrayPrinter } from "./csv.js";
import { isoTime } from "./rows.js";

export function exportableTable(name: string): ExportableTable {
  const table = EXPORTABLE_TABLES.find((t) => t === name);
  if (!table) throw new Error(`--table must be one of ${EXPORTABLE_TABLES.join(", ")}; got "${name}"`);
  return table;
}

/**
 * The query for a table: event tables in chain order with their block's time, and a line's 序号 in
 * its published list (line_index + 1) beside its index on chain.
 */
function querySql(db: IndexDatabase, table: ExportableTable): string {
  const hasLine = db.all(`SELECT name FROM pragma_table_info('${table}') WHERE name = 'line_index'`).length > 0;
  switch (table) {
    case "blocks":
      return "SELECT number, time, hash FROM blocks ORDER BY number";
    case "txs":
      return "SELECT hash, block, sender FROM txs ORDER BY block, hash";
    default:
      return `SELECT t.*${hasLine ? ", t.line_index + 1 AS seq" : ""}, b.time AS block_time FROM ${table} t LEFT JOIN blocks b ON b.number = t.block ORDER BY t.block, t.log_index`;
  }
}

export interface ExportTarget {
  /** CSV file to write; otherwise a JSON array is printed. */
  csv?: string;
  print?: (line: string) => void;
}

/** Writes every row of `table`; returns the number of rows written. */
export async function exportTable(db: IndexDatabase, table: ExportableTable, target: ExportTarget): Promise<number> {
  const statement = db.db.prepare(querySql(db, table));
  const columns = statement.columns().map((c) => c.name);
  const shape = (row: Record<string, unknown>) => {
    if ("block_time" in row) row.block_time = isoTime(row.block_time as bigint | null);
    return row;
  };
  if (target.csv) {
    const csv = await CsvWriter.open(target.csv, columns);
    try {
      for (const row of statement.iterate()) {
        const shaped = shape(row);
        await csv.write(columns.map((c) => shaped[c] as string | bigint | null));
      }
    } finally {
      await csv.close();
    }
    return csv.count;
  }
  const json = new JsonArrayPrinter(target.print);
  for (const row of statement.iterate()) json.write(shape(row));
  json.end();
  return json.count;
}
