import { keccak256, toUtf8Bytes } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { idArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { seqText } from "../../src/lines.js";
import { reversalOf } from "../../src/chain/reversals.js";
import { formatFen } from "../../src/money.js";

interface Args extends CommonArgs {
  reversal: string;
  reference: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const reversalId = idArg("reversal", args.reversal);
    const reference = args.reference.trim();
    if (reference === "")
      throw new Error(
        "give --reference <bank transaction number> of the recovery: its keccak256 goes on chain, the number stays with the bank",
      );
    const { suite, signer, out } = await openContext(args, hre);
    const { rev, status } = await reversalOf(suite, reversalId);
    if (status !== "Approved") {
      throw new Error(
        `reversal ${reversalId} is ${status}: only an Approved reversal awaits the bank's recovery${status === "Pending" ? " (a department must approve it first)" : ""}`,
      );
    }
    const refHash = keccak256(toUtf8Bytes(reference));
    out.say(
      `Recording the recovery of reversal ${reversalId}: ${seqText(rev.lineIndex)} of roster ${rev.rosterId} (household ${rev.household}, ${formatFen(rev.amount)} yuan) as ${signer.address}`,
    );
    if (args.dryRun) {
      await suite.disbursement.recordRecoveries.staticCall([reversalId], [refHash]);
      out.result(
        { dryRun: true, reversalId, refHash },
        "dry run: the chain would accept this recovery; nothing was sent",
      );
      return;
    }
    const tx = await suite.disbursement.recordRecoveries([reversalId], [refHash]);
    await tx.wait();
    out.result(
      { reversalId, rosterId: rev.rosterId, line: Number(rev.lineIndex), amount: rev.amount, refHash, txHash: tx.hash },
      `recovered reversal ${reversalId}: ${seqText(rev.lineIndex)} of roster ${rev.rosterId} is Reversed; ${formatFen(rev.amount)} yuan went back to the region and the household may be paid again through a new line (tx ${tx.hash})`,
    );
  });
