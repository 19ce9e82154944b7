/**
 * Registers the households of a roster file, on the attestation of the civil-affairs department.
 * Only commitments and person tags go on chain; households already registered are skipped, so
 * reruns are safe; a person registered under another commitment stops the run before anything is sent.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { regionArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { progress } from "../../src/cli/progress.js";
import { hashedText } from "../../src/cli/reason.js";
import { readRosterOrFail } from "../../src/cli/roster-input.js";
import { bureauSecret, dedupKey } from "../../src/cli/secret.js";
import {
  PeopleAlreadyRegisteredError,
  planRegistration,
  prepareHouseholds,
  registerHouseholds,
  registrationRegion,
  withPersonTags,
} from "../../src/workflow/households.js";
import { checkBureauSecret } from "../../src/workflow/secret-check.js";

interface Args extends CommonArgs {
  roster: string;
  region: string;
  attestation: string;
  attestationFile: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const attestationHash = (await hashedText("attestation", args.attestation, args.attestationFile)).hash;
    const { suite, signer, out } = await openContext(args, hre);
    const entries = await readRosterOrFail(
      args.roster,
      args.region ? { region: regionArg("region", args.region) } : {},
      out,
    );
    const secret = await bureauSecret(hre);
    // The secret first: a region registered with another secret refuses this one before anything is derived and sent.
    const secretPlan = await checkBureauSecret(
      suite,
      secret,
      entries.map((e) => registrationRegion(e.village)),
    );
    const households = withPersonTags(prepareHouseholds(entries, secret), await dedupKey(hre));
    if (args.dryRun) {
      const plan = await planRegistration(suite, households);
      if (plan.conflicts.length > 0) throw new PeopleAlreadyRegisteredError(plan.conflicts, plan.total);
      out.result(
        {
          dryRun: true,
          households: plan.total,
          toRegister: plan.missing.length,
          alreadyRegistered: plan.alreadyRegistered,
          secretCheckToRecord: secretPlan.unset,
        },
        `dry run: ${plan.missing.length} to register, ${plan.alreadyRegistered} already registered${secretPlan.unset.length > 0 ? `; the bureau secret's check would be recorded for region ${secretPlan.unset.join(", ")}` : ""}; nothing was sent`,
      );
      return;
    }
    const bar = progress(out, households.length, "registering");
    const report = await registerHouseholds(suite, signer, households, attestationHash, {
      onProgress: (done) => bar.update(done),
      secretCheck: secretPlan,
    });
    bar.stop();
    out.result(
      { ...report, attestationHash },
      `registered ${report.registered} household(s), ${report.alreadyRegistered} already registered (attestation ${attestationHash})` +
        (report.secretCheckRecorded.length > 0
          ? `; recorded the bureau secret's check for region ${report.secretCheckRecorded.join(", ")}`
          : ""),
    );
  });
