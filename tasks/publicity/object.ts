import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { hashedText } from "../../src/cli/reason.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { rosterStateName } from "../../src/chain/states.js";
import { idArg, lineArg } from "../../src/cli/args.js";

interface Args extends CommonArgs {
  roster: string;
  line: string;
  evidence: string;
  evidenceFile: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    const line = lineArg(args.line);
    const evidence = await hashedText("evidence", args.evidence, args.evidenceFile);
    const { suite, signer, out } = await openContext(args, hre);
    const { roster, state } = await suite.lens.rosterView(rosterId);
    if (rosterStateName(state) !== "InPublicity") {
      throw new Error(
        `roster ${rosterId} is ${rosterStateName(state)}: objections are taken only while it is InPublicity`,
      );
    }
    if (line >= Number(roster.lineCount)) {
      throw new Error(
        `--line ${line + 1} is out of range: roster ${rosterId} has ${roster.lineCount} lines (序号 1 … ${roster.lineCount})`,
      );
    }
    out.say(`Objecting to 序号 ${line + 1} of roster ${rosterId} as ${signer.address}`);
    out.say(`evidence hash ${evidence.hash} (keccak256 of ${evidence.source}); keep the evidence with this hash`);
    if (args.dryRun) {
      await suite.rosterBook.objectToLine.staticCall(rosterId, line, evidence.hash);
      out.result(
        { dryRun: true, rosterId, lineIndex: line, seq: line + 1, evidenceHash: evidence.hash },
        "dry run: the chain would accept this objection; nothing was sent",
      );
      return;
    }
    const tx = await suite.rosterBook.objectToLine(rosterId, line, evidence.hash);
    await tx.wait();
    out.result(
      { rosterId, lineIndex: line, seq: line + 1, evidenceHash: evidence.hash, txHash: tx.hash },
      `序号 ${line + 1} of roster ${rosterId} is frozen until a reviewing department resolves the objection (tx ${tx.hash})`,
    );
  });
