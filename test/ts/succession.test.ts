/**
 * Successor suites: a new suite's household register takes over its predecessor's households, each
 * copied and checked on chain, only from a frozen predecessor, and a tool shows the two equal.
 */
import { expect } from "chai";
import { id } from "ethers";

import { Role } from "../../src/roles.js";
import { deploymentFile, fromOf, jsonOf, runCli } from "./helpers/cli.js";
import { OfficeKind } from "../../src/offices.js";
import { bindOffice, commitment, COUNTY, deploySuite, fundedSuite, networkHelpers, personTagOf, personTagsOf } from "./helpers/fixture.js";

const Status = { Active: 1n, Suspended: 2n };
const Reason = { Deceased: 0, MovedAway: 1 };

async function twoSuites() {
  const f = await fundedSuite();
  const { suite, a, commitments } = f;
  const h = suite.households.connect(a.civilAffairs);
  await h.suspendHousehold(3n, Reason.Deceased, id("death certificate"));
  await h.suspendHousehold(4n, Reason.MovedAway, id("moved"));
  // Household 5's commitment was rotated: the successor takes the current one.
  await h.replaceCommitment(5n, commitment("five, new secret"), personTagOf(commitments[4]!), id("rotation"));
  const successor = await deploySuite({ adminDelay: 0, grantDelay: 0, governorDelay: 0, predecessorHouseholds: await suite.households.getAddress() });
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
    await expect(next.registerHouseholds([commitment("new")], personTagsOf([commitment("new")]), id("x")))
      .to.be.revertedWithCustomError(next, "HouseholdRegistryImportIncomplete")
      .withArgs(0n, 600n);
    await expect(next.importHouseholds([personTagOf(commitments[0]!)])).to.be.revertedWithCustomError(next, "HouseholdRegistryPredecessorNotFrozen");
    const refused = await runCli(["households", "import"], { deployment: deployments.next, from: await fromOf(a.civilAffairs), predecessor: deployments.old });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr).to.contain("is not paused").and.to.contain("nothing was sent");
    await suite.households.connect(a.governance).pause();
    // A tag that is not the predecessor's tag of the household refuses the batch.
    await expect(next.importHouseholds([personTagOf(commitments[1]!)]))
      .to.be.revertedWithCustomError(next, "HouseholdRegistryNotSamePerson")
      .withArgs(1n, personTagOf(commitments[1]!));

    const run = jsonOf<{ imported: number; transactions: string[] }>(
      await runCli(["households", "import"], { deployment: deployments.next, from: await fromOf(a.civilAffairs), predecessor: deployments.old, json: true }),
    );
    expect(run.imported).to.equal(600);
    expect(run.transactions).to.have.length(6);
    expect(await next.householdCount()).to.equal(600n);
    expect(await next.commitmentOf(5n)).to.equal(commitment("five, new secret"));
    expect(await next.householdIdOf(commitments[99]!)).to.equal(100n);
    expect(await next.householdOfPerson(personTagOf(commitments[99]!))).to.equal(100n);
    expect([await next.statusOf(3n), await next.statusOf(4n), await next.statusOf(6n)]).to.deep.equal([Status.Suspended, Status.Suspended, Status.Active]);
    expect((await next.deceasedWord(0n)) >> 3n & 1n).to.equal(1n);
    expect((await next.deceasedWord(0n)) >> 4n & 1n).to.equal(0n);
    // The deceased household is still not undone by one key in the new register.
    await expect(next.reinstateHousehold(3n, id("r"))).to.emit(next, "ReinstatementProposed");

    const verified = await runCli(["audit", "verify-register"], { deployment: deployments.next, predecessor: deployments.old });
    expect(verified.exitCode, verified.stderr).to.equal(0);
    expect(verified.stdout).to.contain("equal: 600 of the predecessor's 600 households imported");
    // Rerunning imports nothing more.
    const again = jsonOf<{ imported: number; alreadyImported: number }>(
      await runCli(["households", "import"], { deployment: deployments.next, from: await fromOf(a.civilAffairs), predecessor: deployments.old, json: true }),
    );
    expect(again).to.include({ imported: 0, alreadyImported: 600 });

    // Once complete, the register registers its own households after the predecessor's, and copies no more.
    await expect(next.registerHouseholds([commitment("new")], personTagsOf([commitment("new")]), id("x")))
      .to.emit(next, "HouseholdRegistered")
      .withArgs(601n, commitment("new"), id("x"), personTagOf(commitment("new")));
    await expect(next.importHouseholds([personTagOf(commitments[0]!)]))
      .to.be.revertedWithCustomError(next, "HouseholdRegistryImportClosed")
      .withArgs(600n);
    // A person of the predecessor cannot be registered again in the successor.
    await expect(next.registerHouseholds([commitment("second identity")], [personTagOf(commitments[9]!)], id("x")))
      .to.be.revertedWithCustomError(next, "HouseholdRegistryPersonAlreadyRegistered")
      .withArgs(personTagOf(commitments[9]!), 10n);

    // If the predecessor is unpaused and registers again, the successor is not held up by it.
    await suite.households.connect(a.governance).unpause();
    await suite.households.connect(a.civilAffairs).registerHouseholds([commitment("late")], personTagsOf([commitment("late")]), id("late"));
    await expect(next.registerHouseholds([commitment("newer")], personTagsOf([commitment("newer")]), id("x"))).to.emit(next, "HouseholdRegistered");
    await suite.households.connect(a.governance).pause();

    // A register that drifts from its predecessor is reported.
    await next.suspendHousehold(10n, Reason.MovedAway, id("moved"));
    const drifted = await runCli(["audit", "verify-register"], { deployment: deployments.next, predecessor: deployments.old });
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
