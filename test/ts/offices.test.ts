/**
 * Offices bound to regions (issue: a province of offices). Each acting duty is an office of the
 * Directory bound to a region, and acts only inside that region's subtree: a treasury pays, and an
 * agent bank settles, only rosters of its region or below; a reviewing office reviews only rosters
 * whose stage it is. One account holds one office for life, so no key does two duties on one
 * roster, at once or one after the other. Each rule here fails if the rule is removed.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { id } from "ethers";

import { batchProof, packLine, paidBatch, positionIn } from "../../src/lines.js";
import { OfficeKind } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import {
  bindOffice,
  COUNTY,
  DEPT_FINANCE,
  ethers,
  fundedSuite,
  networkHelpers,
  OTHER_COUNTY,
  TOWNSHIP,
  TOWNSHIP_B,
} from "./helpers/fixture.js";
import { makeLines, payableRoster } from "./helpers/rosters.js";

const CITY = 110100000000n;

describe("Offices bound to regions", () => {
  /** Four fresh accounts (beyond the fixture's actors) that hold nothing yet. */
  async function fresh(): Promise<HardhatEthersSigner[]> {
    const s = await ethers.getSigners();
    return [s[14]!, s[15]!, s[16]!, s[17]!];
  }

  async function payable() {
    const f = await fundedSuite();
    const roster = await payableRoster(f.suite, f.a, f.programmeId, TOWNSHIP, makeLines(20));
    const [cityTreasury, otherTreasury, siblingTreasury, otherBank] = await fresh();
    const grant = (role: bigint, who: HardhatEthersSigner) =>
      f.suite.manager.connect(f.a.governance).grantRole(role, who.address, 0);
    for (const who of [cityTreasury!, otherTreasury!, siblingTreasury!]) await grant(Role.DISBURSER, who);
    await grant(Role.BANK, otherBank!);
    await bindOffice(f.suite, cityTreasury!.address, OfficeKind.Treasury, CITY);
    await bindOffice(f.suite, otherTreasury!.address, OfficeKind.Treasury, OTHER_COUNTY);
    await bindOffice(f.suite, siblingTreasury!.address, OfficeKind.Treasury, TOWNSHIP_B);
    await bindOffice(f.suite, otherBank!.address, OfficeKind.Bank, OTHER_COUNTY);
    return {
      ...f,
      roster,
      cityTreasury: cityTreasury!,
      otherTreasury: otherTreasury!,
      siblingTreasury: siblingTreasury!,
      otherBank: otherBank!,
    };
  }

  async function confirmed() {
    const f = await payable();
    const b = batchProof(f.roster.tree, [0, 1, 2, 3]);
    await f.suite.disbursement.connect(f.a.disburser).recordPayouts(f.roster.rosterId, b.lines.map(packLine), b.proof);
    await f.suite.disbursement.connect(f.a.bank).confirmPayouts(f.roster.rosterId, [0, 1], [id("c0"), id("c1")]);
    return { ...f, batch: paidBatch(1, b.lines), paidLines: b.lines };
  }

  describe("treasury", () => {
    it("pays only rosters of its region's subtree: another county's or a sibling township's treasury is refused, the city's may pay", async () => {
      const { suite, roster, otherTreasury, siblingTreasury, cityTreasury } = await networkHelpers.loadFixture(payable);
      const b = batchProof(roster.tree, [5]);
      for (const who of [otherTreasury, siblingTreasury]) {
        await expect(suite.disbursement.connect(who).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof))
          .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
          .withArgs(who.address, OfficeKind.Treasury, TOWNSHIP);
      }
      await expect(
        suite.disbursement.connect(cityTreasury).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof),
      ).to.emit(suite.disbursement, "PayoutBatchRecorded");
    });

    it("an account with the DISBURSER role but another kind of office (the agent bank) may not pay", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      await suite.manager.connect(a.governance).grantRole(Role.DISBURSER, a.bank.address, 0);
      const b = batchProof(roster.tree, [5]);
      await expect(suite.disbursement.connect(a.bank).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof))
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
        .withArgs(a.bank.address, OfficeKind.Treasury, TOWNSHIP);
    });

    it("requests reversals only for rosters of its subtree", async () => {
      const { suite, roster, otherTreasury, batch, paidLines } = await networkHelpers.loadFixture(confirmed);
      await expect(
        suite.disbursement
          .connect(otherTreasury)
          .requestReversal(roster.rosterId, batch, positionIn(paidLines, 0), roster.lines[0]!, id("wrong card")),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
        .withArgs(otherTreasury.address, OfficeKind.Treasury, TOWNSHIP);
    });
  });

  describe("agent bank", () => {
    it("confirms, returns and recovers only for rosters of its subtree", async () => {
      const { suite, a, roster, otherBank, batch, paidLines } = await networkHelpers.loadFixture(confirmed);
      const refused = (tx: Promise<unknown>) =>
        expect(tx)
          .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
          .withArgs(otherBank.address, OfficeKind.Bank, TOWNSHIP);
      await refused(suite.disbursement.connect(otherBank).confirmPayouts(roster.rosterId, [2], [id("c2")]));
      await refused(
        suite.disbursement
          .connect(otherBank)
          .returnPayouts(roster.rosterId, batch, [positionIn(paidLines, 3)], [roster.lines[3]!], [id("r3")]),
      );
      // A reversal approved by a stage office awaits the bank's recovery: only the roster's bank records it.
      await suite.disbursement
        .connect(a.disburser)
        .requestReversal(roster.rosterId, batch, positionIn(paidLines, 0), roster.lines[0]!, id("wrong card"));
      await suite.disbursement.connect(a.deptFinance).approveReversal(1n);
      await refused(suite.disbursement.connect(otherBank).recordRecoveries([1n], [id("rcv")]));
      await expect(suite.disbursement.connect(a.bank).recordRecoveries([1n], [id("rcv")])).to.emit(
        suite.disbursement,
        "ReversalRecovered",
      );
    });
  });

  describe("reviewing offices", () => {
    it("a department's office of another county reviews nothing of this roster: its reversal decisions are refused", async () => {
      const { suite, a, roster, batch, paidLines } = await networkHelpers.loadFixture(confirmed);
      const otherFinance = (await ethers.getSigners())[19];
      await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, otherFinance!.address, 0);
      await bindOffice(suite, otherFinance!.address, OfficeKind.Reviewer, OTHER_COUNTY, DEPT_FINANCE);
      await suite.disbursement
        .connect(a.disburser)
        .requestReversal(roster.rosterId, batch, positionIn(paidLines, 0), roster.lines[0]!, id("wrong card"));
      await expect(suite.disbursement.connect(otherFinance!).approveReversal(1n))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(otherFinance!.address);
      await expect(suite.rosterBook.reviewingStage(roster.rosterId, otherFinance!.address))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotReviewingOffice")
        .withArgs(otherFinance!.address);
      // The county's own finance office is stage 3 (index 2) of this roster and decides.
      expect(await suite.rosterBook.reviewingStage(roster.rosterId, a.deptFinance.address)).to.deep.equal([
        2n,
        BigInt(DEPT_FINANCE),
      ]);
      await expect(suite.disbursement.connect(a.deptFinance).rejectReversal(1n, id("no")))
        .to.emit(suite.disbursement, "ReversalRejected")
        .withArgs(1n, roster.rosterId, DEPT_FINANCE, a.deptFinance.address, id("no"));
    });
  });

  describe("one account, one office, for life", () => {
    it("a bureau that submitted a roster can never become its treasury: once vacated, the account is retired", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      const dir = suite.directory.connect(a.governance);
      // While it is the bureau, it cannot take a second office.
      await expect(
        dir.bindOffice(a.townshipBureau.address, { kind: OfficeKind.Treasury, department: 0, region: TOWNSHIP }),
      ).to.be.revertedWithCustomError(suite.directory, "DirectoryAccountAlreadyBound");
      // Vacated, it is retired: it never holds an office again, so it never pays its own roster.
      await dir.unbindOffice(a.townshipBureau.address);
      await expect(
        dir.bindOffice(a.townshipBureau.address, { kind: OfficeKind.Treasury, department: 0, region: TOWNSHIP }),
      )
        .to.be.revertedWithCustomError(suite.directory, "DirectoryAccountRetired")
        .withArgs(a.townshipBureau.address);
      await suite.manager.connect(a.governance).grantRole(Role.DISBURSER, a.townshipBureau.address, 0);
      const b = batchProof(roster.tree, [0]);
      await expect(
        suite.disbursement.connect(a.townshipBureau).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
        .withArgs(a.townshipBureau.address, OfficeKind.Treasury, TOWNSHIP);
    });

    it("replacing an office's holder retires the old account, and the new one acts at once", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(payable);
      // An account the fixture bound to nothing (s[14…17] hold offices in `payable`).
      const successor = (await ethers.getSigners())[18]!;
      await suite.manager.connect(a.governance).grantRole(Role.DISBURSER, successor.address, 0);
      await expect(
        suite.directory
          .connect(a.governance)
          .bindOffice(successor.address, { kind: OfficeKind.Treasury, department: 0, region: COUNTY }),
      )
        .to.emit(suite.directory, "OfficeVacated")
        .withArgs(a.disburser.address, OfficeKind.Treasury, 0, COUNTY)
        .and.to.emit(suite.directory, "OfficeBound")
        .withArgs(successor.address, OfficeKind.Treasury, 0, COUNTY, a.disburser.address);
      expect(await suite.directory.isRetired(a.disburser.address)).to.equal(true);
      const b = batchProof(roster.tree, [0]);
      await expect(
        suite.disbursement.connect(a.disburser).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof),
      )
        .to.be.revertedWithCustomError(suite.disbursement, "DisbursementNotOffice")
        .withArgs(a.disburser.address, OfficeKind.Treasury, TOWNSHIP);
      await expect(
        suite.disbursement.connect(successor).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof),
      ).to.emit(suite.disbursement, "PayoutBatchRecorded");
    });
  });
});
