/**
 * Roster lines and their Merkle tree: the exact encoding the contracts verify
 * (contracts/libraries/LineLeaf.sol, LineTree.sol): OpenZeppelin StandardMerkleTree over
 * `(uint32 index, uint64 household, uint128 amount)`, leaves kept in line order so that a batch
 * of consecutive lines has a short multiproof. A payout batch sends its lines in ascending index
 * order and only the multiproof's hashes: the contract derives the proof flags from the indices.
 *
 * The tree is OpenZeppelin's, node for node (the same array, root, proofs and multiproofs, and
 * `dump()` writes its `standard-v1` format, which `StandardMerkleTree.load` reads), but it is
 * built here over one byte array with hash-wasm's keccak: `@openzeppelin/merkle-tree` hashes
 * through hex strings and an ABI coder per leaf, which took 14 s to build a 100,000-line roster
 * and 0.3 s per 2,500-line multiproof — longer than paying them. test/ts/unit/lines.test.ts holds
 * this tree equal to OpenZeppelin's on random rosters.
 */
import { createKeccak } from "hash-wasm";

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

/**
 * A line as people name it: its 序号 in the published list, which counts from 1 (the index on
 * chain counts from 0). Every text meant for people names lines this way.
 */
export const seqOf = (index: number | bigint): number => Number(index) + 1;

/** `序号 5`, or `序号 5…9` for a run of lines given by their indices on chain. */
export function seqText(first: number | bigint, last: number | bigint = first): string {
  return Number(first) === Number(last) ? `序号 ${seqOf(first)}` : `序号 ${seqOf(first)}…${seqOf(last)}`;
}

export const LINE_ENCODING = ["uint32", "uint64", "uint128"] as const;

/** A line as OpenZeppelin's StandardMerkleTree holds it. */
export type LineValue = [number, bigint, bigint];

/** OpenZeppelin's StandardMerkleTree dump (`standard-v1`) of a roster tree. */
export interface LineTreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: Array<{ value: LineValue; treeIndex: number }>;
}

// One keccak-256 instance, reused: every call below runs to completion synchronously.
const hasher = await createKeccak(256);

function keccak(...parts: Uint8Array[]): Uint8Array {
  hasher.init();
  for (const part of parts) hasher.update(part);
  return hasher.digest("binary");
}

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;

/** -1, 0 or 1 as `a` sorts before, with or after `b` (bytewise, as OpenZeppelin compares hashes). */
function compare(a: Uint8Array, ao: number, b: Uint8Array, bo: number): number {
  for (let i = 0; i < 32; i++) {
    const d = a[ao + i]! - b[bo + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A roster's Merkle tree in OpenZeppelin's array layout: node 0 is the root, node `p` has children
 * `2p + 1` and `2p + 2`, and line `i` of `n` is node `2n - 2 - i`. Each node is 32 bytes of `nodes`.
 */
export class LineTree {
  private constructor(
    private readonly nodes: Uint8Array,
    private readonly lines: readonly RosterLine[],
  ) {}

  /** Builds the tree of a roster. Line `i` must have index `i`. */
  static of(lines: readonly RosterLine[]): LineTree {
    const n = lines.length;
    if (n === 0) throw new Error("a roster tree needs at least one line");
    const nodes = new Uint8Array((2 * n - 1) * 32);
    const size = 2 * n - 1;
    const words = new Uint8Array(96);
    lines.forEach((line, i) => {
      if (line.index !== i) throw new Error(`line ${i} has index ${line.index}; lines must be numbered 0, 1, 2, …`);
      encodeLine(line, words);
      nodes.set(keccak(keccak(words)), (size - 1 - i) * 32);
    });
    for (let p = size - 1 - n; p >= 0; p--) {
      const left = (2 * p + 1) * 32;
      const right = left + 32;
      const [a, b] = compare(nodes, left, nodes, right) <= 0 ? [left, right] : [right, left];
      nodes.set(keccak(nodes.subarray(a, a + 32), nodes.subarray(b, b + 32)), p * 32);
    }
    return new LineTree(nodes, lines);
  }

  get length(): number {
    return this.lines.length;
  }

  get root(): string {
    return this.node(0);
  }

  /** Node `p` of the tree array, as 0x-hex. */
  node(p: number): string {
    return hex(this.nodes.subarray(p * 32, p * 32 + 32));
  }

  /** The node of line `index`. */
  leafNode(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.lines.length) {
      throw new RangeError(`${seqText(index)} is not in this roster of ${this.lines.length} lines`);
    }
    return 2 * this.lines.length - 2 - index;
  }

  /** The line at `index`. */
  line(index: number): RosterLine {
    this.leafNode(index); // range check
    return this.lines[index]!;
  }

  /** The single proof of line `index` (OpenZeppelin's `getProof`): siblings from the leaf up. */
  getProof(index: number): string[] {
    const proof: string[] = [];
    for (let p = this.leafNode(index); p > 0; p = (p - 1) >> 1) proof.push(this.node(p % 2 === 1 ? p + 1 : p - 1));
    return proof;
  }

  /**
   * OpenZeppelin's `getMultiProof` for the lines at `indices`: the lines in the order the proof
   * consumes them (descending node, which is ascending index), the proof hashes and the flags.
   */
  getMultiProof(indices: readonly number[]): { indices: number[]; proof: string[]; proofFlags: boolean[] } {
    const sorted = [...indices].sort((a, b) => a - b);
    if (sorted.length === 0) throw new Error("a multiproof needs at least one line");
    sorted.forEach((index, k) => {
      if (k > 0 && index === sorted[k - 1]) throw new Error(`${seqText(index)} is twice in the batch`);
    });
    // The queue of nodes, largest first; parents are appended, and it stays sorted.
    const queue = sorted.map((i) => this.leafNode(i));
    const proof: string[] = [];
    const proofFlags: boolean[] = [];
    for (let head = 0; head < queue.length && queue[head]! > 0;) {
      const p = queue[head++]!;
      const sibling = p % 2 === 1 ? p + 1 : p - 1;
      if (queue[head] === sibling) {
        proofFlags.push(true);
        head++;
      } else {
        proofFlags.push(false);
        proof.push(this.node(sibling));
      }
      queue.push((p - 1) >> 1);
    }
    return { indices: sorted, proof, proofFlags };
  }

  /**
   * The frontier that listing the first `count` lines on chain leaves (contracts/libraries/
   * LineTreeBuilder.sol): the nodes still waiting for a sibling, as pairs of words (node number,
   * hash), ascending by node. Empty before the first line and after the last.
   */
  frontier(count: number): string[] {
    const n = this.lines.length;
    if (!Number.isInteger(count) || count < 0 || count > n)
      throw new RangeError(`cannot list ${count} lines of a roster of ${n}`);
    const waiting = listingFrontierNodes(n, count);
    return waiting.flatMap((node) => [`0x${node.toString(16).padStart(64, "0")}`, this.node(node)]);
  }

  /** keccak256 of `frontier(count)`, as the contract stores it (`RosterLines.listing`). */
  frontierHash(count: number): string {
    const words = this.frontier(count).map((w) => Buffer.from(w.slice(2), "hex"));
    return hex(keccak(...words));
  }

  /** OpenZeppelin's dump format (`standard-v1`): `StandardMerkleTree.load` reads it. */
  dump(): LineTreeDump {
    const size = 2 * this.lines.length - 1;
    return {
      format: "standard-v1",
      leafEncoding: [...LINE_ENCODING],
      tree: Array.from({ length: size }, (_, p) => this.node(p)),
      values: this.lines.map((l, i) => ({ value: [l.index, l.household, l.amount], treeIndex: size - 1 - i })),
    };
  }
}

/**
 * The nodes waiting for a sibling after the first `count` of `n` lines were listed, ascending: the
 * node numbers of LineTreeBuilder's frontier, found by running its algorithm on node numbers alone.
 * Per depth, a left child (odd node) waits for a right sibling that comes later, and a right child
 * (even node) for the left sibling that arrives next at its depth.
 */
export function listingFrontierNodes(n: number, count: number): number[] {
  const left = new Map<number, number>();
  const right = new Map<number, number>();
  const depthOf = (node: number) => {
    let depth = 0;
    for (let x = node + 1; x > 1; x = Math.floor(x / 2)) depth++;
    return depth;
  };
  for (let i = 0; i < count; i++) {
    let node = 2 * n - 2 - i;
    let depth = depthOf(node);
    while (node !== 0) {
      if (node % 2 === 1) {
        if (right.get(depth) !== node + 1) {
          left.set(depth, node);
          break;
        }
        right.delete(depth);
        node = (node - 1) / 2;
      } else {
        if (left.get(depth) !== node - 1) {
          right.set(depth, node);
          break;
        }
        left.delete(depth);
        node = (node - 2) / 2;
      }
      depth--;
    }
  }
  return [...left.values(), ...right.values()].sort((a, b) => a - b);
}

/** Builds the tree of a roster. Line `i` must have index `i`. */
export function buildLineTree(lines: readonly RosterLine[]): LineTree {
  return LineTree.of(lines);
}

/** A line in one word, as `recordPayouts` takes it (contracts/libraries/LinePacking.sol). */
export function packLine(line: RosterLine): bigint {
  if (line.index < 0 || line.index >= 2 ** 32) throw new RangeError(`line index ${line.index} does not fit 32 bits`);
  if (line.household < 0n || line.household >= 2n ** 64n)
    throw new RangeError(`household ${line.household} does not fit 64 bits`);
  if (line.amount < 0n || line.amount >= 2n ** 128n)
    throw new RangeError(`amount ${line.amount} does not fit 128 bits`);
  return (BigInt(line.index) << 192n) | (line.household << 128n) | line.amount;
}

/**
 * Lines as `RosterLines.submitLines` takes them: 16 bytes a line, the household id then the amount
 * in fen, each a big-endian uint64 (the index is the position). 0x-hex.
 */
export function listingRecords(lines: readonly RosterLine[]): string {
  const bytes = Buffer.alloc(16 * lines.length);
  lines.forEach((line, k) => {
    if (line.household <= 0n || line.household >= 2n ** 64n)
      throw new RangeError(`${seqText(line.index)}: household ${line.household} does not fit 64 bits`);
    if (line.amount <= 0n || line.amount >= 2n ** 64n)
      throw new RangeError(`${seqText(line.index)}: amount ${line.amount} fen does not fit 64 bits`);
    bytes.writeBigUInt64BE(line.household, 16 * k);
    bytes.writeBigUInt64BE(line.amount, 16 * k + 8);
  });
  return `0x${bytes.toString("hex")}`;
}

/** The leaf hash of one line, as the contracts compute it (LineLeaf.hashOf). */
export function leafHash(line: RosterLine): string {
  return hex(keccak(keccak(encodeLine(line, new Uint8Array(96)))));
}

/**
 * `abi.encode(uint32 index, uint64 household, uint128 amount)` into `words` (96 bytes), the three
 * words written directly: the ABI coder's per-call set-up dominated hashing 10^5 leaves.
 */
function encodeLine(line: RosterLine, words: Uint8Array): Uint8Array {
  words.fill(0);
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
  return hex(keccak(words));
}

/** Where line `index` sits in a paid batch. */
export function positionIn(paidLines: readonly RosterLine[], index: number): number {
  const position = paidLines.findIndex((l) => l.index === index);
  if (position < 0) throw new Error(`${seqText(index)} is not in this payout batch`);
  return position;
}

/** The single proof of line `index`. */
export function lineProof(tree: LineTree, index: number): string[] {
  return tree.getProof(index);
}

/**
 * One multiproof for the lines at `indices`, with the lines in ascending index order as the
 * contract requires: OpenZeppelin's multiproof orders the leaves by descending node, which for a
 * tree in line order is ascending index. Its proof flags are not sent (the contract derives them,
 * see contracts/libraries/LineTree.sol).
 */
export function batchProof(tree: LineTree, indices: readonly number[]): LineBatch {
  const { indices: sorted, proof } = tree.getMultiProof(indices);
  return { lines: sorted.map((i) => tree.line(i)), proof };
}
