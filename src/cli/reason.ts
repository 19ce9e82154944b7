/**
 * Reasons and evidence: the text or file stays with whoever wrote it (it may name people); only its
 * keccak256 goes on chain, so that the document can later be shown to match.
 */
import { readFile } from "node:fs/promises";

import { keccak256, toUtf8Bytes } from "ethers";

export async function reasonHash(name: string, text: string, file: string): Promise<string> {
  if (file) return keccak256(await readFile(file));
  if (text.trim()) return keccak256(toUtf8Bytes(text.trim()));
  throw new Error(`give --${name} "<text>" or --${name}-file <path>; its hash goes on chain, the text stays with you`);
}
