/**
 * Query-code derivation. Node only (node:crypto), kept apart from the browser-safe commitment.
 *
 * The code is a pseudorandom function of the bureau secret and the ID number, so the bureau can
 * re-derive any household's code (to reprint a lost notice) without a database of codes that could
 * leak, and codes of different households are independent: knowing one code says nothing about
 * another. See docs/privacy.md for the entropy argument.
 */
import { createHmac } from "node:crypto";

import { assertNormalisedIdNumber } from "./commitment.js";
import { encodeQueryCode80 } from "./queryCodeFormat.js";
import { parseBureauSecret } from "./secret.js";

/** Domain tag: keeps codes apart from any other use of the same key. */
export const QUERY_CODE_DOMAIN = "fund-disbursement/query-code/v1|";

/**
 * The query code of the household with ID number `idNumber` (normalised, 18 characters):
 * HMAC-SHA256(secret bytes, domain + idNumber), first 80 bits, Crockford base32, as
 * "XXXX-XXXX-XXXX-XXXX". `bureauSecret` is hex or base64 as parseBureauSecret accepts; the key is
 * its decoded bytes, so both spellings of one key give the same codes.
 */
export function deriveQueryCode(bureauSecret: string, idNumber: string): string {
  const key = Buffer.from(parseBureauSecret(bureauSecret), "hex");
  assertNormalisedIdNumber(idNumber);
  const mac = createHmac("sha256", key)
    .update(QUERY_CODE_DOMAIN + idNumber, "utf8")
    .digest();
  const code = encodeQueryCode80(mac);
  return code.match(/.{4}/g)!.join("-");
}
