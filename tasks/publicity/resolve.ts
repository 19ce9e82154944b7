import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { lineProof } from "../../src/lines.js";
import { formatFen } from "../../src/money.js";
import { bundleFromJson, bundleTree } from "../../src/outputs/bundle.js";
import { idArg, lineArg } from "../../src/cli/args.js";
import { lineHoldName } from "../../src/chain/states.js";

interface Args extends CommonArgs, ReasonArgs {
  roster: string;
  line: string;
  bundle: string;
  uphold: boolean;
  dismiss: boolean;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    // One line, or several separated by commas: resolved together, all or nothing.
    const indices = [...new Set(args.line.split(",").map((part) => lineArg(part.trim())))];
    if (args.uphold === args.dismiss)
      throw new Error("give exactly one of --uphold (exclude the line) or --dismiss (the line stays payable)");
    if (args.bundle.trim() === "")
      throw new Error("give --bundle <roster-bundle.json>: the line and its proof are read from it");
    const reason = await hashedText("reason", args.reason, args.reasonFile);
    let text: string;
    try {
      text = await readFile(args.bundle, "utf8");
    } catch (error) {
      throw new Error(
        `--bundle ${args.bundle}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        { cause: error },
      );
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
    const lines = indices.map((index) => {
      const line = bundle.lines[index];
      if (!line)
        throw new Error(
          `--line ${index + 1} is out of range: roster ${rosterId} has ${bundle.lineCount} lines (序号 1 … ${bundle.lineCount})`,
        );
      return { index: line.index, household: line.household, amount: line.amount };
    });
    const holds = await Promise.all(indices.map((index) => suite.rosterBook.lineHold(rosterId, index)));
    const notFrozen = indices.filter((_, i) => lineHoldName(holds[i]!) !== "Frozen");
    if (notFrozen.length > 0) {
      const which =
        notFrozen.length === 1
          ? `序号 ${notFrozen[0]! + 1} of roster ${rosterId} has`
          : `序号 ${notFrozen.map((i) => i + 1).join(", ")} of roster ${rosterId} have`;
      throw new Error(
        `${which} no open objection (hold ${notFrozen.map((i) => lineHoldName(holds[indices.indexOf(i)]!)).join(", ")}); nothing was sent`,
      );
    }
    const upheld = args.uphold;
    const proofs = indices.map((index) => lineProof(tree, index));
    const total = lines.reduce((sum, l) => sum + l.amount, 0n);
    out.say(
      `${upheld ? "Upholding" : "Dismissing"} the objection${lines.length > 1 ? "s" : ""} on 序号 ${indices.map((i) => i + 1).join(", ")} of roster ${rosterId} (${formatFen(total)} yuan) as ${signer.address}`,
    );
    out.say(`reason hash ${reason.hash} (keccak256 of ${reason.source}); keep the reason text with this hash`);
    // One transaction for one line or many: all or nothing.
    const call = [rosterId, lines, proofs, lines.map(() => upheld), reason.hash] as const;
    if (args.dryRun) {
      await suite.rosterBook.resolveObjections.staticCall(...call);
      out.result(
        { dryRun: true, rosterId, lines: indices, upheld, reasonHash: reason.hash },
        "dry run: the chain would accept this; nothing was sent",
      );
      return;
    }
    const tx = await suite.rosterBook.resolveObjections(...call);
    const receipt = await tx.wait();
    let released = 0n;
    for (const log of receipt?.logs ?? []) {
      const parsed = suite.rosterBook.interface.parseLog(log);
      if (parsed?.name === "ObjectionResolved") released += parsed.args.amount as bigint;
    }
    const which = `序号 ${indices.map((i) => i + 1).join(", ")}`;
    out.result(
      {
        rosterId,
        lineIndices: indices,
        seqs: indices.map((i) => i + 1),
        upheld,
        released,
        reasonHash: reason.hash,
        txHash: tx.hash,
      },
      upheld
        ? `objection${lines.length > 1 ? "s" : ""} upheld: ${which} excluded and ${formatFen(released)} yuan went back to region ${roster.region} (tx ${tx.hash})`
        : `objection${lines.length > 1 ? "s" : ""} dismissed: ${which} payable again (tx ${tx.hash})`,
    );
  });
