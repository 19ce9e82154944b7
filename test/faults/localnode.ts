/**
 * `npm run node`'s local chain (scripts/local-chain.ts) as the fault tests drive it: on a free
 * loopback port, chain 31339, its snapshots in a scratch folder, the world's saved state imported.
 * It can be SIGKILLed with its anvil (the process group, like a power cut), have only its anvil
 * killed (the front starts it again), be stopped gracefully (SIGTERM), and be started again.
 *
 * A `ReceiptWatch` policy for the observing proxy notes every receipt a tool was given: what the node
 * acknowledged, which no crash may take away.
 */
import path from "node:path";

import { rpcCall } from "../../src/transport/index.js";
import { freePort } from "../../src/localchain/anvil-process.js";
import { FAULTS_CHAIN_ID } from "./anvil.js";
import { type Child, type Exit, sleep, start } from "./proc.js";
import type { Action, Policy, RequestInfo } from "./proxy.js";

export class LocalNode {
  private child: Child | undefined;
  /** Everything each launch wrote, oldest first. */
  readonly outputs: string[] = [];

  private constructor(
    readonly repo: string,
    readonly dir: string,
    readonly importState: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(repo: string, dir: string, importState: string): Promise<LocalNode> {
    const node = new LocalNode(repo, dir, importState, await freePort());
    await node.launch();
    return node;
  }

  /** What the current (or last) launch has written so far. */
  output(): string {
    return this.child ? this.child.stdout() + this.child.stderr() : (this.outputs.at(-1) ?? "");
  }

  /** anvil's pid, as the front last said it. */
  anvilPid(): number {
    const pids = [...this.output().matchAll(/anvil \(pid (\d+)\)/g)];
    if (pids.length === 0) throw new Error("the local chain has not said its anvil's pid");
    return Number(pids.at(-1)![1]);
  }

  /** (Re)starts it on its port and waits until it answers with chain 31339. */
  async launch(timeoutMs = 60_000): Promise<void> {
    const args = ["--import", "tsx", path.join("scripts", "local-chain.ts")];
    args.push("--port", String(this.port), "--chain-id", String(FAULTS_CHAIN_ID), "--dir", this.dir);
    args.push("--import", this.importState, "--", "--silent");
    const child = start(process.execPath, args, { cwd: this.repo });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const exit = await child.exited(0);
      if (!exit.timedOut) break;
      const id = await rpcCall<string>(this.url, "eth_chainId", [], 1_000).catch(() => undefined);
      if (id !== undefined && Number(id) === FAULTS_CHAIN_ID) return;
      await sleep(100);
    }
    const said = this.output();
    await this.crash();
    throw new Error(`the local chain did not start: ${said.trim().slice(-800) || "no output"}`);
  }

  /** SIGKILL to its process group: the front and its anvil, nothing saved on the way out. */
  async crash(): Promise<void> {
    const child = this.child;
    if (!child) return;
    await child.kill();
    this.outputs.push(child.stdout() + child.stderr());
    this.child = undefined;
  }

  /** SIGKILL to its anvil alone; the front notices and starts anvil again from its last snapshot. */
  killAnvil(): number {
    const pid = this.anvilPid();
    process.kill(pid, "SIGKILL");
    return pid;
  }

  /** SIGTERM to the front only (as `kill <pid>` would): a last snapshot, then it exits. */
  async stop(timeoutMs = 45_000): Promise<Exit> {
    const child = this.child!;
    process.kill(child.pid, "SIGTERM");
    const exit = await child.exited(timeoutMs);
    if (exit.timedOut) await child.kill();
    this.outputs.push(child.stdout() + child.stderr());
    this.child = undefined;
    return exit;
  }
}

export interface SeenReceipt {
  hash: string;
  blockNumber: number;
  blockHash: string;
}

/** Passes everything; notes each receipt the node answered with, and calls `onReceipt` (awaited) after each. */
export class ReceiptWatch implements Policy {
  readonly seen: SeenReceipt[] = [];
  onReceipt: ((count: number) => Promise<void> | void) | undefined;

  decide(_req: RequestInfo): Action {
    return "pass";
  }

  async afterForward(req: RequestInfo, answer: string): Promise<void> {
    if (!answer.includes('"transactionHash"') || !/eth_getTransactionReceipt/.test(req.body)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer);
    } catch {
      return;
    }
    const before = this.seen.length;
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      const r = (item as { result?: { transactionHash?: string; blockNumber?: string; blockHash?: string } }).result;
      if (r?.transactionHash && r.blockNumber && r.blockHash && !r.transactionHash.startsWith("0x0000"))
        this.seen.push({ hash: r.transactionHash, blockNumber: Number(r.blockNumber), blockHash: r.blockHash });
    }
    if (this.seen.length > before) await this.onReceipt?.(this.seen.length);
  }
}

/** Every receipt a tool was given is still on the chain at `url`, in the same block. */
export async function checkReceiptsKept(url: string, seen: readonly SeenReceipt[]): Promise<void> {
  for (const s of seen) {
    const r = await rpcCall<{ blockHash: string } | null>(url, "eth_getTransactionReceipt", [s.hash], 5_000);
    if (!r) throw new Error(`transaction ${s.hash}, whose receipt (block ${s.blockNumber}) a tool was given, is gone`);
    if (r.blockHash !== s.blockHash)
      throw new Error(`transaction ${s.hash} moved from block ${s.blockNumber} (${s.blockHash}) to ${r.blockHash}`);
  }
}

/** Block timestamps from `from` to the newest never go down, and none after `from` is before `notBefore`. */
export async function checkTimeForward(url: string, from: number, notBefore: number): Promise<number> {
  const head = Number(await rpcCall<string>(url, "eth_blockNumber"));
  let previous = 0;
  for (let n = from; n <= head; n++) {
    const b = await rpcCall<{ timestamp: string }>(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false]);
    const t = Number(b.timestamp);
    if (t < previous) throw new Error(`block ${n}'s time ${t} is before block ${n - 1}'s ${previous}: time went back`);
    if (t < notBefore) throw new Error(`block ${n}'s time ${t} is before ${notBefore}, the time the chain had reached`);
    previous = t;
  }
  return head;
}
