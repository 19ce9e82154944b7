import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { approvalArgs, planRelay, type SealFile, sealFromJson, toSignedApproval } from "../../src/workflow/seals.js";
import { signOffOf, signOffText } from "../../src/workflow/signoff.js";
import { idArg } from "../../src/cli/args.js";

interface Args extends CommonArgs {
  roster: string;
  seals: string[];
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    if (args.seals.length === 0)
      throw new Error(
        "name the seal files to relay, e.g. npx hardhat review relay --roster 7 civil.json rural.json finance.json",
      );
    // Read every file before judging any, so that one run reports every bad file.
    const files: SealFile[] = [];
    const problems: string[] = [];
    for (const name of args.seals) {
      let text: string;
      try {
        text = await readFile(name, "utf8");
      } catch (error) {
        problems.push(`${name}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        continue;
      }
      try {
        files.push({ name, seal: sealFromJson(text, name) });
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    const { connection, chainId, suite, signer, out } = await openContext(args, hre);
    const latest = await connection.ethers.provider.getBlock("latest");
    if (!latest) throw new Error("the node returned no latest block");
    const plan = await planRelay(suite, chainId, rosterId, files, BigInt(latest.timestamp));
    problems.push(...plan.problems);
    if (problems.length > 0) {
      throw new Error(
        `${problems.length} seal${problems.length === 1 ? " is" : "s are"} refused; nothing was sent:\n  ${problems.join("\n  ")}`,
      );
    }
    for (const { name, seal } of plan.alreadyApproved)
      out.say(`${name}: stage ${seal.stage + 1} has approved already; its seal is not needed`);
    if (plan.toRelay.length === 0) {
      out.result(
        { rosterId, approved: [], alreadyApproved: plan.alreadyApproved.map((f) => f.seal.stage) },
        "nothing to relay",
      );
      return;
    }
    const approvals = approvalArgs(plan.toRelay.map((f) => toSignedApproval(f.seal)));
    const stages = plan.toRelay.map((f) => f.seal.stage);
    const named = stages.map((s) => s + 1).join(", ");
    out.say(
      `Relaying ${plan.toRelay.length} seal${plan.toRelay.length === 1 ? "" : "s"} for roster ${rosterId} (stage${stages.length === 1 ? "" : "s"} ${named}) from ${signer.address}`,
    );
    if (args.dryRun) {
      await suite.rosterBook.approveRosterBySig.staticCall(rosterId, approvals);
      out.result({ dryRun: true, rosterId, stages }, "dry run: the chain would accept these seals; nothing was sent");
      return;
    }
    const tx = await suite.rosterBook.approveRosterBySig(rosterId, approvals);
    await tx.wait();
    const status = await signOffOf(suite, rosterId);
    out.result(
      {
        rosterId,
        approved: stages,
        alreadyApproved: plan.alreadyApproved.map((f) => f.seal.stage),
        txHash: tx.hash,
        state: status.state,
        missing: status.missing,
        publicityEndsAt: status.publicityEndsAt?.toISOString() ?? null,
      },
      `stage${stages.length === 1 ? "" : "s"} ${named} approved roster ${rosterId} (tx ${tx.hash})\n${signOffText(status)}`,
    );
  });
