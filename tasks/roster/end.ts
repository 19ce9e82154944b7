/** Withdraws a roster awaiting sign-off, or closes a payable one; either way its unpaid reservation goes back to the region. */
import { ZeroHash } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { hashedText } from "../../src/cli/reason.js";
import { formatFen } from "../../src/money.js";
import { owedLines } from "../../src/workflow/roster.js";

export interface EndArgs extends CommonArgs {
  roster: string;
  reason?: string;
  reasonFile?: string;
}

export function endRoster(how: "withdraw" | "close", args: EndArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, hre, async () => {
    const rosterId = bigintArg("roster", args.roster);
    const given = Boolean(args.reason || args.reasonFile);
    const hash =
      how === "withdraw" || given
        ? (await hashedText("reason", args.reason ?? "", args.reasonFile ?? "")).hash
        : undefined;
    const { suite, out } = await openContext(args, hre);
    const before = await suite.rosterBook.roster(rosterId);
    if (how === "close") {
      // Closing a roster that still owes lines drops them: the chain wants a reason and a co-signature.
      const owed = owedLines(before);
      if (owed > 0n && before.openObjections === 0n && !hash) {
        throw new Error(
          `roster ${rosterId} still owes ${owed} line(s) (approved, not paid, not held): closing would drop them. Give --reason "<why>" (its hash goes on chain); a reviewing department must then confirm with review confirm-close --roster ${rosterId}`,
        );
      }
    }
    const tx =
      how === "withdraw"
        ? await suite.rosterBook.withdrawRoster(rosterId, hash!)
        : await suite.rosterBook.closeRoster(rosterId, hash ?? ZeroHash);
    await tx.wait();
    const after = await suite.rosterBook.roster(rosterId);
    // A closing the chain accepted but did not end only requested it (lines are still owed).
    if (how === "close" && Number(after.ending) === 0) {
      const owed = owedLines(after);
      out.result(
        { rosterId, action: "close-requested", owed, reasonHash: hash, txHash: tx.hash },
        `roster ${rosterId}: closing requested with ${owed} line(s) still owed; a reviewing department must confirm it (review confirm-close --roster ${rosterId}) (tx ${tx.hash})`,
      );
      return;
    }
    const released = after.released - before.released;
    out.result(
      { rosterId, action: how, released, txHash: tx.hash },
      `roster ${rosterId} ${how === "withdraw" ? "withdrawn" : "closed"}: ${formatFen(released)} yuan back to region ${after.region} (tx ${tx.hash})`,
    );
  });
}
