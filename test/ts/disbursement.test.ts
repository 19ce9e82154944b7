/**
 * Disbursement: payouts (every guarantee), bank settlement, reversals, and the budget identity
 * after each of them — every transition and every custom error.
 */
import { expect } from "chai";
import { id, ZeroHash } from "ethers";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

import {
  batchProof,
  buildLineTree,
  LINE_ENCODING,
  lineProof,
  type LineTree,
  packLine,
  type PaidBatch,
  paidBatch,
  positionIn,
  type RosterLine,
} from "../../src/lines.js";
import { planPayout } from "../../src/chain/payout-plan.js";
import { OfficeKind } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import {
  bindOffice,
  CAP,
  commitment,
  COUNTY,
  DEPT_FINANCE,
  DEPT_RURAL,
  ethers,
  fundedSuite,
  networkHelpers,
  personTagsOf,
  PUBLICITY,
  type Suite,
  TOWNSHIP,
  TOWNSHIP_B,
} from "./helpers/fixture.js";
import { expectConserved } from "./helpers/ledger.js";
import {
  approveAll,
  declare,
  makeLines,
  payableRoster,
  rawRecords,
  sendLines,
  type SubmittedRoster,
  submit,
} from "./helpers/rosters.js";

const Status = { Unpaid: 0n, Paid: 1n, Confirmed: 2n, Returned: 3n, Reversed: 4n, ReversalPendingRecovery: 5n };
const RosterState = { AwaitingSignOff: 1n, InPublicity: 4n, Payable: 5n, Closed: 6n, AwaitingLines: 7n };
const Refund = { Returned: 0n, Reversed: 1n };
const Reversal = { None: 0n, Pending: 1n, Approved: 2n, Rejected: 3n, Recovered: 4n };

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

type Signer = Parameters<Suite["disbursement"]["connect"]>[0];

async function pay(suite: Suite, signer: Signer, roster: { rosterId: bigint; tree: LineTree }, indices: number[]) {
  const b = batchProof(roster.tree, indices);
  return suite.disbursement.connect(signer).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof);
}

/** Pays `indices` in one batch and returns the batch as returns and reversals must present it. */
async function payBatch(suite: Suite, signer: Signer, roster: SubmittedRoster, indices: number[]) {
  const b = batchProof(roster.tree, indices);
  await suite.disbursement.connect(signer).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof);
  const batchId = Number(await suite.disbursement.batchCount(roster.rosterId));
  return { batch: paidBatch(batchId, b.lines), paidLines: b.lines };
}

describe("Disbursement", () => {
  async function payable() {
    const f = await fundedSuite();
    const roster = await payableRoster(f.suite, f.a, f.programmeId, TOWNSHIP, makeLines(300));
    return { ...f, roster };
  }

  describe("recordPayouts", () => {
    it("pays a batch: events per line, roster and region accounting, bits set", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(payable);
      const indices = range(0, 120);
      const sum = indices.reduce((s, i) => s + roster.lines[i]!.amount, 0n);
      const tx = pay(suite, a.disburser, roster, indices);
      const l5 = roster.lines[5]!;
      await expect(tx)
        .to.emit(suite.disbursement, "PayoutRecorded")
        .withArgs(roster.rosterId, l5.household, 5, l5.amount);
      await expect(tx).to.emit(suite.rosterBook, "RosterPaid").withArgs(roster.rosterId, programmeId, TOWNSHIP, sum);
      await expect(tx).to.emit(suite.ledger, "FundsPaid").withArgs(programmeId, TOWNSHIP, sum);
      const paidOrder = batchProof(roster.tree, indices).lines;
      // keccak256 of the packed lines in the order paid (ascending), as abi.encodePacked(uint256[]).
      const words = paidOrder.map((l) => (BigInt(l.index) << 192n) | (l.household << 128n) | l.amount);
      const hash = ethers.solidityPackedKeccak256(["uint256[]"], [words]);
      await expect(tx).to.emit(suite.disbursement, "PayoutBatchRecorded").withArgs(roster.rosterId, 1, hash, 120, sum);
      expect(await suite.disbursement.batchHash(roster.rosterId, 1)).to.equal(hash);
      expect(await suite.disbursement.batchCount(roster.rosterId)).to.equal(1n);
      const receipt = await (await tx).wait();
      const payouts = receipt!.logs.filter(
        (l) => l.topics[0] === suite.disbursement.interface.getEvent("PayoutRecorded").topicHash,
      );
      expect(payouts).to.have.length(120);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 119)).to.equal(Status.Paid);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 120)).to.equal(Status.Unpaid);
      expect(await suite.disbursement.isHouseholdPaid(programmeId, l5.household)).to.equal(true);
      expect(await suite.disbursement.isHouseholdPaid(programmeId, roster.lines[200]!.household)).to.equal(false);
      expect((await suite.rosterBook.roster(roster.rosterId)).paid).to.equal(sum);
      const b = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      expect(b.paid).to.equal(sum);
      expect(b.reserved).to.equal(roster.total - sum);
      await expectConserved(suite, programmeId);
    });

    it("pays a whole roster in chunks, in any order of chunks", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(payable);
      await pay(suite, a.disburser, roster, range(200, 100));
      await pay(suite, a.disburser, roster, range(0, 100));
      await pay(suite, a.disburser, roster, range(100, 100));
      expect((await suite.rosterBook.roster(roster.rosterId)).paid).to.equal(roster.total);
      expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reserved).to.equal(0n);
      await expectConserved(suite, programmeId);
    });

    it("never pays the same line twice, in two batches or within one", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      await pay(suite, a.disburser, roster, [7]);
      await expect(pay(suite, a.disburser, roster, [6, 7, 8]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementWrongLineStatus")
        .withArgs(7, Status.Unpaid, Status.Paid);
      // Within one batch a line can only come twice out of ascending order, which the batch refuses.
      const b = batchProof(roster.tree, [10, 11]);
      const twice = [b.lines[0]!, b.lines[0]!].map(packLine);
      await expect(suite.disbursement.connect(a.disburser).recordPayouts(roster.rosterId, twice, b.proof))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLinesNotAscending")
        .withArgs(10);
    });

    it("takes a batch's lines only in ascending index order", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      const b = batchProof(roster.tree, [3, 4, 9]);
      const reordered = [b.lines[0]!, b.lines[2]!, b.lines[1]!].map(packLine);
      await expect(suite.disbursement.connect(a.disburser).recordPayouts(roster.rosterId, reordered, b.proof))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLinesNotAscending")
        .withArgs(4);
      await pay(suite, a.disburser, roster, [3, 4, 9]);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 9)).to.equal(Status.Paid);
    });

    it("pays only households registered in the roster's region or below it: a sibling township's roster cannot pay them", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(payable);
      // Households 1… were registered in township A; township B's roster lists households 1 and 2.
      const sibling = await payableRoster(suite, a, programmeId, TOWNSHIP_B, makeLines(2, 1), a.townshipBBureau);
      await expect(pay(suite, a.disburser, sibling, [1]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementHouseholdOutsideRegion")
        .withArgs(2n, TOWNSHIP, TOWNSHIP_B);
      // `payout record` plans them out before sending anything.
      const siblingPlan = await planPayout(suite, sibling.rosterId, { root: sibling.tree.root, lines: sibling.lines });
      expect(siblingPlan.payable).to.deep.equal([]);
      expect(siblingPlan.skipped.map((s) => s.reason)).to.deep.equal([
        "household-outside-region",
        "household-outside-region",
      ]);
      // Township B's own households are paid by its roster; the register says where each belongs.
      const own = [commitment("township B 1"), commitment("township B 2")];
      const first = await suite.households
        .connect(a.civilAffairs)
        .registerHouseholds.staticCall(TOWNSHIP_B, own, personTagsOf(own), id("attestation B"));
      await suite.households
        .connect(a.civilAffairs)
        .registerHouseholds(TOWNSHIP_B, own, personTagsOf(own), id("attestation B"));
      // Township A holds block 0-2 (600 households): township B's first household opens block 3.
      expect(first).to.equal(768n);
      expect([
        await suite.households.regionOf(1n),
        await suite.households.regionOf(first),
        await suite.households.regionOf(first + 2n),
      ]).to.deep.equal([TOWNSHIP, TOWNSHIP_B, 0n]);
      const theirs = await payableRoster(
        suite,
        a,
        programmeId,
        TOWNSHIP_B,
        makeLines(2, Number(first)),
        a.townshipBBureau,
      );
      await pay(suite, a.disburser, theirs, [0, 1]);
      expect(await suite.disbursement.isHouseholdPaid(programmeId, first + 1n)).to.equal(true);
      // An id past a block's fill is not registered, even inside an opened block.
      const ghost = await payableRoster(
        suite,
        a,
        programmeId,
        TOWNSHIP_B,
        [{ index: 0, household: first + 2n, amount: 1_000n }],
        a.townshipBBureau,
      );
      await expect(pay(suite, a.disburser, ghost, [0]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementUnknownHousehold")
        .withArgs(first + 2n);
      const ghostPlan = await planPayout(suite, ghost.rosterId, { root: ghost.tree.root, lines: ghost.lines });
      expect(ghostPlan.skipped.map((s) => s.reason)).to.deep.equal(["unregistered-household"]);
    });

    it("never pays a household twice in one programme, even across rosters and regions", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(payable);
      // The county's own roster lists household 1 (of township A, inside the county), which township
      // A's roster also lists.
      const other = await payableRoster(suite, a, programmeId, COUNTY, makeLines(3, 1), a.countyBureau);
      await pay(suite, a.disburser, roster, [0]);
      await expect(pay(suite, a.disburser, other, [0]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementHouseholdAlreadyPaid")
        .withArgs(1n, programmeId);
      await pay(suite, a.disburser, other, [1, 2]);
      // The same household twice within one roster: caught within one batch too.
      const dup: RosterLine[] = [
        { index: 0, household: 400n, amount: 1000n },
        { index: 1, household: 400n, amount: 1000n },
      ];
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, dup);
      await expect(pay(suite, a.disburser, r, [0, 1]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementHouseholdAlreadyPaid")
        .withArgs(400n, programmeId);
    });

    it("never pays a suspended household, and pays it again once reinstated", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      const household = roster.lines[4]!.household;
      await suite.households.connect(a.civilAffairs).suspendHousehold(household, 0, id("death certificate"));
      await expect(pay(suite, a.disburser, roster, [3, 4, 5]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementHouseholdSuspended")
        .withArgs(household);
      // Suspended as deceased: one civil-affairs key only proposes the reinstatement; still not payable.
      await suite.households.connect(a.civilAffairs).reinstateHousehold(household, id("registry error"));
      await expect(pay(suite, a.disburser, roster, [3, 4, 5]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementHouseholdSuspended")
        .withArgs(household);
      // A second civil-affairs office confirms it.
      await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, a.outsider.address, 0);
      await bindOffice(suite, a.outsider.address, OfficeKind.CivilAffairs, TOWNSHIP);
      await suite.households.connect(a.outsider).reinstateHousehold(household, id("confirmed"));
      await pay(suite, a.disburser, roster, [3, 4, 5]);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 4)).to.equal(Status.Paid);
    });

    it("never pays an unregistered household", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const ghosts: RosterLine[] = [
        { index: 0, household: 0n, amount: 1000n },
        { index: 1, household: 601n, amount: 1000n },
      ];
      // Household 0 names nobody: a roster listing it is never sealed, so never paid.
      const unsealed = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, ghosts);
      await expect(
        suite.rosterLines.connect(a.townshipBureau).submitLines(unsealed.rosterId, 0, rawRecords(ghosts), []),
      )
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(0, 0n, 1000n, CAP);
      expect(await suite.rosterBook.rosterState(unsealed.rosterId)).to.equal(RosterState.AwaitingLines);
      // Household 601 was never registered (township A holds 1…600): its roster is sealed, its payout refused.
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, [
        { index: 0, household: 601n, amount: 1000n },
        { index: 1, household: 1n, amount: 1000n },
      ]);
      await expect(pay(suite, a.disburser, r, [0]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementUnknownHousehold")
        .withArgs(601n);
      // A line naming household 0, forged at a position of a sealed roster, is refused before its proof is read.
      const forged = packLine({ index: 1, household: 0n, amount: 1000n });
      await expect(
        suite.disbursement.connect(a.disburser).recordPayouts(r.rosterId, [forged], batchProof(r.tree, [1]).proof),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementUnknownHousehold")
        .withArgs(0n);
    });

    it("never pays above the per-household cap, nor a zero amount", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const lines: RosterLine[] = [
        { index: 0, household: 1n, amount: CAP + 1n },
        { index: 1, household: 2n, amount: 0n },
        { index: 2, household: 3n, amount: CAP },
      ];
      // Such lines never reach the chain: the roster is never sealed.
      const unsealed = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, lines);
      await expect(suite.rosterLines.connect(a.townshipBureau).submitLines(unsealed.rosterId, 0, rawRecords(lines), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(0, 1n, CAP + 1n, CAP);
      await expect(
        suite.rosterLines.connect(a.townshipBureau).submitLines(unsealed.rosterId, 0, rawRecords([lines[1]!]), []),
      )
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(0, 2n, 0n, CAP);
      expect(await suite.rosterBook.rosterState(unsealed.rosterId)).to.equal(RosterState.AwaitingLines);
      // Nor does the payout take them, forged at the positions of a sealed roster.
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, [
        { index: 0, household: 1n, amount: CAP },
        { index: 1, household: 2n, amount: 1_000n },
        { index: 2, household: 3n, amount: CAP },
      ]);
      await expect(
        suite.disbursement
          .connect(a.disburser)
          .recordPayouts(r.rosterId, [packLine(lines[0]!)], batchProof(r.tree, [0]).proof),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementAmountOutOfRange")
        .withArgs(0, CAP + 1n, CAP);
      await expect(
        suite.disbursement
          .connect(a.disburser)
          .recordPayouts(r.rosterId, [packLine(lines[1]!)], batchProof(r.tree, [1]).proof),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementAmountOutOfRange")
        .withArgs(1, 0n, CAP);
      await pay(suite, a.disburser, r, [2]);
      expect(await suite.disbursement.lineStatus(r.rosterId, 2)).to.equal(Status.Paid);
    });

    it("applies an amended (lower) cap to later payouts", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      const { terms } = await import("./helpers/fixture.js");
      await suite.programmes.connect(a.governance).amendProgramme(1n, terms({ householdCap: 50_000n }));
      await expect(pay(suite, a.disburser, roster, [1]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementAmountOutOfRange")
        .withArgs(1, roster.lines[1]!.amount, 50_000n);
      await pay(suite, a.disburser, roster, [0]); // 50,000 fen: at the cap
    });

    it("never pays more than the roster reserved: a roster whose lines add up to more than its total is never sealed", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      // Declared total 25,000 for lines adding up to 40,000.
      const { rosterId, tree } = await declare(
        suite,
        a.townshipBureau,
        programmeId,
        TOWNSHIP,
        makeLines(4, 1, () => 10_000n),
        { total: 25_000n },
      );
      const send = (from: number, count: number) =>
        sendLines(
          suite,
          a.townshipBureau,
          rosterId,
          range(from, count).map((i) => tree.line(i)),
          tree.frontier(from),
        );
      // Lines 0 and 1 (20,000) fit under the total; lines 2 and 3 would take the list to 40,000.
      await send(0, 2);
      await expect(send(2, 2))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesOverTotal")
        .withArgs(rosterId, 25_000n, 40_000n);
      await expect(send(2, 1))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesOverTotal")
        .withArgs(rosterId, 25_000n, 30_000n);
      // Never sealed: no sign-off, so never payable, and only the declared 25,000 is reserved.
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(RosterState.AwaitingLines);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(rosterId, RosterState.AwaitingSignOff, RosterState.AwaitingLines);
      await networkHelpers.time.increase(PUBLICITY);
      await expect(pay(suite, a.disburser, { rosterId, tree }, [0, 1]))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(rosterId, RosterState.Payable, RosterState.AwaitingLines);
      const b = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      expect([b.reserved, b.paid]).to.deep.equal([25_000n, 0n]);
      await expectConserved(suite, programmeId);
    });

    it("recordPaid refuses to pay a roster past its reservation (RosterBookOverspent), even for a holder of SUITE", async () => {
      // Sealed rosters' lines add up to their total, so Disbursement never asks for more; the guard
      // stands behind that, whoever holds the SUITE role.
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, makeLines(3));
      await suite.manager.connect(a.governance).grantRole(Role.SUITE, a.outsider.address, 0);
      await expect(suite.rosterBook.connect(a.outsider).recordPaid(r.rosterId, 1, r.total + 1n))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookOverspent")
        .withArgs(r.rosterId, r.total, r.total + 1n);
      await suite.rosterBook.connect(a.outsider).recordPaid.staticCall(r.rosterId, 3, r.total);
    });

    it("never pays before sign-off and publicity are complete", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(5));
      await expect(pay(suite, a.disburser, r, [0]))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(r.rosterId, RosterState.Payable, RosterState.AwaitingSignOff);
      await approveAll(suite, a, r.rosterId);
      await networkHelpers.time.increase(PUBLICITY - 10);
      await expect(pay(suite, a.disburser, r, [0]))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(r.rosterId, RosterState.Payable, RosterState.InPublicity);
    });

    it("never pays a frozen or an excluded line", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(200));
      await approveAll(suite, a, r.rosterId);
      await suite.rosterBook.connect(a.objector).objectToLine(r.rosterId, 130, id("e1"));
      await suite.rosterBook.connect(a.objector).objectToLine(r.rosterId, 131, id("e2"));
      await suite.rosterBook
        .connect(a.deptFinance)
        .resolveObjection(r.rosterId, r.lines[131]!, lineProof(r.tree, 131), true, id("r"));
      await networkHelpers.time.increase(PUBLICITY);
      await expect(pay(suite, a.disburser, r, [129, 130]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineHeld")
        .withArgs(130);
      await expect(pay(suite, a.disburser, r, [131]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineHeld")
        .withArgs(131);
      await suite.rosterBook
        .connect(a.deptFinance)
        .resolveObjection(r.rosterId, r.lines[130]!, lineProof(r.tree, 130), false, id("r"));
      await pay(suite, a.disburser, r, [129, 130]);
      expect(await suite.disbursement.lineStatus(r.rosterId, 130)).to.equal(Status.Paid);
      // No objection is open any more, but line 131 stays excluded: the payout still reads its hold.
      expect((await suite.rosterBook.roster(r.rosterId)).openObjections).to.equal(0n);
      expect((await suite.rosterBook.payoutTerms(r.rosterId)).anyLineHeld).to.equal(true);
      await expect(pay(suite, a.disburser, r, [131]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineHeld")
        .withArgs(131);
      await expect(pay(suite, a.disburser, r, [130, 131])).to.be.revertedWithCustomError(
        suite.disbursement,
        "DisbursementWrongLineStatus",
      );
    });

    it("rejects lines that are not in the roster (tampered amount or household)", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      const b = batchProof(roster.tree, [0, 1, 2]);
      const tampered = b.lines.map((l, i) => (i === 1 ? { ...l, amount: l.amount + 100n } : l));
      await expect(
        suite.disbursement.connect(a.disburser).recordPayouts(roster.rosterId, tampered.map(packLine), b.proof),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementInvalidProof")
        .withArgs(roster.rosterId);
      const swapped = b.lines.map((l, i) => (i === 1 ? { ...l, household: 599n } : l));
      await expect(
        suite.disbursement.connect(a.disburser).recordPayouts(roster.rosterId, swapped.map(packLine), b.proof),
      ).to.be.revertedWithCustomError(suite.disbursement, "DisbursementInvalidProof");
    });

    it("rejects a line index beyond the declared line count", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const lines = makeLines(4);
      const tree = buildLineTree(lines);
      const three = buildLineTree(lines.slice(0, 3));
      const total3 = lines.slice(0, 3).reduce((sum, l) => sum + l.amount, 0n);
      // A root over four lines declared as three: never sealed.
      const { rosterId } = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, lines, {
        lineCount: 3,
        total: total3,
      });
      await expect(sendLines(suite, a.townshipBureau, rosterId, lines))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesTooMany")
        .withArgs(rosterId, 0, 4, 3);
      await expect(sendLines(suite, a.townshipBureau, rosterId, lines.slice(0, 3)))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookListMismatch")
        .withArgs(rosterId, tree.root, three.root, total3, total3);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(RosterState.AwaitingLines);
      // A sealed roster of three lines: the payout refuses a fourth index, whatever its proof.
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, lines.slice(0, 3));
      expect(r.tree.root).to.equal(three.root);
      await expect(pay(suite, a.disburser, { rosterId: r.rosterId, tree }, [3]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineOutOfRange")
        .withArgs(3, 3);
    });

    it("rejects an empty batch and a packed word with dirty high bits", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      await expect(
        suite.disbursement.connect(a.disburser).recordPayouts(roster.rosterId, [], []),
      ).to.be.revertedWithCustomError(suite.disbursement, "DisbursementBadBatch");
      const b = batchProof(roster.tree, [0]);
      const dirty = packLine(b.lines[0]!) | (1n << 255n);
      await expect(suite.disbursement.connect(a.disburser).recordPayouts(roster.rosterId, [dirty], b.proof))
        .to.be.revertedWithCustomError(suite.disbursement, "LinePackingDirtyBits")
        .withArgs(dirty);
    });

    it("the roster's submitter may not record its payouts, even holding the disburser role: its one office is the bureau", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      await suite.manager.connect(a.governance).grantRole(Role.DISBURSER, a.townshipBureau.address, 0);
      await expect(pay(suite, a.townshipBureau, roster, [0]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
        .withArgs(a.townshipBureau.address, OfficeKind.Treasury, TOWNSHIP);
    });

    it("closing a fully paid roster releases nothing and moves no money", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, makeLines(5));
      await pay(suite, a.disburser, r, [0, 1, 2, 3, 4]);
      const before = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      const tx = suite.rosterBook.connect(a.townshipBureau).closeRoster(r.rosterId, ZeroHash);
      await expect(tx).to.emit(suite.rosterBook, "RosterClosed").withArgs(r.rosterId, programmeId, TOWNSHIP, 0n);
      await expect(tx).not.to.emit(suite.ledger, "FundsReleased");
      expect((await suite.rosterBook.roster(r.rosterId)).released).to.equal(0n);
      expect(await suite.ledger.balanceOf(programmeId, TOWNSHIP)).to.deep.equal(before);
    });

    it("a closed roster pays nothing more", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      await pay(suite, a.disburser, roster, [0]);
      await suite.rosterBook.connect(a.townshipBureau).closeRoster(roster.rosterId, id("no longer eligible"));
      await suite.rosterBook.connect(a.deptFinance).confirmClose(roster.rosterId);
      await expect(pay(suite, a.disburser, roster, [1]))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(roster.rosterId, RosterState.Payable, RosterState.Closed);
    });
  });

  describe("settlement", () => {
    async function paid() {
      const f = await payable();
      const { batch, paidLines } = await payBatch(f.suite, f.a.disburser, f.roster, range(0, 300));
      return { ...f, batch, paidLines };
    }

    it("the bank confirms paid lines with reference hashes", async () => {
      const { suite, a, roster, programmeId } = await networkHelpers.loadFixture(paid);
      const indices = range(0, 200);
      const refs = indices.map((i) => id(`bank ref ${i}`));
      const tx = suite.disbursement.connect(a.bank).confirmPayouts(roster.rosterId, indices, refs);
      await expect(tx).to.emit(suite.disbursement, "PayoutConfirmed").withArgs(roster.rosterId, 150, refs[150]);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 199)).to.equal(Status.Confirmed);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 200)).to.equal(Status.Paid);
      // Confirmation moves no money.
      await expect(tx).not.to.emit(suite.ledger, "FundsRefunded");
      await expectConserved(suite, programmeId);
    });

    it("confirmation reverts on an unpaid, an already confirmed, or a mismatched batch", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, makeLines(5));
      await pay(suite, a.disburser, r, [0]);
      await expect(suite.disbursement.connect(a.bank).confirmPayouts(r.rosterId, [1], [id("x")]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementWrongLineStatus")
        .withArgs(1, Status.Paid, Status.Unpaid);
      await suite.disbursement.connect(a.bank).confirmPayouts(r.rosterId, [0], [id("x")]);
      await expect(suite.disbursement.connect(a.bank).confirmPayouts(r.rosterId, [0], [id("x")]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementWrongLineStatus")
        .withArgs(0, Status.Paid, Status.Confirmed);
      await expect(
        suite.disbursement.connect(a.bank).confirmPayouts(r.rosterId, [0, 1], [id("x")]),
      ).to.be.revertedWithCustomError(suite.disbursement, "DisbursementBadBatch");
      await expect(suite.disbursement.connect(a.bank).confirmPayouts(r.rosterId, [], [])).to.be.revertedWithCustomError(
        suite.disbursement,
        "DisbursementBadBatch",
      );
    });

    it("a bank reference is never zero, for a confirmation or a return", async () => {
      const { suite, a, roster, batch, paidLines } = await networkHelpers.loadFixture(paid);
      await expect(
        suite.disbursement.connect(a.bank).confirmPayouts(roster.rosterId, [7, 8], [id("x"), ethers.ZeroHash]),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementZeroBankReference")
        .withArgs(8);
      await expect(
        suite.disbursement
          .connect(a.bank)
          .returnPayouts(roster.rosterId, batch, [positionIn(paidLines, 9)], [roster.lines[9]!], [ethers.ZeroHash]),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementZeroBankReference")
        .withArgs(9);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 7)).to.equal(Status.Paid);
    });

    it("a returned payout goes back to the region and the household can be paid through a new line", async () => {
      const { suite, a, roster, programmeId, batch, paidLines } = await networkHelpers.loadFixture(paid);
      const before = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      const lines = [roster.lines[10]!, roster.lines[11]!];
      const positions = lines.map((l) => positionIn(paidLines, l.index));
      const amount = lines.reduce((s, l) => s + l.amount, 0n);
      const refs = lines.map((l) => id(`closed account ${l.index}`));
      const tx = suite.disbursement.connect(a.bank).returnPayouts(roster.rosterId, batch, positions, lines, refs);
      const l = lines[0]!;
      await expect(tx)
        .to.emit(suite.disbursement, "PayoutReturned")
        .withArgs(roster.rosterId, l.household, programmeId, l.index, l.amount, refs[0]);
      await expect(tx).to.emit(suite.ledger, "FundsRefunded").withArgs(programmeId, TOWNSHIP, Refund.Returned, amount);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 10)).to.equal(Status.Returned);
      const after = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      expect(after.paid).to.equal(before.paid - amount);
      expect(after.available).to.equal(before.available + amount);
      expect(after.returned).to.equal(amount);
      expect(await suite.disbursement.isHouseholdPaid(programmeId, roster.lines[10]!.household)).to.equal(false);
      await expectConserved(suite, programmeId);
      // A returned line is never paid again; the household is, through a new roster line.
      await expect(pay(suite, a.disburser, roster, [10]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementWrongLineStatus")
        .withArgs(10, Status.Unpaid, Status.Returned);
      const again = await payableRoster(suite, a, programmeId, TOWNSHIP, [
        { index: 0, household: roster.lines[10]!.household, amount: 1234n },
      ]);
      await pay(suite, a.disburser, again, [0]);
      expect(await suite.disbursement.isHouseholdPaid(programmeId, roster.lines[10]!.household)).to.equal(true);
      await expectConserved(suite, programmeId);
    });

    it("a return reverts for a confirmed line, a line not in the batch, a wrong batch, or a mismatched batch", async () => {
      const { suite, a, roster, batch, paidLines } = await networkHelpers.loadFixture(paid);
      await suite.disbursement.connect(a.bank).confirmPayouts(roster.rosterId, [20], [id("ok")]);
      const at = (i: number) => positionIn(paidLines, i);
      await expect(
        suite.disbursement
          .connect(a.bank)
          .returnPayouts(roster.rosterId, batch, [at(20)], [roster.lines[20]!], [id("r")]),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementWrongLineStatus")
        .withArgs(20, Status.Paid, Status.Confirmed);
      const inflated = { ...roster.lines[21]!, amount: roster.lines[21]!.amount * 10n };
      await expect(
        suite.disbursement.connect(a.bank).returnPayouts(roster.rosterId, batch, [at(21)], [inflated], [id("r")]),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineNotInBatch")
        .withArgs(21, at(21));
      await expect(
        suite.disbursement
          .connect(a.bank)
          .returnPayouts(roster.rosterId, batch, [at(22)], [roster.lines[21]!], [id("r")]),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineNotInBatch")
        .withArgs(21, at(22));
      const forged: PaidBatch = { batchId: batch.batchId, packedLines: batch.packedLines.slice(1) };
      await expect(
        suite.disbursement.connect(a.bank).returnPayouts(roster.rosterId, forged, [0], [roster.lines[21]!], [id("r")]),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementUnknownBatch")
        .withArgs(roster.rosterId, batch.batchId);
      await expect(
        suite.disbursement
          .connect(a.bank)
          .returnPayouts(roster.rosterId, { ...batch, batchId: 9 }, [at(21)], [roster.lines[21]!], [id("r")]),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementUnknownBatch")
        .withArgs(roster.rosterId, 9);
      await expect(
        suite.disbursement.connect(a.bank).returnPayouts(roster.rosterId, batch, [at(21)], [roster.lines[21]!], []),
      ).to.be.revertedWithCustomError(suite.disbursement, "DisbursementBadBatch");
    });

    it("a malformed tree with two leaves for one index is never sealed (a chunk repeating index 0 is RosterLinesOutOfOrder; records take consecutive indices, so the lines' root is never the tree's); a refund takes only the leaf that was paid", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      // A corrupt bureau's tree: index 0 twice, once small (paid) and once at the cap.
      const values: Array<[number, bigint, bigint]> = [
        [0, 1n, 1_000n],
        [0, 2n, CAP],
      ];
      const tree = StandardMerkleTree.of(values, [...LINE_ENCODING], { sortLeaves: false });
      const small = { index: 0, household: 1n, amount: 1_000n };
      const big = { index: 0, household: 2n, amount: CAP };
      const second = { index: 1, household: 2n, amount: CAP };
      const { rosterId } = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, [small, second], {
        root: tree.root,
      });
      // Its lines never reach the chain. In one transaction, record k is index k: the big leaf's record
      // sent after the small one is line 1 (= `second`), whose root is not the corrupt tree's.
      const listed = buildLineTree([small, second]);
      const declaredTotal = small.amount + second.amount;
      await expect(sendLines(suite, a.townshipBureau, rosterId, [small, big]))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookListMismatch")
        .withArgs(rosterId, tree.root, listed.root, declaredTotal, declaredTotal);
      // In two, a second chunk for index 0 repeats its first index: line 1 is due.
      await sendLines(suite, a.townshipBureau, rosterId, [small]);
      const frontier = listed.frontier(1);
      await expect(sendLines(suite, a.townshipBureau, rosterId, [big], frontier))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesOutOfOrder")
        .withArgs(1, 0);
      // The only second line that lists is index 1, and its root is not the corrupt tree's: not sealed.
      await expect(sendLines(suite, a.townshipBureau, rosterId, [second], frontier))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookListMismatch")
        .withArgs(rosterId, tree.root, listed.root, declaredTotal, declaredTotal);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(RosterState.AwaitingLines);
      await expect(suite.rosterBook.connect(a.deptCivil).approveRoster(rosterId))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
        .withArgs(rosterId, RosterState.AwaitingSignOff, RosterState.AwaitingLines);
      // On a sealed roster, a refund names the line paid at its position in the batch, and no other leaf.
      const r = await payableRoster(suite, a, programmeId, TOWNSHIP, [small, second]);
      await pay(suite, a.disburser, r, [0]);
      const batch = paidBatch(1, [small]);
      await expect(suite.disbursement.connect(a.bank).returnPayouts(r.rosterId, batch, [0], [big], [id("r")]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineNotInBatch")
        .withArgs(0, 0);
      await suite.disbursement.connect(a.bank).returnPayouts(r.rosterId, batch, [0], [small], [id("r")]);
      expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).returned).to.equal(1_000n);
      await expectConserved(suite, programmeId);
    });
  });

  describe("reversal", () => {
    async function confirmed() {
      const f = await payable();
      const { batch, paidLines } = await payBatch(f.suite, f.a.disburser, f.roster, range(0, 50));
      await f.suite.disbursement
        .connect(f.a.bank)
        .confirmPayouts(f.roster.rosterId, [3, 4, 5], [id("bank 3"), id("bank 4"), id("bank 5")]);
      const request = (index: number, reason = id("r")) =>
        f.suite.disbursement
          .connect(f.a.disburser)
          .requestReversal(f.roster.rosterId, batch, positionIn(paidLines, index), f.roster.lines[index]!, reason);
      return { ...f, batch, paidLines, request };
    }

    it("a reviewed reversal of a confirmed payout moves money only when the bank records the recovery", async () => {
      const { suite, a, roster, programmeId, request } = await networkHelpers.loadFixture(confirmed);
      const line = roster.lines[3]!;
      await expect(request(3, id("wrong household")))
        .to.emit(suite.disbursement, "ReversalRequested")
        .withArgs(1n, roster.rosterId, line.household, 3, line.amount, a.disburser.address, id("wrong household"));
      expect((await suite.disbursement.reversal(1n)).status).to.equal(Reversal.Pending);
      expect(await suite.disbursement.reversalCount()).to.equal(1n);
      expect(await suite.disbursement.reversalOf(roster.rosterId, 3)).to.equal(1n);
      // Until approved nothing changes.
      expect(await suite.disbursement.lineStatus(roster.rosterId, 3)).to.equal(Status.Confirmed);
      const before = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      const approval = suite.disbursement.connect(a.deptFinance).approveReversal(1n);
      await expect(approval)
        .to.emit(suite.disbursement, "ReversalApproved")
        .withArgs(1n, roster.rosterId, DEPT_FINANCE, a.deptFinance.address);
      // Approved, the money is still on the card: no refund, and the household still holds its payout.
      await expect(approval).not.to.emit(suite.ledger, "FundsRefunded");
      expect(await suite.disbursement.lineStatus(roster.rosterId, 3)).to.equal(Status.ReversalPendingRecovery);
      expect((await suite.disbursement.reversal(1n)).status).to.equal(Reversal.Approved);
      expect(await suite.disbursement.isHouseholdPaid(programmeId, line.household)).to.equal(true);
      expect(await suite.ledger.balanceOf(programmeId, TOWNSHIP)).to.deep.equal(before);
      // So the household cannot be paid again in the programme, on any roster.
      const again = await payableRoster(
        suite,
        a,
        programmeId,
        COUNTY,
        [{ index: 0, household: line.household, amount: 1_000n }],
        a.countyBureau,
      );
      await expect(pay(suite, a.disburser, again, [0]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementHouseholdAlreadyPaid")
        .withArgs(line.household, programmeId);
      await expect(suite.disbursement.connect(a.deptRural).approveReversal(1n))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementReversalNotPending")
        .withArgs(1n);
      await expect(request(3))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotReversible")
        .withArgs(3, Status.ReversalPendingRecovery);

      // The bank recovers it: now the money goes back and the household may be paid again.
      const recovery = suite.disbursement.connect(a.bank).recordRecoveries([1n], [id("recovery 1")]);
      await expect(recovery)
        .to.emit(suite.disbursement, "ReversalRecovered")
        .withArgs(1n, roster.rosterId, line.household, 3, line.amount, id("recovery 1"));
      await expect(recovery)
        .to.emit(suite.ledger, "FundsRefunded")
        .withArgs(programmeId, TOWNSHIP, Refund.Reversed, line.amount);
      expect(await suite.disbursement.lineStatus(roster.rosterId, 3)).to.equal(Status.Reversed);
      expect((await suite.disbursement.reversal(1n)).status).to.equal(Reversal.Recovered);
      const after = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      expect(after.reversed).to.equal(line.amount);
      expect(after.available).to.equal(before.available + line.amount);
      expect(await suite.disbursement.isHouseholdPaid(programmeId, line.household)).to.equal(false);
      await expectConserved(suite, programmeId);
      await expect(pay(suite, a.disburser, again, [0])).to.emit(suite.disbursement, "PayoutRecorded");
      await expect(request(3))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotReversible")
        .withArgs(3, Status.Reversed);
    });

    it("a recovery is recorded once, only for an approved reversal, with a bank reference", async () => {
      const { suite, a, request } = await networkHelpers.loadFixture(confirmed);
      await request(3);
      await request(4);
      await suite.disbursement.connect(a.deptRural).rejectReversal(2n, id("payment was right"));
      const recover = (ids: bigint[], refs: string[]) => suite.disbursement.connect(a.bank).recordRecoveries(ids, refs);
      await expect(recover([1n], [id("x")]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotAwaitingRecovery")
        .withArgs(1n, Reversal.Pending);
      await expect(recover([2n], [id("x")]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotAwaitingRecovery")
        .withArgs(2n, Reversal.Rejected);
      await expect(recover([9n], [id("x")]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotAwaitingRecovery")
        .withArgs(9n, Reversal.None);
      await suite.disbursement.connect(a.deptFinance).approveReversal(1n);
      await expect(recover([1n], [ethers.ZeroHash]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementZeroBankReference")
        .withArgs(3);
      await expect(recover([], [])).to.be.revertedWithCustomError(suite.disbursement, "DisbursementBadBatch");
      await expect(recover([1n], [])).to.be.revertedWithCustomError(suite.disbursement, "DisbursementBadBatch");
      await expect(suite.disbursement.connect(a.disburser).recordRecoveries([1n], [id("x")]))
        .to.be.revertedWithCustomError(suite.disbursement, "AccessManagedUnauthorized")
        .withArgs(a.disburser.address);
      await recover([1n], [id("recovered")]);
      await expect(recover([1n], [id("again")]))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotAwaitingRecovery")
        .withArgs(1n, Reversal.Recovered);
    });

    it("a rejected reversal leaves the line as it was, and a new one may then be requested", async () => {
      const { suite, a, roster, request } = await networkHelpers.loadFixture(confirmed);
      await request(4);
      await expect(request(4))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementReversalPending")
        .withArgs(4, 1n);
      await expect(suite.disbursement.connect(a.deptRural).rejectReversal(1n, id("payment was right")))
        .to.emit(suite.disbursement, "ReversalRejected")
        .withArgs(1n, roster.rosterId, DEPT_RURAL, a.deptRural.address, id("payment was right"));
      expect(await suite.disbursement.lineStatus(roster.rosterId, 4)).to.equal(Status.Confirmed);
      expect((await suite.disbursement.reversal(1n)).status).to.equal(Reversal.Rejected);
      await expect(suite.disbursement.connect(a.deptRural).rejectReversal(1n, id("again")))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementReversalNotPending")
        .withArgs(1n);
      await expect(request(4)).to.emit(suite.disbursement, "ReversalRequested");
      expect(await suite.disbursement.reversalOf(roster.rosterId, 4)).to.equal(2n);
    });

    it("only confirmed lines, proven against the batch that paid them, can be reversed; the bank returns the others", async () => {
      const { suite, a, roster, batch, paidLines, request } = await networkHelpers.loadFixture(confirmed);
      // Line 6 is paid but not confirmed: the bank returns it rather than a reversal taking it back.
      await expect(request(6))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotReversible")
        .withArgs(6, Status.Paid);
      const p2 = await payBatch(suite, a.disburser, roster, [60]);
      await suite.disbursement.connect(a.bank).confirmPayouts(roster.rosterId, [60], [id("bank 60")]);
      const r60 = roster.lines[60]!;
      // Line 60 was paid by batch 2, not batch 1.
      await expect(suite.disbursement.connect(a.disburser).requestReversal(roster.rosterId, batch, 0, r60, id("r")))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineNotInBatch")
        .withArgs(60, 0);
      await suite.disbursement.connect(a.disburser).requestReversal(roster.rosterId, p2.batch, 0, r60, id("r"));
      const forged = { ...roster.lines[5]!, amount: roster.lines[5]!.amount + 1n };
      await expect(
        suite.disbursement
          .connect(a.disburser)
          .requestReversal(roster.rosterId, batch, positionIn(paidLines, 5), forged, id("r")),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementLineNotInBatch")
        .withArgs(5, positionIn(paidLines, 5));
    });

    it("neither the requester nor the roster's submitter may review (each holds another office); the reviewer must hold a stage office", async () => {
      const { suite, a, request } = await networkHelpers.loadFixture(confirmed);
      await request(3);
      const m = suite.manager.connect(a.governance);
      await m.grantRole(Role.REVIEWER, a.disburser.address, 0);
      await m.grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
      await m.grantRole(Role.REVIEWER, a.outsider.address, 0);
      for (const who of [a.disburser, a.townshipBureau, a.outsider]) {
        await expect(suite.disbursement.connect(who).approveReversal(1n))
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
          .withArgs(who.address);
        await expect(suite.disbursement.connect(who).rejectReversal(1n, id("x")))
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
          .withArgs(who.address);
      }
    });
  });

  describe("status words", () => {
    it("statuses read a word at a time (paidLinesWord, outcomesWord) match lineStatus in every state", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      const { batch, paidLines } = await payBatch(suite, a.disburser, roster, range(0, 200));
      await suite.disbursement
        .connect(a.bank)
        .confirmPayouts(roster.rosterId, [1, 130, 199], [id("c1"), id("c130"), id("c199")]);
      await suite.disbursement
        .connect(a.bank)
        .returnPayouts(roster.rosterId, batch, [positionIn(paidLines, 2)], [roster.lines[2]!], [id("r")]);
      for (const index of [130, 199]) {
        await suite.disbursement
          .connect(a.disburser)
          .requestReversal(roster.rosterId, batch, positionIn(paidLines, index), roster.lines[index]!, id("x"));
      }
      await suite.disbursement.connect(a.deptCivil).approveReversal(1n);
      await suite.disbursement.connect(a.deptCivil).approveReversal(2n);
      await suite.disbursement.connect(a.bank).recordRecoveries([2n], [id("recovered 199")]);
      const indices = [0, 1, 2, 130, 199, 200, 299];
      const { lineStatusesOf } = await import("../../src/chain/lineStatus.js");
      const fromWords = await lineStatusesOf(suite, roster.rosterId, indices);
      const names = ["Unpaid", "Paid", "Confirmed", "Returned", "Reversed", "ReversalPendingRecovery"];
      for (const i of indices) {
        expect(fromWords.get(i), `line ${i}`).to.equal(
          names[Number(await suite.disbursement.lineStatus(roster.rosterId, i))],
        );
      }
      expect(indices.map((i) => fromWords.get(i))).to.deep.equal([
        "Paid",
        "Confirmed",
        "Returned",
        "ReversalPendingRecovery",
        "Reversed",
        "Unpaid",
        "Unpaid",
      ]);
    });
  });

  describe("lens", () => {
    it("joins programme totals, region balances, roster state and line state", async () => {
      const { suite, a, roster, programmeId, commitments } = await networkHelpers.loadFixture(payable);
      await pay(suite, a.disburser, roster, range(0, 10));
      const p = await suite.lens.programmeView(programmeId);
      expect(p.totals.paid).to.equal(roster.lines.slice(0, 10).reduce((s, l) => s + l.amount, 0n));
      expect(p.programme.rootRegion).to.equal(110101000000n);
      const rv = await suite.lens.rosterView(roster.rosterId);
      expect(rv.state).to.equal(RosterState.Payable);
      expect(rv.roster.lineCount).to.equal(300n);
      expect((await suite.lens.lineView(roster.rosterId, 9)).status).to.equal(Status.Paid);
      const region = await suite.lens.regionBalance(programmeId, TOWNSHIP);
      expect(region.paid).to.equal(p.totals.paid);
      const hv = await suite.lens.householdView(commitments[0]!, programmeId);
      expect(hv.household).to.equal(1n);
      expect(hv.paidInProgramme).to.equal(true);
      const unpaid = await suite.lens.householdView(commitments[500]!, programmeId);
      expect(unpaid.paidInProgramme).to.equal(false);
    });
  });
});
