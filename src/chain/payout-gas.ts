/**
 * The gas model of a payout transaction: what `recordPayouts` costs at most for a batch of lines,
 * how a run's lines are cut into chunks that fit one transaction, and the chain's limit per
 * transaction. The model is measured with `npm run bench:gas` (BENCHMARKS.md) and held above the
 * real cost, for batches of every shape, by test/ts/payout-gas.test.ts.
 */
import type { Provider } from "ethers";

import { type RosterLine, seqText } from "../lines.js";

/**
 * The most gas a payout transaction may use, as a cost model: measured with `npm run bench:gas`
 * (BENCHMARKS.md) and held above the real cost, for batches of every shape, by
 * test/ts/payout-gas.test.ts. Sending with this limit spares the node an estimate, which costs it as
 * much as executing the payout; and chunks are cut by it, so that a batch of scattered households
 * (a new word for each) stays under the transaction cap.
 */
export const PAYOUT_GAS = {
  /** Per transaction: intrinsic gas, three access checks, roster and ledger accounting, the batch hash and events (about 171,000 in all for a one-line batch). */
  transaction: 240_000n,
  /** Per line: 32 bytes of calldata, its checks, its PayoutRecorded event, its leaf and a proof step (about 3,650 beside the terms below). */
  line: 4_200n,
  /** Per word of 256 paid bits the batch touches: read, and written from zero at worst. */
  lineWord: 25_000n,
  /** Per word of 256 households the batch touches: the suspended word read, the paid word read and written from zero at worst. */
  householdWord: 30_000n,
  /** Per hold word of 128 lines read (only while some line of the roster is frozen or excluded). */
  holdWord: 4_000n,
  /** Per proof hash: 32 bytes of calldata and a hash step. */
  proofHash: 800n,
} as const;

/** The payout's memory: its proof's work queue is two words a line (quadratic memory pricing). */
function memoryGas(lines: number): bigint {
  const words = BigInt(2 * lines + 64);
  return 3n * words + (words * words) / 512n;
}

/** What a batch touches, kept as lines are added to it, and the gas bound that follows. */
class BatchCost {
  readonly lines: RosterLine[] = [];
  private readonly lineWords = new Set<number>();
  private readonly holdWords = new Set<number>();
  private readonly householdWords = new Set<bigint>();
  /** Runs of consecutive line indices. */
  runs = 0;

  constructor(private readonly anyLineHeld: boolean) {}

  add(line: RosterLine): void {
    const last = this.lines[this.lines.length - 1];
    if (!last || line.index !== last.index + 1) this.runs++;
    this.lines.push(line);
    this.lineWords.add(line.index >>> 8);
    this.holdWords.add(line.index >>> 7);
    this.householdWords.add(line.household >> 8n);
  }

  bound(proofHashes: number): bigint {
    return (
      PAYOUT_GAS.transaction +
      PAYOUT_GAS.line * BigInt(this.lines.length) +
      PAYOUT_GAS.lineWord * BigInt(this.lineWords.size) +
      PAYOUT_GAS.householdWord * BigInt(this.householdWords.size) +
      (this.anyLineHeld ? PAYOUT_GAS.holdWord * BigInt(this.holdWords.size) : 0n) +
      PAYOUT_GAS.proofHash * BigInt(proofHashes) +
      memoryGas(this.lines.length)
    );
  }
}

/** An upper bound on the gas of `recordPayouts` for `lines` (ascending) with `proofHashes` proof hashes. */
export function payoutGasBound(lines: readonly RosterLine[], proofHashes: number, anyLineHeld: boolean): bigint {
  const cost = new BatchCost(anyLineHeld);
  for (const line of lines) cost.add(line);
  return cost.bound(proofHashes);
}

/** The transaction gas cap of EIP-7825. */
export const TX_GAS_CAP = 16_777_216n;

/**
 * Cuts `lines` (ascending) into chunks of at most `maxLines` lines whose gas bound stays within
 * `maxGas`. The proof's size is not known until a chunk is chosen, so it is bounded here by two
 * sibling paths (`depth` hashes each) per run of consecutive lines.
 */
export function chunkLines(
  lines: readonly RosterLine[],
  maxLines: number,
  maxGas: bigint,
  depth: number,
  anyLineHeld: boolean,
): RosterLine[][] {
  const chunks: RosterLine[][] = [];
  let cost = new BatchCost(anyLineHeld);
  for (const line of lines) {
    cost.add(line);
    if (cost.lines.length > maxLines || cost.bound(2 * depth * cost.runs) > maxGas) {
      const full = cost.lines.slice(0, -1);
      if (full.length === 0) throw new Error(`${seqText(line.index)} alone would need more than ${maxGas} gas`);
      chunks.push(full);
      cost = new BatchCost(anyLineHeld);
      cost.add(line);
    }
  }
  if (cost.lines.length > 0) chunks.push(cost.lines);
  return chunks;
}

/** The most gas one transaction may use on the chain `provider` reads: the block gas limit or the EIP-7825 cap, the lower. */
export async function transactionGasLimit(provider: Pick<Provider, "getBlock">): Promise<bigint> {
  const latest = await provider.getBlock("latest");
  return latest && latest.gasLimit < TX_GAS_CAP ? latest.gasLimit : TX_GAS_CAP;
}

/** The chunks a run sends `lines` (ascending) in, for a roster tree of `treeLines` lines. */
export function payoutChunks(
  lines: readonly RosterLine[],
  treeLines: number,
  options: { chunkSize: number; maxGas?: bigint; anyLineHeld: boolean },
): RosterLine[][] {
  // A proof path has one hash per level of the tree.
  const depth = Math.ceil(Math.log2(Math.max(2, treeLines))) + 1;
  return chunkLines(lines, options.chunkSize, options.maxGas ?? TX_GAS_CAP, depth, options.anyLineHeld);
}
