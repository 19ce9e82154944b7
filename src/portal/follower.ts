/**
 * Keeping the portal's index up to date: one update at a time, every `pollMs`, with the existing
 * incremental indexer (which stores each range in one transaction and never counts an event twice,
 * so a process killed mid-update resumes where the database says). The HTTP side never waits for it:
 * it reads what is indexed and says, from `status()`, how far behind the chain that is, or that the
 * node cannot be reached and since when.
 */
import { errorMessage } from "../indexer/rpc.js";
import type { IndexDatabase, JsonRpc } from "../indexer/index.js";
import { updateIndex } from "../indexer/index.js";
import type { SuiteAddresses } from "../suite.js";

export interface FollowStatus {
  /** Whether the last look at the node succeeded. */
  reachable: boolean;
  /** The node's latest block at the last look (null before the first). */
  chainHead: number | null;
  /** Blocks the index is behind that head (null when unknown). */
  behind: number | null;
  /** Why the last look or update failed, for people. */
  error: string | null;
  /** When the node last answered (ISO time). */
  lastAnswer: string | null;
}

export interface FollowOptions {
  rpc: JsonRpc;
  db: IndexDatabase;
  addresses: SuiteAddresses;
  confirmations?: number;
  /** Between two updates (default 2 s). */
  pollMs?: number;
  /** A node that does not answer within this is taken as down for this round (default 5 s). */
  timeoutMs?: number;
  onNotice?: (text: string) => void;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export class Follower {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private state: FollowStatus = { reachable: false, chainHead: null, behind: null, error: null, lastAnswer: null };

  constructor(private readonly o: FollowOptions) {}

  status(): FollowStatus {
    const indexed = this.o.db.head().block;
    const behind = this.state.chainHead === null ? null : Math.max(0, this.state.chainHead - indexed);
    return { ...this.state, behind };
  }

  /** One round: ask the node for its head, then index up to it. Never throws. */
  async tick(): Promise<void> {
    const timeoutMs = this.o.timeoutMs ?? 5_000;
    try {
      const head = await withTimeout(this.o.rpc.send("eth_blockNumber", []), timeoutMs, "the node");
      this.state = {
        ...this.state,
        reachable: true,
        chainHead: Number(BigInt(head as string)),
        lastAnswer: new Date().toISOString(),
      };
      await updateIndex({
        rpc: this.o.rpc,
        db: this.o.db,
        addresses: this.o.addresses,
        confirmations: this.o.confirmations ?? 0,
        retry: { attempts: 3 },
        onNotice: this.o.onNotice,
      });
      this.state.error = null;
    } catch (error) {
      this.state = { ...this.state, reachable: false, error: errorMessage(error) };
      this.o.onNotice?.(`cannot follow the chain: ${errorMessage(error)}`);
    }
  }

  start(): void {
    const loop = async () => {
      this.running = this.tick();
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.o.pollMs ?? 2_000);
    };
    void loop();
  }

  /** Stops after the update in progress (if any) has finished: the database is never left mid-range. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
