/**
 * Bounded retries with exponential backoff, for calls that are safe to repeat (reads, never a send),
 * and a provider whose reads are retried that way. One retry policy for every tool.
 */
import type { Provider } from "ethers";

import { sleep } from "../async.js";
import { connectSuite, type Suite } from "../suite.js";
import { RpcUnavailableError, transientReason } from "./failures.js";

/** Retries in a row before giving up, and the backoff between them (doubling from base to max). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** About 16 s of waiting in all (0.25, 0.5, 1, 2, 4, 4, 4 s): enough for a node to restart or a gateway to recover. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 4_000 };

/** What a task is told about each retry, so that it can say so. */
export interface RetryNotice {
  what: string;
  /** The attempt that failed (1 = the first try). */
  attempt: number;
  attempts: number;
  delayMs: number;
  reason: string;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  onRetry?: (notice: RetryNotice) => void;
  /** Why an error is transient, or undefined when it is not (default: transientReason). */
  transient?: (error: unknown) => string | undefined;
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return { ...DEFAULT_RETRY, ...options.policy };
}

/** The wait after failed attempt `attempt` (1-based): base, 2·base, 4·base, … at most max. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs `fn`, retrying transient failures with exponential backoff (bounded by the policy's
 * attempts). Any other failure is thrown at once; retries used up throw RpcUnavailableError.
 * Only for calls that are safe to repeat: reads, never a send.
 */
export async function withRetries<T>(what: string, fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = retryPolicy(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const reason = (options.transient ?? transientReason)(error);
      if (reason === undefined) throw error;
      if (attempt >= policy.attempts) throw new RpcUnavailableError(what, attempt, reason, { cause: error });
      const delayMs = backoffDelay(policy, attempt);
      options.onRetry?.({ what, attempt, attempts: policy.attempts, delayMs, reason });
      await sleep(delayMs);
    }
  }
}

/** Provider methods that only read, so may be repeated. */
const READ_METHODS = new Set([
  "call",
  "estimateGas",
  "getBalance",
  "getBlock",
  "getBlockNumber",
  "getCode",
  "getFeeData",
  "getLogs",
  "getNetwork",
  "getStorage",
  "getTransaction",
  "getTransactionCount",
  "getTransactionReceipt",
]);
const READ_RPC = new Set([
  "eth_accounts",
  "eth_blockNumber",
  "eth_call",
  "eth_chainId",
  "eth_estimateGas",
  "eth_feeHistory",
  "eth_gasPrice",
  "eth_getBalance",
  "eth_getBlockByHash",
  "eth_getBlockByNumber",
  "eth_getCode",
  "eth_getLogs",
  "eth_getTransactionByHash",
  "eth_getTransactionCount",
  "eth_getTransactionReceipt",
  "eth_maxPriorityFeePerGas",
  "net_version",
]);

/**
 * The same provider, with every read retried on transient failures (withRetries). Sends pass
 * through untouched: a send whose answer is lost is never repeated blindly.
 */
export function retryingReads<P extends Provider>(provider: P, options: RetryOptions = {}): P {
  const proxy: P = new Proxy(provider, {
    get(target, key) {
      if (key === "provider") return proxy;
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (key === "send") {
        return (rpcMethod: string, params: unknown[]) =>
          READ_RPC.has(rpcMethod)
            ? withRetries(rpcMethod, async () => method.call(target, rpcMethod, params), options)
            : method.call(target, rpcMethod, params);
      }
      if (typeof key === "string" && READ_METHODS.has(key)) {
        return (...args: unknown[]) =>
          withRetries(`reading the chain (${key})`, async () => method.apply(target, args), options);
      }
      return method.bind(target);
    },
  });
  return proxy;
}

/** The suite's contracts for reading only, through `provider` with retries (retryingReads). */
export function readingSuite(suite: Suite, provider: Provider, options: RetryOptions = {}): Suite {
  return connectSuite(suite.addresses, retryingReads(provider, options));
}
