/** The governance, programme and budget tasks, run in-process against the test chain. */
import { existsSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { id } from "ethers";

import { OfficeKind, packStages } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import { COUNTY, fundedSuite, networkHelpers, REVIEW_STAGES, TOWNSHIP, wiredSuite } from "./helpers/fixture.js";
import { deploymentFile, fromOf, jsonOf, runCli, tempDir } from "./helpers/cli.js";

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
      stages: "0@county,1@county,2@county",
      policyHash: id("policy"),
      policyUri: "https://policy.example/p.pdf",
    });
    expect(jsonOf(create).programmeId).to.equal("1");
    // Below the statutory floors: one line that names the floor and the fix; nothing created.
    const common = {
      from: await fromOf(a.programmeAdmin),
      deployment,
      period: "202612",
      rootRegion: String(COUNTY),
      ceiling: "1000",
      cap: "10",
      policyHash: id("policy"),
      policyUri: "https://policy.example/p.pdf",
    };
    const short = await runCli(["programme", "create"], {
      ...common,
      earmark: "MLA-SHORT",
      publicityDays: "3",
      stages: "0@county,1@county,2@county",
    });
    expect(short.exitCode).to.equal(1);
    expect(short.stderr).to.contain(
      "the publicity period of 3 days is below the statutory floor of 7 days: give --publicity-days 7 or more",
    );
    const alone = await runCli(["programme", "create"], {
      ...common,
      earmark: "MLA-ALONE",
      publicityDays: "7",
      stages: "2@county",
    });
    expect(alone.exitCode).to.equal(1);
    expect(alone.stderr)
      .to.contain("ProgrammeRegistryBelowFloor(field=reviewStages, value=1, floor=2)")
      .and.to.contain("below the statutory floor of 2");
    // Malformed stages are refused before anything is sent.
    const unknownLevel = await runCli(["programme", "create"], {
      ...common,
      earmark: "MLA-LEVEL",
      publicityDays: "7",
      stages: "0@town,2@county",
    });
    expect(unknownLevel.exitCode).to.equal(1);
    expect(unknownLevel.stderr).to.contain('--stages: "0@town" is not department@level');
    const repeated = await runCli(["programme", "create"], {
      ...common,
      earmark: "MLA-TWICE",
      publicityDays: "7",
      stages: "2@county,2@county",
    });
    expect(repeated.exitCode).to.equal(1);
    expect(repeated.stderr).to.contain("stage 2 repeats department 2 at county level");
    const none = await runCli(["programme", "create"], { ...common, earmark: "MLA-NONE", publicityDays: "7" });
    expect(none.exitCode).to.equal(1);
    expect(none.stderr).to.contain("--stages must list department@level");
    expect(await suite.programmes.programmeCount()).to.equal(1n);
    const p = await suite.programmes.programme(1n);
    expect(p.terms.budgetCeiling).to.equal(100_000_000n);
    expect(p.terms.householdCap).to.equal(150_000n);
    expect(p.terms.reviewStages).to.equal(REVIEW_STAGES);
    const fund = await runCli(["programme", "fund"], {
      from: await fromOf(a.programmeAdmin),
      deployment,
      programme: "1",
      amount: "250000.50",
    });
    expect(fund.exitCode).to.equal(0);
    expect((await suite.ledger.totalsOf(1n)).funded).to.equal(25_000_050n);
    const show = jsonOf<{
      totals: { funded: string };
      reviewStages: { stages: Array<{ department: number; level: number }>; ordered: boolean };
    }>(await runCli(["programme", "show"], { deployment, json: true, programme: "1" }));
    expect(show.totals.funded).to.equal("25000050");
    expect(show.reviewStages).to.deep.equal({
      stages: [
        { department: 0, level: 3 },
        { department: 1, level: 3 },
        { department: 2, level: 3 },
      ],
      ordered: false,
    });
    const text = await runCli(["programme", "show"], { deployment, programme: "1" });
    expect(text.stdout).to.contain(
      "review: stage 1: department 0 at county level; stage 2: department 1 at county level; stage 3: department 2 at county level (in any order)",
    );
  });

  it("creates a programme whose stages run in order, from the township up (--ordered)", async () => {
    const { suite, a, deployment } = await networkHelpers.loadFixture(cliWired);
    const create = await runCli(["programme", "create"], {
      from: await fromOf(a.programmeAdmin),
      deployment,
      json: true,
      earmark: "MLA-STAGED",
      period: "202611",
      rootRegion: String(COUNTY),
      ceiling: "1000",
      cap: "10",
      publicityDays: "7",
      stages: "0@township, 0@county, 2@county",
      ordered: true,
      policyHash: id("policy"),
      policyUri: "https://policy.example/p.pdf",
    });
    expect(jsonOf(create).programmeId).to.equal("1");
    const stages = [
      { department: 0, level: 4 },
      { department: 0, level: 3 },
      { department: 2, level: 3 },
    ];
    expect((await suite.programmes.programme(1n)).terms.reviewStages).to.equal(packStages({ stages, ordered: true }));
    const show = jsonOf<{ reviewStages: { stages: Array<{ department: number; level: number }>; ordered: boolean } }>(
      await runCli(["programme", "show"], { deployment, json: true, programme: "1" }),
    );
    expect(show.reviewStages).to.deep.equal({ stages, ordered: true });
    const text = await runCli(["programme", "show"], { deployment, programme: "1" });
    expect(text.stdout).to.contain(
      "stage 1: department 0 at township level; stage 2: department 0 at county level; stage 3: department 2 at county level (in this order)",
    );
  });

  it("fails with a clear message and a non-zero exit, sending nothing, on bad input or a refused call", async () => {
    const { suite, a, deployment } = await networkHelpers.loadFixture(cliWired);
    const badAmount = await runCli(["programme", "fund"], {
      from: await fromOf(a.programmeAdmin),
      deployment,
      programme: "1",
      amount: "12.345",
    });
    expect(badAmount.exitCode).to.equal(1);
    expect(badAmount.stderr).to.contain("more than two decimals");
    const refused = await runCli(["programme", "fund"], {
      from: await fromOf(a.outsider),
      deployment,
      programme: "1",
      amount: "1",
    });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr).to.contain("AccessManagedUnauthorized").and.to.contain("does not hold the role");
    expect((await suite.ledger.totalsOf(1n)).funded).to.equal(0n);
    // Under --json the failure is JSON on stdout too: the message, and the contract's error decoded.
    type Failure = {
      ok: boolean;
      error: { message: string; contractError?: { name: string; args: Record<string, string> } };
    };
    const asJson = await runCli(["programme", "fund"], {
      from: await fromOf(a.outsider),
      deployment,
      programme: "1",
      amount: "1",
      json: true,
    });
    expect(asJson.exitCode).to.equal(1);
    const failure = JSON.parse(asJson.stdout) as Failure;
    expect(failure.ok).to.equal(false);
    expect(failure.error.message).to.contain("does not hold the role");
    expect(failure.error.contractError?.name).to.equal("AccessManagedUnauthorized");
    expect(failure.error.contractError?.args.caller).to.equal(a.outsider.address);
    const badRun = await runCli(["programme", "fund"], {
      from: await fromOf(a.programmeAdmin),
      deployment,
      programme: "1",
      amount: "12.345",
      json: true,
    });
    const badJson = JSON.parse(badRun.stdout) as Failure;
    expect(badJson).to.deep.equal({ ok: false, error: { message: badAmount.stderr.replace(/^Error: /, "") } });
  });

  it("a deployment record whose contracts are not on this chain is named, for writers and auditors alike", async () => {
    const { suite, a } = await networkHelpers.loadFixture(cliWired);
    // The suite's record with its Disbursement moved to an address that holds no code (an EOA).
    const elsewhere = await deploymentFile({
      ...suite,
      addresses: { ...suite.addresses, disbursement: a.outsider.address },
    });
    const writer = await runCli(["programme", "show"], {
      from: await fromOf(a.programmeAdmin),
      deployment: elsewhere,
      programme: "1",
    });
    expect(writer.exitCode).to.equal(1);
    expect(writer.stderr)
      .to.contain(`no suite at ${a.outsider.address} (Disbursement) on chain 31337`)
      .and.to.contain("deploy first");
    const dir = await tempDir();
    const auditor = await runCli(["audit", "reconcile"], { deployment: elsewhere, db: path.join(dir, "audit.sqlite") });
    expect(auditor.exitCode).to.equal(1);
    expect(auditor.stderr).to.contain("no suite at").and.not.to.contain("balances");
    expect(existsSync(path.join(dir, "audit.sqlite")), "no index is made for a chain without the suite").to.equal(
      false,
    );
  });

  it("allocates with --dry-run (nothing sent) and for real, and shows balanced regions", async () => {
    const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
    const deployment = await deploymentFile(suite);
    const county = await fromOf(a.countyBureau);
    const before = (await suite.ledger.balanceOf(programmeId, TOWNSHIP)).received;
    const args = {
      from: county,
      deployment,
      programme: "1",
      fromRegion: String(COUNTY),
      toRegion: String(TOWNSHIP),
      amount: "100.00",
    };
    const dry = await runCli(["budget", "allocate"], { ...args, dryRun: true });
    expect(dry.exitCode).to.equal(0);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).received).to.equal(before);
    await runCli(["budget", "allocate"], args);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).received).to.equal(before + 10_000n);
    const rows = jsonOf<Array<{ balanced: boolean }>>(
      await runCli(["budget", "show"], {
        deployment,
        json: true,
        programme: "1",
        regions: [String(COUNTY), String(TOWNSHIP)],
      }),
    );
    expect(rows.map((r) => r.balanced)).to.deep.equal([true, true]);
  });

  it("governance changes run directly without a delay and are scheduled with one", async () => {
    const { suite, a, deployment } = await networkHelpers.loadFixture(cliWired);
    const grant = await runCli(["governance", "grant"], {
      from: "1",
      deployment,
      role: "bank",
      account: a.outsider.address,
      json: true,
    });
    expect(jsonOf(grant).kind).to.equal("executed");
    expect((await suite.manager.hasRole(Role.BANK, a.outsider.address))[0]).to.equal(true);
    // Give governance's GOVERNOR role a delay, then a directory change is scheduled, not executed.
    await suite.manager.connect(a.governance).grantRole(Role.GOVERNOR, a.governance.address, 3600);
    const bind = jsonOf<{ kind: string; target: string; data: string }>(
      await runCli(["governance", "bind-office"], {
        from: "1",
        deployment,
        kind: "bureau",
        region: "110101009000",
        account: a.objector.address,
        json: true,
      }),
    );
    expect(bind.kind).to.equal("scheduled");
    expect(await suite.directory.bureauOf(110101009000n)).to.equal("0x0000000000000000000000000000000000000000");
    const early = await runCli(["governance", "execute"], {
      from: "1",
      deployment,
      target: bind.target,
      data: bind.data,
    });
    expect(early.exitCode).to.equal(1);
    expect(early.stderr).to.contain("AccessManagerNotReady");
    await networkHelpers.time.increase(3600);
    expect(
      (await runCli(["governance", "execute"], { from: "1", deployment, target: bind.target, data: bind.data }))
        .exitCode,
    ).to.equal(0);
    expect(await suite.directory.bureauOf(110101009000n)).to.equal(a.objector.address);
    const office = await suite.directory.officeOf(a.objector.address);
    expect([office.kind, office.department, office.region]).to.deep.equal([
      BigInt(OfficeKind.Bureau),
      0n,
      110101009000n,
    ]);
  });

  it("the guardian pauses and resumes every writing contract in one transaction", async () => {
    const { suite, deployment } = await networkHelpers.loadFixture(cliWired);
    expect((await runCli(["governance", "pause"], { from: "1", deployment })).exitCode).to.equal(0);
    for (const c of [
      suite.directory,
      suite.programmes,
      suite.households,
      suite.ledger,
      suite.rosterBook,
      suite.disbursement,
    ]) {
      expect(await c.paused()).to.equal(true);
    }
    expect((await runCli(["governance", "pause"], { from: "1", deployment, resume: true })).exitCode).to.equal(0);
    expect(await suite.disbursement.paused()).to.equal(false);
  });
});
