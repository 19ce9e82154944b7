import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { householdArg } from "../../src/cli/household-input.js";
import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { suspendHousehold } from "../../src/workflow/households.js";

interface Args extends CommonArgs, ReasonArgs {
  household: string;
  idNumber: string;
  why: string;
}

/** --why, as the chain numbers the reasons (IHouseholdRegistry.SuspensionReason). */
const WHY = { deceased: 0, moved: 1, ineligible: 2, other: 3 } as const;

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const hash = (await hashedText("reason", args.reason, args.reasonFile)).hash;
    const { suite, out } = await openContext(args, hre);
    const household = await householdArg(args, suite, hre);
    const why = WHY[args.why as keyof typeof WHY];
    if (why === undefined) throw new Error(`--why must be one of ${Object.keys(WHY).join(", ")}`);
    const txHash = await suspendHousehold(suite, household, why, hash);
    out.result(
      { household, action: "suspend", proposed: false, reasonHash: hash, txHash },
      `household ${household}: suspended (tx ${txHash})`,
    );
  });
