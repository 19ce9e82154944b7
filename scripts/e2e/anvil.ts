/**
 * A throwaway anvil for the end-to-end run: loopback only, a free port, in-memory state (nothing
 * on disk), its own chain id (31338, the `e2e` network in hardhat.config.ts) and 20 accounts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

import { freePort } from "../../src/localchain/anvil-process.js";
import { rpcCall } from "../../src/transport/index.js";
import { stopGroup, track } from "./proc.js";

export const E2E_CHAIN_ID = 31338;

export interface Anvil {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function rpcReady(url: string, chainId: number): Promise<boolean> {
  return rpcCall<string>(url, "eth_chainId", [], 1_000).then(
    (id) => Number(id) === chainId,
    () => false,
  );
}

export async function startAnvil(options: {
  repo: string;
  chainId?: number;
  accounts?: number;
  timeoutMs?: number;
}): Promise<Anvil> {
  const chainId = options.chainId ?? E2E_CHAIN_ID;
  // The npm package's launcher, run by this Node (it starts the native binary in the same process group).
  const launcher = path.join(options.repo, "node_modules", "@foundry-rs", "anvil", "bin.mjs");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = track(
      spawn(
        process.execPath,
        [
          launcher,
          "--host",
          "127.0.0.1",
          "--port",
          String(port),
          "--chain-id",
          String(chainId),
          "--accounts",
          String(options.accounts ?? 20),
          "--silent",
        ],
        { detached: true, stdio: ["ignore", "ignore", "pipe"] },
      ),
    );
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    while (Date.now() < deadline && child.exitCode === null) {
      if (await rpcReady(url, chainId)) return { url, port, pid: child.pid!, stop: () => stopGroup(child) };
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await stopGroup(child);
    if (attempt >= 3) throw new Error(`anvil did not start on ${url}: ${stderr.trim() || "no output"}`);
  }
}
