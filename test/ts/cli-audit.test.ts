/**
 * The auditor's tasks, run in-process against the test chain the way an auditor runs them (no
 * signing account): index, reconcile (balanced, and failing on a tampered database with the node
 * named), anomalies (each found in a constructed scenario, none in a clean one), trace, export.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { encodeBytes32String, id, ZeroHash, keccak256, toUtf8Bytes } from "ethers";

import { paidBatchesOf } from "../../src/chain/batches.js";
import { findAnomalies } from "../../src/audit/index.js";
import { IndexDatabase } from "../../src/indexer/index.js";
import { formatFen } from "../../src/money.js";
import { batchProof, lineProof, packLine, type RosterLine } from "../../src/lines.js";
import { OfficeKind } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import {
  CAP,
  commitment,
  COUNTY,
  type Actors,
  ethers,
  fundedSuite,
  networkHelpers,
  personTagsOf,
  PUBLICITY,
  type Suite,
  terms,
  TOWNSHIP,
  TOWNSHIP_B,
} from "./helpers/fixture.js";
import { deploymentFile, jsonOf, runCli, tempDir } from "./helpers/cli.js";
import { approveAll, makeLines, submit, type SubmittedRoster } from "./helpers/rosters.js";

const HOUR = 3600;
const DAY = 24 * HOUR;
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

async function pay(suite: Suite, by: Actors["disburser"], roster: SubmittedRoster, indices: number[]) {
  const b = batchProof(roster.tree, indices);
  return (await suite.disbursement.connect(by).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof)).wait();
}

const ref = (rosterId: bigint, line: number) => keccak256(toUtf8Bytes(`BANK-${rosterId}-${line}`));

/** Submitted, approved an hour later (no department rushes), publicity waited out. */
async function reviewed(
  suite: Suite,
  a: Actors,
  programmeId: bigint,
  region: bigint,
  lines: RosterLine[],
  bureau = a.townshipBureau,
) {
  const roster = await submit(suite, bureau, programmeId, region, lines);
  await networkHelpers.time.increase(HOUR);
  await approveAll(suite, a, roster.rosterId);
  return roster;
}

/**
 * The whole life of a fund, done properly: allocation and a reclaim, a roster with one objection
 * upheld and one dismissed, payouts in two batches, the bank confirming all but two lines (returned,
 * and not paid again before the life ends), one confirmed line reversed, the roster closed; a second
 * roster partly paid and closed, its unpaid lines dropped with a reason and a co-signature.
 */
async function cleanLife() {
  const f = await fundedSuite();
  const { suite, a, programmeId } = f;
  await suite.ledger.connect(a.countyBureau).reclaim(programmeId, COUNTY, TOWNSHIP_B, 1_000_000n);

  const r1 = await reviewed(suite, a, programmeId, TOWNSHIP, makeLines(60));
  await suite.rosterBook.connect(a.objector).objectToLine(r1.rosterId, 59, id("evidence: moved away"));
  await suite.rosterBook.connect(a.objector).objectToLine(r1.rosterId, 58, id("evidence: income"));
  const line = (i: number) => r1.lines[i]!;
  await suite.rosterBook
    .connect(a.deptCivil)
    .resolveObjection(r1.rosterId, line(59), lineProof(r1.tree, 59), true, id("upheld"));
  await suite.rosterBook
    .connect(a.deptRural)
    .resolveObjection(r1.rosterId, line(58), lineProof(r1.tree, 58), false, id("dismissed"));
  await networkHelpers.time.increase(PUBLICITY);
  await pay(suite, a.disburser, r1, range(0, 30));
  await pay(suite, a.disburser, r1, range(30, 29));
  const returned = [7, 40];
  const confirmed = range(0, 59).filter((i) => !returned.includes(i));
  await suite.disbursement.connect(a.bank).confirmPayouts(
    r1.rosterId,
    confirmed,
    confirmed.map((i) => ref(r1.rosterId, i)),
  );
  const paid = await paidBatchesOf(suite, r1.rosterId);
  for (const i of returned) {
    const rec = paid.get(i)!;
    await suite.disbursement
      .connect(a.bank)
      .returnPayouts(r1.rosterId, rec.batch, [rec.position], [rec.line], [ref(r1.rosterId, i)]);
  }
  const wrong = paid.get(3)!;
  await suite.disbursement
    .connect(a.disburser)
    .requestReversal(r1.rosterId, wrong.batch, wrong.position, wrong.line, id("paid to the wrong household"));
  await suite.disbursement.connect(a.deptFinance).approveReversal(1n);
  await suite.disbursement.connect(a.bank).recordRecoveries([1n], [id("recovered from the card")]);
  // Every line was paid (two of them returned): nothing is dropped, so the bureau closes alone.
  await suite.rosterBook.connect(a.townshipBureau).closeRoster(r1.rosterId, ZeroHash);

  // Township B's own households (the fixture's 600 are township A's): ids from 768, block 3.
  const own = Array.from({ length: 20 }, (_, i) => commitment(`township B ${i}`));
  const first = await suite.households
    .connect(a.civilAffairs)
    .registerHouseholds.staticCall(TOWNSHIP_B, own, personTagsOf(own), id("attestation B"));
  await suite.households
    .connect(a.civilAffairs)
    .registerHouseholds(TOWNSHIP_B, own, personTagsOf(own), id("attestation B"));
  const r2 = await reviewed(suite, a, programmeId, TOWNSHIP_B, makeLines(20, Number(first)), a.townshipBBureau);
  await networkHelpers.time.increase(PUBLICITY);
  await pay(suite, a.disburser, r2, range(0, 10));
  await suite.disbursement.connect(a.bank).confirmPayouts(
    r2.rosterId,
    range(0, 10),
    range(0, 10).map((i) => ref(r2.rosterId, i)),
  );
  await suite.rosterBook
    .connect(a.townshipBBureau)
    .closeRoster(r2.rosterId, id("half of the roster moved to the county list"));
  await suite.rosterBook.connect(a.deptCivil).confirmClose(r2.rosterId);
  // Time passes: every payout is old enough to be expected confirmed.
  await networkHelpers.time.increase(30 * DAY);
  await networkHelpers.mine();
  return { ...f, r1, r2, deployment: await deploymentFile(suite) };
}

/**
 * Everything an auditor should notice: a second programme of the same fiscal period paying a
 * household already paid in the first; a roster approved seconds after
 * submission, half of its lines at the cap, paid while an objection to one of its lines was never
 * resolved, and never confirmed by the bank (a department that approved it cannot pay it: the
 * contracts refuse, so role-conflict stays empty here and is tested on a crafted index below); a second
 * roster whose two lines the bank confirmed under one reference, one of them reversed and never
 * recovered.
 */
async function troubledLife() {
  const f = await fundedSuite();
  const { suite, a, programmeId } = f;
  // The civil-affairs department's account is also given the disburser's role (no delay in this
  // fixture): its one office is a reviewing office, so the chain refuses its payout below.
  await suite.manager.connect(a.governance).grantRole(Role.DISBURSER, a.deptCivil.address, 0);

  const amounts = (i: number) => (i % 2 === 0 ? CAP : 50_000n + BigInt(i) * 100n);
  const r1 = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(12, 1, amounts));
  await approveAll(suite, a, r1.rosterId); // seconds after submission
  const objection = await (
    await suite.rosterBook.connect(a.objector).objectToLine(r1.rosterId, 11, id("evidence"))
  ).wait();
  await networkHelpers.time.increase(PUBLICITY);
  await expect(pay(suite, a.deptCivil, r1, range(0, 11))).to.be.revertedWithCustomError(
    suite.disbursement,
    "DisbursementNotOffice",
  );
  const payout = await pay(suite, a.disburser, r1, range(0, 11));

  // Programme 2: another earmark, the same fiscal period; household 1 paid again, in a second roster.
  // Disaster relief is due within a day of publicity: roster 2's third line, never paid, is overdue.
  await suite.programmes
    .connect(a.programmeAdmin)
    .createProgramme(id("EARMARK-DISASTER"), 202611, COUNTY, terms({ payoutPeriod: DAY }));
  await suite.ledger.connect(a.programmeAdmin).fundProgramme(2n, 1_000_000n);
  await suite.ledger.connect(a.countyBureau).allocate(2n, COUNTY, TOWNSHIP, 1_000_000n);
  const r2Lines = [
    { index: 0, household: 1n, amount: 30_000n },
    { index: 1, household: 50n, amount: 30_000n },
    { index: 2, household: 51n, amount: 30_000n },
  ];
  const r2 = await reviewed(suite, a, 2n, TOWNSHIP, r2Lines);
  await networkHelpers.time.increase(PUBLICITY);
  const duplicate = await pay(suite, a.disburser, r2, [0, 1]);
  // One bank reference for two credits.
  await suite.disbursement
    .connect(a.bank)
    .confirmPayouts(r2.rosterId, [0, 1], [ref(r2.rosterId, 0), ref(r2.rosterId, 0)]);
  const reversed = (await paidBatchesOf(suite, r2.rosterId)).get(1)!;
  await suite.disbursement
    .connect(a.disburser)
    .requestReversal(r2.rosterId, reversed.batch, reversed.position, reversed.line, id("wrong card"));
  await suite.disbursement.connect(a.deptFinance).approveReversal(1n);
  await networkHelpers.time.increase(10 * DAY);
  await networkHelpers.mine();
  return {
    ...f,
    r1,
    r2,
    txs: { objection: objection!.hash, payout: payout!.hash, duplicate: duplicate!.hash },
    deployment: await deploymentFile(suite),
  };
}

/** A fixture with a fresh folder: each test's database indexes the chain state it sees (loadFixture reverts the chain). */
const clean = async () => ({ ...(await networkHelpers.loadFixture(cleanLife)), dir: await tempDir() });
const troubled = async () => ({ ...(await networkHelpers.loadFixture(troubledLife)), dir: await tempDir() });

/** A CSV file's records, after checking that it starts with the UTF-8 BOM. */
async function csvRecords(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString("utf8").trim().split("\r\n");
}

interface Finding {
  kind: string;
  subject: string;
  detail: string;
  txs: string[];
}

const dbIn = (dir: string, name = "audit.sqlite") => path.join(dir, name);

describe("CLI: the auditor's tasks", () => {
  it("audit index reads the chain once; a second run reads only the new blocks", async () => {
    const { deployment, dir, r1 } = await clean();
    const db = dbIn(dir);
    const first = jsonOf<{
      fromBlock: number;
      toBlock: number;
      events: number;
      totals: Record<string, number>;
      findings: unknown[];
    }>(await runCli(["audit", "index"], { deployment, db, json: true }));
    expect(first.fromBlock).to.equal(0);
    expect(first.totals.payouts).to.equal(69);
    expect(first.totals.confirmations).to.equal(67);
    expect(first.totals.returns).to.equal(2);
    expect(first.findings).to.deep.equal([]);

    const idle = jsonOf<{ fromBlock: number | null; events: number }>(
      await runCli(["audit", "index"], { deployment, db, json: true }),
    );
    expect(idle).to.include({ fromBlock: null, events: 0 });

    await networkHelpers.mine(3);
    const text = await runCli(["audit", "index"], { deployment, db });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout)
      .to.contain(`read blocks ${first.toBlock + 1}…${first.toBlock + 3} (3 blocks`)
      .and.to.contain(": 0 events");
    expect(text.stdout).to.contain("69 payouts in 3 batches");
    expect(text.stdout).to.contain("every payout batch hashes to its lines");
    expect(r1.rosterId).to.equal(1n);
  });

  it("audit reconcile: the tree balances at every node, agrees with the chain, and is written as CSV", async () => {
    const { suite, deployment, dir, programmeId, r1, r2 } = await clean();
    const csv = path.join(dir, "tree.csv");
    const run = await runCli(["audit", "reconcile"], { deployment, db: dbIn(dir), json: true, csv });
    type Node = Record<string, string | number | string[]>;
    const rec = jsonOf<{
      balanced: boolean;
      chain: { compared: boolean };
      problems: string[];
      programmes: Array<{ nodes: Node[]; totals: Record<string, string> }>;
    }>(run);
    expect(rec.problems).to.deep.equal([]);
    expect(rec.balanced).to.equal(true);
    expect(rec.chain.compared).to.equal(true);
    const nodes = rec.programmes[0]!.nodes;
    expect(nodes.map((n) => n.region)).to.deep.equal([COUNTY, TOWNSHIP, TOWNSHIP_B].map(String));
    const [county, township, townshipB] = nodes;
    expect(county!.passedDown).to.equal(
      String(BigInt(township!.received as string) + BigInt(townshipB!.received as string)),
    );
    // Township: 59 lines paid, two returned, one reversed; nothing left reserved after closing.
    const amount = (i: number) => r1.lines[i]!.amount;
    const gross = r1.lines.slice(0, 59).reduce((s, l) => s + l.amount, 0n);
    expect(township!.paid).to.equal(String(gross - amount(7) - amount(40) - amount(3)));
    expect(township!.returned).to.equal(String(amount(7) + amount(40)));
    expect(township!.reversed).to.equal(String(amount(3)));
    expect(township!.confirmed).to.equal(township!.paid);
    expect(township!.reserved).to.equal("0");
    const chain = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
    expect(township!.available).to.equal(chain.available.toString());
    expect(townshipB!.received).to.equal(String(25_000_000n - 1_000_000n));
    expect(townshipB!.paid).to.equal(String(r2.lines.slice(0, 10).reduce((s, l) => s + l.amount, 0n)));
    const rows = await csvRecords(csv);
    expect(rows[0]).to.equal(
      "programme_id,region,parent,depth,received,passed_down,reserved,paid,confirmed,returned,reversed,available,balanced,problems",
    );
    expect(rows).to.have.length(4);

    const text = await runCli(["audit", "reconcile"], { deployment, db: dbIn(dir), noUpdate: true });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout).to.contain("everything balances").and.to.contain("  110101001000");
  });

  it("audit reconcile exits 1 on a tampered database and names the node and roster that do not balance", async () => {
    const { deployment, dir } = await clean();
    const db = dbIn(dir);
    expect((await runCli(["audit", "index"], { deployment, db })).exitCode).to.equal(0);
    const handle = IndexDatabase.open(db);
    handle.db.prepare("UPDATE payouts SET amount = amount + 100 WHERE roster_id = 1 AND line_index = 12").run();
    handle.close();
    const run = await runCli(["audit", "reconcile"], { deployment, db, noUpdate: true });
    expect(run.exitCode).to.equal(1);
    expect(run.stdout).to.contain("DOES NOT BALANCE");
    expect(run.stdout).to.match(/programme 1, region 110101001000: received [\d,.]+ ≠ passed down/);
    expect(run.stdout)
      .to.contain("programme 1, region 110101001000: paid: ")
      .and.to.contain("by the BudgetLedger's events");
    expect(run.stdout).to.contain("in BudgetLedger.balanceOf at block");
    expect(run.stdout).to.match(
      /roster-paid-total: roster 1: its 59 PayoutRecorded lines add up to \d+ fen, its RosterPaid events to \d+ fen \(tx 0x[0-9a-f]{64}\)/,
    );
    expect(run.stdout).not.to.contain("region 110101002000:");
  });

  it("audit anomalies finds, in a fund run properly, only the leads its own life leaves", async () => {
    const { deployment, dir, r1, r2 } = await clean();
    const report = jsonOf<{ counts: Record<string, number>; findings: Finding[] }>(
      await runCli(["audit", "anomalies"], { deployment, db: dbIn(dir), json: true }),
    );
    // Every procedure was followed, so the checks of misconduct and of unmet duties find nothing…
    expect(report.counts).to.deep.equal({
      "duplicate-household": 0,
      "unconfirmed-payout": 0,
      "paid-with-open-objection": 0,
      "role-conflict": 0,
      "cap-cluster": 0,
      "fast-approval": 0,
      "repeated-bank-reference": 0,
      "unrecovered-reversal": 0,
      "overdue-lines": 0,
      "closed-with-unpaid-lines": 1,
      "returned-never-repaid": 2,
      "reversal-of-confirmed-payout": 1,
    });
    // …but the life leaves households without their money, and an auditor is told each time: roster
    // 2's ten unpaid lines dropped at its co-signed closing, the two returns (序号 8 and 41) never
    // paid again, the reversal of 序号 4 after the bank had credited it.
    const unpaid = r2.lines.slice(10).reduce((s, l) => s + l.amount, 0n);
    expect(report.findings.map((f) => [f.kind, f.subject])).to.deep.equal([
      ["closed-with-unpaid-lines", `roster 2, region ${TOWNSHIP_B}`],
      ["returned-never-repaid", `household ${r1.lines[7]!.household}, programme 1`],
      ["returned-never-repaid", `household ${r1.lines[40]!.household}, programme 1`],
      ["reversal-of-confirmed-payout", "reversal 1"],
    ]);
    expect(report.findings[0]!.detail).to.contain(
      `closed with 10 line(s) of programme 1, ${formatFen(unpaid)} yuan, neither paid nor held by an objection: 序号 11, 12, 13, 14, 15, 16, 17, 18, 19, 20;`,
    );
    expect(report.findings[1]!.detail).to.match(/^roster 1 序号 8 \(/);
    expect(report.findings[2]!.detail).to.match(/^roster 1 序号 41 \(/);
    expect(report.findings[3]!.detail).to.contain("roster 1 序号 4 (household 4");
  });

  it("audit anomalies finds each anomaly of a constructed scenario, naming the transactions that prove it", async () => {
    const { deployment, dir, txs } = await troubled();
    const csv = path.join(dir, "anomalies.csv");
    const report = jsonOf<{ counts: Record<string, number>; findings: Finding[] }>(
      await runCli(["audit", "anomalies"], { deployment, db: dbIn(dir), json: true, csv }),
    );
    const of = (kind: string) => report.findings.filter((f) => f.kind === kind);
    expect(report.counts).to.deep.equal({
      "duplicate-household": 1,
      "unconfirmed-payout": 1,
      "paid-with-open-objection": 1,
      "role-conflict": 0,
      "cap-cluster": 1,
      "fast-approval": 3,
      "repeated-bank-reference": 1,
      "unrecovered-reversal": 1,
      "overdue-lines": 1,
      "closed-with-unpaid-lines": 0,
      "returned-never-repaid": 0,
      "reversal-of-confirmed-payout": 1,
    });
    const [overdue] = of("overdue-lines");
    expect(overdue!.subject).to.equal("roster 2, region 110101001000");
    expect(overdue!.detail).to.match(
      /^1 approved line\(s\) of programme 2 still unpaid [\d.]+ days after the payout deadline/,
    );
    const [repeated] = of("repeated-bank-reference");
    expect(repeated!.detail)
      .to.contain("one bank reference on 2 settlements")
      .and.to.contain("confirmation of roster 2 序号 1")
      .and.to.contain("confirmation of roster 2 序号 2");
    const [reversed] = of("reversal-of-confirmed-payout");
    expect(reversed!.subject).to.equal("reversal 1");
    expect(reversed!.detail).to.contain("roster 2 序号 2 (household 50");
    const [unrecovered] = of("unrecovered-reversal");
    expect(unrecovered!.subject).to.equal("reversal 1");
    expect(unrecovered!.detail)
      .to.contain("roster 2 序号 2 (household 50")
      .and.to.contain("the money is still on the card");
    const [dup] = of("duplicate-household");
    expect(dup!.subject).to.equal("household 1, period 202611");
    expect(dup!.detail).to.contain("programme 1 region 110101001000").and.to.contain("programme 2 region 110101001000");
    expect(dup!.txs).to.deep.equal([txs.payout, txs.duplicate]);
    const [unconfirmed] = of("unconfirmed-payout");
    expect(unconfirmed!.subject).to.equal("roster 1");
    expect(unconfirmed!.detail).to.match(/^11 line\(s\)/);
    expect(unconfirmed!.txs).to.deep.equal([txs.payout]);
    const [open] = of("paid-with-open-objection");
    expect(open!.detail).to.contain("序号 12 was never resolved");
    expect(open!.txs).to.deep.equal([txs.objection, txs.payout]);
    const [cap] = of("cap-cluster");
    expect(cap!.detail).to.contain("6 of its 11 paid lines");
    expect(cap!.txs).to.deep.equal([txs.payout]);
    expect(of("fast-approval").map((f) => f.subject)).to.deep.equal([
      "roster 1, department 0",
      "roster 1, department 1",
      "roster 1, department 2",
    ]);
    expect(of("fast-approval")[0]!.txs).to.have.length(2);

    // The thresholds are the auditor's to set.
    const relaxed = jsonOf<{ counts: Record<string, number> }>(
      await runCli(["audit", "anomalies"], {
        deployment,
        db: dbIn(dir),
        json: true,
        noUpdate: true,
        unconfirmedDays: "30",
        capPercent: "60",
        fastSeconds: "1",
      }),
    );
    expect(relaxed.counts).to.include({
      "unconfirmed-payout": 0,
      "cap-cluster": 0,
      "fast-approval": 0,
      "role-conflict": 0,
      "unrecovered-reversal": 0,
    });
    const rows = await csvRecords(csv);
    expect(rows).to.have.length(1 + 11);
    expect(rows[0]).to.equal("kind,subject,detail,txs,block,time");
  });

  it("audit offices lists every office and its holder from the events, agreeing with the Directory; a stale index is caught", async () => {
    const { deployment, dir, suite, a } = await clean();
    const successor = (await ethers.getSigners())[18]!;
    await suite.directory
      .connect(a.governance)
      .bindOffice(successor.address, { kind: OfficeKind.Treasury, department: 0, region: COUNTY });
    type Listing = {
      offices: Array<{ kind: string; department: number; region: string; holder: string; previousHolders: string[] }>;
      disagreements: number;
    };
    const all = jsonOf<Listing>(await runCli(["audit", "offices"], { deployment, db: dbIn(dir), json: true }));
    expect(all.disagreements).to.equal(0);
    expect(all.offices).to.have.length(9);
    const treasury = all.offices.find((o) => o.kind === "Treasury")!;
    expect(treasury.holder.toLowerCase()).to.equal(successor.address.toLowerCase());
    expect(treasury.previousHolders.map((h) => h.toLowerCase())).to.deep.equal([a.disburser.address.toLowerCase()]);
    const reviewers = all.offices
      .filter((o) => o.kind === "Reviewer")
      .map((o) => [o.department, o.holder.toLowerCase()]);
    expect(reviewers).to.deep.equal([
      [0, a.deptCivil.address.toLowerCase()],
      [1, a.deptRural.address.toLowerCase()],
      [2, a.deptFinance.address.toLowerCase()],
    ]);
    // A subtree: the township holds only its bureau.
    const township = jsonOf<Listing>(
      await runCli(["audit", "offices"], {
        deployment,
        db: dbIn(dir),
        json: true,
        noUpdate: true,
        region: String(TOWNSHIP),
      }),
    );
    expect(township.offices.map((o) => [o.kind, o.region])).to.deep.equal([["Bureau", String(TOWNSHIP)]]);
    // Unbound on chain after the index was read: without an update, the listing disagrees with the Directory, and says so.
    await suite.directory.connect(a.governance).unbindOffice(successor.address);
    const stale = await runCli(["audit", "offices"], { deployment, db: dbIn(dir), noUpdate: true });
    expect(stale.exitCode).to.equal(1);
    expect(stale.stdout)
      .to.contain("1 DISAGREE with the Directory")
      .and.to.contain(`the Directory says 0x0000000000000000000000000000000000000000`);
  });

  it("audit trace: a household's and a roster's whole history, with transactions and block times", async () => {
    const { deployment, dir, commitments, r1 } = await clean();
    type Trace = { subject: string; entries: Array<{ event: string; tx: string; time: string; detail: string }> };
    // Household 8 is roster 1's line 7: listed on chain (the roster sealed), paid, then returned by the bank.
    const h = jsonOf<Trace>(
      await runCli(["audit", "trace"], { deployment, db: dbIn(dir), json: true, household: "8" }),
    );
    expect(h.entries.map((e) => e.event)).to.deep.equal([
      "HouseholdRegistered",
      "RosterSubmitted",
      "LineListed",
      "RosterSealed",
      "RosterApproved",
      "RosterApproved",
      "RosterApproved",
      "RosterSignedOff",
      "PayoutRecorded",
      "PayoutReturned",
      "RosterClosed",
    ]);
    for (const e of h.entries) {
      expect(e.tx).to.match(/^0x[0-9a-f]{64}$/);
      expect(e.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    }
    expect(h.entries[2]!.detail).to.contain("listed on roster 1 as 序号 8 of its published list");
    expect(h.entries[3]!.detail).to.contain("roster 1: every line on chain").and.to.contain("sealed");
    expect(h.entries[8]!.detail).to.contain(`roster 1 序号 8 (programme 1, region ${TOWNSHIP}, batch 1)`);
    // The same household by its commitment.
    const c = jsonOf<Trace>(
      await runCli(["audit", "trace"], {
        deployment,
        db: dbIn(dir),
        json: true,
        noUpdate: true,
        commitment: commitments[7],
      }),
    );
    expect(c.subject).to.equal(`household 8 (commitment ${commitments[7]})`);
    expect(c.entries).to.deep.equal(h.entries);
    // Household 4 (line 3): confirmed, then reversed.
    const reversed = jsonOf<Trace>(
      await runCli(["audit", "trace"], { deployment, db: dbIn(dir), json: true, noUpdate: true, household: "4" }),
    );
    const steps = ["PayoutRecorded", "PayoutConfirmed", "ReversalRequested", "ReversalApproved"];
    expect(reversed.entries.map((e) => e.event).filter((e) => steps.includes(e))).to.deep.equal(steps);

    const csv = path.join(dir, "roster-1.csv");
    const roster = jsonOf<Trace>(
      await runCli(["audit", "trace"], { deployment, db: dbIn(dir), json: true, noUpdate: true, roster: "1", csv }),
    );
    const events = roster.entries.map((e) => e.event);
    expect(events.slice(0, 6)).to.deep.equal([
      "RosterSubmitted",
      "RosterSealed",
      "RosterApproved",
      "RosterApproved",
      "RosterApproved",
      "RosterSignedOff",
    ]);
    expect(events.filter((e) => e === "PayoutBatchRecorded")).to.have.length(2);
    expect(events).to.include.members([
      "LineObjected",
      "ObjectionResolved",
      "PayoutConfirmed",
      "PayoutReturned",
      "ReversalRequested",
      "ReversalApproved",
    ]);
    expect(events.at(-1)).to.equal("RosterClosed");
    expect(roster.entries.find((e) => e.event === "PayoutConfirmed")!.detail).to.contain("57 line(s)");
    expect(roster.entries.find((e) => e.event === "PayoutBatchRecorded")!.detail).to.contain("matches its lines");
    expect(await csvRecords(csv)).to.have.length(1 + roster.entries.length);
    expect(r1.rosterId).to.equal(1n);

    const text = await runCli(["audit", "trace"], { deployment, db: dbIn(dir), noUpdate: true, programme: "1" });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout).to.contain("ProgrammeCreated").and.to.contain("BudgetReclaimed").and.to.contain("RosterPaid");
    const none = await runCli(["audit", "trace"], { deployment, db: dbIn(dir), noUpdate: true, household: "9999" });
    expect(none.exitCode).to.equal(1);
    expect(none.stderr).to.contain("no household 9999 is registered");
    const two = await runCli(["audit", "trace"], {
      deployment,
      db: dbIn(dir),
      noUpdate: true,
      household: "1",
      roster: "1",
    });
    expect(two.stderr).to.contain("name exactly one of");
  });

  it("audit export streams a table: the CSV has one row per payout on chain; --json prints them", async () => {
    const { suite, deployment, dir } = await clean();
    const csv = path.join(dir, "payouts.csv");
    const run = await runCli(["audit", "export"], { deployment, db: dbIn(dir), table: "payouts", csv });
    expect(run.exitCode, run.stderr).to.equal(0);
    const onChain = await suite.disbursement.queryFilter(suite.disbursement.filters.PayoutRecorded());
    const lines = await csvRecords(csv);
    expect(lines[0]).to.equal(
      "block,log_index,tx,roster_id,line_index,household,amount_yuan,amount_fen,batch_id,seq,block_time",
    );
    expect(lines.length - 1).to.equal(onChain.length);
    expect(run.stdout).to.contain(`${onChain.length} row(s) of payouts written`);

    const json = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      table: "returns",
      json: true,
      noUpdate: true,
    });
    const returns = JSON.parse(json.stdout) as Array<{
      line_index: string;
      seq: string;
      amount_yuan: string;
      amount_fen: string;
      block_time: string;
    }>;
    expect(returns.map((r) => Number(r.line_index))).to.deep.equal([7, 40]);
    for (const r of returns) {
      expect(Math.round(Number(r.amount_yuan) * 100), "the same amount in yuan and in fen").to.equal(
        Number(r.amount_fen),
      );
      expect(r.block_time, "block times in Beijing time").to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    }
    expect(
      returns.map((r) => Number(r.seq)),
      "序号 = line_index + 1",
    ).to.deep.equal([8, 41]);
    const bad = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      table: "secrets",
      json: true,
      noUpdate: true,
    });
    expect(bad.exitCode).to.equal(1);
    expect(bad.stderr).to.contain("--table must be one of lines, payouts, batches");
  });

  it("audit export --table lines: one row per line with its roster's state, its status and hold, filtered by programme, region and date", async () => {
    const { deployment, dir, r1, r2 } = await clean();
    const run = await runCli(["audit", "export"], { deployment, db: dbIn(dir), json: true });
    expect(run.exitCode, run.stderr).to.equal(0);
    type LineRow = Record<string, string | number | null>;
    const rows = JSON.parse(run.stdout) as LineRow[];
    expect(rows).to.have.length(r1.lines.length + r2.lines.length);
    const at = (roster: bigint, index: number) =>
      rows.find((r) => BigInt(r.roster_id!) === roster && Number(r.line_index) === index)!;
    const statusOf = (roster: bigint, index: number) => {
      const r = at(roster, index);
      return `${r.roster_state}/${r.status}/${r.hold}`;
    };
    expect(statusOf(r1.rosterId, 0)).to.equal("Closed/Confirmed/None");
    expect(statusOf(r1.rosterId, 3), "reversed and recovered").to.equal("Closed/Reversed/None");
    expect(statusOf(r1.rosterId, 7)).to.equal("Closed/Returned/None");
    expect(statusOf(r1.rosterId, 58), "objection dismissed, then paid").to.equal("Closed/Confirmed/None");
    expect(statusOf(r1.rosterId, 59), "objection upheld").to.equal("Closed/Unpaid/Excluded");
    expect(statusOf(r2.rosterId, 9)).to.equal("Closed/Confirmed/None");
    expect(statusOf(r2.rosterId, 15), "dropped at a co-signed closing").to.equal("Closed/Unpaid/None");
    const line = at(r1.rosterId, 7);
    expect(Number(line.seq)).to.equal(8);
    expect(Math.round(Number(line.amount_yuan) * 100)).to.equal(Number(r1.lines[7]!.amount));
    expect(BigInt(line.amount_fen!)).to.equal(r1.lines[7]!.amount);
    expect(line.paid_tx).to.match(/^0x[0-9a-f]{64}$/);
    expect(line.returned_tx).to.match(/^0x[0-9a-f]{64}$/);
    expect(line.paid_time).to.match(/\+08:00$/);

    const onlyB = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      json: true,
      noUpdate: true,
      region: String(TOWNSHIP_B),
    });
    const b = JSON.parse(onlyB.stdout) as LineRow[];
    expect(b.map((r) => BigInt(r.roster_id!))).to.deep.equal(r2.lines.map(() => r2.rosterId));
    const county = JSON.parse(
      (
        await runCli(["audit", "export"], {
          deployment,
          db: dbIn(dir),
          json: true,
          noUpdate: true,
          region: String(COUNTY),
        })
      ).stdout,
    ) as LineRow[];
    expect(county, "a county holds its townships' lines").to.have.length(rows.length);
    const otherProgramme = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      json: true,
      noUpdate: true,
      programme: "2",
    });
    expect(JSON.parse(otherProgramme.stdout)).to.deep.equal([]);
    const later = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      json: true,
      noUpdate: true,
      since: "2099-01-01",
    });
    expect(JSON.parse(later.stdout), "nothing was listed after 2099").to.deep.equal([]);
    const badDate = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      json: true,
      noUpdate: true,
      since: "2026-13-01",
    });
    expect(badDate.exitCode).to.equal(1);
    expect(badDate.stderr).to.contain("--since must be a date YYYY-MM-DD (Beijing time)");
    const noRegion = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      json: true,
      noUpdate: true,
      table: "role_grants",
      region: String(COUNTY),
    });
    expect(noRegion.stderr).to.contain("--region does not apply to --table role_grants");
  });

  it("audit export names departments from a names file, and earmark codes as text", async () => {
    const { suite, a, deployment, dir } = await clean();
    await suite.programmes
      .connect(a.programmeAdmin)
      .createProgramme(encodeBytes32String("DIBAO-2026"), 202611, COUNTY, terms());
    const names = path.join(dir, "names.json");
    await writeFile(names, JSON.stringify({ departments: { "1": { zh: "财政局", en: "Finance" } } }));
    const approvals = JSON.parse(
      (await runCli(["audit", "export"], { deployment, db: dbIn(dir), json: true, table: "approvals", names })).stdout,
    ) as Array<{ department: string; department_name: string }>;
    expect(approvals.length).to.be.greaterThan(0);
    for (const a of approvals)
      expect(a.department_name).to.equal(a.department === "1" ? "财政局" : `department ${a.department}`);
    const csv = path.join(dir, "programmes.csv");
    const run = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      noUpdate: true,
      table: "programmes",
      csv,
    });
    expect(run.exitCode, run.stderr).to.equal(0);
    const [header, ...rows] = await csvRecords(csv);
    expect(header).to.contain("earmark_code");
    expect(rows.at(-1), "an earmark code as the text it was created from").to.contain(",DIBAO-2026,");
    const badNames = await runCli(["audit", "export"], {
      deployment,
      db: dbIn(dir),
      noUpdate: true,
      json: true,
      names: path.join(dir, "missing.json"),
    });
    expect(badNames.stderr).to.contain("cannot read it (no such file)");
  });

  it("audit trace checks what it prints against the chain: transactions, roster states, line statuses and holds; or says it did not", async () => {
    const { deployment, dir, r1 } = await clean();
    const db = dbIn(dir, "trace-check.sqlite");
    const agreed = await runCli(["audit", "trace"], { deployment, db, roster: String(r1.rosterId) });
    expect(agreed.exitCode, agreed.stderr).to.equal(0);
    expect(agreed.stdout).to.match(
      /checked against the chain at block \d+: \d+ transaction\(s\), 1 roster state\(s\) and 60 line\(s\) agree/,
    );
    const household = jsonOf<{ check: { checked: boolean; lines: number; disagreements: string[] } }>(
      await runCli(["audit", "trace"], { deployment, db, noUpdate: true, household: "1", json: true }),
    );
    expect(household.check.checked).to.equal(true);
    expect(household.check.lines).to.be.greaterThan(0);
    expect(household.check.disagreements).to.deep.equal([]);

    // An index that lost a return and misplaced a transaction: the chain says otherwise, line by line.
    const index = IndexDatabase.open(db);
    index.db.exec(`DELETE FROM returns WHERE roster_id = ${r1.rosterId} AND line_index = 7`);
    index.db.exec(`UPDATE batches SET block = block + 1 WHERE roster_id = ${r1.rosterId} AND batch_id = 1`);
    index.close();
    const doctored = await runCli(["audit", "trace"], { deployment, db, noUpdate: true, roster: String(r1.rosterId) });
    expect(doctored.exitCode, doctored.stdout).to.equal(1);
    expect(doctored.stdout)
      .to.contain("the chain DISAGREES with the index")
      .and.to.contain(`roster ${r1.rosterId} 序号 8 is Returned/None on the chain, Paid/None in the index`)
      .and.to.match(/transaction 0x[0-9a-f]{64} is in block \d+, not \d+/);

    const offline = await runCli(["audit", "trace"], { db, noUpdate: true, rpcUrl: "http://127.0.0.1:9", roster: "1" });
    expect(offline.exitCode, offline.stderr).to.equal(0);
    expect(offline.stdout).to.contain("NOT checked against the chain: the node cannot be reached");
  });

  it("an index already built answers offline under --no-update, with the deployment it was built for", async () => {
    const { deployment, dir } = await clean();
    const db = dbIn(dir, "offline.sqlite");
    expect((await runCli(["audit", "index"], { deployment, db })).exitCode).to.equal(0);
    const online = jsonOf<{ balanced: boolean; programmes: unknown[] }>(
      await runCli(["audit", "reconcile"], { deployment, db, noUpdate: true, json: true }),
    );
    // No node (a closed port) and no --deployment: the index and the deployment stored in it answer.
    const nowhere = "http://127.0.0.1:9";
    const offline = await runCli(["audit", "reconcile"], { db, noUpdate: true, rpcUrl: nowhere });
    expect(offline.exitCode, offline.stderr).to.equal(0);
    expect(offline.stdout)
      .to.contain("the node cannot be reached")
      .and.to.contain("answered from the index alone, not compared with the chain")
      .and.to.contain("everything balances");
    const offlineJson = jsonOf<{ balanced: boolean; programmes: unknown[]; chain: { compared: boolean } }>(
      await runCli(["audit", "reconcile"], { db, noUpdate: true, rpcUrl: nowhere, json: true }),
    );
    expect(offlineJson.chain.compared).to.equal(false);
    expect(offlineJson.programmes).to.deep.equal(online.programmes.map((p) => ({ ...(p as object) })));
    expect((await runCli(["audit", "anomalies"], { db, noUpdate: true, rpcUrl: nowhere })).exitCode).to.equal(0);
    // What needs the chain says so; without --no-update a missing node is an error, as before.
    const verify = await runCli(["audit", "verify-roster"], {
      db,
      noUpdate: true,
      rpcUrl: nowhere,
      roster: "1",
      list: deployment,
    });
    expect(verify.exitCode).to.equal(1);
    expect(verify.stderr).to.contain("give a node");
    const update = await runCli(["audit", "reconcile"], { db, rpcUrl: nowhere });
    expect(update.exitCode).to.equal(1);
    expect(update.stderr).to.contain("cannot read the node at http://127.0.0.1:9");
  });

  it("refuses --no-update on a database that was never filled, and a database of another deployment", async () => {
    const { deployment, dir } = await clean();
    const empty = await runCli(["audit", "reconcile"], { deployment, db: dbIn(dir, "empty.sqlite"), noUpdate: true });
    expect(empty.exitCode).to.equal(1);
    expect(empty.stderr).to.contain("there is no index at").and.to.contain("run `audit index` first");
    const db = dbIn(dir, "other.sqlite");
    expect((await runCli(["audit", "index"], { deployment, db })).exitCode).to.equal(0);
    const other = path.join(dir, "other-deployment.json");
    const record = JSON.parse(await readFile(deployment, "utf8")) as Record<string, string>;
    await writeFile(
      other,
      // Another deployment: here, another contract with code at the Disbursement's place (an address
      // without code is refused before, as no suite on this chain).
      JSON.stringify({ ...record, "Suite#Disbursement": record["Suite#DisbursementLens"] }),
    );
    const refused = await runCli(["audit", "index"], { deployment: other, db });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr)
      .to.contain("holds the index of another deployment of the suite")
      .and.to.contain("use another --db file");
  });
});

describe("audit anomalies: role-conflict on an index the suite's contracts could not have produced", () => {
  // One account in two duties on one roster is refused on chain (one office per account, for life),
  // so the auditor's independent check is driven here by rows written straight into an index.
  function craftedIndex(
    dir: string,
    acts: Array<{ table: "approvals" | "batches" | "resolutions" | "confirmations"; sender: string }>,
  ) {
    const db = IndexDatabase.open(path.join(dir, "crafted.sqlite"));
    const raw = db.db;
    const submitter = "0x00000000000000000000000000000000000000b1";
    raw.prepare("INSERT INTO blocks (number, time, hash) VALUES (?, ?, ?)").run(1, 1_700_000_000, ZeroHash);
    raw.prepare("INSERT INTO txs (hash, block, sender) VALUES (?, 1, ?)").run("0xt0", submitter);
    raw
      .prepare(
        "INSERT INTO rosters (block, log_index, tx, roster_id, programme_id, region, submitter, root, line_count, total, document_hash, document_uri) VALUES (1, 0, '0xt0', 1, 1, ?, ?, ?, 1, 1, ?, 'u')",
      )
      .run(TOWNSHIP, submitter, ZeroHash, ZeroHash);
    acts.forEach(({ table, sender }, i) => {
      const tx = `0xt${i + 1}`;
      raw.prepare("INSERT INTO txs (hash, block, sender) VALUES (?, 1, ?)").run(tx, sender);
      const at = [1, i + 1, tx] as const;
      if (table === "approvals") {
        raw
          .prepare(
            "INSERT INTO approvals (block, log_index, tx, roster_id, stage, department, approver, decision, signed) VALUES (?, ?, ?, 1, 0, 0, ?, 'approved', 0)",
          )
          .run(...at, sender);
      } else if (table === "batches") {
        raw
          .prepare(
            "INSERT INTO batches (block, log_index, tx, roster_id, batch_id, batch_hash, line_count, amount, hash_ok) VALUES (?, ?, ?, 1, 1, ?, 1, 1, 1)",
          )
          .run(...at, ZeroHash);
      } else if (table === "resolutions") {
        raw
          .prepare(
            "INSERT INTO resolutions (block, log_index, tx, roster_id, line_index, household, upheld, department, amount, reason_hash) VALUES (?, ?, ?, 1, 0, 1, 0, 0, 0, ?)",
          )
          .run(...at, ZeroHash);
      } else {
        raw
          .prepare(
            "INSERT INTO confirmations (block, log_index, tx, roster_id, line_index, bank_ref_hash) VALUES (?, ?, ?, 1, 0, ?)",
          )
          .run(...at, ZeroHash);
      }
    });
    return db;
  }
  const conflictsIn = (db: IndexDatabase) => findAnomalies(db).findings.filter((f) => f.kind === "role-conflict");
  const reviewer = "0x00000000000000000000000000000000000000c1";

  it("reports an account that reviewed and paid one roster, or paid and settled it, naming both duties", async () => {
    const dir = await tempDir();
    const db = craftedIndex(dir, [
      { table: "approvals", sender: reviewer },
      { table: "batches", sender: reviewer },
    ]);
    const [finding] = conflictsIn(db);
    expect(finding!.subject).to.equal("roster 1");
    expect(finding!.detail).to.contain(reviewer).and.to.contain("approver").and.to.contain("disburser");
    expect(finding!.txs).to.deep.equal(["0xt1", "0xt2"]);
    db.close();
    const settled = craftedIndex(await tempDir(), [
      { table: "batches", sender: reviewer },
      { table: "confirmations", sender: reviewer },
    ]);
    expect(conflictsIn(settled).map((f) => f.detail)).to.deep.equal([
      `account ${reviewer} acted as disburser and settler`,
    ]);
    settled.close();
  });

  it("does not report one reviewing office that approves and resolves objections: both are its review duty", async () => {
    const db = craftedIndex(await tempDir(), [
      { table: "approvals", sender: reviewer },
      { table: "resolutions", sender: reviewer },
    ]);
    expect(conflictsIn(db)).to.deep.equal([]);
    db.close();
  });
});
