/** audit offices: who holds which office, from the events, checked against the Directory. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, checkOffices, officesFromIndex, openAudit, writeCsv } from "../../src/audit/index.js";
import { regionArg } from "../../src/cli/args.js";
import { runTask } from "../../src/cli/context.js";

interface Args extends AuditArgs {
  region: string;
  csv: string;
}

const ZERO = "0x0000000000000000000000000000000000000000";

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const within = args.region ? regionArg("region", args.region) : undefined;
    const session = await openAudit(args, hre);
    try {
      const offices = officesFromIndex(session.db, within);
      const differ = await checkOffices(session.suite, offices);
      if (args.csv) {
        await writeCsv(
          args.csv,
          ["kind", "department", "region", "holder", "since_block", "since_tx", "previous_holders"],
          offices.map((o) => ({
            ...o,
            since_block: o.since.block,
            since_tx: o.since.tx,
            previous_holders: o.previousHolders.join(" "),
          })),
        );
      }
      const text = [
        `${offices.length} office(s)${within === undefined ? "" : ` in region ${within} and below`}, from the events; ${session.offline ? "not compared with the Directory (offline)" : differ.length === 0 ? "each agrees with the Directory" : `${differ.length} DISAGREE with the Directory`}`,
        ...offices.map(
          (o) =>
            `  ${o.office}: ${o.holder === ZERO ? "VACANT" : o.holder} since block ${o.since.block}${o.previousHolders.length ? ` (before: ${o.previousHolders.join(", ")}, retired)` : ""}${o.chainHolder && o.chainHolder.toLowerCase() !== o.holder.toLowerCase() ? `; the Directory says ${o.chainHolder}` : ""}`,
        ),
      ];
      session.out.result({ offices, disagreements: differ.length }, text.join("\n"));
      if (differ.length > 0) process.exitCode = 1;
    } finally {
      session.close();
    }
  });
