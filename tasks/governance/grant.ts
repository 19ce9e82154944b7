import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { grantRoleChange } from "../../src/chain/governance.js";
import { bigintArg, roleArg } from "../../src/cli/args.js";
import { type GovernanceArgs, runGovernanceTask } from "../../src/cli/governance.js";

interface Args extends GovernanceArgs {
  role: string;
  delay: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runGovernanceTask(args, hre, (suite, account) =>
    grantRoleChange(suite, roleArg(args.role), account, bigintArg("delay", args.delay)),
  );
