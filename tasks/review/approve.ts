import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { signOffOf } from "../../src/workflow/seals.js";
import { signOffText } from "./show.js";
import { idArg } from "../../src/cli/args.js";

interface Args extends CommonArgs {
  roster: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    const { suite, signer, out } = await openContext(args, hre);
    const binding = await suite.directory.bindingOf(signer.address);
    const as = Number(binding.kind) === 2 ? `department ${binding.id} (${signer.address})` : signer.address;
    out.say(`Approving roster ${rosterId} as ${as}`);
    if (args.dryRun) {
      await suite.rosterBook.approveRoster.staticCall(rosterId);
      out.result({ dryRun: true, rosterId }, "dry run: the chain would accept this approval; nothing was sent");
      return;
    }
    const tx = await suite.rosterBook.approveRoster(rosterId);
    await tx.wait();
    const status = await signOffOf(suite, rosterId);
    out.result(
      { rosterId, department: Number(binding.id), txHash: tx.hash, state: status.state, missing: status.missing, publicityEndsAt: status.publicityEndsAt?.toISOString() ?? null },
      `approved (tx ${tx.hash})\n${signOffText(status)}`,
    );
  });
