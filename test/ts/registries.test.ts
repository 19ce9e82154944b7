/**
 * The three registries: Directory (the offices, and which account holds each), ProgrammeRegistry
 * (programmes and their terms) and HouseholdRegistry (commitments, ids and suspensions), plus the
 * lens's household view. All identities are synthetic: commitments are hashes of made-up labels.
 */
import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";

import { batchProof, packLine } from "../../src/lines.js";
import { OFFICE_KINDS, OfficeKind, packStages, unpackStages } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import {
  BUDGET,
  bindOffice,
  CAP,
  commitment,
  COUNTY,
  countyStages,
  DAY,
  DEPT_CIVIL,
  DEPT_FINANCE,
  DEPT_RURAL,
  ethers,
  fundedSuite,
  HOUSEHOLDS,
  networkHelpers,
  OTHER_COUNTY,
  terms,
  TOWNSHIP,
  TOWNSHIP_B,
  personTagOf,
  personTagsOf,
  wiredSuite,
} from "./helpers/fixture.js";
import { makeLines, payableRoster } from "./helpers/rosters.js";

const { loadFixture } = networkHelpers;

/** IHouseholdRegistry.HouseholdStatus */
const Status = { Unregistered: 0n, Active: 1n, Suspended: 2n } as const;
/** IHouseholdRegistry.SuspensionReason */
const Reason = { Deceased: 0, MovedAway: 1, Ineligible: 2, Other: 3 } as const;

const VILLAGE = 110101001001n; // a village under TOWNSHIP
const MAX_PUBLICITY = 90 * DAY;

/** An office as `officeOf` returns it: [kind, department, region]. */
function office(kind: number, region: bigint, department = 0): [bigint, bigint, bigint] {
  return [BigInt(kind), BigInt(department), region];
}
const NO_OFFICE = office(OfficeKind.None, 0n);
function officeTuple(o: { kind: bigint; department: bigint; region: bigint }): [bigint, bigint, bigint] {
  return [o.kind, o.department, o.region];
}

/** The order flag of `reviewStages` (ReviewStages.ORDERED). */
const ORDERED = 1n << 255n;
/** Village collects, township reviews, county approves: civil affairs at the township, then civil
 * affairs and finance at the county, in this order. */
const TIERED = {
  stages: [
    { department: DEPT_CIVIL, level: 4 },
    { department: DEPT_CIVIL, level: 3 },
    { department: DEPT_FINANCE, level: 3 },
  ],
  ordered: true,
};
/** The most stages a programme can have: eight, in order, from province to village, up to department 255. */
const EIGHT_STAGES = packStages({
  stages: Array.from({ length: 8 }, (_, i) => ({ department: i === 7 ? 255 : i, level: (i % 5) + 1 })),
  ordered: true,
});
/** Stage `i` as raw bits (department, level), bypassing packStages' own checks. */
const rawStage = (i: number, department: number, level: number) =>
  ((BigInt(level) << 8n) | BigInt(department)) << BigInt(16 * i);

function termsTuple(t: ReturnType<typeof terms>) {
  return [
    t.budgetCeiling,
    t.householdCap,
    t.publicityPeriod,
    t.payoutPeriod,
    t.reviewStages,
    t.policyDocHash,
    t.policyURI,
  ];
}

async function blockTimestamp(tx: { wait(): Promise<{ blockNumber: number } | null> }): Promise<number> {
  const receipt = await tx.wait();
  if (!receipt) throw new Error("no receipt");
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error("no block");
  return block.timestamp;
}

/** The wired suite with a few registered households (ids 1…5), for the registry tests. */
async function smallRegister() {
  const { suite, a } = await wiredSuite();
  const commitments = ["alpha", "bravo", "charlie", "delta", "echo"].map((l) => commitment(`registry-${l}`));
  await suite.households
    .connect(a.civilAffairs)
    .registerHouseholds(TOWNSHIP, commitments, personTagsOf(commitments), id("attestation small"));
  return { suite, a, commitments };
}

/** The wired suite with one programme (no funding), for programme tests. */
async function oneProgramme() {
  const { suite, a } = await wiredSuite();
  await suite.programmes.connect(a.programmeAdmin).createProgramme(id("EARMARK-REGISTRY"), 202611, COUNTY, terms());
  return { suite, a, programmeId: 1n };
}

describe("Registries", () => {
  // ================================================================================ Directory
  describe("Directory", () => {
    it("the wired suite's offices are visible through officeOf, holderOf, bureauOf, covers and isRetired", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory;
      const bound: Array<[string, number, bigint, number]> = [
        [a.countyBureau.address, OfficeKind.Bureau, COUNTY, 0],
        [a.townshipBureau.address, OfficeKind.Bureau, TOWNSHIP, 0],
        [a.townshipBBureau.address, OfficeKind.Bureau, TOWNSHIP_B, 0],
        [a.civilAffairs.address, OfficeKind.CivilAffairs, COUNTY, 0],
        [a.deptCivil.address, OfficeKind.Reviewer, COUNTY, DEPT_CIVIL],
        [a.deptRural.address, OfficeKind.Reviewer, COUNTY, DEPT_RURAL],
        [a.deptFinance.address, OfficeKind.Reviewer, COUNTY, DEPT_FINANCE],
        [a.disburser.address, OfficeKind.Treasury, COUNTY, 0],
        [a.bank.address, OfficeKind.Bank, COUNTY, 0],
      ];
      for (const [account, kind, region, department] of bound) {
        expect(officeTuple(await d.officeOf(account)), account).to.deep.equal(office(kind, region, department));
        expect(await d.holderOf({ kind, department, region })).to.equal(account);
        expect(await d.isRetired(account)).to.equal(false);
      }
      expect(await d.bureauOf(COUNTY)).to.equal(a.countyBureau.address);
      expect(await d.bureauOf(TOWNSHIP)).to.equal(a.townshipBureau.address);
      expect(await d.bureauOf(TOWNSHIP_B)).to.equal(a.townshipBBureau.address);
      expect(await d.bureauOf(OTHER_COUNTY)).to.equal(ZeroAddress);
      expect(await d.bureauOf(VILLAGE)).to.equal(ZeroAddress);
      // Vacant offices and unbound accounts.
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: 3, region: COUNTY })).to.equal(ZeroAddress);
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_CIVIL, region: TOWNSHIP })).to.equal(
        ZeroAddress,
      );
      expect(await d.holderOf({ kind: OfficeKind.Treasury, department: 0, region: OTHER_COUNTY })).to.equal(
        ZeroAddress,
      );
      expect(officeTuple(await d.officeOf(a.outsider.address))).to.deep.equal(NO_OFFICE);
      expect(officeTuple(await d.officeOf(ZeroAddress))).to.deep.equal(NO_OFFICE);
      expect(await d.isRetired(a.outsider.address)).to.equal(false);

      // covers: the office's kind, and a region in its subtree (itself or below).
      expect(await d.covers(a.deptCivil.address, OfficeKind.Reviewer, COUNTY)).to.equal(true);
      expect(await d.covers(a.deptCivil.address, OfficeKind.Reviewer, TOWNSHIP)).to.equal(true);
      expect(await d.covers(a.deptCivil.address, OfficeKind.Reviewer, VILLAGE)).to.equal(true);
      expect(await d.covers(a.deptCivil.address, OfficeKind.Reviewer, OTHER_COUNTY)).to.equal(false);
      expect(await d.covers(a.deptCivil.address, OfficeKind.Reviewer, 110100000000n)).to.equal(false); // the city above
      expect(await d.covers(a.deptCivil.address, OfficeKind.Treasury, COUNTY)).to.equal(false); // another kind
      expect(await d.covers(a.disburser.address, OfficeKind.Treasury, TOWNSHIP_B)).to.equal(true);
      expect(await d.covers(a.bank.address, OfficeKind.Bank, VILLAGE)).to.equal(true);
      expect(await d.covers(a.bank.address, OfficeKind.Treasury, VILLAGE)).to.equal(false);
      expect(await d.covers(a.civilAffairs.address, OfficeKind.CivilAffairs, TOWNSHIP)).to.equal(true);
      expect(await d.covers(a.townshipBureau.address, OfficeKind.Bureau, TOWNSHIP)).to.equal(true);
      expect(await d.covers(a.townshipBureau.address, OfficeKind.Bureau, VILLAGE)).to.equal(true);
      expect(await d.covers(a.townshipBureau.address, OfficeKind.Bureau, COUNTY)).to.equal(false); // not upwards
      expect(await d.covers(a.townshipBureau.address, OfficeKind.Bureau, TOWNSHIP_B)).to.equal(false); // not sideways
      // An unbound account covers nothing, not even as kind None; nor does any office cover an invalid region.
      expect(await d.covers(a.outsider.address, OfficeKind.None, COUNTY)).to.equal(false);
      expect(await d.covers(a.outsider.address, OfficeKind.Reviewer, COUNTY)).to.equal(false);
      expect(await d.covers(a.deptCivil.address, OfficeKind.Reviewer, 0n)).to.equal(false);
      expect(await d.covers(a.deptCivil.address, OfficeKind.Reviewer, 1_000_000_000_000n)).to.equal(false);
    });

    it("bindOffice emits OfficeBound with a zero previous holder for a vacant office, of every kind", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      const signers = await ethers.getSigners();
      const fresh = (i: number) => {
        const s = signers[i];
        if (!s) throw new Error(`the test network has no account #${i}`);
        return s.address;
      };
      const offices: Array<[string, number, bigint, number]> = [
        [a.objector.address, OfficeKind.Bureau, VILLAGE, 0],
        [a.outsider.address, OfficeKind.CivilAffairs, TOWNSHIP, 0],
        [fresh(15), OfficeKind.Reviewer, TOWNSHIP, DEPT_CIVIL], // the same department, a level lower
        [fresh(16), OfficeKind.Reviewer, COUNTY, 255], // the highest department
        [fresh(17), OfficeKind.Treasury, OTHER_COUNTY, 0],
        [fresh(18), OfficeKind.Bank, 110100000000n, 0], // a city
      ];
      for (const [account, kind, region, department] of offices) {
        await expect(d.bindOffice(account, { kind, department, region }))
          .to.emit(d, "OfficeBound")
          .withArgs(account, kind, department, region, ZeroAddress);
        expect(officeTuple(await d.officeOf(account))).to.deep.equal(office(kind, region, department));
        expect(await d.holderOf({ kind, department, region })).to.equal(account);
        expect(await d.isRetired(account)).to.equal(false);
      }
      expect(await d.bureauOf(VILLAGE)).to.equal(a.objector.address);
      // Binding a vacant office vacates nobody.
      const receipt = await (
        await d.bindOffice(fresh(19), { kind: OfficeKind.Reviewer, department: 3, region: COUNTY })
      ).wait();
      const vacated = receipt!.logs.filter((l) => d.interface.parseLog(l)?.name === "OfficeVacated");
      expect(vacated).to.have.length(0);
      // The offices bound before are untouched.
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_CIVIL, region: COUNTY })).to.equal(
        a.deptCivil.address,
      );
      expect(await d.bureauOf(TOWNSHIP)).to.equal(a.townshipBureau.address);
    });

    it("an account holds one office only, of any kind and anywhere (DirectoryAccountAlreadyBound)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      const attempts: Array<[string, [number, bigint, number], [number, bigint, number]]> = [
        // A bureau cannot also be a reviewing office, nor the bureau of a second region, nor its own office again.
        [a.countyBureau.address, [OfficeKind.Reviewer, COUNTY, 3], [OfficeKind.Bureau, COUNTY, 0]],
        [a.townshipBureau.address, [OfficeKind.Bureau, VILLAGE, 0], [OfficeKind.Bureau, TOWNSHIP, 0]],
        [a.countyBureau.address, [OfficeKind.Bureau, COUNTY, 0], [OfficeKind.Bureau, COUNTY, 0]],
        // A reviewing office cannot be a bureau, nor a second department, nor the same department elsewhere.
        [a.deptCivil.address, [OfficeKind.Bureau, VILLAGE, 0], [OfficeKind.Reviewer, COUNTY, DEPT_CIVIL]],
        [a.deptRural.address, [OfficeKind.Reviewer, COUNTY, DEPT_FINANCE], [OfficeKind.Reviewer, COUNTY, DEPT_RURAL]],
        [a.deptRural.address, [OfficeKind.Reviewer, TOWNSHIP, DEPT_RURAL], [OfficeKind.Reviewer, COUNTY, DEPT_RURAL]],
        // Civil affairs, treasury and bank: no second duty either (the treasury cannot be its own bank).
        [a.civilAffairs.address, [OfficeKind.CivilAffairs, TOWNSHIP, 0], [OfficeKind.CivilAffairs, COUNTY, 0]],
        [a.disburser.address, [OfficeKind.Bank, COUNTY, 0], [OfficeKind.Treasury, COUNTY, 0]],
        [a.bank.address, [OfficeKind.Treasury, TOWNSHIP, 0], [OfficeKind.Bank, COUNTY, 0]],
        [a.bank.address, [OfficeKind.Reviewer, COUNTY, DEPT_FINANCE], [OfficeKind.Bank, COUNTY, 0]],
      ];
      for (const [account, [kind, region, department], [heldKind, heldRegion, heldDepartment]] of attempts) {
        await expect(
          d.bindOffice(account, { kind, department, region }),
          `${account} → ${kind}@${region}/${department}`,
        )
          .to.be.revertedWithCustomError(d, "DirectoryAccountAlreadyBound")
          .withArgs(account, [heldKind, heldDepartment, heldRegion]);
      }
      // Nothing moved: every office keeps its holder, and no one is retired.
      expect(await d.bureauOf(VILLAGE)).to.equal(ZeroAddress);
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_FINANCE, region: COUNTY })).to.equal(
        a.deptFinance.address,
      );
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: 3, region: COUNTY })).to.equal(ZeroAddress);
      expect(await d.holderOf({ kind: OfficeKind.Bank, department: 0, region: COUNTY })).to.equal(a.bank.address);
      expect(officeTuple(await d.officeOf(a.deptRural.address))).to.deep.equal(
        office(OfficeKind.Reviewer, COUNTY, DEPT_RURAL),
      );
      expect(officeTuple(await d.officeOf(a.disburser.address))).to.deep.equal(office(OfficeKind.Treasury, COUNTY));
      for (const [account] of attempts) expect(await d.isRetired(account)).to.equal(false);
    });

    it("binding a held office replaces its holder: OfficeVacated, then OfficeBound naming the previous holder, who is retired", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      const tx = d.bindOffice(a.objector.address, { kind: OfficeKind.Bureau, department: 0, region: TOWNSHIP });
      await expect(tx).to.emit(d, "OfficeVacated").withArgs(a.townshipBureau.address, OfficeKind.Bureau, 0, TOWNSHIP);
      await expect(tx)
        .to.emit(d, "OfficeBound")
        .withArgs(a.objector.address, OfficeKind.Bureau, 0, TOWNSHIP, a.townshipBureau.address);
      expect(await d.bureauOf(TOWNSHIP)).to.equal(a.objector.address);
      expect(officeTuple(await d.officeOf(a.objector.address))).to.deep.equal(office(OfficeKind.Bureau, TOWNSHIP));
      expect(officeTuple(await d.officeOf(a.townshipBureau.address))).to.deep.equal(NO_OFFICE);
      expect(await d.isRetired(a.townshipBureau.address)).to.equal(true);
      expect(await d.isRetired(a.objector.address)).to.equal(false);
      expect(await d.covers(a.townshipBureau.address, OfficeKind.Bureau, TOWNSHIP)).to.equal(false);

      // A reviewing office likewise: the department's county office passes to a new account.
      const replace = d.bindOffice(a.outsider.address, {
        kind: OfficeKind.Reviewer,
        department: DEPT_FINANCE,
        region: COUNTY,
      });
      await expect(replace)
        .to.emit(d, "OfficeBound")
        .withArgs(a.outsider.address, OfficeKind.Reviewer, DEPT_FINANCE, COUNTY, a.deptFinance.address);
      await expect(replace)
        .to.emit(d, "OfficeVacated")
        .withArgs(a.deptFinance.address, OfficeKind.Reviewer, DEPT_FINANCE, COUNTY);
      expect(await d.isRetired(a.deptFinance.address)).to.equal(true);

      // A retired account is never bound again: not to another office, not to its old one, not after
      // its successor leaves.
      for (const [account, kind, region, department] of [
        [a.townshipBureau.address, OfficeKind.Bureau, VILLAGE, 0],
        [a.townshipBureau.address, OfficeKind.Bureau, TOWNSHIP, 0],
        [a.deptFinance.address, OfficeKind.Reviewer, COUNTY, 3],
        [a.deptFinance.address, OfficeKind.Bank, OTHER_COUNTY, 0],
      ] as const) {
        await expect(d.bindOffice(account, { kind, department, region }))
          .to.be.revertedWithCustomError(d, "DirectoryAccountRetired")
          .withArgs(account);
      }
      await d.unbindOffice(a.objector.address);
      expect(await d.bureauOf(TOWNSHIP)).to.equal(ZeroAddress);
      await expect(d.bindOffice(a.townshipBureau.address, { kind: OfficeKind.Bureau, department: 0, region: TOWNSHIP }))
        .to.be.revertedWithCustomError(d, "DirectoryAccountRetired")
        .withArgs(a.townshipBureau.address);
      // Nor can a new holder be replaced by the account it replaced.
      await expect(
        d.bindOffice(a.deptFinance.address, { kind: OfficeKind.Reviewer, department: DEPT_FINANCE, region: COUNTY }),
      )
        .to.be.revertedWithCustomError(d, "DirectoryAccountRetired")
        .withArgs(a.deptFinance.address);
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_FINANCE, region: COUNTY })).to.equal(
        a.outsider.address,
      );
    });

    it("the replaced bureau loses its power over the region's budget; its successor gains it", async () => {
      const { suite, a, programmeId } = await loadFixture(fundedSuite);
      await suite.directory
        .connect(a.governance)
        .bindOffice(a.objector.address, { kind: OfficeKind.Bureau, department: 0, region: COUNTY });
      await expect(suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP, 1n))
        .to.be.revertedWithCustomError(suite.ledger, "BudgetLedgerNotRegionBureau")
        .withArgs(a.countyBureau.address, COUNTY);
      await suite.manager.connect(a.governance).grantRole(Role.BUREAU, a.objector.address, 0);
      await expect(suite.ledger.connect(a.objector).allocate(programmeId, COUNTY, TOWNSHIP, 1n))
        .to.emit(suite.ledger, "BudgetAllocated")
        .withArgs(programmeId, COUNTY, TOWNSHIP, 1n);
    });

    it("unbindOffice vacates the office (OfficeVacated) and retires the account; an unbound account reverts DirectoryNotBound", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      await expect(d.unbindOffice(a.townshipBureau.address))
        .to.emit(d, "OfficeVacated")
        .withArgs(a.townshipBureau.address, OfficeKind.Bureau, 0, TOWNSHIP);
      expect(await d.bureauOf(TOWNSHIP)).to.equal(ZeroAddress);
      expect(officeTuple(await d.officeOf(a.townshipBureau.address))).to.deep.equal(NO_OFFICE);
      expect(await d.isRetired(a.townshipBureau.address)).to.equal(true);

      await expect(d.unbindOffice(a.deptRural.address))
        .to.emit(d, "OfficeVacated")
        .withArgs(a.deptRural.address, OfficeKind.Reviewer, DEPT_RURAL, COUNTY);
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_RURAL, region: COUNTY })).to.equal(
        ZeroAddress,
      );
      expect(await d.covers(a.deptRural.address, OfficeKind.Reviewer, COUNTY)).to.equal(false);
      // The other offices are untouched.
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_CIVIL, region: COUNTY })).to.equal(
        a.deptCivil.address,
      );
      expect(await d.bureauOf(TOWNSHIP_B)).to.equal(a.townshipBBureau.address);

      // Unbinding twice, or unbinding an account that never held an office (the zero address too).
      for (const account of [a.townshipBureau.address, a.deptRural.address, a.outsider.address, ZeroAddress]) {
        await expect(d.unbindOffice(account)).to.be.revertedWithCustomError(d, "DirectoryNotBound").withArgs(account);
      }
      expect(await d.isRetired(a.outsider.address)).to.equal(false);

      // The vacant office takes a new holder (previous: zero); the unbound account is retired for good.
      await expect(d.bindOffice(a.objector.address, { kind: OfficeKind.Bureau, department: 0, region: TOWNSHIP }))
        .to.emit(d, "OfficeBound")
        .withArgs(a.objector.address, OfficeKind.Bureau, 0, TOWNSHIP, ZeroAddress);
      await expect(
        d.bindOffice(a.deptRural.address, { kind: OfficeKind.Reviewer, department: DEPT_RURAL, region: COUNTY }),
      )
        .to.be.revertedWithCustomError(d, "DirectoryAccountRetired")
        .withArgs(a.deptRural.address);
    });

    it("the zero address cannot hold an office (DirectoryZeroAccount)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      for (const [kind, region, department] of [
        [OfficeKind.Bureau, VILLAGE, 0],
        [OfficeKind.Reviewer, COUNTY, DEPT_CIVIL], // a held office: its holder is not vacated
        [OfficeKind.None, 0n, 1], // checked before the office itself
      ] as const) {
        await expect(d.bindOffice(ZeroAddress, { kind, department, region })).to.be.revertedWithCustomError(
          d,
          "DirectoryZeroAccount",
        );
      }
      expect(await d.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_CIVIL, region: COUNTY })).to.equal(
        a.deptCivil.address,
      );
      expect(officeTuple(await d.officeOf(ZeroAddress))).to.deep.equal(NO_OFFICE);
      expect(await d.isRetired(a.deptCivil.address)).to.equal(false);
    });

    it("rejects a region that is not a 12-digit code (DirectoryInvalidRegion)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      for (const region of [0n, 99_999_999_999n, 1_000_000_000_000n, 2n ** 64n - 1n]) {
        await expect(d.bindOffice(a.objector.address, { kind: OfficeKind.Bureau, department: 0, region }))
          .to.be.revertedWithCustomError(d, "DirectoryInvalidRegion")
          .withArgs(region);
        await expect(d.bindOffice(a.objector.address, { kind: OfficeKind.Reviewer, department: 3, region }))
          .to.be.revertedWithCustomError(d, "DirectoryInvalidRegion")
          .withArgs(region);
      }
      expect(officeTuple(await d.officeOf(a.objector.address))).to.deep.equal(NO_OFFICE);
      expect(await d.isRetired(a.objector.address)).to.equal(false);
      // The bounds themselves are valid.
      await expect(
        d.bindOffice(a.objector.address, { kind: OfficeKind.Bureau, department: 0, region: 100_000_000_000n }),
      )
        .to.emit(d, "OfficeBound")
        .withArgs(a.objector.address, OfficeKind.Bureau, 0, 100_000_000_000n, ZeroAddress);
      await expect(
        d.bindOffice(a.outsider.address, { kind: OfficeKind.Bureau, department: 0, region: 999_999_999_999n }),
      )
        .to.emit(d, "OfficeBound")
        .withArgs(a.outsider.address, OfficeKind.Bureau, 0, 999_999_999_999n, ZeroAddress);
    });

    it("rejects an office of kind None, or with a department when it is not a reviewing office (DirectoryInvalidOffice)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      const invalid: Array<[number, number]> = [
        [OfficeKind.None, 0],
        [OfficeKind.None, 1],
        [OfficeKind.Bureau, 1],
        [OfficeKind.CivilAffairs, DEPT_FINANCE],
        [OfficeKind.Treasury, 255],
        [OfficeKind.Bank, 7],
      ];
      for (const [kind, department] of invalid) {
        await expect(d.bindOffice(a.objector.address, { kind, department, region: COUNTY }), `${kind}/${department}`)
          .to.be.revertedWithCustomError(d, "DirectoryInvalidOffice")
          .withArgs(kind, department);
      }
      // A kind beyond the enum is refused by the ABI decoder.
      await expect(
        d.bindOffice(a.objector.address, { kind: OFFICE_KINDS.length, department: 0, region: COUNTY }),
      ).to.revert(ethers);
      expect(officeTuple(await d.officeOf(a.objector.address))).to.deep.equal(NO_OFFICE);
      expect(await d.isRetired(a.objector.address)).to.equal(false);
      // A reviewing office may be of any department, including department 0.
      await expect(d.bindOffice(a.objector.address, { kind: OfficeKind.Reviewer, department: 0, region: TOWNSHIP }))
        .to.emit(d, "OfficeBound")
        .withArgs(a.objector.address, OfficeKind.Reviewer, 0, TOWNSHIP, ZeroAddress);
    });

    it("only the governor binds and unbinds (AccessManagedUnauthorized)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      for (const who of [a.programmeAdmin, a.countyBureau, a.civilAffairs, a.deptCivil, a.outsider]) {
        const d = suite.directory.connect(who);
        await expect(d.bindOffice(who.address, { kind: OfficeKind.Bureau, department: 0, region: VILLAGE }))
          .to.be.revertedWithCustomError(d, "AccessManagedUnauthorized")
          .withArgs(who.address);
        await expect(d.bindOffice(a.objector.address, { kind: OfficeKind.Reviewer, department: 3, region: COUNTY }))
          .to.be.revertedWithCustomError(d, "AccessManagedUnauthorized")
          .withArgs(who.address);
        await expect(d.unbindOffice(a.deptFinance.address))
          .to.be.revertedWithCustomError(d, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
      expect(await suite.directory.bureauOf(VILLAGE)).to.equal(ZeroAddress);
      expect(
        await suite.directory.holderOf({ kind: OfficeKind.Reviewer, department: DEPT_FINANCE, region: COUNTY }),
      ).to.equal(a.deptFinance.address);
      expect(await suite.directory.isRetired(a.deptFinance.address)).to.equal(false);
    });
  });
  // ================================================================================ ProgrammeRegistry
  describe("ProgrammeRegistry", () => {
    it("createProgramme emits ProgrammeCreated with every field, and programme() returns them", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      const t = terms({
        budgetCeiling: 5_000_000n,
        householdCap: 120_000n,
        publicityPeriod: 10 * DAY,
        reviewStages: packStages(TIERED),
      });
      const earmark = id("EARMARK-ROUND-TRIP");
      expect(await p.createProgramme.staticCall(earmark, 202612, COUNTY, t)).to.equal(1n);
      const tx = await p.createProgramme(earmark, 202612, COUNTY, t);
      const createdAt = await blockTimestamp(tx);
      await expect(tx).to.emit(p, "ProgrammeCreated").withArgs(1n, earmark, COUNTY, 202612, termsTuple(t));

      const stored = await p.programme(1n);
      expect(stored.earmarkCode).to.equal(earmark);
      expect(stored.fiscalPeriod).to.equal(202612n);
      expect(stored.rootRegion).to.equal(COUNTY);
      expect(stored.createdAt).to.equal(BigInt(createdAt));
      expect(stored.terms.budgetCeiling).to.equal(5_000_000n);
      expect(stored.terms.householdCap).to.equal(120_000n);
      expect(stored.terms.publicityPeriod).to.equal(BigInt(10 * DAY));
      expect(stored.terms.reviewStages).to.equal(packStages(TIERED));
      expect(unpackStages(stored.terms.reviewStages)).to.deep.equal(TIERED);
      expect(stored.terms.policyDocHash).to.equal(t.policyDocHash);
      expect(stored.terms.policyURI).to.equal(t.policyURI);
      expect(await p.programmeCount()).to.equal(1n);
      expect(await p.householdCap(1n)).to.equal(120_000n);

      // Ids are consecutive.
      await expect(p.createProgramme(id("EARMARK-SECOND"), 202612, OTHER_COUNTY, terms()))
        .to.emit(p, "ProgrammeCreated")
        .withArgs(2n, id("EARMARK-SECOND"), OTHER_COUNTY, 202612, termsTuple(terms()));
      expect(await p.programmeCount()).to.equal(2n);
      expect((await p.programme(2n)).rootRegion).to.equal(OTHER_COUNTY);
    });

    it("rejects a second programme with the same earmark and period (ProgrammeRegistryDuplicate)", async () => {
      const { suite, a } = await loadFixture(oneProgramme);
      const p = suite.programmes.connect(a.programmeAdmin);
      await expect(p.createProgramme(id("EARMARK-REGISTRY"), 202611, COUNTY, terms()))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryDuplicate")
        .withArgs(id("EARMARK-REGISTRY"), 202611, 1n);
      // A different root region does not make it a different programme.
      await expect(p.createProgramme(id("EARMARK-REGISTRY"), 202611, OTHER_COUNTY, terms({ householdCap: 1n })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryDuplicate")
        .withArgs(id("EARMARK-REGISTRY"), 202611, 1n);
      // Same earmark in another period, or another earmark in the same period, is fine.
      await expect(p.createProgramme(id("EARMARK-REGISTRY"), 202711, COUNTY, terms()))
        .to.emit(p, "ProgrammeCreated")
        .withArgs(2n, id("EARMARK-REGISTRY"), COUNTY, 202711, termsTuple(terms()));
      await expect(p.createProgramme(id("EARMARK-OTHER"), 202611, COUNTY, terms()))
        .to.emit(p, "ProgrammeCreated")
        .withArgs(3n, id("EARMARK-OTHER"), COUNTY, 202611, termsTuple(terms()));
    });

    /** Malformed `reviewStages` words, each with why ReviewStages.isValid refuses it. */
    const invalidStages: Array<[string, bigint]> = [
      ["no stage at all", 0n],
      ["the order flag alone", ORDERED],
      ["a first stage of level zero", rawStage(0, DEPT_FINANCE, 0) | rawStage(1, DEPT_RURAL, 3)],
      ["a level below village", rawStage(0, DEPT_CIVIL, 6)],
      ["level 255", rawStage(0, DEPT_CIVIL, 3) | rawStage(1, DEPT_RURAL, 255)],
      ["the same office twice in a row", rawStage(0, DEPT_CIVIL, 3) | rawStage(1, DEPT_CIVIL, 3)],
      [
        "the same office twice, apart",
        rawStage(0, DEPT_CIVIL, 4) | rawStage(1, DEPT_RURAL, 3) | rawStage(2, DEPT_CIVIL, 4) | ORDERED,
      ],
      ["a gap between stages", rawStage(0, DEPT_CIVIL, 3) | rawStage(2, DEPT_RURAL, 3)],
      ["a department byte after the last stage", countyStages(DEPT_CIVIL, DEPT_RURAL) | (5n << 32n)],
      ["a stray bit above the eighth stage", countyStages(DEPT_CIVIL, DEPT_RURAL) | (1n << 128n)],
      ["a stray bit below the order flag", EIGHT_STAGES | (1n << 254n)],
    ];
    const invalidTerms: Array<[string, ReturnType<typeof terms>, string]> = [
      ["budgetCeiling", terms({ budgetCeiling: 0n }), "zero ceiling"],
      ["householdCap", terms({ householdCap: 0n }), "zero cap"],
      ["householdCap", terms({ budgetCeiling: 1_000n, householdCap: 1_001n }), "cap above the ceiling"],
      ["publicityPeriod", terms({ publicityPeriod: 0 }), "no publicity"],
      ["publicityPeriod", terms({ publicityPeriod: MAX_PUBLICITY + 1 }), "publicity above 90 days"],
      ...invalidStages.map(([why, reviewStages]): [string, ReturnType<typeof terms>, string] => [
        "reviewStages",
        terms({ reviewStages }),
        why,
      ]),
      ["policyDocHash", { ...terms(), policyDocHash: ZeroHash }, "zero policy hash"],
    ];

    it("the malformed review stages are ones that src/offices.ts cannot produce either", () => {
      // packStages refuses an empty list, a level outside 1–5 and a repeated office; whatever it
      // packs, unpackStages reads back, so the tasks never send a word the registry refuses.
      expect(() => packStages({ stages: [], ordered: true })).to.throw();
      expect(() => packStages({ stages: [{ department: DEPT_CIVIL, level: 6 }], ordered: false })).to.throw();
      expect(() => packStages({ stages: [{ department: DEPT_CIVIL, level: 0 }], ordered: false })).to.throw();
      expect(() =>
        packStages({
          stages: [
            { department: DEPT_CIVIL, level: 3 },
            { department: DEPT_CIVIL, level: 3 },
          ],
          ordered: false,
        }),
      ).to.throw();
      expect(() =>
        packStages({
          stages: Array.from({ length: 9 }, (_, department) => ({ department, level: 3 })),
          ordered: false,
        }),
      ).to.throw();
      expect(unpackStages(packStages(TIERED))).to.deep.equal(TIERED);
      expect(unpackStages(EIGHT_STAGES).stages).to.have.length(8);
      expect(countyStages(DEPT_CIVIL, DEPT_RURAL, DEPT_FINANCE)).to.equal(terms().reviewStages);
    });

    it("rejects each invalid identity field and term on creation (ProgrammeRegistryInvalidTerm with the field)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      await expect(p.createProgramme(ZeroHash, 202611, COUNTY, terms()))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidTerm")
        .withArgs("earmarkCode");
      await expect(p.createProgramme(id("EARMARK-X"), 0, COUNTY, terms()))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidTerm")
        .withArgs("fiscalPeriod");
      for (const [field, t, why] of invalidTerms) {
        await expect(p.createProgramme(id("EARMARK-X"), 202611, COUNTY, t), `${field}: ${why}`)
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidTerm")
          .withArgs(field);
      }
      for (const region of [0n, 99_999_999_999n, 1_000_000_000_000n]) {
        await expect(p.createProgramme(id("EARMARK-X"), 202611, region, terms()))
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidRegion")
          .withArgs(region);
      }
      expect(await p.programmeCount()).to.equal(0n);
    });

    it("statutory floors: no programme below the deployment's minimum publicity or review stages, created or amended", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      // The module's defaults: seven days of publicity, two review stages.
      const floors = await suite.programmes.statutoryFloors();
      expect([floors.minPublicityPeriod, floors.minReviewStages]).to.deep.equal([BigInt(7 * DAY), 2n]);
      await expect(p.createProgramme(id("EARMARK-SHORT"), 202611, COUNTY, terms({ publicityPeriod: 7 * DAY - 1 })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("publicityPeriod", 7 * DAY - 1, 7 * DAY);
      await expect(
        p.createProgramme(id("EARMARK-ALONE"), 202611, COUNTY, terms({ reviewStages: countyStages(DEPT_FINANCE) })),
      )
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("reviewStages", 1, 2);
      // The order flag is not a stage: one stage in order is still one stage.
      await expect(
        p.createProgramme(
          id("EARMARK-ALONE"),
          202611,
          COUNTY,
          terms({ reviewStages: countyStages(DEPT_FINANCE) | ORDERED }),
        ),
      )
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("reviewStages", 1, 2);
      // Stages, not departments, are counted: one department at two levels meets a floor of two.
      const twoLevels = packStages({
        stages: [
          { department: DEPT_CIVIL, level: 4 },
          { department: DEPT_CIVIL, level: 3 },
        ],
        ordered: true,
      });
      await expect(
        p.createProgramme(
          id("EARMARK-OK"),
          202611,
          COUNTY,
          terms({ publicityPeriod: 7 * DAY, reviewStages: twoLevels }),
        ),
      ).to.emit(p, "ProgrammeCreated");
      const g = suite.programmes.connect(a.governance);
      await expect(g.amendProgramme(1n, terms({ reviewStages: countyStages(DEPT_CIVIL) })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("reviewStages", 1, 2);
      // Governance raises the floors (delayed in production): the next amendment must meet them.
      await expect(g.setStatutoryFloors({ minPublicityPeriod: 10 * DAY, minReviewStages: 3 }))
        .to.emit(p, "StatutoryFloorsSet")
        .withArgs(10 * DAY, 3);
      const raised = await p.statutoryFloors();
      expect([raised.minPublicityPeriod, raised.minReviewStages]).to.deep.equal([BigInt(10 * DAY), 3n]);
      // Untouched until amended.
      expect((await p.programme(1n)).terms.publicityPeriod).to.equal(BigInt(7 * DAY));
      expect((await p.programme(1n)).terms.reviewStages).to.equal(twoLevels);
      await expect(g.amendProgramme(1n, terms({ publicityPeriod: 9 * DAY })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("publicityPeriod", 9 * DAY, 10 * DAY);
      await expect(g.amendProgramme(1n, terms({ publicityPeriod: 10 * DAY, reviewStages: twoLevels })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("reviewStages", 2, 3);
      await expect(
        g.amendProgramme(1n, terms({ publicityPeriod: 10 * DAY, reviewStages: packStages(TIERED) })),
      ).to.emit(p, "ProgrammeAmended");
      // A floor of zero, or above the longest publicity or the most stages a programme can have (8).
      for (const [minPublicityPeriod, minReviewStages] of [
        [0, 2],
        [7 * DAY, 0],
        [MAX_PUBLICITY + 1, 2],
        [7 * DAY, 9],
        [7 * DAY, 255],
      ] as const) {
        await expect(g.setStatutoryFloors({ minPublicityPeriod, minReviewStages }))
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidFloors")
          .withArgs(minPublicityPeriod, minReviewStages);
      }
      // The highest floors are valid: ninety days and eight stages, met only by a programme of eight stages.
      await expect(g.setStatutoryFloors({ minPublicityPeriod: MAX_PUBLICITY, minReviewStages: 8 }))
        .to.emit(p, "StatutoryFloorsSet")
        .withArgs(MAX_PUBLICITY, 8);
      await expect(g.amendProgramme(1n, terms({ publicityPeriod: MAX_PUBLICITY })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("reviewStages", 3, 8);
      const eight = terms({ publicityPeriod: MAX_PUBLICITY, reviewStages: EIGHT_STAGES });
      await expect(g.amendProgramme(1n, eight)).to.emit(p, "ProgrammeAmended").withArgs(1n, termsTuple(eight));
      for (const who of [a.programmeAdmin, a.deptCivil]) {
        await expect(suite.programmes.connect(who).setStatutoryFloors({ minPublicityPeriod: DAY, minReviewStages: 1 }))
          .to.be.revertedWithCustomError(p, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
    });

    it("accepts the boundary terms: cap equal to the ceiling, publicity of exactly 90 days, eight ordered stages, an empty URI", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      expect(await p.MAX_PUBLICITY_PERIOD()).to.equal(BigInt(MAX_PUBLICITY));
      const t = {
        ...terms({
          budgetCeiling: 1_000n,
          householdCap: 1_000n,
          publicityPeriod: MAX_PUBLICITY,
          reviewStages: EIGHT_STAGES,
        }),
        policyURI: "",
      };
      await expect(p.createProgramme(id("EARMARK-EDGE"), 1, COUNTY, t))
        .to.emit(p, "ProgrammeCreated")
        .withArgs(1n, id("EARMARK-EDGE"), COUNTY, 1, termsTuple(t));
      expect(unpackStages((await p.programme(1n)).terms.reviewStages)).to.deep.equal(unpackStages(EIGHT_STAGES));
      // Exactly the floor of two stages, unordered, is enough too.
      const two = terms({ reviewStages: countyStages(DEPT_RURAL, DEPT_FINANCE) });
      await expect(p.createProgramme(id("EARMARK-EDGE-2"), 1, COUNTY, two))
        .to.emit(p, "ProgrammeCreated")
        .withArgs(2n, id("EARMARK-EDGE-2"), COUNTY, 1, termsTuple(two));
    });

    it("an unknown programme reverts ProgrammeRegistryUnknownProgramme", async () => {
      const { suite, a } = await loadFixture(oneProgramme);
      const p = suite.programmes;
      for (const unknown of [0n, 2n, 2n ** 64n - 1n]) {
        await expect(p.programme(unknown))
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme")
          .withArgs(unknown);
        await expect(p.householdCap(unknown))
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme")
          .withArgs(unknown);
      }
      await expect(p.connect(a.governance).amendProgramme(2n, terms()))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme")
        .withArgs(2n);
      await expect(suite.lens.programmeView(2n))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme")
        .withArgs(2n);
    });

    it("the governor amends the terms (ProgrammeAmended); the identity and creation time do not change", async () => {
      const { suite, a, programmeId } = await loadFixture(oneProgramme);
      const before = await suite.programmes.programme(programmeId);
      const p = suite.programmes.connect(a.governance);
      const amended = {
        ...terms({
          budgetCeiling: BUDGET * 2n,
          householdCap: CAP / 2n,
          publicityPeriod: 14 * DAY,
          reviewStages: packStages(TIERED),
        }),
        policyDocHash: id("policy document v2"),
        policyURI: "https://policy.example/low-income-2026-v2.pdf",
      };
      await expect(p.amendProgramme(programmeId, amended))
        .to.emit(p, "ProgrammeAmended")
        .withArgs(programmeId, termsTuple(amended));

      const after = await p.programme(programmeId);
      expect(after.earmarkCode).to.equal(before.earmarkCode);
      expect(after.fiscalPeriod).to.equal(before.fiscalPeriod);
      expect(after.rootRegion).to.equal(before.rootRegion);
      expect(after.createdAt).to.equal(before.createdAt);
      expect(after.terms.budgetCeiling).to.equal(BUDGET * 2n);
      expect(after.terms.householdCap).to.equal(CAP / 2n);
      expect(after.terms.publicityPeriod).to.equal(BigInt(14 * DAY));
      expect(after.terms.reviewStages).to.equal(packStages(TIERED));
      expect(unpackStages(after.terms.reviewStages)).to.deep.equal(TIERED);
      expect(after.terms.policyDocHash).to.equal(id("policy document v2"));
      expect(after.terms.policyURI).to.equal("https://policy.example/low-income-2026-v2.pdf");
      expect(await p.householdCap(programmeId)).to.equal(CAP / 2n);
      expect(await p.programmeCount()).to.equal(1n);
    });

    it("an amendment is checked like the creation (ProgrammeRegistryInvalidTerm)", async () => {
      const { suite, a, programmeId } = await loadFixture(oneProgramme);
      const p = suite.programmes.connect(a.governance);
      for (const [field, t, why] of invalidTerms) {
        await expect(p.amendProgramme(programmeId, t), `${field}: ${why}`)
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidTerm")
          .withArgs(field);
      }
      expect((await p.programme(programmeId)).terms.householdCap).to.equal(CAP);
    });

    it("the programme admin cannot amend, and the governor cannot create", async () => {
      const { suite, a, programmeId } = await loadFixture(oneProgramme);
      await expect(suite.programmes.connect(a.programmeAdmin).amendProgramme(programmeId, terms({ householdCap: 1n })))
        .to.be.revertedWithCustomError(suite.programmes, "AccessManagedUnauthorized")
        .withArgs(a.programmeAdmin.address);
      await expect(suite.programmes.connect(a.governance).createProgramme(id("EARMARK-GOV"), 202611, COUNTY, terms()))
        .to.be.revertedWithCustomError(suite.programmes, "AccessManagedUnauthorized")
        .withArgs(a.governance.address);
    });

    it("a lowered ceiling stops further funding and takes back nothing already funded", async () => {
      // The ceiling caps funding (an appropriation cut); money already funded stays where it is
      // and is recovered, if at all, through reclaims — never by rewriting the ledger.
      const { suite, a, programmeId } = await loadFixture(fundedSuite);
      const lowered = terms({ budgetCeiling: BUDGET / 2n });
      await expect(suite.programmes.connect(a.governance).amendProgramme(programmeId, lowered))
        .to.emit(suite.programmes, "ProgrammeAmended")
        .withArgs(programmeId, termsTuple(lowered));
      const view = await suite.lens.programmeView(programmeId);
      expect(view.totals.funded).to.equal(BUDGET);
      expect(view.programme.terms.budgetCeiling).to.equal(BUDGET / 2n);
      expect(view.totals.funded > view.programme.terms.budgetCeiling).to.equal(true);
      // Further funding is refused.
      await expect(suite.ledger.connect(a.programmeAdmin).fundProgramme(programmeId, 1n))
        .to.be.revertedWithCustomError(suite.ledger, "BudgetLedgerCeilingExceeded")
        .withArgs(programmeId, BUDGET, 1n, BUDGET / 2n);
    });
  });

  // ================================================================================ HouseholdRegistry
  describe("HouseholdRegistry", () => {
    it("registerHouseholds assigns consecutive ids and emits HouseholdRegistered per household", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const h = suite.households.connect(a.civilAffairs);
      expect(await h.householdCount()).to.equal(0n);
      const first = [commitment("reg-1"), commitment("reg-2"), commitment("reg-3")];
      expect(await h.registerHouseholds.staticCall(TOWNSHIP, first, personTagsOf(first), id("attestation A"))).to.equal(
        1n,
      );
      const tx = h.registerHouseholds(TOWNSHIP, first, personTagsOf(first), id("attestation A"));
      for (const [i, c] of first.entries()) {
        await expect(tx)
          .to.emit(h, "HouseholdRegistered")
          .withArgs(BigInt(i + 1), c, id("attestation A"), personTagOf(c));
      }
      const second = [commitment("reg-4"), commitment("reg-5")];
      expect(
        await h.registerHouseholds.staticCall(TOWNSHIP, second, personTagsOf(second), id("attestation B")),
      ).to.equal(4n);
      const tx2 = h.registerHouseholds(TOWNSHIP, second, personTagsOf(second), id("attestation B"));
      await expect(tx2)
        .to.emit(h, "HouseholdRegistered")
        .withArgs(4n, second[0], id("attestation B"), personTagOf(second[0]!));
      await expect(tx2)
        .to.emit(h, "HouseholdRegistered")
        .withArgs(5n, second[1], id("attestation B"), personTagOf(second[1]!));

      const receipt = await (
        await h.registerHouseholds(
          TOWNSHIP,
          [commitment("reg-6")],
          personTagsOf([commitment("reg-6")]),
          id("attestation C"),
        )
      ).wait();
      const registered = receipt!.logs.filter((l) => h.interface.parseLog(l)?.name === "HouseholdRegistered");
      expect(registered).to.have.length(1);

      expect(await h.householdCount()).to.equal(6n);
      const all = [...first, ...second, commitment("reg-6")];
      for (const [i, c] of all.entries()) {
        expect(await h.householdIdOf(c)).to.equal(BigInt(i + 1));
        expect(await h.commitmentOf(BigInt(i + 1))).to.equal(c);
        expect(await h.statusOf(BigInt(i + 1))).to.equal(Status.Active);
      }
    });

    it("views of an unknown household: id 0, Unregistered, commitmentOf reverts", async () => {
      const { suite } = await loadFixture(smallRegister);
      const h = suite.households;
      expect(await h.householdIdOf(commitment("never-registered"))).to.equal(0n);
      expect(await h.householdIdOf(ZeroHash)).to.equal(0n);
      expect(await h.statusOf(0n)).to.equal(Status.Unregistered);
      expect(await h.statusOf(6n)).to.equal(Status.Unregistered);
      expect(await h.statusOf(2n ** 64n - 1n)).to.equal(Status.Unregistered);
      for (const unknown of [0n, 6n, 2n ** 64n - 1n]) {
        await expect(h.commitmentOf(unknown))
          .to.be.revertedWithCustomError(h, "HouseholdRegistryUnknownHousehold")
          .withArgs(unknown);
      }
    });

    it("rejects an already registered commitment (HouseholdRegistryAlreadyRegistered), atomically", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      await expect(h.registerHouseholds(TOWNSHIP, [commitments[2]!], personTagsOf([commitments[2]!]), id("again")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryAlreadyRegistered")
        .withArgs(commitments[2], 3n);
      // A duplicate later in a batch undoes the whole batch.
      const fresh = commitment("fresh");
      await expect(
        h.registerHouseholds(TOWNSHIP, [fresh, commitments[0]!], personTagsOf([fresh, commitments[0]!]), id("again")),
      )
        .to.be.revertedWithCustomError(h, "HouseholdRegistryAlreadyRegistered")
        .withArgs(commitments[0], 1n);
      expect(await h.householdIdOf(fresh)).to.equal(0n);
      expect(await h.householdCount()).to.equal(5n);
    });

    it("rejects a duplicate inside one batch, naming the id it was just given", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      const twin = commitment("twin");
      await expect(
        h.registerHouseholds(
          TOWNSHIP,
          [commitment("solo"), twin, twin],
          personTagsOf([commitment("solo"), twin, twin]),
          id("batch"),
        ),
      )
        .to.be.revertedWithCustomError(h, "HouseholdRegistryAlreadyRegistered")
        .withArgs(twin, 7n);
      expect(await h.householdIdOf(twin)).to.equal(0n);
      expect(await h.householdIdOf(commitment("solo"))).to.equal(0n);
      expect(await h.householdCount()).to.equal(5n);
    });

    it("rejects the zero commitment (HouseholdRegistryZeroCommitment), anywhere in a batch", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      await expect(
        h.registerHouseholds(TOWNSHIP, [ZeroHash], personTagsOf([ZeroHash]), id("zero")),
      ).to.be.revertedWithCustomError(h, "HouseholdRegistryZeroCommitment");
      await expect(
        h.registerHouseholds(
          TOWNSHIP,
          [commitment("ok"), ZeroHash],
          personTagsOf([commitment("ok"), ZeroHash]),
          id("zero"),
        ),
      ).to.be.revertedWithCustomError(h, "HouseholdRegistryZeroCommitment");
      expect(await h.householdCount()).to.equal(5n);
    });

    it("one person, one household: a second commitment for a registered person is refused, atomically", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      // The person of household 2 again, under a new commitment (another bureau secret, another township).
      const tagOf2 = personTagOf(commitments[1]!);
      expect(await h.householdOfPerson(tagOf2)).to.equal(2n);
      expect(await h.householdOfPerson(personTagOf(commitment("nobody")))).to.equal(0n);
      const fresh = commitment("fresh");
      await expect(
        h.registerHouseholds(
          TOWNSHIP,
          [fresh, commitment("second identity")],
          [personTagOf(fresh), tagOf2],
          id("again"),
        ),
      )
        .to.be.revertedWithCustomError(h, "HouseholdRegistryPersonAlreadyRegistered")
        .withArgs(tagOf2, 2n);
      expect(await h.householdIdOf(fresh)).to.equal(0n);
      // Twice in one batch: the second is refused, naming the id the first was just given.
      const twin = personTagOf(commitment("twin"));
      await expect(h.registerHouseholds(TOWNSHIP, [commitment("t1"), commitment("t2")], [twin, twin], id("batch")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryPersonAlreadyRegistered")
        .withArgs(twin, 6n);
      await expect(
        h.registerHouseholds(TOWNSHIP, [commitment("t1")], [ZeroHash], id("zero")),
      ).to.be.revertedWithCustomError(h, "HouseholdRegistryZeroPersonTag");
      await expect(h.registerHouseholds(TOWNSHIP, [commitment("t1"), commitment("t2")], [twin], id("short")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryLengthMismatch")
        .withArgs(2, 1);
      expect(await h.householdCount()).to.equal(5n);
    });

    it("replaceCommitment rotates a household's commitment only for the same person, keeping id and status", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      await h.suspendHousehold(3n, Reason.MovedAway, id("moved"));
      const rotated = commitment("charlie under the new secret");
      await expect(h.replaceCommitment(3n, rotated, personTagOf(commitments[3]!), id("rotation")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryNotSamePerson")
        .withArgs(3n, personTagOf(commitments[3]!));
      await expect(h.replaceCommitment(3n, rotated, ZeroHash, id("rotation")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryNotSamePerson")
        .withArgs(3n, ZeroHash);
      await expect(h.replaceCommitment(3n, commitments[0]!, personTagOf(commitments[2]!), id("rotation")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryAlreadyRegistered")
        .withArgs(commitments[0], 1n);
      await expect(h.replaceCommitment(9n, rotated, personTagOf(commitments[2]!), id("rotation")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryUnknownHousehold")
        .withArgs(9n);
      await expect(h.replaceCommitment(3n, rotated, personTagOf(commitments[2]!), id("rotation")))
        .to.emit(h, "CommitmentReplaced")
        .withArgs(3n, commitments[2], rotated, id("rotation"));
      expect(await h.householdIdOf(rotated)).to.equal(3n);
      expect(await h.householdIdOf(commitments[2]!)).to.equal(0n);
      expect(await h.commitmentOf(3n)).to.equal(rotated);
      expect(await h.statusOf(3n)).to.equal(Status.Suspended);
      expect(await h.householdOfPerson(personTagOf(commitments[2]!))).to.equal(3n);
      await expect(
        suite.households
          .connect(a.townshipBureau)
          .replaceCommitment(3n, commitment("x"), personTagOf(commitments[2]!), id("r")),
      )
        .to.be.revertedWithCustomError(h, "AccessManagedUnauthorized")
        .withArgs(a.townshipBureau.address);
    });

    it("suspends for each reason and reinstates, with events and status", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      const reasons = [Reason.Deceased, Reason.MovedAway, Reason.Ineligible, Reason.Other];
      for (const [i, reason] of reasons.entries()) {
        const household = BigInt(i + 1);
        await expect(h.suspendHousehold(household, reason, id(`suspension ${i}`)))
          .to.emit(h, "HouseholdSuspended")
          .withArgs(household, commitments[i], reason, id(`suspension ${i}`));
        expect(await h.statusOf(household)).to.equal(Status.Suspended);
      }
      // Household 5 was left alone.
      expect(await h.statusOf(5n)).to.equal(Status.Active);
      expect(await h.householdCount()).to.equal(5n);

      await expect(h.reinstateHousehold(2n, id("came back")))
        .to.emit(h, "HouseholdReinstated")
        .withArgs(2n, commitments[1], id("came back"));
      expect(await h.statusOf(2n)).to.equal(Status.Active);
      expect(await h.statusOf(1n)).to.equal(Status.Suspended);
      // Household 1 is deceased: one call only proposes its reinstatement.
      await expect(h.reinstateHousehold(1n, id("proposal"))).to.emit(h, "ReinstatementProposed");
      expect(await h.statusOf(1n)).to.equal(Status.Suspended);
      expect(await h.statusOf(3n)).to.equal(Status.Suspended);
      // A reinstated household can be suspended again.
      await expect(h.suspendHousehold(2n, Reason.Other, id("again")))
        .to.emit(h, "HouseholdSuspended")
        .withArgs(2n, commitments[1], Reason.Other, id("again"));
      // Suspension does not touch the register itself.
      expect(await h.commitmentOf(1n)).to.equal(commitments[0]);
      expect(await h.householdIdOf(commitments[0]!)).to.equal(1n);
    });

    it("a region's secret check is set and replaced only by a civil-affairs office covering the region, however the call arrives", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      const check = id("check of the township's bureau secret");
      expect(await h.secretCheckOf(TOWNSHIP)).to.equal(ZeroHash);
      await expect(h.setSecretCheck(TOWNSHIP, check)).to.emit(h, "SecretCheckSet").withArgs(TOWNSHIP, check, ZeroHash);
      expect(await h.secretCheckOf(TOWNSHIP)).to.equal(check);
      expect(await h.secretCheckOf(TOWNSHIP_B), "per region").to.equal(ZeroHash);
      const rotated = id("the rotated secret's check");
      await expect(h.setSecretCheck(TOWNSHIP, rotated)).to.emit(h, "SecretCheckSet").withArgs(TOWNSHIP, rotated, check);
      await expect(h.setSecretCheck(TOWNSHIP, ZeroHash)).to.be.revertedWithCustomError(
        h,
        "HouseholdRegistryZeroSecretCheck",
      );
      await expect(h.setSecretCheck(123n, check)).to.be.revertedWithCustomError(h, "HouseholdRegistryInvalidRegion");
      // An office of another county, directly and routed through the manager's execute.
      await bindOffice(suite, a.outsider.address, OfficeKind.CivilAffairs, OTHER_COUNTY, 0);
      await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, a.outsider.address, 0);
      const other = suite.households.connect(a.outsider);
      await expect(other.setSecretCheck(TOWNSHIP, check))
        .to.be.revertedWithCustomError(other, "HouseholdRegistryOutsideOffice")
        .withArgs(a.outsider.address, OTHER_COUNTY, TOWNSHIP);
      const routed = suite.households.interface.encodeFunctionData("setSecretCheck", [TOWNSHIP, check]);
      await expect(suite.manager.connect(a.outsider).execute(await h.getAddress(), routed))
        .to.be.revertedWithCustomError(other, "HouseholdRegistryOutsideOffice")
        .withArgs(a.outsider.address, OTHER_COUNTY, TOWNSHIP);
      // Without the role, nothing: the manager refuses.
      await expect(
        suite.households.connect(a.townshipBureau).setSecretCheck(TOWNSHIP, check),
      ).to.be.revertedWithCustomError(suite.households, "AccessManagedUnauthorized");
      expect(await h.secretCheckOf(TOWNSHIP)).to.equal(rotated);
    });

    it("the CIVIL_AFFAIRS role alone changes nothing in the register: every write needs a civil-affairs office", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      // A reviewing office given the role as well: its one office is not civil affairs.
      await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, a.deptRural.address, 0);
      const h = suite.households.connect(a.deptRural);
      const fresh = commitment("fresh");
      const refusals = [
        h.registerHouseholds(TOWNSHIP, [fresh], personTagsOf([fresh]), id("x")),
        h.suspendHousehold(1n, Reason.MovedAway, id("x")),
        h.replaceCommitment(2n, fresh, personTagOf(commitments[1]!), id("x")),
        h.importHouseholds([personTagOf(commitments[0]!)]),
      ];
      for (const call of refusals) {
        await expect(call)
          .to.be.revertedWithCustomError(h, "HouseholdRegistryNotCivilAffairsOffice")
          .withArgs(a.deptRural.address);
      }
      await suite.households.connect(a.civilAffairs).suspendHousehold(1n, Reason.MovedAway, id("moved"));
      await expect(h.reinstateHousehold(1n, id("x")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryNotCivilAffairsOffice")
        .withArgs(a.deptRural.address);
      // Unbound, the county's civil-affairs account loses its powers with its office.
      await suite.directory.connect(a.governance).unbindOffice(a.civilAffairs.address);
      await expect(suite.households.connect(a.civilAffairs).reinstateHousehold(1n, id("x")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryNotCivilAffairsOffice")
        .withArgs(a.civilAffairs.address);
    });

    it("households belong to a region: ids come in blocks of 256 per region, and an office acts only on its own subtree", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      // Households 1-5 are township A's (block 0). A township-B civil-affairs office, beside the county's.
      const townB = a.outsider;
      await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, townB.address, 0);
      await bindOffice(suite, townB.address, OfficeKind.CivilAffairs, TOWNSHIP_B);
      const b = suite.households.connect(townB);
      const county = suite.households.connect(a.civilAffairs);
      const ownB = [commitment("b-1"), commitment("b-2")];
      await expect(b.registerHouseholds(TOWNSHIP_B, ownB, personTagsOf(ownB), id("attestation B")))
        .to.emit(b, "HouseholdBlockOpened")
        .withArgs(1n, TOWNSHIP_B);
      expect([await b.householdIdOf(ownB[0]!), await b.householdIdOf(ownB[1]!)]).to.deep.equal([256n, 257n]);
      // Township A's next household continues its own block 0; a village of township B goes to a block of its own.
      const moreA = [commitment("a-6")];
      await expect(county.registerHouseholds(TOWNSHIP, moreA, personTagsOf(moreA), id("a"))).not.to.emit(
        county,
        "HouseholdBlockOpened",
      );
      expect(await county.householdIdOf(moreA[0]!)).to.equal(6n);
      const village = TOWNSHIP_B + 1n;
      const inVillage = [commitment("b-village")];
      await b.registerHouseholds(village, inVillage, personTagsOf(inVillage), id("v"));
      expect(await b.householdIdOf(inVillage[0]!)).to.equal(512n);
      expect([
        await b.regionOf(6n),
        await b.regionOf(257n),
        await b.regionOf(258n),
        await b.regionOf(512n),
      ]).to.deep.equal([TOWNSHIP, TOWNSHIP_B, 0n, village]);
      expect(await b.blockOf(0n)).to.deep.equal([TOWNSHIP, 7n]); // id 0 and households 1-6
      expect(await b.blockOf(1n)).to.deep.equal([TOWNSHIP_B, 2n]);
      expect(await b.blockCount()).to.equal(3n);
      expect(await b.payoutWord(1n)).to.deep.equal([0n, TOWNSHIP_B, 2n]);
      expect(await b.householdCount()).to.equal(9n);

      // Township B's office acts only inside township B, however the call arrives.
      const fresh = [commitment("fresh")];
      await expect(b.registerHouseholds(TOWNSHIP, fresh, personTagsOf(fresh), id("x")))
        .to.be.revertedWithCustomError(b, "HouseholdRegistryOutsideOffice")
        .withArgs(townB.address, TOWNSHIP_B, TOWNSHIP);
      await expect(b.registerHouseholds(COUNTY, fresh, personTagsOf(fresh), id("x")))
        .to.be.revertedWithCustomError(b, "HouseholdRegistryOutsideOffice")
        .withArgs(townB.address, TOWNSHIP_B, COUNTY);
      await expect(b.suspendHousehold(1n, Reason.MovedAway, id("x")))
        .to.be.revertedWithCustomError(b, "HouseholdRegistryOutsideOffice")
        .withArgs(townB.address, TOWNSHIP_B, TOWNSHIP);
      const routed = suite.households.interface.encodeFunctionData("suspendHousehold", [1n, Reason.MovedAway, id("x")]);
      await expect(suite.manager.connect(townB).execute(await b.getAddress(), routed))
        .to.be.revertedWithCustomError(b, "HouseholdRegistryOutsideOffice")
        .withArgs(townB.address, TOWNSHIP_B, TOWNSHIP);
      await expect(b.replaceCommitment(2n, commitment("new"), personTagOf(commitments[1]!), id("x")))
        .to.be.revertedWithCustomError(b, "HouseholdRegistryOutsideOffice")
        .withArgs(townB.address, TOWNSHIP_B, TOWNSHIP);
      await county.suspendHousehold(1n, Reason.MovedAway, id("moved"));
      await expect(b.reinstateHousehold(1n, id("x")))
        .to.be.revertedWithCustomError(b, "HouseholdRegistryOutsideOffice")
        .withArgs(townB.address, TOWNSHIP_B, TOWNSHIP);
      // Its own households, and those of its villages, it suspends; the county's office covers them all.
      await expect(b.suspendHousehold(512n, Reason.MovedAway, id("moved"))).to.emit(b, "HouseholdSuspended");
      await expect(county.reinstateHousehold(512n, id("back"))).to.emit(b, "HouseholdReinstated");
      // A region must be a 12-digit division code.
      for (const bad of [0n, 99n, 10n ** 12n]) {
        await expect(county.registerHouseholds(bad, fresh, personTagsOf(fresh), id("x")))
          .to.be.revertedWithCustomError(b, "HouseholdRegistryInvalidRegion")
          .withArgs(bad);
      }
    });

    it("one key cannot undo a death: a household suspended as deceased is reinstated by two civil-affairs offices", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      // A second civil-affairs office (the township's, beside the county's).
      const second = a.outsider;
      await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, second.address, 0);
      await bindOffice(suite, second.address, OfficeKind.CivilAffairs, TOWNSHIP);
      const h = suite.households.connect(a.civilAffairs);
      await h.suspendHousehold(1n, Reason.Deceased, id("death certificate"));
      for (const way of ["direct", "execute"] as const) {
        // The first call only proposes: the household stays suspended, never payable.
        if (way === "direct") {
          await expect(h.reinstateHousehold(1n, id("record error")))
            .to.emit(h, "ReinstatementProposed")
            .withArgs(1n, a.civilAffairs.address, id("record error"));
        }
        expect(await h.statusOf(1n)).to.equal(Status.Suspended);
        expect(await h.reinstatementProposer(1n)).to.equal(a.civilAffairs.address);
        // The proposer cannot confirm its own proposal, however the call arrives.
        const data = h.interface.encodeFunctionData("reinstateHousehold", [1n, id("again")]);
        const call =
          way === "direct"
            ? h.reinstateHousehold(1n, id("again"))
            : suite.manager.connect(a.civilAffairs).execute(await h.getAddress(), data);
        await expect(call)
          .to.be.revertedWithCustomError(h, "HouseholdRegistrySecondOfficeRequired")
          .withArgs(1n, a.civilAffairs.address);
      }
      // Nor can the same office under a new key: the county's civil-affairs office passes to another
      // account, which is still the office that proposed.
      const newKey = (await ethers.getSigners())[19]!;
      await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, newKey.address, 0);
      await bindOffice(suite, newKey.address, OfficeKind.CivilAffairs, COUNTY);
      await expect(suite.households.connect(newKey).reinstateHousehold(1n, id("same office, new key")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistrySecondOfficeRequired")
        .withArgs(1n, a.civilAffairs.address);
      await expect(suite.households.connect(second).reinstateHousehold(1n, id("confirmed by the county")))
        .to.emit(h, "HouseholdReinstated")
        .withArgs(1n, commitments[0], id("confirmed by the county"));
      expect(await h.statusOf(1n)).to.equal(Status.Active);
      expect(await h.reinstatementProposer(1n)).to.equal(ZeroAddress);
      // Other reasons need one office, as before; and a later non-deceased suspension is not sticky.
      const county = suite.households.connect(newKey);
      await county.suspendHousehold(1n, Reason.MovedAway, id("moved"));
      await expect(county.reinstateHousehold(1n, id("back"))).to.emit(h, "HouseholdReinstated");
    });

    it("rejects an out-of-range suspension reason", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      await expect(h.suspendHousehold(1n, 4, id("bad reason"))).to.revert(ethers);
      expect(await h.statusOf(1n)).to.equal(Status.Active);
    });

    it("suspending a suspended or reinstating an active household reverts HouseholdRegistryWrongStatus", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      await expect(h.reinstateHousehold(1n, id("not suspended")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryWrongStatus")
        .withArgs(1n, Status.Suspended, Status.Active);
      await h.suspendHousehold(1n, Reason.MovedAway, id("moved"));
      await expect(h.suspendHousehold(1n, Reason.Deceased, id("twice")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryWrongStatus")
        .withArgs(1n, Status.Active, Status.Suspended);
    });

    it("suspending or reinstating an unknown household reverts HouseholdRegistryUnknownHousehold", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      for (const unknown of [0n, 6n, 256n, 2n ** 64n - 1n]) {
        await expect(h.suspendHousehold(unknown, Reason.Other, id("x")))
          .to.be.revertedWithCustomError(h, "HouseholdRegistryUnknownHousehold")
          .withArgs(unknown);
        await expect(h.reinstateHousehold(unknown, id("x")))
          .to.be.revertedWithCustomError(h, "HouseholdRegistryUnknownHousehold")
          .withArgs(unknown);
      }
    });

    it("only civil affairs registers, suspends and reinstates", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      for (const who of [a.governance, a.programmeAdmin, a.townshipBureau, a.deptCivil]) {
        const h = suite.households.connect(who);
        await expect(
          h.registerHouseholds(TOWNSHIP, [commitment("intruder")], personTagsOf([commitment("intruder")]), id("x")),
        )
          .to.be.revertedWithCustomError(h, "AccessManagedUnauthorized")
          .withArgs(who.address);
        await expect(h.suspendHousehold(1n, Reason.Other, id("x")))
          .to.be.revertedWithCustomError(h, "AccessManagedUnauthorized")
          .withArgs(who.address);
        await expect(h.reinstateHousehold(1n, id("x")))
          .to.be.revertedWithCustomError(h, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
    });

    it("suspendedWord: household h is bit h % 256 of word h / 256", async () => {
      const { suite, a } = await loadFixture(fundedSuite);
      const h = suite.households.connect(a.civilAffairs);
      expect(await h.householdCount()).to.equal(BigInt(HOUSEHOLDS));
      const suspended = [1n, 2n, 255n, 256n, 257n, 511n, 512n, 600n];
      for (const household of suspended) await h.suspendHousehold(household, Reason.Ineligible, id(`s${household}`));

      const expected = new Map<bigint, bigint>();
      for (const household of suspended) {
        const word = household / 256n;
        expected.set(word, (expected.get(word) ?? 0n) | (1n << (household % 256n)));
      }
      expect(expected.get(0n)).to.equal((1n << 1n) | (1n << 2n) | (1n << 255n));
      expect(expected.get(1n)).to.equal((1n << 0n) | (1n << 1n) | (1n << 255n));
      expect(expected.get(2n)).to.equal((1n << 0n) | (1n << 88n));
      for (const word of [0n, 1n, 2n, 3n]) {
        expect(await h.suspendedWord(word), `word ${word}`).to.equal(expected.get(word) ?? 0n);
      }
      // Bit 0 of word 0 would be household 0, which does not exist.
      expect((await h.suspendedWord(0n)) & 1n).to.equal(0n);
      for (const household of [1n, 2n, 3n, 254n, 255n, 256n, 257n, 258n, 511n, 512n, 513n, 599n, 600n]) {
        const want = suspended.includes(household) ? Status.Suspended : Status.Active;
        expect(await h.statusOf(household), `household ${household}`).to.equal(want);
      }

      // Reinstating clears exactly one bit.
      await h.reinstateHousehold(256n, id("back"));
      expect(await h.suspendedWord(1n)).to.equal((1n << 1n) | (1n << 255n));
      expect(await h.suspendedWord(0n)).to.equal(expected.get(0n));
      expect(await h.suspendedWord(2n)).to.equal(expected.get(2n));
      expect(await h.statusOf(256n)).to.equal(Status.Active);
      expect(await h.statusOf(257n)).to.equal(Status.Suspended);
    });
  });

  // ================================================================================ DisbursementLens
  describe("DisbursementLens.householdView", () => {
    it("a registered household: its id, Active, not paid", async () => {
      const { suite, programmeId, commitments } = await loadFixture(fundedSuite);
      const v = await suite.lens.householdView(commitments[41]!, programmeId);
      expect(v.household).to.equal(42n);
      expect(v.status).to.equal(Status.Active);
      expect(v.paidInProgramme).to.equal(false);
    });

    it("a suspended household: its id, Suspended, and Active again after reinstatement", async () => {
      const { suite, a, programmeId, commitments } = await loadFixture(fundedSuite);
      await suite.households.connect(a.civilAffairs).suspendHousehold(300n, Reason.MovedAway, id("moved"));
      const v = await suite.lens.householdView(commitments[299]!, programmeId);
      expect(v.household).to.equal(300n);
      expect(v.status).to.equal(Status.Suspended);
      expect(v.paidInProgramme).to.equal(false);
      await suite.households.connect(a.civilAffairs).reinstateHousehold(300n, id("came back"));
      expect((await suite.lens.householdView(commitments[299]!, programmeId)).status).to.equal(Status.Active);
    });

    it("an unknown commitment: id 0, Unregistered, not paid — for any programme id", async () => {
      const { suite, programmeId } = await loadFixture(fundedSuite);
      for (const pid of [programmeId, 0n, 99n]) {
        const v = await suite.lens.householdView(commitment("not-in-the-register"), pid);
        expect(v.household).to.equal(0n);
        expect(v.status).to.equal(Status.Unregistered);
        expect(v.paidInProgramme).to.equal(false);
      }
    });

    it("a paid household shows paidInProgramme for its programme only", async () => {
      const { suite, a, programmeId, commitments } = await loadFixture(fundedSuite);
      const roster = await payableRoster(suite, a, programmeId, TOWNSHIP, makeLines(3, 10));
      const batch = batchProof(roster.tree, [0, 1, 2]);
      await suite.disbursement
        .connect(a.disburser)
        .recordPayouts(roster.rosterId, batch.lines.map(packLine), batch.proof);
      const paid = await suite.lens.householdView(commitments[9]!, programmeId);
      expect(paid.household).to.equal(10n);
      expect(paid.status).to.equal(Status.Active);
      expect(paid.paidInProgramme).to.equal(true);
      expect((await suite.lens.householdView(commitments[9]!, programmeId + 1n)).paidInProgramme).to.equal(false);
      expect((await suite.lens.householdView(commitments[12]!, programmeId)).paidInProgramme).to.equal(false);
    });
  });
});
