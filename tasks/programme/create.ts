import { readFile } from "node:fs/promises";

import { decodeBytes32String, keccak256 } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg, earmarkArg, hashArg, regionArg, yuanArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";
import { describeStages, packStages, stagesArg } from "../../src/offices.js";

interface Args extends CommonArgs {
  earmark: string;
  period: string;
  rootRegion: string;
  ceiling: string;
  cap: string;
  publicityDays: string;
  stages: string;
  ordered: boolean;
  policyFile: string;
  policyHash: string;
  policyUri: string;
  payoutDays: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const earmark = earmarkArg(args.earmark);
    const period = Number(bigintArg("period", args.period));
    const rootRegion = regionArg("root-region", args.rootRegion);
    if (!args.policyFile && !args.policyHash)
      throw new Error(
        "give the policy document with --policy-file <path> (its hash goes on chain) or --policy-hash 0x…",
      );
    const policyDocHash = args.policyFile
      ? keccak256(await readFile(args.policyFile))
      : hashArg("policy-hash", args.policyHash);
    const stages = stagesArg(args.stages, args.ordered);
    const terms = {
      budgetCeiling: yuanArg("ceiling", args.ceiling),
      householdCap: yuanArg("cap", args.cap),
      publicityPeriod: Number(bigintArg("publicity-days", args.publicityDays)) * 24 * 60 * 60,
      payoutPeriod: Number(bigintArg("payout-days", args.payoutDays)) * 24 * 60 * 60,
      reviewStages: packStages(stages),
      policyDocHash,
      policyURI: args.policyUri,
    };
    const { suite, out } = await openContext(args, hre);
    out.say(
      `Programme ${decodeBytes32String(earmark)} for period ${period}, root region ${rootRegion}: ceiling ${formatFen(terms.budgetCeiling)} yuan, ` +
        `cap ${formatFen(terms.householdCap)} per household, publicity ${args.publicityDays} days, every line paid within ${args.payoutDays} days after it; review ${describeStages(stages)}`,
    );
    if (args.dryRun) {
      await suite.programmes.createProgramme.staticCall(earmark, period, rootRegion, terms);
      out.result({ dryRun: true, terms }, "dry run: the chain would accept this programme; nothing was sent");
      return;
    }
    const tx = await suite.programmes.createProgramme(earmark, period, rootRegion, terms);
    await tx.wait();
    const programmeId = await suite.programmes.programmeCount();
    out.result({ programmeId, txHash: tx.hash }, `created programme ${programmeId} (tx ${tx.hash})`);
  });
