/**
 * Person tags: one person, one household, deployment-wide. Node only (node:crypto).
 *
 * A tag is HMAC-SHA256 under the deduplication key of the person's normalised ID number. The
 * household register stores each household's tag and refuses a second household for the same tag,
 * so a person cannot be registered twice: not by another township, not by a bureau that lost or
 * changed its secret (whose commitments would be new). Unlike a plain hash of the ID number, a tag
 * cannot be enumerated without the key; with the key, every tag can be linked to its ID number, so
 * the key stays with the one office that registers households. See docs/privacy.md.
 */
import { createHmac } from "node:crypto";

import { assertNormalisedIdNumber } from "./commitment.js";
import { parseDedupKey } from "./secret.js";

/** Domain tag: keeps person tags apart from query codes, even under one key. */
export const PERSON_TAG_DOMAIN = "fund-disbursement/person/v1|";

/** The person tag of `idNumber` (normalised, 18 characters) as 0x-hex: HMAC-SHA256(key, domain + idNumber). */
export function personTag(dedupKey: string, idNumber: string): string {
  const key = Buffer.from(parseDedupKey(dedupKey), "hex");
  assertNormalisedIdNumber(idNumber);
  return `0x${createHmac("sha256", key)
    .update(PERSON_TAG_DOMAIN + idNumber, "utf8")
    .digest("hex")}`;
}
