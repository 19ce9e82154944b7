/**
 * The household commitment: the only identity of a household on chain. Browser-safe on purpose —
 * the residents' web page computes it locally from the ID number and query code the resident types
 * and asks the chain only by commitment, so neither ever leaves the resident's device. Only ethers'
 * keccak256 and toUtf8Bytes here; no node:crypto. See docs/privacy.md.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import { normaliseQueryCode } from "./queryCodeFormat.js";

/** Domain tag: a commitment can never collide with another protocol's hash of the same strings. */
export const HOUSEHOLD_COMMITMENT_DOMAIN = "fund-disbursement/household/v1|";

/**
 * An 18-character resident ID number (GB 11643) in normalised form: 17 digits and a check
 * character that is a digit or uppercase X. Normalisation (full-width digits, lowercase x, spaces)
 * and the check digit are the roster reader's business; this only refuses a form that would give
 * a different commitment for the same person.
 */
export const ID_NUMBER_PATTERN = /^\d{17}[\dX]$/;

/** Throws unless `idNumber` is in normalised form; the message never echoes the ID number. */
export function assertNormalisedIdNumber(idNumber: string): void {
  if (!ID_NUMBER_PATTERN.test(idNumber)) {
    throw new Error(
      `ID number must be normalised: 17 ASCII digits and a digit or uppercase X (got ${idNumber.length} characters` +
        `${/x$/.test(idNumber) ? ", ending in a lowercase x" : ""})`,
    );
  }
}

/**
 * `keccak256("fund-disbursement/household/v1|" + idNumber + "|" + normalisedCode)` as 0x-hex.
 * `queryCode` may be typed in any form normaliseQueryCode accepts.
 */
export function householdCommitment(idNumber: string, queryCode: string): string {
  assertNormalisedIdNumber(idNumber);
  const code = normaliseQueryCode(queryCode);
  return keccak256(toUtf8Bytes(`${HOUSEHOLD_COMMITMENT_DOMAIN}${idNumber}|${code}`));
}
