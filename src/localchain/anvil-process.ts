/**
 * The anvil behind the local chain's front: the native binary of @foundry-rs/anvil (not its Node
 * shim, so that the pid is anvil's own), on a loopback port of its own, in the supervisor's process
 * group (a kill of the group takes both), its banner relayed without its "Listening on" line (the
 * front's address is the one to use).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

import { rpcCall } from "../transport/http.js";

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The anvil binary: ANVIL_BIN, else the platform package's binary, else the package's Node shim. */
export function anvilCommand(repo: string): { command: string; prefix: string[] } {
  if (process.env.ANVIL_BIN) return { command: process.env.ANVIL_BIN, prefix: [] };
  const require = createRequire(path.join(repo, "package.json"));
  const os = { linux: "linux", darwin: "darwin", win32: "win32" }[process.platform as string];
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  try {
    const binary = require.resolve(`@foundry-rs/anvil-${os}-${arch}/bin/anvil`);
    if (existsSync(binary)) return { command: binary, prefix: [] };
  } catch {
    // not this platform's package: the shim finds its own
  }
  return { command: process.execPath, prefix: [path.join(repo, "node_modules", "@foundry-rs", "anvil", "bin.mjs")] };
}

export interface AnvilProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Resolves when it has exited (whatever the cause). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface AnvilLaunch {
  repo: string;
  chainId: number;
  accounts: number;
  /** anvil --load-state. */
  loadState?: string;
  extraArgs: readonly string[];
  /** Each line anvil writes to stdout, but "Listening on …". */
  relay: (line: string) => void;
  timeoutMs?: number;
}

/** Starts anvil and waits (bounded) until it answers with `chainId`. */
export async function launchAnvil(o: AnvilLaunch): Promise<AnvilProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(o.chainId)];
  args.push("--accounts", String(o.accounts), ...(o.loadState ? ["--load-state", o.loadState] : []), ...o.extraArgs);
  const { command, prefix } = anvilCommand(o.repo);
  const child = spawn(command, [...prefix, ...args], { cwd: o.repo, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`could not start anvil (${command})`);
  let stderr = "";
  let pending = "";
  child.stdout!.on("data", (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (!line.startsWith("Listening on")) o.relay(line);
  });
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async (graceMs = 5_000) => {
    if (gone) return;
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
    if ((await Promise.race([exited, late])) === "late") child.kill("SIGKILL");
    clearTimeout(timer);
    await exited;
  };
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  while (Date.now() < deadline && !gone) {
    const id = await rpcCall<string>(url, "eth_chainId", [], 1_000).catch(() => undefined);
    if (id !== undefined && Number(id) === o.chainId) return { child, pid: child.pid, url, exited, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop(1_000);
  throw new Error(`anvil did not start: ${stderr.trim().slice(-500) || "no output"}`);
}
