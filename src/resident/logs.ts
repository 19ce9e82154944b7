/**
 * Reading event logs in bounded block ranges. Nodes refuse or time out on an eth_getLogs over too
 * many blocks (Besu's --rpc-max-logs-range defaults to 5,000; hosted nodes cap results), so every
 * scan walks the range in windows and halves the window when the node refuses one, down to a single
 * block; after a run of successes it grows again, up to the configured maximum. The learned window
 * is shared by every scan of one lookup, so the first refusal teaches them all.
 */
import type { Log, Provider, TopicFilter } from "ethers";

export interface LogWindow {
  /** Blocks per eth_getLogs call right now. */
  size: number;
  /** Never more than this. */
  max: number;
  /** Calls made and refusals met, for diagnostics. */
  calls: number;
  refusals: number;
}

export const DEFAULT_LOG_WINDOW = 5_000;

export function logWindow(max = DEFAULT_LOG_WINDOW): LogWindow {
  if (!Number.isSafeInteger(max) || max < 1)
    throw new RangeError(`log window must be a whole number of blocks ≥ 1, got ${max}`);
  return { size: max, max, calls: 0, refusals: 0 };
}

export interface LogQuery {
  address: string | string[];
  topics: TopicFilter;
  fromBlock: number;
  toBlock: number;
}

/** All logs matching `query`, in chain order, read window by window. */
export async function scanLogs(
  provider: Pick<Provider, "getLogs">,
  query: LogQuery,
  window: LogWindow,
): Promise<Log[]> {
  const out: Log[] = [];
  let from = query.fromBlock;
  let streak = 0;
  while (from <= query.toBlock) {
    const to = Math.min(query.toBlock, from + window.size - 1);
    let logs: Log[];
    try {
      window.calls++;
      logs = await provider.getLogs({ address: query.address, topics: query.topics, fromBlock: from, toBlock: to });
    } catch (error) {
      window.refusals++;
      if (to === from) {
        throw new Error(
          `the node refused to return the logs of block ${from}: ${(error as Error).message ?? String(error)}`,
          { cause: error },
        );
      }
      window.size = Math.max(1, Math.floor((to - from + 1) / 2));
      streak = 0;
      continue;
    }
    out.push(...logs);
    from = to + 1;
    if (++streak >= 4 && window.size < window.max) {
      window.size = Math.min(window.max, window.size * 2);
      streak = 0;
    }
  }
  return out.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
}
