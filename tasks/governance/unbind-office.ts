import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { unbindOfficeChange } from "../../src/chain/governance.js";
import { type GovernanceArgs, runGovernanceTask } from "../../src/cli/governance.js";

export default (args: GovernanceArgs, hre: HardhatRuntimeEnvironment) =>
  runGovernanceTask(args, hre, (suite, account) => unbindOfficeChange(suite, account));
