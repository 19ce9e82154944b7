/**
 * Streamed output for audit results: CSV written row by row to a file (waiting for the stream to
 * drain, so that memory stays flat however many rows there are), and JSON arrays written element
 * by element. CSV follows the project's convention (src/outputs/csv.ts): UTF-8 with a BOM, CRLF,
 * RFC 4180 quoting, and formula-looking cells defused. A file appears whole or not at all: rows go
 * to a temporary file beside it, renamed over it when every row is written.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";

import { csvCell } from "../outputs/csv.js";

export type Cell = string | number | bigint | boolean | null | undefined;

function cellText(value: Cell): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : String(value);
}

export class CsvWriter {
  private rows = 0;

  private constructor(
    private readonly stream: WriteStream,
    readonly file: string,
    private readonly partial: string,
  ) {}

  static async open(file: string, header: readonly string[]): Promise<CsvWriter> {
    const partial = `${file}.partial-${process.pid}`;
    const stream = createWriteStream(partial);
    await once(stream, "open");
    const writer = new CsvWriter(stream, file, partial);
    stream.write("\uFEFF");
    await writer.write(header);
    writer.rows = 0;
    return writer;
  }

  /** Writes one record; resolves at once unless the stream's buffer is full. */
  async write(cells: readonly Cell[]): Promise<void> {
    this.rows++;
    const line = cells.map((c) => csvCell(cellText(c))).join(",") + "\r\n";
    if (!this.stream.write(line)) await once(this.stream, "drain");
  }

  /** Data rows written (the header not counted). */
  get count(): number {
    return this.rows;
  }

  /** Finishes the file and puts it in place. */
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, "finish");
    await rename(this.partial, this.file);
  }

  /** Drops what was written: the file is left as it was before (absent, or the previous one). */
  async abort(): Promise<void> {
    if (!this.stream.closed) {
      this.stream.end();
      await once(this.stream, "close").catch(() => undefined);
    }
    await rm(this.partial, { force: true });
  }
}

/** Writes the CSV `file` through `body`; on any failure nothing is left behind. */
export async function withCsv(
  file: string,
  header: readonly string[],
  body: (csv: CsvWriter) => Promise<void>,
): Promise<number> {
  const csv = await CsvWriter.open(file, header);
  try {
    await body(csv);
  } catch (error) {
    await csv.abort();
    throw error;
  }
  await csv.close();
  return csv.count;
}

/** Writes `rows` to `file` as CSV with `columns` (in that order). */
export async function writeCsv<T extends Record<string, unknown>>(
  file: string,
  columns: readonly string[],
  rows: Iterable<T>,
): Promise<number> {
  return withCsv(file, columns, async (csv) => {
    for (const row of rows) await csv.write(columns.map((c) => row[c] as Cell));
  });
}

/**
 * A JSON array printed one element per line (console.log, which is synchronous on files and pipes
 * on POSIX): valid JSON for a machine, and never held whole in memory.
 */
export class JsonArrayPrinter {
  private first = true;
  private rows = 0;

  constructor(private readonly print: (line: string) => void = (line) => console.log(line)) {
    this.print("[");
  }

  write(value: unknown): void {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    this.print(this.first ? `  ${text}` : `, ${text}`);
    this.first = false;
    this.rows++;
  }

  get count(): number {
    return this.rows;
  }

  end(): void {
    this.print("]");
  }
}
