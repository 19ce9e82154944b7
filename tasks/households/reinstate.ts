import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { householdArg } from "../../src/cli/household-input.js";
import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { reinstateHousehold } from "../../src/workflow/households.js";

interface Args extends CommonArgs, ReasonArgs {
  household: string;
  idNumber: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const hash = (await hashedText("reason", args.reason, args.reasonFile)).hash;
    const { suite, out } = await openContext(args, hre);
    const household = await householdArg(args, suite, hre);
    const { txHash, proposed } = await reinstateHousehold(suite, household, hash);
    out.result(
      { household, action: "reinstate", proposed, reasonHash: hash, txHash },
      proposed
        ? `household ${household}: proposed for reinstatement; it was suspended as deceased, so a second civil-affairs office must confirm (households reinstate --household ${household}) before it can be paid (tx ${txHash})`
        : `household ${household}: reinstated (tx ${txHash})`,
    );
  });
