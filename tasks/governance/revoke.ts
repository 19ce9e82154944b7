import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { revokeRoleChange } from "../../src/chain/governance.js";
import { roleArg } from "../../src/cli/args.js";
import { type GovernanceArgs, runGovernanceTask } from "../../src/cli/governance.js";

interface Args extends GovernanceArgs {
  role: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runGovernanceTask(args, hre, (suite, account) => revokeRoleChange(suite, roleArg(args.role), account));
