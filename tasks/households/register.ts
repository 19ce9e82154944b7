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
  withPersonTags,
} from "../../src/workflow/households.js";

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
    const households = withPersonTags(prepareHouseholds(entries, await bureauSecret(hre)), await dedupKey(hre));
    if (args.dryRun) {
      const plan = await planRegistration(suite, households);
      if (plan.conflicts.length > 0) throw new PeopleAlreadyRegisteredError(plan.conflicts, plan.total);
      out.result(
        {
          dryRun: true,
          households: plan.total,
          toRegister: plan.missing.length,
          alreadyRegistered: plan.alreadyRegistered,
        },
        `dry run: ${plan.missing.length} to register, ${plan.alreadyRegistered} already registered; nothing was sent`,
      );
      return;
    }
    const bar = progress(out, households.length, "registering");
    const report = await registerHouseholds(suite, signer, households, attestationHash, {
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    out.result(
      { ...report, attestationHash },
      `registered ${report.registered} household(s), ${report.alreadyRegistered} already registered (attestation ${attestationHash})`,
    );
  });
