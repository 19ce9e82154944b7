/**
 * Choosing the signing account for a task (`--from` is an account index or an address), and talking
 * to the node through it when the connection is unreliable: which failures are transient (the
 * network, a gateway, a timeout — not the node's or the contract's answer), bounded retries with
 * exponential backoff for reads, one JSON-RPC request per transaction sent, and waiting for a
 * transaction's receipt without mistaking a lost answer for a lost transaction.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { BaseWallet, type Provider, type Signer, toQuantity } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import { connectSuite, type Suite } from "../suite.js";
import { describeError } from "./errors.js";

export async function signerFor(connection: NetworkConnection, from: string): Promise<HardhatEthersSigner> {
  const signers = await connection.ethers.getSigners();
  if (signers.length === 0) {
    throw new Error(
      "this network has no signing accounts configured; set its `accounts` in hardhat.config.ts (keystore variables)",
    );
  }
  if (/^\d+$/.test(from)) {
    const signer = signers[Number(from)];
    if (!signer)
      throw new Error(`--from ${from}: this network has only ${signers.length} accounts (0…${signers.length - 1})`);
    return signer;
  }
  const found = signers.find((s) => s.address.toLowerCase() === from.toLowerCase());
  if (!found) throw new Error(`--from ${from}: not one of this network's accounts`);
  return found;
}

/** An account given as an address, or as an index into the network's accounts (handy on local chains). */
export async function accountFor(connection: NetworkConnection, value: string): Promise<string> {
  if (/^\d+$/.test(value)) return (await signerFor(connection, value)).address;
  if (!/^0x[0-9a-fA-F]{40}$/.test(value))
    throw new Error(`"${value}" is neither an address (0x + 40 hex digits) nor an account index`);
  return value;
}

/**
 * Waits until `signer` has no transaction in flight (so that a rerun never races its own earlier
 * sends). Reads are retried on transient failures (`retry`); the wait itself is bounded by `timeoutMs`.
 */
export async function waitForNoPending(
  signer: Signer,
  options: number | { timeoutMs?: number; retry?: RetryOptions } = {},
): Promise<void> {
  const { timeoutMs = 120_000, retry = {} } = typeof options === "number" ? { timeoutMs: options } : options;
  const address = await signer.getAddress();
  const provider = signer.provider;
  if (!provider) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [latest, pending] = await withRetries(
      "reading the account's nonce",
      () =>
        Promise.all([
          provider.getTransactionCount(address, "latest"),
          provider.getTransactionCount(address, "pending"),
        ]),
      retry,
    );
    if (pending <= latest) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${address} still has ${pending - latest} transaction(s) pending after ${timeoutMs / 1000}s; wait for them or replace them before rerunning`,
      );
    }
    await sleep(1_000);
  }
}

// ------------------------------------------------------------------------------ transient failures

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
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return { ...DEFAULT_RETRY, ...options.policy };
}

/** The wait after failed attempt `attempt` (1-based): base, 2·base, 4·base, … at most max. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Thrown when a transient failure outlasted its retries; still transient for an outer loop. */
export class RpcUnavailableError extends Error {
  constructor(
    readonly what: string,
    readonly attempts: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${what} failed ${attempts} time${attempts === 1 ? "" : "s"} in a row: ${reason}`, options);
    this.name = "RpcUnavailableError";
  }
}

/**
 * A transaction was (perhaps) sent, but whether it landed is not known: the answer to the send was
 * lost, or its receipt could not be read, or the node no longer knows it. Never resend on a guess:
 * read the chain again.
 */
export class OutcomeUnknownError extends Error {
  constructor(
    message: string,
    readonly txHash: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OutcomeUnknownError";
  }
}

/** A transaction was mined but reverted: an answer, not a transient failure. */
export class TransactionRevertedError extends Error {
  constructor(
    readonly txHash: string,
    /** The gas it used (all of its gas limit if it ran out of gas). */
    readonly gasUsed?: bigint,
  ) {
    super(`transaction ${txHash} was mined but reverted`);
    this.name = "TransactionRevertedError";
  }
}

const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EAI_AGAIN: "name lookup failed for now",
  UND_ERR_SOCKET: "connection closed before the answer",
  UND_ERR_CLOSED: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connecting timed out",
  UND_ERR_HEADERS_TIMEOUT: "no answer within the network's timeout",
  UND_ERR_BODY_TIMEOUT: "the answer stalled past the network's timeout",
};

/** Hardhat's own network errors (HHE702 garbled answer, HHE703 connection refused, HHE704 timeout). */
const HARDHAT_NETWORK_ERRORS: Record<number, string> = {
  702: "the answer was not valid JSON-RPC (cut off?)",
  703: "connection refused",
  704: "no answer within the network's timeout",
};

/** ethers' own codes for the same (when the provider is ethers' JsonRpcProvider). */
const ETHERS_CODES: Record<string, string> = {
  NETWORK_ERROR: "network error",
  TIMEOUT: "timed out",
  SERVER_ERROR: "server error",
};

/** Every piece of text in an error and its causes (ethers nests the node's answer several levels deep). */
export function errorTexts(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 5 || value === null || value === undefined || seen.has(value)) return;
    if (typeof value === "string" || typeof value === "number") {
      parts.push(String(value));
      return;
    }
    if (typeof value !== "object") return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ["message", "shortMessage", "code", "status", "responseStatus", "body", "reason"])
      visit(record[key], depth + 1);
    for (const key of ["error", "info", "cause", "data", "response"]) visit(record[key], depth + 1);
  };
  visit(error, 0);
  return parts.join(" | ");
}

/**
 * Worth retrying, in words: the network, the server (5xx), rate limits, timeouts — for providers
 * and gateways that give no code, only a message.
 */
const TRANSIENT_TEXT =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|socket hang up|network error|NETWORK_ERROR|fetch failed|TIMEOUT|timed? ?out|SERVER_ERROR|bad gateway|service unavailable|gateway time-?out|internal server error|too many requests|rate limit|temporarily unavailable|try again/i;

/** An HTTP status among the texts: a part that starts with 5xx or 429 ("503 Service Unavailable", status 502). */
const RETRYABLE_STATUS = /(?:^|\| )(?:5\d\d|429)(?: |$)/;

/**
 * Why `error` is a transient failure of the connection to the node, or undefined when it is an
 * answer (a revert, a JSON-RPC error from the node, a bug here). Looks through the causes: Hardhat
 * wraps the HTTP client's error one or two levels deep. The one definition of "transient" for every
 * tool: the senders retry after reading the chain again, the indexer and the readers retry the call.
 */
export function transientReason(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): string | undefined => {
    if (value === null || typeof value !== "object" || seen.has(value) || depth > 8) return undefined;
    seen.add(value);
    if (value instanceof RpcUnavailableError) return value.reason;
    if (value instanceof OutcomeUnknownError) return value.message;
    const record = value as Record<string, unknown>;
    const name = typeof record.name === "string" ? record.name : "";
    const code = record.code;
    if (typeof code === "string" && SOCKET_CODES[code]) return SOCKET_CODES[code];
    if (typeof code === "string" && ETHERS_CODES[code]) return ETHERS_CODES[code];
    if (name === "HardhatError" && typeof record.number === "number" && HARDHAT_NETWORK_ERRORS[record.number])
      return HARDHAT_NETWORK_ERRORS[record.number];
    if (name === "ConnectionRefusedError") return "connection refused";
    if (name === "RequestTimeoutError") return "no answer within the network's timeout";
    const status = typeof record.statusCode === "number" ? record.statusCode : undefined;
    if (status !== undefined && (status >= 500 || status === 429)) return `HTTP ${status} from the RPC endpoint`;
    for (const key of ["cause", "error", "parent", "info"]) {
      const found = visit(record[key], depth + 1);
      if (found) return found;
    }
    // Hardhat's RequestError ("Failed to make POST request") with no more specific cause: the socket failed.
    if (name === "RequestError") return "the request failed on the way";
    return undefined;
  };
  const structured = visit(error, 0);
  if (structured !== undefined) return structured;
  // Then the words, unless the answer is a contract's revert, whatever it says.
  const text = errorTexts(error);
  if (/revert/i.test(text)) return undefined;
  const said = TRANSIENT_TEXT.exec(text) ?? RETRYABLE_STATUS.exec(text);
  return said ? `the node or a gateway answered "${said[0].replace(/^\| /, "").trim()}"` : undefined;
}

export function isTransientRpcError(error: unknown): boolean {
  return transientReason(error) !== undefined;
}

/**
 * A refusal by the contract (a revert, decoded or not, at estimation or mined), as opposed to a
 * failure of the connection or a bug: worth one look at the chain, since an earlier send of the
 * same lines may have landed late.
 */
export function isContractRefusal(error: unknown): boolean {
  if (error instanceof TransactionRevertedError) return true;
  const text = describeError(error);
  return text.startsWith("the contract refused") || /revert/i.test(text);
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
      const reason = transientReason(error);
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

// ------------------------------------------------------------------------------ sending

/**
 * Sends one transaction and returns its hash: with a node-held or Hardhat-configured account, one
 * eth_sendTransaction request (Hardhat's provider signs locally when the network has keys); with a
 * wallet, ethers' own path. Not retried: when this throws a transient failure, the transaction may
 * or may not have been sent (OutcomeUnknownError).
 *
 * Why not `signer.sendTransaction`: Hardhat's signer polls for the sent transaction in a promise
 * that has no error path, so one failed poll over a flaky connection becomes an unhandled
 * rejection that kills the process (Hardhat's handler exits 1) instead of an error here.
 */
export async function sendOnce(signer: Signer, tx: { to: string; data: string; gasLimit?: bigint }): Promise<string> {
  try {
    if (signer instanceof BaseWallet) return (await signer.sendTransaction(tx)).hash;
    const provider = signer.provider as
      (Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> }) | null;
    if (!provider || typeof provider.send !== "function") return (await signer.sendTransaction(tx)).hash;
    // With a gas limit the node (or Hardhat's local signer) does not estimate: estimating a
    // 2,500-line payout costs the node as much as executing it.
    const gas = tx.gasLimit === undefined ? {} : { gas: toQuantity(tx.gasLimit) };
    const hash = await provider.send("eth_sendTransaction", [
      { from: await signer.getAddress(), to: tx.to, data: tx.data, ...gas },
    ]);
    if (typeof hash !== "string")
      throw new Error(`eth_sendTransaction answered ${JSON.stringify(hash)}, not a transaction hash`);
    return hash;
  } catch (error) {
    const reason = transientReason(error);
    if (reason === undefined) throw error;
    throw new OutcomeUnknownError(
      `sending the transaction failed (${reason}); it may or may not have reached the node`,
      undefined,
      { cause: error },
    );
  }
}

/** What a sender needs of a receipt: the transaction, whether it succeeded, and the gas it used. */
export interface SentReceipt {
  hash: string;
  status: number;
  gasUsed: bigint;
  blockNumber: number;
}

type RawSender = { send?: (method: string, params: unknown[]) => Promise<unknown> };

/**
 * The receipt of `hash`, or null while it is pending. Asked as raw JSON-RPC when the provider can:
 * a 2,500-line payout's receipt holds 2,500 logs (1.7 MB of JSON), which ethers' formatting of every
 * log turned from 30 ms into 100–500 ms — as long as the node takes to mine the payout.
 */
async function receiptOf(reads: Provider, hash: string): Promise<SentReceipt | null> {
  const send = (reads as RawSender).send;
  if (typeof send === "function") {
    const raw = (await send.call(reads, "eth_getTransactionReceipt", [hash])) as {
      transactionHash: string;
      status: string;
      gasUsed: string;
      blockNumber: string;
    } | null;
    return (
      raw && {
        hash: raw.transactionHash,
        status: Number(raw.status),
        gasUsed: BigInt(raw.gasUsed),
        blockNumber: Number(raw.blockNumber),
      }
    );
  }
  const r = await reads.getTransactionReceipt(hash);
  return r && { hash: r.hash, status: r.status ?? 0, gasUsed: r.gasUsed, blockNumber: r.blockNumber };
}

/** Whether the node knows transaction `hash` (pending or mined). */
async function isKnown(reads: Provider, hash: string): Promise<boolean> {
  const send = (reads as RawSender).send;
  if (typeof send === "function") return (await send.call(reads, "eth_getTransactionByHash", [hash])) !== null;
  return (await reads.getTransaction(hash)) !== null;
}

/**
 * Polls for the receipt of `hash` through `reads` (a retrying provider), up to `timeoutMs`. Throws
 * OutcomeUnknownError when the receipt cannot be read, when the node does not know the transaction
 * at all for `unknownAfterMs` (it restarted and lost it, or never got it), or on timeout; throws
 * TransactionRevertedError when it was mined and reverted.
 */
export async function waitForReceipt(
  reads: Provider,
  hash: string,
  options: { timeoutMs?: number; unknownAfterMs?: number } = {},
): Promise<SentReceipt> {
  const { timeoutMs = 300_000, unknownAfterMs = 5_000 } = options;
  const started = Date.now();
  let knownAt = started;
  for (let poll = 0; ; poll++) {
    let receipt: SentReceipt | null;
    try {
      receipt = await receiptOf(reads, hash);
      // Asked once a second at most: the answer carries the transaction's whole calldata.
      if (!receipt && Date.now() - knownAt > 1_000 && (await isKnown(reads, hash))) knownAt = Date.now();
    } catch (error) {
      const reason = transientReason(error);
      if (reason === undefined) throw error;
      throw new OutcomeUnknownError(
        `transaction ${hash} was sent, but its receipt could not be read (${reason})`,
        hash,
        { cause: error },
      );
    }
    if (receipt) {
      if (receipt.status !== 1) throw new TransactionRevertedError(hash, receipt.gasUsed);
      return receipt;
    }
    const now = Date.now();
    if (now - knownAt > unknownAfterMs) {
      throw new OutcomeUnknownError(`the node no longer knows transaction ${hash} (restarted or dropped it?)`, hash);
    }
    if (now - started > timeoutMs)
      throw new OutcomeUnknownError(`transaction ${hash} has no receipt after ${timeoutMs / 1000} s`, hash);
    // 10, 20, 40 … ms, at most 500: a local node mines at once, a consortium chain every few seconds.
    await sleep(Math.min(500, 10 * 2 ** Math.min(poll, 6)));
  }
}
