/**
 * Reading the contracts' bitmaps a word (256 or 128 entries) at a time, many words per call through
 * DisbursementLens.words: planning the payout of 100,000 lines reads about 2,000 words, which one
 * call per word made a second of round trips.
 */
import { mapLimit } from "../async.js";
import type { Suite } from "../suite.js";

/** The bitmaps DisbursementLens.words reads (its `Bitmap` enum), and what their key is. */
export const Bitmap = {
  /** Key: roster id. 256 lines a word. */
  PaidLines: 0,
  /** Key: roster id. 128 lines a word (two bits each). */
  Outcomes: 1,
  /** Key: roster id. 128 lines a word (two bits each). */
  Holds: 2,
  /** Key: programme id. 256 households a word. */
  PaidHouseholds: 3,
  /** No key. 256 households a word. */
  Suspended: 4,
  /** No key. The block of the same 256 households: its region (low 64 bits) and fill (above). */
  HouseholdBlocks: 5,
} as const;
export type BitmapKind = (typeof Bitmap)[keyof typeof Bitmap];

/** Words per call: about 3,000 gas each, well inside any node's limit for eth_call. */
const WORDS_PER_CALL = 1_000;

/** Every distinct word of `words` of one bitmap, read through the lens, a few calls in flight (at `blockTag`, else the latest block). */
export async function readWords(
  suite: Suite,
  bitmap: BitmapKind,
  key: bigint,
  words: Iterable<bigint>,
  concurrency = 4,
  blockTag?: number,
): Promise<Map<bigint, bigint>> {
  const all = [...new Set(words)];
  const slices: bigint[][] = [];
  for (let i = 0; i < all.length; i += WORDS_PER_CALL) slices.push(all.slice(i, i + WORDS_PER_CALL));
  const result = new Map<bigint, bigint>();
  await mapLimit(slices, concurrency, async (slice) => {
    const values = await suite.lens.words(bitmap, key, slice, blockTag === undefined ? {} : { blockTag });
    slice.forEach((word, i) => result.set(word, values[i]!));
  });
  return result;
}

/** Two-bit item `index` of a bitmap read by words of 128 items (BitWords.pair): its word is index >> 7. */
export function pairAt(words: ReadonlyMap<bigint, bigint>, index: bigint): number {
  return Number(((words.get(index >> 7n) ?? 0n) >> ((index & 127n) * 2n)) & 3n);
}

/** Bit `bit` of a word. */
export function bitAt(value: bigint, bit: bigint): boolean {
  return ((value >> bit) & 1n) === 1n;
}

/** A household block's packed word (Bitmap.HouseholdBlocks): its region, and whether `household` is registered in it. */
export function householdInBlock(packed: bigint, household: bigint): { region: bigint; registered: boolean } {
  return { region: packed & 0xffffffffffffffffn, registered: household !== 0n && (household & 0xffn) < packed >> 64n };
}
