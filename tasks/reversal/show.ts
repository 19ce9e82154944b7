import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { seqText } from "../../src/lines.js";
import { formatFen } from "../../src/money.js";
import { reversalOf } from "../../src/chain/reversals.js";
import { lineStatusName } from "../../src/chain/states.js";
import { idArg } from "../../src/cli/args.js";

interface Args extends CommonArgs {
  id: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const reversalId = idArg("id", args.id);
    const { suite, out } = await openContext(args, hre);
    const d = suite.disbursement;
    const { rev, status } = await reversalOf(suite, reversalId);
    const lineStatus = lineStatusName(await d.lineStatus(rev.rosterId, rev.lineIndex));
    const [requested] = await d.queryFilter(d.filters.ReversalRequested(reversalId));
    let decision: { department: number; approver: string; reasonHash: string | null; txHash: string } | null = null;
    if (status === "Approved" || status === "Recovered") {
      const [e] = await d.queryFilter(d.filters.ReversalApproved(reversalId));
      if (e)
        decision = {
          department: Number(e.args.department),
          approver: e.args.approver,
          reasonHash: null,
          txHash: e.transactionHash,
        };
    } else if (status === "Rejected") {
      const [e] = await d.queryFilter(d.filters.ReversalRejected(reversalId));
      if (e)
        decision = {
          department: Number(e.args.department),
          approver: e.args.approver,
          reasonHash: e.args.reasonHash,
          txHash: e.transactionHash,
        };
    }
    const value = {
      reversalId,
      status,
      rosterId: rev.rosterId,
      line: Number(rev.lineIndex),
      household: rev.household,
      amount: rev.amount,
      requester: rev.requester,
      reasonHash: rev.reasonHash,
      requestTx: requested?.transactionHash ?? null,
      lineStatus,
      decision,
    };
    const [recovered] = status === "Recovered" ? await d.queryFilter(d.filters.ReversalRecovered(reversalId)) : [];
    const recovery = recovered ? { bankRefHash: recovered.args.bankRefHash, txHash: recovered.transactionHash } : null;
    out.result(
      { ...value, recovery },
      [
        `reversal ${reversalId}: ${status} — ${seqText(rev.lineIndex)} of roster ${rev.rosterId}, household ${rev.household}, ${formatFen(rev.amount)} yuan`,
        `  requested by ${rev.requester}${requested ? ` (tx ${requested.transactionHash})` : ""}, reason hash ${rev.reasonHash}`,
        `  the line is now ${lineStatus}`,
        ...(decision
          ? [
              `  ${status.toLowerCase()} by department ${decision.department} (${decision.approver}, tx ${decision.txHash})${decision.reasonHash ? `, reason hash ${decision.reasonHash}` : ""}`,
            ]
          : []),
        ...(status === "Approved"
          ? [
              `  awaiting the bank's recovery (bank recover --reversal ${reversalId}); the amount has not gone back to the region`,
            ]
          : []),
        ...(recovery
          ? [
              `  recovered by the bank (reference hash ${recovery.bankRefHash}, tx ${recovery.txHash}); the amount went back to the region`,
            ]
          : []),
      ].join("\n"),
    );
  });
