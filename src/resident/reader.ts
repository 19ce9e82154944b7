/**
 * How one lookup reads the node: views pinned to its last block, logs read in windows that every
 * scan of the lookup shares (./logs.ts), each block's time asked for once, and a few calls in
 * flight at a time. Browser-safe (ethers only).
 */
import type { Interface, Log, Provider } from "ethers";
import { toBeHex, zeroPadValue } from "ethers";

import { ENUM_NAMES } from "../chain/states.js";
import { type LogWindow, scanLogs } from "./logs.js";
import type { ChainRef, ScanReport } from "./records.js";

/** What a lookup needs of a node: views, logs, block times. An ethers Provider (or Hardhat's) has them. */
export type ChainReader = Pick<Provider, "call" | "getLogs" | "getBlock" | "getBlockNumber">;

export const topic = (iface: Interface, event: string) => iface.getEvent(event)!.topicHash;
/** A number as a 32-byte topic. */
export const word = (value: bigint | number) => zeroPadValue(toBeHex(value), 32);
export const enumName = <K extends keyof typeof ENUM_NAMES>(kind: K, value: unknown) =>
  ENUM_NAMES[kind][Number(value)] as (typeof ENUM_NAMES)[K][number];
export const big = (value: unknown) => BigInt(value as bigint);
export const uniq = <T>(values: Iterable<T>) => [...new Set(values)];

/** The node as one lookup reads it: logs from `fromBlock`, views and logs up to `toBlock`. */
export class PinnedReader {
  private readonly times = new Map<number, Promise<number>>();

  constructor(
    private readonly reader: ChainReader,
    private readonly window: LogWindow,
    readonly fromBlock: number,
    readonly toBlock: number,
  ) {}

  /** The blocks read and the eth_getLogs calls it took. */
  scanned(): ScanReport {
    return {
      fromBlock: this.fromBlock,
      toBlock: this.toBlock,
      logCalls: this.window.calls,
      refusals: this.window.refusals,
    };
  }

  /** The (first) value a view returns at `toBlock`. */
  async view(iface: Interface, to: string, fn: string, args: unknown[]): Promise<unknown> {
    const data = await this.reader.call({ to, data: iface.encodeFunctionData(fn, args), blockTag: this.toBlock });
    return iface.decodeFunctionResult(fn, data)[0] as unknown;
  }

  /** A view's struct as a plain object (its nested structs too). */
  async record(iface: Interface, to: string, fn: string, args: unknown[]): Promise<Record<string, unknown>> {
    const value = await this.view(iface, to, fn, args);
    return (value as { toObject(deep?: boolean): Record<string, unknown> }).toObject(true);
  }

  /** The logs of `address` matching `topics` from `from` to `to` (none if the range is empty). */
  scan(address: string, topics: Array<string | string[] | null>, from = this.fromBlock, to = this.toBlock) {
    return from > to
      ? Promise.resolve([] as Log[])
      : scanLogs(this.reader, { address, topics, fromBlock: from, toBlock: to }, this.window);
  }

  /** A block's time (Unix seconds), asked for once. */
  timeOf(block: number): Promise<number> {
    let t = this.times.get(block);
    if (!t) {
      t = this.reader.getBlock(block).then((b) => {
        if (!b) throw new Error(`the node has no block ${block}`);
        return b.timestamp;
      });
      this.times.set(block, t);
    }
    return t;
  }

  async refOf(log: Log): Promise<ChainRef> {
    return {
      block: log.blockNumber,
      time: await this.timeOf(log.blockNumber),
      tx: log.transactionHash,
      logIndex: log.index,
    };
  }

  /** Asks for the times of all these logs' blocks at once (loops then await them one by one). */
  async prefetchTimes(...groups: Log[][]): Promise<void> {
    await Promise.all(uniq(groups.flat().map((l) => l.blockNumber)).map((block) => this.timeOf(block)));
  }
}
