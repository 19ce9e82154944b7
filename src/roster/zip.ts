/**
 * Just enough of a zip reader to fetch one member of an XLSX workbook by name (stored or
 * deflated, from the central directory). read-excel-file does the real reading; this exists for
 * what it throws away (see xlsx.ts, error cells). Zip64 and encrypted members are not supported:
 * `readZipMember` returns undefined for them, as for a member that is not there.
 */
import { inflateRawSync } from "node:zlib";

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function u16(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
}

/** The uncompressed bytes of the member `name`, or undefined. Never throws. */
export function readZipMember(bytes: Uint8Array, name: string): Uint8Array | undefined {
  try {
    // The end-of-central-directory record is the last 22 bytes, unless a comment (≤ 65,535 bytes) follows it.
    let eocd = -1;
    for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
      if (u32(bytes, at) === EOCD) {
        eocd = at;
        break;
      }
    }
    if (eocd < 0) return undefined;
    const count = u16(bytes, eocd + 10);
    let at = u32(bytes, eocd + 16);
    const decoder = new TextDecoder();
    for (let i = 0; i < count; i++) {
      if (u32(bytes, at) !== CENTRAL) return undefined;
      const flags = u16(bytes, at + 8);
      const method = u16(bytes, at + 10);
      const packedSize = u32(bytes, at + 20);
      const nameLength = u16(bytes, at + 28);
      const extraLength = u16(bytes, at + 30);
      const commentLength = u16(bytes, at + 32);
      const localAt = u32(bytes, at + 42);
      const memberName = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extraLength + commentLength;
      if (memberName !== name) continue;
      if (flags & 1 || packedSize === 0xffffffff || u32(bytes, localAt) !== LOCAL) return undefined;
      const dataAt = localAt + 30 + u16(bytes, localAt + 26) + u16(bytes, localAt + 28);
      const packed = bytes.subarray(dataAt, dataAt + packedSize);
      if (method === 0) return packed;
      if (method === 8) return new Uint8Array(inflateRawSync(packed));
      return undefined;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
