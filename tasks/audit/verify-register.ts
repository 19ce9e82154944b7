/** audit verify-register: a successor suite's household register against its predecessor's. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { openReader, Output, runTask } from "../../src/cli/context.js";
import { connectSuite, defaultDeploymentFile, readDeployment } from "../../src/suite.js";
import { compareRegisters } from "../../src/workflow/succession.js";

interface Args {
  deployment: string;
  predecessor: string;
  rpcUrl: string;
  fromBlock: string;
  json: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    if (!args.predecessor)
      throw new Error("give --predecessor <deployed_addresses.json> of the suite this one succeeds");
    const out = new Output(args.json);
    const reader = await openReader(args.rpcUrl || undefined, hre);
    try {
      const successor = connectSuite(
        await readDeployment(args.deployment || defaultDeploymentFile(reader.chainId)),
        reader.provider,
      );
      const predecessor = connectSuite(await readDeployment(args.predecessor), reader.provider);
      const result = await compareRegisters(successor, predecessor, {
        fromBlock: Number(bigintArg("from-block", args.fromBlock)),
      });
      const equal = result.differences.length === 0;
      out.result(
        { equal, ...result },
        [
          `${equal ? "equal" : "DIFFERENT"}: ${result.imported} of the predecessor's ${result.predecessorCount} households imported; ${result.count} in the successor's register`,
          ...result.differences
            .slice(0, 50)
            .map((d) => `  ${d.household === 0n ? "register" : `household ${d.household}`}: ${d.what}`),
          ...(result.differences.length > 50 ? [`  … (${result.differences.length} differences in all)`] : []),
        ].join("\n"),
      );
      if (!equal) process.exitCode = 1;
    } finally {
      reader.close();
    }
  });
