/**
 * Child processes for the fault tests. Each child leads its own process group, so that killing it
 * kills what it started too (`npx` runs Node, which runs Hardhat; node_modules/.bin/anvil is a Node
 * shim that runs the native binary). Every child is tracked and killed in `stopAll` (the runner's
 * `finally`), and every wait is bounded in time.
 */
import { type ChildProcess, spawn } from "node:child_process";

const running = new Set<ChildProcess>();

export interface Child {
  process: ChildProcess;
  pid: number;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit (code or signal) — or with a timeout marker after `ms`. */
  exited(ms: number): Promise<Exit>;
  /** SIGKILL to the whole group: no handler runs, nothing is flushed. */
  kill(): Promise<void>;
  /** Calls `listener` with each new chunk of stdout. */
  onStdout(listener: (text: string) => void): void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export function start(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  running.add(child);
  let stdout = "";
  let stderr = "";
  const listeners: Array<(text: string) => void> = [];
  child.stdout!.on("data", (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    for (const l of listeners) l(text);
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.once("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, timedOut: false });
    }),
  );
  child.once("error", () => running.delete(child));
  return {
    process: child,
    pid: child.pid,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: (ms) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<Exit>((resolve) => {
        timer = setTimeout(() => resolve({ code: null, signal: null, timedOut: true }), ms);
      });
      return Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    },
    kill: () => killGroup(child, exit),
    onStdout: (listener) => void listeners.push(listener),
  };
}

async function killGroup(child: ChildProcess, exit: Promise<Exit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
  clearTimeout(timer);
}

/** Runs a command to completion; kills its group after `timeoutMs`. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Exit & { stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = start(command, args, options);
  const exit = await child.exited(options.timeoutMs);
  if (exit.timedOut) await child.kill();
  return { ...exit, stdout: child.stdout(), stderr: child.stderr(), ms: Date.now() - started };
}

/** SIGKILL to every child still running, synchronously: for process "exit", when nothing async runs any more. */
export function killAllNow(): void {
  for (const child of running) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

/** Kills every child still running (SIGKILL to each group). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      await new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
        const timer = setTimeout(resolve, 3_000);
        child.once("close", () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
      running.delete(child);
    }),
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(everyMs);
  }
  return false;
}
