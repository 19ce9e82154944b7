/** Reading the contracts' bitmaps a word (256 or 128 entries) at a time, a few calls in flight. */

/** Calls `read(word)` for every word in `words`, at most `concurrency` at once. */
export async function readWords(
  words: Iterable<bigint>,
  read: (word: bigint) => Promise<bigint>,
  concurrency = 16,
): Promise<Map<bigint, bigint>> {
  const queue = [...new Set(words)];
  const result = new Map<bigint, bigint>();
  const worker = async () => {
    for (let word = queue.shift(); word !== undefined; word = queue.shift()) {
      result.set(word, await read(word));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return result;
}

/** Bit `bit` of a word. */
export function bitAt(value: bigint, bit: bigint): boolean {
  return ((value >> bit) & 1n) === 1n;
}
