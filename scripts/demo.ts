/**
 * The life of one fund on the embedded chain (the in-process Hardhat network), narrated:
 * deploy → governance wires roles (scheduled, delayed) → programme → budget to three townships →
 * 2,000 synthetic households → three rosters → joint sign-off (one department by EIP-712 seals) →
 * publicity with one objection upheld and one dismissed → payouts in chunks (a deceased household's
 * line refused) → bank confirms most and returns ~1% → one reversal → rosters closed →
 * reconciliation per programme and township, checked to the fen against the demo's own books.
 * Exits non-zero if anything does not reconcile.
 *
 * All households are synthetic: commitments are hashes of made-up labels (the roster tooling that
 * derives commitments from ID numbers and query codes is a separate part of the project).
 */
import { id, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { approvalDomain, APPROVAL_TYPES, firstNonceFor, sortBySigner } from "../src/approvals.js";
import { batchProof, buildLineTree, lineProof, packLine, paidBatch, positionIn, type RosterLine } from "../src/lines.js";
import { formatFen } from "../src/money.js";
import { Role } from "../src/roles.js";
import { deploySuite } from "../src/suite.js";

const DAY = 24 * 60 * 60;
const COUNTY = 110101000000n;
const TOWNSHIPS = [110101001000n, 110101002000n, 110101003000n];
const DEPARTMENTS = { civilAffairs: 0, ruralRevitalisation: 1, finance: 2 };
const HOUSEHOLDS = 2_000;
const CHUNK = 500;
const CAP = 150_000n; // 1,500.00 yuan

const say = (text: string) => console.log(text);
const step = (text: string) => console.log(`\n== ${text}`);

const connection = await network.getOrCreate();
const { ethers, networkHelpers } = connection;
const [deployer, governance, programmeAdmin, county, t1, t2, t3, civilAffairs, deptCivil, deptRural, deptFinance, disburser, bank, resident] =
  await ethers.getSigners();
if (!resident || !deployer) throw new Error("the embedded network has too few accounts");
const townshipBureaus = [t1!, t2!, t3!];

step("Deploying the suite through its Ignition module");
const suite = await deploySuite(connection);
say(`AccessManager ${await suite.manager.getAddress()}; governance ${governance!.address} holds ADMIN with a 1-day delay`);

step("Governance wires roles and the directory: scheduled, evented, executed after the delays");
const m = suite.manager.connect(governance!);
const grants: Array<[bigint, string]> = [
  [Role.PROGRAMME_ADMIN, programmeAdmin!.address],
  [Role.BUREAU, county!.address],
  ...townshipBureaus.map((b): [bigint, string] => [Role.BUREAU, b.address]),
  [Role.CIVIL_AFFAIRS, civilAffairs!.address],
  [Role.REVIEWER, deptCivil!.address],
  [Role.REVIEWER, deptRural!.address],
  [Role.REVIEWER, deptFinance!.address],
  [Role.DISBURSER, disburser!.address],
  [Role.BANK, bank!.address],
];
const directory = await suite.directory.getAddress();
const managerAddress = await suite.manager.getAddress();
const ops: Array<{ target: string; data: string }> = [
  ...grants.map(([role, who]) => ({ target: managerAddress, data: m.interface.encodeFunctionData("grantRole", [role, who, 0]) })),
  ...[[COUNTY, county!], ...TOWNSHIPS.map((t, i) => [t, townshipBureaus[i]!] as const)].map(([region, who]) => ({
    target: directory,
    data: suite.directory.interface.encodeFunctionData("setRegionBureau", [region as bigint, (who as { address: string }).address]),
  })),
  ...([
    [DEPARTMENTS.civilAffairs, deptCivil!],
    [DEPARTMENTS.ruralRevitalisation, deptRural!],
    [DEPARTMENTS.finance, deptFinance!],
  ] as const).map(([dept, who]) => ({ target: directory, data: suite.directory.interface.encodeFunctionData("setDepartment", [dept, who.address]) })),
];
const scheduled = await (await m.multicall(ops.map((op) => m.interface.encodeFunctionData("schedule", [op.target, op.data, 0])))).wait();
say(`${scheduled!.logs.length} operations scheduled (OperationScheduled events: the public sees them before they run)`);
await networkHelpers.time.increase(2 * DAY);
await m.multicall(ops.map((op) => m.interface.encodeFunctionData("execute", [op.target, op.data])));
say(`executed after 2 days: ${grants.length} roles granted, 4 bureaus and 3 departments bound`);

step("Creating the programme and funding its budget tree");
const terms = {
  budgetCeiling: 300_000_000n,
  householdCap: CAP,
  publicityPeriod: 7 * DAY,
  requiredDepartments: 0b111n,
  policyDocHash: id("demo policy: minimum living allowance, November 2026"),
  policyURI: "https://policy.example/minimum-living-allowance-2026-11.pdf",
};
await suite.programmes.connect(programmeAdmin!).createProgramme(id("EARMARK-MLA"), 202611, COUNTY, terms);
const programmeId = 1n;
await suite.ledger.connect(programmeAdmin!).fundProgramme(programmeId, terms.budgetCeiling);
const allocations = [100_000_000n, 90_000_000n, 80_000_000n];
for (const [i, township] of TOWNSHIPS.entries()) {
  await suite.ledger.connect(county!).allocate(programmeId, COUNTY, township, allocations[i]!);
}
say(`programme ${programmeId}: ceiling ${formatFen(terms.budgetCeiling)} yuan, cap ${formatFen(CAP)} per household, 7-day publicity`);
say(`county allocated ${allocations.map(formatFen).join(", ")} yuan to the three townships`);

step(`Registering ${HOUSEHOLDS} synthetic households on civil-affairs attestation`);
const commitments = Array.from({ length: HOUSEHOLDS }, (_, i) => keccak256(toUtf8Bytes(`demo-household-${i + 1}`)));
for (let i = 0; i < HOUSEHOLDS; i += 250) {
  await suite.households.connect(civilAffairs!).registerHouseholds(commitments.slice(i, i + 250), id(`attestation ${i / 250 + 1}`));
}
say(`${await suite.households.householdCount()} households registered (ids 1…${HOUSEHOLDS})`);

step("Three townships submit rosters (only the root, count, total and list hash go on chain)");
const perTownship = [700, 650, 650];
const rosters: Array<{ id: bigint; region: bigint; lines: RosterLine[]; tree: ReturnType<typeof buildLineTree>; bureau: (typeof townshipBureaus)[number] }> = [];
let nextHousehold = 1n;
for (const [i, township] of TOWNSHIPS.entries()) {
  const lines = Array.from({ length: perTownship[i]! }, (_, k): RosterLine => ({
    index: k,
    household: nextHousehold + BigInt(k),
    amount: 60_000n + BigInt((k * 7919) % 90) * 1_000n, // 600.00 … 1,490.00 yuan
  }));
  nextHousehold += BigInt(lines.length);
  const tree = buildLineTree(lines);
  const total = lines.reduce((s, l) => s + l.amount, 0n);
  await suite.rosterBook.connect(townshipBureaus[i]!).submitRoster({
    programmeId,
    region: township,
    root: tree.root,
    lineCount: lines.length,
    total,
    documentHash: id(`published list of township ${township}`),
    documentURI: `https://notice.example/${township}.csv`,
  });
  rosters.push({ id: BigInt(i + 1), region: township, lines, tree, bureau: townshipBureaus[i]! });
  say(`roster ${i + 1} for ${township}: ${lines.length} lines, ${formatFen(total)} yuan reserved`);
}

step("Joint sign-off: civil affairs and rural revitalisation by transaction, finance by EIP-712 seals relayed by anyone");
const { chainId } = await ethers.provider.getNetwork();
const domain = approvalDomain(await suite.rosterBook.getAddress(), chainId);
const deadline = BigInt((await networkHelpers.time.latest()) + DAY);
for (const r of rosters) {
  await suite.rosterBook.connect(deptCivil!).approveRoster(r.id);
  await suite.rosterBook.connect(deptRural!).approveRoster(r.id);
  const nonce = firstNonceFor(r.id);
  const signature = await deptFinance!.signTypedData(domain, APPROVAL_TYPES, {
    rosterId: r.id,
    root: r.tree.root,
    department: DEPARTMENTS.finance,
    nonce,
    deadline,
  });
  const seals = sortBySigner([{ signer: deptFinance!.address, department: DEPARTMENTS.finance, nonce, deadline, signature }]);
  await suite.rosterBook.connect(resident).approveRosterBySig(r.id, seals.map(({ signer: _, ...rest }) => rest));
}
say("all three rosters signed off; publicity (公示) runs for 7 days");

step("Publicity: two objections, one upheld and one dismissed; a household is reported deceased");
const first = rosters[0]!;
await suite.rosterBook.connect(resident).objectToLine(first.id, 10, id("evidence: not resident in the village"));
await suite.rosterBook.connect(resident).objectToLine(first.id, 20, id("evidence: income above threshold"));
await suite.rosterBook.connect(deptCivil!).resolveObjection(first.id, first.lines[10]!, lineProof(first.tree, 10), true, id("upheld after visit"));
await suite.rosterBook.connect(deptRural!).resolveObjection(first.id, first.lines[20]!, lineProof(first.tree, 20), false, id("income verified"));
say(`line 10 of roster 1 excluded (${formatFen(first.lines[10]!.amount)} yuan released); line 20 dismissed and payable`);
const deceased = rosters[1]!.lines[5]!;
await suite.households.connect(civilAffairs!).suspendHousehold(deceased.household, 0, id("death certificate"));
say(`household ${deceased.household} suspended as deceased`);
await networkHelpers.time.increase(7 * DAY);

step(`Payouts in chunks of up to ${CHUNK} lines, each chunk proven by one Merkle multiproof`);
const paidBatches: Array<{ roster: (typeof rosters)[number]; batch: ReturnType<typeof paidBatch>; lines: RosterLine[] }> = [];
let paidTotal = 0n;
let gasTotal = 0n;
let linesPaid = 0;
for (const r of rosters) {
  const payable = r.lines.filter((l) => !(r === first && l.index === 10) && !(r === rosters[1] && l.index === deceased.index));
  for (let i = 0; i < payable.length; i += CHUNK) {
    const b = batchProof(r.tree, payable.slice(i, i + CHUNK).map((l) => l.index));
    const receipt = await (await suite.disbursement.connect(disburser!).recordPayouts(r.id, b.lines.map(packLine), b.proof, b.proofFlags)).wait();
    gasTotal += receipt!.gasUsed;
    linesPaid += b.lines.length;
    paidTotal += b.lines.reduce((s, l) => s + l.amount, 0n);
    const batchId = Number(await suite.disbursement.batchCount(r.id));
    paidBatches.push({ roster: r, batch: paidBatch(batchId, b.lines), lines: b.lines });
  }
}
say(`${linesPaid} lines paid, ${formatFen(paidTotal)} yuan, ${(Number(gasTotal) / linesPaid).toFixed(0)} gas per line on average`);
const refused = batchProof(rosters[1]!.tree, [deceased.index]);
try {
  await suite.disbursement.connect(disburser!).recordPayouts(rosters[1]!.id, refused.lines.map(packLine), refused.proof, refused.proofFlags);
  throw new Error("the deceased household's line was paid: the contracts failed to refuse it");
} catch (e) {
  const reason = suite.disbursement.interface.parseError((e as { data?: string }).data ?? "0x");
  if (reason?.name !== "DisbursementHouseholdSuspended") throw e;
  say(`the deceased household's line was refused by the contract (${reason.name})`);
}

step("Settlement: the bank confirms about 99% and returns about 1% (closed accounts)");
let returnedTotal = 0n;
let confirmed = 0;
for (const { roster, batch, lines } of paidBatches) {
  const returned = lines.filter((l) => l.index % 97 === 3);
  const confirm = lines.filter((l) => l.index % 97 !== 3);
  for (let i = 0; i < confirm.length; i += CHUNK) {
    const slice = confirm.slice(i, i + CHUNK);
    await suite.disbursement.connect(bank!).confirmPayouts(roster.id, slice.map((l) => l.index), slice.map((l) => id(`bank credit ${roster.id}/${l.index}`)));
  }
  confirmed += confirm.length;
  if (returned.length > 0) {
    await suite.disbursement.connect(bank!).returnPayouts(
      roster.id,
      batch,
      returned.map((l) => positionIn(lines, l.index)),
      returned,
      returned.map((l) => id(`bank return ${roster.id}/${l.index}`)),
    );
    returnedTotal += returned.reduce((s, l) => s + l.amount, 0n);
  }
}
say(`${confirmed} payouts confirmed; returned ${formatFen(returnedTotal)} yuan back to the townships' budgets`);

step("Correction: one reversal entry (红字冲销), requested by the disburser, approved by finance");
const wrong = paidBatches[2]!;
const reversedLine = wrong.lines.find((l) => l.index % 97 !== 3)!;
await suite.disbursement
  .connect(disburser!)
  .requestReversal(wrong.roster.id, wrong.batch, positionIn(wrong.lines, reversedLine.index), reversedLine, id("paid twice by hand"));
await suite.disbursement.connect(deptFinance!).approveReversal(1n);
say(`line ${reversedLine.index} of roster ${wrong.roster.id} reversed: ${formatFen(reversedLine.amount)} yuan back to ${wrong.roster.region}`);

step("Closing the rosters: what they did not pay goes back to each township");
for (const r of rosters) await suite.rosterBook.connect(r.bureau).closeRoster(r.id);

step("Reconciliation per programme and township (fen-exact)");
let ok = true;
const check = (what: string, actual: bigint, expected: bigint) => {
  if (actual !== expected) {
    ok = false;
    console.error(`MISMATCH ${what}: chain ${formatFen(actual)} vs books ${formatFen(expected)}`);
  }
};
const rows: string[][] = [["region", "received", "passed down", "reserved", "paid", "available", "returned", "reversed"]];
for (const region of [COUNTY, ...TOWNSHIPS]) {
  const b = await suite.ledger.balanceOf(programmeId, region);
  check(`identity at ${region}`, b.received, b.allocatedOut + b.reserved + b.paid + b.available);
  rows.push([region.toString(), ...[b.received, b.allocatedOut, b.reserved, b.paid, b.available, b.returned, b.reversed].map(formatFen)]);
}
const totals = await suite.ledger.totalsOf(programmeId);
check("funded", totals.funded, terms.budgetCeiling);
check("paid (net)", totals.paid, paidTotal - returnedTotal - reversedLine.amount);
check("returned", totals.returned, returnedTotal);
check("reversed", totals.reversed, reversedLine.amount);
check("reserved after closing", totals.reserved, 0n);
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) say(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
say(`programme: funded ${formatFen(totals.funded)}, paid ${formatFen(totals.paid)}, returned ${formatFen(totals.returned)}, reversed ${formatFen(totals.reversed)} yuan`);

step("Household self-checks (by commitment, as a resident's page would)");
for (const household of [1n, deceased.household, rosters[0]!.lines[10]!.household, reversedLine.household]) {
  const v = await suite.lens.householdView(commitments[Number(household) - 1]!, programmeId);
  const status = ["unregistered", "active", "suspended"][Number(v.status)];
  say(`household ${v.household}: ${status}, ${v.paidInProgramme ? "holds a payout" : "holds no payout"} in programme ${programmeId}`);
}

if (!ok) {
  console.error("\nThe chain does not reconcile with the books.");
  process.exit(1);
}
say("\nEverything reconciles to the fen.");
