import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg, yuanArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";

interface Args extends CommonArgs {
  programme: string;
  amount: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const programmeId = bigintArg("programme", args.programme);
    const amount = yuanArg("amount", args.amount);
    const { suite, out } = await openContext(args, hre);
    out.say(`Funding programme ${programmeId} with ${formatFen(amount)} yuan into its root region`);
    if (args.dryRun) {
      await suite.ledger.fundProgramme.staticCall(programmeId, amount);
      out.result({ dryRun: true }, "dry run: the chain would accept this; nothing was sent");
      return;
    }
    const tx = await suite.ledger.fundProgramme(programmeId, amount);
    await tx.wait();
    out.result({ programmeId, amount, txHash: tx.hash }, `funded (tx ${tx.hash})`);
  });
