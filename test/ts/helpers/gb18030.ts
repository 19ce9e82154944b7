/**
 * GB18030 for tests. Node decodes GB18030 but has no encoder, so the two-byte table is derived by
 * decoding every two-byte sequence once (about 24,000, a few milliseconds) and inverting it.
 */
let gbTable: Map<string, [number, number]> | undefined;

export function gb18030(text: string): Uint8Array {
  if (!gbTable) {
    gbTable = new Map();
    const decoder = new TextDecoder("gb18030", { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const ch = decoder.decode(new Uint8Array([lead, trail]));
          if (!gbTable.has(ch)) gbTable.set(ch, [lead, trail]);
        } catch {
          // not a valid two-byte sequence
        }
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const pair = gbTable.get(ch);
      if (!pair) throw new Error(`no two-byte GB18030 code for ${ch}`);
      out.push(...pair);
    }
  }
  return new Uint8Array(out);
}

