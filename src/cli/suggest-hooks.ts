/** The `hre.created` handler of suggest-plugin.ts. */
import type { HardhatRuntimeEnvironmentHooks } from "hardhat/types/hooks";

import { suggestions, type TaskLike } from "./suggest.js";

/** Whether this process is Hardhat's command line (node …/hardhat/dist/src/cli.js, or the .bin shim). */
const fromShell = () =>
  /([\\/]hardhat[\\/]dist[\\/]src[\\/]cli\.js|[\\/]\.bin[\\/]hardhat)$/.test(process.argv[1] ?? "");

export default async (): Promise<Partial<HardhatRuntimeEnvironmentHooks>> => ({
  created: async (_context, hre) => {
    if (!fromShell()) return;
    const globals = new Set(
      Object.keys(hre.globalOptions).map((n) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
    );
    globals.add("help");
    globals.add("version");
    for (const line of suggestions(
      process.argv.slice(2),
      hre.tasks.rootTasks as ReadonlyMap<string, TaskLike>,
      globals,
    ))
      process.stderr.write(`${line}\n`);
  },
});
