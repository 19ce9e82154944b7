import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { paidBatchesOf } from "../../src/chain/batches.js";
import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";
import { lineStatusName } from "../../src/chain/states.js";
import { idArg, lineArg } from "../../src/cli/args.js";

interface Args extends CommonArgs, ReasonArgs {
  roster: string;
  line: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    const index = lineArg(args.line);
    const reason = await hashedText("reason", args.reason, args.reasonFile);
    const { suite, signer, out } = await openContext(args, hre);
    const status = lineStatusName(await suite.disbursement.lineStatus(rosterId, index));
    if (status !== "Confirmed") {
      throw new Error(
        status === "Paid"
          ? `序号 ${index + 1} of roster ${rosterId} is Paid but not yet confirmed by the bank: ask the bank to return it (bank settle, status RETURNED) instead of reversing it`
          : `序号 ${index + 1} of roster ${rosterId} is ${status}: only a line the bank confirmed can be reversed`,
      );
    }
    const record = (await paidBatchesOf(suite, rosterId)).get(index);
    if (!record)
      throw new Error(`no payout batch of roster ${rosterId} paid 序号 ${index + 1} according to the chain's events`);
    const { batch, position, line } = record;
    out.say(
      `Requesting the reversal of 序号 ${index + 1} of roster ${rosterId} (household ${line.household}, ${formatFen(line.amount)} yuan, ${status}; paid in batch ${batch.batchId}, tx ${record.txHash}) as ${signer.address}`,
    );
    out.say(`reason hash ${reason.hash} (keccak256 of ${reason.source}); keep the reason text with this hash`);
    if (args.dryRun) {
      const reversalId = await suite.disbursement.requestReversal.staticCall(
        rosterId,
        batch,
        position,
        line,
        reason.hash,
      );
      out.result(
        { dryRun: true, rosterId, line: index, reversalId, reasonHash: reason.hash },
        `dry run: the chain would accept this as reversal ${reversalId}; nothing was sent`,
      );
      return;
    }
    const tx = await suite.disbursement.requestReversal(rosterId, batch, position, line, reason.hash);
    const receipt = await tx.wait();
    let reversalId: bigint | undefined;
    for (const log of receipt?.logs ?? []) {
      if (log.address.toLowerCase() !== suite.addresses.disbursement.toLowerCase()) continue;
      const parsed = suite.disbursement.interface.parseLog(log);
      if (parsed?.name === "ReversalRequested") reversalId = parsed.args.reversalId as bigint;
    }
    if (reversalId === undefined) throw new Error(`the transaction ${tx.hash} emitted no ReversalRequested event`);
    out.result(
      {
        reversalId,
        rosterId,
        line: index,
        household: line.household,
        amount: line.amount,
        reasonHash: reason.hash,
        txHash: tx.hash,
      },
      `requested reversal ${reversalId} (tx ${tx.hash}); a required department reviews it with: npx hardhat reversal approve --id ${reversalId}  (or reversal reject)`,
    );
  });
