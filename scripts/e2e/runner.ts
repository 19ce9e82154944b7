/**
 * The end-to-end scripts' minimal runner: named checks printed one line each, and a closing
 * "N passed, N failed" that CI reads.
 */
export const results: Array<{ name: string; ok: boolean }> = [];

export async function check(name: string, body: () => Promise<void>): Promise<void> {
  const t = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - t} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(
      `  ✗ ${name}\n      ${String((error as Error)?.stack ?? error)
        .split("\n")
        .slice(0, 8)
        .join("\n      ")}`,
    );
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** Prints the closing line; returns the exit code. */
export function summary(): number {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
