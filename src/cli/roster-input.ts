/** Reading a roster file for a task: every problem listed at once, nothing half-done. */
import { formatIssues, readRosterFile, type ReadOptions, type RosterEntry } from "../roster/index.js";
import type { Output } from "./context.js";

export async function readRosterOrFail(file: string, options: ReadOptions, out: Output): Promise<RosterEntry[]> {
  if (!file) throw new Error("give the roster file with --roster <path> (.csv in UTF-8 or GB18030, or .xlsx)");
  const result = await readRosterFile(file, options);
  const encoding = result.source.encoding ? `, ${result.source.encoding}` : "";
  out.say(
    `read ${file} (${result.source.format}${encoding}): ${result.entries.length} valid lines, ${result.issues.length} problems`,
  );
  if (result.issues.length > 0) {
    throw new Error(
      `the roster has ${result.issues.length} problem(s); nothing was sent to the chain. Fix them in the file and run again:\n${formatIssues(result.issues)}`,
    );
  }
  return result.entries;
}
