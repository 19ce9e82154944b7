/**
 * What a failure of a call to the node means: a transient failure of the connection (the network,
 * a gateway, a timeout — worth retrying), or an answer (a revert, a JSON-RPC error from the node, a
 * bug here — never retried blindly). The one definition of "transient" for every tool: the senders
 * retry after reading the chain again, the indexer and the readers retry the call.
 */
import { describeError } from "../chain/errors.js";

/** Thrown when a transient failure outlasted its retries; still transient for an outer loop. */
export class RpcUnavailableError extends Error {
  constructor(
    readonly what: string,
    readonly attempts: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${what} failed${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${reason}`, options);
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
