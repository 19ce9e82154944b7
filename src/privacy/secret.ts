/**
 * The two HMAC keys of the project, parsed alike. Node only. Error messages here never echo the
 * text they were given.
 *
 * - The bureau secret, from which every query code is derived. Whoever holds it can compute every
 *   household's code from its ID number.
 * - The deduplication key, from which every person tag is derived (personTag.ts). Whoever holds it
 *   can test any ID number against the register.
 *
 * Both live in Hardhat's encrypted keystore (or an environment variable filled from it), never in the
 * repository; see docs/privacy.md for who holds which.
 */
import { createHmac, randomBytes } from "node:crypto";

/** Minimum secret size: 32 bytes (256 bits), as much as HMAC-SHA256 can use and far beyond brute force. */
export const BUREAU_SECRET_MIN_BYTES = 32;

const HOW_TO_GENERATE = "generate one with `openssl rand -hex 32` and keep it in the Hardhat keystore";

/**
 * Parses a bureau secret: 64+ hex characters (optionally 0x-prefixed) or base64 of 32+ bytes.
 * Returns it in canonical form, lowercase hex without 0x, so that the same key typed two ways
 * derives the same codes.
 */
export function parseBureauSecret(text: string): string {
  return parseKey(text, "bureau secret");
}

/** Parses a deduplication key, in the same forms and with the same checks as a bureau secret. */
export function parseDedupKey(text: string): string {
  return parseKey(text, "deduplication key");
}

function parseKey(text: string, what: string): string {
  const trimmed = text.trim(); // keystores and .env files often add a trailing newline
  if (trimmed === "") throw new Error(`${what} is empty; ${HOW_TO_GENERATE}`);
  // Text made only of hex digits is hex, never base64, even when it would also decode as base64:
  // otherwise a short hex key (e.g. 48 hex digits = 24 bytes) would slip through as "36 bytes".
  const hex = /^(?:0x)?([0-9a-fA-F]+)$/.exec(trimmed);
  let bytes: Buffer;
  if (hex) {
    const digits = hex[1]!;
    if (digits.length % 2 !== 0)
      throw new Error(`${what} has an odd number of hex digits (${digits.length}); ${HOW_TO_GENERATE}`);
    bytes = Buffer.from(digits, "hex");
    if (bytes.length < BUREAU_SECRET_MIN_BYTES) {
      throw new Error(
        `${what} is too short: ${digits.length} hex digits (${bytes.length} bytes), need at least ` +
          `${BUREAU_SECRET_MIN_BYTES * 2} (${BUREAU_SECRET_MIN_BYTES} bytes); ${HOW_TO_GENERATE}`,
      );
    }
  } else if (/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && trimmed.length % 4 === 0) {
    bytes = Buffer.from(trimmed, "base64");
    if (bytes.length < BUREAU_SECRET_MIN_BYTES) {
      throw new Error(
        `${what} is too short: base64 of ${bytes.length} bytes, need at least ${BUREAU_SECRET_MIN_BYTES}; ${HOW_TO_GENERATE}`,
      );
    }
  } else {
    throw new Error(`${what} is neither hex (64+ digits) nor base64 (of 32+ bytes); ${HOW_TO_GENERATE}`);
  }
  // A constant key (all zeros, a placeholder) is long enough but no secret at all.
  if (bytes.every((b) => b === bytes[0])) {
    throw new Error(`${what} is one byte repeated (a placeholder?); ${HOW_TO_GENERATE}`);
  }
  return bytes.toString("hex");
}

/** A fresh random key (32 bytes, lowercase hex) for the demo and tests: a bureau secret or a deduplication key. */
export function generateBureauSecret(): string {
  return randomBytes(BUREAU_SECRET_MIN_BYTES).toString("hex");
}

/** What a secret's check is a keyed hash of: a fixed text, so the check reveals nothing but "same secret or not". */
const SECRET_CHECK_TEXT = "fund-disbursement-transparency: bureau secret check, v1";

/**
 * The check of a bureau secret (canonical hex, as parseBureauSecret returns it), as the register
 * holds it per region (HouseholdRegistry.secretCheckOf): HMAC-SHA256 of a fixed text under the
 * secret. One-way, and unrelated to any query code: it tells whether two secrets are the same.
 */
export function secretCheck(secret: string): string {
  return `0x${createHmac("sha256", Buffer.from(secret, "hex")).update(SECRET_CHECK_TEXT).digest("hex")}`;
}
