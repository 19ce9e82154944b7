/**
 * Argument helpers shared by the review, publicity, bank and reversal tasks: ids, line indices, and
 * reason or evidence texts, of which only the keccak256 goes on chain (the text may hold personal
 * data: it stays with whoever wrote it, and the printed hash ties it to the chain).
 */
import { readFile } from "node:fs/promises";

import { bigintArg } from "../../src/cli/args.js";
import { reasonHash } from "../../src/cli/reason.js";

/** A roster, reversal, … id: a whole number from 1. */
export function idArg(name: string, value: string): bigint {
  if (value.trim() === "") throw new Error(`give --${name} <id>`);
  const id = bigintArg(name, value);
  if (id === 0n) throw new Error(`--${name}: ids start at 1`);
  return id;
}

/** A roster line index (0-based, as on chain and in the roster bundle). */
export function lineArg(value: string): number {
  if (value.trim() === "") throw new Error("give --line <index> (roster lines count from 0, as in the roster bundle)");
  const line = bigintArg("line", value);
  if (line >= 2n ** 32n) throw new Error(`--line ${value} is not a roster line index (0 … 4294967295)`);
  return Number(line);
}

export interface HashedText {
  /** keccak256 of the UTF-8 text or of the file's bytes. */
  hash: string;
  /** Where it came from, for the narration: `--reason` or the file name. */
  source: string;
}

/**
 * The hash of a reason or evidence given as `--<name> "text"` or `--<name>-file <path>` (exactly one
 * of them). The hash itself is src/cli/reason.ts's, so that every task of the CLI hashes a text the
 * same way (keccak256 of the UTF-8 text without surrounding whitespace, or of the file's bytes);
 * this wrapper only refuses what would be ambiguous or unreadable, with the fix.
 */
export async function hashedText(name: "reason" | "evidence", text: string, file: string): Promise<HashedText> {
  if (text !== "" && file !== "") {
    throw new Error(`give either --${name} "text" or --${name}-file <path>, not both: only one hash goes on chain (put the text into the file if you need both)`);
  }
  if (file !== "") {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new Error(`--${name}-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (bytes.length === 0) throw new Error(`--${name}-file ${file} is empty`);
  }
  return { hash: await reasonHash(name, text, file), source: file !== "" ? file : `--${name}` };
}
