import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg, regionArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";

interface Args extends CommonArgs {
  programme: string;
  regions: string[];
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const programmeId = bigintArg("programme", args.programme);
    if (args.regions.length === 0) throw new Error("name at least one region code, e.g. 110101000000");
    const regions = args.regions.map((r) => regionArg("region", r));
    const { suite, out } = await openContext(args, hre);
    const rows = await Promise.all(
      regions.map(async (region) => {
        const b = await suite.ledger.balanceOf(programmeId, region);
        return {
          region,
          parent: b.parent,
          received: b.received,
          passedDown: b.allocatedOut,
          reserved: b.reserved,
          paid: b.paid,
          available: b.available,
          returned: b.returned,
          reversed: b.reversed,
          balanced: b.received === b.allocatedOut + b.reserved + b.paid + b.available,
        };
      }),
    );
    out.result(
      rows,
      rows
        .map(
          (r) =>
            `${r.region}: received ${formatFen(r.received)}  passed down ${formatFen(r.passedDown)}  reserved ${formatFen(r.reserved)}  ` +
            `paid ${formatFen(r.paid)}  available ${formatFen(r.available)}  returned ${formatFen(r.returned)}  reversed ${formatFen(r.reversed)}` +
            (r.balanced ? "" : "  DOES NOT BALANCE"),
        )
        .join("\n"),
    );
  });
