/**
 * RosterBook: submission, joint sign-off (transactions and EIP-712 seals), publicity with
 * objections, withdrawal, rejection and closing — every transition and every custom error.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { id, Signature, ZeroHash } from "ethers";

import { approvalDomain, APPROVAL_TYPES, firstNonceFor, type SignedApproval, sortBySigner } from "../../src/approvals.js";
import { buildLineTree, lineProof } from "../../src/lines.js";
import { Role } from "../../src/roles.js";
import {
  CAP,
  COUNTY,
  DAY,
  DEPT_CIVIL,
  DEPT_FINANCE,
  DEPT_RURAL,
  ethers,
  fundedSuite,
  networkHelpers,
  PAYOUT_PERIOD,
  PUBLICITY,
  type Suite,
  TOWNSHIP,
  TOWNSHIP_B,
} from "./helpers/fixture.js";
import { expectConserved } from "./helpers/ledger.js";
import { approveAll, makeLines, submit, totalOf } from "./helpers/rosters.js";

const State = { None: 0n, AwaitingSignOff: 1n, Rejected: 2n, Withdrawn: 3n, InPublicity: 4n, Payable: 5n, Closed: 6n };
const Hold = { None: 0n, Frozen: 1n, Excluded: 2n };

async function seal(
  suite: Suite,
  signer: HardhatEthersSigner,
  rosterId: bigint,
  root: string,
  department: number,
  overrides: Partial<{ nonce: bigint; deadline: bigint; verifyingContract: string; chainId: bigint }> = {},
): Promise<SignedApproval> {
  const chainId = overrides.chainId ?? (await ethers.provider.getNetwork()).chainId;
  const domain = approvalDomain(overrides.verifyingContract ?? (await suite.rosterBook.getAddress()), chainId);
  const nonce = overrides.nonce ?? firstNonceFor(rosterId);
  const deadline = overrides.deadline ?? BigInt((await networkHelpers.time.latest()) + DAY);
  const signature = await signer.signTypedData(domain, APPROVAL_TYPES, { rosterId, root, department, nonce, deadline });
  return { signer: signer.address, department, nonce, deadline, signature };
}

const asArgs = (approvals: SignedApproval[]) =>
  approvals.map(({ department, nonce, deadline, signature }) => ({ department, nonce, deadline, signature }));

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
      expect(r.requiredDepartments).to.equal(7n);
      expect(r.publicityPeriod).to.equal(BigInt(PUBLICITY));
      expect(await suite.rosterBook.rosterState(1n)).to.equal(State.AwaitingSignOff);
      expect(await suite.rosterBook.rosterState(99n)).to.equal(State.None);
      await expectConserved(suite, programmeId);
    });

    it("reverts when the caller is not the region's bureau", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const tree = buildLineTree(makeLines(2));
      const s = { programmeId, region: TOWNSHIP_B, root: tree.root, lineCount: 2, total: 100n, documentHash: id("d"), documentURI: "" };
      await expect(suite.rosterBook.connect(a.townshipBureau).submitRoster(s))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRegionBureau")
        .withArgs(a.townshipBureau.address, TOWNSHIP_B);
    });

    it("reverts on each malformed field", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const base = { programmeId, region: TOWNSHIP, root: id("root"), lineCount: 3, total: 300n, documentHash: id("d"), documentURI: "" };
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
      const s = { programmeId, region: TOWNSHIP, root: id("r"), lineCount, total: available + 1n, documentHash: id("d"), documentURI: "" };
      await expect(suite.rosterBook.connect(a.townshipBureau).submitRoster(s))
        .to.be.revertedWithCustomError(suite.ledger, "BudgetLedgerInsufficientAvailable")
        .withArgs(programmeId, TOWNSHIP, available, available + 1n);
    });

    it("reverts for an unknown programme", async () => {
      const { suite, a } = await networkHelpers.loadFixture(fundedSuite);
      const s = { programmeId: 42n, region: TOWNSHIP, root: id("r"), lineCount: 1, total: 1n, documentHash: id("d"), documentURI: "" };
      await expect(suite.rosterBook.connect(a.townshipBureau).submitRoster(s))
        .to.be.revertedWithCustomError(suite.programmes, "ProgrammeRegistryUnknownProgramme")
        .withArgs(42n);
    });
  });

  describe("joint sign-off by transaction", () => {
    it("moves to publicity when the last required department approves", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(submitted);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(roster.rosterId))
        .to.emit(suite.rosterBook, "RosterApproved")
        .withArgs(roster.rosterId, DEPT_CIVIL, a.deptCivil.address, false, programmeId, TOWNSHIP);
      await suite.rosterBook.connect(a.deptRural).approveRoster(roster.rosterId);
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

    it("reverts when a department approves twice", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await suite.rosterBook.connect(a.deptCivil).approveRoster(roster.rosterId);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookAlreadyApproved")
        .withArgs(DEPT_CIVIL);
    });

    it("never lets the submitter approve or reject its own roster, even holding the reviewer role", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
      await expect(suite.rosterBook.connect(a.townshipBureau).approveRoster(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSubmitterCannotReview")
        .withArgs(a.townshipBureau.address);
      await expect(suite.rosterBook.connect(a.townshipBureau).rejectRoster(roster.rosterId, id("no")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSubmitterCannotReview")
        .withArgs(a.townshipBureau.address);
    });

    it("reverts when the reviewer's department is not required, or the reviewer is bound to none", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      // A reviewer with the role but no department binding.
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.outsider.address, 0);
      await expect(suite.rosterBook.connect(a.outsider).approveRoster(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRequiredDepartment")
        .withArgs(a.outsider.address);
      // A bound department that this roster does not require: department 3.
      await suite.directory.connect(a.governance).setDepartment(3, a.outsider.address);
      await expect(suite.rosterBook.connect(a.outsider).approveRoster(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRequiredDepartment")
        .withArgs(a.outsider.address);
      expect(programmeId).to.equal(1n);
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
    it("accepts sorted seals relayed by anyone and moves to publicity", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      const seals = sortBySigner(
        await Promise.all([
          seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL),
          seal(suite, a.deptRural, roster.rosterId, roster.tree.root, DEPT_RURAL),
          seal(suite, a.deptFinance, roster.rosterId, roster.tree.root, DEPT_FINANCE),
        ]),
      );
      const tx = suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs(seals));
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterApproved")
        .withArgs(roster.rosterId, DEPT_RURAL, a.deptRural.address, true, programmeId, TOWNSHIP);
      await expect(tx).to.emit(suite.rosterBook, "RosterSignedOff");
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.InPublicity);
      expect(await suite.rosterBook["nonces(address,uint192)"](a.deptCivil.address, roster.rosterId)).to.equal(firstNonceFor(roster.rosterId) + 1n);
    });

    it("the digest view matches what the signer signs", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL);
      const digest = await suite.rosterBook.approvalDigest(roster.rosterId, DEPT_CIVIL, s.nonce, s.deadline);
      expect(ethers.recoverAddress(digest, s.signature)).to.equal(a.deptCivil.address);
    });

    it("mixes seals and transactions", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      await suite.rosterBook.connect(a.deptRural).approveRoster(roster.rosterId);
      const seals = sortBySigner([
        await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL),
        await seal(suite, a.deptFinance, roster.rosterId, roster.tree.root, DEPT_FINANCE),
      ]);
      await suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs(seals));
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.InPublicity);
    });

    it("reverts on unsorted or duplicate signers", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const sorted = sortBySigner([
        await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL),
        await seal(suite, a.deptRural, roster.rosterId, roster.tree.root, DEPT_RURAL),
      ]);
      const [first, second] = sorted as [SignedApproval, SignedApproval];
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([second, first])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignersNotSorted")
        .withArgs(second.signer, first.signer);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([first, first])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignersNotSorted")
        .withArgs(first.signer, first.signer);
    });

    it("reverts when a seal names another department than its signer's", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_RURAL);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignerNotDepartment")
        .withArgs(a.deptCivil.address, DEPT_RURAL);
    });

    it("reverts on an expired deadline", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const deadline = BigInt(await networkHelpers.time.latest());
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL, { deadline });
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignatureExpired")
        .withArgs(deadline);
    });

    it("reverts on a replayed seal (nonce used) and on a wrong nonce", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL);
      await suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s]));
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "InvalidAccountNonce")
        .withArgs(a.deptCivil.address, s.nonce + 1n);
      const skipped = await seal(suite, a.deptRural, roster.rosterId, roster.tree.root, DEPT_RURAL, {
        nonce: firstNonceFor(roster.rosterId) + 5n,
      });
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([skipped])))
        .to.be.revertedWithCustomError(suite.rosterBook, "InvalidAccountNonce")
        .withArgs(a.deptRural.address, firstNonceFor(roster.rosterId));
    });

    it("rejects a seal for another roster, another contract or another chain", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(submitted);
      const other = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(3, 100));
      const forOther = await seal(suite, a.deptCivil, other.rosterId, other.tree.root, DEPT_CIVIL, {
        nonce: firstNonceFor(roster.rosterId),
      });
      const wrongContract = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL, {
        verifyingContract: await suite.ledger.getAddress(),
      });
      const wrongChain = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL, { chainId: 1n });
      // Each recovers to an address that is not a department of this roster.
      for (const s of [forOther, wrongContract, wrongChain]) {
        await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s]))).to.be.revertedWithCustomError(
          suite.rosterBook,
          "RosterBookNotRequiredDepartment",
        );
      }
    });

    it("rejects a malleable (high-s) signature", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL);
      const sig = Signature.from(s.signature);
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const highS = "0x" + (n - BigInt(sig.s)).toString(16).padStart(64, "0");
      const flipped = ethers.concat([sig.r, highS, sig.v === 27 ? "0x1c" : "0x1b"]);
      await expect(
        suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([{ ...s, signature: flipped }])),
      ).to.be.revertedWithCustomError(suite.rosterBook, "ECDSAInvalidSignatureS");
    });

    it("rejects the seal of an account whose department binding was revoked", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL);
      await suite.directory.connect(a.governance).setDepartment(DEPT_CIVIL, a.outsider.address);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRequiredDepartment")
        .withArgs(a.deptCivil.address);
    });

    it("rejects the seal of a signer whose reviewer role was revoked", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.deptCivil, roster.rosterId, roster.tree.root, DEPT_CIVIL);
      await suite.manager.connect(a.governance).revokeRole(Role.REVIEWER, a.deptCivil.address);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSignerNotReviewer")
        .withArgs(a.deptCivil.address);
    });

    it("never counts a seal from the submitter", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(submitted);
      const s = await seal(suite, a.townshipBureau, roster.rosterId, roster.tree.root, DEPT_CIVIL);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(roster.rosterId, asArgs([s])))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSubmitterCannotReview")
        .withArgs(a.townshipBureau.address);
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
      await expect(tx).to.emit(suite.rosterBook, "RosterWithdrawn").withArgs(roster.rosterId, programmeId, TOWNSHIP, id("typo"));
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
      const tx = suite.rosterBook.connect(a.deptRural).resolveObjection(roster.rosterId, line, lineProof(roster.tree, 2), false, id("checked"));
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
      await expect(suite.rosterBook.connect(a.deptCivil).resolveObjection(roster.rosterId, line, lineProof(roster.tree, 2), true, id("r")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongLineHold")
        .withArgs(2, Hold.Frozen, Hold.None);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 2, id("e"));
      const inflated = { ...line, amount: line.amount + 1n };
      await expect(suite.rosterBook.connect(a.deptCivil).resolveObjection(roster.rosterId, inflated, lineProof(roster.tree, 2), true, id("r")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookInvalidProof")
        .withArgs(2);
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
      await expect(suite.rosterBook.connect(a.townshipBureau).resolveObjection(roster.rosterId, line, lineProof(roster.tree, 2), false, id("r")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSubmitterCannotReview")
        .withArgs(a.townshipBureau.address);
    });

    it("objections stay open while the suite is paused: a pause never eats a resident's time to object", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(inPublicity);
      await suite.rosterBook.connect(a.governance).pause();
      // Every other write of the RosterBook stops; an objection goes through and freezes its line.
      await expect(suite.rosterBook.connect(a.deptCivil).resolveObjection(roster.rosterId, roster.lines[0]!, lineProof(roster.tree, 0), true, id("r")))
        .to.be.revertedWithCustomError(suite.rosterBook, "EnforcedPause");
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
      await suite.rosterBook.connect(a.deptCivil).resolveObjection(r.rosterId, r.lines[0]!, lineProof(r.tree, 0), false, id("fine"));
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
      await expect(rb.resolveObjections(r.rosterId, [], [], [], id("x"))).to.be.revertedWithCustomError(rb, "RosterBookBadResolutionBatch");
      await expect(rb.resolveObjections(r.rosterId, lines, proofs, [true], id("x"))).to.be.revertedWithCustomError(rb, "RosterBookBadResolutionBatch");
      // A line not frozen in the batch undoes the whole batch.
      await expect(rb.resolveObjections(r.rosterId, [...lines, r.lines[3]!], [...proofs, lineProof(r.tree, 3)], [...upheld, false], id("x")))
        .to.be.revertedWithCustomError(rb, "RosterBookWrongLineHold")
        .withArgs(3, Hold.Frozen, Hold.None);
      const released = lines[0]!.amount + lines[2]!.amount;
      const tx = rb.resolveObjections(r.rosterId, lines, proofs, upheld, id("checked in the village"));
      for (const [k, i] of frozen.entries()) {
        await expect(tx)
          .to.emit(suite.rosterBook, "ObjectionResolved")
          .withArgs(r.rosterId, i, lines[k]!.household, upheld[k], DEPT_RURAL, upheld[k] ? lines[k]!.amount : 0n, id("checked in the village"));
      }
      await expect(tx).to.emit(suite.ledger, "FundsReleased").withArgs(programmeId, TOWNSHIP, released);
      const after = await suite.rosterBook.roster(r.rosterId);
      expect([after.openObjections, after.excludedLines, after.excluded]).to.deep.equal([0n, 2n, released]);
      expect(await suite.rosterBook.openObjectionsBy(r.rosterId, a.objector.address)).to.equal(0n);
      await expect(suite.rosterBook.connect(a.townshipBureau).resolveObjections(r.rosterId, lines, proofs, upheld, id("x")))
        .to.be.revertedWithCustomError(rb, "AccessManagedUnauthorized")
        .withArgs(a.townshipBureau.address);
      await expectConserved(suite, programmeId);
    });

    it("a frozen line may be resolved after publicity ended", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(inPublicity);
      await suite.rosterBook.connect(a.objector).objectToLine(roster.rosterId, 1, id("e"));
      await networkHelpers.time.increase(PUBLICITY);
      await suite.rosterBook.connect(a.deptFinance).resolveObjection(roster.rosterId, roster.lines[1]!, lineProof(roster.tree, 1), false, id("ok"));
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
      await suite.rosterBook.connect(a.deptCivil).resolveObjection(roster.rosterId, roster.lines[0]!, lineProof(roster.tree, 0), true, id("r"));
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
      await expect(suite.rosterBook.connect(a.townshipBureau).closeRoster(roster.rosterId, id("programme suspended by the county")))
        .to.emit(suite.rosterBook, "RosterCloseRequested")
        .withArgs(roster.rosterId, programmeId, TOWNSHIP, 9, id("programme suspended by the county"));
      expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Payable);
      expect((await suite.rosterBook.roster(roster.rosterId)).closeReasonHash).to.equal(id("programme suspended by the county"));
      // The co-signature comes from a required department, never from the submitter.
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
      await expect(suite.rosterBook.connect(a.townshipBureau).confirmClose(roster.rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookSubmitterCannotReview")
        .withArgs(a.townshipBureau.address);
      const remaining = roster.total - roster.lines[0]!.amount;
      const tx = suite.rosterBook.connect(a.deptRural).confirmClose(roster.rosterId);
      await expect(tx)
        .to.emit(suite.rosterBook, "RosterLinesDropped")
        .withArgs(roster.rosterId, DEPT_RURAL, a.deptRural.address, 9, id("programme suspended by the county"));
      await expect(tx).to.emit(suite.rosterBook, "RosterClosed").withArgs(roster.rosterId, programmeId, TOWNSHIP, remaining);
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
      await suite.directory.connect(a.governance).setRegionBureau(TOWNSHIP, a.outsider.address);
      await suite.manager.connect(a.governance).grantRole(Role.BUREAU, a.outsider.address, 0);
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
      const { terms } = await import("./helpers/fixture.js");
      await suite.programmes.connect(a.governance).amendProgramme(1n, terms({ publicityPeriod: 30 * 24 * 60 * 60, requiredDepartments: 0b11n }));
      const r = await suite.rosterBook.roster(roster.rosterId);
      expect(r.publicityPeriod).to.equal(BigInt(PUBLICITY));
      expect(r.requiredDepartments).to.equal(7n);
      expect(COUNTY).to.equal(110101000000n);
    });
  });
});
