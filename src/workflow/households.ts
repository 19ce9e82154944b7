/**
 * From validated roster entries to households on chain: query codes and commitments (derived on
 * the bureau's machine from the ID number and the bureau secret), person tags (from the ID number
 * and the registering office's deduplication key), registry look-ups, and bulk registration that
 * skips households already registered and refuses people registered under another commitment.
 */
import type { Signer } from "ethers";

import { mapLimit } from "../async.js";
import { groupBy } from "../group.js";
import { householdCommitment } from "../privacy/commitment.js";
import { personTag } from "../privacy/personTag.js";
import { deriveQueryCode } from "../privacy/queryCode.js";
import { LEVELS, OfficeKind } from "../offices.js";
import type { RosterEntry } from "../roster/index.js";
import { isWithinRegion, regionAt } from "../roster/village.js";
import { recordSecretCheck, type SecretCheckPlan } from "./secret-check.js";
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
export async function householdIdsOf(
  suite: Suite,
  commitments: readonly string[],
  concurrency = 16,
): Promise<bigint[]> {
  return mapLimit(commitments, concurrency, (c) => suite.households.householdIdOf(c));
}

/** A household to register: its commitment, its person's tag, its region, and (for messages) its line in the file. */
export interface HouseholdToRegister {
  commitment: string;
  personTag: string;
  region: bigint;
  line?: number;
}

const TOWNSHIP_LEVEL = LEVELS.indexOf("township");

/**
 * The region a household is registered in: the township of its village (the village itself if the
 * code names a township or a region above). Rosters are drawn up per township or above, and a
 * roster pays only households of its region, so a township's households share their blocks of ids
 * and a payout reads one block word per 256 of them.
 */
export function registrationRegion(village: bigint): bigint {
  return regionAt(village, TOWNSHIP_LEVEL) ?? village;
}

/** The person tag and registration region of each prepared household, under the registering office's deduplication key. */
export function withPersonTags(households: readonly PreparedHousehold[], dedupKey: string): HouseholdToRegister[] {
  return households.map((h) => ({
    commitment: h.commitment,
    personTag: personTag(dedupKey, h.entry.idNumber),
    region: registrationRegion(h.entry.village),
    line: h.entry.line,
  }));
}

/** Households whose region the registering office does not cover: the register would refuse them. */
export class OutsideOfficeError extends Error {
  constructor(office: string, regions: ReadonlyMap<bigint, Array<number | undefined>>) {
    const shown = [...regions]
      .slice(0, 5)
      .map(
        ([region, lines]) =>
          `${region} (${lines.length} household(s)${lines[0] === undefined ? "" : `, first at line ${lines[0]}`})`,
      )
      .join(", ");
    super(
      `${office} cannot register households of ${shown}: an office registers only households of its own region. ` +
        "Use --from with the civil-affairs office of that township or of a region above it, or take those lines out of the file. Nothing was sent.",
    );
  }
}

export interface RegistrationReport {
  registered: number;
  alreadyRegistered: number;
  transactions: string[];
  /** Regions whose bureau-secret check this run recorded (their first registration). */
  secretCheckRecorded: bigint[];
}

/** A person the file would register is registered already under another commitment. */
export interface PersonConflict {
  line?: number;
  household: bigint;
}

/**
 * People already registered under other commitments: the register would refuse them (one person,
 * one household). Almost always the bureau secret differs from the one they were registered with
 * (so every commitment is new), or another township registered them.
 */
export class PeopleAlreadyRegisteredError extends Error {
  constructor(
    readonly conflicts: readonly PersonConflict[],
    readonly total: number,
  ) {
    const shown = conflicts
      .slice(0, 5)
      .map((c) => `${c.line === undefined ? "" : `line ${c.line} `}as household ${c.household}`)
      .join(", ");
    const more = conflicts.length > 5 ? `, … (${conflicts.length} in all)` : "";
    super(
      `${conflicts.length} of ${total} people are registered already under other commitments (${shown}${more}): ` +
        (conflicts.length === total
          ? "the BUREAU_SECRET in use differs from the one they were registered with"
          : "the bureau secret differs from the one used for them, or another township registered them") +
        `. Use the secret they were registered with; to change it on purpose, follow docs/privacy.md "Rotating the bureau secret". Nothing was sent.`,
    );
  }
}

/** The household each person tag is registered as (0n: none), a few calls in flight at a time. */
async function householdsOfPeople(suite: Suite, tags: readonly string[], concurrency = 16): Promise<bigint[]> {
  return mapLimit(tags, concurrency, (tag) => suite.households.householdOfPerson(tag));
}

/** What a registration would do: the households to register, and how many are registered already. */
export async function planRegistration(suite: Suite, households: readonly HouseholdToRegister[]) {
  const byCommitment = new Map(households.map((h) => [h.commitment, h]));
  const unique = [...byCommitment.values()];
  const ids = await householdIdsOf(
    suite,
    unique.map((h) => h.commitment),
  );
  const missing = unique.filter((_, i) => ids[i] === 0n);
  const holders = await householdsOfPeople(
    suite,
    missing.map((h) => h.personTag),
  );
  const conflicts = missing.flatMap((h, i) => (holders[i] === 0n ? [] : [{ line: h.line, household: holders[i]! }]));
  return { missing, alreadyRegistered: unique.length - missing.length, conflicts, total: unique.length };
}

/**
 * Registers the households not yet registered, in batches (three storage words per household, so
 * 150 a transaction stays far below the 16,777,216-gas cap). Rerunnable: it looks up what is
 * registered first, so a run that stopped half-way continues without duplicates. Refuses, sending
 * nothing, when a person is registered already under another commitment (PeopleAlreadyRegisteredError).
 */
export async function registerHouseholds(
  suite: Suite,
  signer: Signer,
  households: readonly HouseholdToRegister[],
  attestationHash: string,
  options: {
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
    /** This bureau secret's check, and the regions that hold none yet (secret-check.ts). */
    secretCheck?: SecretCheckPlan;
  } = {},
): Promise<RegistrationReport> {
  const plan = await planRegistration(suite, households);
  if (plan.conflicts.length > 0) throw new PeopleAlreadyRegisteredError(plan.conflicts, plan.total);
  const { missing } = plan;
  await expectOfficeCovers(suite, await signer.getAddress(), missing);
  // The first registration in a region records which secret its commitments are derived with.
  const first = options.secretCheck?.unset.filter((r) => missing.some((h) => h.region === r)) ?? [];
  const checks = await recordSecretCheck(suite, signer, options.secretCheck?.check ?? "", first);
  const batchSize = options.batchSize ?? 150;
  const report: RegistrationReport = {
    registered: 0,
    alreadyRegistered: plan.alreadyRegistered,
    transactions: [...checks],
    secretCheckRecorded: first,
  };
  const registry = suite.households.connect(signer);
  // One region a transaction: its households fill that region's blocks of ids.
  const batches = [...groupBy(missing, (h) => h.region)].flatMap(([region, group]) =>
    Array.from({ length: Math.ceil(group.length / batchSize) }, (_, i) => ({
      region,
      batch: group.slice(i * batchSize, (i + 1) * batchSize),
    })),
  );
  for (const { region, batch } of batches) {
    const tx = await registry.registerHouseholds(
      region,
      batch.map((h) => h.commitment),
      batch.map((h) => h.personTag),
      attestationHash,
    );
    await tx.wait();
    report.registered += batch.length;
    report.transactions.push(tx.hash);
    options.onProgress?.(report.registered, missing.length);
  }
  return report;
}

/** Refuses, before anything is sent, households whose region the account's civil-affairs office does not cover. */
async function expectOfficeCovers(
  suite: Suite,
  account: string,
  households: readonly HouseholdToRegister[],
): Promise<void> {
  if (households.length === 0) return;
  const office = await suite.directory.officeOf(account);
  const outside = groupBy(
    households.filter(
      (h) => Number(office.kind) !== OfficeKind.CivilAffairs || !isWithinRegion(h.region, office.region),
    ),
    (h) => h.region,
  );
  if (outside.size === 0) return;
  const name =
    Number(office.kind) === OfficeKind.CivilAffairs
      ? `account ${account}, the civil-affairs office of ${office.region},`
      : `account ${account}, which holds no civil-affairs office,`;
  throw new OutsideOfficeError(
    name,
    new Map([...outside].map(([region, group]) => [region, group.map((h) => h.line)])),
  );
}

/** The ids a registration gave, in order, from its receipt's HouseholdRegistered events. */
export function registeredIds(
  suite: Suite,
  receipt: { logs: ReadonlyArray<{ address: string; topics: ReadonlyArray<string>; data: string }> },
): bigint[] {
  const registry = suite.addresses.households.toLowerCase();
  return receipt.logs.flatMap((log) => {
    if (log.address.toLowerCase() !== registry) return [];
    const parsed = suite.households.interface.parseLog({ topics: [...log.topics], data: log.data });
    return parsed?.name === "HouseholdRegistered" ? [parsed.args.household as bigint] : [];
  });
}

/** One household whose commitment a rotation of the bureau secret replaces. */
export interface Recommitment {
  line?: number;
  household: bigint;
  commitment: string;
  personTag: string;
}

/** What a rotation would do: households to recommit, households done already, lines that cannot be. */
export interface RecommitPlan {
  toReplace: Recommitment[];
  done: number;
  /** Lines registered under neither secret: the old secret given is not the one they were registered with. */
  unknown: Array<number | undefined>;
}

/**
 * Plans a deliberate rotation of the bureau secret for the people of a roster: each household
 * registered under the old secret's commitment gets the new secret's commitment (same id, same
 * status, same payouts), proven to be the same person by its person tag. Rerunnable: households
 * already under the new commitment are counted as done.
 */
export async function planRecommit(
  suite: Suite,
  previous: readonly PreparedHousehold[],
  next: readonly HouseholdToRegister[],
): Promise<RecommitPlan> {
  const [oldIds, newIds] = await Promise.all([
    householdIdsOf(
      suite,
      previous.map((h) => h.commitment),
    ),
    householdIdsOf(
      suite,
      next.map((h) => h.commitment),
    ),
  ]);
  const plan: RecommitPlan = { toReplace: [], done: 0, unknown: [] };
  next.forEach((h, i) => {
    if (newIds[i] !== 0n) plan.done++;
    else if (oldIds[i] !== 0n)
      plan.toReplace.push({ line: h.line, household: oldIds[i]!, commitment: h.commitment, personTag: h.personTag });
    else plan.unknown.push(h.line);
  });
  return plan;
}

/** Sends the replacements of a plan, one transaction each (a rotation is rare and small per roster). */
export async function sendRecommit(
  suite: Suite,
  signer: Signer,
  plan: RecommitPlan,
  reasonHash: string,
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> {
  const registry = suite.households.connect(signer);
  const transactions: string[] = [];
  for (const r of plan.toReplace) {
    const tx = await registry.replaceCommitment(r.household, r.commitment, r.personTag, reasonHash);
    await tx.wait();
    transactions.push(tx.hash);
    onProgress?.(transactions.length, plan.toReplace.length);
  }
  return transactions;
}

/** Suspends a household (it is never paid while suspended) for `reason` (IHouseholdRegistry.SuspensionReason). */
export async function suspendHousehold(
  suite: Suite,
  household: bigint,
  reason: number,
  reasonHash: string,
): Promise<string> {
  const tx = await suite.households.suspendHousehold(household, reason, reasonHash);
  await tx.wait();
  return tx.hash;
}

/**
 * Reinstates a suspended household. One suspended as deceased is reinstated by two civil-affairs
 * offices: the first call only proposes it (`proposed`), the second reinstates.
 */
export async function reinstateHousehold(
  suite: Suite,
  household: bigint,
  reasonHash: string,
): Promise<{ txHash: string; proposed: boolean }> {
  const tx = await suite.households.reinstateHousehold(household, reasonHash);
  const receipt = await tx.wait();
  const proposed = (receipt?.logs ?? []).some(
    (log) => suite.households.interface.parseLog(log)?.name === "ReinstatementProposed",
  );
  return { txHash: tx.hash, proposed };
}
