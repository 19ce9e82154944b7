/**
 * The local chain's snapshots on disk (`npm run node`, src/localchain/supervisor.ts): one file per
 * snapshot, holding anvil's own dump (`anvil_dumpState`: accounts, blocks, transactions with their
 * receipts and logs, gzip, hex) and what anvil does not keep — the block it was taken at and the
 * chain clock's lead over the wall clock.
 *
 * A snapshot is checked before it replaces anything, and written whole or not at all: a temporary
 * file, fsync, the current one linked as the previous one, a rename over the current one, fsync of
 * the folder. So `state.json` is always a whole, checked snapshot and `state.prev.json` the one
 * before it. A file found damaged at start is moved aside (never deleted) and the other one used.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";

export const SNAPSHOT_FORMAT = "fund-disbursement/local-chain-snapshot@1";
export const CURRENT = "state.json";
export const PREVIOUS = "state.prev.json";

export interface BlockMark {
  number: number;
  hash: string;
  timestamp: number;
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  savedAt: string;
  chainId: number;
  /** The newest block in the dump. */
  block: BlockMark;
  /** The chain clock (the next block's timestamp) less the wall clock, in seconds, when it was taken. */
  clockLeadSeconds: number;
  /** sha256 of `anvilState`, hex. */
  sha256: string;
  /** anvil_dumpState's answer: gzip-compressed JSON, 0x-hex. */
  anvilState: string;
}

/** What anvil's dump must hold to be loaded back as the chain at `block`. */
interface AnvilState {
  best_block_number?: number | string;
  accounts?: Record<string, unknown>;
  blocks?: Array<{ header?: { number?: string }; transactions?: unknown[] }>;
  transactions?: Array<{ block_number?: number | string; receipt?: unknown }>;
}

/**
 * Why `state` is not the whole chain up to block `number`, or undefined when it is: every block
 * 0…number present, none newer, and each block's transactions present with their receipts (so that
 * the state and the logs describe the same blocks).
 */
export function anvilStateProblem(state: unknown, number: number): string | undefined {
  const s = state as AnvilState;
  if (!s || typeof s !== "object" || !s.accounts || !Array.isArray(s.blocks) || !Array.isArray(s.transactions))
    return "it lacks anvil's accounts, blocks or transactions";
  if (Number(s.best_block_number) !== number)
    return `its newest block is ${String(s.best_block_number)}, not ${number} as recorded`;
  // Transactions per block number (a chain loaded from a dump keeps both its own and the dump's genesis).
  const perBlock = new Map<number, number>();
  for (const b of s.blocks) {
    const n = Number(b.header?.number);
    if (!Number.isSafeInteger(n) || n > number) return `it holds block ${String(b.header?.number)}, past ${number}`;
    perBlock.set(n, (perBlock.get(n) ?? 0) + (b.transactions?.length ?? 0));
  }
  for (let n = 0; n <= number; n++) if (!perBlock.has(n)) return `block ${n} is missing`;
  const receipts = new Map<number, number>();
  for (const t of s.transactions) {
    const n = Number(t.block_number);
    if (!perBlock.has(n) || !t.receipt)
      return `a transaction of block ${String(t.block_number)} has no block or receipt`;
    receipts.set(n, (receipts.get(n) ?? 0) + 1);
  }
  for (const [n, count] of perBlock)
    if ((receipts.get(n) ?? 0) !== count)
      return `block ${n} has ${count} transactions but ${receipts.get(n) ?? 0} receipts`;
  return undefined;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Unpacks anvil_dumpState's answer to the JSON text anvil's --load-state reads. */
export function unpackAnvilState(hex: string): string {
  return gunzipSync(Buffer.from(hex.replace(/^0x/, ""), "hex")).toString("utf8");
}

/** A snapshot of a dump taken at `block`, checked first (throws with what is wrong). */
export function makeSnapshot(
  chainId: number,
  block: BlockMark,
  clockLeadSeconds: number,
  anvilState: string,
): Snapshot {
  const problem = anvilStateProblem(JSON.parse(unpackAnvilState(anvilState)), block.number);
  if (problem) throw new Error(`the dump at block ${block.number} is not whole: ${problem}`);
  return {
    format: SNAPSHOT_FORMAT,
    savedAt: new Date().toISOString(),
    chainId,
    block,
    clockLeadSeconds,
    sha256: sha256(anvilState),
    anvilState,
  };
}

/** Reads and checks a snapshot file: the snapshot and anvil's state JSON, or throws saying what is wrong. */
export async function readSnapshot(file: string): Promise<{ snapshot: Snapshot; anvilJson: string }> {
  const text = await readFile(file, "utf8");
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(text) as Snapshot;
  } catch (error) {
    throw new Error(
      /end of JSON|Unterminated|Unexpected end/i.test(String(error))
        ? `cut short: it ends after ${text.length.toLocaleString("en-US")} bytes`
        : `not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (snapshot?.format !== SNAPSHOT_FORMAT) throw new Error(`not a ${SNAPSHOT_FORMAT} file`);
  if (typeof snapshot.anvilState !== "string" || sha256(snapshot.anvilState) !== snapshot.sha256)
    throw new Error("its chain state does not match its checksum");
  let anvilJson: string;
  let state: unknown;
  try {
    anvilJson = unpackAnvilState(snapshot.anvilState);
    state = JSON.parse(anvilJson);
  } catch (error) {
    throw new Error(`its chain state does not unpack (${(error as Error).message})`, { cause: error });
  }
  const problem = anvilStateProblem(state, snapshot.block?.number);
  if (problem) throw new Error(`its chain state is not whole: ${problem}`);
  return { snapshot, anvilJson };
}

async function fsyncPath(target: string, flags: number): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `snapshot` as `dir/state.json`, the one it replaces kept as `dir/state.prev.json`. When it
 * returns, both are on disk (fsynced); if the process dies at any point, `state.json` is either the
 * old snapshot or the new one, whole.
 */
export async function writeSnapshot(dir: string, snapshot: Snapshot): Promise<string> {
  const current = path.join(dir, CURRENT);
  const temp = path.join(dir, `.${CURRENT}.${process.pid}.tmp`);
  const handle = await open(temp, "w", 0o644);
  try {
    await handle.writeFile(JSON.stringify(snapshot));
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (await stat(current).catch(() => undefined)) {
    const prevTemp = path.join(dir, `.${PREVIOUS}.${process.pid}.tmp`);
    await rm(prevTemp, { force: true });
    await link(current, prevTemp);
    await rename(prevTemp, path.join(dir, PREVIOUS));
  }
  await rename(temp, current);
  await fsyncPath(dir, constants.O_RDONLY);
  return current;
}

export interface Opened {
  snapshot: Snapshot;
  anvilJson: string;
  file: string;
}

/**
 * The newest good snapshot in `dir`, or undefined when there is none (a new chain). A damaged file
 * is moved aside as `<name>.damaged-<time>` and `say` told in one line what was wrong and what is
 * used instead; with no good snapshot left, throws (the chain is not started empty over them).
 */
export async function openNewestGood(dir: string, say: (line: string) => void): Promise<Opened | undefined> {
  const damaged: string[] = [];
  for (const name of [CURRENT, PREVIOUS]) {
    const file = path.join(dir, name);
    if (!(await stat(file).catch(() => undefined))) {
      if (name === CURRENT && (await stat(path.join(dir, PREVIOUS)).catch(() => undefined)))
        damaged.push(`local chain: ${CURRENT} is missing`);
      continue;
    }
    try {
      const opened = { ...(await readSnapshot(file)), file };
      for (const line of damaged)
        say(
          `${line}; starting from ${name} instead (block ${opened.snapshot.block.number}, saved ${opened.snapshot.savedAt})`,
        );
      return opened;
    } catch (error) {
      const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      await rename(file, aside);
      damaged.push(
        `local chain: ${name} is damaged (${(error as Error).message}); moved aside as ${path.basename(aside)}`,
      );
    }
  }
  if (damaged.length > 0)
    throw new Error(
      `${damaged.join("\n")}\nlocal chain: no good snapshot is left in ${dir}; not starting an empty chain over them (move the folder aside to start a new chain)`,
    );
  return undefined;
}
