import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg, regionArg, yuanArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";

interface Args extends CommonArgs {
  programme: string;
  fromRegion: string;
  toRegion: string;
  amount: string;
  reclaim: boolean;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const programmeId = bigintArg("programme", args.programme);
    const from = regionArg("from-region", args.fromRegion);
    const to = regionArg("to-region", args.toRegion);
    const amount = yuanArg("amount", args.amount);
    const { suite, out } = await openContext(args, hre);
    const verb = args.reclaim ? "Reclaiming" : "Allocating";
    out.say(
      `${verb} ${formatFen(amount)} yuan of programme ${programmeId} ${args.reclaim ? `from ${to} back to ${from}` : `from ${from} to ${to}`}`,
    );
    const call = args.reclaim ? suite.ledger.reclaim : suite.ledger.allocate;
    if (args.dryRun) {
      await call.staticCall(programmeId, from, to, amount);
      out.result({ dryRun: true }, "dry run: the chain would accept this; nothing was sent");
      return;
    }
    const tx = await call(programmeId, from, to, amount);
    await tx.wait();
    out.result({ programmeId, from, to, amount, reclaim: args.reclaim, txHash: tx.hash }, `done (tx ${tx.hash})`);
  });
