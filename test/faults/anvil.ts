/**
 * A throwaway anvil for the fault tests: loopback only, chain 31339 (the `faults` network), 20
 * accounts, started from a saved state when given one. It can be killed like a crash (SIGKILL to
 * its process group) and started again on the same port from its state file.
 */
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { freePort } from "../../src/localchain/anvil-process.js";
import { rpcCall } from "../../src/transport/index.js";
import { type Child, sleep, start } from "./proc.js";

export const FAULTS_CHAIN_ID = 31339;

export interface AnvilOptions {
  repo: string;
  port?: number;
  /** Start from this state (anvil --load-state); not written back. */
  loadState?: string;
  /** Load from and save to this file every `stateInterval` seconds (anvil --state). */
  state?: string;
  stateInterval?: number;
  /** Write the state to this file when anvil exits cleanly (anvil --dump-state). */
  dumpState?: string;
  /** More anvil options, as on its command line. */
  extraArgs?: readonly string[];
}

export class Anvil {
  private child: Child | undefined;

  private constructor(
    readonly options: AnvilOptions,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  static async start(options: AnvilOptions): Promise<Anvil> {
    for (let attempt = 1; ; attempt++) {
      const anvil = new Anvil(options, options.port ?? (await freePort()));
      try {
        await anvil.launch();
        return anvil;
      } catch (error) {
        if (options.port !== undefined || attempt >= 3) throw error;
      }
    }
  }

  /** (Re)starts the node on its port and waits until it answers with chain 31339. */
  async launch(timeoutMs = 30_000): Promise<void> {
    const o = this.options;
    const args = [
      "--host",
      "127.0.0.1",
      "--port",
      String(this.port),
      "--chain-id",
      String(FAULTS_CHAIN_ID),
      "--accounts",
      "20",
      "--silent",
    ];
    if (o.loadState) args.push("--load-state", o.loadState);
    if (o.state) args.push("--state", o.state, "--state-interval", String(o.stateInterval ?? 1));
    if (o.dumpState) args.push("--dump-state", o.dumpState);
    if (o.extraArgs) args.push(...o.extraArgs);
    const launcher = path.join(o.repo, "node_modules", ".bin", "anvil");
    const child = start(process.execPath, [launcher, ...args], { cwd: o.repo });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const exit = await child.exited(0).catch(() => undefined);
      if (exit && !exit.timedOut) break;
      try {
        if (Number(await rpcCall<string>(this.url, "eth_chainId", [], 1_000)) === FAULTS_CHAIN_ID) return;
      } catch {
        // not up yet
      }
      await sleep(100);
    }
    await child.kill();
    throw new Error(`anvil did not start on ${this.url}: ${child.stderr().trim().slice(-500) || "no output"}`);
  }

  /** Like a crash or a power cut: SIGKILL, nothing saved beyond the last periodic dump. */
  async crash(): Promise<void> {
    await this.child?.kill();
    this.child = undefined;
  }

  /** A clean stop (SIGTERM to the shim, which forwards it), so that --dump-state is written. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const exit = await child.exited(timeoutMs);
    if (exit.timedOut) await child.kill();
  }
}

/**
 * What a saved anvil state says about itself: per account without code, its nonce less the
 * transactions from it that the state keeps. In a consistent state these offsets are those of the
 * state it started from (every mined transaction is both in the accounts and in the history).
 */
function nonceOffsets(state: unknown): Map<string, number> | undefined {
  const s = state as {
    accounts?: Record<string, { nonce: string | number; code: string }>;
    transactions?: { info: { from: string } }[];
  };
  if (!s || typeof s !== "object" || !s.accounts || !Array.isArray(s.transactions)) return undefined;
  const sent = new Map<string, number>();
  for (const t of s.transactions) sent.set(t.info.from.toLowerCase(), (sent.get(t.info.from.toLowerCase()) ?? 0) + 1);
  const offsets = new Map<string, number>();
  for (const [address, account] of Object.entries(s.accounts)) {
    if (account.code !== "0x") continue;
    offsets.set(address.toLowerCase(), Number(account.nonce) - (sent.get(address.toLowerCase()) ?? 0));
  }
  return offsets;
}

/**
 * anvil writes its --state file in place, so a kill in the middle of a write leaves it cut short
 * and the node will not start from it; and it reads the accounts and the block history at
 * different moments while it mines, so a saved state can hold a transaction's effects without its
 * block and logs (seen in CI: paid bits for 250 lines whose PayoutRecorded events were gone). A
 * real node's database does neither. Like an operator who keeps a node's last good snapshot, this
 * keeps, every `everyMs`, the last copy of `file` that parses and is consistent (every account's
 * nonce matches the transactions it sent, as in the state it started from); `restore()` stops the
 * copying and, if `file` is cut short or inconsistent, puts that copy back and says why.
 */
export function keepWholeState(file: string, everyMs = 250): { restore(): Promise<string | undefined> } {
  const copy = `${file}.whole`;
  let baseline: Map<string, number> | undefined;
  const judge = (bytes: Buffer): "whole" | "cut short" | "inconsistent" => {
    let offsets: Map<string, number> | undefined;
    try {
      offsets = nonceOffsets(JSON.parse(bytes.toString("utf8")));
    } catch {
      return "cut short";
    }
    if (!offsets || !baseline) return "inconsistent";
    for (const [address, offset] of baseline) if (offsets.get(address) !== offset) return "inconsistent";
    return "whole";
  };
  // The file is whole when this starts (the node has not written it yet).
  let busy: Promise<void> = readFile(file).then(async (bytes) => {
    baseline = nonceOffsets(JSON.parse(bytes.toString("utf8")));
    await writeFile(copy, bytes);
  });
  const timer = setInterval(() => {
    busy = busy.then(async () => {
      const bytes = await readFile(file).catch(() => undefined);
      if (bytes && judge(bytes) === "whole") await writeFile(copy, bytes);
    });
  }, everyMs);
  return {
    async restore() {
      clearInterval(timer);
      await busy;
      const verdict = judge(await readFile(file));
      if (verdict === "whole") return undefined;
      await copyFile(copy, file);
      return verdict;
    },
  };
}
