/**
 * Separation of duties that no routing dodges. A call sent through the AccessManager's `execute`
 * reaches its target with the manager as `msg.sender`; every rule of the form "the submitter may
 * not …" and every recorded actor (submitter, approver, objector, requester) must still name the
 * account. Each rule is driven both ways here: directly, and routed through `execute`.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { type BaseContract, id } from "ethers";

import { batchProof, packLine, paidBatch, positionIn } from "../../src/lines.js";
import { OfficeKind } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import {
  COUNTY,
  DEPT_CIVIL,
  DEPT_FINANCE,
  fundedSuite,
  networkHelpers,
  type Suite,
  TOWNSHIP,
} from "./helpers/fixture.js";
import { approveAll, makeLines, payableRoster, submit } from "./helpers/rosters.js";

type Signer = HardhatEthersSigner;
type Way = "direct" | "execute";
const WAYS: Way[] = ["direct", "execute"];

/** Sends `data` to `target` as `signer`, either directly or routed through the manager's `execute`. */
async function send(suite: Suite, way: Way, signer: Signer, target: BaseContract, data: string) {
  if (way === "direct") return signer.sendTransaction({ to: await target.getAddress(), data });
  return suite.manager.connect(signer).execute(await target.getAddress(), data);
}

describe("Separation of duties through the AccessManager", () => {
  async function payable() {
    const f = await fundedSuite();
    const roster = await payableRoster(f.suite, f.a, f.programmeId, TOWNSHIP, makeLines(40));
    return { ...f, roster };
  }

  async function paid() {
    const f = await payable();
    const b = batchProof(f.roster.tree, [0, 1, 2, 3]);
    await f.suite.disbursement.connect(f.a.disburser).recordPayouts(f.roster.rosterId, b.lines.map(packLine), b.proof);
    const batch = paidBatch(1, b.lines);
    await f.suite.disbursement
      .connect(f.a.bank)
      .confirmPayouts(f.roster.rosterId, [0, 1, 2, 3], [id("b0"), id("b1"), id("b2"), id("b3")]);
    const requestData = (index: number) =>
      f.suite.disbursement.interface.encodeFunctionData("requestReversal", [
        f.roster.rosterId,
        batch,
        positionIn(b.lines, index),
        f.roster.lines[index]!,
        id("wrong card"),
      ]);
    return { ...f, batch, requestData };
  }

  for (const way of WAYS) {
    describe(`${way}`, () => {
      it("the roster's submitter may not record its payouts, even holding the disburser role: it holds no treasury office", async () => {
        const { suite, a, roster } = await networkHelpers.loadFixture(payable);
        await suite.manager.connect(a.governance).grantRole(Role.DISBURSER, a.townshipBureau.address, 0);
        const b = batchProof(roster.tree, [0]);
        const data = suite.disbursement.interface.encodeFunctionData("recordPayouts", [
          roster.rosterId,
          b.lines.map(packLine),
          b.proof,
        ]);
        await expect(send(suite, way, a.townshipBureau, suite.disbursement, data))
          .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
          .withArgs(a.townshipBureau.address, OfficeKind.Treasury, TOWNSHIP);
        // The disburser, either way, may.
        await expect(send(suite, way, a.disburser, suite.disbursement, data)).to.emit(
          suite.disbursement,
          "PayoutBatchRecorded",
        );
      });

      it("the requester of a reversal may not approve or reject it, and the request names the account", async () => {
        const { suite, a, roster, requestData } = await networkHelpers.loadFixture(paid);
        // The disburser also holds the REVIEWER role: it still cannot review its own request, since its
        // one office is the treasury.
        await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.disburser.address, 0);
        const line = roster.lines[2]!;
        await expect(send(suite, way, a.disburser, suite.disbursement, requestData(2)))
          .to.emit(suite.disbursement, "ReversalRequested")
          .withArgs(1n, roster.rosterId, line.household, 2, line.amount, a.disburser.address, id("wrong card"));
        expect((await suite.disbursement.reversal(1n)).requester).to.equal(a.disburser.address);
        for (const review of [
          suite.disbursement.interface.encodeFunctionData("approveReversal", [1n]),
          suite.disbursement.interface.encodeFunctionData("rejectReversal", [1n, id("no")]),
        ]) {
          for (const w of WAYS) {
            await expect(send(suite, w, a.disburser, suite.disbursement, review))
              .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
              .withArgs(a.disburser.address);
          }
        }
        // A department reviews it, and the approval names the department's account.
        const approve = suite.disbursement.interface.encodeFunctionData("approveReversal", [1n]);
        await expect(send(suite, way, a.deptFinance, suite.disbursement, approve))
          .to.emit(suite.disbursement, "ReversalApproved")
          .withArgs(1n, roster.rosterId, DEPT_FINANCE, a.deptFinance.address);
      });

      it("the submitter may not approve or reject its own roster, even holding the reviewer role; approvals name the office's account", async () => {
        const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
        await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.townshipBureau.address, 0);
        const r = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(5));
        const approve = suite.rosterBook.interface.encodeFunctionData("approveRoster", [r.rosterId]);
        const reject = suite.rosterBook.interface.encodeFunctionData("rejectRoster", [r.rosterId, id("no")]);
        for (const data of [approve, reject]) {
          await expect(send(suite, way, a.townshipBureau, suite.rosterBook, data))
            .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
            .withArgs(a.townshipBureau.address);
        }
        await expect(send(suite, way, a.deptCivil, suite.rosterBook, approve))
          .to.emit(suite.rosterBook, "RosterApproved")
          .withArgs(r.rosterId, 0, DEPT_CIVIL, a.deptCivil.address, false, programmeId, TOWNSHIP);
      });

      it("a roster is submitted only by its region's bureau, and records that bureau as submitter", async () => {
        const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
        const submission = {
          programmeId,
          region: TOWNSHIP,
          root: id("root"),
          lineCount: 1,
          total: 1_000n,
          documentHash: id("list"),
          documentURI: "https://notice.example/list.csv",
        };
        const data = suite.rosterBook.interface.encodeFunctionData("submitRoster", [submission]);
        await expect(send(suite, way, a.countyBureau, suite.rosterBook, data))
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRegionBureau")
          .withArgs(a.countyBureau.address, TOWNSHIP);
        await expect(send(suite, way, a.townshipBureau, suite.rosterBook, data))
          .to.emit(suite.rosterBook, "RosterSubmitted")
          .withArgs(
            1n,
            programmeId,
            TOWNSHIP,
            a.townshipBureau.address,
            id("root"),
            1,
            1_000n,
            id("list"),
            submission.documentURI,
          );
        expect((await suite.rosterBook.roster(1n)).submitter).to.equal(a.townshipBureau.address);
      });

      it("an objection names the objector, not the manager", async () => {
        const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
        const r = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(5));
        await approveAll(suite, a, r.rosterId);
        const data = suite.rosterBook.interface.encodeFunctionData("objectToLine", [r.rosterId, 3, id("evidence")]);
        await expect(send(suite, way, a.objector, suite.rosterBook, data))
          .to.emit(suite.rosterBook, "LineObjected")
          .withArgs(r.rosterId, 3, a.objector.address, id("evidence"));
      });

      it("budget moves only by the bureau of the source region", async () => {
        const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
        const data = suite.ledger.interface.encodeFunctionData("allocate", [
          programmeId,
          TOWNSHIP,
          TOWNSHIP + 1n,
          100n,
        ]);
        await expect(send(suite, way, a.countyBureau, suite.ledger, data))
          .to.be.revertedWithCustomError(suite.ledger, "BudgetLedgerNotRegionBureau")
          .withArgs(a.countyBureau.address, TOWNSHIP);
        const own = suite.ledger.interface.encodeFunctionData("allocate", [
          programmeId,
          COUNTY,
          TOWNSHIP + 2_000n,
          100n,
        ]);
        await expect(send(suite, way, a.countyBureau, suite.ledger, own))
          .to.emit(suite.ledger, "BudgetAllocated")
          .withArgs(programmeId, COUNTY, TOWNSHIP + 2_000n, 100n);
      });
    });
  }

  it("the manager names no account outside an execute", async () => {
    const { suite } = await networkHelpers.loadFixture(fundedSuite);
    expect(await suite.manager.executingAccount()).to.equal("0x0000000000000000000000000000000000000000");
  });
});
