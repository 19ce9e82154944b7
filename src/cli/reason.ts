/**
 * Reasons, evidence and attestations: the text or file stays with whoever wrote it (it may name
 * people); only its keccak256 goes on chain, so that the document can later be shown to match.
 */
import { readFile } from "node:fs/promises";

import { keccak256, toUtf8Bytes } from "ethers";

/** The options of a task that asks for a reason: `--reason "text"` or `--reason-file <path>`. */
export interface ReasonArgs {
  reason: string;
  reasonFile: string;
}

export interface HashedText {
  /** keccak256 of the UTF-8 text (without surrounding whitespace) or of the file's bytes. */
  hash: string;
  /** Where it came from, for the narration: `--<name>` or the file name. */
  source: string;
}

/** The hash of `--<name> "text"` or `--<name>-file <path>` (exactly one of them). */
export async function hashedText(name: string, text: string, file: string): Promise<HashedText> {
  if (text !== "" && file !== "") {
    throw new Error(
      `give either --${name} "text" or --${name}-file <path>, not both: only one hash goes on chain (put the text into the file if you need both)`,
    );
  }
  if (file !== "") {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new Error(
        `--${name}-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        { cause: error },
      );
    }
    if (bytes.length === 0) throw new Error(`--${name}-file ${file} is empty`);
    return { hash: keccak256(bytes), source: file };
  }
  if (text.trim() === "")
    throw new Error(
      `give --${name} "<text>" or --${name}-file <path>; its hash goes on chain, the text stays with you`,
    );
  return { hash: keccak256(toUtf8Bytes(text.trim())), source: `--${name}` };
}
