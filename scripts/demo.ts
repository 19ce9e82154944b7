/**
 * The life of one fund on the embedded chain (the in-process Hardhat network), through the same
 * code a bureau uses (src/): deploy → governance grants roles and binds every office to its region
 * (scheduled, then executed after the delay) → a programme of a city with two counties, reviewed in
 * three ordered stages (township civil affairs, county civil affairs, county finance) → budget from
 * the city to two counties and on to three townships → synthetic roster files written as CSV and
 * XLSX (2,000+ households with fictitious ID numbers) → read and validated → households registered
 * on civil-affairs attestation → rosters submitted with their published lists → sign-off stage by
 * stage (county finance by EIP-712 seals relayed by anyone) → publicity: one objection upheld,
 * one dismissed, a household dies and its line is refused → payouts in chunks by each county's
 * treasury (the other county's treasury is refused) → the bank confirms most and returns ~1% → one
 * reversal, recovered by the bank → an overdue line → rosters closed → reconciliation per region, to the fen, against the demo's own books → household self-checks with ID number and
 * query code. Exits non-zero if anything does not reconcile. Files go to demo-output/.
 *
 * It also runs against a fresh persistent node that lets it move time (anvil, Hardhat node):
 * `npx hardhat run scripts/demo.ts --network <name>`. Environment: DEMO_OUT=<dir> writes the files
 * there instead of demo-output/; DEMO_RECORD=<file> writes a JSON record of the deployment and of a
 * few households' ID numbers and query codes (taken from the roster files and notices), for the
 * residents' end-to-end test (test/e2e). That record holds query codes: it is test data only.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { id, keccak256, toUtf8Bytes, ZeroHash } from "ethers";
import { network } from "hardhat";
import writeXlsxFile from "write-excel-file/node";

import { approvalDomain, APPROVAL_TYPES, firstNonceFor } from "../src/approvals.js";
import { paidBatchesOf } from "../src/chain/batches.js";
import { decodeRevert } from "../src/chain/errors.js";
import { submitRosterWithLines } from "../src/chain/listing.js";
import { enumLabel, lineStatusName } from "../src/chain/states.js";
import { planPayout } from "../src/chain/payout-plan.js";
import { sendPayouts } from "../src/chain/payout-send.js";
import { lineProof, packLine, batchProof, seqOf } from "../src/lines.js";
import { formatFen } from "../src/money.js";
import { describeStages, OfficeKind, packStages } from "../src/offices.js";
import { bundleTree, type RosterBundle, submissionOf } from "../src/outputs/index.js";
import { householdCommitment } from "../src/privacy/commitment.js";
import { generateBureauSecret } from "../src/privacy/secret.js";
import { assertValidRoster, readRosterFile, syntheticIdNumber } from "../src/roster/index.js";
import { Role } from "../src/roles.js";
import { deploySuite } from "../src/suite.js";
import {
  PeopleAlreadyRegisteredError,
  prepareHouseholds,
  registerHouseholds,
  withPersonTags,
} from "../src/workflow/households.js";
import { HouseholdsOutsideRegionError, owedLines, prepareRoster, writeRosterFiles } from "../src/workflow/roster.js";
import { planSettlement } from "../src/chain/settlement-plan.js";
import { sendSettlement } from "../src/chain/settlement-send.js";
import { readBankResults, SETTLEMENT_HEADER_ZH } from "../src/roster/bank-results.js";
import { formatIssues } from "../src/roster/issues.js";

const DAY = 24 * 60 * 60;
const OUT = process.env.DEMO_OUT || "demo-output";
const CITY = 110100000000n;
const COUNTIES = [110101000000n, 110102000000n];
/** Two townships of the first county, one of the second. */
const TOWNSHIPS = [110101001000n, 110101002000n, 110102001000n];
const COUNTY_OF = [0, 0, 1];
const HOUSEHOLDS_PER_TOWNSHIP = [720, 680, 660];
const DEPARTMENTS = { civilAffairs: 0, finance: 2 };
const LEVEL = { county: 3, township: 4 };
const CAP = 150_000n; // 1,500.00 yuan

const say = (text: string) => console.log(text);
const step = (text: string) => console.log(`\n== ${text}`);
const started = Date.now();

const connection = await network.getOrCreate();
const { ethers, networkHelpers } = connection;
const signers = await ethers.getSigners();
// One account per office (an account holds one office, for life); the deploying account, which holds
// nothing after deployment, plays a resident who objects and relays seals.
const [
  resident,
  governance,
  programmeAdmin,
  cityBureau,
  cb1,
  cb2,
  t1,
  t2,
  t3,
  civilAffairs,
  tc1,
  tc2,
  tc3,
  cc1,
  cc2,
  cf1,
  cf2,
  treasury1,
  treasury2,
  bank,
] = signers;
if (!bank || !resident)
  throw new Error("the network has too few accounts (the demo needs 20: `npm run node` starts anvil with 20)");
const countyBureaus = [cb1!, cb2!];
const townshipBureaus = [t1!, t2!, t3!];
/** Township civil-affairs reviewing offices (stage 1), county civil-affairs (stage 2), county finance (stage 3). */
const townshipCivil = [tc1!, tc2!, tc3!];
const countyCivil = [cc1!, cc2!];
const countyFinance = [cf1!, cf2!];
const treasuries = [treasury1!, treasury2!];

// ---------------------------------------------------------------------------------------------
step("Deploying the suite through its Ignition module (governance holds ADMIN with a 1-day delay)");
const startBlock = await ethers.provider.getBlockNumber();
const suite = await deploySuite(connection);
if ((await suite.programmes.programmeCount()) !== 0n) {
  throw new Error(
    "the demo needs a fresh chain: Ignition reused a suite that already holds programmes (restart the node, or delete its ignition/deployments/chain-<id> record)",
  );
}
say(`AccessManager ${suite.addresses.manager}, Disbursement ${suite.addresses.disbursement}`);

step("Governance schedules role grants and binds every office to its region; they run only after the delay");
const m = suite.manager.connect(governance!);
type Who = (typeof signers)[number];
const offices: Array<[Who, bigint, number, bigint, number]> = [
  // [account, role, office kind, region, department]
  [cityBureau!, Role.BUREAU, OfficeKind.Bureau, CITY, 0],
  ...COUNTIES.map((c, i): [Who, bigint, number, bigint, number] => [
    countyBureaus[i]!,
    Role.BUREAU,
    OfficeKind.Bureau,
    c,
    0,
  ]),
  ...TOWNSHIPS.map((t, i): [Who, bigint, number, bigint, number] => [
    townshipBureaus[i]!,
    Role.BUREAU,
    OfficeKind.Bureau,
    t,
    0,
  ]),
  [civilAffairs!, Role.CIVIL_AFFAIRS, OfficeKind.CivilAffairs, CITY, 0],
  ...TOWNSHIPS.map((t, i): [Who, bigint, number, bigint, number] => [
    townshipCivil[i]!,
    Role.REVIEWER,
    OfficeKind.Reviewer,
    t,
    DEPARTMENTS.civilAffairs,
  ]),
  ...COUNTIES.map((c, i): [Who, bigint, number, bigint, number] => [
    countyCivil[i]!,
    Role.REVIEWER,
    OfficeKind.Reviewer,
    c,
    DEPARTMENTS.civilAffairs,
  ]),
  ...COUNTIES.map((c, i): [Who, bigint, number, bigint, number] => [
    countyFinance[i]!,
    Role.REVIEWER,
    OfficeKind.Reviewer,
    c,
    DEPARTMENTS.finance,
  ]),
  ...COUNTIES.map((c, i): [Who, bigint, number, bigint, number] => [
    treasuries[i]!,
    Role.DISBURSER,
    OfficeKind.Treasury,
    c,
    0,
  ]),
  [bank!, Role.BANK, OfficeKind.Bank, CITY, 0],
];
const grants: Array<[bigint, string]> = [
  [Role.PROGRAMME_ADMIN, programmeAdmin!.address],
  ...offices.map(([who, role]): [bigint, string] => [role, who.address]),
];
const bindings: Array<{ target: string; data: string }> = offices.map(([who, , kind, region, department]) => ({
  target: suite.addresses.directory,
  data: suite.directory.interface.encodeFunctionData("bindOffice", [who.address, { kind, department, region }]),
}));
const ops = [
  ...grants.map(([role, who]) => ({
    target: suite.addresses.manager,
    data: m.interface.encodeFunctionData("grantRole", [role, who, 0]),
  })),
  ...bindings,
];
await (await m.multicall(ops.map((op) => m.interface.encodeFunctionData("schedule", [op.target, op.data, 0])))).wait();
say(`${ops.length} operations scheduled; the public sees them as OperationScheduled events`);
await networkHelpers.time.increase(2 * DAY);
await (await m.multicall(ops.map((op) => m.interface.encodeFunctionData("execute", [op.target, op.data])))).wait();
say(
  `two days later: ${grants.length} roles granted and ${bindings.length} offices bound (6 bureaus, a civil-affairs registry, 7 reviewing offices, 2 county treasuries, the agent bank)`,
);

// ---------------------------------------------------------------------------------------------
step("Creating the programme and funding its budget tree: city → two counties → three townships");
// 村级采集—乡镇审核—县级审批: villages collect (the roster files), the township's civil affairs reviews,
// then the county's civil affairs and finance approve, in this order.
const reviewStages = {
  stages: [
    { department: DEPARTMENTS.civilAffairs, level: LEVEL.township },
    { department: DEPARTMENTS.civilAffairs, level: LEVEL.county },
    { department: DEPARTMENTS.finance, level: LEVEL.county },
  ],
  ordered: true,
};
const terms = {
  budgetCeiling: 300_000_000n,
  householdCap: CAP,
  publicityPeriod: 7 * DAY,
  payoutPeriod: 30 * 24 * 60 * 60,
  reviewStages: packStages(reviewStages),
  policyDocHash: id("demo policy: minimum living allowance, November 2026"),
  policyURI: "https://policy.example/minimum-living-allowance-2026-11.pdf",
};
await (
  await suite.programmes
    .connect(programmeAdmin!)
    .createProgramme(ethers.encodeBytes32String("MLA-2026-11"), 202611, CITY, terms)
).wait();
const programmeId = 1n;
await (await suite.ledger.connect(programmeAdmin!).fundProgramme(programmeId, terms.budgetCeiling)).wait();
const allocations = [100_000_000n, 95_000_000n, 85_000_000n];
const countyAllocations = COUNTIES.map((_, c) =>
  allocations.filter((_, t) => COUNTY_OF[t] === c).reduce((x, y) => x + y, 0n),
);
for (const [c, county] of COUNTIES.entries()) {
  await (await suite.ledger.connect(cityBureau!).allocate(programmeId, CITY, county, countyAllocations[c]!)).wait();
}
for (const [i, township] of TOWNSHIPS.entries()) {
  await (
    await suite.ledger
      .connect(countyBureaus[COUNTY_OF[i]!]!)
      .allocate(programmeId, COUNTIES[COUNTY_OF[i]!]!, township, allocations[i]!)
  ).wait();
}
say(
  `programme ${programmeId} (MLA-2026-11) of city ${CITY}: ceiling ${formatFen(terms.budgetCeiling)} yuan, cap ${formatFen(CAP)} per household`,
);
say(`review: ${describeStages(reviewStages)}`);
say(
  `the city allocated ${countyAllocations.map(formatFen).join(" and ")} yuan to two counties; they allocated ${allocations.map(formatFen).join(", ")} yuan to three townships`,
);

// ---------------------------------------------------------------------------------------------
step("Writing the townships' roster files (synthetic, fictitious ID numbers)");
await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const bureauSecret = generateBureauSecret(); // a real bureau keeps one in Hardhat's keystore
const rosterFiles: string[] = [];
let serial = 0;
for (const [t, township] of TOWNSHIPS.entries()) {
  const rows: Array<{ idNumber: string; name: string; village: bigint; yuan: string }> = [];
  for (let i = 0; i < HOUSEHOLDS_PER_TOWNSHIP[t]!; i++, serial++) {
    const fen = 60_000n + BigInt((serial * 7919) % 90) * 1_000n + BigInt(serial % 4) * 25n; // 600.00 … 1,490.75
    rows.push({
      idNumber: syntheticIdNumber(serial),
      name: `样例${String.fromCodePoint(0x4e00 + (serial % 2000))}${String.fromCodePoint(0x4e00 + ((serial * 31) % 2000))}`,
      village: township + BigInt(1 + (i % 12)),
      yuan: `${(fen / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${(fen % 100n).toString().padStart(2, "0")}`,
    });
  }
  if (t < 2) {
    // CSV as spreadsheets export it: UTF-8 with BOM, CRLF, amounts with thousands separators, a lowercase x.
    const lines = [
      "身份证号,姓名,村代码,金额(元)",
      ...rows.map((r) => `${r.idNumber.toLowerCase()},${r.name},${r.village},"${r.yuan}"`),
    ];
    const file = path.join(OUT, `roster-${township}.csv`);
    await writeFile(file, `\uFEFF${lines.join("\r\n")}\r\n`);
    rosterFiles.push(file);
  } else {
    const file = path.join(OUT, `roster-${township}.xlsx`);
    const sheet = [
      ["身份证号", "姓名", "村代码", "金额(元)"].map((value) => ({ value })),
      ...rows.map((r) => [
        { value: r.idNumber },
        { value: r.name },
        { value: String(r.village) },
        { value: Number(r.yuan.replace(/,/g, "")), format: "#,##0.00" },
      ]),
    ];
    await writeFile(file, await writeXlsxFile(sheet).toBuffer());
    rosterFiles.push(file);
  }
  say(`${rosterFiles.at(-1)}: ${rows.length} households`);
}

step("Reading and validating the files exactly as `roster submit` does; registering the households");
const prepared: Array<ReturnType<typeof prepareHouseholds>> = [];
for (const [t, file] of rosterFiles.entries()) {
  const result = await readRosterFile(file, { householdCap: CAP, region: TOWNSHIPS[t]! });
  const entries = assertValidRoster(result);
  prepared.push(prepareHouseholds(entries, bureauSecret));
  say(
    `${file} (${result.source.format}${result.source.encoding ? `, ${result.source.encoding}` : ""}): ${entries.length} valid lines`,
  );
}
const dedupKey = generateBureauSecret(); // the registering office's deduplication key, kept in its keystore
const registration = await registerHouseholds(
  suite,
  civilAffairs!,
  withPersonTags(prepared.flat(), dedupKey),
  id("civil affairs attestation, demo batch"),
);
say(
  `civil affairs registered ${registration.registered} households in ${registration.transactions.length} transactions, each in the township of its village (only commitments, keyed person tags and the township go on chain)`,
);
// A bureau that lost its secret and made a new one would get new commitments for the same people:
// the register refuses them, so nobody gets a second identity.
const secondIdentity = withPersonTags(
  prepareHouseholds(
    prepared[0]!.map((h) => h.entry),
    generateBureauSecret(),
  ),
  dedupKey,
);
try {
  await registerHouseholds(suite, civilAffairs!, secondIdentity, id("a second attempt under a new bureau secret"));
  throw new Error("the demo registered a second identity for the same people");
} catch (error) {
  if (!(error instanceof PeopleAlreadyRegisteredError)) throw error;
  say(
    `registering the same people under a new bureau secret is refused: ${error.conflicts.length} of ${error.total} registered already; nothing sent`,
  );
}

step("Submitting the three rosters with their published lists");
const rosters: Array<{ id: bigint; region: bigint; bundle: RosterBundle; bureau: (typeof townshipBureaus)[number] }> =
  [];
for (const [t, township] of TOWNSHIPS.entries()) {
  const roster = await prepareRoster(suite, {
    programmeId,
    region: township,
    documentURI: `https://notice.example/${township}/published-list.csv`,
    households: prepared[t]!,
  });
  await writeRosterFiles(path.join(OUT, String(township)), roster);
  const b = roster.bundle;
  // Every line goes on chain; the contract builds the root and total from them and seals the roster.
  const listing = await submitRosterWithLines(suite, townshipBureaus[t]!, submissionOf(b), bundleTree(b));
  rosters.push({ id: listing.rosterId, region: township, bundle: b, bureau: townshipBureaus[t]! });
  say(
    `roster ${rosters.at(-1)!.id} for ${township}: ${b.lineCount} lines on chain in ${listing.transactions} transaction(s), sealed; ${formatFen(b.total)} yuan reserved; published list hash ${b.documentHash.slice(0, 18)}…`,
  );
}
// Households belong to the township that registered them: a roster of another township cannot
// list them (the tool refuses before sending; the chain would refuse their payout too).
try {
  await prepareRoster(suite, {
    programmeId,
    region: TOWNSHIPS[1]!,
    documentURI: "",
    households: prepared[0]!.slice(0, 2),
  });
  throw new Error("the demo drew up a roster with another township's households");
} catch (error) {
  if (!(error instanceof HouseholdsOutsideRegionError)) throw error;
  say(
    `a roster of ${TOWNSHIPS[1]} listing two households of ${TOWNSHIPS[0]} is refused: ${error.outside.length} registered outside its region; nothing sent`,
  );
}

// ---------------------------------------------------------------------------------------------
step(
  "Sign-off in order: township civil affairs, county civil affairs, then county finance by an EIP-712 seal relayed by a resident's account",
);
const { chainId } = await ethers.provider.getNetwork();
const domain = approvalDomain(suite.addresses.rosterBook, chainId);
// Out of order, the county's finance office is refused: the township has not reviewed yet.
try {
  await suite.rosterBook.connect(countyFinance[0]!).approveRoster.staticCall(rosters[0]!.id);
  throw new Error("the county finance office approved before the township reviewed");
} catch (error) {
  if (decodeRevert(error)?.name !== "RosterBookStageOutOfOrder") throw error;
  say("county finance approving first: refused by the contract (RosterBookStageOutOfOrder)");
}
for (const [t, r] of rosters.entries()) {
  const c = COUNTY_OF[t]!;
  await (await suite.rosterBook.connect(townshipCivil[t]!).approveRoster(r.id)).wait();
  await (await suite.rosterBook.connect(countyCivil[c]!).approveRoster(r.id)).wait();
  const nonce = firstNonceFor(r.id);
  const deadline = BigInt((await networkHelpers.time.latest()) + DAY);
  const stage = 2;
  const signature = await countyFinance[c]!.signTypedData(domain, APPROVAL_TYPES, {
    rosterId: r.id,
    root: r.bundle.root,
    stage,
    nonce,
    deadline,
  });
  await (
    await suite.rosterBook.connect(resident).approveRosterBySig(r.id, [{ stage, nonce, deadline, signature }])
  ).wait();
}
say("all three rosters signed off by their own township's and county's offices; publicity (公示) runs for 7 days");

step("Publicity: two objections (one upheld, one dismissed); a household is reported deceased");
const first = rosters[0]!;
const firstTree = bundleTree(first.bundle);
const line = (r: (typeof rosters)[number], index: number) => {
  const l = r.bundle.lines[index]!;
  return { index: l.index, household: l.household, amount: l.amount };
};
await (
  await suite.rosterBook
    .connect(resident)
    .objectToLine(first.id, 10, keccak256(toUtf8Bytes("evidence: not resident in the village")))
).wait();
await (
  await suite.rosterBook
    .connect(resident)
    .objectToLine(first.id, 20, keccak256(toUtf8Bytes("evidence: income above threshold")))
).wait();
await (
  await suite.rosterBook
    .connect(townshipCivil[0]!)
    .resolveObjection(first.id, line(first, 10), lineProof(firstTree, 10), true, id("upheld after a home visit"))
).wait();
await (
  await suite.rosterBook
    .connect(countyCivil[0]!)
    .resolveObjection(first.id, line(first, 20), lineProof(firstTree, 20), false, id("income verified"))
).wait();
say(
  `roster ${first.id} line 10 excluded (${formatFen(first.bundle.lines[10]!.amount)} yuan released); line 20 dismissed, payable`,
);
const deceased = line(rosters[1]!, 5);
await (
  await suite.households.connect(civilAffairs!).suspendHousehold(deceased.household, 0, id("death certificate"))
).wait();
say(`household ${deceased.household} (roster ${rosters[1]!.id}, line 5) suspended as deceased`);
await networkHelpers.time.increase(7 * DAY);
say("seven days pass");

// ---------------------------------------------------------------------------------------------
step(
  "Payouts by each county's treasury: `payout record` logic, chunks of 500 lines, each proven by one Merkle multiproof",
);
let paidLines = 0;
let paidAmount = 0n;
let gas = 0n;
{
  // The second county's treasury cannot pay the first county's roster.
  const stray = batchProof(bundleTree(rosters[0]!.bundle), [0]);
  try {
    await suite.disbursement
      .connect(treasuries[1]!)
      .recordPayouts.staticCall(rosters[0]!.id, stray.lines.map(packLine), stray.proof);
    throw new Error("a county treasury paid a roster of another county");
  } catch (error) {
    if (decodeRevert(error)?.name !== "DisbursementNotOffice") throw error;
    say(
      `county ${COUNTIES[1]}'s treasury paying a roster of county ${COUNTIES[0]}: refused by the contract (DisbursementNotOffice)`,
    );
  }
}
for (const [t, r] of rosters.entries()) {
  const plan = await planPayout(suite, r.id, r.bundle);
  const report = await sendPayouts(suite, treasuries[COUNTY_OF[t]!]!, plan, bundleTree(r.bundle), { chunkSize: 500 });
  paidLines += report.paidLines;
  paidAmount += report.paidAmount;
  gas += report.gasUsed;
  const skipped = plan.skipped.map((s) => `line ${s.line.index}: ${s.reason}`).join("; ");
  say(
    `roster ${r.id}: paid ${report.paidLines} lines in ${report.transactions.length} transactions${skipped ? `; skipped ${skipped}` : ""}`,
  );
}
say(
  `${paidLines} lines, ${formatFen(paidAmount)} yuan, ${(Number(gas) / paidLines).toFixed(0)} gas per line on average`,
);
const refused = batchProof(bundleTree(rosters[1]!.bundle), [deceased.index]);
try {
  await suite.disbursement
    .connect(treasuries[COUNTY_OF[1]!]!)
    .recordPayouts(rosters[1]!.id, refused.lines.map(packLine), refused.proof);
  throw new Error("the deceased household's line was paid: the contracts failed to refuse it");
} catch (error) {
  if (decodeRevert(error)?.name !== "DisbursementHouseholdSuspended") throw error;
  say("forcing the deceased household's line anyway: refused by the contract (DisbursementHouseholdSuspended)");
}
// One civil-affairs key cannot undo a death: its reinstatement is only a proposal, which a second
// office must confirm. The household stays suspended.
await (
  await suite.households
    .connect(civilAffairs!)
    .reinstateHousehold(deceased.household, id("one office tries to reinstate"))
).wait();
say(
  `one civil-affairs key tries to reinstate it: only proposed, the household is ${enumLabel("HouseholdStatus", await suite.households.statusOf(deceased.household))} until a second office confirms`,
);

step(
  "Settlement: the bank's result files — about 99% credited, about 1% returned (closed accounts) — through `bank settle`'s code",
);
let confirmed = 0;
let returnedAmount = 0n;
let returnedLines = 0;
for (const r of rosters) {
  const paid = await paidBatchesOf(suite, r.id);
  // The bank's file: one row per paid line, its outcome and the bank's own reference.
  const rows = [...paid.values()]
    .sort((x, y) => x.line.index - y.line.index)
    .map(
      (rec) =>
        `${seqOf(rec.line.index)},${rec.line.index % 97 === 3 ? "RETURNED" : "CONFIRMED"},BK${r.id}-${String(seqOf(rec.line.index)).padStart(6, "0")}`,
    );
  const file = path.join(OUT, `bank-results-roster-${r.id}.csv`);
  await writeFile(file, `${SETTLEMENT_HEADER_ZH.join(",")}\r\n${rows.join("\r\n")}\r\n`);
  const read = readBankResults(await readFile(file), { lineCount: r.bundle.lineCount });
  if (read.issues.length > 0) throw new Error(`the demo's bank file is malformed:\n${formatIssues(read.issues)}`);
  const plan = await planSettlement(suite, r.id, read.rows);
  const report = await sendSettlement(suite, bank!, plan, paid, { chunkSize: 500 });
  confirmed += report.confirmed.count;
  returnedLines += report.returned.count;
  returnedAmount += report.returned.amount;
  say(
    `${file}: ${report.confirmed.count} confirmed, ${report.returned.count} returned (${formatFen(report.returned.amount)} yuan)`,
  );
}
say(
  `${confirmed} payouts confirmed; ${returnedLines} returned (${formatFen(returnedAmount)} yuan back to the townships' budgets)`,
);

step(
  "Correction: a reversal entry (红字冲销) of a confirmed payout, requested by the county treasury, approved by county finance, recovered by the bank",
);
const wrong = rosters[2]!;
const wrongRecord = (await paidBatchesOf(suite, wrong.id)).get(0)!;
await (
  await suite.disbursement
    .connect(treasuries[COUNTY_OF[2]!]!)
    .requestReversal(
      wrong.id,
      wrongRecord.batch,
      wrongRecord.position,
      wrongRecord.line,
      id("paid to the wrong household"),
    )
).wait();
await (await suite.disbursement.connect(countyFinance[COUNTY_OF[2]!]!).approveReversal(1n)).wait();
const reversedAmount = wrongRecord.line.amount;
say(
  `roster ${wrong.id} line 0: reversal approved; ${lineStatusName(await suite.disbursement.lineStatus(wrong.id, 0))} (the money is still on the card, nothing moves yet)`,
);
await (await suite.disbursement.connect(bank!).recordRecoveries([1n], [id("demo bank recovery RCV-0001")])).wait();
say(
  `the bank recovered it: ${formatFen(reversedAmount)} yuan back to ${wrong.region}; the line is ${lineStatusName(await suite.disbursement.lineStatus(wrong.id, 0))}`,
);

step("The duty to pay: after the payout deadline, a line still owed is Overdue");
// Thirty days after publicity the programme's payout period is over: the deceased household's line,
// never paid, now counts as overdue (and audit anomalies would report its roster and region).
await networkHelpers.time.increaseTo(Number(await suite.rosterBook.payoutDeadline(rosters[1]!.id)) + 1);
for (const r of rosters) {
  const overdue = await suite.rosterBook.overdueLines(r.id);
  if (overdue > 0n)
    say(
      `roster ${r.id} (${r.region}): ${overdue} line(s) overdue; line ${deceased.index} overdue: ${await suite.lens.isLineOverdue(r.id, deceased.index)}`,
    );
}

step("Closing the rosters: what they did not pay goes back to each township");
for (const [t, r] of rosters.entries()) {
  // A roster that still owes lines (the deceased household's) closes only with a reason and the
  // co-signature of one of its reviewing offices.
  const owed = Number(owedLines(await suite.rosterBook.roster(r.id)));
  await (
    await suite.rosterBook
      .connect(r.bureau)
      .closeRoster(r.id, owed > 0 ? id("the deceased household's line is not paid") : ZeroHash)
  ).wait();
  if (owed > 0) {
    await (await suite.rosterBook.connect(townshipCivil[t]!).confirmClose(r.id)).wait();
    say(
      `roster ${r.id}: closed dropping ${owed} unpaid line(s), with a reason and the township civil-affairs office's co-signature`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
step("Reconciliation per programme and region: city, counties, townships (fen-exact)");
let ok = true;
const check = (what: string, chain: bigint, books: bigint) => {
  if (chain !== books) {
    ok = false;
    console.error(`MISMATCH ${what}: chain ${formatFen(chain)} vs books ${formatFen(books)}`);
  }
};
// The demo's own books, from the roster files: every line paid except the excluded and the deceased.
const expectedPaid = rosters
  .flatMap((r) =>
    r.bundle.lines.filter((l) => !(r === first && l.index === 10) && !(r === rosters[1] && l.index === deceased.index)),
  )
  .reduce((s, l) => s + l.amount, 0n);
check("paid (gross)", paidAmount, expectedPaid);
const rows: string[][] = [
  ["region", "received", "passed down", "reserved", "paid", "available", "returned", "reversed"],
];
for (const region of [CITY, ...COUNTIES, ...TOWNSHIPS]) {
  const b = await suite.ledger.balanceOf(programmeId, region);
  check(`identity at ${region}`, b.received, b.allocatedOut + b.reserved + b.paid + b.available);
  rows.push([
    region.toString(),
    ...[b.received, b.allocatedOut, b.reserved, b.paid, b.available, b.returned, b.reversed].map(formatFen),
  ]);
}
const totals = await suite.ledger.totalsOf(programmeId);
check("funded", totals.funded, terms.budgetCeiling);
check("paid (net)", totals.paid, expectedPaid - returnedAmount - reversedAmount);
check("returned", totals.returned, returnedAmount);
check("reversed", totals.reversed, reversedAmount);
check("reserved after closing", totals.reserved, 0n);
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows)
  say(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
say(
  `programme: funded ${formatFen(totals.funded)}, paid ${formatFen(totals.paid)}, returned ${formatFen(totals.returned)}, reversed ${formatFen(totals.reversed)} yuan`,
);

step(
  "A supplementary roster (补充名单) for six households registered late: signed off, in publicity, one line objected to",
);
// What residents see before any money moves: every line is on chain from submission, so a household
// of this roster finds its line in publicity, and the household whose line was objected to finds it
// held (Frozen). The roster stays in publicity at the end of the demo.
const LATE = 6;
const lateFile = path.join(OUT, `roster-${TOWNSHIPS[0]}-supplement.csv`);
{
  const rows = Array.from({ length: LATE }, (_, i) => {
    const n = serial + i;
    return `${syntheticIdNumber(n)},样例补${String.fromCodePoint(0x4e00 + (n % 2000))},${TOWNSHIPS[0]! + BigInt(1 + (i % 12))},"${500 + 50 * i}.00"`;
  });
  await writeFile(lateFile, `\uFEFF${["身份证号,姓名,村代码,金额(元)", ...rows].join("\r\n")}\r\n`);
}
const late = prepareHouseholds(
  assertValidRoster(await readRosterFile(lateFile, { householdCap: CAP, region: TOWNSHIPS[0]! })),
  bureauSecret,
);
await registerHouseholds(
  suite,
  civilAffairs!,
  withPersonTags(late, dedupKey),
  id("civil affairs attestation, late registrations"),
);
const lateRoster = await prepareRoster(suite, {
  programmeId,
  region: TOWNSHIPS[0]!,
  documentURI: `https://notice.example/${TOWNSHIPS[0]}/supplement.csv`,
  households: late,
});
const LATE_DIR = path.join(OUT, `${TOWNSHIPS[0]}-supplement`);
await writeRosterFiles(LATE_DIR, lateRoster);
const lb = lateRoster.bundle;
const supplement = await submitRosterWithLines(suite, townshipBureaus[0]!, submissionOf(lb), bundleTree(lb));
await (await suite.rosterBook.connect(townshipCivil[0]!).approveRoster(supplement.rosterId)).wait();
await (await suite.rosterBook.connect(countyCivil[COUNTY_OF[0]!]!).approveRoster(supplement.rosterId)).wait();
await (await suite.rosterBook.connect(countyFinance[COUNTY_OF[0]!]!).approveRoster(supplement.rosterId)).wait();
await (
  await suite.rosterBook
    .connect(resident)
    .objectToLine(supplement.rosterId, 1, keccak256(toUtf8Bytes("evidence: already paid by another township")))
).wait();
say(
  `roster ${supplement.rosterId}: ${lb.lineCount} lines on chain, signed off, in publicity (${enumLabel("RosterState", await suite.rosterBook.rosterState(supplement.rosterId))}); 序号 2 objected to, held until reviewed`,
);

step("Household self-checks: ID number + query code from the notice → commitment → the chain");
const notices = (await readFile(path.join(OUT, String(TOWNSHIPS[0]), "household-notices.PRIVATE.csv"), "utf8")).split(
  "\r\n",
);
say(`(a notice line: ${notices[1]!.replace(/^\uFEFF/, "")})`);
const selfCheck = async (
  label: string,
  household: (typeof prepared)[number][number],
  queryCode = household.queryCode,
) => {
  const commitment = householdCommitment(household.entry.idNumber, queryCode);
  const v = await suite.lens.householdView(commitment, programmeId);
  const status =
    v.household === 0n
      ? "no record"
      : `${["unregistered", "active", "suspended"][Number(v.status)]}, ${v.paidInProgramme ? "holds a payout" : "holds no payout"}`;
  say(`${label}: ${status}`);
};
await selfCheck("a paid household", prepared[0]![0]!);
await selfCheck("the household whose objection was upheld", prepared[0]![10]!);
await selfCheck("the deceased household", prepared[1]![5]!);
await selfCheck("a household whose payout the bank returned", prepared[0]![3]!);
await selfCheck("someone typing a wrong query code", prepared[0]![0]!, "0000-0000-0000-0000");

if (!ok) {
  console.error("\nThe chain does not reconcile with the books.");
  process.exit(1);
}

if (process.env.DEMO_RECORD) {
  // For the residents' end-to-end test: ID numbers as read from the roster files, query codes as
  // printed on the notices, and what the books say each household should see.
  const noticeCode = async (dir: string, index: number, idNumber: string) => {
    const rows = (await readFile(path.join(dir, "household-notices.PRIVATE.csv"), "utf8")).split("\r\n");
    const cells = rows.find((row) => row.replace(/^\uFEFF/, "").startsWith(`${index + 1},`))?.split(",");
    if (!cells || cells[2]!.slice(-4) !== idNumber.slice(-4)) throw new Error(`no notice for line ${index} in ${dir}`);
    return cells[5]!;
  };
  const pickFrom = async (
    label: string,
    dir: string,
    h: (typeof late)[number],
    roster: { id: bigint; region: bigint; bundle: RosterBundle },
    index: number,
    expected: string,
  ) => {
    const l = roster.bundle.lines[index]!;
    return {
      label,
      idNumber: h.entry.idNumber,
      queryCode: await noticeCode(dir, index, h.entry.idNumber),
      household: l.household,
      rosterId: roster.id,
      region: roster.region,
      lineIndex: l.index,
      amount: l.amount,
      expected,
    };
  };
  const pick = (label: string, t: number, index: number, expected: string) =>
    pickFrom(label, path.join(OUT, String(TOWNSHIPS[t])), prepared[t]![index]!, rosters[t]!, index, expected);
  const lateOne = { id: supplement.rosterId, region: TOWNSHIPS[0]!, bundle: lb };
  const record = {
    chainId,
    startBlock,
    programmeId,
    addresses: suite.addresses,
    households: [
      await pick("paid and confirmed", 0, 0, "Confirmed"),
      await pick("returned by the bank", 0, 3, "Returned"),
      await pick("objection upheld: excluded", 0, 10, "Excluded"),
      await pick("objection dismissed: paid", 0, 20, "Confirmed"),
      await pick("deceased: suspended, skipped", 1, 5, "Skipped"),
      await pick("reversed", 2, 0, "Reversed"),
      await pickFrom("supplementary roster: in publicity", LATE_DIR, late[0]!, lateOne, 0, "InPublicity"),
      await pickFrom("supplementary roster: objected to, held", LATE_DIR, late[1]!, lateOne, 1, "Frozen"),
    ],
  };
  await writeFile(
    process.env.DEMO_RECORD,
    JSON.stringify(record, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2),
  );
  say(`\nrecord for the residents' end-to-end test: ${process.env.DEMO_RECORD}`);
}
say(`\nEverything reconciles to the fen. (${((Date.now() - started) / 1000).toFixed(0)} s; files in ${OUT}/)`);
