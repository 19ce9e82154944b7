import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { seqText } from "../../src/lines.js";
import { formatFen } from "../../src/money.js";
import { pendingReversal } from "../../src/chain/reversals.js";
import { idArg } from "../../src/cli/args.js";

interface Args extends CommonArgs {
  id: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const reversalId = idArg("id", args.id);
    const { suite, signer, out } = await openContext(args, hre);
    const rev = await pendingReversal(suite, reversalId);
    out.say(
      `Approving reversal ${reversalId}: ${seqText(rev.lineIndex)} of roster ${rev.rosterId} (household ${rev.household}, ${formatFen(rev.amount)} yuan) as ${signer.address}`,
    );
    if (args.dryRun) {
      await suite.disbursement.approveReversal.staticCall(reversalId);
      out.result({ dryRun: true, reversalId }, "dry run: the chain would accept this approval; nothing was sent");
      return;
    }
    const tx = await suite.disbursement.approveReversal(reversalId);
    await tx.wait();
    out.result(
      { reversalId, rosterId: rev.rosterId, line: Number(rev.lineIndex), amount: rev.amount, txHash: tx.hash },
      `approved reversal ${reversalId}: ${seqText(rev.lineIndex)} of roster ${rev.rosterId} awaits the bank's recovery of ${formatFen(rev.amount)} yuan (bank recover --reversal ${reversalId}); nothing goes back to the region until then (tx ${tx.hash})`,
    );
  });
