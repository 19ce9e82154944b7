import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { seqText } from "../../src/lines.js";
import { pendingReversal } from "../../src/chain/reversals.js";
import { idArg } from "../../src/cli/args.js";

interface Args extends CommonArgs, ReasonArgs {
  id: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const reversalId = idArg("id", args.id);
    const reason = await hashedText("reason", args.reason, args.reasonFile);
    const { suite, signer, out } = await openContext(args, hre);
    const rev = await pendingReversal(suite, reversalId);
    out.say(
      `Rejecting reversal ${reversalId} of ${seqText(rev.lineIndex)} of roster ${rev.rosterId} as ${signer.address}`,
    );
    out.say(`reason hash ${reason.hash} (keccak256 of ${reason.source}); keep the reason text with this hash`);
    if (args.dryRun) {
      await suite.disbursement.rejectReversal.staticCall(reversalId, reason.hash);
      out.result(
        { dryRun: true, reversalId, reasonHash: reason.hash },
        "dry run: the chain would accept this rejection; nothing was sent",
      );
      return;
    }
    const tx = await suite.disbursement.rejectReversal(reversalId, reason.hash);
    await tx.wait();
    out.result(
      { reversalId, reasonHash: reason.hash, txHash: tx.hash },
      `rejected reversal ${reversalId}; ${seqText(rev.lineIndex)} of roster ${rev.rosterId} stays as it was (tx ${tx.hash})`,
    );
  });
