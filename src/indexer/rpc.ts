/**
 * Talking to any JSON-RPC endpoint: the few raw calls the indexer makes, what a provider's errors
 * mean to it (a range too large), its retries (the one policy of src/transport), and a block-range
 * size that adapts to what the provider will return in one eth_getLogs.
 *
 * Raw `send` rather than ethers' typed getLogs: it is what every provider object offers (ethers
 * JsonRpcProvider, Hardhat's provider), it skips ethers' per-log object construction for 10^5 logs,
 * and it is one place to wrap in tests.
 */
import {
  errorTexts,
  type RetryNotice,
  type RetryOptions,
  type RetryPolicy,
  transientReason,
  withRetries,
} from "../transport/index.js";

/** The one method the indexer needs of a provider. */
export interface JsonRpc {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** A log as eth_getLogs returns it (hex quantities). */
export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash?: string;
  transactionHash: string;
  transactionIndex?: string;
  logIndex: string;
  removed?: boolean;
}

export interface BlockHeader {
  number: number;
  hash: string;
  time: number;
}

export const hex = (n: number) => `0x${n.toString(16)}`;
export const quantity = (value: unknown, what: string): number => {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value))
    throw new Error(`the provider returned ${JSON.stringify(value)} for ${what}, not a hex quantity`);
  return Number.parseInt(value, 16);
};

// ------------------------------------------------------------------------- what an error means
// Transient or not is decided in one place for every tool (src/transport/failures.ts transientReason);
// only "the range is too large" is the indexer's own.

/**
 * The provider says the range or its result is too big: Geth/Infura "query returned more than 10000
 * results", Besu "exceeds maximum RPC range limit", Alchemy "Log response size exceeded", Erigon and
 * others "block range too large", JSON-RPC code -32005 "limit exceeded", and query timeouts.
 */
const TOO_LARGE =
  /more than \d+ results|too many (results|logs|blocks)|(block )?range (is )?too (large|wide|big)|exceeds? (the )?(max|maximum|limit)|max(imum)? (block )?range|range limit|response (size )?(exceeded|too large)|result set too large|limit exceeded|-32005|query timeout|query timed out|returned too many/i;

export type ErrorKind = "too-large" | "transient" | "fatal";

export function classifyError(error: unknown): ErrorKind {
  if (TOO_LARGE.test(errorTexts(error))) return "too-large";
  return transientReason(error) !== undefined ? "transient" : "fatal";
}

/**
 * The range a provider suggests with its refusal, if any: Infura and Alchemy answer "… this block
 * range should work: [0x10, 0x2f]". Returns the number of blocks it spans.
 */
export function suggestedSpan(error: unknown): number | undefined {
  const match = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(errorTexts(error));
  if (!match) return undefined;
  const span = Number.parseInt(match[2]!, 16) - Number.parseInt(match[1]!, 16) + 1;
  return span >= 1 ? span : undefined;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return (error as Error & { shortMessage?: string }).shortMessage ?? error.message;
  return String(error);
}

// ------------------------------------------------------------------------------------- retries

/**
 * The retries of the indexer's calls: the one retry policy (src/transport), with the indexer's
 * own word on what is transient: a "too large" answer is never retried (the range shrinks instead),
 * even when it reads like a timeout.
 */
/** The indexer's policy: patient (about a minute and a half in all), since an audit run has no one waiting on a chunk. */
export const INDEX_RETRY: RetryPolicy = { attempts: 7, baseDelayMs: 500, maxDelayMs: 30_000 };

export function indexRetry(policy: Partial<RetryPolicy>, onRetry?: (notice: RetryNotice) => void): RetryOptions {
  return {
    policy,
    onRetry,
    transient: (error) => (classifyError(error) === "transient" ? transientReason(error) : undefined),
  };
}

// ------------------------------------------------------------------------------ range sizing

export interface RangeOptions {
  /** Blocks asked for in the first eth_getLogs. */
  initial: number;
  /** Largest range it grows back to. */
  max: number;
  /** Successful calls in a row before the range doubles again. */
  growAfter: number;
  /** Successful calls after a refusal before the range may grow at all. */
  cooldown: number;
}

export const DEFAULT_RANGE: RangeOptions = { initial: 10_000, max: 100_000, growAfter: 3, cooldown: 16 };

/**
 * The eth_getLogs range: halved each time the provider says it is too large, doubled again after a
 * few successes in a row, so that an empty stretch of chain is read in a few calls and a busy one in
 * small steps. After a refusal it stays small for a while (`cooldown`): a busy stretch is usually
 * longer than one range, and each refused call costs the node the whole query.
 */
export class RangeSizer {
  private successes = 0;
  private cooling = 0;
  size: number;

  constructor(private readonly options: RangeOptions) {
    if (options.initial < 1 || options.max < options.initial) throw new Error("range sizes: 1 <= initial <= max");
    this.size = options.initial;
  }

  /**
   * Returns false when the range is one block already and cannot shrink. A span the provider
   * suggested is taken when it is smaller than half the refused range (it saves refused calls).
   */
  shrink(suggested?: number): boolean {
    this.successes = 0;
    this.cooling = this.options.cooldown;
    if (this.size === 1) return false;
    const half = Math.max(1, Math.floor(this.size / 2));
    this.size = suggested !== undefined && suggested < half ? suggested : half;
    return true;
  }

  succeeded(): void {
    if (this.cooling > 0) {
      this.cooling--;
      return;
    }
    if (++this.successes >= this.options.growAfter && this.size < this.options.max) {
      this.size = Math.min(this.options.max, this.size * 2);
      this.successes = 0;
    }
  }
}

// ------------------------------------------------------------------------------- the calls

export async function chainIdOf(rpc: JsonRpc, retry: RetryOptions): Promise<bigint> {
  const value = await withRetries("eth_chainId", () => rpc.send("eth_chainId", []), retry);
  return BigInt(quantity(value, "eth_chainId"));
}

export async function blockNumberOf(rpc: JsonRpc, retry: RetryOptions): Promise<number> {
  const value = await withRetries("eth_blockNumber", () => rpc.send("eth_blockNumber", []), retry);
  return quantity(value, "eth_blockNumber");
}

/** The node answered that it has no such block: the chain is not the one indexed (or was reset). */
export class MissingBlockError extends Error {}

export async function headerOf(rpc: JsonRpc, retry: RetryOptions, block: number): Promise<BlockHeader> {
  const value = await withRetries(
    `eth_getBlockByNumber(${block})`,
    () => rpc.send("eth_getBlockByNumber", [hex(block), false]),
    retry,
  );
  if (value === null || typeof value !== "object") throw new MissingBlockError(`the provider has no block ${block}`);
  const b = value as { hash?: unknown; timestamp?: unknown };
  if (typeof b.hash !== "string") throw new Error(`block ${block} came without a hash`);
  return { number: block, hash: b.hash.toLowerCase(), time: quantity(b.timestamp, `block ${block} timestamp`) };
}

export async function senderOf(rpc: JsonRpc, retry: RetryOptions, txHash: string): Promise<string> {
  const value = await withRetries(
    `eth_getTransactionByHash(${txHash})`,
    () => rpc.send("eth_getTransactionByHash", [txHash]),
    retry,
  );
  const from = (value as { from?: unknown } | null)?.from;
  if (typeof from !== "string") throw new Error(`the provider does not know transaction ${txHash}`);
  return from.toLowerCase();
}

export function getLogs(rpc: JsonRpc, addresses: readonly string[], from: number, to: number): Promise<RawLog[]> {
  return rpc.send("eth_getLogs", [{ address: [...addresses], fromBlock: hex(from), toBlock: hex(to) }]) as Promise<
    RawLog[]
  >;
}
