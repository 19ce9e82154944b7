/** The bank (settlement file) and reversal tasks, run in-process against the test chain. */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import { batchProof, packLine } from "../../src/lines.js";
import { DEPT_CIVIL, DEPT_FINANCE, fundedSuite, networkHelpers, type Suite, TOWNSHIP } from "./helpers/fixture.js";
import { deploymentFile, fromOf, jsonOf, runCli, tempDir } from "./helpers/cli.js";
import { makeLines, payableRoster, type SubmittedRoster } from "./helpers/rosters.js";

const Status = { Unpaid: 0n, Paid: 1n, Confirmed: 2n, Returned: 3n, Reversed: 4n, ReversalPendingRecovery: 5n };
const Reversal = { Pending: 1n, Approved: 2n, Rejected: 3n, Recovered: 4n };
const LINES = 400;
const RETURNED = [7, 150, 233, 399]; // 1%, in both payout batches

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const reference = (line: number) => `CCB-20261125-${String(line).padStart(6, "0")}`;

/** A payable roster of 400 lines, all paid in two batches of 200 (the second in reverse order). */
async function paidRoster() {
  const f = await fundedSuite();
  const roster = await payableRoster(f.suite, f.a, f.programmeId, TOWNSHIP, makeLines(LINES));
  for (const indices of [range(0, 200), range(200, 200).reverse()]) {
    const b = batchProof(roster.tree, indices);
    await f.suite.disbursement.connect(f.a.disburser).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof);
  }
  return { ...f, roster, deployment: await deploymentFile(f.suite) };
}

type Row = [line: string | number, status: string, reference: string];

/** A bank result file: CRLF line ends and a BOM, as Excel's "CSV UTF-8" writes it. */
async function resultFile(rows: Row[], options: { header?: string; bom?: boolean } = {}): Promise<string> {
  const header = options.header ?? "line,status,bank_reference";
  const text = [header, ...rows.map((r) => r.join(","))].join("\r\n") + "\r\n";
  const file = path.join(await tempDir(), "results.csv");
  await writeFile(file, (options.bom ?? true) ? `\uFEFF${text}` : text);
  return file;
}

function fullRows(lines: number[]): Row[] {
  return lines.map((i) => [i, RETURNED.includes(i) ? "RETURNED" : i % 2 ? "confirmed" : "CONFIRMED", reference(i)]);
}

async function statuses(suite: Suite, roster: SubmittedRoster): Promise<bigint[]> {
  return Promise.all(roster.lines.map((l) => suite.disbursement.lineStatus(roster.rosterId, l.index)));
}

function expectedStatuses(settled: (i: number) => boolean): bigint[] {
  return range(0, LINES).map((i) =>
    !settled(i) ? Status.Paid : RETURNED.includes(i) ? Status.Returned : Status.Confirmed,
  );
}

interface SettleJson {
  confirmed: { count: number; amount: string };
  returned: { count: number; amount: string };
  skipped: number;
  transactions: string[];
}

describe("CLI: bank settlement and reversal tasks", () => {
  it("settles a whole roster: confirms in chunks and returns ~1% grouped by payout batch, refunding exactly the returned lines", async () => {
    const { suite, a, programmeId, roster, deployment } = await networkHelpers.loadFixture(paidRoster);
    const file = await resultFile(fullRows(range(0, LINES)));
    const bank = await fromOf(a.bank);

    const dry = await runCli(["bank", "settle"], {
      deployment,
      from: bank,
      roster: "1",
      file,
      chunkSize: "150",
      dryRun: true,
    });
    expect(dry.exitCode, dry.stderr).to.equal(0);
    expect(dry.stdout)
      .to.contain("confirm chunk 3/3")
      .and.to.contain("return chunk 2/2 (payout batch 2)")
      .and.to.contain("dry run, nothing was sent");
    expect(await statuses(suite, roster)).to.deep.equal(expectedStatuses(() => false));

    const run = await runCli(["bank", "settle"], {
      deployment,
      from: bank,
      roster: "1",
      file,
      chunkSize: "150",
      json: true,
    });
    const report = jsonOf<SettleJson>(run);
    const returnedSum = RETURNED.reduce((s, i) => s + roster.lines[i]!.amount, 0n);
    expect(report.confirmed.count).to.equal(LINES - RETURNED.length);
    expect(report.confirmed.amount).to.equal((roster.total - returnedSum).toString());
    expect(report.returned).to.deep.equal({ count: RETURNED.length, amount: returnedSum.toString() });
    expect(report.skipped).to.equal(0);
    expect(report.transactions).to.have.length(3 + 2); // three confirmation chunks, one return per payout batch

    expect(await statuses(suite, roster)).to.deep.equal(expectedStatuses(() => true));
    const balance = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
    expect(balance.returned).to.equal(returnedSum);
    expect(balance.paid).to.equal(roster.total - returnedSum);
    expect((await suite.ledger.totalsOf(programmeId)).returned).to.equal(returnedSum);
    for (const i of RETURNED)
      expect(await suite.disbursement.isHouseholdPaid(programmeId, roster.lines[i]!.household)).to.equal(false);
    expect(await suite.disbursement.isHouseholdPaid(programmeId, roster.lines[8]!.household)).to.equal(true);
    // What went on chain is the hash of the bank's reference, never the reference.
    const [confirmed] = await suite.disbursement.queryFilter(
      suite.disbursement.filters.PayoutConfirmed(roster.rosterId, 8),
    );
    expect(confirmed?.args.bankRefHash).to.equal(keccak256(toUtf8Bytes(reference(8))));
    const returned = await suite.disbursement.queryFilter(suite.disbursement.filters.PayoutReturned(roster.rosterId));
    expect(returned.map((e) => Number(e.args.lineIndex)).sort((x, y) => x - y)).to.deep.equal(RETURNED);
    expect(returned.map((e) => e.args.bankRefHash)).to.include(keccak256(toUtf8Bytes(reference(399))));
  });

  it("lists every bad row with its line, field, value and fix, exits 1 and sends nothing", async () => {
    const { suite, a, programmeId, roster, deployment } = await networkHelpers.loadFixture(paidRoster);
    const rows: Row[] = [
      [0, "CONFIRMED", reference(0)], // file line 2: good
      [1, "PENDING", reference(1)], // line 3: unknown status
      [2, "RETURNED", "   "], // line 4: missing reference
      [400, "CONFIRMED", reference(400)], // line 5: out of range
      [0, "CONFIRMED", reference(0)], // line 6: duplicate of line 2
      ["x1", "退回", reference(5)], // line 7: not a number
      [9, "成功", reference(9)], // line 8: good (Chinese status)
    ];
    const file = await resultFile(rows);
    const run = await runCli(["bank", "settle"], { deployment, from: await fromOf(a.bank), roster: "1", file });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.contain("5 issues; nothing was sent");
    expect(run.stderr).to.contain('line 3, status "PENDING": not a settlement status. Fix: write CONFIRMED (成功)');
    expect(run.stderr).to.contain('line 4, bank_reference "   ": the bank reference is missing');
    expect(run.stderr).to.contain('line 5, line "400": out of range: the roster has 400 lines, numbered 0 … 399');
    expect(run.stderr).to.contain('line 6, line "0": this roster line is on file line 2 already');
    expect(run.stderr).to.contain('line 7, line "x1": not a whole number');
    expect(run.stdout).to.equal("");
    expect(await statuses(suite, roster)).to.deep.equal(expectedStatuses(() => false));
    expect(
      await suite.disbursement.queryFilter(suite.disbursement.filters.PayoutConfirmed(roster.rosterId)),
    ).to.have.length(0);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).returned).to.equal(0n);

    const header = await runCli(["bank", "settle"], {
      deployment,
      from: await fromOf(a.bank),
      roster: "1",
      file: await resultFile([[0, "CONFIRMED", "r"]], { header: "line,result,ref" }),
    });
    expect(header.exitCode).to.equal(1);
    expect(header.stderr).to.contain("the header lacks status (or 状态), bank_reference (or 银行流水号)");
  });

  it("a rerun after a partial run skips what is settled and finishes; a row the chain contradicts is refused", async () => {
    const { suite, a, programmeId, roster, deployment } = await networkHelpers.loadFixture(paidRoster);
    const bank = await fromOf(a.bank);
    // First run: the first half, from a file with Chinese headers (序号 counts from 1) and no BOM.
    const half = await resultFile(
      range(0, 200).map((i): Row => [i + 1, RETURNED.includes(i) ? "退回" : "成功", reference(i)]),
      { header: "序号,状态,银行流水号,金额", bom: false },
    );
    const first = jsonOf<SettleJson>(
      await runCli(["bank", "settle"], {
        deployment,
        from: bank,
        roster: "1",
        file: half,
        chunkSize: "64",
        json: true,
      }),
    );
    expect(first.confirmed.count).to.equal(198);
    expect(first.returned.count).to.equal(2);
    expect(await statuses(suite, roster)).to.deep.equal(expectedStatuses((i) => i < 200));

    // The full file: the first half is skipped, the rest is settled.
    const full = await resultFile(fullRows(range(0, LINES)));
    const second = await runCli(["bank", "settle"], { deployment, from: bank, roster: "1", file: full });
    expect(second.exitCode, second.stderr).to.equal(0);
    expect(second.stdout).to.contain("skipping 200 lines settled already (198 confirmed, 2 returned)");
    expect(second.stdout)
      .to.contain("confirmed 198 lines")
      .and.to.contain("returned 2 lines")
      .and.to.contain("skipped 200 settled already");
    expect(await statuses(suite, roster)).to.deep.equal(expectedStatuses(() => true));
    const returnedSum = RETURNED.reduce((s, i) => s + roster.lines[i]!.amount, 0n);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).returned).to.equal(returnedSum);

    // A third run has nothing left to send.
    const third = jsonOf<SettleJson>(
      await runCli(["bank", "settle"], { deployment, from: bank, roster: "1", file: full, json: true }),
    );
    expect(third.skipped).to.equal(LINES);
    expect(third.transactions).to.deep.equal([]);

    // The chain contradicts: line 0 is Confirmed, line 7 Returned.
    const contradicting = await resultFile([
      [0, "RETURNED", reference(0)],
      [7, "CONFIRMED", reference(7)],
    ]);
    const refused = await runCli(["bank", "settle"], { deployment, from: bank, roster: "1", file: contradicting });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stderr).to.contain("contradicts the chain, 2 issues; nothing was sent");
    expect(refused.stderr).to.contain(
      'line 2, status "RETURNED": 序号 1 is Confirmed on chain: a confirmed payout cannot be returned',
    );
    expect(refused.stderr).to.contain('line 3, status "CONFIRMED": 序号 8 is Returned on chain');
    expect(await suite.disbursement.lineStatus(roster.rosterId, 0)).to.equal(Status.Confirmed);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).returned).to.equal(returnedSum);
  });

  it("requests reversals of paid lines (the paying batch found from events), approves one and rejects another", async () => {
    const { suite, a, programmeId, roster, deployment } = await networkHelpers.loadFixture(paidRoster);
    await suite.disbursement
      .connect(a.bank)
      .confirmPayouts(roster.rosterId, [10], [keccak256(toUtf8Bytes(reference(10)))]);
    const disburser = await fromOf(a.disburser);
    const reason = "重复发放：该户已在乙镇名册领取 (paid twice)";

    const dry = jsonOf<{ reversalId: string }>(
      await runCli(["reversal", "request"], {
        deployment,
        from: disburser,
        roster: "1",
        line: "11",
        reason,
        dryRun: true,
        json: true,
      }),
    );
    expect(dry.reversalId).to.equal("1");
    expect(await suite.disbursement.reversalCount()).to.equal(0n);

    const requested = jsonOf<{ reversalId: string; amount: string; reasonHash: string }>(
      await runCli(["reversal", "request"], {
        deployment,
        from: disburser,
        roster: "1",
        line: "11",
        reason,
        json: true,
      }),
    );
    expect(requested.reversalId).to.equal("1");
    expect(requested.amount).to.equal(roster.lines[10]!.amount.toString());
    const rev1 = await suite.disbursement.reversal(1n);
    expect(rev1.status).to.equal(Reversal.Pending);
    expect(rev1.lineIndex).to.equal(10n);
    expect(rev1.household).to.equal(roster.lines[10]!.household);
    expect(rev1.reasonHash).to.equal(keccak256(toUtf8Bytes(reason)));

    const shown = jsonOf<{ status: string; lineStatus: string; line: number; decision: unknown }>(
      await runCli(["reversal", "show"], { deployment, id: "1", json: true }),
    );
    expect(shown).to.include({ status: "Pending", lineStatus: "Confirmed", line: 10 });
    expect(shown.decision).to.equal(null);

    // The requester may not review its own request.
    const own = await runCli(["reversal", "approve"], { deployment, from: disburser, id: "1" });
    expect(own.exitCode).to.equal(1);
    expect(own.stderr).to.contain("AccessManagedUnauthorized");
    const approved = await runCli(["reversal", "approve"], { deployment, from: await fromOf(a.deptCivil), id: "1" });
    expect(approved.exitCode, approved.stderr).to.equal(0);
    expect(approved.stdout).to.contain("awaits the bank's recovery");
    // Approved, the money is still on the household's card: nothing goes back yet.
    expect(await suite.disbursement.lineStatus(roster.rosterId, 10)).to.equal(Status.ReversalPendingRecovery);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reversed).to.equal(0n);
    expect(await suite.disbursement.isHouseholdPaid(programmeId, roster.lines[10]!.household)).to.equal(true);
    const after = jsonOf<{ status: string; lineStatus: string; decision: { department: number; approver: string } }>(
      await runCli(["reversal", "show"], { deployment, id: "1", json: true }),
    );
    expect(after.status).to.equal("Approved");
    expect(after.lineStatus).to.equal("ReversalPendingRecovery");
    expect(after.decision).to.include({ department: DEPT_CIVIL, approver: a.deptCivil.address });
    const twice = await runCli(["reversal", "approve"], { deployment, from: await fromOf(a.deptRural), id: "1" });
    expect(twice.exitCode).to.equal(1);
    expect(twice.stderr).to.contain("reversal 1 is Approved already");

    // The bank records the recovery; only the bank may, and only with a reference.
    const bank = await fromOf(a.bank);
    const noReference = await runCli(["bank", "recover"], { deployment, from: bank, reversal: "1" });
    expect(noReference.exitCode).to.equal(1);
    expect(noReference.stderr).to.contain("give --reference");
    const notBank = await runCli(["bank", "recover"], {
      deployment,
      from: disburser,
      reversal: "1",
      reference: "RCV-10",
    });
    expect(notBank.exitCode).to.equal(1);
    expect(notBank.stderr).to.contain("AccessManagedUnauthorized");
    const dryRecovery = await runCli(["bank", "recover"], {
      deployment,
      from: bank,
      reversal: "1",
      reference: "RCV-10",
      dryRun: true,
    });
    expect(dryRecovery.exitCode, dryRecovery.stderr).to.equal(0);
    expect(await suite.disbursement.lineStatus(roster.rosterId, 10)).to.equal(Status.ReversalPendingRecovery);
    const recovered = await runCli(["bank", "recover"], { deployment, from: bank, reversal: "1", reference: "RCV-10" });
    expect(recovered.exitCode, recovered.stderr).to.equal(0);
    expect(await suite.disbursement.lineStatus(roster.rosterId, 10)).to.equal(Status.Reversed);
    expect((await suite.ledger.balanceOf(programmeId, TOWNSHIP)).reversed).to.equal(roster.lines[10]!.amount);
    expect(await suite.disbursement.isHouseholdPaid(programmeId, roster.lines[10]!.household)).to.equal(false);
    const [recoveredEvent] = await suite.disbursement.queryFilter(suite.disbursement.filters.ReversalRecovered(1n));
    expect(recoveredEvent?.args.bankRefHash).to.equal(keccak256(toUtf8Bytes("RCV-10")));
    const shownRecovered = jsonOf<{ status: string; lineStatus: string; recovery: { bankRefHash: string } }>(
      await runCli(["reversal", "show"], { deployment, id: "1", json: true }),
    );
    expect(shownRecovered).to.include({ status: "Recovered", lineStatus: "Reversed" });
    expect(shownRecovered.recovery.bankRefHash).to.equal(keccak256(toUtf8Bytes("RCV-10")));
    const recoverAgain = await runCli(["bank", "recover"], {
      deployment,
      from: bank,
      reversal: "1",
      reference: "RCV-10",
    });
    expect(recoverAgain.exitCode).to.equal(1);
    expect(recoverAgain.stderr).to.contain(
      "reversal 1 is Recovered: only an Approved reversal awaits the bank's recovery",
    );
    const again = await runCli(["reversal", "request"], {
      deployment,
      from: disburser,
      roster: "1",
      line: "11",
      reason,
    });
    expect(again.exitCode).to.equal(1);
    expect(again.stderr).to.contain("序号 11 of roster 1 is Reversed");

    // Line 250 is paid but not confirmed: the bank returns such a payout, it is not reversed.
    const reasonFile = path.join(await tempDir(), "reason.txt");
    await writeFile(reasonFile, "金额录入错误 (wrong amount typed)\n");
    const unconfirmed = await runCli(["reversal", "request"], {
      deployment,
      from: disburser,
      roster: "1",
      line: "251",
      reasonFile,
    });
    expect(unconfirmed.exitCode).to.equal(1);
    expect(unconfirmed.stderr).to.contain(
      "序号 251 of roster 1 is Paid but not yet confirmed by the bank: ask the bank to return it",
    );
    const confirm250 = await resultFile([[250, "CONFIRMED", reference(250)]]);
    expect(
      (await runCli(["bank", "settle"], { deployment, from: bank, roster: "1", file: confirm250 })).exitCode,
    ).to.equal(0);
    // Line 250 was paid in the second batch (in reverse order): its position there is found from the events.
    const second = jsonOf<{ reversalId: string }>(
      await runCli(["reversal", "request"], {
        deployment,
        from: disburser,
        roster: "1",
        line: "251",
        reasonFile,
        json: true,
      }),
    );
    expect(second.reversalId).to.equal("2");
    const pendingRecovery = await runCli(["bank", "recover"], {
      deployment,
      from: bank,
      reversal: "2",
      reference: "RCV-250",
    });
    expect(pendingRecovery.exitCode).to.equal(1);
    expect(pendingRecovery.stderr).to.contain(
      "reversal 2 is Pending: only an Approved reversal awaits the bank's recovery (a department must approve it first)",
    );
    const rejectReason = "金额核对无误 (the amount is right)";
    const rejected = await runCli(["reversal", "reject"], {
      deployment,
      from: await fromOf(a.deptFinance),
      id: "2",
      reason: rejectReason,
    });
    expect(rejected.exitCode, rejected.stderr).to.equal(0);
    const rev2 = await suite.disbursement.reversal(2n);
    expect(rev2.status).to.equal(Reversal.Rejected);
    expect(rev2.lineIndex).to.equal(250n);
    expect(rev2.reasonHash).to.equal(keccak256(Buffer.from("金额录入错误 (wrong amount typed)\n")));
    expect(await suite.disbursement.lineStatus(roster.rosterId, 250)).to.equal(Status.Confirmed);
    const [rejectedEvent] = await suite.disbursement.queryFilter(suite.disbursement.filters.ReversalRejected(2n));
    expect(rejectedEvent?.args.reasonHash).to.equal(keccak256(toUtf8Bytes(rejectReason)));
    expect(rejectedEvent?.args.department).to.equal(BigInt(DEPT_FINANCE));
    const none = await runCli(["reversal", "show"], { deployment, id: "3" });
    expect(none.exitCode).to.equal(1);
    expect(none.stderr).to.contain("there is no reversal 3 (2 have been requested)");

    // The bank's file still lists line 10 as credited: it was confirmed before the reversal, so it is
    // skipped; a return of it is refused, since its money came back through the recovery.
    const file = await resultFile([
      [10, "CONFIRMED", reference(10)],
      [250, "CONFIRMED", reference(250)],
      [251, "CONFIRMED", reference(251)],
    ]);
    const settled = jsonOf<SettleJson>(
      await runCli(["bank", "settle"], { deployment, from: bank, roster: "1", file, json: true }),
    );
    expect(settled.skipped).to.equal(2);
    expect(settled.confirmed.count).to.equal(1);
    expect(await suite.disbursement.lineStatus(roster.rosterId, 251)).to.equal(Status.Confirmed);
    const returning = await runCli(["bank", "settle"], {
      deployment,
      from: bank,
      roster: "1",
      file: await resultFile([[10, "RETURNED", reference(10)]]),
    });
    expect(returning.exitCode).to.equal(1);
    expect(returning.stderr).to.contain("序号 11 is Reversed on chain: it was confirmed, then reversed");
  });
});
