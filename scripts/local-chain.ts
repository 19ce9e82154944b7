/**
 * `npm run node`: the persistent local chain (src/localchain/supervisor.ts) on 127.0.0.1:8545,
 * chain 31337, 20 accounts, snapshots in .chain/. Options: --port, --chain-id, --accounts, --dir,
 * --import <anvil state file> (used only when --dir holds no snapshot; .chain/anvil-state.json, the
 * file of the earlier `npm run node`, is imported by default); anvil options after `--`.
 * Ctrl-C or SIGTERM stops it after a last snapshot.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { LocalChain } from "../src/localchain/supervisor.js";

const { values, positionals } = parseArgs({
  options: {
    port: { type: "string", default: "8545" },
    "chain-id": { type: "string", default: "31337" },
    accounts: { type: "string", default: "20" },
    dir: { type: "string", default: ".chain" },
    import: { type: "string" },
  },
  allowPositionals: true,
});
const dir = path.resolve(values.dir);
await mkdir(dir, { recursive: true });
const chain = new LocalChain({
  repo: process.cwd(),
  host: "127.0.0.1",
  port: Number(values.port),
  chainId: Number(values["chain-id"]),
  accounts: Number(values.accounts),
  dir,
  importState: values.import ?? path.join(dir, "anvil-state.json"),
  anvilArgs: positionals,
  say: (line) => console.log(line),
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`local chain: ${signal}, stopping`);
  void chain.stop().finally(() => process.exit(0));
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

try {
  await chain.start();
} catch (error) {
  console.error((error as Error).message);
  await chain.stop().catch(() => {});
  process.exit(1);
}
