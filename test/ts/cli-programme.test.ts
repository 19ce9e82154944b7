/** The governance, programme and budget tasks, run in-process against the test chain. */
import { expect } from "chai";
import { id } from "ethers";

import { Role } from "../../src/roles.js";
import { COUNTY, fundedSuite, networkHelpers, TOWNSHIP, wiredSuite } from "./helpers/fixture.js";
import { deploymentFile, fromOf, jsonOf, runCli } from "./helpers/cli.js";

async function cliWired() {
  const f = await wiredSuite();
  return { ...f, deployment: await deploymentFile(f.suite) };
}

describe("CLI: governance, programme and budget tasks", () => {
  it("creates, funds and shows a programme, with amounts typed in yuan", async () => {
    const { suite, a, deployment } = await networkHelpers.loadFixture(cliWired);
    const create = await runCli(["programme", "create"], {
      from: await fromOf(a.programmeAdmin),
      deployment,
      json: true,
      earmark: "MLA-2026-11",
      period: "202611",
      rootRegion: String(COUNTY),
      ceiling: "1,000,000.00",
      cap: "１５００", // full-width digits, as spreadsheets and input methods produce them
      publicityDays: "7",
      departments: "0,1,2",
      policyHash: id("policy"),
      policyUri: "https://policy.example/p.pdf",
    });
    expect(jsonOf(create).programmeId).to.equal("1");
    // Below the statutory floors: one line that names the floor and the fix; nothing created.
    const common = { from: await fromOf(a.programmeAdmin), deployment, period: "202612", rootRegion: String(COUNTY), ceiling: "1000", cap: "10", policyHash: id("policy"), policyUri: "https://policy.example/p.pdf" };
    const short = await runCli(["programme", "create"], { ...common, earmark: "MLA-SHORT", publicityDays: "3", departments: "0,1,2" });
    expect(short.exitCode).to.equal(1);
    expect(short.stderr).to.contain("the publicity period of 3 days is below the statutory floor of 7 days; give --publicity-days 7 or more");
    const alone = await runCli(["programme", "create"], { ...common, earmark: "MLA-ALONE", publicityDays: "7", departments: "2" });
    expect(alone.exitCode).to.equal(1);
    expect(alone.stderr).to.contain("1 required department(s) is below the statutory floor of 2; name at least 2 in --departments");
    expect(await suite.programmes.programmeCount()).to.equal(1n);
    const p = await suite.programmes.programme(1n);
    expect(p.terms.budgetCeiling).to.equal(100_000_000n);
    expect(p.terms.householdCap).to.equal(150_000n);
    expect(p.terms.requiredDepartments).to.equal(7n);
    const fund = await runCli(["programme", "fund"], { from: await fromOf(a.programmeAdmin), deployment, programme: "1", amount: "250000.50" });
    expect(fund.exitCode).to.equal(0);
    expect((await suite.ledger.totalsOf(1n)).funded).to.equal(25_000_050n);
    const show = jsonOf<{ totals: { funded: string }; requiredDepartments: number[] }>(
      await runCli(["programme", "show"], { deployment, json: true, programme: "1" }),
    );
    expect(show.totals.funded).to.equal("25000050");
    expect(show.requiredDepartments).to.deep.equal([0, 1, 2]);
  });

  it("fails with a clear message and a non-zero exit, sending nothing, on bad input or a refused call", async () => {
    const { suite, a, deployment } = await networkHelpers.loadFixture(cliWired);
    const badAmount = await runCli(["programme", "fund"], { from: await fromOf(a.programmeAdmin), deployment, programme: "1", amount: "12.345" });
    expect(badAmount.exitCode).to.equal(1);
    expect(badAmount.stderr).to.contain("more than two decimals");
    const refused = await runCli(["programme", "fund"], { from: await fromOf(a.outsider), deployment, programme: "1", amount: "1" });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr).to.contain("AccessManagedUnauthorized").and.to.contain("does not hold the role");
    expect((await suite.ledger.totalsOf(1n)).funded).to.equal(0n);
  });

  it("allocates with --dry-run (nothing sent) and for real, and shows balanced regions", async () => {
    const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
    const deployment = await deploymentFile(suite);
    const county = await fromOf(a.countyBureau);
    const before = (await suite.ledger.balanceOf(programmeId, TOWNSHIP)).received;
    const args = { from: county, deployment, programme: "1", fromRegion: String(COUNTY), toRegion: String(TOWNSHIP), amount: "100.00" };
    const dry = await runCli(["budget", "allocate"], { ...args, dryRun: true });
    expect(dry.exitCode).to.equal(0);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).received).to.equal(before);
    await runCli(["budget", "allocate"], args);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).received).to.equal(before + 10_000n);
    const rows = jsonOf<Array<{ balanced: boolean }>>(await runCli(["budget", "show"], { deployment, json: true, programme: "1", regions: [String(COUNTY), String(TOWNSHIP)] }));
    expect(rows.map((r) => r.balanced)).to.deep.equal([true, true]);
  });

  it("governance changes run directly without a delay and are scheduled with one", async () => {
    const { suite, a, deployment } = await networkHelpers.loadFixture(cliWired);
    const grant = await runCli(["governance", "grant"], { from: "1", deployment, role: "bank", account: a.outsider.address, json: true });
    expect(jsonOf(grant).kind).to.equal("executed");
    expect((await suite.manager.hasRole(Role.BANK, a.outsider.address))[0]).to.equal(true);
    // Give governance's GOVERNOR role a delay, then a directory change is scheduled, not executed.
    await suite.manager.connect(a.governance).grantRole(Role.GOVERNOR, a.governance.address, 3600);
    const bind = jsonOf<{ kind: string; target: string; data: string }>(
      await runCli(["governance", "bind-bureau"], { from: "1", deployment, region: "110101009000", account: a.objector.address, json: true }),
    );
    expect(bind.kind).to.equal("scheduled");
    expect(await suite.directory.bureauOf(110101009000n)).to.equal("0x0000000000000000000000000000000000000000");
    const early = await runCli(["governance", "execute"], { from: "1", deployment, target: bind.target, data: bind.data });
    expect(early.exitCode).to.equal(1);
    expect(early.stderr).to.contain("AccessManagerNotReady");
    await networkHelpers.time.increase(3600);
    expect((await runCli(["governance", "execute"], { from: "1", deployment, target: bind.target, data: bind.data })).exitCode).to.equal(0);
    expect(await suite.directory.bureauOf(110101009000n)).to.equal(a.objector.address);
  });

  it("the guardian pauses and resumes every writing contract in one transaction", async () => {
    const { suite, deployment } = await networkHelpers.loadFixture(cliWired);
    expect((await runCli(["governance", "pause"], { from: "1", deployment })).exitCode).to.equal(0);
    for (const c of [suite.directory, suite.programmes, suite.households, suite.ledger, suite.rosterBook, suite.disbursement]) {
      expect(await c.paused()).to.equal(true);
    }
    expect((await runCli(["governance", "pause"], { from: "1", deployment, resume: true })).exitCode).to.equal(0);
    expect(await suite.disbursement.paused()).to.equal(false);
  });
});
