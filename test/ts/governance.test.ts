/**
 * Governance of the suite: the deployment's wiring (checked against src/roles.ts and
 * contracts/libraries/Roles.sol), the admin's execution delay and the grant delay, the GOVERNOR's
 * execution delay, the guardian's emergency pause, and an access matrix that calls every
 * restricted function from an account that holds no role.
 * All identities are synthetic (see `commitment()` in the fixture).
 */
import { readFile } from "node:fs/promises";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import {
  type BaseContract,
  Contract,
  type ContractRunner,
  type Interface,
  type ParamType,
  ZeroAddress,
  id,
} from "ethers";
import hre from "hardhat";

import { batchProof, packLine } from "../../src/lines.js";
import { OfficeKind } from "../../src/offices.js";
import {
  DELAYED_GRANT_ROLES,
  FUNCTION_ROLES,
  Role,
  type RoleName,
  SUITE_CONTRACTS,
  type SuiteContractName,
  UNMAPPED_FUNCTIONS,
  selectorOf,
} from "../../src/roles.js";
import {
  type Actors,
  actors,
  BUDGET,
  commitment,
  COUNTY,
  DAY,
  DEPT_FINANCE,
  deploySuite,
  ethers,
  fundedSuite,
  networkHelpers,
  personTagsOf,
  type Suite,
  terms,
  TOWNSHIP,
  wiredSuite,
} from "./helpers/fixture.js";
import { declare, makeLines, payableRoster, sendLines } from "./helpers/rosters.js";

const { loadFixture, time } = networkHelpers;

/** OpenZeppelin's AccessManager applies a grant-delay change no sooner than this (`minSetback`). */
const MIN_SETBACK = 5 * DAY;

// ------------------------------------------------------------------------------------- helpers

/** The suite with the Ignition module's default parameters: adminDelay and grantDelay of one day. */
async function defaultSuite() {
  const suite = await deploySuite();
  const a = await actors();
  return { suite, a };
}

/** The wired suite plus one programme (no households), for the GOVERNOR delay tests. */
async function wiredSuiteWithProgramme() {
  const { suite, a } = await wiredSuite();
  await suite.programmes.connect(a.programmeAdmin).createProgramme(id("EARMARK-GOVERNANCE"), 202611, COUNTY, terms());
  const slowGovernor = await signer(14);
  return { suite, a, programmeId: 1n, slowGovernor };
}

async function signer(index: number): Promise<HardhatEthersSigner> {
  const s = (await ethers.getSigners())[index];
  if (!s) throw new Error(`the test network has no account #${index}`);
  return s;
}

function contractOf(suite: Suite, name: SuiteContractName) {
  switch (name) {
    case "Directory":
      return suite.directory;
    case "ProgrammeRegistry":
      return suite.programmes;
    case "HouseholdRegistry":
      return suite.households;
    case "BudgetLedger":
      return suite.ledger;
    case "RosterBook":
      return suite.rosterBook;
    case "RosterLines":
      return suite.rosterLines;
    case "Disbursement":
      return suite.disbursement;
  }
}

/** The seven writing contracts of a suite, as name → contract. */
function writingContracts(suite: Suite) {
  return SUITE_CONTRACTS.map((name) => ({ name, contract: contractOf(suite, name) }));
}

/** A generic ethers handle, so that a function can be called by its signature. */
async function generic(c: { interface: Interface; getAddress(): Promise<string> }, runner: ContractRunner) {
  return new Contract(await c.getAddress(), c.interface, runner);
}

/** A contract's interface as a plain ethers Interface, to look functions up by signature. */
function abiOf(c: { interface: Interface }): Interface {
  return c.interface;
}

/** A zero value for an ABI parameter: 0, false, zero address, empty bytes/string/array, zero tuple. */
function dummy(p: ParamType): unknown {
  if (p.isArray()) {
    return p.arrayLength > 0 ? Array.from({ length: p.arrayLength }, () => dummy(p.arrayChildren)) : [];
  }
  if (p.isTuple()) return p.components.map(dummy);
  switch (p.baseType) {
    case "address":
      return ZeroAddress;
    case "bool":
      return false;
    case "string":
      return "";
    case "bytes":
      return "0x";
  }
  const fixedBytes = /^bytes(\d+)$/.exec(p.baseType);
  if (fixedBytes) return "0x" + "00".repeat(Number(fixedBytes[1]));
  if (/^u?int\d*$/.test(p.baseType)) return 0n;
  throw new Error(`no dummy value for ABI type ${p.type}`);
}

/** The non-view functions of a compiled contract, by canonical signature. */
async function writingSignatures(name: SuiteContractName): Promise<string[]> {
  const artifact = await hre.artifacts.readArtifact(name);
  const iface = new ethers.Interface(artifact.abi);
  const signatures: string[] = [];
  iface.forEachFunction((fragment) => {
    if (!fragment.constant) signatures.push(fragment.format("sighash"));
  });
  return signatures;
}

async function timestampOf(tx: { wait(): Promise<{ blockNumber: number } | null> }): Promise<number> {
  const receipt = await tx.wait();
  if (!receipt) throw new Error("no receipt");
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error("no block");
  return block.timestamp;
}

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

const ROLE_NAMES = Object.keys(Role) as RoleName[];

// ------------------------------------------------------------------------------------- tests

describe("Governance", () => {
  describe("deployment wiring (default parameters)", () => {
    it("leaves the deployer with no role at all", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const [isAdmin] = await suite.manager.hasRole(Role.ADMIN, a.deployer.address);
      expect(isAdmin).to.equal(false);
      for (const name of ROLE_NAMES) {
        if (name === "PUBLIC") continue;
        const [member] = await suite.manager.hasRole(Role[name], a.deployer.address);
        expect(member, `deployer holds ${name}`).to.equal(false);
      }
    });

    it("makes governance (account #1) the admin with a one-day execution delay", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const [isAdmin, delay] = await suite.manager.hasRole(Role.ADMIN, a.governance.address);
      expect(isAdmin).to.equal(true);
      expect(delay).to.equal(BigInt(DAY));
      const access = await suite.manager.getAccess(Role.ADMIN, a.governance.address);
      expect(access.currentDelay).to.equal(BigInt(DAY));
      expect(access.pendingDelay).to.equal(0n);
    });

    it("makes account #1 the guardian, with no execution delay", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const [isGuardian, delay] = await suite.manager.hasRole(Role.GUARDIAN, a.governance.address);
      expect(isGuardian).to.equal(true);
      expect(delay).to.equal(0n);
    });

    it("makes governance the GOVERNOR with the module's default two-day execution delay", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const [isGovernor, delay] = await suite.manager.hasRole(Role.GOVERNOR, a.governance.address);
      expect(isGovernor).to.equal(true);
      expect(delay).to.equal(BigInt(2 * DAY));
      // So a direct amendment or binding by governance is refused until scheduled.
      await expect(
        suite.directory
          .connect(a.governance)
          .bindOffice(a.townshipBureau.address, { kind: OfficeKind.Bureau, department: 0, region: TOWNSHIP }),
      ).to.be.revertedWithCustomError(suite.manager, "AccessManagerNotScheduled");
      await expect(suite.programmes.connect(a.governance).amendProgramme(1n, terms())).to.be.revertedWithCustomError(
        suite.manager,
        "AccessManagerNotScheduled",
      );
      expect(await suite.directory.bureauOf(TOWNSHIP)).to.equal(ZeroAddress);
    });

    it("wires every function of the role table to its role", async () => {
      const { suite } = await loadFixture(defaultSuite);
      let wired = 0;
      for (const { name, contract } of writingContracts(suite)) {
        const target = await contract.getAddress();
        for (const [signature, role] of Object.entries(FUNCTION_ROLES[name])) {
          expect(
            await suite.manager.getTargetFunctionRole(target, selectorOf(signature)),
            `${name}.${signature}`,
          ).to.equal(Role[role]);
          wired++;
        }
        expect(await suite.manager.isTargetClosed(target)).to.equal(false);
        expect(await contract.authority()).to.equal(await suite.manager.getAddress());
      }
      expect(wired).to.equal(Object.values(FUNCTION_ROLES).reduce((n, t) => n + Object.keys(t).length, 0));
    });

    it("leaves every role administered by ADMIN", async () => {
      const { suite } = await loadFixture(defaultSuite);
      for (const name of ROLE_NAMES) {
        if (name === "ADMIN" || name === "PUBLIC") continue;
        expect(await suite.manager.getRoleAdmin(Role[name]), name).to.equal(Role.ADMIN);
      }
    });

    it("gives SUITE to RosterBook and Disbursement and to nobody else", async () => {
      const { suite } = await loadFixture(defaultSuite);
      const [rosterBookIsSuite, rosterBookDelay] = await suite.manager.hasRole(
        Role.SUITE,
        await suite.rosterBook.getAddress(),
      );
      const [disbursementIsSuite, disbursementDelay] = await suite.manager.hasRole(
        Role.SUITE,
        await suite.disbursement.getAddress(),
      );
      expect(rosterBookIsSuite).to.equal(true);
      expect(rosterBookDelay).to.equal(0n);
      expect(disbursementIsSuite).to.equal(true);
      expect(disbursementDelay).to.equal(0n);

      const others = [
        ...(await ethers.getSigners()).map((s) => s.address),
        await suite.manager.getAddress(),
        await suite.directory.getAddress(),
        await suite.programmes.getAddress(),
        await suite.households.getAddress(),
        await suite.ledger.getAddress(),
        await suite.lens.getAddress(),
      ];
      expect(others.length).to.be.greaterThan(13);
      for (const account of others) {
        const [isSuite] = await suite.manager.hasRole(Role.SUITE, account);
        expect(isSuite, `${account} holds SUITE`).to.equal(false);
      }
    });

    it("sets the grant delay of every delayed role, effective after OpenZeppelin's five-day setback", async () => {
      const { suite } = await loadFixture(defaultSuite);
      expect(await suite.manager.minSetback()).to.equal(BigInt(MIN_SETBACK));
      // Straight after deployment the new grant delay is still pending.
      for (const name of DELAYED_GRANT_ROLES) {
        expect(await suite.manager.getRoleGrantDelay(Role[name]), name).to.equal(0n);
      }
      await time.increase(MIN_SETBACK);
      for (const name of DELAYED_GRANT_ROLES) {
        expect(await suite.manager.getRoleGrantDelay(Role[name]), name).to.equal(BigInt(DAY));
      }
      expect(await suite.manager.getRoleGrantDelay(Role.ADMIN)).to.equal(0n);
    });
  });

  describe("role table completeness", () => {
    for (const name of SUITE_CONTRACTS) {
      it(`${name}: every non-view function is in the table, and every table entry exists`, async () => {
        const signatures = await writingSignatures(name);
        const table = FUNCTION_ROLES[name];
        const unmapped: readonly string[] = UNMAPPED_FUNCTIONS;
        const missing = signatures.filter((s) => !(s in table) && !unmapped.includes(s));
        expect(missing, `${name} functions outside the role table`).to.deep.equal([]);
        const stale = Object.keys(table).filter((s) => !signatures.includes(s));
        expect(stale, `${name} table entries with no such function`).to.deep.equal([]);
        // The typechain interface the tests use agrees with the compiled artifact.
        const typechain: string[] = [];
        (await loadFixture(wiredSuite)).suite[
          (
            {
              Directory: "directory",
              ProgrammeRegistry: "programmes",
              HouseholdRegistry: "households",
              BudgetLedger: "ledger",
              RosterBook: "rosterBook",
              RosterLines: "rosterLines",
              Disbursement: "disbursement",
            } as const
          )[name]
        ].interface.forEachFunction((f) => {
          if (!f.constant) typechain.push(f.format("sighash"));
        });
        expect([...typechain].sort()).to.deep.equal([...signatures].sort());
      });
    }

    it("the unmapped functions are only setAuthority, which only the manager itself may call", async () => {
      expect([...UNMAPPED_FUNCTIONS]).to.deep.equal(["setAuthority(address)"]);
      const { suite, a } = await loadFixture(wiredSuite);
      // Even the admin cannot call setAuthority directly: AccessManaged accepts only its authority.
      for (const { contract } of writingContracts(suite)) {
        await expect(contract.connect(a.governance).setAuthority(await suite.manager.getAddress()))
          .to.be.revertedWithCustomError(contract, "AccessManagedUnauthorized")
          .withArgs(a.governance.address);
      }
    });

    it("role ids equal the constants of contracts/libraries/Roles.sol", async () => {
      const source = await readFile(new URL("../../contracts/libraries/Roles.sol", import.meta.url), "utf8");
      const constants = new Map<string, bigint>();
      for (const match of source.matchAll(/uint64\s+internal\s+constant\s+([A-Z_]+)\s*=\s*(\d+)\s*;/g)) {
        constants.set(match[1]!, BigInt(match[2]!));
      }
      expect(constants.size).to.be.greaterThan(0);
      for (const [name, value] of constants) {
        expect(name in Role, `Roles.sol has ${name}, src/roles.ts does not`).to.equal(true);
        expect(Role[name as RoleName], name).to.equal(value);
      }
      // Every role of the table but the AccessManager's own two is declared in Roles.sol.
      const expected = ROLE_NAMES.filter((n) => n !== "ADMIN" && n !== "PUBLIC").sort();
      expect([...constants.keys()].sort()).to.deep.equal(expected);
      // And the manager's own ids match.
      const { suite } = await loadFixture(wiredSuite);
      expect(await suite.manager.ADMIN_ROLE()).to.equal(Role.ADMIN);
      expect(await suite.manager.PUBLIC_ROLE()).to.equal(Role.PUBLIC);
    });

    it("every role of the table is distinct", () => {
      const values = Object.values(Role);
      expect(new Set(values).size).to.equal(values.length);
    });
  });

  describe("delayed governance (default parameters)", () => {
    it("governance cannot grant a role directly; it schedules, waits out the admin delay, then executes", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const manager = suite.manager.connect(a.governance);
      const managerAddress = await manager.getAddress();
      const data = manager.interface.encodeFunctionData("grantRole", [
        Role.PROGRAMME_ADMIN,
        a.programmeAdmin.address,
        0,
      ]);
      const operationId = await manager.hashOperation(a.governance.address, managerAddress, data);

      await expect(manager.grantRole(Role.PROGRAMME_ADMIN, a.programmeAdmin.address, 0))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);
      // Nor through execute without a schedule.
      await expect(manager.execute(managerAddress, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);

      const scheduleTx = await manager.schedule(managerAddress, data, 0);
      const scheduledAt = await timestampOf(scheduleTx);
      await expect(scheduleTx)
        .to.emit(manager, "OperationScheduled")
        .withArgs(operationId, 1n, scheduledAt + DAY, a.governance.address, managerAddress, data);
      expect(await manager.getSchedule(operationId)).to.equal(BigInt(scheduledAt + DAY));

      // Too early.
      await expect(manager.execute(managerAddress, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);
      await time.increase(DAY - 10);
      await expect(manager.execute(managerAddress, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);
      const [stillNot] = await manager.hasRole(Role.PROGRAMME_ADMIN, a.programmeAdmin.address);
      expect(stillNot).to.equal(false);

      await time.increase(10);
      const executeTx = await manager.execute(managerAddress, data);
      const executedAt = await timestampOf(executeTx);
      await expect(executeTx).to.emit(manager, "OperationExecuted").withArgs(operationId, 1n);
      // Within five days of deployment the pending grant delay is not in force yet: active at once.
      await expect(executeTx)
        .to.emit(manager, "RoleGranted")
        .withArgs(Role.PROGRAMME_ADMIN, a.programmeAdmin.address, 0n, executedAt, true);
      const [isMember] = await manager.hasRole(Role.PROGRAMME_ADMIN, a.programmeAdmin.address);
      expect(isMember).to.equal(true);

      // The schedule is consumed: it cannot be executed twice.
      await expect(manager.execute(managerAddress, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);
    });

    it("only the admin may schedule a grant", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const managerAddress = await suite.manager.getAddress();
      const data = suite.manager.interface.encodeFunctionData("grantRole", [Role.GOVERNOR, a.outsider.address, 0]);
      await expect(suite.manager.connect(a.outsider).schedule(managerAddress, data, 0))
        .to.be.revertedWithCustomError(suite.manager, "AccessManagerUnauthorizedCall")
        .withArgs(a.outsider.address, managerAddress, selectorOf("grantRole(uint64,address,uint32)"));
      await expect(suite.manager.connect(a.outsider).grantRole(Role.GOVERNOR, a.outsider.address, 0))
        .to.be.revertedWithCustomError(suite.manager, "AccessManagerUnauthorizedAccount")
        .withArgs(a.outsider.address, Role.ADMIN);
      // The deployer renounced its admin role and has no power left either.
      await expect(suite.manager.connect(a.deployer).grantRole(Role.GOVERNOR, a.deployer.address, 0))
        .to.be.revertedWithCustomError(suite.manager, "AccessManagerUnauthorizedAccount")
        .withArgs(a.deployer.address, Role.ADMIN);
    });

    it("a member granted after the grant delay took effect is inactive until the grant delay has passed", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const manager = suite.manager.connect(a.governance);
      const managerAddress = await manager.getAddress();

      await time.increase(MIN_SETBACK);
      expect(await manager.getRoleGrantDelay(Role.PROGRAMME_ADMIN)).to.equal(BigInt(DAY));

      const data = manager.interface.encodeFunctionData("grantRole", [
        Role.PROGRAMME_ADMIN,
        a.programmeAdmin.address,
        0,
      ]);
      await expect(manager.schedule(managerAddress, data, 0)).to.emit(manager, "OperationScheduled");
      await time.increase(DAY);
      const executeTx = await manager.execute(managerAddress, data);
      const executedAt = await timestampOf(executeTx);
      await expect(executeTx)
        .to.emit(manager, "RoleGranted")
        .withArgs(Role.PROGRAMME_ADMIN, a.programmeAdmin.address, 0n, executedAt + DAY, true);

      // Granted but not yet active.
      const [isMember] = await manager.hasRole(Role.PROGRAMME_ADMIN, a.programmeAdmin.address);
      expect(isMember).to.equal(false);
      const access = await manager.getAccess(Role.PROGRAMME_ADMIN, a.programmeAdmin.address);
      expect(access.since).to.equal(BigInt(executedAt + DAY));
      const programmes = suite.programmes.connect(a.programmeAdmin);
      await expect(programmes.createProgramme(id("EARMARK-GRANT-DELAY"), 202611, COUNTY, terms()))
        .to.be.revertedWithCustomError(programmes, "AccessManagedUnauthorized")
        .withArgs(a.programmeAdmin.address);

      await time.increase(DAY);
      const [active] = await manager.hasRole(Role.PROGRAMME_ADMIN, a.programmeAdmin.address);
      expect(active).to.equal(true);
      await expect(programmes.createProgramme(id("EARMARK-GRANT-DELAY"), 202611, COUNTY, terms()))
        .to.emit(programmes, "ProgrammeCreated")
        .withArgs(1n, id("EARMARK-GRANT-DELAY"), COUNTY, 202611, anyValue);
    });

    it("revoking is immediate once executed, but is itself delayed by the admin delay", async () => {
      const { suite, a } = await loadFixture(defaultSuite);
      const manager = suite.manager.connect(a.governance);
      const managerAddress = await manager.getAddress();
      const bookAddress = await suite.rosterBook.getAddress();
      const data = manager.interface.encodeFunctionData("revokeRole", [Role.SUITE, bookAddress]);
      await expect(manager.revokeRole(Role.SUITE, bookAddress)).to.be.revertedWithCustomError(
        manager,
        "AccessManagerNotScheduled",
      );
      await manager.schedule(managerAddress, data, 0);
      await time.increase(DAY);
      await expect(manager.execute(managerAddress, data))
        .to.emit(manager, "RoleRevoked")
        .withArgs(Role.SUITE, bookAddress);
      const [stillSuite] = await manager.hasRole(Role.SUITE, bookAddress);
      expect(stillSuite).to.equal(false);
    });
  });

  describe("GOVERNOR execution delay", () => {
    const GOVERNOR_DELAY = 2 * DAY;

    async function slowGovernorSuite() {
      const fx = await wiredSuiteWithProgramme();
      await fx.suite.manager.connect(fx.a.governance).grantRole(Role.GOVERNOR, fx.slowGovernor.address, GOVERNOR_DELAY);
      return fx;
    }

    it("the governor holds the role with its execution delay", async () => {
      const { suite, slowGovernor } = await loadFixture(slowGovernorSuite);
      const [isGovernor, delay] = await suite.manager.hasRole(Role.GOVERNOR, slowGovernor.address);
      expect(isGovernor).to.equal(true);
      expect(delay).to.equal(BigInt(GOVERNOR_DELAY));
    });

    it("amendProgramme: a direct call reverts; scheduled, it takes effect only by execute after the delay", async () => {
      const { suite, a, programmeId, slowGovernor } = await loadFixture(slowGovernorSuite);
      const manager = suite.manager.connect(slowGovernor);
      const programmes = suite.programmes.connect(slowGovernor);
      const target = await programmes.getAddress();
      const amended = terms({ householdCap: 150_000n, publicityPeriod: 10 * DAY });
      const data = programmes.interface.encodeFunctionData("amendProgramme", [programmeId, amended]);
      const operationId = await manager.hashOperation(slowGovernor.address, target, data);

      await expect(programmes.amendProgramme(programmeId, amended))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);

      const scheduleTx = await manager.schedule(target, data, 0);
      const scheduledAt = await timestampOf(scheduleTx);
      await expect(scheduleTx)
        .to.emit(manager, "OperationScheduled")
        .withArgs(operationId, 1n, scheduledAt + GOVERNOR_DELAY, slowGovernor.address, target, data);

      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);
      await time.increase(DAY);
      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);
      // Nothing changed while the operation waited.
      expect((await suite.programmes.programme(programmeId)).terms.householdCap).to.equal(terms().householdCap);

      await time.increase(DAY);
      // Only the account that scheduled the operation can execute it.
      await expect(suite.manager.connect(a.outsider).execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedCall")
        .withArgs(
          a.outsider.address,
          target,
          selectorOf("amendProgramme(uint64,(uint128,uint128,uint32,uint32,uint256,bytes32,string))"),
        );
      const executeTx = manager.execute(target, data);
      await expect(executeTx).to.emit(programmes, "ProgrammeAmended").withArgs(programmeId, termsTuple(amended));
      await expect(executeTx).to.emit(manager, "OperationExecuted").withArgs(operationId, 1n);

      const p = await suite.programmes.programme(programmeId);
      expect(p.terms.householdCap).to.equal(150_000n);
      expect(p.terms.publicityPeriod).to.equal(BigInt(10 * DAY));
      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);
    });

    it("bindOffice: a direct call reverts; scheduled, it takes effect only by execute after the delay", async () => {
      const { suite, a, slowGovernor } = await loadFixture(slowGovernorSuite);
      const manager = suite.manager.connect(slowGovernor);
      const directory = suite.directory.connect(slowGovernor);
      const target = await directory.getAddress();
      const townshipBureau = { kind: OfficeKind.Bureau, department: 0, region: TOWNSHIP };
      const data = directory.interface.encodeFunctionData("bindOffice", [a.objector.address, townshipBureau]);
      const operationId = await manager.hashOperation(slowGovernor.address, target, data);

      await expect(directory.bindOffice(a.objector.address, townshipBureau))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);
      await expect(
        directory.bindOffice(a.objector.address, { kind: OfficeKind.Reviewer, department: 7, region: COUNTY }),
      ).to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled");

      const scheduleTx = await manager.schedule(target, data, 0);
      const scheduledAt = await timestampOf(scheduleTx);
      await expect(scheduleTx)
        .to.emit(manager, "OperationScheduled")
        .withArgs(operationId, 1n, scheduledAt + GOVERNOR_DELAY, slowGovernor.address, target, data);
      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);
      await time.increase(DAY);
      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);
      // Nothing changed while the operation waited.
      expect(await suite.directory.bureauOf(TOWNSHIP)).to.equal(a.townshipBureau.address);
      expect(await suite.directory.isRetired(a.townshipBureau.address)).to.equal(false);
      expect((await suite.directory.officeOf(a.objector.address)).kind).to.equal(BigInt(OfficeKind.None));

      await time.increase(DAY);
      // Only the account that scheduled the operation can execute it.
      await expect(suite.manager.connect(a.outsider).execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedCall")
        .withArgs(a.outsider.address, target, selectorOf("bindOffice(address,(uint8,uint8,uint64))"));
      const executeTx = manager.execute(target, data);
      await expect(executeTx)
        .to.emit(directory, "OfficeBound")
        .withArgs(a.objector.address, OfficeKind.Bureau, 0, TOWNSHIP, a.townshipBureau.address);
      await expect(executeTx)
        .to.emit(directory, "OfficeVacated")
        .withArgs(a.townshipBureau.address, OfficeKind.Bureau, 0, TOWNSHIP);
      await expect(executeTx).to.emit(manager, "OperationExecuted").withArgs(operationId, 1n);
      expect(await suite.directory.bureauOf(TOWNSHIP)).to.equal(a.objector.address);
      expect(await suite.directory.isRetired(a.townshipBureau.address)).to.equal(true);
      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);
    });

    it("unbindOffice: a direct call reverts; scheduled, it takes effect only by execute after the delay", async () => {
      const { suite, a, slowGovernor } = await loadFixture(slowGovernorSuite);
      const manager = suite.manager.connect(slowGovernor);
      const directory = suite.directory.connect(slowGovernor);
      const target = await directory.getAddress();
      const data = directory.interface.encodeFunctionData("unbindOffice", [a.deptFinance.address]);
      const operationId = await manager.hashOperation(slowGovernor.address, target, data);
      const financeOffice = { kind: OfficeKind.Reviewer, department: DEPT_FINANCE, region: COUNTY };

      await expect(directory.unbindOffice(a.deptFinance.address))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);

      const scheduleTx = await manager.schedule(target, data, 0);
      const scheduledAt = await timestampOf(scheduleTx);
      await expect(scheduleTx)
        .to.emit(manager, "OperationScheduled")
        .withArgs(operationId, 1n, scheduledAt + GOVERNOR_DELAY, slowGovernor.address, target, data);
      await time.increase(GOVERNOR_DELAY - 10);
      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);
      expect(await suite.directory.holderOf(financeOffice)).to.equal(a.deptFinance.address);
      expect(await suite.directory.isRetired(a.deptFinance.address)).to.equal(false);

      await time.increase(10);
      await expect(manager.execute(target, data))
        .to.emit(directory, "OfficeVacated")
        .withArgs(a.deptFinance.address, OfficeKind.Reviewer, DEPT_FINANCE, COUNTY);
      expect(await suite.directory.holderOf(financeOffice)).to.equal(ZeroAddress);
      expect(await suite.directory.isRetired(a.deptFinance.address)).to.equal(true);
    });

    it("a scheduled operation can be cancelled by the admin before it runs", async () => {
      const { suite, a, programmeId, slowGovernor } = await loadFixture(slowGovernorSuite);
      const manager = suite.manager.connect(slowGovernor);
      const target = await suite.programmes.getAddress();
      const data = suite.programmes.interface.encodeFunctionData("amendProgramme", [
        programmeId,
        terms({ householdCap: 1n }),
      ]);
      const operationId = await manager.hashOperation(slowGovernor.address, target, data);
      await manager.schedule(target, data, 0);
      await expect(suite.manager.connect(a.governance).cancel(slowGovernor.address, target, data))
        .to.emit(manager, "OperationCanceled")
        .withArgs(operationId, 1n);
      await time.increase(GOVERNOR_DELAY);
      await expect(manager.execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);
      expect((await suite.programmes.programme(programmeId)).terms.householdCap).to.equal(terms().householdCap);
    });
  });

  describe("emergency pause", () => {
    async function pausableSuite() {
      const fx = await fundedSuite();
      // A roster ready for payment, so that Disbursement has a write that would succeed.
      const roster = await payableRoster(fx.suite, fx.a, fx.programmeId, TOWNSHIP, makeLines(4));
      // A roster awaiting its lines, so that RosterLines has a write that would succeed.
      const awaiting = await declare(fx.suite, fx.a.townshipBureau, fx.programmeId, TOWNSHIP, makeLines(2, 50));
      return { ...fx, roster, awaiting };
    }

    async function everyContract(suite: Suite, fn: "pause" | "unpause", guardian: HardhatEthersSigner) {
      const manager = suite.manager.connect(guardian);
      const calls = await Promise.all(
        writingContracts(suite).map(async ({ contract }) =>
          manager.interface.encodeFunctionData("execute", [
            await contract.getAddress(),
            abiOf(contract).encodeFunctionData(fn),
          ]),
        ),
      );
      return manager.multicall(calls);
    }

    function probes(
      suite: Suite,
      a: Actors,
      programmeId: bigint,
      { roster, awaiting }: Awaited<ReturnType<typeof pausableSuite>>,
    ) {
      const batch = batchProof(roster.tree, [0, 1]);
      const submission = {
        programmeId,
        region: TOWNSHIP,
        root: id("pause probe root"),
        lineCount: 1,
        total: 1_000n,
        documentHash: id("pause probe document"),
        documentURI: "https://notice.example/pause-probe.csv",
      };
      return [
        {
          contract: suite.households,
          call: () =>
            suite.households
              .connect(a.civilAffairs)
              .registerHouseholds(
                TOWNSHIP,
                [commitment("pause-probe")],
                personTagsOf([commitment("pause-probe")]),
                id("attestation"),
              ),
          event: "HouseholdRegistered",
        },
        {
          contract: suite.directory,
          call: () =>
            suite.directory
              .connect(a.governance)
              .bindOffice(a.objector.address, { kind: OfficeKind.Bureau, department: 0, region: 110101001001n }),
          event: "OfficeBound",
        },
        {
          contract: suite.programmes,
          call: () =>
            suite.programmes.connect(a.programmeAdmin).createProgramme(id("EARMARK-PAUSE"), 202612, COUNTY, terms()),
          event: "ProgrammeCreated",
        },
        {
          contract: suite.ledger,
          call: () => suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP, 1_000n),
          event: "BudgetAllocated",
        },
        {
          contract: suite.rosterBook,
          call: () => suite.rosterBook.connect(a.townshipBureau).submitRoster(submission),
          event: "RosterSubmitted",
        },
        {
          contract: suite.rosterLines,
          call: () => sendLines(suite, a.townshipBureau, awaiting.rosterId, awaiting.lines),
          event: "RosterLinesListed",
        },
        {
          contract: suite.disbursement,
          call: () =>
            suite.disbursement
              .connect(a.disburser)
              .recordPayouts(roster.rosterId, batch.lines.map(packLine), batch.proof),
          event: "PayoutRecorded",
        },
      ] as const;
    }

    it("the guardian pauses all seven contracts in one transaction; every write then reverts, views still work", async () => {
      const fx = await loadFixture(pausableSuite);
      const { suite, a, programmeId, roster } = fx;
      const balanceBefore = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      const managerAddress = await suite.manager.getAddress();

      const tx = everyContract(suite, "pause", a.governance);
      for (const { contract } of writingContracts(suite)) {
        await expect(tx).to.emit(contract, "Paused").withArgs(managerAddress);
      }
      for (const { name, contract } of writingContracts(suite)) {
        expect(await contract.paused(), name).to.equal(true);
      }

      const probed: BaseContract[] = probes(suite, a, programmeId, fx).map((probe) => probe.contract);
      for (const { name, contract } of writingContracts(suite))
        expect(probed.includes(contract), `a write of ${name} is probed`).to.equal(true);
      for (const probe of probes(suite, a, programmeId, fx)) {
        await expect(probe.call()).to.be.revertedWithCustomError(probe.contract, "EnforcedPause");
      }
      // The other writes of the suite too, e.g. a bank confirmation and a department's sign-off.
      await expect(
        suite.disbursement.connect(a.bank).confirmPayouts(roster.rosterId, [0], [id("bank ref")]),
      ).to.be.revertedWithCustomError(suite.disbursement, "EnforcedPause");
      await expect(
        suite.households.connect(a.civilAffairs).suspendHousehold(1n, 0, id("reason")),
      ).to.be.revertedWithCustomError(suite.households, "EnforcedPause");
      await expect(suite.ledger.connect(a.programmeAdmin).fundProgramme(programmeId, 1n)).to.be.revertedWithCustomError(
        suite.ledger,
        "EnforcedPause",
      );

      // Views still answer.
      const view = await suite.lens.programmeView(programmeId);
      expect(view.programme.earmarkCode).to.equal(id("EARMARK-LOW-INCOME"));
      expect(view.totals.funded).to.equal(BUDGET);
      expect(await suite.ledger.balanceOf(programmeId, TOWNSHIP)).to.deep.equal(balanceBefore);
      expect(await suite.households.householdCount()).to.equal(600n);
      expect(await suite.directory.bureauOf(TOWNSHIP)).to.equal(a.townshipBureau.address);
      expect((await suite.lens.householdView(commitment(1), programmeId)).household).to.equal(1n);
      expect((await suite.rosterBook.roster(roster.rosterId)).total).to.equal(roster.total);
    });

    it("after the guardian unpauses, writes work again", async () => {
      const fx = await loadFixture(pausableSuite);
      const { suite, a, programmeId } = fx;
      await everyContract(suite, "pause", a.governance);
      const managerAddress = await suite.manager.getAddress();
      const tx = everyContract(suite, "unpause", a.governance);
      for (const { contract } of writingContracts(suite)) {
        await expect(tx).to.emit(contract, "Unpaused").withArgs(managerAddress);
      }
      for (const probe of probes(suite, a, programmeId, fx)) {
        await expect(probe.call()).to.emit(probe.contract, probe.event);
      }
      expect(await suite.households.householdCount()).to.equal(601n);
      expect(await suite.programmes.programmeCount()).to.equal(2n);
      expect(await suite.rosterBook.rosterState(fx.awaiting.rosterId)).to.equal(1n); // sealed: AwaitingSignOff
    });

    it("the guardian may also pause a single contract directly", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      await expect(suite.households.connect(a.governance).pause())
        .to.emit(suite.households, "Paused")
        .withArgs(a.governance.address);
      await expect(
        suite.households
          .connect(a.civilAffairs)
          .registerHouseholds(TOWNSHIP, [commitment("x")], personTagsOf([commitment("x")]), id("attestation")),
      ).to.be.revertedWithCustomError(suite.households, "EnforcedPause");
      // The other contracts are unaffected.
      await expect(
        suite.directory
          .connect(a.governance)
          .bindOffice(a.objector.address, { kind: OfficeKind.Reviewer, department: 7, region: COUNTY }),
      )
        .to.emit(suite.directory, "OfficeBound")
        .withArgs(a.objector.address, OfficeKind.Reviewer, 7, COUNTY, ZeroAddress);
    });

    it("an outsider, or a role holder who is not guardian, cannot pause or unpause", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      for (const { contract } of writingContracts(suite)) {
        const target = await contract.getAddress();
        for (const who of [a.outsider, a.programmeAdmin, a.civilAffairs]) {
          await expect(contract.connect(who).pause())
            .to.be.revertedWithCustomError(contract, "AccessManagedUnauthorized")
            .withArgs(who.address);
          await expect(suite.manager.connect(who).execute(target, contract.interface.encodeFunctionData("pause")))
            .to.be.revertedWithCustomError(suite.manager, "AccessManagerUnauthorizedCall")
            .withArgs(who.address, target, selectorOf("pause()"));
        }
      }
      await expect(everyContract(suite, "pause", a.outsider)).to.be.revertedWithCustomError(
        suite.manager,
        "AccessManagerUnauthorizedCall",
      );
      await everyContract(suite, "pause", a.governance);
      for (const { contract } of writingContracts(suite)) {
        await expect(contract.connect(a.outsider).unpause())
          .to.be.revertedWithCustomError(contract, "AccessManagedUnauthorized")
          .withArgs(a.outsider.address);
        expect(await contract.paused()).to.equal(true);
      }
    });
  });

  describe("access matrix: an account with no role", () => {
    for (const name of SUITE_CONTRACTS) {
      for (const [signature, role] of Object.entries(FUNCTION_ROLES[name])) {
        if (role === "PUBLIC") {
          it(`${name}.${signature} is PUBLIC: the outsider passes the role check`, async () => {
            const { suite, a } = await loadFixture(wiredSuite);
            const contract = contractOf(suite, name);
            const handle = await generic(contract, a.outsider);
            const fragment = abiOf(contract).getFunction(signature);
            if (!fragment) throw new Error(`${signature} not in ${name}'s ABI`);
            const args = fragment.inputs.map(dummy);
            // It still fails on its arguments (there is no roster 0), but not on access control.
            await expect(handle.getFunction(signature)(...args)).not.to.be.revertedWithCustomError(
              contract,
              "AccessManagedUnauthorized",
            );
            await expect(handle.getFunction(signature)(...args)).to.revert(ethers);
          });
          continue;
        }
        it(`${name}.${signature} (${role}) reverts AccessManagedUnauthorized for the outsider`, async () => {
          const { suite, a } = await loadFixture(wiredSuite);
          const contract = contractOf(suite, name);
          const [holdsRole] = await suite.manager.hasRole(Role[role], a.outsider.address);
          expect(holdsRole).to.equal(false);
          const fragment = abiOf(contract).getFunction(signature);
          if (!fragment) throw new Error(`${signature} not in ${name}'s ABI`);
          const handle = await generic(contract, a.outsider);
          await expect(handle.getFunction(signature)(...fragment.inputs.map(dummy)))
            .to.be.revertedWithCustomError(contract, "AccessManagedUnauthorized")
            .withArgs(a.outsider.address);
        });
      }
    }

    it("the outsider holds no role at all", async () => {
      const { suite, a } = await loadFixture(wiredSuite);
      for (const name of ROLE_NAMES) {
        if (name === "PUBLIC") continue;
        const [member] = await suite.manager.hasRole(Role[name], a.outsider.address);
        expect(member, name).to.equal(false);
      }
    });
  });
});
