/** audit export: the line status or one index table, streamed to CSV or printed as a JSON array. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, type ExportFilter, exportableTable, exportTable, openAudit } from "../../src/audit/index.js";
import { beijingDayStart } from "../../src/audit/rows.js";
import { runTask } from "../../src/cli/context.js";
import { readNameBook } from "../../src/names-file.js";
import { isValidRegionCode } from "../../src/roster/village.js";

interface Args extends AuditArgs {
  table: string;
  csv: string;
  programme: string;
  region: string;
  since: string;
  until: string;
  names: string;
}

function filterOf(args: Args): ExportFilter {
  const filter: ExportFilter = {};
  if (args.programme.trim()) {
    if (!/^\d+$/.test(args.programme.trim()))
      throw new Error(`--programme must be a programme id (a whole number), got "${args.programme}"`);
    filter.programme = BigInt(args.programme.trim());
  }
  if (args.region.trim()) {
    const text = args.region.trim();
    if (!/^\d{12}$/.test(text) || !isValidRegionCode(BigInt(text)))
      throw new Error(`--region must be a 12-digit administrative division code, e.g. 110101000000; got "${text}"`);
    filter.region = BigInt(text);
  }
  if (args.since.trim()) filter.since = beijingDayStart(args.since, "since");
  if (args.until.trim()) filter.until = beijingDayStart(args.until, "until");
  if (filter.since !== undefined && filter.until !== undefined && filter.until <= filter.since)
    throw new Error(`--until ${args.until} must be a later date than --since ${args.since}`);
  return filter;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const table = exportableTable(args.table);
    if (!args.csv && !args.json)
      throw new Error("give --csv <file> to write a CSV file, or --json to print the rows as JSON");
    const filter = filterOf(args);
    const names = readNameBook(args.names);
    // Under --json the rows are the output: Output.say stays quiet, so no narration mixes with them.
    const session = await openAudit(args, hre);
    try {
      if (args.csv) {
        const rows = await exportTable(session.db, table, { csv: args.csv, filter, names });
        if (args.json) console.log(JSON.stringify({ table, file: args.csv, rows }));
        else console.log(`${rows} row(s) of ${table} written to ${args.csv}`);
      } else {
        await exportTable(session.db, table, { filter, names });
      }
    } finally {
      session.close();
    }
  });
