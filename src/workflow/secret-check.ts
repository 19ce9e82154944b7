/**
 * The bureau secret checked against the chain before any commitment derived from it is sent or
 * written: each region whose households are registered with a secret holds that secret's check
 * (HouseholdRegistry.secretCheckOf, set by its civil-affairs office at the first registration), and a
 * secret whose check differs is refused in one line, naming the region, before anything happens. A
 * wrong secret would otherwise derive commitments nobody holds: households registered twice over,
 * or "not registered" where they are.
 */
import type { Signer } from "ethers";

import { secretCheck } from "../privacy/secret.js";
import type { Suite } from "../suite.js";

export interface SecretCheckPlan {
  /** This secret's check. */
  check: string;
  /** Regions with no check on chain yet: their first registration records it. */
  unset: bigint[];
}

const short = (hex: string) => `${hex.slice(0, 10)}…`;

/** Each distinct region of `regions`, in order, with the check the register holds for it (zero: none). */
async function checksOf(suite: Suite, regions: Iterable<bigint>): Promise<Array<[bigint, string]>> {
  const distinct = [...new Set(regions)].sort((a, b) => (a < b ? -1 : 1));
  const onChain = await Promise.all(distinct.map((r) => suite.households.secretCheckOf(r)));
  return distinct.map((r, i) => [r, onChain[i]!]);
}

const isZero = (check: string) => BigInt(check) === 0n;

/** Throws, naming the regions, if `secret` is not the one `regions`' households were registered with. */
export async function checkBureauSecret(
  suite: Suite,
  secret: string,
  regions: Iterable<bigint>,
  name = "BUREAU_SECRET",
): Promise<SecretCheckPlan> {
  const check = secretCheck(secret);
  const checks = await checksOf(suite, regions);
  const wrong = checks.filter(([, held]) => held !== check && !isZero(held));
  if (wrong.length > 0) {
    throw new Error(
      `${name} is not the bureau secret the households of region ${wrong.map(([r]) => r).join(", ")} were registered with ` +
        `(the register's check ${short(wrong[0]![1])}, this secret's ${short(check)}): set that region's secret with ` +
        `\`npx hardhat keystore set ${name}\`${name === "BUREAU_SECRET" ? " (or, to change the secret on purpose, run `households recommit`)" : ""}. Nothing was sent or written.`,
    );
  }
  return { check, unset: checks.filter(([, held]) => isZero(held)).map(([r]) => r) };
}

/** Records this secret's check for `regions` (a first registration there, or a deliberate rotation). */
export async function recordSecretCheck(
  suite: Suite,
  signer: Signer,
  check: string,
  regions: readonly bigint[],
): Promise<string[]> {
  const hashes: string[] = [];
  for (const region of regions) {
    const tx = await suite.households.connect(signer).setSecretCheck(region, check);
    await tx.wait();
    hashes.push(tx.hash);
  }
  return hashes;
}

/** Of `regions`, those whose check on chain is not `check` (none yet, or another secret's). */
export async function regionsNotChecked(suite: Suite, check: string, regions: Iterable<bigint>): Promise<bigint[]> {
  return (await checksOf(suite, regions)).filter(([, held]) => held !== check).map(([r]) => r);
}
