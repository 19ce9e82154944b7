/** audit export: one index table, streamed to CSV or printed as a JSON array. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, exportableTable, exportTable, openAudit } from "../../src/audit/index.js";
import { runTask } from "../../src/cli/context.js";

interface Args extends AuditArgs {
  table: string;
  csv: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const table = exportableTable(args.table);
    if (!args.csv && !args.json)
      throw new Error("give --csv <file> to write a CSV file, or --json to print the rows as JSON");
    // Under --json the rows are the output: Output.say stays quiet, so no narration mixes with them.
    const session = await openAudit(args, hre);
    try {
      if (args.csv) {
        const rows = await exportTable(session.db, table, { csv: args.csv });
        if (args.json) console.log(JSON.stringify({ table, file: args.csv, rows }));
        else console.log(`${rows} row(s) of ${table} written to ${args.csv}`);
      } else {
        await exportTable(session.db, table, {});
      }
    } finally {
      session.close();
    }
  });
