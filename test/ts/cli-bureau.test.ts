/**
 * The finance bureau's path through the tasks, from a spreadsheet to payouts: households
 * registered from the roster file, the roster validated and submitted with its documents, a bad
 * roster refused with every problem listed and nothing on chain, and a killed payout run resumed
 * without paying anyone twice.
 */
import { existsSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { keccak256 } from "ethers";

import { planPayout } from "../../src/chain/payout-plan.js";
import { sendPayouts } from "../../src/chain/payout-send.js";
import { bundleFromJson, bundleTree } from "../../src/outputs/index.js";
import { assertValidRoster, readRosterFile, syntheticIdNumber } from "../../src/roster/index.js";
import { secretCheck } from "../../src/privacy/secret.js";
import { prepareHouseholds, withPersonTags } from "../../src/workflow/households.js";
import { OfficeKind } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import {
  bindOffice,
  COUNTY,
  DAY,
  ethers,
  fundedSuite,
  networkHelpers,
  PUBLICITY,
  TOWNSHIP,
  TOWNSHIP_B,
} from "./helpers/fixture.js";
import { deploymentFile, fromOf, jsonOf, runCli, tempDir } from "./helpers/cli.js";
import { approveAll, sealedFromBundle } from "./helpers/rosters.js";

// A fixed test secret (never a real one): 32 bytes that are not a repeated placeholder.
const SECRET = keccak256(Buffer.from("test-only bureau secret")).slice(2);
const DEDUP_KEY = keccak256(Buffer.from("test-only deduplication key")).slice(2);
const VILLAGE = TOWNSHIP + 1n; // a village of the township

/** A roster CSV as a bureau exports it: UTF-8 with BOM, CRLF, Chinese headers, yuan amounts. */
function rosterCsv(count: number, first = 0, overrides: Record<number, string> = {}): string {
  const rows = ["身份证号,姓名,村,金额（元）"];
  for (let i = 0; i < count; i++) {
    const n = first + i;
    rows.push(overrides[i] ?? `${syntheticIdNumber(n)},测试${n},${VILLAGE},"1,${String(n % 9)}00.50"`);
  }
  return `\uFEFF${rows.join("\r\n")}\r\n`;
}

async function bureauSetup() {
  const f = await fundedSuite();
  const dir = await tempDir();
  const deployment = await deploymentFile(f.suite);
  const file = path.join(dir, "roster.csv");
  await writeFile(file, rosterCsv(300));
  return { ...f, dir, deployment, file };
}

describe("CLI: the bureau's roster path", () => {
  before(() => {
    process.env.BUREAU_SECRET = SECRET;
    process.env.DEDUP_KEY = DEDUP_KEY;
  });
  after(() => {
    delete process.env.BUREAU_SECRET;
    delete process.env.DEDUP_KEY;
  });

  it("registers a roster's households from the file, and a rerun registers nobody twice", async () => {
    const { suite, a, deployment, file } = await networkHelpers.loadFixture(bureauSetup);
    const before = await suite.households.householdCount();
    const civil = await fromOf(a.civilAffairs);
    const first = jsonOf<{ registered: number; alreadyRegistered: number }>(
      await runCli(["households", "register"], {
        from: civil,
        deployment,
        json: true,
        roster: file,
        attestation: "civil affairs batch 7",
      }),
    );
    expect(first).to.include({ registered: 300, alreadyRegistered: 0 });
    expect(await suite.households.householdCount()).to.equal(before + 300n);
    const again = jsonOf<{ registered: number; alreadyRegistered: number }>(
      await runCli(["households", "register"], {
        from: civil,
        deployment,
        json: true,
        roster: file,
        attestation: "civil affairs batch 7",
      }),
    );
    expect(again).to.include({ registered: 0, alreadyRegistered: 300 });
    expect(await suite.households.householdCount()).to.equal(before + 300n);
  });

  it("checks the bureau secret against the one the region's households were registered with, before anything is derived, sent or written", async () => {
    const { suite, a, deployment, file } = await networkHelpers.loadFixture(bureauSetup);
    const civil = await fromOf(a.civilAffairs);
    expect(await suite.households.secretCheckOf(TOWNSHIP)).to.equal(ethers.ZeroHash);
    await runCli(["households", "register"], { from: civil, deployment, roster: file, attestation: "batch 1" });
    // The first registration in the township recorded which secret its commitments come from.
    expect(await suite.households.secretCheckOf(TOWNSHIP)).to.equal(secretCheck(SECRET));
    const count = await suite.households.householdCount();
    // A new terminal, a secret made afresh: refused at once, naming the region, for every command.
    process.env.BUREAU_SECRET = "ab".repeat(31) + "cd";
    const out = await tempDir();
    try {
      const runs = [
        await runCli(["households", "register"], {
          from: civil,
          deployment,
          roster: file,
          attestation: "b2",
          dryRun: true,
        }),
        await runCli(["households", "register"], { from: civil, deployment, roster: file, attestation: "b2" }),
        await runCli(["roster", "submit"], {
          from: await fromOf(a.townshipBureau),
          deployment,
          programme: "1",
          region: String(TOWNSHIP),
          roster: file,
          out,
          documentUri: "https://notice.example/x.csv",
        }),
      ];
      for (const run of runs) {
        expect(run.exitCode).to.equal(1);
        expect(run.stderr.trim().split("\n")).to.have.length(1);
        expect(run.stderr)
          .to.contain(
            `BUREAU_SECRET is not the bureau secret the households of region ${TOWNSHIP} were registered with`,
          )
          .and.to.contain("npx hardhat keystore set BUREAU_SECRET")
          .and.to.contain("Nothing was sent or written");
      }
      expect(await suite.households.householdCount()).to.equal(count);
      expect(await suite.rosterBook.rosterCount()).to.equal(0n);
      expect(existsSync(path.join(out, "household-notices.PRIVATE.csv")), "no private file").to.equal(false);
    } finally {
      process.env.BUREAU_SECRET = SECRET;
    }
  });

  it("refuses to register the same people under another bureau secret where no check was kept, in one line, sending nothing", async () => {
    const { suite, a, deployment, file } = await networkHelpers.loadFixture(bureauSetup);
    const civil = await fromOf(a.civilAffairs);
    // Registered before the register kept secret checks (straight through the contract): only the
    // people's tags can tell that a new secret's commitments are the same people.
    const entries = assertValidRoster(await readRosterFile(file, {}));
    const people = withPersonTags(prepareHouseholds(entries, SECRET), DEDUP_KEY);
    for (const batch of [people.slice(0, 150), people.slice(150)])
      await suite.households.connect(a.civilAffairs).registerHouseholds(
        TOWNSHIP,
        batch.map((p) => p.commitment),
        batch.map((p) => p.personTag),
        ethers.id("batch 1"),
      );
    const count = await suite.households.householdCount();
    // The bureau lost its secret and made a new one: every commitment is new, every person is not.
    process.env.BUREAU_SECRET = "ab".repeat(31) + "cd";
    try {
      for (const dryRun of [true, false]) {
        const run = await runCli(["households", "register"], {
          from: civil,
          deployment,
          roster: file,
          attestation: "batch 2",
          dryRun,
        });
        expect(run.exitCode).to.equal(1);
        expect(run.stderr.trim().split("\n")).to.have.length(1);
        expect(run.stderr).to.contain(
          "300 of 300 people are registered already under other commitments (line 2 as household ",
        );
        expect(run.stderr).to.contain("the BUREAU_SECRET in use differs from the one they were registered with");
        expect(run.stderr).to.contain("Nothing was sent");
      }
      expect(await suite.households.householdCount()).to.equal(count);
      expect(await suite.households.secretCheckOf(TOWNSHIP), "a refused run records no check").to.equal(
        ethers.ZeroHash,
      );
      // Submitting with the wrong secret finds no registered household, and says why that may be.
      const submit = await runCli(["roster", "submit"], {
        from: await fromOf(a.townshipBureau),
        deployment,
        programme: "1",
        region: String(TOWNSHIP),
        roster: file,
        out: await tempDir(),
        documentUri: "https://notice.example/x.csv",
      });
      expect(submit.exitCode).to.equal(1);
      expect(submit.stdout).to.contain("holds no check of its bureau secret");
      expect(submit.stderr)
        .to.contain("300 household(s) of this roster are not registered")
        .and.to.contain("this BUREAU_SECRET differs from the one used then");
      expect(await suite.rosterBook.rosterCount()).to.equal(0n);
    } finally {
      process.env.BUREAU_SECRET = SECRET;
    }
  });

  it("rotates the bureau secret on purpose: households keep their ids and take the new commitments (households recommit)", async () => {
    const { suite, a, deployment, file } = await networkHelpers.loadFixture(bureauSetup);
    const civil = await fromOf(a.civilAffairs);
    await runCli(["households", "register"], { from: civil, deployment, roster: file, attestation: "batch 1" });
    const count = await suite.households.householdCount();
    const NEW_SECRET = "5a".repeat(31) + "c3";
    const entries = assertValidRoster(await readRosterFile(file, {}));
    const oldCommitments = prepareHouseholds(entries, SECRET).map((h) => h.commitment);
    const newCommitments = prepareHouseholds(entries, NEW_SECRET).map((h) => h.commitment);
    const ids = await Promise.all(oldCommitments.map((c) => suite.households.householdIdOf(c)));
    process.env.BUREAU_SECRET = NEW_SECRET;
    try {
      // The wrong previous secret matches nobody: refused, nothing sent.
      process.env.PREVIOUS_BUREAU_SECRET = "77".repeat(31) + "01";
      const wrong = await runCli(["households", "recommit"], {
        from: civil,
        deployment,
        roster: file,
        reason: "rotation",
      });
      expect(wrong.exitCode).to.equal(1);
      expect(wrong.stderr).to.contain(
        `PREVIOUS_BUREAU_SECRET is not the bureau secret the households of region ${TOWNSHIP} were registered with`,
      );
      process.env.PREVIOUS_BUREAU_SECRET = SECRET;
      const dry = jsonOf<{ toReplace: number }>(
        await runCli(["households", "recommit"], {
          from: civil,
          deployment,
          roster: file,
          reason: "rotation",
          dryRun: true,
          json: true,
        }),
      );
      expect(dry.toReplace).to.equal(300);
      expect(await suite.households.householdIdOf(newCommitments[0]!)).to.equal(0n);
      const run = jsonOf<{ recommitted: number }>(
        await runCli(["households", "recommit"], {
          from: civil,
          deployment,
          roster: file,
          reason: "rotation",
          json: true,
        }),
      );
      expect(run.recommitted).to.equal(300);
      for (const [i, c] of newCommitments.entries()) {
        if (i % 50 !== 0) continue;
        expect(await suite.households.householdIdOf(c)).to.equal(ids[i]);
        expect(await suite.households.householdIdOf(oldCommitments[i]!)).to.equal(0n);
      }
      expect(await suite.households.householdCount()).to.equal(count);
      // Rerun: nothing left to do; registering under the new secret finds everyone registered.
      const again = jsonOf<{ recommitted: number; done: number }>(
        await runCli(["households", "recommit"], {
          from: civil,
          deployment,
          roster: file,
          reason: "rotation",
          json: true,
        }),
      );
      expect(again).to.include({ recommitted: 0, done: 300 });
      const registered = jsonOf<{ registered: number; alreadyRegistered: number }>(
        await runCli(["households", "register"], {
          from: civil,
          deployment,
          roster: file,
          attestation: "batch 2",
          json: true,
        }),
      );
      expect(registered).to.include({ registered: 0, alreadyRegistered: 300 });
    } finally {
      process.env.BUREAU_SECRET = SECRET;
      delete process.env.PREVIOUS_BUREAU_SECRET;
    }
  });

  it("registers each household in its village's township, only by an office covering it; a roster of another township cannot list them", async () => {
    const { suite, a, deployment, file, dir } = await networkHelpers.loadFixture(bureauSetup);
    // Township B's civil-affairs office cannot register the file's households, all of township A: one line, nothing sent.
    await suite.manager.connect(a.governance).grantRole(Role.CIVIL_AFFAIRS, a.outsider.address, 0);
    await bindOffice(suite, a.outsider.address, OfficeKind.CivilAffairs, TOWNSHIP_B);
    const count = await suite.households.householdCount();
    const refused = await runCli(["households", "register"], {
      from: await fromOf(a.outsider),
      deployment,
      roster: file,
      attestation: "batch",
    });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr.trim().split("\n")).to.have.length(1);
    expect(refused.stderr)
      .to.contain(
        `the civil-affairs office of ${TOWNSHIP_B}, cannot register households of ${TOWNSHIP} (300 household(s), first at line 2)`,
      )
      .and.to.contain("Nothing was sent");
    expect(await suite.households.householdCount()).to.equal(count);
    // The county's office registers them, in township A (the village's township), after its 600.
    await runCli(["households", "register"], {
      from: await fromOf(a.civilAffairs),
      deployment,
      roster: file,
      attestation: "batch",
    });
    expect([
      await suite.households.regionOf(601n),
      await suite.households.regionOf(900n),
      await suite.households.blockCount(),
    ]).to.deep.equal([TOWNSHIP, TOWNSHIP, 4n]);
    // They moved to a village of township B: its roster of them is refused before anything is sent
    // (a household stays in the region that registered it; rosters of township A or above pay it).
    const moved = path.join(dir, "moved.csv");
    await writeFile(moved, rosterCsv(300).replaceAll(`,${VILLAGE},`, `,${TOWNSHIP_B + 1n},`));
    const run = await runCli(["roster", "submit"], {
      from: await fromOf(a.townshipBBureau),
      deployment,
      programme: "1",
      region: String(TOWNSHIP_B),
      roster: moved,
      out: dir,
      documentUri: "https://notice.example/x.csv",
    });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.contain(
      `300 household(s) of this roster were registered outside region ${TOWNSHIP_B} (line 2 in ${TOWNSHIP}`,
    );
    expect(await suite.rosterBook.rosterCount()).to.equal(0n);
  });

  it("households register needs the registering office's deduplication key, and says how to set it", async () => {
    const { a, deployment, file } = await networkHelpers.loadFixture(bureauSetup);
    delete process.env.DEDUP_KEY;
    // No key anywhere: Hardhat's keystores are not read under CI, so a key a developer keeps in the
    // development keystore (as the README's walkthrough does) does not hide the message.
    const ci = process.env.CI;
    process.env.CI = "true";
    try {
      const run = await runCli(["households", "register"], {
        from: await fromOf(a.civilAffairs),
        deployment,
        roster: file,
        attestation: "batch",
      });
      expect(run.exitCode).to.equal(1);
      expect(run.stderr).to.contain("no deduplication key").and.to.contain("npx hardhat keystore set DEDUP_KEY");
    } finally {
      process.env.DEDUP_KEY = DEDUP_KEY;
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });

  it("submits a roster: dry run sends nothing; the real run writes bundle, published list and notices, and the chain holds their hashes", async () => {
    const { suite, a, deployment, file, dir, programmeId } = await networkHelpers.loadFixture(bureauSetup);
    await runCli(["households", "register"], {
      from: await fromOf(a.civilAffairs),
      deployment,
      roster: file,
      attestation: "batch",
    });
    const args = {
      from: await fromOf(a.townshipBureau),
      deployment,
      json: true,
      programme: "1",
      region: String(TOWNSHIP),
      roster: file,
      out: dir,
      documentUri: "https://notice.example/township-1.csv",
    };
    const written = ["roster-bundle.json", "published-list.csv", "household-notices.PRIVATE.csv"].map((f) =>
      path.join(dir, f),
    );
    const anyWritten = () => written.some((f) => existsSync(f));
    const dry = await runCli(["roster", "submit"], { ...args, dryRun: true });
    expect(jsonOf(dry).dryRun).to.equal(true);
    expect(await suite.rosterBook.rosterCount()).to.equal(0n);
    expect(anyWritten(), "a dry run writes no file").to.equal(false);
    // A submission the chain refuses (not the region's bureau) leaves no file behind either.
    const refused = await runCli(["roster", "submit"], { ...args, from: await fromOf(a.outsider) });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr).to.contain("the contract refused");
    expect(anyWritten(), "a refused submission writes no file").to.equal(false);
    const badChunk = await runCli(["roster", "submit"], { ...args, chunkSize: "5001" });
    expect(badChunk.stderr).to.contain("--chunk-size must be 1 … 5000 lines per transaction, got 5001");
    expect(await suite.rosterBook.rosterCount()).to.equal(0n);
    // 300 lines, 128 per transaction: three transactions of lines after the submission.
    const result = jsonOf<{ rosterId: string; root: string; total: string; transactions: number; listedNow: number }>(
      await runCli(["roster", "submit"], { ...args, chunkSize: "128" }),
    );
    expect(result.rosterId).to.equal("1");
    expect([result.listedNow, result.transactions]).to.deep.equal([300, 3]);
    const onChain = await suite.rosterBook.roster(1n);
    const bundle = bundleFromJson(await readFile(path.join(dir, "roster-bundle.json"), "utf8"));
    expect(onChain.root).to.equal(bundle.root);
    expect(onChain.lineCount).to.equal(300n);
    expect(onChain.total).to.equal(bundle.total);
    // The amounts were typed in yuan with thousands separators: "1,000.50" … "1,800.50".
    expect(bundle.lines[0]!.amount).to.equal(100_050n);
    // The published list's bytes hash to what is on chain; it shows masked names, no ID numbers.
    const list = await readFile(path.join(dir, "published-list.csv"));
    expect(keccak256(list)).to.equal(onChain.documentHash);
    const text = list.toString("utf8");
    expect(text).to.contain("测*").and.not.contain(syntheticIdNumber(0));
    // The notices (private) carry each household's query code, readable by the owner only.
    expect(
      (await readFile(path.join(dir, "household-notices.PRIVATE.csv"), "utf8")).split("\r\n").length,
    ).to.be.greaterThan(300);
    expect((await stat(path.join(dir, "household-notices.PRIVATE.csv"))).mode & 0o777).to.equal(0o600);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reserved).to.equal(bundle.total);
  });

  it("refuses a roster with bad lines: every problem listed with its line, nothing on chain", async () => {
    const { suite, a, deployment, dir } = await networkHelpers.loadFixture(bureauSetup);
    const bad = path.join(dir, "bad.csv");
    await writeFile(
      bad,
      rosterCsv(6, 0, {
        1: `${syntheticIdNumber(1).slice(0, 17)}0,测试1,${VILLAGE},100.00`, // wrong check digit (unless it happens to be 0)
        2: `${syntheticIdNumber(2)},测试2,${VILLAGE},12.345`, // three decimals
        3: `${syntheticIdNumber(3)},=HYPERLINK("x"),${VILLAGE},100.00`, // formula-like cell
        4: `${syntheticIdNumber(0)},测试0重复,${VILLAGE},100.00`, // duplicate household (same ID as line 2 of the file)
        5: `${syntheticIdNumber(5)},测试5,${VILLAGE},5000.00`, // above the 2,000.00 cap
      }),
    );
    const householdsBefore = await suite.households.householdCount();
    const run = await runCli(["roster", "submit"], {
      from: await fromOf(a.townshipBureau),
      deployment,
      programme: "1",
      region: String(TOWNSHIP),
      roster: bad,
      out: dir,
      documentUri: "https://notice.example/x.csv",
    });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.contain("nothing was sent to the chain");
    for (const line of ["line 4", "line 5", "line 6", "line 7"]) expect(run.stderr).to.contain(line);
    expect(run.stderr)
      .to.match(/amount/)
      .and.to.match(/name/)
      .and.to.match(/idNumber|ID number/i);
    expect(await suite.rosterBook.rosterCount()).to.equal(0n);
    expect(await suite.households.householdCount()).to.equal(householdsBefore);
    const reg = await runCli(["households", "register"], {
      from: await fromOf(a.civilAffairs),
      deployment,
      roster: bad,
      attestation: "x",
    });
    expect(reg.exitCode).to.equal(1);
    expect(await suite.households.householdCount()).to.equal(householdsBefore);
  });

  it("refuses to submit while households are unregistered, naming their lines", async () => {
    const { suite, a, deployment, file, dir } = await networkHelpers.loadFixture(bureauSetup);
    const run = await runCli(["roster", "submit"], {
      from: await fromOf(a.townshipBureau),
      deployment,
      programme: "1",
      region: String(TOWNSHIP),
      roster: file,
      out: dir,
      documentUri: "https://notice.example/x.csv",
    });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.contain("not registered").and.to.contain("households register");
    expect(await suite.rosterBook.rosterCount()).to.equal(0n);
  });

  it("says first what the chain knows without the households: the wrong bureau, an unknown programme", async () => {
    const { suite, a, deployment, file, dir } = await networkHelpers.loadFixture(bureauSetup);
    const args = { deployment, programme: "1", region: String(TOWNSHIP), roster: file, out: dir, documentUri: "u" };
    // Township B's bureau submitting for township A hears that it is not A's bureau, not that the
    // (unregistered) households are missing.
    const otherBureau = await runCli(["roster", "submit"], { ...args, from: await fromOf(a.townshipBBureau) });
    expect(otherBureau.exitCode).to.equal(1);
    expect(otherBureau.stderr).to.contain("RosterBookNotRegionBureau").and.not.to.contain("not registered");
    // An unknown programme is named as such, not as every amount above a cap of 0.00 yuan.
    const unknown = await runCli(["roster", "submit"], {
      ...args,
      programme: "99",
      from: await fromOf(a.townshipBureau),
    });
    expect(unknown.exitCode).to.equal(1);
    expect(unknown.stderr).to.contain("ProgrammeRegistryUnknownProgramme").and.not.to.contain("cap");
    expect(await suite.rosterBook.rosterCount()).to.equal(0n);
  });

  it("a payout run killed part-way is resumed by running it again: everyone paid exactly once", async () => {
    const { suite, a, deployment, file, dir, programmeId } = await networkHelpers.loadFixture(bureauSetup);
    await runCli(["households", "register"], {
      from: await fromOf(a.civilAffairs),
      deployment,
      roster: file,
      attestation: "batch",
    });
    const bureau = await fromOf(a.townshipBureau);
    await runCli(["roster", "submit"], {
      from: bureau,
      deployment,
      programme: "1",
      region: String(TOWNSHIP),
      roster: file,
      out: dir,
      documentUri: "u",
    });
    const bundlePath = path.join(dir, "roster-bundle.json");
    expect(await sealedFromBundle(suite, bundlePath)).to.equal(1n);
    await approveAll(suite, a, 1n);
    // One household dies during publicity; one line is frozen by an objection.
    const bundle = bundleFromJson(await readFile(bundlePath, "utf8"));
    await suite.households.connect(a.civilAffairs).suspendHousehold(bundle.lines[7]!.household, 0, keccak256("0x01"));
    await suite.rosterBook.connect(a.objector).objectToLine(1n, 9, keccak256("0x02"));
    await networkHelpers.time.increase(PUBLICITY + DAY);

    // A dry run says how the lines would go, and sends nothing.
    const dry = jsonOf<{
      dryRun: boolean;
      toPay: number;
      transactions: Array<{ lines: number; first: number; last: number }>;
    }>(
      await runCli(["payout", "record"], {
        from: await fromOf(a.disburser),
        deployment,
        json: true,
        roster: "1",
        bundle: bundlePath,
        chunkSize: "64",
        dryRun: true,
      }),
    );
    expect(dry.toPay).to.equal(298);
    expect(dry.transactions.map((t) => t.lines)).to.deep.equal([64, 64, 64, 64, 42]);
    expect(dry.transactions[0]!.first).to.equal(0);
    expect(dry.transactions.at(-1)!.last).to.equal(299);
    expect((await suite.rosterBook.roster(1n)).paid).to.equal(0n);

    // The first run dies after its second chunk (the process is killed: nothing after it runs).
    const disburser = await ethers.getSigner(a.disburser.address);
    const plan = await planPayout(suite, 1n, bundle);
    const killed = new Error("killed");
    let chunks = 0;
    await sendPayouts(suite, disburser, plan, bundleTree(bundle), {
      chunkSize: 50,
      onProgress: () => {
        if (++chunks === 2) throw killed;
      },
    }).catch((e: unknown) => {
      if (e !== killed) throw e;
    });
    expect((await suite.rosterBook.roster(1n)).paid).to.be.greaterThan(0n);

    // Rerun the task: it pays what is left, skips the two unpayable lines, and pays nobody twice.
    const rerun = jsonOf<{ paidLines: number; alreadyPaid: number; skipped: Array<{ line: number; reason: string }> }>(
      await runCli(["payout", "record"], {
        from: await fromOf(a.disburser),
        deployment,
        json: true,
        roster: "1",
        bundle: bundlePath,
        chunkSize: "64",
      }),
    );
    expect(rerun.alreadyPaid).to.equal(100);
    expect(rerun.paidLines).to.equal(300 - 100 - 2);
    expect(rerun.skipped.map((s) => [s.line, s.reason])).to.deep.equal([
      [7, "household-suspended"],
      [9, "objection-hold"],
    ]);
    const expectedPaid = bundle.lines.filter((l) => l.index !== 7 && l.index !== 9).reduce((s, l) => s + l.amount, 0n);
    expect((await suite.rosterBook.roster(1n)).paid).to.equal(expectedPaid);
    expect((await suite.ledger.totalsOf(programmeId)).paid).to.equal(expectedPaid);
    // A third run finds nothing left to pay.
    const third = await runCli(["payout", "record"], {
      from: await fromOf(a.disburser),
      deployment,
      roster: "1",
      bundle: bundlePath,
    });
    expect(third.stdout).to.contain("nothing left to pay");
    expect((await suite.rosterBook.roster(1n)).paid).to.equal(expectedPaid);
    expect(COUNTY).to.equal(110101000000n);
  });
});
