import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type EndArgs, endRoster } from "./end.js";

export default (args: EndArgs, hre: HardhatRuntimeEnvironment) => endRoster("close", args, hre);
