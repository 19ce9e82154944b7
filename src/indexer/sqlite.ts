/**
 * node:sqlite (built into Node 22), loaded without its one-time "SQLite is an experimental feature"
 * warning. The warning is printed on stderr by Node's default warning handler, where it would mix
 * with a task's own messages; it says nothing an auditor can act on. Only that one warning is
 * dropped, and only while the module loads: every other warning still reaches stderr.
 */
import type * as Sqlite from "node:sqlite";

async function loadQuietly(): Promise<typeof Sqlite> {
  const emitWarning = process.emitWarning;
  const filtered = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === "string" ? warning : warning.message;
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const kind = warning instanceof Error ? warning.name : type;
    if (kind === "ExperimentalWarning" && /SQLite/i.test(text)) return;
    // The override has the signature of process.emitWarning; pass everything else through untouched.
    (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
  try {
    return await import("node:sqlite");
  } finally {
    process.emitWarning = emitWarning;
  }
}

const sqlite = await loadQuietly();

export const DatabaseSync = sqlite.DatabaseSync;
export type DatabaseSync = Sqlite.DatabaseSync;
export type StatementSync = Sqlite.StatementSync;
export type SQLInputValue = Sqlite.SQLInputValue;
export type SQLOutputValue = Sqlite.SQLOutputValue;
