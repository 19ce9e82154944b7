/**
 * Household privacy: query codes, commitments, person tags and their keys. This index pulls in node:crypto;
 * browser code imports "./commitment.js" (and "./queryCodeFormat.js") directly.
 */
export {
  assertNormalisedIdNumber,
  HOUSEHOLD_COMMITMENT_DOMAIN,
  householdCommitment,
  ID_NUMBER_PATTERN,
} from "./commitment.js";
export { PERSON_TAG_DOMAIN, personTag } from "./personTag.js";
export { deriveQueryCode, QUERY_CODE_DOMAIN } from "./queryCode.js";
export {
  encodeQueryCode80,
  formatQueryCode,
  normaliseQueryCode,
  QUERY_CODE_ALPHABET,
  QUERY_CODE_LENGTH,
} from "./queryCodeFormat.js";
export { BUREAU_SECRET_MIN_BYTES, generateBureauSecret, parseBureauSecret, parseDedupKey } from "./secret.js";
