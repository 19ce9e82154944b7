import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { formatFen } from "../../src/money.js";
import { closeRoster } from "../../src/workflow/roster.js";

interface Args extends CommonArgs, ReasonArgs {
  roster: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = bigintArg("roster", args.roster);
    // A reason is needed only to drop lines still owed (closeRoster says so).
    const hash =
      args.reason || args.reasonFile ? (await hashedText("reason", args.reason, args.reasonFile)).hash : undefined;
    const { suite, out } = await openContext(args, hre);
    const closing = await closeRoster(suite, rosterId, hash);
    if ("requested" in closing) {
      const { owed, txHash } = closing;
      out.result(
        { rosterId, action: "close-requested", owed, reasonHash: hash, txHash },
        `roster ${rosterId}: closing requested with ${owed} line(s) still owed; a reviewing department must confirm it (review confirm-close --roster ${rosterId}) (tx ${txHash})`,
      );
      return;
    }
    const { released, region, txHash } = closing;
    out.result(
      { rosterId, action: "close", released, txHash },
      `roster ${rosterId} closed: ${formatFen(released)} yuan back to region ${region} (tx ${txHash})`,
    );
  });
