import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";
import { idArg } from "../../src/cli/args.js";

interface Args extends CommonArgs, ReasonArgs {
  roster: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    const reason = await hashedText("reason", args.reason, args.reasonFile);
    const { suite, signer, out } = await openContext(args, hre);
    const { roster } = await suite.lens.rosterView(rosterId);
    out.say(
      `Rejecting roster ${rosterId} (region ${roster.region}, total ${formatFen(roster.total)} yuan) as ${signer.address}`,
    );
    out.say(`reason hash ${reason.hash} (keccak256 of ${reason.source}); keep the reason text with this hash`);
    if (args.dryRun) {
      await suite.rosterBook.rejectRoster.staticCall(rosterId, reason.hash);
      out.result(
        { dryRun: true, rosterId, reasonHash: reason.hash },
        "dry run: the chain would accept this rejection; nothing was sent",
      );
      return;
    }
    const tx = await suite.rosterBook.rejectRoster(rosterId, reason.hash);
    await tx.wait();
    const after = await suite.rosterBook.roster(rosterId);
    out.result(
      { rosterId, reasonHash: reason.hash, released: after.released, txHash: tx.hash },
      `rejected roster ${rosterId}; ${formatFen(after.released)} yuan went back to region ${after.region} (tx ${tx.hash})`,
    );
  });
