import { ZeroHash } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { openRosterContext, type RosterTaskArgs, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";
import { owedLines } from "../../src/workflow/roster.js";

export default (args: RosterTaskArgs, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const { rosterId, suite, signer, out } = await openRosterContext(args, hre);
    const r = await suite.rosterBook.roster(rosterId);
    if (r.closeReasonHash === ZeroHash || Number(r.ending) !== 0) {
      throw new Error(
        `roster ${rosterId} has no closing awaiting confirmation (its bureau asks for one with roster close --reason)`,
      );
    }
    const owed = owedLines(r);
    out.say(
      `Confirming the closing of roster ${rosterId} as ${signer.address}: ${owed} line(s) still owed will be dropped (reason hash ${r.closeReasonHash})`,
    );
    if (args.dryRun) {
      await suite.rosterBook.confirmClose.staticCall(rosterId);
      out.result({ dryRun: true, rosterId, owed }, "dry run: the chain would accept this; nothing was sent");
      return;
    }
    const tx = await suite.rosterBook.confirmClose(rosterId);
    await tx.wait();
    const after = await suite.rosterBook.roster(rosterId);
    out.result(
      { rosterId, dropped: owed, released: after.released - r.released, txHash: tx.hash },
      `roster ${rosterId} closed: ${owed} line(s) dropped, ${formatFen(after.released - r.released)} yuan back to region ${after.region} (tx ${tx.hash})`,
    );
  });
