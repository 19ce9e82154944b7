/**
 * Talking to any JSON-RPC endpoint: the few raw calls the indexer makes, what a provider's errors
 * mean, bounded retries with exponential backoff, and a block-range size that adapts to what the
 * provider will return in one eth_getLogs.
 *
 * Raw `send` rather than ethers' typed getLogs: it is what every provider object offers (ethers
 * JsonRpcProvider, Hardhat's provider), it skips ethers' per-log object construction for 10^5 logs,
 * and it is one place to wrap in tests.
 */
import { errorTexts, transientReason } from "../chain/signers.js";

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
// Transient or not is decided in one place for every tool (src/chain/signers.ts transientReason);
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

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** First delay; doubled on each retry, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Raised when an RPC call failed for good (not retryable, or retries used up). */
export class RpcFailure extends Error {
  constructor(
    readonly what: string,
    readonly attempts: number,
    readonly kind: ErrorKind,
    readonly cause: unknown,
  ) {
    super(`${what} failed${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${errorMessage(cause)}`);
    this.name = "RpcFailure";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn`, retrying transient failures with exponential backoff. A "too large" answer is not
 * retried here: the caller shrinks the range instead. Anything else fails at once.
 */
export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  fn: () => Promise<T>,
  onRetry?: (attempt: number, error: unknown) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const kind = classifyError(error);
      if (kind !== "transient" || attempt >= policy.retries) throw new RpcFailure(what, attempt + 1, kind, error);
      onRetry?.(attempt + 1, error);
      await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
    }
  }
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

export async function chainIdOf(rpc: JsonRpc, policy: RetryPolicy): Promise<bigint> {
  const value = await withRetry("eth_chainId", policy, () => rpc.send("eth_chainId", []));
  return BigInt(quantity(value, "eth_chainId"));
}

export async function blockNumberOf(rpc: JsonRpc, policy: RetryPolicy): Promise<number> {
  const value = await withRetry("eth_blockNumber", policy, () => rpc.send("eth_blockNumber", []));
  return quantity(value, "eth_blockNumber");
}

type OnRetry = (attempt: number, error: unknown) => void;

export async function headerOf(
  rpc: JsonRpc,
  policy: RetryPolicy,
  block: number,
  onRetry?: OnRetry,
): Promise<BlockHeader> {
  const value = await withRetry(
    `eth_getBlockByNumber(${block})`,
    policy,
    () => rpc.send("eth_getBlockByNumber", [hex(block), false]),
    onRetry,
  );
  if (value === null || typeof value !== "object") throw new Error(`the provider has no block ${block}`);
  const b = value as { hash?: unknown; timestamp?: unknown };
  if (typeof b.hash !== "string") throw new Error(`block ${block} came without a hash`);
  return { number: block, hash: b.hash.toLowerCase(), time: quantity(b.timestamp, `block ${block} timestamp`) };
}

export async function senderOf(rpc: JsonRpc, policy: RetryPolicy, txHash: string, onRetry?: OnRetry): Promise<string> {
  const value = await withRetry(
    `eth_getTransactionByHash(${txHash})`,
    policy,
    () => rpc.send("eth_getTransactionByHash", [txHash]),
    onRetry,
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

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
