import { decodeBytes32String } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";
import { describeStages, unpackStages } from "../../src/offices.js";

interface Args extends CommonArgs {
  programme: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const programmeId = bigintArg("programme", args.programme);
    const { suite, out } = await openContext(args, hre);
    const { programme: p, totals: t } = await suite.lens.programmeView(programmeId);
    const reviewStages = unpackStages(p.terms.reviewStages);
    const value = {
      programmeId,
      earmark: decodeBytes32String(p.earmarkCode),
      fiscalPeriod: Number(p.fiscalPeriod),
      rootRegion: p.rootRegion,
      createdAt: new Date(Number(p.createdAt) * 1000).toISOString(),
      budgetCeiling: p.terms.budgetCeiling,
      householdCap: p.terms.householdCap,
      publicityDays: Number(p.terms.publicityPeriod) / 86400,
      payoutDays: Number(p.terms.payoutPeriod) / 86400,
      reviewStages,
      policyDocHash: p.terms.policyDocHash,
      policyURI: p.terms.policyURI,
      totals: { funded: t.funded, reserved: t.reserved, paid: t.paid, returned: t.returned, reversed: t.reversed },
    };
    out.result(
      value,
      [
        `programme ${programmeId}: ${value.earmark}, period ${value.fiscalPeriod}, root region ${value.rootRegion}`,
        `  ceiling ${formatFen(value.budgetCeiling)}  cap ${formatFen(value.householdCap)}  publicity ${value.publicityDays} days  paid within ${value.payoutDays} days after`,
        `  review: ${describeStages(reviewStages)}`,
        `  policy ${value.policyURI} (${value.policyDocHash})`,
        `  funded ${formatFen(t.funded)}  reserved ${formatFen(t.reserved)}  paid ${formatFen(t.paid)}  returned ${formatFen(t.returned)}  reversed ${formatFen(t.reversed)} (yuan)`,
      ].join("\n"),
    );
  });
