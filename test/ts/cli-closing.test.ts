/**
 * The duty to pay and the deceased rule at the command line: `roster close` with lines still owed,
 * `review confirm-close`, and `households reinstate` for a household suspended as deceased.
 */
import { expect } from "chai";
import { id, keccak256, toUtf8Bytes } from "ethers";

import { batchProof, packLine } from "../../src/lines.js";
import { Role } from "../../src/roles.js";
import { deploymentFile, fromOf, jsonOf, runCli } from "./helpers/cli.js";
import { OfficeKind } from "../../src/offices.js";
import { bindOffice, fundedSuite, networkHelpers, TOWNSHIP } from "./helpers/fixture.js";
import { makeLines, payableRoster } from "./helpers/rosters.js";

const State = { Payable: 5n, Closed: 6n };

async function partlyPaid() {
  const f = await fundedSuite();
  const roster = await payableRoster(f.suite, f.a, f.programmeId, TOWNSHIP, makeLines(8));
  const b = batchProof(roster.tree, [0, 1, 2, 3, 4]);
  await f.suite.disbursement.connect(f.a.disburser).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof);
  return { ...f, roster, deployment: await deploymentFile(f.suite) };
}

describe("CLI: closing a roster that still owes lines, and reinstating the deceased", () => {
  it("roster close needs a reason when lines are owed; a department confirms with review confirm-close", async () => {
    const { suite, a, roster, deployment } = await networkHelpers.loadFixture(partlyPaid);
    const bureau = await fromOf(a.townshipBureau);
    const bare = await runCli(["roster", "close"], { deployment, from: bureau, roster: "1" });
    expect(bare.exitCode).to.equal(1);
    expect(bare.stderr)
      .to.contain("roster 1 still owes 3 line(s)")
      .and.to.contain("--reason")
      .and.to.contain("review confirm-close --roster 1");
    const early = await runCli(["review", "confirm-close"], {
      deployment,
      from: await fromOf(a.deptRural),
      roster: "1",
    });
    expect(early.exitCode).to.equal(1);
    expect(early.stderr).to.contain("roster 1 has no closing awaiting confirmation");

    const reason = "三户已迁出本乡 (three households moved out of the township)";
    const requested = jsonOf<{ action: string; owed: string }>(
      await runCli(["roster", "close"], { deployment, from: bureau, roster: "1", reason, json: true }),
    );
    expect(requested).to.include({ action: "close-requested", owed: "3" });
    expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Payable);
    expect((await suite.rosterBook.roster(roster.rosterId)).closeReasonHash).to.equal(keccak256(toUtf8Bytes(reason)));

    const dry = await runCli(["review", "confirm-close"], {
      deployment,
      from: await fromOf(a.deptRural),
      roster: "1",
      dryRun: true,
    });
    expect(dry.exitCode, dry.stderr).to.equal(0);
    expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Payable);
    const confirmed = await runCli(["review", "confirm-close"], {
      deployment,
      from: await fromOf(a.deptRural),
      roster: "1",
    });
    expect(confirmed.exitCode, confirmed.stderr).to.equal(0);
    expect(confirmed.stdout).to.contain("roster 1 closed: 3 line(s) dropped");
    expect(await suite.rosterBook.rosterState(roster.rosterId)).to.equal(State.Closed);
    const [dropped] = await suite.rosterBook.queryFilter(suite.rosterBook.filters.RosterLinesDropped(roster.rosterId));
    expect(dropped?.args.droppedLines).to.equal(3n);
    expect(dropped?.args.approver).to.equal(a.deptRural.address);
  });

  it("households reinstate only proposes for a household suspended as deceased; a second account confirms", async () => {
    const { suite, a, deployment } = await networkHelpers.loadFixture(partlyPaid);
    await suite.households.connect(a.civilAffairs).suspendHousehold(7n, 0, id("death certificate"));
    const first = await runCli(["households", "reinstate"], {
      deployment,
      from: await fromOf(a.civilAffairs),
      household: "7",
      reason: "registry error",
    });
    expect(first.exitCode, first.stderr).to.equal(0);
    expect(first.stdout)
      .to.contain("household 7: proposed for reinstatement")
      .and.to.contain("a second civil-affairs office must confirm");
    expect(await suite.households.statusOf(7n)).to.equal(2n); // still Suspended
    await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, a.outsider.address, 0);
    await bindOffice(suite, a.outsider.address, OfficeKind.CivilAffairs, TOWNSHIP);
    const second = await runCli(["households", "reinstate"], {
      deployment,
      from: await fromOf(a.outsider),
      household: "7",
      reason: "confirmed",
    });
    expect(second.exitCode, second.stderr).to.equal(0);
    expect(second.stdout).to.contain("household 7: reinstated");
    expect(await suite.households.statusOf(7n)).to.equal(1n);
  });
});
