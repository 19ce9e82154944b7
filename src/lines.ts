/**
 * Roster lines and their Merkle tree: the exact encoding the contracts verify
 * (contracts/libraries/LineLeaf.sol, LineTree.sol): OpenZeppelin StandardMerkleTree over
 * `(uint32 index, uint64 household, uint128 amount)`, leaves kept in line order so that a batch
 * of consecutive lines has a short multiproof. A payout batch sends its lines in ascending index
 * order and only the multiproof's hashes: the contract derives the proof flags from the indices.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256 } from "ethers";

/** One roster line: its position, the household's registry id, and the amount in fen. */
export interface RosterLine {
  index: number;
  household: bigint;
  amount: bigint;
}

/** A batch of lines with one multiproof, lines in the order the contract must receive them (ascending index). */
export interface LineBatch {
  lines: RosterLine[];
  proof: string[];
}

export const LINE_ENCODING = ["uint32", "uint64", "uint128"] as const;

type LineValue = [number, bigint, bigint];
export type LineTree = StandardMerkleTree<LineValue>;

/** Builds the tree of a roster. Line `i` must have index `i`. */
export function buildLineTree(lines: readonly RosterLine[]): LineTree {
  lines.forEach((line, i) => {
    if (line.index !== i) throw new Error(`line ${i} has index ${line.index}; lines must be numbered 0, 1, 2, …`);
  });
  return StandardMerkleTree.of(
    lines.map((l): LineValue => [l.index, l.household, l.amount]),
    [...LINE_ENCODING],
    { sortLeaves: false },
  );
}

/** A line in one word, as `recordPayouts` takes it (contracts/libraries/LinePacking.sol). */
export function packLine(line: RosterLine): bigint {
  if (line.index < 0 || line.index >= 2 ** 32) throw new RangeError(`line index ${line.index} does not fit 32 bits`);
  if (line.household < 0n || line.household >= 2n ** 64n) throw new RangeError(`household ${line.household} does not fit 64 bits`);
  if (line.amount < 0n || line.amount >= 2n ** 128n) throw new RangeError(`amount ${line.amount} does not fit 128 bits`);
  return (BigInt(line.index) << 192n) | (line.household << 128n) | line.amount;
}

/** The leaf hash of one line, as the contracts compute it (LineLeaf.hashOf). */
export function leafHash(line: RosterLine): string {
  return keccak256(keccak256(encodeLine(line)));
}

/**
 * `abi.encode(uint32 index, uint64 household, uint128 amount)`, the three words written directly:
 * the ABI coder's per-call set-up dominated hashing 10^5 leaves (an indexer's cold run).
 */
function encodeLine(line: RosterLine): Uint8Array {
  const words = new Uint8Array(96);
  putUint(words, 0, BigInt(line.index), 32, "index");
  putUint(words, 32, line.household, 64, "household");
  putUint(words, 64, line.amount, 128, "amount");
  return words;
}

function putUint(words: Uint8Array, offset: number, value: bigint, bits: number, name: string): void {
  if (value < 0n || value >= 1n << BigInt(bits)) throw new RangeError(`line ${name} ${value} does not fit uint${bits}`);
  let v = value;
  for (let i = offset + 31; v > 0n; i--) {
    words[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/**
 * A recorded payout batch as returnPayouts and requestReversal take it: the batch id from the
 * PayoutBatchRecorded event and the lines it paid, packed, in the order it paid them.
 */
export interface PaidBatch {
  batchId: number;
  packedLines: bigint[];
}

export function paidBatch(batchId: number, paidLines: readonly RosterLine[]): PaidBatch {
  return { batchId, packedLines: paidLines.map(packLine) };
}

/** The hash the contract stores for a batch: keccak256 of its packed lines, in order. */
export function batchHash(paidLines: readonly RosterLine[]): string {
  const words = new Uint8Array(32 * paidLines.length);
  paidLines.forEach((line, i) => putUint(words, 32 * i, packLine(line), 256, "packed line"));
  return keccak256(words);
}

/** Where line `index` sits in a paid batch. */
export function positionIn(paidLines: readonly RosterLine[], index: number): number {
  const position = paidLines.findIndex((l) => l.index === index);
  if (position < 0) throw new Error(`line ${index} is not in this payout batch`);
  return position;
}

/** The single proof of line `index`. */
export function lineProof(tree: LineTree, index: number): string[] {
  return tree.getProof(index);
}

/**
 * One multiproof for the lines at `indices`, with the lines in ascending index order as the
 * contract requires. OpenZeppelin's `getMultiProof` orders the leaves by descending tree position,
 * which for a tree in line order is ascending index; its proof flags are not sent (the contract
 * derives them, see contracts/libraries/LineTree.sol).
 */
export function batchProof(tree: LineTree, indices: readonly number[]): LineBatch {
  const { leaves, proof } = tree.getMultiProof([...indices]);
  const lines = leaves.map(([index, household, amount]) => ({
    index: Number(index),
    household: BigInt(household),
    amount: BigInt(amount),
  }));
  lines.forEach((line, i) => {
    if (i > 0 && line.index <= lines[i - 1]!.index) throw new Error(`batch lines are not in ascending order at line ${line.index}`);
  });
  return { lines, proof };
}
