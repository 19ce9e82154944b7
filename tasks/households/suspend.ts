import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { changeStatus, type StatusArgs } from "./status.js";

export default (args: StatusArgs, hre: HardhatRuntimeEnvironment) => changeStatus("suspend", args, hre);
