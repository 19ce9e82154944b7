/**
 * The incremental indexer: reads every log of the suite's contracts with eth_getLogs in block
 * ranges, from the block after the last one indexed up to `latest - confirmations`, and stores each
 * range in one SQLite transaction together with the new last-indexed block. An interrupted run
 * therefore leaves the database at the end of its last whole range, and the next run goes on from
 * there; rows are keyed by (block, log index) and inserted with INSERT OR IGNORE, so nothing is ever
 * counted twice. Needs no signing key: only eth_chainId, eth_blockNumber, eth_getLogs,
 * eth_getBlockByNumber and eth_getTransactionByHash.
 */
import type { SuiteAddresses } from "../suite.js";
import type { IndexDatabase } from "./database.js";
import { decoderFor } from "./decode.js";
import { mapLimit } from "../async.js";
import { errorTexts, type RetryPolicy, withRetries } from "../transport/index.js";
import {
  blockNumberOf,
  type BlockHeader,
  chainIdOf,
  classifyError,
  DEFAULT_RANGE,
  errorMessage,
  getLogs,
  headerOf,
  INDEX_RETRY,
  indexRetry,
  type JsonRpc,
  MissingBlockError,
  RangeSizer,
  type RangeOptions,
  type RawLog,
  senderOf,
  suggestedSpan,
} from "./rpc.js";
import { EventStore, type StoreCounts } from "./store.js";
import { addLineSums } from "./line-sums.js";

export interface IndexOptions {
  rpc: JsonRpc;
  db: IndexDatabase;
  addresses: SuiteAddresses;
  /** Blocks below the chain head left unread (default 0: QBFT blocks are final when sealed). */
  confirmations?: number;
  /** First block to read into a new database (default 0). Ignored once the database has blocks. */
  fromBlock?: number;
  /** Last block to read (default: latest − confirmations). */
  toBlock?: number;
  range?: Partial<RangeOptions>;
  retry?: Partial<RetryPolicy>;
  /** Header and transaction look-ups in flight at once. */
  concurrency?: number;
  onProgress?: (progress: IndexProgress) => void;
  /** Told about each retry and each range shrink (for a verbose log). */
  onNotice?: (text: string) => void;
}

export interface IndexProgress {
  from: number;
  to: number;
  target: number;
  events: number;
  rangeSize: number;
}

export interface IndexReport {
  chainId: bigint;
  /** First block read by this run (null when it had nothing to read). */
  fromBlock: number | null;
  /** The last indexed block after this run. */
  toBlock: number;
  /** The block it read up to: latest − confirmations. */
  target: number;
  confirmations: number;
  blocks: number;
  events: number;
  eventsByName: Record<string, number>;
  /** New findings of the index-time checks (batch hashes and totals). */
  issues: number;
  ranges: number;
  rangeShrinks: number;
  retries: number;
  rangeSize: number;
  seconds: number;
}

/** The run stopped; what is indexed stays, and the next run continues after it. */
export class IndexStoppedError extends Error {
  constructor(
    readonly lastIndexed: number,
    readonly failedFrom: number,
    readonly failedTo: number,
    readonly cause: unknown,
  ) {
    super(
      `indexing stopped at blocks ${failedFrom}…${failedTo}: ${errorMessage(cause)}. ` +
        (lastIndexed >= 0
          ? `Blocks up to ${lastIndexed} are indexed and kept; the next run continues from block ${lastIndexed + 1}.`
          : `Nothing is indexed yet; the next run starts again from block ${failedFrom}.`),
    );
    this.name = "IndexStoppedError";
  }
}

/** How an answer that is not JSON shows in ethers' and Hardhat's errors. */
const NOT_JSON = /not valid JSON|Unexpected end of JSON|Unexpected token|invalid json response/i;

export async function updateIndex(options: IndexOptions): Promise<IndexReport> {
  const started = performance.now();
  const { rpc, db } = options;
  const retry = indexRetry({ ...INDEX_RETRY, ...options.retry }, (n) => {
    retries++;
    notice(`${n.what}: retry ${n.attempt} after ${n.reason}`);
  });
  const sizer = new RangeSizer({ ...DEFAULT_RANGE, ...options.range });
  const confirmations = options.confirmations ?? 0;
  if (!Number.isInteger(confirmations) || confirmations < 0)
    throw new Error("confirmations must be a whole number of blocks, 0 or more");
  const concurrency = options.concurrency ?? 8;
  let retries = 0;
  let shrinks = 0;
  const notice = (text: string) => options.onNotice?.(text);

  const chainId = await chainIdOf(rpc, retry);
  db.bind({ chainId, addresses: options.addresses });
  const decoder = decoderFor(options.addresses);
  const store = new EventStore(db);

  // The chain must still hold the block we stopped at: a changed hash means a reorganisation below
  // our head (impossible under QBFT, possible on a chain with probabilistic finality).
  const head = db.head();
  if (head.block >= 0 && head.hash) {
    const now = await headerOf(rpc, retry, head.block).catch((error: unknown) => {
      if (!(error instanceof MissingBlockError)) throw error;
      throw new Error(
        `block ${head.block}, the last one indexed, is not on this chain (${errorMessage(error)}): the chain was reset or reorganised below the indexed head. ` +
          `Index into a new --db file.`,
      );
    });
    if (now.hash !== head.hash) {
      throw new Error(
        `block ${head.block} has hash ${now.hash} now, but ${head.hash} when it was indexed: the chain reorganised below the indexed head. ` +
          `Index into a new --db file, with --confirmations large enough for this chain's finality.`,
      );
    }
  }

  const latest = await blockNumberOf(rpc, retry);
  const target = Math.min(options.toBlock ?? Number.MAX_SAFE_INTEGER, latest - confirmations);
  let from = head.block >= 0 ? head.block + 1 : Math.max(0, options.fromBlock ?? 0);
  const firstFrom = from <= target ? from : null;
  const report: IndexReport = {
    chainId,
    fromBlock: firstFrom,
    toBlock: head.block,
    target,
    confirmations,
    blocks: 0,
    events: 0,
    eventsByName: {},
    issues: 0,
    ranges: 0,
    rangeShrinks: 0,
    retries: 0,
    rangeSize: sizer.size,
    seconds: 0,
  };

  /** One range read from the node: its logs, the headers of their blocks (and of `to`), and the senders. */
  interface Fetched {
    from: number;
    to: number;
    logs: RawLog[];
    headers: BlockHeader[];
    senders: Array<[string, string, number]>;
  }
  class TooLarge extends Error {
    constructor(readonly cause: unknown) {
      super(errorMessage(cause));
    }
  }
  const fetchRange = async (from: number, to: number): Promise<Fetched> => {
    let logs: RawLog[];
    try {
      logs = await withRetries(`eth_getLogs ${from}…${to}`, () => getLogs(rpc, decoder.addresses, from, to), retry);
    } catch (error) {
      if (classifyError(error) === "too-large") throw new TooLarge(error);
      // An answer that is not JSON at all (empty, or cut off): seen from anvil for an eth_getLogs of
      // hundreds of thousands of logs. A smaller range is the cure; if it was not the size, the range
      // shrinks to one block and the run stops there, naming the failure.
      if (NOT_JSON.test(errorTexts(error))) throw new TooLarge(error);
      throw error;
    }
    const live = logs.filter((l) => !l.removed);
    const blockNumbers = [...new Set([...live.map((l) => Number.parseInt(l.blockNumber, 16)), to])];
    const headers = await mapLimit(blockNumbers, concurrency, (n) => headerOf(rpc, retry, n));
    const txs = new Map<string, number>();
    for (const l of live) txs.set(l.transactionHash.toLowerCase(), Number.parseInt(l.blockNumber, 16));
    const senders = await mapLimit(
      [...txs],
      concurrency,
      async ([hash, block]) => [hash, await senderOf(rpc, retry, hash), block] as [string, string, number],
    );
    return { from, to, logs: live, headers, senders };
  };
  // The next range is fetched while the current one is decoded and stored (SQLite is synchronous:
  // without this the node would sit idle during every store). A no-op catch marks the promise as
  // handled; its failure still surfaces where it is awaited.
  const start = (from: number): Promise<Fetched> => {
    const fetched = fetchRange(from, Math.min(target, from + sizer.size - 1));
    fetched.catch(() => {});
    return fetched;
  };

  let pending = from <= target ? start(from) : undefined;
  while (pending) {
    let range: Fetched;
    try {
      range = await pending;
    } catch (error) {
      const to = Math.min(target, from + sizer.size - 1);
      if (error instanceof TooLarge) {
        const before = sizer.size;
        if (sizer.shrink(suggestedSpan(error.cause))) {
          shrinks++;
          notice(
            `eth_getLogs ${from}…${to} was too large for the provider (${error.message}); ranges of ${sizer.size} blocks now (were ${before})`,
          );
          pending = start(from);
          continue;
        }
        throw new IndexStoppedError(
          from - 1,
          from,
          to,
          new Error(`block ${from} alone holds more logs than the provider returns in one call (${error.message})`),
        );
      }
      throw new IndexStoppedError(from - 1, from, to, error);
    }
    sizer.succeeded();
    const next = range.to + 1;
    pending = next <= target ? start(next) : undefined;

    const { headers, senders } = range;
    const decoded = range.logs
      .map((l) => decoder.decode(l))
      .sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
    const last = headers.find((h) => h.number === range.to)!;
    let counts: StoreCounts;
    try {
      counts = db.transaction(() => {
        const block = db.db.prepare("INSERT OR IGNORE INTO blocks (number, time, hash) VALUES (?, ?, ?)");
        for (const h of headers) block.run(h.number, h.time, h.hash);
        const tx = db.db.prepare("INSERT OR IGNORE INTO txs (hash, block, sender) VALUES (?, ?, ?)");
        for (const [hash, sender, at] of senders) tx.run(hash, at, sender);
        const c = store.storeRange(decoded);
        addLineSums(db, range.to);
        // The marker moves in the same transaction as the rows: both are stored, or neither.
        db.setMeta("last_block", String(range.to));
        db.setMeta("last_block_hash", last.hash);
        db.setMeta("last_block_time", String(last.time));
        return c;
      });
    } catch (error) {
      throw new IndexStoppedError(range.from - 1, range.from, range.to, error);
    }

    report.ranges++;
    report.blocks += range.to - range.from + 1;
    report.events += counts.events;
    report.issues += counts.issues;
    for (const [name, n] of counts.byName) report.eventsByName[name] = (report.eventsByName[name] ?? 0) + n;
    report.toBlock = range.to;
    options.onProgress?.({ from: range.from, to: range.to, target, events: report.events, rangeSize: sizer.size });
    from = next;
  }

  report.rangeShrinks = shrinks;
  report.retries = retries;
  report.rangeSize = sizer.size;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
