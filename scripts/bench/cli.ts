/**
 * How long a person waits for a command against a local node (`npm run bench:cli`): wall time of
 * whole `npx hardhat …` processes, as typed, beside Hardhat's own `npx hardhat --version` as the
 * yardstick (a process that loads no project config).
 *
 * It starts its own local chain exactly as `npm run node` does (scripts/local-chain.ts: anvil behind
 * the snapshotting front) on a free loopback port, chain 31340 (the `bench` network of
 * hardhat.config.ts, never a developer's localhost chain), its snapshots in a scratch folder; then
 * measures, each several times, one after another:
 *
 * - `deploy:localhost` as package.json runs it, with `--network bench --reset` (Ignition, the whole
 *   suite); the build is made first, untimed, as a developer's working copy has it;
 * - `--version` (the yardstick) and `governance grant --help` (the project's config loaded, nothing run);
 * - a read-only task (`audit offices`: the audit index brought up to date, the offices checked);
 * - a signing task (`governance grant`: one transaction, its receipt awaited through the front).
 *
 * Writes bench/results/cli-latest.json (median and p90, nearest rank, of each; the machine's load
 * before and after); `npm run bench:report` puts it into BENCHMARKS.md. Asserts nothing about time.
 * Environment: BENCH_CLI_RUNS (default 7), BENCH_CLI_DEPLOYS (default 3).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

import { rpcCall } from "../../src/transport/http.js";

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 7);
const DEPLOYS = Number(process.env.BENCH_CLI_DEPLOYS ?? 3);
const CHAIN_ID = 31340;
const GOALS = { commandMedianSeconds: 2, deploySeconds: 20 };
const ROLES = ["REVIEWER", "BUREAU", "CIVIL_AFFAIRS", "DISBURSER", "BANK"];

const say = (line: string) => console.log(line);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Runs `npx hardhat …args` to its end: its wall time in seconds; throws with its output if it fails. */
function timed(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("npx", ["hardhat", ...args], { env: { ...process.env, ...env }, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve(seconds);
      else reject(new Error(`npx hardhat ${args.join(" ")} exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { runs: sorted.length, median: rank(0.5), p90: rank(0.9), min: sorted[0]!, max: sorted.at(-1)!, samples };
}

async function startChain(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/local-chain.ts", "--port", String(port), "--chain-id", String(CHAIN_ID), "--dir", dir],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the local chain exited with ${child.exitCode}`);
    const id = await rpcCall<string>(url, "eth_chainId", [], 1_000).catch(() => undefined);
    if (id !== undefined && Number(id) === CHAIN_ID) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the local chain did not answer within a minute");
}

/** `deploy:localhost` of package.json, aimed at the bench chain. */
function deployArgs(): string[] {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  const words = (pkg.scripts["deploy:localhost"] ?? "").split(/\s+/);
  if (words[0] !== "hardhat" || !words.includes("localhost")) throw new Error("deploy:localhost is not as expected");
  return [...words.slice(1).map((w) => (w === "localhost" ? "bench" : w)), "--reset"];
}

const scratch = await mkdtemp(path.join(os.tmpdir(), "bench-cli-"));
const port = await freePort();
const env = {
  BENCH_RPC_URL: `http://127.0.0.1:${port}`,
  HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "1",
  HARDHAT_IGNITION_CONFIRM_RESET: "1",
};
const loadBefore = os.loadavg();
let chain: ChildProcess | undefined;
try {
  chain = await startChain(path.join(scratch, "chain"), port);
  say(`local chain (scripts/local-chain.ts) on 127.0.0.1:${port}, chain ${CHAIN_ID}; load ${loadBefore.join(" ")}`);

  const deploy: number[] = [];
  for (let i = 0; i < DEPLOYS; i++) {
    deploy.push(await timed(deployArgs(), env));
    say(`  deploy:localhost ${deploy.at(-1)!.toFixed(2)} s`);
  }

  const db = path.join(scratch, "audit.sqlite");
  const commands: Record<string, (i: number) => string[]> = {
    "hardhat --version (yardstick)": () => ["--version"],
    "governance grant --help": () => ["governance", "grant", "--help"],
    "audit offices (read-only)": () => ["audit", "offices", "--db", db, "--network", "bench"],
    "governance grant (signs)": (i) => [
      ...["governance", "grant", "--role", ROLES[i % ROLES.length]!, "--account", String(2 + (i % 18))],
      ...["--from", "1", "--network", "bench"],
    ],
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  // Interleaved, so that a burst of load from elsewhere falls on every command alike.
  for (let i = 0; i < RUNS; i++)
    for (const [name, args] of Object.entries(commands)) samples[name]!.push(await timed(args(i), env));
  for (const [name, s] of Object.entries(samples)) {
    const { median, p90 } = stats(s);
    say(`  ${name.padEnd(32)} median ${median.toFixed(2)} s, p90 ${p90.toFixed(2)} s (${s.length} runs)`);
  }

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    loadBefore,
    loadAfter: os.loadavg(),
    goals: GOALS,
    deployCommand: `hardhat ${deployArgs().join(" ")}`,
    deploy: stats(deploy),
    commands: Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, stats(s)])),
  };
  await mkdir("bench/results", { recursive: true });
  await writeFile("bench/results/cli-latest.json", `${JSON.stringify(result, null, 2)}\n`);
  say(`load after ${result.loadAfter.join(" ")}; written to bench/results/cli-latest.json`);
} finally {
  if (chain && chain.exitCode === null) {
    const exited = new Promise((r) => chain!.once("exit", r));
    chain.kill("SIGTERM");
    await exited;
  }
  await rm(scratch, { recursive: true, force: true });
  await rm(`ignition/deployments/chain-${CHAIN_ID}`, { recursive: true, force: true });
}
