/** Moves a local development chain's clock forward (e.g. past a publicity period). Refuses any other chain. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { Output, runTask } from "../../src/cli/context.js";

interface Args {
  days: string;
  json: boolean;
}

const LOCAL_CHAIN_IDS = new Set([31337n, 1337n]);

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const seconds = Number(bigintArg("days", args.days)) * 86400;
    const connection = await hre.network.getOrCreate();
    const { chainId } = await connection.ethers.provider.getNetwork();
    if (!LOCAL_CHAIN_IDS.has(chainId))
      throw new Error(`chain ${chainId} is not a local development chain; its clock is not ours to move`);
    await connection.provider.request({ method: "evm_increaseTime", params: [seconds] });
    await connection.provider.request({ method: "evm_mine", params: [] });
    const block = await connection.ethers.provider.getBlock("latest");
    new Output(args.json).result(
      { now: block?.timestamp },
      `chain time is now ${new Date(Number(block?.timestamp) * 1000).toISOString()}`,
    );
  });
