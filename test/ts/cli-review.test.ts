/** The review (joint sign-off, seals) and publicity (objections) tasks, run in-process against the test chain. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { id, keccak256, toUtf8Bytes } from "ethers";

import { firstNonceFor } from "../../src/approvals.js";
import { buildBundle, bundleToJson, bundleTree, type RosterBundle } from "../../src/outputs/bundle.js";
import { Role } from "../../src/roles.js";
import { SEAL_FORMAT } from "../../src/workflow/seals.js";
import { OfficeKind, packStages } from "../../src/offices.js";
import {
  bindOffice,
  commitment,
  COUNTY,
  DAY,
  DEPT_CIVIL,
  DEPT_FINANCE,
  DEPT_RURAL,
  fundedSuite,
  networkHelpers,
  type Suite,
  terms,
  TOWNSHIP,
} from "./helpers/fixture.js";
import { deploymentFile, fromOf, jsonOf, runCli, tempDir } from "./helpers/cli.js";
import { approveAll, listAll, makeLines, submit } from "./helpers/rosters.js";

const State = { AwaitingSignOff: 1n, Rejected: 2n, InPublicity: 4n };
const Hold = { None: 0n, Frozen: 1n, Excluded: 2n };
/** The fixture's programme reviews by the county offices of departments 0, 1, 2, listed in that order. */
const STAGE_CIVIL = 0;
const STAGE_RURAL = 1;
const STAGE_FINANCE = 2;

function bundleOf(programmeId: bigint, lines: ReturnType<typeof makeLines>, label = "roster 1"): RosterBundle {
  return buildBundle({
    programmeId,
    region: TOWNSHIP,
    documentHash: id(`published list ${label}`),
    documentURI: `https://notice.example/${encodeURIComponent(label)}.csv`,
    lines: lines.map((l) => ({ ...l, commitment: commitment(Number(l.household)) })),
  });
}

/** A roster of 20 lines submitted from a bundle file, as the bureau's tooling would. */
async function submittedFromBundle() {
  const f = await fundedSuite();
  const deployment = await deploymentFile(f.suite);
  const dir = await tempDir();
  const lines = makeLines(20);
  const bundle = bundleOf(f.programmeId, lines);
  const bundleFile = path.join(dir, "roster-bundle.json");
  await writeFile(bundleFile, bundleToJson(bundle));
  await f.suite.rosterBook.connect(f.a.townshipBureau).submitRoster({
    programmeId: f.programmeId,
    region: TOWNSHIP,
    root: bundle.root,
    lineCount: bundle.lineCount,
    total: bundle.total,
    documentHash: bundle.documentHash,
    documentURI: bundle.documentURI,
  });
  // Its lines follow from the bundle; the last seals the roster, which then awaits sign-off.
  await listAll(f.suite, f.a.townshipBureau, 1n, bundleTree(bundle));
  return { ...f, deployment, bundle, bundleFile, lines, rosterId: 1n };
}

/** A roster of TOWNSHIP (id 1) under a programme whose three county stages run in order. */
async function orderedRoster() {
  const f = await fundedSuite();
  const { suite, a } = f;
  const reviewStages = packStages({
    stages: [DEPT_CIVIL, DEPT_RURAL, DEPT_FINANCE].map((department) => ({ department, level: 3 })),
    ordered: true,
  });
  await suite.programmes
    .connect(a.programmeAdmin)
    .createProgramme(id("EARMARK-ORDERED"), 202611, COUNTY, terms({ reviewStages }));
  const programmeId = await suite.programmes.programmeCount();
  await suite.ledger.connect(a.programmeAdmin).fundProgramme(programmeId, 1_000_000n);
  await suite.ledger.connect(a.countyBureau).allocate(programmeId, COUNTY, TOWNSHIP, 1_000_000n);
  const roster = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(5));
  return { ...f, programmeId, roster, deployment: await deploymentFile(suite) };
}

async function signedEvents(suite: Suite, rosterId: bigint) {
  return suite.rosterBook.queryFilter(suite.rosterBook.filters.RosterApproved(rosterId));
}

describe("CLI: review and publicity tasks", () => {
  it("approves by transaction, shows who is still missing, and rejects with a hashed reason", async () => {
    const { suite, a, deployment, rosterId, bundle } = await networkHelpers.loadFixture(submittedFromBundle);
    const base = { deployment, roster: "1" };

    const dry = await runCli(["review", "approve"], { ...base, from: await fromOf(a.deptCivil), dryRun: true });
    expect(dry.exitCode, dry.stderr).to.equal(0);
    expect((await suite.rosterBook.roster(rosterId)).approvals).to.equal(0n);

    const civil = jsonOf<{ stage: number; department: number; missing: number[] }>(
      await runCli(["review", "approve"], { ...base, from: await fromOf(a.deptCivil), json: true }),
    );
    expect(civil.stage).to.equal(STAGE_CIVIL);
    expect(civil.department).to.equal(DEPT_CIVIL);
    expect(civil.missing).to.deep.equal([STAGE_RURAL, STAGE_FINANCE]);
    expect((await runCli(["review", "approve"], { ...base, from: await fromOf(a.deptRural) })).exitCode).to.equal(0);
    expect((await suite.rosterBook.roster(rosterId)).approvals).to.equal(0b011n);

    // An account with no office is refused before anything is sent, with the offices that do review the roster.
    const sentBefore = await suite.rosterBook.runner!.provider!.getTransactionCount(a.outsider.address);
    const outsider = await runCli(["review", "approve"], { ...base, from: await fromOf(a.outsider) });
    expect(outsider.exitCode).to.equal(1);
    expect(outsider.stderr)
      .to.contain(
        `account ${a.outsider.address} holds no office, which reviews no stage of roster 1 (region ${TOWNSHIP})`,
      )
      .and.to.contain(
        `stage 3 (department 2 at county level): the reviewing office of department 2 at ${COUNTY} (county)`,
      );
    expect(await suite.rosterBook.runner!.provider!.getTransactionCount(a.outsider.address)).to.equal(sentBefore);
    // A stage's office without the reviewer role: the chain refuses it.
    await suite.manager.connect(a.governance).revokeRole(Role.REVIEWER, a.deptFinance.address);
    const noRole = await runCli(["review", "approve"], { ...base, from: await fromOf(a.deptFinance) });
    expect(noRole.exitCode).to.equal(1);
    expect(noRole.stderr).to.contain("AccessManagedUnauthorized").and.to.contain("does not hold the role");
    await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.deptFinance.address, 0);
    const twice = await runCli(["review", "approve"], { ...base, from: await fromOf(a.deptCivil) });
    expect(twice.exitCode).to.equal(1);
    expect(twice.stderr).to.contain("RosterBookAlreadyApproved");

    const show = jsonOf<{
      state: string;
      ordered: boolean;
      missing: number[];
      stages: Array<{
        stage: number;
        department: number;
        level: number;
        officeRegion: string | null;
        account: string;
        approved: boolean;
      }>;
      publicityEndsAt: string | null;
      totals: { total: string; remaining: string };
      lineCount: number;
    }>(await runCli(["review", "show"], { ...base, json: true }));
    expect(show.state).to.equal("AwaitingSignOff");
    expect(show.ordered).to.equal(false);
    expect(show.missing).to.deep.equal([STAGE_FINANCE]);
    const county = String(COUNTY);
    expect(show.stages).to.deep.equal([
      {
        stage: STAGE_CIVIL,
        department: DEPT_CIVIL,
        level: 3,
        officeRegion: county,
        account: a.deptCivil.address,
        approved: true,
      },
      {
        stage: STAGE_RURAL,
        department: DEPT_RURAL,
        level: 3,
        officeRegion: county,
        account: a.deptRural.address,
        approved: true,
      },
      {
        stage: STAGE_FINANCE,
        department: DEPT_FINANCE,
        level: 3,
        officeRegion: county,
        account: a.deptFinance.address,
        approved: false,
      },
    ]);
    expect(show.publicityEndsAt).to.equal(null);
    expect(show.totals.total).to.equal(bundle.total.toString());
    expect(show.totals.remaining).to.equal(bundle.total.toString());
    expect(show.lineCount).to.equal(20);
    const text = await runCli(["review", "show"], base);
    expect(text.stdout)
      .to.contain(`stage 3 department 2 at county ${COUNTY} MISSING`)
      .and.to.contain(`stage 1 department 0 at county ${COUNTY} approved`)
      .and.to.contain("waiting for stage 3")
      .and.to.contain("AwaitingSignOff");

    // A reason must be given, once.
    const noReason = await runCli(["review", "reject"], { ...base, from: await fromOf(a.deptFinance) });
    expect(noReason.exitCode).to.equal(1);
    expect(noReason.stderr).to.contain("--reason");
    const both = await runCli(["review", "reject"], {
      ...base,
      from: await fromOf(a.deptFinance),
      reason: "x",
      reasonFile: "reason.txt",
    });
    expect(both.exitCode).to.equal(1);
    expect(both.stderr).to.contain("not both");
    expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingSignOff);

    const reason = "第3行户籍地址与公示名单不符 (line 3 does not match the published list)";
    const rejected = jsonOf<{ reasonHash: string; released: string }>(
      await runCli(["review", "reject"], { ...base, from: await fromOf(a.deptFinance), reason, json: true }),
    );
    expect(rejected.reasonHash).to.equal(keccak256(toUtf8Bytes(reason)));
    expect(rejected.released).to.equal(bundle.total.toString());
    expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.Rejected);
    const [event] = await suite.rosterBook.queryFilter(suite.rosterBook.filters.RosterRejected(rosterId));
    expect(event?.args.reasonHash).to.equal(keccak256(toUtf8Bytes(reason)));
    expect(event?.args.department).to.equal(BigInt(DEPT_FINANCE));
    expect((await suite.ledger.balanceOf(1n, TOWNSHIP)).reserved).to.equal(0n);
  });

  it("seals of all three stages, relayed by an outsider, sign the roster off", async () => {
    const { suite, a, deployment, rosterId, bundle } = await networkHelpers.loadFixture(submittedFromBundle);
    const dir = await tempDir();
    const files: string[] = [];
    for (const [stage, signer] of [
      [STAGE_CIVIL, a.deptCivil],
      [STAGE_RURAL, a.deptRural],
      [STAGE_FINANCE, a.deptFinance],
    ] as const) {
      const out = path.join(dir, `seal-${stage}.json`);
      const signed = jsonOf<{ stage: number; nonce: string; signer: string }>(
        await runCli(["review", "sign"], {
          deployment,
          from: await fromOf(signer),
          roster: "1",
          out,
          validHours: "24",
          json: true,
        }),
      );
      expect(signed.stage).to.equal(stage);
      expect(signed.signer).to.equal(signer.address);
      expect(signed.nonce).to.equal(firstNonceFor(rosterId).toString());
      const file = JSON.parse(await readFile(out, "utf8")) as Record<string, unknown>;
      expect(file.format).to.equal(SEAL_FORMAT);
      expect(file.root).to.equal(bundle.root);
      expect(file.rosterBook).to.equal(suite.addresses.rosterBook);
      expect(file.chainId).to.equal("31337");
      expect(file.stage).to.equal(stage);
      expect(Object.keys(file)).to.deep.equal([
        "format",
        "chainId",
        "rosterBook",
        "rosterId",
        "root",
        "stage",
        "signer",
        "nonce",
        "deadline",
        "signature",
      ]);
      files.push(out);
    }
    // Sealing changes nothing on chain.
    expect((await suite.rosterBook.roster(rosterId)).approvals).to.equal(0n);
    // A seal file is never overwritten.
    const again = await runCli(["review", "sign"], {
      deployment,
      from: await fromOf(a.deptCivil),
      roster: "1",
      out: files[0],
    });
    expect(again.exitCode).to.equal(1);
    expect(again.stderr).to.contain("exists already");
    // Only the account of a stage's office can seal: not a bureau's, and never the submitter's.
    const bureau = await runCli(["review", "sign"], {
      deployment,
      from: await fromOf(a.countyBureau),
      roster: "1",
      out: path.join(dir, "bureau.json"),
    });
    expect(bureau.exitCode).to.equal(1);
    expect(bureau.stderr).to.contain(
      `holds the finance bureau of ${COUNTY} (county), which reviews no stage of roster 1`,
    );
    const submitter = await runCli(["review", "sign"], {
      deployment,
      from: await fromOf(a.townshipBureau),
      roster: "1",
      out: path.join(dir, "submitter.json"),
    });
    expect(submitter.exitCode).to.equal(1);
    expect(submitter.stderr).to.contain(`account ${a.townshipBureau.address} submitted roster 1 and may not review it`);
    // A reviewing office of a department that is no stage of the roster cannot seal it.
    await bindOffice(suite, a.objector.address, OfficeKind.Reviewer, COUNTY, 3);
    await suite.manager.connect(a.governance).grantRole(Role.REVIEWER, a.objector.address, 0);
    const unrequired = await runCli(["review", "sign"], {
      deployment,
      from: await fromOf(a.objector),
      roster: "1",
      out: path.join(dir, "dept3.json"),
    });
    expect(unrequired.exitCode).to.equal(1);
    expect(unrequired.stderr)
      .to.contain(
        `holds the reviewing office of department 3 at ${COUNTY} (county), which reviews no stage of roster 1 (region ${TOWNSHIP})`,
      )
      .and.to.contain(
        `stage 1 (department 0 at county level): the reviewing office of department 0 at ${COUNTY} (county)`,
      );

    const relayed = jsonOf<{ approved: number[]; state: string; missing: number[]; publicityEndsAt: string }>(
      await runCli(["review", "relay"], {
        deployment,
        from: await fromOf(a.outsider),
        roster: "1",
        seals: [...files].reverse(),
        json: true,
      }),
    );
    expect(relayed.approved).to.deep.equal([STAGE_CIVIL, STAGE_RURAL, STAGE_FINANCE]); // relayed in stage order
    expect(relayed.state).to.equal("InPublicity");
    expect(relayed.missing).to.deep.equal([]);
    expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.InPublicity);
    const r = await suite.rosterBook.roster(rosterId);
    expect(new Date(relayed.publicityEndsAt).getTime()).to.equal(Number(r.approvedAt + r.publicityPeriod) * 1000);
    const events = await signedEvents(suite, rosterId);
    expect(events.map((e) => e.args.signed)).to.deep.equal([true, true, true]);
    expect(events.map((e) => Number(e.args.stage))).to.deep.equal([STAGE_CIVIL, STAGE_RURAL, STAGE_FINANCE]);
    expect(new Set(events.map((e) => e.transactionHash)).size).to.equal(1);
    const tx = await suite.rosterBook.runner!.provider!.getTransaction(events[0]!.transactionHash);
    expect(tx?.from).to.equal(a.outsider.address);
    for (const dept of [a.deptCivil, a.deptRural, a.deptFinance]) {
      expect(await suite.rosterBook["nonces(address,uint192)"](dept.address, rosterId)).to.equal(
        firstNonceFor(rosterId) + 1n,
      );
    }
    // The roster left sign-off: nothing more to seal.
    const late = await runCli(["review", "sign"], {
      deployment,
      from: await fromOf(a.deptCivil),
      roster: "1",
      out: path.join(dir, "late.json"),
    });
    expect(late.exitCode).to.equal(1);
    expect(late.stderr).to.contain("is InPublicity, not AwaitingSignOff");
  });

  it("relay refuses an expired seal, a seal for another roster and a tampered file, naming each, and sends nothing", async () => {
    const { suite, a, programmeId, deployment, rosterId } = await networkHelpers.loadFixture(submittedFromBundle);
    await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(5, 100));
    const dir = await tempDir();
    const expired = path.join(dir, "civil-expired.json");
    const otherRoster = path.join(dir, "rural-roster-2.json");
    const tampered = path.join(dir, "finance-tampered.json");
    const sign = async (signer: typeof a.deptCivil, roster: string, out: string, validHours: string) => {
      const run = await runCli(["review", "sign"], { deployment, from: await fromOf(signer), roster, out, validHours });
      expect(run.exitCode, run.stderr).to.equal(0);
    };
    await sign(a.deptCivil, "1", expired, "1");
    await sign(a.deptRural, "2", otherRoster, "72");
    await sign(a.deptFinance, "1", tampered, "72");
    const file = JSON.parse(await readFile(tampered, "utf8")) as { deadline: string };
    file.deadline = (BigInt(file.deadline) + BigInt(30 * DAY)).toString(); // someone stretches the seal's validity
    await writeFile(tampered, JSON.stringify(file, null, 2));
    await networkHelpers.time.increase(2 * 3600);

    const relayer = await fromOf(a.outsider);
    const sentBefore = await suite.rosterBook.runner!.provider!.getTransactionCount(a.outsider.address);
    const all = await runCli(["review", "relay"], {
      deployment,
      from: relayer,
      roster: "1",
      seals: [expired, otherRoster, tampered],
    });
    expect(all.exitCode).to.equal(1);
    expect(all.stderr).to.contain("3 seals are refused; nothing was sent");
    expect(all.stderr).to.match(new RegExp(`${escape(expired)}: it expired at`));
    expect(all.stderr).to.contain(`${otherRoster}: it seals roster 2, not roster 1`);
    expect(all.stderr).to.contain(
      `${tampered}: the signature was not made by ${a.deptFinance.address} over the values in this file (the file was changed after signing)`,
    );
    // Each alone is refused too.
    for (const [seal, message] of [
      [expired, "expired"],
      [otherRoster, "not roster 1"],
      [tampered, "changed after signing"],
    ] as const) {
      const run = await runCli(["review", "relay"], { deployment, from: relayer, roster: "1", seals: [seal] });
      expect(run.exitCode).to.equal(1);
      expect(run.stderr).to.contain(message).and.to.contain("1 seal is refused");
    }
    expect(await suite.rosterBook.runner!.provider!.getTransactionCount(a.outsider.address)).to.equal(sentBefore);
    expect((await suite.rosterBook.roster(rosterId)).approvals).to.equal(0n);
    expect(await signedEvents(suite, rosterId)).to.have.length(0);
    expect(await suite.rosterBook["nonces(address,uint192)"](a.deptCivil.address, rosterId)).to.equal(
      firstNonceFor(rosterId),
    );

    // The roster-2 seal is good for roster 2.
    const ok = jsonOf<{ approved: number[]; missing: number[] }>(
      await runCli(["review", "relay"], { deployment, from: relayer, roster: "2", seals: [otherRoster], json: true }),
    );
    expect(ok.approved).to.deep.equal([STAGE_RURAL]);
    expect(ok.missing).to.deep.equal([STAGE_CIVIL, STAGE_FINANCE]);
    expect((await suite.rosterBook.roster(2n)).approvals).to.equal(1n << BigInt(STAGE_RURAL));
  });

  it("stages that run in order: approve and relay refuse a skipped stage, and relay sends seals in stage order", async () => {
    const { suite, a, deployment, roster } = await networkHelpers.loadFixture(orderedRoster);
    const rosterId = roster.rosterId;
    const base = { deployment, roster: String(rosterId) };
    const show = jsonOf<{ ordered: boolean; missing: number[] }>(
      await runCli(["review", "show"], { ...base, json: true }),
    );
    expect(show.ordered).to.equal(true);
    expect(show.missing).to.deep.equal([STAGE_CIVIL, STAGE_RURAL, STAGE_FINANCE]);
    expect((await runCli(["review", "show"], base)).stdout).to.contain("sign-off (stages in order)");

    // Stage 2 by transaction before stage 1: the chain refuses it.
    const early = await runCli(["review", "approve"], { ...base, from: await fromOf(a.deptRural) });
    expect(early.exitCode).to.equal(1);
    expect(early.stderr).to.contain(`RosterBookStageOutOfOrder(stage=${STAGE_RURAL})`);

    const dir = await tempDir();
    const sign = async (signer: typeof a.deptCivil, name: string) => {
      const out = path.join(dir, name);
      const run = await runCli(["review", "sign"], { ...base, from: await fromOf(signer), out, validHours: "24" });
      expect(run.exitCode, run.stderr).to.equal(0);
      return out;
    };
    const rural = await sign(a.deptRural, "rural.json");
    const finance = await sign(a.deptFinance, "finance.json");
    const relayer = await fromOf(a.outsider);
    const gap = await runCli(["review", "relay"], { ...base, from: relayer, seals: [finance, rural] });
    expect(gap.exitCode).to.equal(1);
    expect(gap.stderr).to.contain("2 seals are refused; nothing was sent");
    expect(gap.stderr).to.contain(
      `${rural}: the stages of roster ${rosterId} run in order, and stage 1 (department 0 at county level) has neither approved nor a seal here`,
    );
    expect(gap.stderr).to.contain(`${finance}: the stages of roster ${rosterId} run in order`);

    // Two seals of one stage: only one may be given.
    const civil = await sign(a.deptCivil, "civil.json");
    const civilAgain = await sign(a.deptCivil, "civil-again.json");
    const twins = await runCli(["review", "relay"], {
      ...base,
      from: relayer,
      seals: [civil, civilAgain, rural, finance],
    });
    expect(twins.exitCode).to.equal(1);
    expect(twins.stderr).to.contain(
      `${civilAgain}: ${civil} is a seal of the same stage 1 (department 0 at county level); give only one of them`,
    );
    expect((await suite.rosterBook.roster(rosterId)).approvals).to.equal(0n);

    // Every stage, listed in any order: relayed in stage order, so the chain accepts it.
    const relayed = jsonOf<{ approved: number[]; state: string; missing: number[] }>(
      await runCli(["review", "relay"], { ...base, from: relayer, seals: [finance, rural, civil], json: true }),
    );
    expect(relayed.approved).to.deep.equal([STAGE_CIVIL, STAGE_RURAL, STAGE_FINANCE]);
    expect(relayed.state).to.equal("InPublicity");
    expect(relayed.missing).to.deep.equal([]);
    const events = await signedEvents(suite, rosterId);
    expect(events.map((e) => Number(e.args.stage))).to.deep.equal([STAGE_CIVIL, STAGE_RURAL, STAGE_FINANCE]);
  });

  it("anyone objects to a line with hashed evidence; departments uphold and dismiss from the roster bundle", async () => {
    const { suite, a, deployment, rosterId, lines, bundleFile } = await networkHelpers.loadFixture(submittedFromBundle);
    await approveAll(suite, a, rosterId);
    const objector = await fromOf(a.objector);
    const evidence = "邻居反映该户已迁出 (the neighbours say this household moved away)";
    const dir = await tempDir();
    const evidenceFile = path.join(dir, "photo.jpg");
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    await writeFile(evidenceFile, photo);

    const dry = await runCli(["publicity", "object"], {
      deployment,
      from: objector,
      roster: "1",
      line: "4",
      evidence,
      dryRun: true,
    });
    expect(dry.exitCode, dry.stderr).to.equal(0);
    expect(await suite.rosterBook.lineHold(rosterId, 3)).to.equal(Hold.None);

    const o3 = jsonOf<{ evidenceHash: string }>(
      await runCli(["publicity", "object"], {
        deployment,
        from: objector,
        roster: "1",
        line: "4",
        evidence,
        json: true,
      }),
    );
    expect(o3.evidenceHash).to.equal(keccak256(toUtf8Bytes(evidence)));
    const o4 = await runCli(["publicity", "object"], {
      deployment,
      from: objector,
      roster: "1",
      line: "5",
      evidenceFile,
    });
    expect(o4.exitCode, o4.stderr).to.equal(0);
    expect(o4.stdout).to.contain(keccak256(photo));
    const objected = await suite.rosterBook.queryFilter(suite.rosterBook.filters.LineObjected(rosterId));
    expect(objected.map((e) => [Number(e.args.lineIndex), e.args.objector, e.args.evidenceHash])).to.deep.equal([
      [3, a.objector.address, keccak256(toUtf8Bytes(evidence))],
      [4, a.objector.address, keccak256(photo)],
    ]);
    expect(await suite.rosterBook.lineHold(rosterId, 3)).to.equal(Hold.Frozen);
    expect((await suite.rosterBook.roster(rosterId)).openObjections).to.equal(2n);
    const outOfRange = await runCli(["publicity", "object"], {
      deployment,
      from: objector,
      roster: "1",
      line: "21",
      evidence,
    });
    expect(outOfRange.exitCode).to.equal(1);
    expect(outOfRange.stderr).to.contain("out of range").and.to.contain("20 lines");

    const rural = await fromOf(a.deptRural);
    const neither = await runCli(["publicity", "resolve"], {
      deployment,
      from: rural,
      roster: "1",
      line: "4",
      bundle: bundleFile,
      reason: "r",
    });
    expect(neither.exitCode).to.equal(1);
    expect(neither.stderr).to.contain("exactly one of --uphold");
    const notFrozen = await runCli(["publicity", "resolve"], {
      deployment,
      from: rural,
      roster: "1",
      line: "6",
      bundle: bundleFile,
      dismiss: true,
      reason: "r",
    });
    expect(notFrozen.exitCode).to.equal(1);
    expect(notFrozen.stderr).to.contain("序号 6 of roster 1 has no open objection");

    const reason = "核实：该户2026年10月已迁出 (verified: moved away)";
    const excludedBefore = (await suite.ledger.balanceOf(1n, TOWNSHIP)).available;
    const upheld = jsonOf<{ upheld: boolean; released: string; reasonHash: string }>(
      await runCli(["publicity", "resolve"], {
        deployment,
        from: rural,
        roster: "1",
        line: "4",
        bundle: bundleFile,
        uphold: true,
        reason,
        json: true,
      }),
    );
    expect(upheld.upheld).to.equal(true);
    expect(upheld.released).to.equal(lines[3]!.amount.toString());
    expect(await suite.rosterBook.lineHold(rosterId, 3)).to.equal(Hold.Excluded);
    expect((await suite.rosterBook.roster(rosterId)).excluded).to.equal(lines[3]!.amount);
    expect((await suite.ledger.balanceOf(1n, TOWNSHIP)).available).to.equal(excludedBefore + lines[3]!.amount);

    const reasonFile = path.join(dir, "dismissal.txt");
    await writeFile(reasonFile, "实地核查，该户仍在本村居住。\n");
    const dismissed = await runCli(["publicity", "resolve"], {
      deployment,
      from: await fromOf(a.deptCivil),
      roster: "1",
      line: "5",
      bundle: bundleFile,
      dismiss: true,
      reasonFile,
    });
    expect(dismissed.exitCode, dismissed.stderr).to.equal(0);
    expect(await suite.rosterBook.lineHold(rosterId, 4)).to.equal(Hold.None);
    const resolved = await suite.rosterBook.queryFilter(suite.rosterBook.filters.ObjectionResolved(rosterId));
    expect(
      resolved.map((e) => [
        Number(e.args.lineIndex),
        e.args.household,
        e.args.upheld,
        Number(e.args.department),
        e.args.amount,
        e.args.reasonHash,
      ]),
    ).to.deep.equal([
      [3, lines[3]!.household, true, DEPT_RURAL, lines[3]!.amount, keccak256(toUtf8Bytes(reason))],
      [4, lines[4]!.household, false, DEPT_CIVIL, 0n, keccak256(await readFile(reasonFile))],
    ]);
    expect((await suite.rosterBook.roster(rosterId)).openObjections).to.equal(0n);

    // Several objections resolved in one transaction: all or nothing.
    for (const line of ["7", "8", "9"])
      await runCli(["publicity", "object"], { deployment, from: objector, roster: "1", line, evidence });
    const mixed = await runCli(["publicity", "resolve"], {
      deployment,
      from: rural,
      roster: "1",
      line: "7,10",
      bundle: bundleFile,
      dismiss: true,
      reason: "r",
    });
    expect(mixed.exitCode).to.equal(1);
    expect(mixed.stderr).to.contain("序号 10 of roster 1 has no open objection").and.to.contain("nothing was sent");
    expect(await suite.rosterBook.lineHold(rosterId, 6)).to.equal(Hold.Frozen);
    const many = jsonOf<{ lineIndices: number[]; seqs: number[]; txHash: string }>(
      await runCli(["publicity", "resolve"], {
        deployment,
        from: rural,
        roster: "1",
        line: "7, 8,9",
        bundle: bundleFile,
        dismiss: true,
        reason: "checked together",
        json: true,
      }),
    );
    expect(many.lineIndices).to.deep.equal([6, 7, 8]);
    expect(many.seqs).to.deep.equal([7, 8, 9]);
    const together = await suite.rosterBook.queryFilter(suite.rosterBook.filters.ObjectionResolved(rosterId));
    expect(
      together.filter((e) => e.transactionHash === many.txHash).map((e) => Number(e.args.lineIndex)),
    ).to.deep.equal([6, 7, 8]);
    expect((await suite.rosterBook.roster(rosterId)).openObjections).to.equal(0n);
  });

  it("resolve refuses a bundle that is not the roster's (root differs from the chain) or was edited", async () => {
    const { suite, a, programmeId, deployment, rosterId, bundleFile } =
      await networkHelpers.loadFixture(submittedFromBundle);
    await approveAll(suite, a, rosterId);
    await suite.rosterBook.connect(a.objector).objectToLine(rosterId, 2, id("evidence"));
    const dir = await tempDir();
    const other = bundleOf(
      programmeId,
      makeLines(20, 1, () => 60_000n),
      "another roster",
    );
    const otherFile = path.join(dir, "other-bundle.json");
    await writeFile(otherFile, bundleToJson(other));
    const from = await fromOf(a.deptRural);
    const wrong = await runCli(["publicity", "resolve"], {
      deployment,
      from,
      roster: "1",
      line: "3",
      bundle: otherFile,
      uphold: true,
      reason: "r",
    });
    expect(wrong.exitCode).to.equal(1);
    expect(wrong.stderr).to.contain(`has root ${other.root}`).and.to.contain("not this roster's bundle");

    const edited = JSON.parse(await readFile(bundleFile, "utf8")) as { lines: Array<{ amount: string }> };
    edited.lines[2]!.amount = "199999";
    const editedFile = path.join(dir, "edited-bundle.json");
    await writeFile(editedFile, JSON.stringify(edited));
    const tampered = await runCli(["publicity", "resolve"], {
      deployment,
      from,
      roster: "1",
      line: "3",
      bundle: editedFile,
      uphold: true,
      reason: "r",
    });
    expect(tampered.exitCode).to.equal(1);
    expect(tampered.stderr).to.contain("roster bundle:");

    expect(await suite.rosterBook.lineHold(rosterId, 2)).to.equal(Hold.Frozen);
    expect((await suite.rosterBook.roster(rosterId)).excluded).to.equal(0n);
    expect(await suite.rosterBook.queryFilter(suite.rosterBook.filters.ObjectionResolved(rosterId))).to.have.length(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
