import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { hashedText } from "../../src/cli/reason.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { lineProof } from "../../src/lines.js";
import { formatFen } from "../../src/money.js";
import { bundleFromJson, bundleTree } from "../../src/outputs/bundle.js";
import { idArg, lineArg } from "../../src/cli/args.js";
import { lineHoldName } from "../../src/chain/states.js";

interface Args extends CommonArgs {
  roster: string;
  line: string;
  bundle: string;
  uphold: boolean;
  dismiss: boolean;
  reason: string;
  reasonFile: string;
  dryRun: boolean;
}


export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    const index = lineArg(args.line);
    if (args.uphold === args.dismiss) throw new Error("give exactly one of --uphold (exclude the line) or --dismiss (the line stays payable)");
    if (args.bundle.trim() === "") throw new Error("give --bundle <roster-bundle.json>: the line and its proof are read from it");
    const reason = await hashedText("reason", args.reason, args.reasonFile);
    let text: string;
    try {
      text = await readFile(args.bundle, "utf8");
    } catch (error) {
      throw new Error(`--bundle ${args.bundle}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const bundle = bundleFromJson(text);
    const tree = bundleTree(bundle);
    const { suite, signer, out } = await openContext(args, hre);
    const roster = await suite.rosterBook.roster(rosterId);
    if (roster.root.toLowerCase() !== bundle.root.toLowerCase()) {
      throw new Error(
        `the bundle ${args.bundle} has root ${bundle.root}, but roster ${rosterId} on chain has root ${roster.root}: it is not this roster's bundle (wrong file or wrong --roster)`,
      );
    }
    const line = bundle.lines[index];
    if (!line) throw new Error(`--line ${index} is out of range: roster ${rosterId} has ${bundle.lineCount} lines (0 … ${bundle.lineCount - 1})`);
    const hold = Number(await suite.rosterBook.lineHold(rosterId, index));
    if (lineHoldName(hold) !== "Frozen") throw new Error(`line ${index} of roster ${rosterId} has no open objection (its hold is ${lineHoldName(hold)})`);
    const upheld = args.uphold;
    const onChainLine = { index: line.index, household: line.household, amount: line.amount };
    const proof = lineProof(tree, index);
    out.say(
      `${upheld ? "Upholding" : "Dismissing"} the objection on line ${index} of roster ${rosterId} (household ${line.household}, ${formatFen(line.amount)} yuan) as ${signer.address}`,
    );
    out.say(`reason hash ${reason.hash} (keccak256 of ${reason.source}); keep the reason text with this hash`);
    if (args.dryRun) {
      await suite.rosterBook.resolveObjection.staticCall(rosterId, onChainLine, proof, upheld, reason.hash);
      out.result({ dryRun: true, rosterId, line: index, upheld, reasonHash: reason.hash }, "dry run: the chain would accept this; nothing was sent");
      return;
    }
    const tx = await suite.rosterBook.resolveObjection(rosterId, onChainLine, proof, upheld, reason.hash);
    const receipt = await tx.wait();
    let released = 0n;
    for (const log of receipt?.logs ?? []) {
      const parsed = suite.rosterBook.interface.parseLog(log);
      if (parsed?.name === "ObjectionResolved") released = parsed.args.amount as bigint;
    }
    out.result(
      { rosterId, line: index, upheld, released, reasonHash: reason.hash, txHash: tx.hash },
      upheld
        ? `objection upheld: line ${index} is excluded and ${formatFen(released)} yuan went back to region ${roster.region} (tx ${tx.hash})`
        : `objection dismissed: line ${index} is payable again (tx ${tx.hash})`,
    );
  });
