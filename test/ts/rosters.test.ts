/**
 * RosterBook: submission, joint sign-off by review stages (transactions and EIP-712 seals; stages
 * in any order or in order, at county or township level), publicity with objections, withdrawal,
 * rejection and closing — every transition and every custom error.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { id, Signature, ZeroHash } from "ethers";

import {
  approvalDomain,
  APPROVAL_TYPES,
  firstNonceFor,
  type SignedApproval,
  sortByStage,
} from "../../src/approvals.js";
import { buildLineTree, lineProof } from "../../src/lines.js";
import { OfficeKind, packStages, type ReviewStage } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import {
  type Actors,
  bindOffice,
  BUDGET,
  CAP,
  COUNTY,
  countyStages,
  DAY,
  DEPT_CIVIL,
  DEPT_FINANCE,
  DEPT_RURAL,
  ethers,
  fundedSuite,
  networkHelpers,
  OTHER_COUNTY,
  PAYOUT_PERIOD,
  PUBLICITY,
  REVIEW_STAGES,
  type Suite,
  terms,
  TOWNSHIP,
  TOWNSHIP_B,
} from "./helpers/fixture.js";
import { expectConserved } from "./helpers/ledger.js";
import { approveAll, listAll, makeLines, submit, totalOf } from "./helpers/rosters.js";

const State = {
  None: 0n,
  AwaitingSignOff: 1n,
  Rejected: 2n,
  Withdrawn: 3n,
  InPublicity: 4n,
  Payable: 5n,
  Closed: 6n,
  AwaitingLines: 7n,
};
const Hold = { None: 0n, Frozen: 1n, Excluded: 2n };
/** REVIEW_STAGES lists the county offices of departments 0, 1, 2 in that order: stage i is department i's. */
const STAGE_CIVIL = 0;
const STAGE_RURAL = 1;
const STAGE_FINANCE = 2;
/** Administrative levels (RegionCode). */
const LEVEL_COUNTY = 3;
const LEVEL_TOWNSHIP = 4;
const LEVEL_VILLAGE = 5;

async function seal(
  suite: Suite,
  signer: HardhatEthersSigner,
  rosterId: bigint,
  root: string,
  stage: number,
  overrides: Partial<{ nonce: bigint; deadline: bigint; verifyingContract: string; chainId: bigint }> = {},
): Promise<SignedApproval> {
  const chainId = overrides.chainId ?? (await ethers.provider.getNetwork()).chainId;
  const domain = approvalDomain(overrides.verifyingContract ?? (await suite.rosterBook.getAddress()), chainId);
  const nonce = overrides.nonce ?? firstNonceFor(rosterId);
  const deadline = overrides.deadline ?? BigInt((await networkHelpers.time.latest()) + DAY);
  const signature = await signer.signTypedData(domain, APPROVAL_TYPES, { rosterId, root, stage, nonce, deadline });
  return { signer: signer.address, stage, nonce, deadline, signature };
}

const asArgs = (approvals: SignedApproval[]) =>
  approvals.map(({ stage, nonce, deadline, signature }) => ({ stage, nonce, deadline, signature }));

/**
 * A second programme under `reviewStages`, funded and allocated to both townships (a quarter of the
 * budget each); returns its id.
 */
async function stagedProgramme(suite: Suite, a: Actors, earmark: string, reviewStages: bigint): Promise<bigint> {
  await suite.programmes
    .connect(a.programmeAdmin)
    .createProgramme(id(earmark), 202611, COUNTY, terms({ reviewStages }));
  const programmeId = await suite.programmes.programmeCount();
  await suite.ledger.connect(a.programmeAdmin).fundProgramme(programmeId, BUDGET);
  await suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP, BUDGET / 4n);
  await suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP_B, BUDGET / 4n);
  return programmeId;
}

const stagesOf = (stages: ReviewStage[], ordered = false) => packStages({ stages, ordered });

describe("RosterBook", () => {
  async function submitted() {
    const f = await fundedSuite();
    const lines = makeLines(10);
    const roster = await submit(f.suite, f.a.townshipBureau, f.programmeId, TOWNSHIP, lines);
    return { ...f, roster };
  }

  describe("submission", () => {
    it("reserves the total from the region and records the roster", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const lines = makeLines(10);
      const tree = buildLineTree(lines);
      const total = totalOf(lines);
      const before = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      const s = {
        programmeId,
        region: TOWNSHIP,
        root: tree.root,
        lineCount: 10,
        total,
        documentHash: id("list"),
        documentURI: "https://notice.example/list.csv",
      };
      const tx = suite.rosterBook.connect(a.townshipBureau).submitRoster(s);
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterSubmitted")
        .withArgs(1n, programmeId, TOWNSHIP, a.townshipBureau.address, tree.root, 10, total, id("list"), s.documentURI);
      await expect(tx).to.emit(suite.ledger, "FundsReserved").withArgs(programmeId, TOWNSHIP, total);
      const after = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      expect(after.available).to.equal(before.available - total);
      expect(after.reserved).to.equal(total);
      const r = await suite.rosterBook.roster(1n);
      expect(r.submitter).to.equal(a.townshipBureau.address);
      expect(r.reviewStages).to.equal(REVIEW_STAGES);
      expect(r.approvals).to.equal(0n);
      expect(r.publicityPeriod).to.equal(BigInt(PUBLICITY));
      expect(r.listed).to.equal(false);
      // Its lines are not on chain yet: sign-off waits for them.
      expect(await suite.rosterBook.rosterState(1n)).to.equal(State.AwaitingLines);
      expect(await suite.rosterBook.rosterState(99n)).to.equal(State.None);
      await expectConserved(suite, programmeId);
      // Once every line is listed (and matches the declared root and total), it awaits sign-off.
      await listAll(suite, a.townshipBureau, 1n, tree);
      expect((await suite.rosterBook.roster(1n)).listed).to.equal(true);
      expect(await suite.rosterBook.rosterState(1n)).to.equal(State.AwaitingSignOff);
      expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reserved).to.equal(total);
      await expectConserved(suite, programmeId);
    });

    it("reverts when the caller is not the region's bureau", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const tree = buildLineTree(makeLines(2));
      const s = {
        programmeId,
        region: TOWNSHIP_B,
        root: tree.root,
        lineCount: 2,
        total: 100n,
        documentHash: id("d"),
        documentURI: "",
      };
      await expect(suite.rosterBook.connect(a.townshipBureau).submitRoster(s))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRegionBureau")
        .withArgs(a.townshipBureau.address, TOWNSHIP_B);
    });

    it("reverts on each malformed field", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const base = {
        programmeId,
        region: TOWNSHIP,
        root: id("root"),
        lineCount: 3,
        total: 300n,
        documentHash: id("d"),
        documentURI: "",
      };
      const cases: Array<[string, Partial<typeof base>]> = [
        ["root", { root: ZeroHash }],
        ["lineCount", { lineCount: 0 }],
        ["total", { total: 2n }], // less than one fen per line
        ["total", { total: 3n * CAP + 1n }], // more than the cap on every line
        ["documentHash", { documentHash: ZeroHash }],
      ];
      for (const [field, change] of cases) {
        await expect(suite.rosterBook.connect(a.townshipBureau).submitRoster({ ...base, ...change }))
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookInvalidSubmission")
          .withArgs(field);
      }
    });

    it("reverts when the region has not enough available budget", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const available = (await suite.ledger.balanceOf(programmeId, TOWNSHIP)).available;
      const lineCount = Number(available / CAP) + 1;
      const s = {
        programmeId,
        region: TOWNSHIP,
        root: id("r"),
        lineCount,
        total: available + 1n,
        documentHash: id("d"),
        documentURI: "",
      };
      await expect(suite.rosterBook.connect(a.townshipBureau).submitRoster(s))
        .to.be.revertedWithCustomError(suite.ledger, "BudgetLedgerInsufficientAvailable")
        .withArgs(programmeId, TOWNSHIP, available, available + 1n);
    });

    it("reverts for an unknown programme", async () => {
      const { suite, a } = await networkHelpers.loadFixture(fundedSuite);
      const s = {
        programmeId: 42n,
        region: TOWNSHIP,
        root: id("r"),
        lineCount: 1,
        total: 1n,
        documentHash: id("d"),
        documentURI: "",
      };
      await expect(suite.rosterBook.connect(a.townshipBureau).submitRoster(s))
        .to.be.revertedWithCustomError(suite.programmes, "ProgrammeRegistryUnknownProgramme")
        .withArgs(42n);
    });
  });

  describe("joint sign-off by transaction", () => {
    it("moves to publicity when the last stage's office approves", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(submitted);
      expect(await suite.rosterBook.reviewingStage(roster.rosterId, a.deptRural.address)).to.deep.equal([
        BigInt(STAGE_RURAL),
        BigInt(DEPT_RURAL),
      ]);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(roster.rosterId))
        .to.emit(suite.rosterBook, "RosterApproved")
        .withArgs(roster.rosterId, STAGE_CIVIL, DEPT_CIVIL, a.deptCivil.address, false, programmeId, TOWNSHIP);
      await expect(suite.rosterBook.connect(a.deptRural).approveRoster(roster.rosterId))
        .to.emit(suite.rosterBook, "RosterApproved")
        .withArgs(roster.rosterId, STAGE_RURAL, DEPT_RURAL, a.deptRural.address, false, programmeId, TOWNSHIP);
      expect((await suite.rosterBook.roster(roster.rosterId)).approvals).to.equal(0b011n);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.AwaitingSignOff);
      const tx = suite.rosterBook.connect(a.deptFinance).approveRoster(roster.rosterId);
      const endsAt = BigInt((await networkHelpers.time.latest()) + 1 + PUBLICITY);
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterSignedOff")
        .withArgs(roster.rosterId, programmeId, TOWNSHIP, endsAt, endsAt + BigInt(PAYOUT_PERIOD));
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.InPublicity);
      expect((await suite.rosterBook.roster(roster.rosterId)).approvals).to.equal(7n);
      await networkHelpers.time.increase(PUBLICITY - 2);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.InPublicity);
      await networkHelpers.time.increase(2);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Payable);
    });

    it("reverts when a stage approves twice", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await suite.rosterBook.connect(a.deptCivil).approveRoster(roster.rosterId);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookAlreadyApproved")
        .withArgs(STAGE_CIVIL);
    });

    it("never lets the submitter approve or reject its own roster, even holding the reviewer role", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
      // The submitter holds its bureau office for life: it can never also hold a reviewing office.
      await expect(
        suite.directory
          .connect(a.governance)
          .bindOffice(a.townshipBureau.address, { kind: OfficeKind.Reviewer, department: DEPT_CIVIL, region: COUNTY }),
      )
        .to.be.revertedWithCustomError(suite.directory, "DirectoryAccountAlreadyBound")
        .withArgs(a.townshipBureau.address, [BigInt(OfficeKind.Bureau), 0n, TOWNSHIP]);
      await expect(suite.rosterBook.connect(a.townshipBureau).approveRoster(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(a.townshipBureau.address);
      await expect(suite.rosterBook.connect(a.townshipBureau).rejectRoster(roster.rosterId, id("no")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(a.townshipBureau.address);
    });

    it("reverts unless the reviewer holds the office of one of the roster's stages", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const notReviewing = async (account: HardhatEthersSigner) => {
        await expect(suite.rosterBook.connect(account).approveRoster(roster.rosterId))
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
          .withArgs(account.address);
        await expect(suite.rosterBook.reviewingStage(roster.rosterId, account.address))
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
          .withArgs(account.address);
      };
      for (const who of [a.outsider, a.objector, a.civilAffairs])
        await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, who.address, 0);
      // A reviewer with the role but no office.
      await notReviewing(a.outsider);
      // A reviewing office of a department that is no stage of this roster: department 3 at the county.
      await bindOffice(suite, a.outsider.address, OfficeKind.Reviewer, COUNTY, 3);
      await notReviewing(a.outsider);
      // The office of a stage's department, but of another county: it does not cover the roster's township.
      await bindOffice(suite, a.objector.address, OfficeKind.Reviewer, OTHER_COUNTY, DEPT_CIVIL);
      await notReviewing(a.objector);
      // An office of the right county that is not a reviewing one.
      await notReviewing(a.civilAffairs);
      expect((await suite.rosterBook.roster(roster.rosterId)).approvals).to.equal(0n);
    });

    it("reverts for an unknown roster and in the wrong state", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(77n))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookUnknownRoster")
        .withArgs(77n);
      await approveAll(suite, a, roster.rosterId);
      await expect(suite.rosterBook.connect(a.deptCivil).rejectRoster(roster.rosterId, id("late")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, State.AwaitingSignOff, State.InPublicity);
    });
  });

  describe("joint sign-off by EIP-712 seals", () => {
    it("accepts seals relayed by anyone, in any order of signers and stages, and moves to publicity", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      const [civil, rural, finance] = await Promise.all([
        seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL),
        seal(suite, a.deptRural, roster.rosterId, roster.tree.root, STAGE_RURAL),
        seal(suite, a.deptFinance, roster.rosterId, roster.tree.root, STAGE_FINANCE),
      ]);
      // Signers in descending address order (once refused as unsorted): seals come in any order.
      const seals = [civil, rural, finance].sort((x, y) => (BigInt(y.signer) > BigInt(x.signer) ? -1 : 1));
      const tx = suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs(seals));
      for (const [stage, department, signer] of [
        [STAGE_CIVIL, DEPT_CIVIL, a.deptCivil],
        [STAGE_RURAL, DEPT_RURAL, a.deptRural],
        [STAGE_FINANCE, DEPT_FINANCE, a.deptFinance],
      ] as const) {
        await expect(tx)
          .to.emit(suite.rosterBook, "RosterApproved")
          .withArgs(roster.rosterId, stage, department, signer.address, true, programmeId, TOWNSHIP);
      }
      await expect(tx).to.emit(suite.rosterBook, "RosterSignedOff");
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.InPublicity);
      expect(await suite.rosterBook["nonces(address,uint192)"](a.deptCivil.address, roster.rosterId)).to.equal(
        firstNonceFor(roster.rosterId) + 1n,
      );
    });

    it("the digest view matches what the signer signs", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL);
      const digest = await suite.rosterBook.approvalDigest(roster.rosterId, STAGE_CIVIL, s.nonce, s.deadline);
      expect(ethers.recoverAddress(digest, s.signature)).to.equal(a.deptCivil.address);
      // The stage is part of what is signed.
      const otherStage = await suite.rosterBook.approvalDigest(roster.rosterId, STAGE_RURAL, s.nonce, s.deadline);
      expect(ethers.recoverAddress(otherStage, s.signature)).not.to.equal(a.deptCivil.address);
    });

    it("mixes seals and transactions", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await suite.rosterBook.connect(a.deptRural).approveRoster(roster.rosterId);
      const seals = sortByStage([
        await seal(suite, a.deptFinance, roster.rosterId, roster.tree.root, STAGE_FINANCE),
        await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL),
      ]);
      expect(seals.map((s) => s.stage)).to.deep.equal([STAGE_CIVIL, STAGE_FINANCE]);
      await suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs(seals));
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.InPublicity);
      expect((await suite.rosterBook.roster(roster.rosterId)).approvals).to.equal(0b111n);
    });

    it("refuses a stage approved twice: a second seal of the stage, a seal after a transaction, or a replayed copy", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const rb = suite.rosterBook.connect(a.outsider);
      const first = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL);
      // The same office seals its stage again under its next nonce: the stage approves once.
      const again = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL, {
        nonce: first.nonce + 1n,
      });
      await expect(rb.approveRosterBySig(roster.rosterId, asArgs([first, again])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookAlreadyApproved")
        .withArgs(STAGE_CIVIL);
      // The very same seal twice in one batch: its nonce is spent by the first copy.
      await expect(rb.approveRosterBySig(roster.rosterId, asArgs([first, first])))
        .to.be.revertedWithCustomError(suite.rosterBook, "InvalidAccountNonce")
        .withArgs(a.deptCivil.address, first.nonce + 1n);
      // A seal of a stage that approved by transaction.
      await suite.rosterBook.connect(a.deptRural).approveRoster(roster.rosterId);
      const late = await seal(suite, a.deptRural, roster.rosterId, roster.tree.root, STAGE_RURAL);
      await expect(rb.approveRosterBySig(roster.rosterId, asArgs([first, late])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookAlreadyApproved")
        .withArgs(STAGE_RURAL);
      // Nothing of the refused batches counted.
      expect((await suite.rosterBook.roster(roster.rosterId)).approvals).to.equal(1n << BigInt(STAGE_RURAL));
      expect(await suite.rosterBook["nonces(address,uint192)"](a.deptCivil.address, roster.rosterId)).to.equal(
        first.nonce,
      );
      await rb.approveRosterBySig(roster.rosterId, asArgs([first]));
      expect((await suite.rosterBook.roster(roster.rosterId)).approvals).to.equal(0b011n);
    });

    it("reverts when a seal names another stage than its signer's", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const rural = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_RURAL);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([rural])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignerNotStage")
        .withArgs(a.deptCivil.address, STAGE_RURAL);
      // A stage the roster does not have.
      const seventh = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, 6);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([seventh])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignerNotStage")
        .withArgs(a.deptCivil.address, 6);
      expect((await suite.rosterBook.roster(roster.rosterId)).approvals).to.equal(0n);
    });

    it("reverts on an expired deadline", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const deadline = BigInt(await networkHelpers.time.latest());
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL, { deadline });
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignatureExpired")
        .withArgs(deadline);
    });

    it("reverts on a replayed seal (nonce used) and on a wrong nonce", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL);
      await suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s]));
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "InvalidAccountNonce")
        .withArgs(a.deptCivil.address, s.nonce + 1n);
      const skipped = await seal(suite, a.deptRural, roster.rosterId, roster.tree.root, STAGE_RURAL, {
        nonce: firstNonceFor(roster.rosterId) + 5n,
      });
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([skipped])))
        .to.be.revertedWithCustomError(suite.rosterBook, "InvalidAccountNonce")
        .withArgs(a.deptRural.address, firstNonceFor(roster.rosterId));
    });

    it("rejects a seal for another roster, another contract or another chain", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      const other = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(3, 100));
      const forOther = await seal(suite, a.deptCivil, other.rosterId, other.tree.root, STAGE_CIVIL, {
        nonce: firstNonceFor(roster.rosterId),
      });
      const wrongContract = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL, {
        verifyingContract: await suite.ledger.getAddress(),
      });
      const wrongChain = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL, {
        chainId: 1n,
      });
      // Each recovers to an address that holds no office reviewing this roster.
      for (const s of [forOther, wrongContract, wrongChain]) {
        await expect(
          suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])),
        ).to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice");
      }
    });

    it("rejects a malleable (high-s) signature", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL);
      const sig = Signature.from(s.signature);
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const highS = "0x" + (n - BigInt(sig.s)).toString(16).padStart(64, "0");
      const flipped = ethers.concat([sig.r, highS, sig.v === 27 ? "0x1c" : "0x1b"]);
      await expect(
        suite.rosterBook
          .connect(a.outsider)
          .approveRosterBySig(roster.rosterId, asArgs([{ ...s, signature: flipped }])),
      ).to.be.revertedWithCustomError(suite.rosterBook, "ECDSAInvalidSignatureS");
    });

    it("rejects the seal of an account whose office passed to another account", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL);
      await bindOffice(suite, a.outsider.address, OfficeKind.Reviewer, COUNTY, DEPT_CIVIL);
      expect(await suite.directory.isRetired(a.deptCivil.address)).to.equal(true);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(a.deptCivil.address);
      // The office, and so the stage, is the new account's now.
      expect(await suite.rosterBook.reviewingStage(roster.rosterId, a.outsider.address)).to.deep.equal([
        BigInt(STAGE_CIVIL),
        BigInt(DEPT_CIVIL),
      ]);
    });

    it("rejects the seal of a signer whose reviewer role was revoked", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, STAGE_CIVIL);
      await suite.manager.connect(a.governance).revokeRole(Role.REVIEWER, a.deptCivil.address);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignerNotReviewer")
        .withArgs(a.deptCivil.address);
    });

    it("never counts a seal from the submitter (a bureau, which holds no reviewing office)", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.townshipBureau, roster.rosterId, roster.tree.root, STAGE_CIVIL);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(a.townshipBureau.address);
    });
  });

  describe("review stages", () => {
    const COUNTY_STAGES_IN_ORDER = stagesOf(
      [DEPT_CIVIL, DEPT_RURAL, DEPT_FINANCE].map((department) => ({ department, level: LEVEL_COUNTY })),
      true,
    );
    /** Civil affairs reviews at the township, finance at the county, in any order. */
    const TOWNSHIP_THEN_COUNTY = stagesOf([
      { department: DEPT_CIVIL, level: LEVEL_TOWNSHIP },
      { department: DEPT_FINANCE, level: LEVEL_COUNTY },
    ]);

    /** A township roster under a programme whose three county stages run in order. */
    async function orderedRoster() {
      const f = await fundedSuite();
      const programmeId = await stagedProgramme(f.suite, f.a, "EARMARK-ORDERED", COUNTY_STAGES_IN_ORDER);
      const roster = await submit(f.suite, f.a.townshipBureau, programmeId, TOWNSHIP, makeLines(5));
      return { ...f, programmeId, roster };
    }

    /** A roster of each township under TOWNSHIP_THEN_COUNTY; each township's civil-affairs reviewing
     * office is bound to a fresh account (objector: TOWNSHIP, outsider: TOWNSHIP_B). */
    async function townshipStaged() {
      const f = await fundedSuite();
      const { suite, a } = f;
      const programmeId = await stagedProgramme(suite, a, "EARMARK-TOWNSHIP-REVIEW", TOWNSHIP_THEN_COUNTY);
      await bindOffice(suite, a.objector.address, OfficeKind.Reviewer, TOWNSHIP, DEPT_CIVIL);
      await bindOffice(suite, a.outsider.address, OfficeKind.Reviewer, TOWNSHIP_B, DEPT_CIVIL);
      for (const who of [a.objector, a.outsider])
        await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, who.address, 0);
      const rosterA = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(4));
      const rosterB = await submit(suite, a.townshipBBureau, programmeId, TOWNSHIP_B, makeLines(4, 50));
      return { ...f, programmeId, rosterA, rosterB, civilA: a.objector, civilB: a.outsider };
    }

    it("stages that run in order approve only in order, by transaction and by seal", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(orderedRoster);
      const rb = suite.rosterBook;
      const relay = rb.connect(a.outsider);
      const rosterId = roster.rosterId;
      expect((await rb.roster(rosterId)).reviewStages).to.equal(COUNTY_STAGES_IN_ORDER);
      const [civil, rural, finance] = await Promise.all([
        seal(suite, a.deptCivil, rosterId, roster.tree.root, STAGE_CIVIL),
        seal(suite, a.deptRural, rosterId, roster.tree.root, STAGE_RURAL),
        seal(suite, a.deptFinance, rosterId, roster.tree.root, STAGE_FINANCE),
      ]);
      // A later stage before the first, by transaction and by seal.
      await expect(rb.connect(a.deptRural).approveRoster(rosterId))
        .to.be.revertedWithCustomError(rb, "RosterBookStageOutOfOrder")
        .withArgs(STAGE_RURAL);
      await expect(relay.approveRosterBySig(rosterId, asArgs([finance])))
        .to.be.revertedWithCustomError(rb, "RosterBookStageOutOfOrder")
        .withArgs(STAGE_FINANCE);
      // Seals apply in the order listed: stage 2 listed before stage 1 is out of order.
      await expect(relay.approveRosterBySig(rosterId, asArgs([rural, civil])))
        .to.be.revertedWithCustomError(rb, "RosterBookStageOutOfOrder")
        .withArgs(STAGE_RURAL);
      expect((await rb.roster(rosterId)).approvals).to.equal(0n);
      // The first stage by transaction; the third still cannot skip the second.
      await expect(rb.connect(a.deptCivil).approveRoster(rosterId))
        .to.emit(rb, "RosterApproved")
        .withArgs(rosterId, STAGE_CIVIL, DEPT_CIVIL, a.deptCivil.address, false, programmeId, TOWNSHIP);
      await expect(rb.connect(a.deptFinance).approveRoster(rosterId))
        .to.be.revertedWithCustomError(rb, "RosterBookStageOutOfOrder")
        .withArgs(STAGE_FINANCE);
      // The second and third by seal, in stage order, in one batch.
      const tx = relay.approveRosterBySig(rosterId, asArgs(sortByStage([finance, rural])));
      await expect(tx)
        .to.emit(rb, "RosterApproved")
        .withArgs(rosterId, STAGE_RURAL, DEPT_RURAL, a.deptRural.address, true, programmeId, TOWNSHIP);
      await expect(tx)
        .to.emit(rb, "RosterApproved")
        .withArgs(rosterId, STAGE_FINANCE, DEPT_FINANCE, a.deptFinance.address, true, programmeId, TOWNSHIP);
      await expect(tx).to.emit(rb, "RosterSignedOff");
      const approved = await rb.queryFilter(rb.filters.RosterApproved(rosterId));
      expect(approved.map((e) => Number(e.args.stage))).to.deep.equal([STAGE_CIVIL, STAGE_RURAL, STAGE_FINANCE]);
      expect(await rb.rosterState(rosterId)).to.equal(State.InPublicity);
    });

    it("a township-level stage is approved only by the office of the roster's own township", async () => {
      const { suite, a, programmeId, rosterA, rosterB, civilA, civilB } =
        await networkHelpers.loadFixture(townshipStaged);
      const rb = suite.rosterBook;
      // The other township's office, the county's office of the same department (this programme reviews
      // civil affairs at township level) and a department that is no stage: none reviews roster A.
      for (const who of [civilB, a.deptCivil, a.deptRural]) {
        await expect(rb.connect(who).approveRoster(rosterA.rosterId))
          .to.be.revertedWithCustomError(rb, "RosterBookNotReviewingOffice")
          .withArgs(who.address);
      }
      const foreign = await seal(suite, civilB, rosterA.rosterId, rosterA.tree.root, 0);
      await expect(rb.connect(a.deployer).approveRosterBySig(rosterA.rosterId, asArgs([foreign])))
        .to.be.revertedWithCustomError(rb, "RosterBookNotReviewingOffice")
        .withArgs(civilB.address);
      expect(await rb.reviewingStage(rosterA.rosterId, civilA.address)).to.deep.equal([0n, BigInt(DEPT_CIVIL)]);
      expect(await rb.reviewingStage(rosterA.rosterId, a.deptFinance.address)).to.deep.equal([
        1n,
        BigInt(DEPT_FINANCE),
      ]);
      // The township's own office seals its own stage, not the county's.
      const misnamed = await seal(suite, civilA, rosterA.rosterId, rosterA.tree.root, 1);
      await expect(rb.connect(a.deployer).approveRosterBySig(rosterA.rosterId, asArgs([misnamed])))
        .to.be.revertedWithCustomError(rb, "RosterBookSignerNotStage")
        .withArgs(civilA.address, 1);
      await expect(rb.connect(civilA).approveRoster(rosterA.rosterId))
        .to.emit(rb, "RosterApproved")
        .withArgs(rosterA.rosterId, 0, DEPT_CIVIL, civilA.address, false, programmeId, TOWNSHIP);
      await rb.connect(a.deptFinance).approveRoster(rosterA.rosterId);
      expect(await rb.rosterState(rosterA.rosterId)).to.equal(State.InPublicity);

      // Roster B mirrors it; the county's finance office reviews the rosters of both townships.
      await expect(rb.connect(civilA).approveRoster(rosterB.rosterId))
        .to.be.revertedWithCustomError(rb, "RosterBookNotReviewingOffice")
        .withArgs(civilA.address);
      const own = await seal(suite, civilB, rosterB.rosterId, rosterB.tree.root, 0);
      await expect(rb.connect(a.deployer).approveRosterBySig(rosterB.rosterId, asArgs([own])))
        .to.emit(rb, "RosterApproved")
        .withArgs(rosterB.rosterId, 0, DEPT_CIVIL, civilB.address, true, programmeId, TOWNSHIP_B);
      await rb.connect(a.deptFinance).approveRoster(rosterB.rosterId);
      expect(await rb.rosterState(rosterB.rosterId)).to.equal(State.InPublicity);
    });

    it("refuses at submission a roster whose region lies above a stage's level", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const rb = suite.rosterBook;
      const townshipStage = await stagedProgramme(suite, a, "EARMARK-TOWNSHIP-STAGE", TOWNSHIP_THEN_COUNTY);
      const villageStage = await stagedProgramme(
        suite,
        a,
        "EARMARK-VILLAGE-STAGE",
        stagesOf([
          { department: DEPT_CIVIL, level: LEVEL_VILLAGE },
          { department: DEPT_FINANCE, level: LEVEL_COUNTY },
        ]),
      );
      const lines = makeLines(3);
      const root = buildLineTree(lines).root;
      const submission = (programme: bigint, region: bigint) => ({
        programmeId: programme,
        region,
        root,
        lineCount: lines.length,
        total: totalOf(lines),
        documentHash: id("list"),
        documentURI: "",
      });
      // A county roster has no township office to review it; a township roster no village office.
      await expect(rb.connect(a.countyBureau).submitRoster(submission(townshipStage, COUNTY)))
        .to.be.revertedWithCustomError(rb, "RosterBookNoStageOffice")
        .withArgs(COUNTY, LEVEL_TOWNSHIP);
      await expect(rb.connect(a.townshipBureau).submitRoster(submission(villageStage, TOWNSHIP)))
        .to.be.revertedWithCustomError(rb, "RosterBookNoStageOffice")
        .withArgs(TOWNSHIP, LEVEL_VILLAGE);
      expect(await rb.rosterCount()).to.equal(0n);
      // The same county roster under county-level stages is accepted, and the county offices review it.
      await rb.connect(a.countyBureau).submitRoster(submission(programmeId, COUNTY));
      expect(await rb.reviewingStage(1n, a.deptFinance.address)).to.deep.equal([
        BigInt(STAGE_FINANCE),
        BigInt(DEPT_FINANCE),
      ]);
      // And the township roster under township-level stages.
      await rb.connect(a.townshipBureau).submitRoster(submission(townshipStage, TOWNSHIP));
      expect(await rb.rosterCount()).to.equal(2n);
      await expectConserved(suite, programmeId);
    });
  });

  describe("rejection and withdrawal", () => {
    it("a department rejects with a reason and the reservation is released", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      const tx = suite.rosterBook.connect(a.deptRural).rejectRoster(roster.rosterId, id("duplicate households"));
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterRejected")
        .withArgs(roster.rosterId, DEPT_RURAL, a.deptRural.address, id("duplicate households"), programmeId, TOWNSHIP);
      await expect(tx).to.emit(suite.ledger, "FundsReleased").withArgs(programmeId, TOWNSHIP, roster.total);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Rejected);
      expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reserved).to.equal(0n);
      expect((await suite.rosterBook.roster(roster.rosterId)).released).to.equal(roster.total);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, State.AwaitingSignOff, State.Rejected);
      await expectConserved(suite, programmeId);
    });

    it("the region's bureau withdraws before sign-off; nobody else may", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      await expect(suite.rosterBook.connect(a.countyBureau).withdrawRoster(roster.rosterId, id("typo")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRegionBureau")
        .withArgs(a.countyBureau.address, TOWNSHIP);
      const tx = suite.rosterBook.connect(a.townshipBureau).withdrawRoster(roster.rosterId, id("typo"));
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterWithdrawn")
        .withArgs(roster.rosterId, programmeId, TOWNSHIP, id("typo"));
      await expect(tx).to.emit(suite.ledger, "FundsReleased").withArgs(programmeId, TOWNSHIP, roster.total);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Withdrawn);
      await expectConserved(suite, programmeId);
    });

    it("cannot withdraw after sign-off", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await approveAll(suite, a, roster.rosterId);
      await expect(suite.rosterBook.connect(a.townshipBureau).withdrawRoster(roster.rosterId, id("late")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, State.AwaitingSignOff, State.InPublicity);
    });
  });

  describe("publicity and objections", () => {
    async function inPublicity() {
      const f = await submitted();
      await approveAll(f.suite, f.a, f.roster.rosterId);
      return f;
    }

    it("anyone objects to one line during publicity; the line is frozen", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(inPublicity);
      expect((await suite.rosterBook.payoutTerms(roster.rosterId)).anyLineHeld).to.equal(false);
      await expect(suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 3, id("evidence")))
        .to.emit(suite.rosterBook, "LineObjected")
        .withArgs(roster.rosterId, 3, a.objector.address, id("evidence"));
      expect(await suite.rosterBook.lineHold(roster.rosterId, 3)).to.equal(Hold.Frozen);
      expect(await suite.rosterBook.lineHold(roster.rosterId, 4)).to.equal(Hold.None);
      expect((await suite.rosterBook.roster(roster.rosterId)).openObjections).to.equal(1n);
      // While a line is frozen the payout must read holds.
      expect((await suite.rosterBook.payoutTerms(roster.rosterId)).anyLineHeld).to.equal(true);
      // Two bits per line: line 3 is bits 6..7 of word 0.
      expect(await suite.rosterBook.holdWord(roster.rosterId, 0)).to.equal(1n << 6n);
      const view = await suite.lens.lineView(roster.rosterId, 3);
      expect(view.hold).to.equal(Hold.Frozen);
    });

    it("reverts on an objection outside publicity, on a line out of range, or on a frozen line", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await expect(suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 0, id("e")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, State.InPublicity, State.AwaitingSignOff);
      await approveAll(suite, a, roster.rosterId);
      await expect(suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 10, id("e")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookLineOutOfRange")
        .withArgs(10, 10);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 0, id("e"));
      await expect(suite.rosterBook.connect(a.outsider).objectToLine(roster.rosterId, 0, id("e2")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongLineHold")
        .withArgs(0, Hold.None, Hold.Frozen);
      await networkHelpers.time.increase(PUBLICITY);
      await expect(suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 1, id("e")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, State.InPublicity, State.Payable);
    });

    it("an upheld objection excludes the line and releases its amount", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(inPublicity);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 2, id("e"));
      const line = roster.lines[2]!;
      const tx = suite.rosterBook
        .connect(a.deptCivil)
        .resolveObjection(roster.rosterId, line, lineProof(roster.tree, 2), true, id("not resident"));
      await expect(tx)
        .to.emit(suite.rosterBook, "ObjectionResolved")
        .withArgs(roster.rosterId, 2, line.household, true, DEPT_CIVIL, line.amount, id("not resident"));
      await expect(tx).to.emit(suite.ledger, "FundsReleased").withArgs(programmeId, TOWNSHIP, line.amount);
      expect(await suite.rosterBook.lineHold(roster.rosterId, 2)).to.equal(Hold.Excluded);
      const r = await suite.rosterBook.roster(roster.rosterId);
      expect(r.excluded).to.equal(line.amount);
      expect(r.openObjections).to.equal(0n);
      expect(r.excludedLines).to.equal(1n);
      expect((await suite.rosterBook.payoutTerms(roster.rosterId)).anyLineHeld).to.equal(true);
      expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reserved).to.equal(roster.total - line.amount);
      await expectConserved(suite, programmeId);
    });

    it("a dismissed objection makes the line payable again and releases nothing", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(inPublicity);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 2, id("e"));
      const line = roster.lines[2]!;
      const tx = suite.rosterBook
        .connect(a.deptRural)
        .resolveObjection(roster.rosterId, line, lineProof(roster.tree, 2), false, id("checked"));
      await expect(tx)
        .to.emit(suite.rosterBook, "ObjectionResolved")
        .withArgs(roster.rosterId, 2, line.household, false, DEPT_RURAL, 0, id("checked"));
      await expect(tx).not.to.emit(suite.ledger, "FundsReleased");
      expect(await suite.rosterBook.lineHold(roster.rosterId, 2)).to.equal(Hold.None);
      const r = await suite.rosterBook.roster(roster.rosterId);
      expect([r.openObjections, r.excludedLines]).to.deep.equal([0n, 0n]);
      expect((await suite.rosterBook.payoutTerms(roster.rosterId)).anyLineHeld).to.equal(false);
    });

    it("resolution reverts on a wrong proof, a line not frozen, or by the submitter", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(inPublicity);
      const line = roster.lines[2]!;
      await expect(
        suite.rosterBook
          .connect(a.deptCivil)
          .resolveObjection(roster.rosterId, line, lineProof(roster.tree, 2), true, id("r")),
      )
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongLineHold")
        .withArgs(2, Hold.Frozen, Hold.None);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 2, id("e"));
      const inflated = { ...line, amount: line.amount + 1n };
      await expect(
        suite.rosterBook
          .connect(a.deptCivil)
          .resolveObjection(roster.rosterId, inflated, lineProof(roster.tree, 2), true, id("r")),
      )
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookInvalidProof")
        .withArgs(2);
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
      await expect(
        suite.rosterBook
          .connect(a.townshipBureau)
          .resolveObjection(roster.rosterId, line, lineProof(roster.tree, 2), false, id("r")),
      )
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(a.townshipBureau.address);
    });

    it("objections stay open while the suite is paused: a pause never eats a resident's time to object", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(inPublicity);
      await suite.rosterBook.connect(a.governance).pause();
      // Every other write of the RosterBook stops; an objection goes through and freezes its line.
      await expect(
        suite.rosterBook
          .connect(a.deptCivil)
          .resolveObjection(roster.rosterId, roster.lines[0]!, lineProof(roster.tree, 0), true, id("r")),
      ).to.be.revertedWithCustomError(suite.rosterBook, "EnforcedPause");
      await expect(suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 4, id("seen while paused")))
        .to.emit(suite.rosterBook, "LineObjected")
        .withArgs(roster.rosterId, 4, a.objector.address, id("seen while paused"));
      expect(await suite.rosterBook.lineHold(roster.rosterId, 4)).to.equal(Hold.Frozen);
      // After publicity the window closes on time, paused or not.
      await networkHelpers.time.increase(PUBLICITY);
      await expect(suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 5, id("late")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, State.InPublicity, State.Payable);
    });

    it("one account holds at most 20 open objections per roster; resolving one makes room", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(30));
      await approveAll(suite, a, r.rosterId);
      const max = Number(await suite.rosterBook.MAX_OPEN_OBJECTIONS_PER_OBJECTOR());
      expect(max).to.equal(20);
      for (let i = 0; i < max; i++) await suite.rosterBook.connect(a.objector).objectToLine(r.rosterId, i, id(`e${i}`));
      expect(await suite.rosterBook.openObjectionsBy(r.rosterId, a.objector.address)).to.equal(20n);
      await expect(suite.rosterBook.connect(a.objector).objectToLine(r.rosterId, 25, id("one more")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookTooManyObjections")
        .withArgs(a.objector.address, 20);
      // Another account may still object.
      await suite.rosterBook.connect(a.outsider).objectToLine(r.rosterId, 25, id("another resident"));
      await suite.rosterBook
        .connect(a.deptCivil)
        .resolveObjection(r.rosterId, r.lines[0]!, lineProof(r.tree, 0), false, id("fine"));
      expect(await suite.rosterBook.openObjectionsBy(r.rosterId, a.objector.address)).to.equal(19n);
      await suite.rosterBook.connect(a.objector).objectToLine(r.rosterId, 26, id("room again"));
    });

    it("a department resolves many objections in one transaction, all or nothing", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(30));
      await approveAll(suite, a, r.rosterId);
      const frozen = [2, 5, 7, 11];
      for (const i of frozen) await suite.rosterBook.connect(a.objector).objectToLine(r.rosterId, i, id(`e${i}`));
      const lines = frozen.map((i) => r.lines[i]!);
      const proofs = frozen.map((i) => lineProof(r.tree, i));
      const upheld = [true, false, true, false];
      const rb = suite.rosterBook.connect(a.deptRural);
      await expect(rb.resolveObjections(r.rosterId, [], [], [], id("x"))).to.be.revertedWithCustomError(
        rb,
        "RosterBookBadResolutionBatch",
      );
      await expect(rb.resolveObjections(r.rosterId, lines, proofs, [true], id("x"))).to.be.revertedWithCustomError(
        rb,
        "RosterBookBadResolutionBatch",
      );
      // A line not frozen in the batch undoes the whole batch.
      await expect(
        rb.resolveObjections(
          r.rosterId,
          [...lines, r.lines[3]!],
          [...proofs, lineProof(r.tree, 3)],
          [...upheld, false],
          id("x"),
        ),
      )
        .to.be.revertedWithCustomError(rb, "RosterBookWrongLineHold")
        .withArgs(3, Hold.Frozen, Hold.None);
      const released = lines[0]!.amount + lines[2]!.amount;
      const tx = rb.resolveObjections(r.rosterId, lines, proofs, upheld, id("checked in the village"));
      for (const [k, i] of frozen.entries()) {
        await expect(tx)
          .to.emit(suite.rosterBook, "ObjectionResolved")
          .withArgs(
            r.rosterId,
            i,
            lines[k]!.household,
            upheld[k],
            DEPT_RURAL,
            upheld[k] ? lines[k]!.amount : 0n,
            id("checked in the village"),
          );
      }
      await expect(tx).to.emit(suite.ledger, "FundsReleased").withArgs(programmeId, TOWNSHIP, released);
      const after = await suite.rosterBook.roster(r.rosterId);
      expect([after.openObjections, after.excludedLines, after.excluded]).to.deep.equal([0n, 2n, released]);
      expect(await suite.rosterBook.openObjectionsBy(r.rosterId, a.objector.address)).to.equal(0n);
      await expect(
        suite.rosterBook.connect(a.townshipBureau).resolveObjections(r.rosterId, lines, proofs, upheld, id("x")),
      )
        .to.be.revertedWithCustomError(rb, "AccessManagedUnauthorized")
        .withArgs(a.townshipBureau.address);
      await expectConserved(suite, programmeId);
    });

    it("a frozen line may be resolved after publicity ended", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(inPublicity);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 1, id("e"));
      await networkHelpers.time.increase(PUBLICITY);
      await suite.rosterBook
        .connect(a.deptFinance)
        .resolveObjection(roster.rosterId, roster.lines[1]!, lineProof(roster.tree, 1), false, id("ok"));
      expect(await suite.rosterBook.lineHold(roster.rosterId, 1)).to.equal(Hold.None);
    });
  });

  describe("closing", () => {
    it("the submitter closes a payable roster and the unpaid remainder goes back to the region", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      await approveAll(suite, a, roster.rosterId);
      await expect(suite.rosterBook.connect(a.townshipBureau).closeRoster(roster.rosterId, ZeroHash))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, State.Payable, State.InPublicity);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 0, id("e"));
      await networkHelpers.time.increase(PUBLICITY);
      await expect(suite.rosterBook.connect(a.townshipBureau).closeRoster(roster.rosterId, ZeroHash))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookObjectionsOpen")
        .withArgs(roster.rosterId, 1);
      await suite.rosterBook
        .connect(a.deptCivil)
        .resolveObjection(roster.rosterId, roster.lines[0]!, lineProof(roster.tree, 0), true, id("r"));
      await expect(suite.rosterBook.connect(a.countyBureau).closeRoster(roster.rosterId, ZeroHash))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRegionBureau")
        .withArgs(a.countyBureau.address, TOWNSHIP);
      // Nine lines are still owed: closing without a reason is refused; with one it is only requested.
      await expect(suite.rosterBook.connect(a.townshipBureau).closeRoster(roster.rosterId, ZeroHash))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookReasonRequired")
        .withArgs(roster.rosterId, 9);
      await expect(suite.rosterBook.connect(a.deptRural).confirmClose(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNoCloseRequested")
        .withArgs(roster.rosterId);
      await expect(
        suite.rosterBook
          .connect(a.townshipBureau)
          .closeRoster(roster.rosterId, id("programme suspended by the county")),
      )
        .to.emit(suite.rosterBook, "RosterCloseRequested")
        .withArgs(roster.rosterId, programmeId, TOWNSHIP, 9, id("programme suspended by the county"));
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Payable);
      expect((await suite.rosterBook.roster(roster.rosterId)).closeReasonHash).to.equal(
        id("programme suspended by the county"),
      );
      // The co-signature comes from the office of one of the roster's stages, never from the submitter.
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
      await expect(suite.rosterBook.connect(a.townshipBureau).confirmClose(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(a.townshipBureau.address);
      const remaining = roster.total - roster.lines[0]!.amount;
      const tx = suite.rosterBook.connect(a.deptRural).confirmClose(roster.rosterId);
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterLinesDropped")
        .withArgs(roster.rosterId, DEPT_RURAL, a.deptRural.address, 9, id("programme suspended by the county"));
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterClosed")
        .withArgs(roster.rosterId, programmeId, TOWNSHIP, remaining);
      await expect(tx).to.emit(suite.ledger, "FundsReleased").withArgs(programmeId, TOWNSHIP, remaining);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Closed);
      expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reserved).to.equal(0n);
      await expectConserved(suite, programmeId);
    });
  });

  describe("the duty to pay", () => {
    it("lines unpaid after the payout deadline are overdue, counted per roster and readable per line", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(6));
      expect(await suite.rosterBook.payoutDeadline(r.rosterId)).to.equal(0n);
      for (const dept of [a.deptCivil, a.deptRural]) await suite.rosterBook.connect(dept).approveRoster(r.rosterId);
      const signOff = suite.rosterBook.connect(a.deptFinance).approveRoster(r.rosterId);
      const at = BigInt((await networkHelpers.time.latest()) + 1);
      await expect(signOff)
        .to.emit(suite.rosterBook, "RosterSignedOff")
        .withArgs(r.rosterId, programmeId, TOWNSHIP, at + BigInt(PUBLICITY), at + BigInt(PUBLICITY + PAYOUT_PERIOD));
      const deadline = await suite.rosterBook.payoutDeadline(r.rosterId);
      expect(deadline).to.equal(at + BigInt(PUBLICITY + PAYOUT_PERIOD));
      await suite.rosterBook.connect(a.objector).objectToLine(r.rosterId, 5, id("e"));
      await networkHelpers.time.increase(PUBLICITY);
      // Two lines paid, one frozen: three owed, but not yet overdue.
      const { batchProof, packLine } = await import("../../src/lines.js");
      const b = batchProof(r.tree, [0, 1]);
      await suite.disbursement.connect(a.disburser).recordPayouts(r.rosterId, b.lines.map(packLine), b.proof);
      expect((await suite.rosterBook.roster(r.rosterId)).paidLines).to.equal(2n);
      expect(await suite.rosterBook.overdueLines(r.rosterId)).to.equal(0n);
      expect(await suite.lens.isLineOverdue(r.rosterId, 2)).to.equal(false);
      await networkHelpers.time.increaseTo(deadline + 1n);
      expect(await suite.rosterBook.overdueLines(r.rosterId)).to.equal(3n);
      expect(await suite.lens.isLineOverdue(r.rosterId, 2)).to.equal(true);
      expect(await suite.lens.isLineOverdue(r.rosterId, 0)).to.equal(false); // paid
      expect(await suite.lens.isLineOverdue(r.rosterId, 5)).to.equal(false); // frozen by an objection
      // Paying a line late settles it.
      const c = batchProof(r.tree, [2]);
      await suite.disbursement.connect(a.disburser).recordPayouts(r.rosterId, c.lines.map(packLine), c.proof);
      expect(await suite.rosterBook.overdueLines(r.rosterId)).to.equal(2n);
      expect(await suite.lens.isLineOverdue(r.rosterId, 2)).to.equal(false);
    });
  });

  describe("key rotation", () => {
    it("a region's new bureau key takes over its rosters; the old key loses them", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await bindOffice(suite, a.outsider.address, OfficeKind.Bureau, TOWNSHIP);
      await suite.manager.connect(a.governance).grantRole(Role.BUREAU, a.outsider.address, 0);
      expect(await suite.directory.bureauOf(TOWNSHIP)).to.equal(a.outsider.address);
      await expect(suite.rosterBook.connect(a.townshipBureau).withdrawRoster(roster.rosterId, id("old key")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRegionBureau")
        .withArgs(a.townshipBureau.address, TOWNSHIP);
      await suite.rosterBook.connect(a.outsider).withdrawRoster(roster.rosterId, id("new key"));
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Withdrawn);
    });
  });

  describe("suite-only accounting", () => {
    it("recordPaid is reserved to the suite's contracts", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await expect(suite.rosterBook.connect(a.disburser).recordPaid(roster.rosterId, 1, 1n))
        .to.be.revertedWithCustomError(suite.rosterBook, "AccessManagedUnauthorized")
        .withArgs(a.disburser.address);
    });

    it("programme amendments do not change the terms a submitted roster was signed under", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const amended = countyStages(DEPT_CIVIL, DEPT_RURAL);
      await suite.programmes
        .connect(a.governance)
        .amendProgramme(1n, terms({ publicityPeriod: 30 * 24 * 60 * 60, reviewStages: amended }));
      expect((await suite.programmes.programme(1n)).terms.reviewStages).to.equal(amended);
      const r = await suite.rosterBook.roster(roster.rosterId);
      expect(r.publicityPeriod).to.equal(BigInt(PUBLICITY));
      expect(r.reviewStages).to.equal(REVIEW_STAGES);
      // The finance stage the roster was submitted under is still required to sign it off.
      for (const dept of [a.deptCivil, a.deptRural])
        await suite.rosterBook.connect(dept).approveRoster(roster.rosterId);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.AwaitingSignOff);
      await suite.rosterBook.connect(a.deptFinance).approveRoster(roster.rosterId);
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.InPublicity);
    });
  });
});
