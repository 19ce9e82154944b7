import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type ChangeArgs, runGovernanceChange } from "./change.js";

export default (args: ChangeArgs, hre: HardhatRuntimeEnvironment) => runGovernanceChange("unbind-office", args, hre);
