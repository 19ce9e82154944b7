/**
 * A deliberate rotation of the bureau secret, household by household: the register keeps each
 * household's id, status and payouts and replaces its commitment, on proof of the same person tag.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { progress } from "../../src/cli/progress.js";
import { hashedText, type ReasonArgs } from "../../src/cli/reason.js";
import { readRosterOrFail } from "../../src/cli/roster-input.js";
import { bureauSecret, dedupKey, previousBureauSecret } from "../../src/cli/secret.js";
import { secretCheck } from "../../src/privacy/secret.js";
import {
  planRecommit,
  prepareHouseholds,
  registrationRegion,
  sendRecommit,
  withPersonTags,
} from "../../src/workflow/households.js";
import { checkBureauSecret, recordSecretCheck, regionsNotChecked } from "../../src/workflow/secret-check.js";

interface Args extends CommonArgs, ReasonArgs {
  roster: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const reasonHash = (await hashedText("reason", args.reason, args.reasonFile)).hash;
    const [previous, next, key] = [await previousBureauSecret(hre), await bureauSecret(hre), await dedupKey(hre)];
    if (previous === next)
      throw new Error("PREVIOUS_BUREAU_SECRET and BUREAU_SECRET are the same key: set BUREAU_SECRET to the new secret");
    const { suite, signer, out } = await openContext(args, hre);
    const entries = await readRosterOrFail(args.roster, {}, out);
    const regions = entries.map((e) => registrationRegion(e.village));
    // The regions' check must be the retired secret's, or the new one's where a rotation is resumed.
    await checkBureauSecret(suite, previous, regions, "PREVIOUS_BUREAU_SECRET").catch(async (error: unknown) => {
      await checkBureauSecret(suite, next, regions).catch(() => {
        throw error;
      });
    });
    const plan = await planRecommit(
      suite,
      prepareHouseholds(entries, previous),
      withPersonTags(prepareHouseholds(entries, next), key),
    );
    if (plan.unknown.length > 0) {
      const lines = plan.unknown.slice(0, 20).join(", ");
      throw new Error(
        `${plan.unknown.length} of ${entries.length} people are registered under neither secret (lines ${lines}${plan.unknown.length > 20 ? ", …" : ""}): ` +
          "PREVIOUS_BUREAU_SECRET is not the secret they were registered with, or they were never registered. Nothing was sent.",
      );
    }
    out.say(`${args.roster}: ${plan.toReplace.length} to recommit, ${plan.done} under the new secret already`);
    if (args.dryRun) {
      out.result({ dryRun: true, toReplace: plan.toReplace.length, done: plan.done }, "dry run: nothing was sent");
      return;
    }
    const bar = progress(out, plan.toReplace.length, "recommitting");
    const transactions = await sendRecommit(suite, signer, plan, reasonHash, (done) => bar.update(done));
    bar.stop();
    // From now on the regions' commitments are the new secret's: so is their check.
    const nextCheck = secretCheck(next);
    await recordSecretCheck(suite, signer, nextCheck, await regionsNotChecked(suite, nextCheck, regions));
    out.result(
      { recommitted: transactions.length, done: plan.done, reasonHash, transactions },
      `recommitted ${transactions.length} household(s) to the new bureau secret (${plan.done} were already); the households need new notices with their new query codes`,
    );
  });
