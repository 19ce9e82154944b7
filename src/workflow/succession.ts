/**
 * Successor suites: a new suite's household register takes over its predecessor's households
 * (HouseholdRegistry.importHouseholds copies each and checks it against the predecessor on chain),
 * and a check that the two registers are equal, household by household. Programmes already running
 * stay on the suite they started in. See docs/spec.md, "Successor suites".
 */
import type { Signer } from "ethers";

import { mapLimit } from "../async.js";
import type { Suite } from "../suite.js";

/** The person tag of every household id a register registered (HouseholdRegistered) or imported (HouseholdImported), from its events. */
export async function personTagsById(
  suite: Suite,
  options: { fromBlock?: number; blockSpan?: number; event?: "HouseholdRegistered" | "HouseholdImported" } = {},
): Promise<Map<bigint, string>> {
  const registry = suite.households;
  const filter =
    options.event === "HouseholdImported"
      ? registry.filters.HouseholdImported()
      : registry.filters.HouseholdRegistered();
  const latest = await registry.runner!.provider!.getBlockNumber();
  // Ranges of at most 5,000 blocks: the default limit of Besu's eth_getLogs.
  const span = options.blockSpan ?? 5_000;
  const tags = new Map<bigint, string>();
  for (let from = options.fromBlock ?? 0; from <= latest; from += span) {
    for (const e of await registry.queryFilter(filter, from, Math.min(latest, from + span - 1)))
      tags.set(e.args.household, e.args.personTag);
  }
  return tags;
}

export interface ImportReport {
  imported: number;
  alreadyImported: number;
  transactions: string[];
}

/**
 * Copies the predecessor's households not yet imported, in batches; rerunnable (the register
 * remembers how many it has). Refuses, sending nothing, unless the predecessor register is paused
 * (frozen) and the new register was deployed with it as predecessor.
 */
export async function importHouseholds(
  successor: Suite,
  signer: Signer,
  predecessor: Suite,
  options: { batchSize?: number; fromBlock?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportReport> {
  const [declared, already] = await successor.households.importState();
  const predecessorAddress = await predecessor.households.getAddress();
  if (declared.toLowerCase() !== predecessorAddress.toLowerCase()) {
    throw new Error(
      `the new suite's household register was deployed with predecessor ${declared}, not ${predecessorAddress} (--predecessor): deploy it with the Ignition parameter predecessorHouseholds`,
    );
  }
  if (!(await predecessor.households.paused())) {
    throw new Error(
      `the predecessor's household register ${predecessorAddress} is not paused: its guardian must pause it first, so that the copy cannot drift; nothing was sent`,
    );
  }
  const total = await predecessor.households.householdCount();
  const tags = await personTagsById(predecessor, { fromBlock: options.fromBlock });
  const ids = idOrder(tags);
  if (BigInt(ids.length) !== total) {
    throw new Error(
      `the predecessor's HouseholdRegistered events name ${ids.length} households, but it holds ${total}: index the predecessor from an earlier block (--from-block); nothing was sent`,
    );
  }
  const report: ImportReport = { imported: 0, alreadyImported: Number(already), transactions: [] };
  const batchSize = options.batchSize ?? 100;
  const registry = successor.households.connect(signer);
  // The register copies in id order (ids come in blocks of 256, so they are not consecutive).
  for (let next = Number(already); next < ids.length; next += batchSize) {
    const batch = ids.slice(next, next + batchSize).map((id) => tags.get(id)!);
    const tx = await registry.importHouseholds(batch);
    await tx.wait();
    report.imported += batch.length;
    report.transactions.push(tx.hash);
    options.onProgress?.(Number(already) + report.imported, Number(total));
  }
  return report;
}

export interface RegisterDifference {
  household: bigint;
  what: string;
}

/** The household ids of `tags`, ascending. */
function idOrder(tags: ReadonlyMap<bigint, string>): bigint[] {
  return [...tags.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Compares two registers household by household: count, commitment, region, status and person tag. */
export async function compareRegisters(
  successor: Suite,
  predecessor: Suite,
  options: { fromBlock?: number; concurrency?: number } = {},
) {
  const [count, predecessorCount] = await Promise.all([
    successor.households.householdCount(),
    predecessor.households.householdCount(),
  ]);
  const [, imported] = await successor.households.importState();
  const differences: RegisterDifference[] = [];
  if (imported !== predecessorCount)
    differences.push({
      household: 0n,
      what: `${imported} of the predecessor's ${predecessorCount} households imported`,
    });
  const tags = await personTagsById(predecessor, { fromBlock: options.fromBlock });
  // The households the successor copied, as its HouseholdImported events name them.
  const ids = idOrder(await personTagsById(successor, { fromBlock: options.fromBlock, event: "HouseholdImported" }));
  await mapLimit(ids, options.concurrency ?? 16, async (id) => {
    const [a, b, ra, rb, sa, sb, da, db] = await Promise.all([
      successor.households.commitmentOf(id),
      predecessor.households.commitmentOf(id),
      successor.households.regionOf(id),
      predecessor.households.regionOf(id),
      successor.households.statusOf(id),
      predecessor.households.statusOf(id),
      successor.households.deceasedWord(id >> 8n),
      predecessor.households.deceasedWord(id >> 8n),
    ]);
    if (a !== b) differences.push({ household: id, what: `commitment ${a} here, ${b} in the predecessor` });
    if (ra !== rb) differences.push({ household: id, what: `region ${ra} here, ${rb} in the predecessor` });
    if (sa !== sb) differences.push({ household: id, what: `status ${sa} here, ${sb} in the predecessor` });
    if (((da >> (id & 255n)) & 1n) !== ((db >> (id & 255n)) & 1n))
      differences.push({ household: id, what: "suspended as deceased in one register only" });
    const tag = tags.get(id);
    if (!tag || (await successor.households.householdOfPerson(tag)) !== id)
      differences.push({ household: id, what: "person tag differs from the predecessor's" });
  });
  differences.sort((x, y) => (x.household < y.household ? -1 : x.household > y.household ? 1 : 0));
  return { count, predecessorCount, imported, differences };
}
