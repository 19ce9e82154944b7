/**
 * Successor suites: a new suite's household register takes over its predecessor's households, each
 * copied and checked on chain, only from a frozen predecessor, and a tool shows the two equal.
 */
import { expect } from "chai";
import { id } from "ethers";

import { Role } from "../../src/roles.js";
import { deploymentFile, fromOf, jsonOf, runCli } from "./helpers/cli.js";
import { OfficeKind } from "../../src/offices.js";
import {
  bindOffice,
  commitment,
  COUNTY,
  deploySuite,
  fundedSuite,
  networkHelpers,
  personTagOf,
  personTagsOf,
  TOWNSHIP,
  TOWNSHIP_B,
} from "./helpers/fixture.js";

const Status = { Active: 1n, Suspended: 2n };
const Reason = { Deceased: 0, MovedAway: 1 };
const townshipB = [commitment("B1"), commitment("B2"), commitment("B3")];

async function twoSuites() {
  const f = await fundedSuite();
  const { suite, a, commitments } = f;
  const h = suite.households.connect(a.civilAffairs);
  // Township A holds ids 1…600 (blocks 0-2); three households of township B open block 3 (ids 768…770).
  await h.registerHouseholds(TOWNSHIP_B, townshipB, personTagsOf(townshipB), id("attestation B"));
  await h.suspendHousehold(3n, Reason.Deceased, id("death certificate"));
  await h.suspendHousehold(4n, Reason.MovedAway, id("moved"));
  // Household 5's commitment was rotated: the successor takes the current one.
  await h.replaceCommitment(5n, commitment("five, new secret"), personTagOf(commitments[4]!), id("rotation"));
  const successor = await deploySuite({
    adminDelay: 0,
    grantDelay: 0,
    governorDelay: 0,
    predecessorHouseholds: await suite.households.getAddress(),
  });
  await successor.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, a.civilAffairs.address, 0);
  // The successor suite has its own Directory: its civil-affairs office is bound there too.
  await bindOffice(successor, a.civilAffairs.address, OfficeKind.CivilAffairs, COUNTY);
  return { ...f, successor, deployments: { old: await deploymentFile(suite), next: await deploymentFile(successor) } };
}

describe("Successor suites: the household register taken over", () => {
  it("copies every household with its id, commitment, tag and suspension, only from a frozen predecessor; a tool shows them equal", async () => {
    const { suite, a, commitments, successor, deployments } = await networkHelpers.loadFixture(twoSuites);
    const next = successor.households.connect(a.civilAffairs);
    expect(await next.importState()).to.deep.equal([await suite.households.getAddress(), 0n]);
    // Nothing of its own before the copy is complete; nothing copied from a register still writing.
    await expect(next.registerHouseholds(TOWNSHIP, [commitment("new")], personTagsOf([commitment("new")]), id("x")))
      .to.be.revertedWithCustomError(next, "HouseholdRegistryImportIncomplete")
      .withArgs(0n, 603n);
    await expect(next.importHouseholds([personTagOf(commitments[0]!)])).to.be.revertedWithCustomError(
      next,
      "HouseholdRegistryPredecessorNotFrozen",
    );
    const refused = await runCli(["households", "import"], {
      deployment: deployments.next,
      from: await fromOf(a.civilAffairs),
      predecessor: deployments.old,
    });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr).to.contain("is not paused").and.to.contain("nothing was sent");
    await suite.households.connect(a.governance).pause();
    // A tag that is not the predecessor's tag of the household refuses the batch.
    await expect(next.importHouseholds([personTagOf(commitments[1]!)]))
      .to.be.revertedWithCustomError(next, "HouseholdRegistryNotSamePerson")
      .withArgs(1n, personTagOf(commitments[1]!));

    const run = jsonOf<{ imported: number; transactions: string[] }>(
      await runCli(["households", "import"], {
        deployment: deployments.next,
        from: await fromOf(a.civilAffairs),
        predecessor: deployments.old,
        json: true,
      }),
    );
    expect(run.imported).to.equal(603);
    expect(run.transactions).to.have.length(7);
    expect(await next.householdCount()).to.equal(603n);
    // Ids and regions as in the predecessor, past the gap between township A's last id and block 3.
    expect([
      await next.regionOf(600n),
      await next.regionOf(601n),
      await next.regionOf(768n),
      await next.regionOf(770n),
      await next.regionOf(771n),
    ]).to.deep.equal([TOWNSHIP, 0n, TOWNSHIP_B, TOWNSHIP_B, 0n]);
    expect(await next.householdIdOf(townshipB[2]!)).to.equal(770n);
    expect(await next.blockCount()).to.equal(4n);
    expect(await next.commitmentOf(5n)).to.equal(commitment("five, new secret"));
    expect(await next.householdIdOf(commitments[99]!)).to.equal(100n);
    expect(await next.householdOfPerson(personTagOf(commitments[99]!))).to.equal(100n);
    expect([await next.statusOf(3n), await next.statusOf(4n), await next.statusOf(6n)]).to.deep.equal([
      Status.Suspended,
      Status.Suspended,
      Status.Active,
    ]);
    expect(((await next.deceasedWord(0n)) >> 3n) & 1n).to.equal(1n);
    expect(((await next.deceasedWord(0n)) >> 4n) & 1n).to.equal(0n);
    // The deceased household is still not undone by one key in the new register.
    await expect(next.reinstateHousehold(3n, id("r"))).to.emit(next, "ReinstatementProposed");

    const verified = await runCli(["audit", "verify-register"], {
      deployment: deployments.next,
      predecessor: deployments.old,
    });
    expect(verified.exitCode, verified.stderr).to.equal(0);
    expect(verified.stdout).to.contain("equal: 603 of the predecessor's 603 households imported");
    // Rerunning imports nothing more.
    const again = jsonOf<{ imported: number; alreadyImported: number }>(
      await runCli(["households", "import"], {
        deployment: deployments.next,
        from: await fromOf(a.civilAffairs),
        predecessor: deployments.old,
        json: true,
      }),
    );
    expect(again).to.include({ imported: 0, alreadyImported: 603 });

    // Once complete, the register registers its own households after the predecessor's (in a block of its
    // own: the predecessor's blocks stay as they were), and copies no more.
    await expect(next.registerHouseholds(TOWNSHIP, [commitment("new")], personTagsOf([commitment("new")]), id("x")))
      .to.emit(next, "HouseholdRegistered")
      .withArgs(1024n, commitment("new"), id("x"), personTagOf(commitment("new")));
    await expect(next.importHouseholds([personTagOf(commitments[0]!)]))
      .to.be.revertedWithCustomError(next, "HouseholdRegistryImportClosed")
      .withArgs(603n);
    // A person of the predecessor cannot be registered again in the successor.
    await expect(
      next.registerHouseholds(TOWNSHIP, [commitment("second identity")], [personTagOf(commitments[9]!)], id("x")),
    )
      .to.be.revertedWithCustomError(next, "HouseholdRegistryPersonAlreadyRegistered")
      .withArgs(personTagOf(commitments[9]!), 10n);

    // If the predecessor is unpaused and registers again, the successor is not held up by it.
    await suite.households.connect(a.governance).unpause();
    await suite.households
      .connect(a.civilAffairs)
      .registerHouseholds(TOWNSHIP, [commitment("late")], personTagsOf([commitment("late")]), id("late"));
    await expect(
      next.registerHouseholds(TOWNSHIP, [commitment("newer")], personTagsOf([commitment("newer")]), id("x")),
    ).to.emit(next, "HouseholdRegistered");
    await suite.households.connect(a.governance).pause();

    // A register that drifts from its predecessor is reported.
    await next.suspendHousehold(10n, Reason.MovedAway, id("moved"));
    const drifted = await runCli(["audit", "verify-register"], {
      deployment: deployments.next,
      predecessor: deployments.old,
    });
    expect(drifted.exitCode).to.equal(1);
    expect(drifted.stdout).to.contain("DIFFERENT").and.to.contain("household 10: status 2 here, 1 in the predecessor");
  });

  it("a register without a predecessor imports nothing", async () => {
    const { suite, a } = await networkHelpers.loadFixture(fundedSuite);
    await expect(suite.households.connect(a.civilAffairs).importHouseholds([id("x")])).to.be.revertedWithCustomError(
      suite.households,
      "HouseholdRegistryNoPredecessor",
    );
  });
});
