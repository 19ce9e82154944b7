/**
 * Shared fixture for the TypeScript tests: the suite deployed by its own Ignition module (so the
 * tests exercise the production wiring), roles granted, regions and departments bound, one
 * programme funded and allocated to two townships, and synthetic households registered.
 * All identities here are synthetic: commitments are hashes of made-up labels, not of ID numbers.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { countyStages, OfficeKind } from "../../../src/offices.js";
import { Role } from "../../../src/roles.js";
import { syntheticPersonTag } from "../../../src/roster/synthetic.js";
import { deploySuite as deploySuiteOn, type Suite, type SuiteParameters } from "../../../src/suite.js";

export const connection = await network.getOrCreate();
export const { ethers, networkHelpers, ignition } = connection;

export const DAY = 24 * 60 * 60;
export const COUNTY = 110101000000n;
export const TOWNSHIP = 110101001000n;
export const TOWNSHIP_B = 110101002000n;
export const OTHER_COUNTY = 110102000000n;
export const DEPT_CIVIL = 0;
export const DEPT_RURAL = 1;
export const DEPT_FINANCE = 2;
/** Three review stages, any order: each department's county office (a county-level 会签). */
export const REVIEW_STAGES = countyStages(DEPT_CIVIL, DEPT_RURAL, DEPT_FINANCE);
/** `reviewStages` of the given departments, each at county level, in any order. */
export { countyStages };
export const BUDGET = 100_000_000n; // 1,000,000.00 yuan in fen
export const CAP = 200_000n; // 2,000.00 yuan
export const PUBLICITY = 7 * DAY;
/** Time after publicity by which every line must be paid (the duty to pay). */
export const PAYOUT_PERIOD = 30 * DAY;
export const HOUSEHOLDS = 600;

/** A synthetic household commitment: never derived from real data. */
export function commitment(label: string | number): string {
  return keccak256(toUtf8Bytes(`synthetic-household-${label}`));
}

/** The synthetic person tag of a synthetic commitment: never derived from real data. */
export const personTagOf = syntheticPersonTag;

/** `registerHouseholds`' person tags for synthetic commitments. */
export const personTagsOf = (commitments: readonly string[]) => commitments.map(personTagOf);

export function terms(
  overrides: Partial<{
    budgetCeiling: bigint;
    householdCap: bigint;
    publicityPeriod: number;
    payoutPeriod: number;
    reviewStages: bigint;
  }> = {},
) {
  return {
    budgetCeiling: BUDGET,
    householdCap: CAP,
    publicityPeriod: PUBLICITY,
    payoutPeriod: PAYOUT_PERIOD,
    reviewStages: REVIEW_STAGES,
    policyDocHash: id("policy document v1"),
    policyURI: "https://policy.example/low-income-2026.pdf",
    ...overrides,
  };
}

export interface Actors {
  deployer: HardhatEthersSigner;
  governance: HardhatEthersSigner;
  programmeAdmin: HardhatEthersSigner;
  countyBureau: HardhatEthersSigner;
  townshipBureau: HardhatEthersSigner;
  townshipBBureau: HardhatEthersSigner;
  civilAffairs: HardhatEthersSigner;
  deptCivil: HardhatEthersSigner;
  deptRural: HardhatEthersSigner;
  deptFinance: HardhatEthersSigner;
  disburser: HardhatEthersSigner;
  bank: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  objector: HardhatEthersSigner;
}

export async function actors(): Promise<Actors> {
  const s = await ethers.getSigners();
  const at = (i: number) => {
    const signer = s[i];
    if (!signer) throw new Error(`the test network has no account #${i}`);
    return signer;
  };
  return {
    deployer: at(0),
    governance: at(1),
    programmeAdmin: at(2),
    countyBureau: at(3),
    townshipBureau: at(4),
    townshipBBureau: at(5),
    civilAffairs: at(6),
    deptCivil: at(7),
    deptRural: at(8),
    deptFinance: at(9),
    disburser: at(10),
    bank: at(11),
    outsider: at(12),
    objector: at(13),
  };
}

/** The suite as the Ignition module deploys it, with typed handles. */
export async function deploySuite(parameters: SuiteParameters = {}): Promise<Suite> {
  return deploySuiteOn(connection, parameters);
}

export type { Suite };

/** Binds `account` to an office (governance holds GOVERNOR without delay in the wired suite). */
export async function bindOffice(suite: Suite, account: string, kind: number, region: bigint, department = 0) {
  const a = await actors();
  await suite.directory.connect(a.governance).bindOffice(account, { kind, department, region });
}

/** The suite with no governance delays (governance holds GOVERNOR from the module), every role
 * granted, and every actor bound to its office: bureaus of the county and two townships, and the
 * county's civil-affairs office, three reviewing offices, treasury and agent bank. */
export async function wiredSuite() {
  const a = await actors();
  const suite = await deploySuite({ adminDelay: 0, grantDelay: 0, governorDelay: 0 });
  const m = suite.manager.connect(a.governance);
  const grants: Array<[bigint, HardhatEthersSigner]> = [
    [Role.PROGRAMME_ADMIN, a.programmeAdmin],
    [Role.BUREAU, a.countyBureau],
    [Role.BUREAU, a.townshipBureau],
    [Role.BUREAU, a.townshipBBureau],
    [Role.CIVIL_AFFAIRS, a.civilAffairs],
    [Role.REVIEWER, a.deptCivil],
    [Role.REVIEWER, a.deptRural],
    [Role.REVIEWER, a.deptFinance],
    [Role.DISBURSER, a.disburser],
    [Role.BANK, a.bank],
  ];
  for (const [role, who] of grants) await m.grantRole(role, who.address, 0);
  const offices: Array<[HardhatEthersSigner, number, bigint, number]> = [
    [a.countyBureau, OfficeKind.Bureau, COUNTY, 0],
    [a.townshipBureau, OfficeKind.Bureau, TOWNSHIP, 0],
    [a.townshipBBureau, OfficeKind.Bureau, TOWNSHIP_B, 0],
    [a.civilAffairs, OfficeKind.CivilAffairs, COUNTY, 0],
    [a.deptCivil, OfficeKind.Reviewer, COUNTY, DEPT_CIVIL],
    [a.deptRural, OfficeKind.Reviewer, COUNTY, DEPT_RURAL],
    [a.deptFinance, OfficeKind.Reviewer, COUNTY, DEPT_FINANCE],
    [a.disburser, OfficeKind.Treasury, COUNTY, 0],
    [a.bank, OfficeKind.Bank, COUNTY, 0],
  ];
  for (const [who, kind, region, department] of offices) await bindOffice(suite, who.address, kind, region, department);
  return { suite, a };
}

/** `wiredSuite` plus a funded programme allocated to two townships, and households 1…600 registered in township A. */
export async function fundedSuite() {
  const { suite, a } = await wiredSuite();
  await suite.programmes.connect(a.programmeAdmin).createProgramme(id("EARMARK-LOW-INCOME"), 202611, COUNTY, terms());
  const programmeId = 1n;
  await suite.ledger.connect(a.programmeAdmin).fundProgramme(programmeId, BUDGET);
  await suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP, BUDGET / 2n);
  await suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP_B, BUDGET / 4n);
  const commitments = Array.from({ length: HOUSEHOLDS }, (_, i) => commitment(i + 1));
  // All of township A (so its ids are 1…600, blocks 0-2); batches of 150 stay below the 16,777,216 gas cap.
  for (let i = 0; i < commitments.length; i += 150) {
    const batch = commitments.slice(i, i + 150);
    await suite.households
      .connect(a.civilAffairs)
      .registerHouseholds(TOWNSHIP, batch, personTagsOf(batch), id(`attestation ${i}`));
  }
  return { suite, a, programmeId, commitments };
}
