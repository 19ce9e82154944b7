/** Emergency stop: pauses (or, with --resume, unpauses) all seven writing contracts in one transaction. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";

interface Args extends CommonArgs {
  resume: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const { suite, signer, out } = await openContext(args, hre);
    const fn = args.resume ? "unpause" : "pause";
    const { directory, programmes, households, ledger, rosterBook, rosterLines, disbursement } = suite.addresses;
    // Every writing contract inherits Guarded, so pause() and unpause() have the same call data on each.
    const data = args.resume
      ? suite.directory.interface.encodeFunctionData("unpause")
      : suite.directory.interface.encodeFunctionData("pause");
    const calls = [directory, programmes, households, ledger, rosterBook, rosterLines, disbursement].map((target) =>
      suite.manager.interface.encodeFunctionData("execute", [target, data]),
    );
    const tx = await suite.manager.connect(signer).multicall(calls);
    await tx.wait();
    out.result(
      { action: fn, txHash: tx.hash },
      `${args.resume ? "resumed" : "paused"} every writing contract (tx ${tx.hash})`,
    );
  });
