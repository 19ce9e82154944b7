/** GB18030 for tests and fixtures (test/fixtures/hostile-rosters/generate.ts, the CSV tests). */
/**
 * GB18030. Node decodes it but cannot encode it, so the tables are derived by decoding: every
 * two-byte sequence, and every four-byte sequence of the BMP range (GB 18030 linear index
 * 0–39419); supplementary-plane characters are algorithmic (linear index 189000 + cp − 0x10000).
 */
let gb2: Map<string, number[]> | undefined;
function gbFourBytes(linear: number): number[] {
  const b4 = linear % 10;
  const b3 = Math.floor(linear / 10) % 126;
  const b2 = Math.floor(linear / 1260) % 10;
  const b1 = Math.floor(linear / 12600);
  return [0x81 + b1, 0x30 + b2, 0x81 + b3, 0x30 + b4];
}
export function gb18030(text: string): Uint8Array {
  if (!gb2) {
    gb2 = new Map();
    const decoder = new TextDecoder("gb18030", { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const ch = decoder.decode(new Uint8Array([lead, trail]));
          if (!gb2.has(ch)) gb2.set(ch, [lead, trail]);
        } catch {
          // not a valid two-byte sequence
        }
      }
    }
    for (let linear = 0; linear < 39420; linear++) {
      const bytes = gbFourBytes(linear);
      try {
        const ch = decoder.decode(new Uint8Array(bytes));
        if (!gb2.has(ch)) gb2.set(ch, bytes);
      } catch {
        // unassigned
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out.push(cp);
    else if (cp >= 0x10000) out.push(...gbFourBytes(189000 + cp - 0x10000));
    else {
      const bytes = gb2.get(ch);
      if (!bytes) throw new Error(`no GB18030 code for ${ch}`);
      out.push(...bytes);
    }
  }
  const encoded = new Uint8Array(out);
  // Every fixture is checked against Node's decoder, so the table cannot drift unnoticed.
  if (new TextDecoder("gb18030", { fatal: true }).decode(encoded) !== text)
    throw new Error("GB18030 round trip failed");
  return encoded;
}
