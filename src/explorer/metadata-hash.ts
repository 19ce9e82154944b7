/**
 * The link between a contract's bytecode and its metadata file: solc ends the runtime bytecode with
 * a CBOR map that holds the metadata file's hash (`ipfs`: a sha2-256 multihash, the file's IPFS
 * CIDv0; or `bzzr1`: a Swarm hash), the compiler version and flags, followed by the map's length in
 * two bytes. https://docs.soliditylang.org/en/latest/metadata.html
 *
 * A Sourcify "full match" is a metadata file whose hash is the one in the bytecode; this module
 * reads that hash and computes a file's IPFS hash the way solc does (libsolutil/IpfsHash.cpp), so
 * that a repository written for explorers can be checked against the chain.
 *
 * Neither a CBOR nor a multiformats library is a dependency of this project, and both jobs are
 * small and fixed: the CBOR here is only what solc writes (a map of text keys to byte strings,
 * text or booleans), and the IPFS hash is of one small file (a single UnixFS block).
 */
import { encodeBase58, getBytes, hexlify, sha256 } from "ethers";

/** What solc embedded at the end of a contract's runtime bytecode. */
export interface EmbeddedMetadata {
  /** The metadata file's IPFS hash (CIDv0, base58: "Qm…"), when solc used `bytecodeHash: "ipfs"`. */
  ipfs?: string;
  /** The metadata file's Swarm hash (0x…), when solc used `bytecodeHash: "bzzr1"`. */
  bzzr1?: string;
  /** The compiler version ("0.8.30"); prereleases carry a text instead. */
  solc?: string;
  experimental?: boolean;
}

/**
 * Reads the CBOR map solc appended to `runtimeCode` (0x-hex, as eth_getCode returns it). Throws
 * when the code does not end with one (no code, a contract compiled with `appendCBOR: false`, or
 * not solc's).
 */
export function embeddedMetadata(runtimeCode: string): EmbeddedMetadata {
  const code = getBytes(runtimeCode);
  if (code.length < 2) throw new Error("no code: nothing to read a metadata hash from");
  const length = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  if (length === 0 || length + 2 > code.length) throw new Error("the code does not end with solc's CBOR metadata");
  const decoded = decodeCbor(code.subarray(code.length - 2 - length, code.length - 2));
  if (!(decoded instanceof Map)) throw new Error("the code's CBOR metadata is not a map");
  const result: EmbeddedMetadata = {};
  for (const [key, value] of decoded) {
    if (key === "ipfs" && value instanceof Uint8Array) result.ipfs = encodeBase58(value);
    else if (key === "bzzr1" && value instanceof Uint8Array) result.bzzr1 = hexlify(value);
    else if (key === "solc" && value instanceof Uint8Array && value.length === 3) result.solc = value.join(".");
    else if (key === "solc" && typeof value === "string") result.solc = value;
    else if (key === "experimental" && typeof value === "boolean") result.experimental = value;
  }
  if (result.ipfs === undefined && result.bzzr1 === undefined)
    throw new Error("the code's CBOR metadata holds no metadata hash (ipfs or bzzr1)");
  return result;
}

/** The largest file whose IPFS hash is one UnixFS block (the default chunk size, 256 KiB). */
export const IPFS_SINGLE_BLOCK_LIMIT = 262_144;

/**
 * The IPFS hash (CIDv0, "Qm…") of a file of at most 256 KiB, as `ipfs add` (default chunker, no raw
 * leaves) and solc compute it: sha2-256 of the dag-pb node `{ Data: UnixFS { Type: File, Data:
 * content, filesize } }`, as a multihash (0x12 0x20 + digest) in base58. A metadata file is a few
 * tens of KiB; a larger one would need the chunked tree, which is refused rather than guessed.
 */
export function ipfsHash(content: Uint8Array | string): string {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  if (bytes.length > IPFS_SINGLE_BLOCK_LIMIT)
    throw new Error(`ipfsHash: ${bytes.length} bytes is over one IPFS block (${IPFS_SINGLE_BLOCK_LIMIT})`);
  // UnixFS Data: field 1 Type = 2 (File); field 2 Data (omitted when empty, as go-ipfs does); field 3 filesize.
  const unixfs = concat(
    [0x08, 0x02],
    bytes.length > 0 ? concat([0x12], varint(bytes.length), bytes) : new Uint8Array(),
    [0x18],
    varint(bytes.length),
  );
  // PBNode: field 1 Data (no Links).
  const node = concat([0x0a], varint(unixfs.length), unixfs);
  return encodeBase58(concat([0x12, 0x20], getBytes(sha256(node))));
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

function concat(...parts: Array<ArrayLike<number>>): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

type Cbor = number | bigint | string | boolean | null | Uint8Array | Cbor[] | Map<Cbor, Cbor>;

/**
 * Decodes one CBOR item filling all of `bytes` (RFC 8949, definite lengths only): unsigned
 * integers, byte and text strings, arrays, maps, false, true and null — all that solc writes.
 * Anything else (negative integers, tags, floats, indefinite lengths) is refused.
 */
export function decodeCbor(bytes: Uint8Array): Cbor {
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (at + n > bytes.length) throw new Error("CBOR: truncated");
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  const argument = (info: number): number => {
    if (info < 24) return info;
    const size = { 24: 1, 25: 2, 26: 4 }[info];
    if (size === undefined) throw new Error(`CBOR: unsupported length encoding ${info}`);
    return take(size).reduce((n, b) => n * 256 + b, 0);
  };
  const item = (depth: number): Cbor => {
    if (depth > 16) throw new Error("CBOR: nested too deeply");
    const head = take(1)[0]!;
    const major = head >> 5;
    const info = head & 0x1f;
    switch (major) {
      case 0:
        return argument(info);
      case 2:
        return Uint8Array.from(take(argument(info)));
      case 3:
        return new TextDecoder("utf-8", { fatal: true }).decode(take(argument(info)));
      case 4:
        return Array.from({ length: argument(info) }, () => item(depth + 1));
      case 5: {
        const map = new Map<Cbor, Cbor>();
        for (let n = argument(info); n > 0; n--) map.set(item(depth + 1), item(depth + 1));
        return map;
      }
      case 7:
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        throw new Error(`CBOR: unsupported simple value ${info}`);
      default:
        throw new Error(`CBOR: unsupported major type ${major}`);
    }
  };
  const value = item(0);
  if (at !== bytes.length) throw new Error("CBOR: trailing bytes after the item");
  return value;
}
