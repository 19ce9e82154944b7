import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { openRosterContext, type RosterTaskArgs, runTask } from "../../src/cli/context.js";
import { reviewingStageOf, signOffOf, signOffText, stageLabel } from "../../src/workflow/signoff.js";
import { unpackStages } from "../../src/offices.js";

export default (args: RosterTaskArgs, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const { rosterId, suite, signer, out } = await openRosterContext(args, hre);
    const { roster } = await suite.lens.rosterView(rosterId);
    const stages = unpackStages(roster.reviewStages);
    // Refuses, naming the account's office and the offices that do review this roster, before anything is sent.
    const stage = await reviewingStageOf(suite, signer.address, stages, roster.region, rosterId);
    out.say(`Approving roster ${rosterId} as ${stageLabel(stages, stage)} (${signer.address})`);
    if (args.dryRun) {
      await suite.rosterBook.approveRoster.staticCall(rosterId);
      out.result({ dryRun: true, rosterId }, "dry run: the chain would accept this approval; nothing was sent");
      return;
    }
    const tx = await suite.rosterBook.approveRoster(rosterId);
    await tx.wait();
    const status = await signOffOf(suite, rosterId);
    out.result(
      {
        rosterId,
        stage,
        department: stages.stages[stage]!.department,
        txHash: tx.hash,
        state: status.state,
        missing: status.missing,
        publicityEndsAt: status.publicityEndsAt?.toISOString() ?? null,
      },
      `approved (tx ${tx.hash})\n${signOffText(status)}`,
    );
  });
