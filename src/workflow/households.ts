/**
 * From validated roster entries to households on chain: query codes and commitments (derived on
 * the bureau's machine from the ID number and the bureau secret), registry look-ups, and bulk
 * registration that skips households already registered.
 */
import type { Signer } from "ethers";

import { householdCommitment } from "../privacy/commitment.js";
import { deriveQueryCode } from "../privacy/queryCode.js";
import type { RosterEntry } from "../roster/index.js";
import type { Suite } from "../suite.js";

export interface PreparedHousehold {
  entry: RosterEntry;
  queryCode: string;
  commitment: string;
}

export function prepareHouseholds(entries: readonly RosterEntry[], bureauSecret: string): PreparedHousehold[] {
  return entries.map((entry) => {
    const queryCode = deriveQueryCode(bureauSecret, entry.idNumber);
    return { entry, queryCode, commitment: householdCommitment(entry.idNumber, queryCode) };
  });
}

/** The registry id of each commitment (0n: not registered), a few calls in flight at a time. */
export async function householdIdsOf(suite: Suite, commitments: readonly string[], concurrency = 16): Promise<bigint[]> {
  const ids: bigint[] = new Array<bigint>(commitments.length).fill(0n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < commitments.length; i = next++) ids[i] = await suite.households.householdIdOf(commitments[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, commitments.length) }, worker));
  return ids;
}

export interface RegistrationReport {
  registered: number;
  alreadyRegistered: number;
  transactions: string[];
}

/**
 * Registers the commitments not yet registered, in batches (two storage words per household, so
 * 200 a transaction stays far below the 16,777,216-gas cap). Rerunnable: it looks up what is
 * registered first, so a run that stopped half-way continues without duplicates.
 */
export async function registerHouseholds(
  suite: Suite,
  signer: Signer,
  commitments: readonly string[],
  attestationHash: string,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RegistrationReport> {
  const unique = [...new Set(commitments)];
  const ids = await householdIdsOf(suite, unique);
  const missing = unique.filter((_, i) => ids[i] === 0n);
  const batchSize = options.batchSize ?? 200;
  const report: RegistrationReport = { registered: 0, alreadyRegistered: unique.length - missing.length, transactions: [] };
  const registry = suite.households.connect(signer);
  for (let i = 0; i < missing.length; i += batchSize) {
    const batch = missing.slice(i, i + batchSize);
    const tx = await registry.registerHouseholds(batch, attestationHash);
    await tx.wait();
    report.registered += batch.length;
    report.transactions.push(tx.hash);
    options.onProgress?.(report.registered, missing.length);
  }
  return report;
}
