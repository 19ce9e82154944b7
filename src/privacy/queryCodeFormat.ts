/**
 * The query code as people see and type it: 16 characters of Crockford's base32 alphabet, printed
 * as "XXXX-XXXX-XXXX-XXXX". Browser-safe (no Node modules): the residents' web page normalises what
 * a resident typed with exactly this code before it computes the household commitment.
 */

/** Crockford's base32 alphabet: digits and capitals without I, L, O (read as 1, 1, 0) and U. */
export const QUERY_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Characters in a query code: 16 × 5 bits = 80 bits. */
export const QUERY_CODE_LENGTH = 16;

const ALPHABET_SET = new Set(QUERY_CODE_ALPHABET);

// Separators a resident may type or a spreadsheet may insert: whitespace (NFKC has already turned
// the ideographic space into U+0020) and hyphen-like dashes (NFKC keeps U+2010–U+2015 as they are).
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/gu;

/**
 * Normalises a typed query code to its canonical 16-character form (no hyphens): NFKC (full-width
 * characters become ASCII), uppercase, spaces and hyphens dropped, and Crockford's confusions
 * I/L → 1 and O → 0 undone. Throws an Error saying what is wrong otherwise.
 */
export function normaliseQueryCode(input: string): string {
  // Uppercase ASCII only: toUpperCase on other letters can change the length ("ß" → "SS").
  const compact = input
    .normalize("NFKC")
    .replace(/[a-z]/g, (c) => c.toUpperCase())
    .replace(SEPARATORS, "");
  const code = compact.replace(/[IL]/g, "1").replace(/O/g, "0");
  const chars = Array.from(code);
  const foreign = chars.filter((c) => !ALPHABET_SET.has(c));
  if (foreign.length > 0) {
    const distinct = [...new Set(foreign)];
    const shown = distinct.map((c) => JSON.stringify(c)).join(", ");
    throw new Error(
      `query code contains ${shown}, which ${distinct.length === 1 ? "is" : "are"} not used in query codes ` +
        `(they use the digits 0–9 and the letters ${QUERY_CODE_ALPHABET.slice(10)}; U never occurs)`,
    );
  }
  if (chars.length !== QUERY_CODE_LENGTH) {
    throw new Error(
      `query code must have ${QUERY_CODE_LENGTH} characters (as printed: XXXX-XXXX-XXXX-XXXX), got ${chars.length}`,
    );
  }
  return code;
}

/** Formats a query code for print: "XXXX-XXXX-XXXX-XXXX". Accepts any form normaliseQueryCode accepts. */
export function formatQueryCode(code: string): string {
  const canonical = normaliseQueryCode(code);
  return canonical.match(/.{4}/g)!.join("-");
}

/** Encodes the first 80 bits of `bytes` (big-endian) as 16 Crockford base32 characters. */
export function encodeQueryCode80(bytes: Uint8Array): string {
  if (bytes.length < 10) throw new RangeError(`need at least 10 bytes (80 bits), got ${bytes.length}`);
  let bits = 0n;
  for (let i = 0; i < 10; i++) bits = (bits << 8n) | BigInt(bytes[i]!);
  let out = "";
  for (let shift = 75n; shift >= 0n; shift -= 5n) out += QUERY_CODE_ALPHABET[Number((bits >> shift) & 31n)];
  return out;
}
