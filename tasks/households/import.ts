/** households import: a successor suite takes over its predecessor's households (docs/spec.md, successor suites). */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { progress } from "../../src/cli/progress.js";
import { connectSuite, readDeployment } from "../../src/suite.js";
import { importHouseholds } from "../../src/workflow/succession.js";

interface Args extends CommonArgs {
  predecessor: string;
  fromBlock: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    if (!args.predecessor)
      throw new Error("give --predecessor <deployed_addresses.json> of the suite whose households this one takes over");
    const { suite, signer, out } = await openContext(args, hre);
    const predecessor = connectSuite(await readDeployment(args.predecessor), signer);
    const total = Number(await predecessor.households.householdCount());
    const bar = progress(out, total, "importing");
    const report = await importHouseholds(suite, signer, predecessor, {
      fromBlock: Number(bigintArg("from-block", args.fromBlock)),
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    out.result(
      report,
      `imported ${report.imported} household(s) (${report.alreadyImported} before this run) of the predecessor's ${total}; check with audit verify-register --predecessor ${args.predecessor}`,
    );
  });
