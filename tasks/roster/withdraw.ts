import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { formatFen } from "../../src/money.js";
import { withdrawRoster } from "../../src/workflow/roster.js";

interface Args extends CommonArgs, ReasonArgs {
  roster: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = bigintArg("roster", args.roster);
    const { hash } = await hashedText("reason", args.reason, args.reasonFile);
    const { suite, out } = await openContext(args, hre);
    const { released, region, txHash } = await withdrawRoster(suite, rosterId, hash);
    out.result(
      { rosterId, action: "withdraw", released, txHash },
      `roster ${rosterId} withdrawn: ${formatFen(released)} yuan back to region ${region} (tx ${txHash})`,
    );
  });
