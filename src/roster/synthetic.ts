/**
 * Fictitious resident ID numbers for tests, fixtures and demos, so that no real person's number
 * ever sits in this repository. They pass every GB 11643 check but start with region "99", which
 * no province uses (real province codes run from 11 to 82), so one is recognisable at a glance.
 */
import { keccak256, toUtf8Bytes } from "ethers";

import { idCheckCharacter } from "./idNumber.js";

/** Distinct `n` below this give distinct numbers (4 region digits × 3 sequence digits). */
export const SYNTHETIC_ID_COUNT = 10_000_000;

const FIRST_DAY = Date.UTC(1940, 0, 1);
const DAY_COUNT = (Date.UTC(2005, 11, 31) - FIRST_DAY) / 86_400_000 + 1;

function yyyymmdd(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${(d.getUTCMonth() + 1).toString().padStart(2, "0")}${d.getUTCDate().toString().padStart(2, "0")}`;
}

/**
 * The `n`-th synthetic ID number: "99" + 4 region digits and a 3-digit sequence taken from `n`
 * (so different `n` never collide), a birth date spread over 1940–2005 by a multiplicative hash of
 * `n` (neighbouring `n` get unrelated dates), and the correct check character.
 * `birthYear` pins the year (1900 to last year), e.g. to build elderly-allowance test rosters.
 */
export function syntheticIdNumber(n: number, options: { birthYear?: number } = {}): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= SYNTHETIC_ID_COUNT) {
    throw new RangeError(`n must be an integer from 0 to ${SYNTHETIC_ID_COUNT - 1}, got ${n}`);
  }
  const region = `99${(n % 10_000).toString().padStart(4, "0")}`;
  const sequence = Math.floor(n / 10_000)
    .toString()
    .padStart(3, "0");
  // Knuth's multiplicative hash (mod 2^32) spreads consecutive n over the date range.
  const spread = Math.imul(n + 1, 2_654_435_761) >>> 0;
  let birth: string;
  if (options.birthYear === undefined) {
    birth = yyyymmdd(FIRST_DAY + (spread % DAY_COUNT) * 86_400_000);
  } else {
    const year = options.birthYear;
    if (!Number.isInteger(year) || year < 1900 || year >= new Date().getUTCFullYear()) {
      throw new RangeError(`birthYear must be an integer from 1900 to last year, got ${year}`);
    }
    // Day 0–364 of the year: always a real date, leap year or not.
    birth = yyyymmdd(Date.UTC(year, 0, 1) + (spread % 365) * 86_400_000);
  }
  const first17 = `${region}${birth}${sequence}`;
  return first17 + idCheckCharacter(first17);
}

/**
 * The person tag of a synthetic household, for tests and benchmarks that register made-up
 * commitments without ID numbers: a hash of the commitment, never a tag of a real person.
 */
export function syntheticPersonTag(commitment: string): string {
  return keccak256(toUtf8Bytes(`synthetic-person|${commitment}`));
}
