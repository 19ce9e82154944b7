/** Withdraws a roster awaiting sign-off, or closes a payable one; either way its unpaid reservation goes back to the region. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { hashedText } from "../../src/cli/reason.js";
import { formatFen } from "../../src/money.js";

export interface EndArgs extends CommonArgs {
  roster: string;
  reason?: string;
  reasonFile?: string;
}

export function endRoster(how: "withdraw" | "close", args: EndArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, hre, async () => {
    const rosterId = bigintArg("roster", args.roster);
    const hash = how === "withdraw" ? (await hashedText("reason", args.reason ?? "", args.reasonFile ?? "")).hash : undefined;
    const { suite, out } = await openContext(args, hre);
    const before = await suite.rosterBook.roster(rosterId);
    const tx = hash ? await suite.rosterBook.withdrawRoster(rosterId, hash) : await suite.rosterBook.closeRoster(rosterId);
    await tx.wait();
    const after = await suite.rosterBook.roster(rosterId);
    const released = after.released - before.released;
    out.result(
      { rosterId, action: how, released, txHash: tx.hash },
      `roster ${rosterId} ${how === "withdraw" ? "withdrawn" : "closed"}: ${formatFen(released)} yuan back to region ${after.region} (tx ${tx.hash})`,
    );
  });
}
