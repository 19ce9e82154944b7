/**
 * Registers the households of a roster file, on the attestation of the civil-affairs department.
 * Only commitments go on chain; households already registered are skipped, so reruns are safe.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { regionArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { progress } from "../../src/cli/progress.js";
import { hashedText } from "../../src/cli/reason.js";
import { readRosterOrFail } from "../../src/cli/roster-input.js";
import { bureauSecret } from "../../src/cli/secret.js";
import { householdIdsOf, prepareHouseholds, registerHouseholds } from "../../src/workflow/households.js";

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
    const entries = await readRosterOrFail(args.roster, args.region ? { region: regionArg("region", args.region) } : {}, out);
    const households = prepareHouseholds(entries, await bureauSecret(hre));
    const commitments = households.map((h) => h.commitment);
    if (args.dryRun) {
      const ids = await householdIdsOf(suite, commitments);
      const missing = ids.filter((id) => id === 0n).length;
      out.result(
        { dryRun: true, households: commitments.length, toRegister: missing, alreadyRegistered: commitments.length - missing },
        `dry run: ${missing} to register, ${commitments.length - missing} already registered; nothing was sent`,
      );
      return;
    }
    const bar = progress(out, commitments.length, "registering");
    const report = await registerHouseholds(suite, signer, commitments, attestationHash, { onProgress: (done) => bar.update(done) });
    bar.stop();
    out.result(
      { ...report, attestationHash },
      `registered ${report.registered} household(s), ${report.alreadyRegistered} already registered (attestation ${attestationHash})`,
    );
  });
