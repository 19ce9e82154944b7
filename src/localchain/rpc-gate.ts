/**
 * What the local chain's front (src/localchain/supervisor.ts) does with each JSON-RPC request so
 * that a client never sees a block that is not yet in a snapshot on disk — a block a crash could
 * still take away:
 *
 * - "latest" (and "safe", "finalized", or no block at all) means the newest saved block;
 *   eth_blockNumber is that block; eth_getLogs ranges end there.
 * - An answer that names a newer block (a receipt, a transaction, a log, a block) is held until a
 *   snapshot covers that block.
 * - Writes (sends, evm_*, anvil_*) wait while a snapshot is taken, so that each snapshot is one
 *   instant; the answer to a write other than a send (evm_mine, evm_increaseTime, …) waits for the
 *   next snapshot. A send's answer, a transaction hash, promises nothing and is not held.
 *
 * "pending" stays the node's: nonces for new transactions are counted from it.
 */

export type Kind = "read" | "send" | "write" | "rewind";

const SENDS = new Set([
  "eth_sendTransaction",
  "eth_sendRawTransaction",
  "eth_sendTransactionSync",
  "eth_sendRawTransactionSync",
]);
/** Writes after which the chain may be shorter than before. */
const REWINDS = new Set([
  "evm_revert",
  "anvil_revert",
  "anvil_reset",
  "hardhat_reset",
  "anvil_rollback",
  "anvil_loadState",
]);
/** anvil_/evm_ methods that change nothing. */
const QUIET = new Set([
  "anvil_nodeInfo",
  "anvil_metadata",
  "anvil_dumpState",
  "evm_snapshot",
  "anvil_snapshot",
  "anvil_getAutomine",
  "hardhat_getAutomine",
]);

export function kindOf(method: string): Kind {
  if (SENDS.has(method)) return "send";
  if (REWINDS.has(method)) return "rewind";
  if (QUIET.has(method)) return "read";
  return /^(evm|anvil|hardhat)_/.test(method) ? "write" : "read";
}

/** Where a method takes its block (number, tag or EIP-1898 object). */
const BLOCK_PARAM: Record<string, number> = {
  eth_getBalance: 1,
  eth_getCode: 1,
  eth_getTransactionCount: 1,
  eth_getStorageAt: 2,
  eth_getProof: 2,
  eth_getAccount: 1,
  eth_call: 1,
  eth_createAccessList: 1,
  eth_feeHistory: 1,
  eth_getBlockByNumber: 0,
  eth_getBlockTransactionCountByNumber: 0,
  eth_getTransactionByBlockNumberAndIndex: 0,
  eth_getUncleCountByBlockNumber: 0,
  eth_getBlockReceipts: 0,
};

/** Answers that may name blocks, checked against the newest saved block before they are relayed. */
const NAMES_BLOCKS = new Set([
  "eth_getTransactionReceipt",
  "eth_getTransactionByHash",
  "eth_getBlockByHash",
  "eth_getBlockByNumber",
  "eth_getBlockReceipts",
  "eth_getTransactionByBlockHashAndIndex",
  "eth_getLogs",
  "eth_getFilterChanges",
  "eth_getFilterLogs",
  "eth_sendTransactionSync",
  "eth_sendRawTransactionSync",
]);

const LATEST = new Set(["latest", "safe", "finalized"]);
const hex = (n: number) => `0x${n.toString(16)}`;

export interface Plan {
  /** The request's params as forwarded. */
  params: unknown[];
  /** Answer this at once, without the node. */
  answer?: { result: unknown };
  /** Forward only once the newest saved block is at least this. */
  waitFor?: number;
  /** Hold the answer until the newest saved block covers every block it names. */
  scan: boolean;
}

/** How to forward a read, given the newest saved block `saved`. */
export function planRead(method: string, params: readonly unknown[], saved: number): Plan {
  const out = [...params];
  const scan = NAMES_BLOCKS.has(method);
  if (method === "eth_blockNumber") return { params: out, answer: { result: hex(saved) }, scan: false };
  if (method === "eth_getLogs") return planLogs(out, saved);
  const at = BLOCK_PARAM[method];
  if (at === undefined) return { params: out, scan };
  const tag = out[at];
  if (tag === "pending") return { params: out, scan: false };
  if (tag === undefined || tag === null || (typeof tag === "string" && LATEST.has(tag))) {
    while (out.length < at) out.push(null);
    out[at] = hex(saved);
    return { params: out, scan };
  }
  const asked =
    typeof tag === "string" && tag.startsWith("0x")
      ? Number(tag)
      : typeof tag === "object" && typeof (tag as { blockNumber?: unknown }).blockNumber === "string"
        ? Number((tag as { blockNumber: string }).blockNumber)
        : undefined;
  return asked !== undefined && asked > saved ? { params: out, waitFor: asked, scan } : { params: out, scan };
}

function planLogs(out: unknown[], saved: number): Plan {
  const filter = out[0] as { fromBlock?: string; toBlock?: string; blockHash?: string } | undefined;
  if (!filter || typeof filter !== "object" || filter.blockHash) return { params: out, scan: true };
  const bound = (tag: string | undefined) =>
    tag === undefined || LATEST.has(tag) || tag === "pending" ? saved : tag === "earliest" ? 0 : Number(tag);
  const from = bound(filter.fromBlock);
  const to = Math.min(bound(filter.toBlock), saved);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { params: out, scan: true };
  if (from > to) return { params: out, answer: { result: [] }, scan: false };
  out[0] = { ...filter, fromBlock: hex(from), toBlock: hex(to) };
  return { params: out, scan: false };
}

/** The newest block an answer names (receipts, transactions and logs by blockNumber, blocks by number). */
export function newestBlockIn(result: unknown, depth = 0): number | undefined {
  if (result === null || typeof result !== "object" || depth > 3) return undefined;
  let newest: number | undefined;
  const note = (n: number | undefined) => {
    if (n !== undefined && Number.isFinite(n) && (newest === undefined || n > newest)) newest = n;
  };
  if (Array.isArray(result)) {
    for (const item of result) note(newestBlockIn(item, depth + 1));
    return newest;
  }
  const record = result as Record<string, unknown>;
  if (typeof record.blockNumber === "string") note(Number(record.blockNumber));
  if (typeof record.number === "string" && typeof record.parentHash === "string") note(Number(record.number));
  for (const key of ["transactions", "logs"])
    if (Array.isArray(record[key])) note(newestBlockIn(record[key], depth + 1));
  return newest;
}
