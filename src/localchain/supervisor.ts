/**
 * The local chain of `npm run node`: anvil behind a small JSON-RPC front on 127.0.0.1:8545 that
 * takes snapshots and never lets a client see what a crash could take away.
 *
 * - After new blocks (and after every evm_/anvil_ write) it takes a snapshot through
 *   anvil_dumpState while writes wait, between two readings of the newest block that must agree: one
 *   instant of the chain, its state and its logs together. The snapshot is checked and written
 *   whole (src/localchain/snapshot.ts), with the chain clock's lead over the wall clock.
 * - Clients see the chain only up to the newest saved block (src/localchain/rpc-gate.ts): a receipt
 *   for a newer block waits for the snapshot that covers it.
 * - At start, and when anvil dies under it, anvil is started from the newest good snapshot and its
 *   clock set to where it was (never before the newest block), so time does not go back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { rpcCall } from "../transport/http.js";
import { type AnvilProcess, launchAnvil } from "./anvil-process.js";
import { kindOf, newestBlockIn, planRead } from "./rpc-gate.js";
import {
  type BlockMark,
  CURRENT,
  makeSnapshot,
  openNewestGood,
  type Snapshot,
  unpackAnvilState,
  writeSnapshot,
} from "./snapshot.js";

export interface LocalChainOptions {
  repo: string;
  host: string;
  port: number;
  chainId: number;
  accounts: number;
  /** Where snapshots are kept (.chain). */
  dir: string;
  /** With no snapshot in `dir`: start from this anvil state file (anvil --dump-state/--state). */
  importState?: string;
  anvilArgs: readonly string[];
  say: (line: string) => void;
  /** How long a held answer waits for its snapshot before a 503 (default 30 s). */
  holdMs?: number;
}

class Unavailable extends Error {}
type RpcRequest = { jsonrpc?: string; id?: unknown; method: string; params?: unknown[] };

/** Sends in a row share a snapshot: a send's block is saved within this, sooner if a client asks. */
const SEND_SETTLE_MS = 250;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** An eth_call of init code that returns TIMESTAMP: the next block's time, by the node's clock. */
const CLOCK_CALL = { data: "0x4260005260206000f3" };

export class LocalChain {
  private anvil: AnvilProcess | undefined;
  private ready: Promise<void> = Promise.resolve();
  private epoch = 0;
  private server: Server | undefined;
  private stopping = false;
  /** The newest snapshot on disk, and the newest block it holds (undefined after a rewind). */
  private last: Snapshot | undefined;
  private saved: BlockMark | undefined;
  private writesDone = 0;
  private writesSaved = 0;
  private writesInFlight = 0;
  private gate: Promise<void> | undefined;
  private wakers = new Set<() => void>();
  private snapshotting = false;
  private againMs: number | undefined; // a snapshot asked for while one was taken: how soon the next
  private timer: { handle: NodeJS.Timeout; due: number } | undefined;
  private watch: NodeJS.Timeout | undefined;
  private lastFailure = "";

  constructor(readonly o: LocalChainOptions) {}

  get url(): string {
    return `http://${this.o.host}:${this.o.port}`;
  }

  /** Opens the newest good snapshot (or the import), starts anvil, then serves. */
  async start(): Promise<void> {
    const opened = await openNewestGood(this.o.dir, this.o.say);
    if (opened) {
      this.last = opened.snapshot;
      await this.launch(opened.anvilJson, opened.snapshot);
      this.o.say(
        `local chain: started from ${path.basename(opened.file)} (block ${opened.snapshot.block.number}, saved ${opened.snapshot.savedAt})`,
      );
    } else {
      const from = this.o.importState;
      if (from && (await stat(from).catch(() => undefined))) {
        const text = await readFile(from, "utf8");
        try {
          JSON.parse(text);
        } catch (error) {
          throw new Error(`local chain: cannot import ${from}: ${(error as Error).message}`, { cause: error });
        }
        await this.launch(text, undefined);
        this.o.say(`local chain: imported ${from}; its snapshots are kept in ${this.o.dir} from now on`);
      } else {
        await this.launch(undefined, undefined);
        this.o.say(`local chain: a new chain (no snapshot in ${this.o.dir})`);
      }
      await this.snapshotNow();
      if (!this.saved) throw new Error("local chain: could not take the first snapshot");
    }
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.o.port, this.o.host, () => resolve());
    });
    // Blocks mined by anvil's own timer (--block-time) come without a write through the front.
    if (this.o.anvilArgs.some((a) => /^(--block-time|-b)\b/.test(a)))
      this.watch = setInterval(() => void this.checkHead(), 1_000);
    this.o.say(
      `local chain: serving ${this.url} (chain ${this.o.chainId}, block ${this.saved!.number}); a snapshot in ${path.join(this.o.dir, CURRENT)} after each new block`,
    );
  }

  /** A graceful stop: a last snapshot if anvil still answers, then anvil stopped. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watch);
    clearTimeout(this.timer?.handle);
    this.server?.close();
    this.server?.closeAllConnections();
    await Promise.race([this.snapshotNow().catch(() => {}), sleep(30_000)]);
    await this.anvil?.stop();
    this.o.say(
      `local chain: stopped; block ${this.saved?.number ?? this.last?.block.number} is saved in ${path.join(this.o.dir, CURRENT)}`,
    );
  }

  // -- anvil ---------------------------------------------------------------------------------

  private async launch(anvilJson: string | undefined, from: Snapshot | undefined): Promise<void> {
    const loadFile = path.join(this.o.dir, `.load-${process.pid}.json`);
    if (anvilJson !== undefined) await writeFile(loadFile, anvilJson);
    try {
      this.anvil = await launchAnvil({
        repo: this.o.repo,
        chainId: this.o.chainId,
        accounts: this.o.accounts,
        loadState: anvilJson !== undefined ? loadFile : undefined,
        extraArgs: this.o.anvilArgs,
        relay: (line) => console.log(line),
      });
    } finally {
      await rm(loadFile, { force: true });
    }
    this.epoch++;
    const anvil = this.anvil;
    this.o.say(`local chain: anvil (pid ${anvil.pid}) on ${anvil.url}`);
    void anvil.exited.then((exit) => this.onAnvilExit(anvil, exit));
    const head = await this.head();
    if (from && head.number !== from.block.number)
      throw new Error(`anvil loaded block ${head.number}, but the snapshot holds block ${from.block.number}`);
    // The clock: where it was (wall clock plus the lead it had), never before the newest block.
    const lead = from?.clockLeadSeconds ?? 0;
    const target = Math.max(nowSeconds() + lead, head.timestamp);
    if (from || head.timestamp > nowSeconds()) await this.rpc("evm_setTime", [target]);
    this.saved = from ? from.block : this.saved;
    this.writesSaved = this.writesDone;
    this.wake();
  }

  private onAnvilExit(anvil: AnvilProcess, exit: { code: number | null; signal: string | null }): void {
    if (this.stopping || anvil !== this.anvil) return;
    const last = this.last;
    this.o.say(
      `local chain: anvil exited (${exit.signal ?? `code ${exit.code}`}); starting it again from the last snapshot (block ${last?.block.number})`,
    );
    this.epoch++;
    this.wake();
    this.ready = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.launch(last ? unpackAnvilState(last.anvilState) : undefined, last);
          return;
        } catch (error) {
          if (attempt >= 3) {
            this.o.say(`local chain: anvil does not start again: ${(error as Error).message}`);
            process.exit(1);
          }
        }
      }
    })();
  }

  private rpc<T>(method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<T> {
    if (!this.anvil) throw new Unavailable("anvil is not running");
    return rpcCall<T>(this.anvil.url, method, params, timeoutMs);
  }

  private async head(): Promise<BlockMark> {
    const b = await this.rpc<{ number: string; hash: string; timestamp: string }>("eth_getBlockByNumber", [
      "latest",
      false,
    ]);
    return { number: Number(b.number), hash: b.hash, timestamp: Number(b.timestamp) };
  }

  private async checkHead(): Promise<void> {
    if (this.snapshotting || this.stopping) return;
    const n = await this.rpc<string>("eth_blockNumber").catch(() => undefined);
    if (n !== undefined && Number(n) !== this.saved?.number) this.want(0);
  }

  // -- snapshots -----------------------------------------------------------------------------

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Waits (bounded) until `condition` holds, in this anvil's lifetime; false if it did not. */
  private async until(condition: () => boolean, ms: number, epoch = this.epoch): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (epoch !== this.epoch || Date.now() >= deadline) return false;
      let waker!: () => void;
      const woken = new Promise<void>((resolve) => (waker = resolve));
      this.wakers.add(waker);
      await Promise.race([woken, sleep(Math.min(250, deadline - Date.now()))]);
      this.wakers.delete(waker);
    }
    return epoch === this.epoch;
  }

  /** A snapshot in `delayMs` at the latest (one already due sooner stands; a later one is brought forward). */
  private want(delayMs: number): void {
    if (this.stopping) return;
    if (this.snapshotting) this.againMs = Math.min(this.againMs ?? delayMs, delayMs);
    if (this.snapshotting || (this.timer && this.timer.due <= Date.now() + delayMs)) return;
    clearTimeout(this.timer?.handle);
    const handle = setTimeout(() => {
      this.timer = undefined;
      void this.snapshotNow().catch((error: Error) => {
        if (error.message !== this.lastFailure)
          this.o.say(`local chain: snapshot failed (trying again every second): ${error.message}`);
        this.lastFailure = error.message;
        setTimeout(() => this.want(0), 1_000);
      });
    }, delayMs);
    this.timer = { handle, due: Date.now() + delayMs };
  }

  /** Takes a snapshot unless the newest one is still the chain's state. */
  private async snapshotNow(): Promise<void> {
    while (this.snapshotting) if (!(await this.until(() => !this.snapshotting, 120_000))) return;
    this.snapshotting = true;
    try {
      const epoch = this.epoch;
      await this.ready;
      for (let attempt = 1; attempt <= 5; attempt++) {
        let release!: () => void;
        this.gate = new Promise<void>((resolve) => (release = resolve));
        let taken: { head: BlockMark; lead: number; dump: string; covers: number } | undefined;
        try {
          await this.until(() => this.writesInFlight === 0, 30_000);
          for (let i = 0; i < 250; i++) {
            const pool = await this.rpc<{ pending: string }>("txpool_status");
            if (Number(pool.pending) === 0) break;
            await sleep(10);
          }
          const covers = this.writesDone;
          const head = await this.head();
          if (this.saved?.hash === head.hash && covers === this.writesSaved) return;
          const lead = Number(await this.rpc<string>("eth_call", [CLOCK_CALL, "pending"])) - nowSeconds();
          const dump = await this.rpc<string>("anvil_dumpState", [], 120_000);
          const after = await this.head();
          if (after.hash === head.hash) taken = { head, lead, dump, covers };
        } finally {
          this.gate = undefined;
          release();
        }
        if (!taken) continue; // a block was mined during the dump: not one instant
        if (epoch !== this.epoch) return;
        const snapshot = makeSnapshot(this.o.chainId, taken.head, taken.lead, taken.dump);
        await writeSnapshot(this.o.dir, snapshot);
        if (epoch !== this.epoch) return;
        this.last = snapshot;
        this.lastFailure = "";
        this.saved = taken.head;
        this.writesSaved = Math.max(this.writesSaved, taken.covers);
        return;
      }
      throw new Error("the chain kept moving during five dumps in a row");
    } finally {
      this.snapshotting = false;
      this.wake();
      const again = this.againMs;
      this.againMs = undefined;
      if (again !== undefined && !this.stopping) this.want(again);
    }
  }

  // -- the front -----------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: RpcRequest | RpcRequest[];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RpcRequest | RpcRequest[];
    } catch {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } }));
      return;
    }
    try {
      const answer = Array.isArray(body)
        ? `[${(await Promise.all(body.map((r) => this.handle(r)))).join(",")}]`
        : await this.handle(body);
      res.writeHead(200, { "content-type": "application/json" }).end(answer);
    } catch (error) {
      const message = error instanceof Unavailable ? error.message : `local chain: ${(error as Error).message}`;
      if (!res.headersSent) res.writeHead(503, { "content-type": "text/plain" });
      res.end(message);
    }
  }

  /** One request: its answer's JSON text. */
  private async handle(request: RpcRequest): Promise<string> {
    if (this.stopping) throw new Unavailable("the local chain is stopping");
    const ready = await Promise.race([this.ready.then(() => true), sleep(60_000).then(() => false)]);
    if (!ready || !this.anvil) throw new Unavailable("anvil is starting again");
    const params = Array.isArray(request.params) ? request.params : [];
    const kind = kindOf(request.method);
    const holdMs = this.o.holdMs ?? 30_000;
    if (kind === "read") {
      if (!(await this.until(() => this.saved !== undefined, holdMs)))
        throw new Unavailable("no snapshot of the chain yet");
      let plan = planRead(request.method, params, this.saved!.number);
      if (plan.waitFor !== undefined) {
        const block = plan.waitFor;
        this.want(0);
        if (!(await this.until(() => (this.saved?.number ?? -1) >= block, holdMs)))
          throw new Unavailable(`block ${block} is not saved yet`);
        plan = planRead(request.method, params, this.saved!.number);
      }
      if (plan.answer) return JSON.stringify({ jsonrpc: "2.0", id: request.id, ...plan.answer });
      return this.forward({ ...request, params: plan.params }, plan.scan);
    }
    // A write waits while a snapshot is taken, so that it falls wholly before or after it.
    while (this.gate) await this.gate;
    this.writesInFlight++;
    let answer: string;
    try {
      answer = await this.forward(request, kind === "send" && request.method.endsWith("Sync"));
    } finally {
      this.writesInFlight--;
      this.writesDone++;
      this.wake();
    }
    if (kind === "send") {
      this.want(SEND_SETTLE_MS);
      return answer;
    }
    // Acknowledged only once saved: evm_increaseTime, evm_mine, anvil_set*, …
    const seq = this.writesDone;
    const epoch = this.epoch;
    if (kind === "rewind") this.saved = undefined;
    this.want(0);
    if (!(await this.until(() => this.writesSaved >= seq, holdMs, epoch)))
      throw new Unavailable(`${request.method} is not saved (the node restarted, or snapshots fail)`);
    return answer;
  }

  /** Forwards to anvil; with `scan`, the answer is held until every block it names is saved. */
  private async forward(request: RpcRequest, scan: boolean): Promise<string> {
    const epoch = this.epoch;
    let text: string;
    try {
      const response = await fetch(this.anvil!.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(300_000),
      });
      text = await response.text();
    } catch (error) {
      throw new Unavailable(`anvil did not answer: ${(error as Error).message}`);
    }
    if (!scan) return text;
    const newest = newestBlockIn((JSON.parse(text) as { result?: unknown }).result);
    if (newest !== undefined && newest > (this.saved?.number ?? -1)) {
      this.want(0);
      const ok = await this.until(() => (this.saved?.number ?? -1) >= newest, this.o.holdMs ?? 30_000, epoch);
      if (!ok) throw new Unavailable(`block ${newest} is not saved yet`);
    }
    return text;
  }
}
