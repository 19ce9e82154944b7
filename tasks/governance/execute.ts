import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { executeScheduled } from "../../src/chain/governance.js";
import { addressArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";

interface Args extends CommonArgs {
  target: string;
  data: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const target = addressArg("target", args.target);
    if (!/^0x[0-9a-fA-F]{8,}$/.test(args.data))
      throw new Error("--data must be the call data printed when the operation was scheduled");
    const { suite, signer, out } = await openContext(args, hre);
    const when = await suite.manager.getSchedule(
      await suite.manager.hashOperation(await signer.getAddress(), target, args.data),
    );
    if (when === 0n)
      throw new Error("no such operation is scheduled by this account (or it already ran, expired or was cancelled)");
    const txHash = await executeScheduled(suite, signer, target, args.data);
    out.result({ txHash }, `executed (tx ${txHash})`);
  });
