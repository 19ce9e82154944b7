/**
 * How a decoded event's arguments become the values of a typed table's row, and how a group of
 * events declares its tables: their columns, and the rows each event of the group writes.
 */
import type { DecodedLog } from "./decode.js";
import type { SQLInputValue } from "./sqlite.js";

export const INT64_MAX = 2n ** 63n - 1n;

/** An integer argument as SQLite stores it; refused by name if it does not fit 64 bits. */
export function int(log: DecodedLog, field: string): bigint {
  const value = log.event!.args[field];
  const n = typeof value === "bigint" ? value : BigInt(value as number);
  if (n < 0n || n > INT64_MAX) {
    throw new Error(
      `${log.contract}.${log.event!.name} at block ${log.block}, log ${log.logIndex} (tx ${log.tx}) has ${field} = ${n}, beyond the 64-bit integers this index stores; it cannot be audited with this tool`,
    );
  }
  return n;
}

export const text = (log: DecodedLog, field: string): string => String(log.event!.args[field]).toLowerCase();
export const flag = (log: DecodedLog, field: string): number => (log.event!.args[field] ? 1 : 0);

/** Writes a row of `table` for `log`: its block, log index and transaction, then `values` in column order. */
export type WriteRow = (table: string, log: DecodedLog, ...values: SQLInputValue[]) => void;

/** Each table's columns after block, log_index and tx, in the order its rows give their values. */
export type TableColumns = Record<string, readonly string[]>;

/** The rows each event writes, by "Contract.Event". */
export type EventRows = Record<string, (log: DecodedLog, row: WriteRow) => void>;
