/**
 * The three registries: Directory (who acts for which region and department), ProgrammeRegistry
 * (programmes and their terms) and HouseholdRegistry (commitments, ids and suspensions), plus the
 * lens's household view. All identities are synthetic: commitments are hashes of made-up labels.
 */
import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";

import { batchProof, packLine } from "../../src/lines.js";
import { Role } from "../../src/roles.js";
import {
  BUDGET,
  CAP,
  commitment,
  COUNTY,
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

/** IDirectory.BindingKind */
const BindingKind = { None: 0n, Bureau: 1n, Department: 2n } as const;
/** IHouseholdRegistry.HouseholdStatus */
const Status = { Unregistered: 0n, Active: 1n, Suspended: 2n } as const;
/** IHouseholdRegistry.SuspensionReason */
const Reason = { Deceased: 0, MovedAway: 1, Ineligible: 2, Other: 3 } as const;

const VILLAGE = 110101001001n; // a village under TOWNSHIP
const MAX_PUBLICITY = 90 * DAY;

function termsTuple(t: ReturnType<typeof terms>) {
  return [t.budgetCeiling, t.householdCap, t.publicityPeriod, t.payoutPeriod, t.requiredDepartments, t.policyDocHash, t.policyURI];
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
  await suite.households.connect(a.civilAffairs).registerHouseholds(commitments, personTagsOf(commitments), id("attestation small"));
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
    it("the wired suite's bindings are visible through bureauOf, departmentAccount and bindingOf", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory;
      expect(await d.bureauOf(COUNTY)).to.equal(a.countyBureau.address);
      expect(await d.bureauOf(TOWNSHIP)).to.equal(a.townshipBureau.address);
      expect(await d.bureauOf(TOWNSHIP_B)).to.equal(a.townshipBBureau.address);
      expect(await d.bureauOf(OTHER_COUNTY)).to.equal(ZeroAddress);
      expect(await d.departmentAccount(DEPT_CIVIL)).to.equal(a.deptCivil.address);
      expect(await d.departmentAccount(DEPT_RURAL)).to.equal(a.deptRural.address);
      expect(await d.departmentAccount(DEPT_FINANCE)).to.equal(a.deptFinance.address);
      expect(await d.departmentAccount(3)).to.equal(ZeroAddress);

      const county = await d.bindingOf(a.countyBureau.address);
      expect([county.kind, county.id]).to.deep.equal([BindingKind.Bureau, COUNTY]);
      const rural = await d.bindingOf(a.deptRural.address);
      expect([rural.kind, rural.id]).to.deep.equal([BindingKind.Department, BigInt(DEPT_RURAL)]);
      const none = await d.bindingOf(a.outsider.address);
      expect([none.kind, none.id]).to.deep.equal([BindingKind.None, 0n]);
    });

    it("setRegionBureau emits RegionBureauSet with the previous and the new account", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      await expect(d.setRegionBureau(VILLAGE, a.objector.address))
        .to.emit(d, "RegionBureauSet")
        .withArgs(VILLAGE, ZeroAddress, a.objector.address);
      expect(await d.bureauOf(VILLAGE)).to.equal(a.objector.address);
      const binding = await d.bindingOf(a.objector.address);
      expect([binding.kind, binding.id]).to.deep.equal([BindingKind.Bureau, VILLAGE]);
    });

    it("setDepartment emits DepartmentSet with the previous and the new account", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      await expect(d.setDepartment(3, a.objector.address))
        .to.emit(d, "DepartmentSet")
        .withArgs(3, ZeroAddress, a.objector.address);
      expect(await d.departmentAccount(3)).to.equal(a.objector.address);
      const binding = await d.bindingOf(a.objector.address);
      expect([binding.kind, binding.id]).to.deep.equal([BindingKind.Department, 3n]);

      // Replacing the account of a bound department frees the previous account.
      await expect(d.setDepartment(DEPT_FINANCE, a.outsider.address))
        .to.emit(d, "DepartmentSet")
        .withArgs(DEPT_FINANCE, a.deptFinance.address, a.outsider.address);
      const freed = await d.bindingOf(a.deptFinance.address);
      expect([freed.kind, freed.id]).to.deep.equal([BindingKind.None, 0n]);
      const highest = await d.setDepartment(255, a.deptFinance.address);
      await expect(highest).to.emit(d, "DepartmentSet").withArgs(255, ZeroAddress, a.deptFinance.address);
    });

    it("an account holds one binding only (DirectoryAccountAlreadyBound)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      // A bureau cannot also be a department, nor the bureau of a second region.
      await expect(d.setDepartment(3, a.countyBureau.address))
        .to.be.revertedWithCustomError(d, "DirectoryAccountAlreadyBound")
        .withArgs(a.countyBureau.address, BindingKind.Bureau, COUNTY);
      await expect(d.setRegionBureau(VILLAGE, a.townshipBureau.address))
        .to.be.revertedWithCustomError(d, "DirectoryAccountAlreadyBound")
        .withArgs(a.townshipBureau.address, BindingKind.Bureau, TOWNSHIP);
      // A department cannot be a bureau, nor a second department.
      await expect(d.setRegionBureau(VILLAGE, a.deptCivil.address))
        .to.be.revertedWithCustomError(d, "DirectoryAccountAlreadyBound")
        .withArgs(a.deptCivil.address, BindingKind.Department, DEPT_CIVIL);
      await expect(d.setDepartment(DEPT_FINANCE, a.deptRural.address))
        .to.be.revertedWithCustomError(d, "DirectoryAccountAlreadyBound")
        .withArgs(a.deptRural.address, BindingKind.Department, DEPT_RURAL);
      // Nothing moved.
      expect(await d.bureauOf(VILLAGE)).to.equal(ZeroAddress);
      expect(await d.departmentAccount(DEPT_FINANCE)).to.equal(a.deptFinance.address);
      const finance = await d.bindingOf(a.deptFinance.address);
      expect([finance.kind, finance.id]).to.deep.equal([BindingKind.Department, BigInt(DEPT_FINANCE)]);
    });

    it("re-binding an account to its own region is a no-op that keeps the binding", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      await expect(d.setRegionBureau(COUNTY, a.countyBureau.address))
        .to.emit(d, "RegionBureauSet")
        .withArgs(COUNTY, a.countyBureau.address, a.countyBureau.address);
      const binding = await d.bindingOf(a.countyBureau.address);
      expect([binding.kind, binding.id]).to.deep.equal([BindingKind.Bureau, COUNTY]);
    });

    it("rebinding a region frees the previous account, which may then be bound elsewhere", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      await expect(d.setRegionBureau(TOWNSHIP, a.objector.address))
        .to.emit(d, "RegionBureauSet")
        .withArgs(TOWNSHIP, a.townshipBureau.address, a.objector.address);
      expect(await d.bureauOf(TOWNSHIP)).to.equal(a.objector.address);
      const freed = await d.bindingOf(a.townshipBureau.address);
      expect([freed.kind, freed.id]).to.deep.equal([BindingKind.None, 0n]);
      const moved = await d.bindingOf(a.objector.address);
      expect([moved.kind, moved.id]).to.deep.equal([BindingKind.Bureau, TOWNSHIP]);

      await expect(d.setRegionBureau(VILLAGE, a.townshipBureau.address))
        .to.emit(d, "RegionBureauSet")
        .withArgs(VILLAGE, ZeroAddress, a.townshipBureau.address);
      const rebound = await d.bindingOf(a.townshipBureau.address);
      expect([rebound.kind, rebound.id]).to.deep.equal([BindingKind.Bureau, VILLAGE]);
    });

    it("the freed bureau loses its power over the region's budget", async () => {
      const { suite, a, programmeId } = await loadFixture(fundedSuite);
      await suite.directory.connect(a.governance).setRegionBureau(COUNTY, a.objector.address);
      await expect(suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP, 1n))
        .to.be.revertedWithCustomError(suite.ledger, "BudgetLedgerNotRegionBureau")
        .withArgs(a.countyBureau.address, COUNTY);
    });

    it("the zero address unbinds a region or a department", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      await expect(d.setRegionBureau(TOWNSHIP, ZeroAddress))
        .to.emit(d, "RegionBureauSet")
        .withArgs(TOWNSHIP, a.townshipBureau.address, ZeroAddress);
      expect(await d.bureauOf(TOWNSHIP)).to.equal(ZeroAddress);
      const freedBureau = await d.bindingOf(a.townshipBureau.address);
      expect([freedBureau.kind, freedBureau.id]).to.deep.equal([BindingKind.None, 0n]);

      await expect(d.setDepartment(DEPT_RURAL, ZeroAddress))
        .to.emit(d, "DepartmentSet")
        .withArgs(DEPT_RURAL, a.deptRural.address, ZeroAddress);
      expect(await d.departmentAccount(DEPT_RURAL)).to.equal(ZeroAddress);
      const freedDept = await d.bindingOf(a.deptRural.address);
      expect([freedDept.kind, freedDept.id]).to.deep.equal([BindingKind.None, 0n]);

      // The zero address never gets a binding of its own, so unbinding twice works.
      await expect(d.setRegionBureau(TOWNSHIP, ZeroAddress))
        .to.emit(d, "RegionBureauSet")
        .withArgs(TOWNSHIP, ZeroAddress, ZeroAddress);
      const zero = await d.bindingOf(ZeroAddress);
      expect([zero.kind, zero.id]).to.deep.equal([BindingKind.None, 0n]);
    });

    it("rejects a region that is not a 12-digit code (DirectoryInvalidRegion)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const d = suite.directory.connect(a.governance);
      for (const region of [0n, 99_999_999_999n, 1_000_000_000_000n, 2n ** 64n - 1n]) {
        await expect(d.setRegionBureau(region, a.objector.address))
          .to.be.revertedWithCustomError(d, "DirectoryInvalidRegion")
          .withArgs(region);
      }
      // The bounds themselves are valid.
      await expect(d.setRegionBureau(100_000_000_000n, a.objector.address)).to.emit(d, "RegionBureauSet");
      await expect(d.setRegionBureau(999_999_999_999n, a.outsider.address)).to.emit(d, "RegionBureauSet");
    });

    it("only the governor binds (AccessManagedUnauthorized)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      for (const who of [a.programmeAdmin, a.countyBureau, a.civilAffairs]) {
        await expect(suite.directory.connect(who).setRegionBureau(VILLAGE, who.address))
          .to.be.revertedWithCustomError(suite.directory, "AccessManagedUnauthorized")
          .withArgs(who.address);
        await expect(suite.directory.connect(who).setDepartment(3, who.address))
          .to.be.revertedWithCustomError(suite.directory, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
    });
  });

  // ================================================================================ ProgrammeRegistry
  describe("ProgrammeRegistry", () => {
    it("createProgramme emits ProgrammeCreated with every field, and programme() returns them", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      const t = terms({ budgetCeiling: 5_000_000n, householdCap: 120_000n, publicityPeriod: 10 * DAY, requiredDepartments: 0b101n });
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
      expect(stored.terms.requiredDepartments).to.equal(0b101n);
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

    const invalidTerms: Array<[string, ReturnType<typeof terms>]> = [
      ["budgetCeiling", terms({ budgetCeiling: 0n })],
      ["householdCap", terms({ householdCap: 0n })],
      ["householdCap", terms({ budgetCeiling: 1_000n, householdCap: 1_001n })],
      ["publicityPeriod", terms({ publicityPeriod: 0 })],
      ["publicityPeriod", terms({ publicityPeriod: MAX_PUBLICITY + 1 })],
      ["requiredDepartments", terms({ requiredDepartments: 0n })],
      ["policyDocHash", { ...terms(), policyDocHash: ZeroHash }],
    ];

    it("rejects each invalid identity field and term on creation (ProgrammeRegistryInvalidTerm with the field)", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      await expect(p.createProgramme(ZeroHash, 202611, COUNTY, terms()))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidTerm")
        .withArgs("earmarkCode");
      await expect(p.createProgramme(id("EARMARK-X"), 0, COUNTY, terms()))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidTerm")
        .withArgs("fiscalPeriod");
      for (const [field, t] of invalidTerms) {
        await expect(p.createProgramme(id("EARMARK-X"), 202611, COUNTY, t), field)
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

    it("statutory floors: no programme below the deployment's minimum publicity or departments, created or amended", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      // The module's defaults: seven days of publicity, two departments.
      const floors = await suite.programmes.statutoryFloors();
      expect([floors.minPublicityPeriod, floors.minDepartments]).to.deep.equal([BigInt(7 * DAY), 2n]);
      await expect(p.createProgramme(id("EARMARK-SHORT"), 202611, COUNTY, terms({ publicityPeriod: 7 * DAY - 1 })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("publicityPeriod", 7 * DAY - 1, 7 * DAY);
      await expect(p.createProgramme(id("EARMARK-ALONE"), 202611, COUNTY, terms({ requiredDepartments: 0b100n })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("requiredDepartments", 1, 2);
      await p.createProgramme(id("EARMARK-OK"), 202611, COUNTY, terms({ publicityPeriod: 7 * DAY, requiredDepartments: 0b101n }));
      const g = suite.programmes.connect(a.governance);
      await expect(g.amendProgramme(1n, terms({ requiredDepartments: 0b1n })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("requiredDepartments", 1, 2);
      // Governance raises the floors (delayed in production): the next amendment must meet them.
      await expect(g.setStatutoryFloors({ minPublicityPeriod: 10 * DAY, minDepartments: 3 }))
        .to.emit(p, "StatutoryFloorsSet")
        .withArgs(10 * DAY, 3);
      expect((await p.programme(1n)).terms.publicityPeriod).to.equal(BigInt(7 * DAY)); // untouched until amended
      await expect(g.amendProgramme(1n, terms({ publicityPeriod: 9 * DAY })))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryBelowFloor")
        .withArgs("publicityPeriod", 9 * DAY, 10 * DAY);
      await g.amendProgramme(1n, terms({ publicityPeriod: 10 * DAY }));
      for (const [minPublicityPeriod, minDepartments] of [[0, 2], [7 * DAY, 0], [MAX_PUBLICITY + 1, 2]] as const) {
        await expect(g.setStatutoryFloors({ minPublicityPeriod, minDepartments }))
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryInvalidFloors")
          .withArgs(minPublicityPeriod, minDepartments);
      }
      for (const who of [a.programmeAdmin, a.deptCivil]) {
        await expect(suite.programmes.connect(who).setStatutoryFloors({ minPublicityPeriod: DAY, minDepartments: 1 }))
          .to.be.revertedWithCustomError(p, "AccessManagedUnauthorized")
          .withArgs(who.address);
      }
    });

    it("accepts the boundary terms: cap equal to the ceiling, publicity of exactly 90 days, an empty URI", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      const p = suite.programmes.connect(a.programmeAdmin);
      expect(await p.MAX_PUBLICITY_PERIOD()).to.equal(BigInt(MAX_PUBLICITY));
      const t = { ...terms({ budgetCeiling: 1_000n, householdCap: 1_000n, publicityPeriod: MAX_PUBLICITY }), policyURI: "" };
      await expect(p.createProgramme(id("EARMARK-EDGE"), 1, COUNTY, t))
        .to.emit(p, "ProgrammeCreated")
        .withArgs(1n, id("EARMARK-EDGE"), COUNTY, 1, termsTuple(t));
    });

    it("an unknown programme reverts ProgrammeRegistryUnknownProgramme", async () => {
      const { suite, a } = await loadFixture(oneProgramme);
      const p = suite.programmes;
      for (const unknown of [0n, 2n, 2n ** 64n - 1n]) {
        await expect(p.programme(unknown)).to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme").withArgs(unknown);
        await expect(p.householdCap(unknown))
          .to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme")
          .withArgs(unknown);
      }
      await expect(p.connect(a.governance).amendProgramme(2n, terms()))
        .to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme")
        .withArgs(2n);
      await expect(suite.lens.programmeView(2n)).to.be.revertedWithCustomError(p, "ProgrammeRegistryUnknownProgramme").withArgs(2n);
    });

    it("the governor amends the terms (ProgrammeAmended); the identity and creation time do not change", async () => {
      const { suite, a, programmeId } = await loadFixture(oneProgramme);
      const before = await suite.programmes.programme(programmeId);
      const p = suite.programmes.connect(a.governance);
      const amended = {
        ...terms({ budgetCeiling: BUDGET * 2n, householdCap: CAP / 2n, publicityPeriod: 14 * DAY, requiredDepartments: 0b11n }),
        policyDocHash: id("policy document v2"),
        policyURI: "https://policy.example/low-income-2026-v2.pdf",
      };
      await expect(p.amendProgramme(programmeId, amended)).to.emit(p, "ProgrammeAmended").withArgs(programmeId, termsTuple(amended));

      const after = await p.programme(programmeId);
      expect(after.earmarkCode).to.equal(before.earmarkCode);
      expect(after.fiscalPeriod).to.equal(before.fiscalPeriod);
      expect(after.rootRegion).to.equal(before.rootRegion);
      expect(after.createdAt).to.equal(before.createdAt);
      expect(after.terms.budgetCeiling).to.equal(BUDGET * 2n);
      expect(after.terms.householdCap).to.equal(CAP / 2n);
      expect(after.terms.publicityPeriod).to.equal(BigInt(14 * DAY));
      expect(after.terms.requiredDepartments).to.equal(0b11n);
      expect(after.terms.policyDocHash).to.equal(id("policy document v2"));
      expect(after.terms.policyURI).to.equal("https://policy.example/low-income-2026-v2.pdf");
      expect(await p.householdCap(programmeId)).to.equal(CAP / 2n);
      expect(await p.programmeCount()).to.equal(1n);
    });

    it("an amendment is checked like the creation (ProgrammeRegistryInvalidTerm)", async () => {
      const { suite, a, programmeId } = await loadFixture(oneProgramme);
      const p = suite.programmes.connect(a.governance);
      for (const [field, t] of invalidTerms) {
        await expect(p.amendProgramme(programmeId, t), field)
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
      expect(await h.registerHouseholds.staticCall(first, personTagsOf(first), id("attestation A"))).to.equal(1n);
      const tx = h.registerHouseholds(first, personTagsOf(first), id("attestation A"));
      for (const [i, c] of first.entries()) {
        await expect(tx).to.emit(h, "HouseholdRegistered").withArgs(BigInt(i + 1), c, id("attestation A"), personTagOf(c));
      }
      const second = [commitment("reg-4"), commitment("reg-5")];
      expect(await h.registerHouseholds.staticCall(second, personTagsOf(second), id("attestation B"))).to.equal(4n);
      const tx2 = h.registerHouseholds(second, personTagsOf(second), id("attestation B"));
      await expect(tx2).to.emit(h, "HouseholdRegistered").withArgs(4n, second[0], id("attestation B"), personTagOf(second[0]!));
      await expect(tx2).to.emit(h, "HouseholdRegistered").withArgs(5n, second[1], id("attestation B"), personTagOf(second[1]!));

      const receipt = await (await h.registerHouseholds([commitment("reg-6")], personTagsOf([commitment("reg-6")]), id("attestation C"))).wait();
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
      await expect(h.registerHouseholds([commitments[2]!], personTagsOf([commitments[2]!]), id("again")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryAlreadyRegistered")
        .withArgs(commitments[2], 3n);
      // A duplicate later in a batch undoes the whole batch.
      const fresh = commitment("fresh");
      await expect(h.registerHouseholds([fresh, commitments[0]!], personTagsOf([fresh, commitments[0]!]), id("again")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryAlreadyRegistered")
        .withArgs(commitments[0], 1n);
      expect(await h.householdIdOf(fresh)).to.equal(0n);
      expect(await h.householdCount()).to.equal(5n);
    });

    it("rejects a duplicate inside one batch, naming the id it was just given", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      const twin = commitment("twin");
      await expect(h.registerHouseholds([commitment("solo"), twin, twin], personTagsOf([commitment("solo"), twin, twin]), id("batch")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryAlreadyRegistered")
        .withArgs(twin, 7n);
      expect(await h.householdIdOf(twin)).to.equal(0n);
      expect(await h.householdIdOf(commitment("solo"))).to.equal(0n);
      expect(await h.householdCount()).to.equal(5n);
    });

    it("rejects the zero commitment (HouseholdRegistryZeroCommitment), anywhere in a batch", async () => {
      const { suite, a } = await loadFixture(smallRegister);
      const h = suite.households.connect(a.civilAffairs);
      await expect(h.registerHouseholds([ZeroHash], personTagsOf([ZeroHash]), id("zero"))).to.be.revertedWithCustomError(h, "HouseholdRegistryZeroCommitment");
      await expect(h.registerHouseholds([commitment("ok"), ZeroHash], personTagsOf([commitment("ok"), ZeroHash]), id("zero"))).to.be.revertedWithCustomError(
        h,
        "HouseholdRegistryZeroCommitment",
      );
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
      await expect(h.registerHouseholds([fresh, commitment("second identity")], [personTagOf(fresh), tagOf2], id("again")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryPersonAlreadyRegistered")
        .withArgs(tagOf2, 2n);
      expect(await h.householdIdOf(fresh)).to.equal(0n);
      // Twice in one batch: the second is refused, naming the id the first was just given.
      const twin = personTagOf(commitment("twin"));
      await expect(h.registerHouseholds([commitment("t1"), commitment("t2")], [twin, twin], id("batch")))
        .to.be.revertedWithCustomError(h, "HouseholdRegistryPersonAlreadyRegistered")
        .withArgs(twin, 6n);
      await expect(h.registerHouseholds([commitment("t1")], [ZeroHash], id("zero"))).to.be.revertedWithCustomError(h, "HouseholdRegistryZeroPersonTag");
      await expect(h.registerHouseholds([commitment("t1"), commitment("t2")], [twin], id("short")))
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
      await expect(suite.households.connect(a.townshipBureau).replaceCommitment(3n, commitment("x"), personTagOf(commitments[2]!), id("r")))
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

    it("one key cannot undo a death: a household suspended as deceased is reinstated by two civil-affairs accounts", async () => {
      const { suite, a, commitments } = await loadFixture(smallRegister);
      // A second civil-affairs office (e.g. the county's, beside the township's).
      const second = a.outsider;
      await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, second.address, 0);
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
        await expect(call).to.be.revertedWithCustomError(h, "HouseholdRegistrySecondOfficeRequired").withArgs(1n, a.civilAffairs.address);
      }
      await expect(suite.households.connect(second).reinstateHousehold(1n, id("confirmed by the county")))
        .to.emit(h, "HouseholdReinstated")
        .withArgs(1n, commitments[0], id("confirmed by the county"));
      expect(await h.statusOf(1n)).to.equal(Status.Active);
      expect(await h.reinstatementProposer(1n)).to.equal(ZeroAddress);
      // Other reasons need one account, as before; and a later non-deceased suspension is not sticky.
      await h.suspendHousehold(1n, Reason.MovedAway, id("moved"));
      await expect(h.reinstateHousehold(1n, id("back"))).to.emit(h, "HouseholdReinstated");
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
        await expect(h.registerHouseholds([commitment("intruder")], personTagsOf([commitment("intruder")]), id("x")))
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
        expected.set(word, (expected.get(word) ?? 0n) | (1n << household % 256n));
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
