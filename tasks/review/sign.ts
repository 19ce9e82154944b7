import { writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg, idArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { prepareSeal, sealToJson, signSeal } from "../../src/workflow/seals.js";

interface Args extends CommonArgs {
  roster: string;
  out: string;
  validHours: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    if (args.out.trim() === "") throw new Error("give --out <file.json>: where to write the seal");
    const hours = bigintArg("valid-hours", args.validHours);
    if (hours === 0n) throw new Error("--valid-hours must be at least 1");
    const { connection, chainId, suite, signer, out } = await openContext(args, hre);
    const latest = await connection.ethers.provider.getBlock("latest");
    if (!latest) throw new Error("the node returned no latest block");
    const deadline = BigInt(latest.timestamp) + hours * 3600n;
    const request = await prepareSeal(suite, chainId, signer.address, rosterId, deadline);
    out.say(
      `Sealing roster ${rosterId} (root ${request.root}) as stage ${request.stage + 1} (${request.signer}), nonce ${request.nonce}`,
    );
    const seal = await signSeal(signer, request);
    try {
      await writeFile(args.out, sealToJson(seal), { flag: "wx" });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        code === "EEXIST"
          ? `--out ${args.out} exists already; choose another file name (a seal is never overwritten)`
          : `cannot write --out ${args.out} (${code ?? (error as Error).message})`,
        { cause: error },
      );
    }
    const expires = new Date(Number(deadline) * 1000).toISOString();
    out.result(
      {
        file: args.out,
        rosterId,
        stage: seal.stage,
        signer: seal.signer,
        nonce: seal.nonce,
        deadline: seal.deadline,
        expires,
        root: seal.root,
      },
      `wrote seal ${args.out}: stage ${seal.stage + 1} approves roster ${rosterId}, valid until ${expires}.\n` +
        `Hand it to whoever relays the seals: npx hardhat review relay --roster ${rosterId} <seal files…>`,
    );
  });
