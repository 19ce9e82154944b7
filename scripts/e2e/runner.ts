/**
 * The end-to-end scripts' minimal runner: named checks printed one line each, and a closing
 * "N passed, N failed" that CI reads; and a guard that bounds a run in time.
 */
import { stopAll } from "./proc.js";

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

/**
 * Bounds a run: Ctrl-C or a CI cancellation, or `budgetMs` passing, stops every child (each in its
 * own process group), runs `cleanup`, prints the closing line and exits. Returns what disarms it.
 */
export function guardRun(what: string, budgetMs: number, cleanup: () => void): () => void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.log(`\n✗ interrupted (${signal})`);
      void stopAll().finally(() => {
        cleanup();
        process.exit(130);
      });
    });
  }
  const watchdog = setTimeout(() => {
    console.log(`\n✗ ${what} took longer than ${budgetMs / 1000} s and was stopped`);
    console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
    void stopAll().finally(() => {
      cleanup();
      process.exit(1);
    });
    setTimeout(() => process.exit(1), 8_000).unref();
  }, budgetMs);
  return () => clearTimeout(watchdog);
}

/**
 * Runs an end-to-end script's `main` under guardRun and exits with its code; a throw is one failed
 * check. The last statement of each script.
 */
export async function runScript(what: string, budgetMs: number, cleanup: () => void, main: () => Promise<number>) {
  const disarm = guardRun(what, budgetMs, cleanup);
  const code = await main().catch((error: unknown) => {
    console.log(`✗ ${String((error as Error)?.stack ?? error)}\n0 passed, 1 failed`);
    return 1;
  });
  disarm();
  process.exit(code);
}
