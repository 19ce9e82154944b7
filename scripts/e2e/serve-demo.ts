/**
 * Try the residents' page by hand: `npx hardhat run scripts/e2e/serve-demo.ts` starts a throwaway
 * anvil with the demo's data, builds and serves the page, prints its address and a few demo
 * households' ID numbers and query codes (fictitious), and stops everything on Ctrl-C — also while
 * it is still starting. EXPLORER_URL / EXPLORER_KIND (blockscout | otterscan) add explorer links.
 */
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { stopAll } from "./proc.js";
import { ignitionJournal, type Stack, startStack } from "./stack.js";

const repo = process.cwd();
const workDir = await mkdtemp(path.join(tmpdir(), "resident-demo-"));
// eslint-disable-next-line prefer-const -- assigned once below, after the shutdown handler that reads it is set
let stack: Stack | undefined;
let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await (stack ? stack.stop() : stopAll());
  rmSync(ignitionJournal(repo), { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

const kind = process.env.EXPLORER_KIND === "otterscan" ? "otterscan" : "blockscout";
stack = await startStack({
  repo,
  workDir,
  ...(process.env.EXPLORER_URL ? { explorer: { kind, baseUrl: process.env.EXPLORER_URL } } : {}),
  log: (text) => console.log(text),
});
console.log(
  `\nThe residents' page: ${stack.server!.url}\nJSON-RPC: ${stack.anvil.url} (chain ${stack.record.chainId})\n`,
);
for (const h of stack.record.households) console.log(`  ${h.label.padEnd(32)} ${h.idNumber}  ${h.queryCode}`);
console.log("\nCtrl-C stops anvil and the server.");
await new Promise<never>(() => {}); // until a signal
