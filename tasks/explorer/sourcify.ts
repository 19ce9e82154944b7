/** explorer sourcify: a deployment's contracts as a Sourcify repository (src/explorer/sourcify.ts). */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openReader, Output, runTask } from "../../src/cli/context.js";
import { writeSourcifyRepository } from "../../src/explorer/sourcify.js";
import { defaultDeploymentFile, readDeployment } from "../../src/suite.js";

interface Args extends Omit<CommonArgs, "from"> {
  out: string;
  rpcUrl: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    if (!args.out) throw new Error("give --out <directory>: the repository's root, which the explorer will serve");
    const out = new Output(args.json);
    const reader = await openReader(args.rpcUrl || undefined, hre);
    try {
      const file = args.deployment || defaultDeploymentFile(reader.chainId);
      const entries = await writeSourcifyRepository({
        outDir: args.out,
        chainId: reader.chainId,
        addresses: await readDeployment(file),
        artifacts: hre.artifacts,
        readJson: async (f) => JSON.parse(await readFile(f, "utf8")) as unknown,
        provider: reader.provider,
      });
      out.result(
        { chainId: reader.chainId, root: path.resolve(args.out), contracts: entries },
        [
          `Sourcify repository for chain ${reader.chainId} written to ${args.out} (full match: each metadata.json's IPFS hash is the one in the deployed code):`,
          ...entries.map(
            (e) => `  ${e.name.padEnd(18)} ${e.address}  ${e.metadataHash}  ${e.sources} sources  ${e.directory}/`,
          ),
          "Serve the directory over HTTP and point the explorer at it: docs/residents-and-explorers.md section 7.",
        ].join("\n"),
      );
    } finally {
      reader.close();
    }
  });
