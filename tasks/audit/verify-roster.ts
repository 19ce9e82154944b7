/** audit verify-roster: a published list (and bundle) against the roster on chain. */
import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, openAudit, verifyRoster } from "../../src/audit/index.js";
import { idArg } from "../../src/cli/args.js";
import { runTask } from "../../src/cli/context.js";

interface Args extends AuditArgs {
  roster: string;
  list: string;
  bundle: string;
}

async function read(option: string, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`--${option} ${file}: ${(error as Error).message}`, { cause: error });
  }
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    if (!args.list) throw new Error("give --list <published-list.csv> (the publicity list whose hash went on chain)");
    const list = { bytes: await read("list", args.list), file: args.list };
    const bundle = args.bundle
      ? { text: (await read("bundle", args.bundle)).toString("utf8"), file: args.bundle }
      : undefined;
    const session = await openAudit(args, hre);
    try {
      if (!session.suite)
        throw new Error(
          `verify-roster reads the roster as the chain holds it, and ${session.offline}; give a node (--rpc-url or --network)`,
        );
      const result = await verifyRoster({ suite: session.suite, db: session.db, rosterId, list, bundle });
      session.out.result(
        result,
        [
          `roster ${rosterId}: ${result.ok ? "everything matches" : "MISMATCH"}`,
          ...result.checks.map((c) => `  ${c.ok ? "matches " : "MISMATCH"}  ${c.check}: ${c.detail}`),
        ].join("\n"),
      );
      if (!result.ok) process.exitCode = 1;
    } finally {
      session.close();
    }
  });
