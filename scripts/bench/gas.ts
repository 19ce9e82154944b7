/**
 * Gas per payout line, in one run on one chain (the in-process network, Osaka rules: EIP-7623
 * calldata floor, EIP-7825 16,777,216-gas transaction cap): our payout and bank-confirmation paths at
 * 1, 10, 100, 1,000 lines and the largest chunk that fits under the cap, beside three baselines
 * deployed here — a naive struct-per-payout ledger, a Disperse-style batch ERC-20 transfer and a
 * Uniswap-style Merkle distributor — and the floor any design must pay to put a line on chain.
 * Also bytecode sizes against the 24 KiB limit.
 *
 *   npm run bench:gas                          print the table, write bench/results/gas-latest.json
 *   BENCH_ARGS=--check npm run bench:gas       also fail if our paths cost >2% more than the snapshot
 *   BENCH_ARGS=--update npm run bench:gas      rewrite the committed snapshot (bench/gas-snapshot.json)
 * (Hardhat's `run` takes no script arguments of its own, hence the environment variable.)
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { SUITE_CONTRACTS } from "../../src/roles.js";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { dataSlice, getAddress, getBytes, id } from "ethers";
import hre from "hardhat";

import { LINES_PER_TRANSACTION, lineChunks } from "../../src/chain/listing.js";
import {
  batchProof,
  buildLineTree,
  listingRecords,
  packLine,
  paidBatch,
  positionIn,
  type RosterLine,
} from "../../src/lines.js";
import {
  COUNTY,
  commitment,
  ethers,
  networkHelpers,
  personTagsOf,
  PUBLICITY,
  terms,
  TOWNSHIP,
  wiredSuite,
} from "../../test/ts/helpers/fixture.js";
import { approveAll } from "../../test/ts/helpers/rosters.js";

const TX_CAP = 16_777_216n;
const SIZES = [1, 10, 100, 1000];
const CAP = 200_000n;
const SNAPSHOT = "bench/gas-snapshot.json";
const TOLERANCE = 0.02;
const args = new Set(process.argv.slice(2).concat((process.env.BENCH_ARGS ?? "").split(" ").filter(Boolean)));

type Row = { design: string; lines: number; gas: bigint; perLine: number; note?: string };
const rows: Row[] = [];
const record = (design: string, lines: number, gas: bigint, note?: string) => {
  rows.push({ design, lines, gas, perLine: Number(gas) / lines, note });
};

console.log("setting up the suite, 6,000 households and one roster …");
const { suite, a } = await wiredSuite();
const HOUSEHOLDS = 6_000;
await (
  await suite.programmes
    .connect(a.programmeAdmin)
    .createProgramme(id("BENCH"), 202611, COUNTY, terms({ budgetCeiling: 10n ** 15n, householdCap: CAP }))
).wait();
await (await suite.ledger.connect(a.programmeAdmin).fundProgramme(1n, 10n ** 15n)).wait();
await (await suite.ledger.connect(a.countyBureau).allocate(1n, COUNTY, TOWNSHIP, 10n ** 15n)).wait();
for (let i = 0; i < HOUSEHOLDS; i += 150) {
  const batch = Array.from({ length: 150 }, (_, k) => commitment(`bench-${i + k}`));
  await (
    await suite.households.connect(a.civilAffairs).registerHouseholds(TOWNSHIP, batch, personTagsOf(batch), id("bench"))
  ).wait();
}
// Realistic amounts (600.00 … 1,499.99 yuan) and consecutive household ids, as households registered together.
const lines: RosterLine[] = Array.from({ length: HOUSEHOLDS }, (_, i) => ({
  index: i,
  household: BigInt(i + 1),
  amount: 60_000n + BigInt((i * 7919) % 89_999),
}));
const tree = buildLineTree(lines);
await (
  await suite.rosterBook.connect(a.townshipBureau).submitRoster({
    programmeId: 1n,
    region: TOWNSHIP,
    root: tree.root,
    lineCount: lines.length,
    total: lines.reduce((s, l) => s + l.amount, 0n),
    documentHash: id("bench list"),
    documentURI: "",
  })
).wait();
for (const c of lineChunks(tree))
  await (await suite.rosterLines.connect(a.townshipBureau).submitLines(1n, c.first, c.lines, c.frontier)).wait();
await approveAll(suite, a, 1n);
await networkHelpers.time.increase(PUBLICITY);

const disburser = suite.disbursement.connect(a.disburser);
let next = 0;
const take = (n: number) => {
  const indices = Array.from({ length: n }, (_, i) => next + i);
  next += n;
  return indices;
};
const payCall = (indices: number[]) => {
  const b = batchProof(tree, indices);
  return [1n, b.lines.map(packLine), b.proof] as const;
};
const pay = async (indices: number[]) => (await (await disburser.recordPayouts(...payCall(indices))).wait())!.gasUsed;

// One warm-up line: the roster's first payout writes slots every later batch only updates.
await pay(take(1));
const paidBatches: number[][] = [];
for (const n of SIZES) {
  const indices = take(n);
  record("ours: payout", n, await pay(indices));
  paidBatches.push(indices);
}
// The largest chunk under the cap: binary search with estimateGas, then send it.
let lo = 1000;
let hi = 8000;
while (lo < hi) {
  const mid = Math.ceil((lo + hi) / 2);
  const indices = Array.from({ length: mid }, (_, i) => next + i);
  const fits = await disburser.recordPayouts.estimateGas(...payCall(indices)).then(
    (g) => g <= TX_CAP,
    () => false,
  );
  if (fits) lo = mid;
  else hi = mid - 1;
}
const maxChunk = lo;
const maxIndices = take(maxChunk);
record("ours: payout", maxChunk, await pay(maxIndices), "largest chunk under the 16,777,216-gas cap");
paidBatches.push(maxIndices);

const bank = suite.disbursement.connect(a.bank);
for (const indices of paidBatches) {
  const receipt = await (
    await bank.confirmPayouts(
      1n,
      indices,
      indices.map((i) => id(`ref ${i}`)),
    )
  ).wait();
  record("ours: bank confirmation", indices.length, receipt!.gasUsed);
}

// Registration: three storage words a household (its commitment, its id, its person tag).
for (const n of [1, 10, 150]) {
  const batch = Array.from({ length: n }, (_, k) => commitment(`bench-registration-${n}-${k}`));
  const receipt = await (
    await suite.households.connect(a.civilAffairs).registerHouseholds(TOWNSHIP, batch, personTagsOf(batch), id("bench"))
  ).wait();
  record("ours: household registration", n, receipt!.gasUsed, "per household");
}

// Reversal with recovery, for the lines of the 10-line batch (batch 3: after the warm-up line and the
// 1-line batch), all confirmed above: each is requested and approved, then the bank records the
// recoveries, one in a transaction, then nine.
{
  const indices = paidBatches[1]!;
  const paidLines = batchProof(tree, indices).lines;
  const batch = paidBatch(3, paidLines);
  for (const index of indices) {
    await (
      await disburser.requestReversal(
        1n,
        batch,
        positionIn(paidLines, index),
        paidLines[positionIn(paidLines, index)]!,
        id("bench"),
      )
    ).wait();
  }
  const first = (await suite.disbursement.reversalCount()) - BigInt(indices.length) + 1n;
  const ids = indices.map((_, k) => first + BigInt(k));
  for (const reversalId of ids)
    await (await suite.disbursement.connect(a.deptFinance).approveReversal(reversalId)).wait();
  for (const group of [ids.slice(0, 1), ids.slice(1)]) {
    const receipt = await (
      await bank.recordRecoveries(
        group,
        group.map((r) => id(`recovery ${r}`)),
      )
    ).wait();
    record("ours: reversal recovery", group.length, receipt!.gasUsed, "per reversal");
  }
}

// Roster submission with every line on chain: submitRoster, then the lines in transactions of
// LINES_PER_TRANSACTION (the last one seals), all of it counted. Households need not be registered
// to be listed (a payout checks them), so each roster takes fresh ids, which keeps the roots apart.
const submissions: Array<{ lines: number; transactions: number; gas: bigint }> = [];
{
  let firstHousehold = 1_000_000;
  for (const n of [100, 1_000, LINES_PER_TRANSACTION, 50_000]) {
    const rosterLines = Array.from({ length: n }, (_, i): RosterLine => ({
      index: i,
      household: BigInt(firstHousehold + i),
      amount: 60_000n + BigInt(((firstHousehold + i) * 7919) % 89_999),
    }));
    firstHousehold += n;
    const rosterTree = buildLineTree(rosterLines);
    const bureau = suite.rosterBook.connect(a.townshipBureau);
    const rosterId = (await suite.rosterBook.rosterCount()) + 1n;
    const submit = {
      programmeId: 1n,
      region: TOWNSHIP,
      root: rosterTree.root,
      lineCount: n,
      total: rosterLines.reduce((t, l) => t + l.amount, 0n),
      documentHash: id(`bench list ${n}`),
      documentURI: "",
    };
    let gas = (await (await bureau.submitRoster(submit)).wait())!.gasUsed;
    const chunks = lineChunks(rosterTree);
    for (const c of chunks)
      gas += (await (
        await suite.rosterLines.connect(a.townshipBureau).submitLines(rosterId, c.first, c.lines, c.frontier)
      ).wait())!.gasUsed;
    if ((await suite.rosterBook.rosterState(rosterId)) !== 1n)
      throw new Error(`bench roster of ${n} lines was not sealed`);
    submissions.push({ lines: n, transactions: 1 + chunks.length, gas });
    record("ours: roster submission", n, gas, `${1 + chunks.length} transactions, everything included`);
  }
}

// ---------------------------------------------------------------------------------------- baselines
const [deployer] = await ethers.getSigners();
const naive = await ethers.deployContract("NaivePayouts", [CAP]);
const naiveLines = (n: number, from: number) =>
  lines.slice(from, from + n).map((l) => ({ index: l.index, household: l.household, amount: l.amount }));
await (await naive.recordPayouts(1n, 1n, naiveLines(1, 0))).wait();
let naiveNext = 1;
for (const n of [...SIZES, maxChunk]) {
  try {
    const gas = await naive.recordPayouts.estimateGas(1n, 1n, naiveLines(n, naiveNext));
    if (gas > TX_CAP) throw new Error("over cap");
    record(
      "baseline: naive struct + mapping",
      n,
      (await (await naive.recordPayouts(1n, 1n, naiveLines(n, naiveNext))).wait())!.gasUsed,
    );
  } catch {
    rows.push({
      design: "baseline: naive struct + mapping",
      lines: n,
      gas: 0n,
      perLine: NaN,
      note: "does not fit in one transaction",
    });
  }
  naiveNext += n;
}

const token = await ethers.deployContract("BenchToken", [deployer!.address, 10n ** 30n]);
// Fresh household accounts (a zero balance each), deterministic.
const recipients = lines.map((_, i) => getAddress(dataSlice(id(`household account ${i}`), 12)));
const disperse = await ethers.deployContract("Disperse");
await (await token.approve(await disperse.getAddress(), 10n ** 30n)).wait();
let dNext = 0;
const dCall = (n: number) => {
  const r = recipients.slice(dNext, dNext + n);
  const v = lines.slice(dNext, dNext + n).map((l) => l.amount);
  dNext += n;
  return [token, r, v] as const;
};
await (await disperse.disperseToken(...dCall(1))).wait();
for (const n of [...SIZES, maxChunk]) {
  const call = dCall(n);
  try {
    const gas = await disperse.disperseToken.estimateGas(...call);
    if (gas > TX_CAP) throw new Error("over cap");
    record("baseline: Disperse-style ERC-20 batch", n, (await (await disperse.disperseToken(...call)).wait())!.gasUsed);
  } catch {
    rows.push({
      design: "baseline: Disperse-style ERC-20 batch",
      lines: n,
      gas: 0n,
      perLine: NaN,
      note: "does not fit in one transaction",
    });
  }
}

const dValues = lines.map((l, i): [bigint, string, bigint] => [BigInt(i), recipients[i]!, l.amount]);
const dTree = StandardMerkleTree.of(dValues, ["uint256", "address", "uint256"]);
const distributor = await ethers.deployContract("MerkleDistributor", [token, dTree.root]);
await (await token.transfer(await distributor.getAddress(), 10n ** 28n)).wait();
let mNext = 0;
const mClaims = (n: number) => {
  const c = dValues
    .slice(mNext, mNext + n)
    .map(([index, account, amount]) => ({ index, account, amount, proof: dTree.getProof([index, account, amount]) }));
  mNext += n;
  return c;
};
await (await distributor.claimMany(mClaims(1))).wait();
for (const n of [...SIZES, maxChunk]) {
  const claims = mClaims(n);
  try {
    const gas = await distributor.claimMany.estimateGas(claims);
    if (gas > TX_CAP) throw new Error("over cap");
    record(
      "baseline: Merkle distributor (proof per line)",
      n,
      (await (await distributor.claimMany(claims)).wait())!.gasUsed,
    );
  } catch {
    rows.push({
      design: "baseline: Merkle distributor (proof per line)",
      lines: n,
      gas: 0n,
      perLine: NaN,
      note: "does not fit in one transaction",
    });
  }
}

// ---------------------------------------------------------------------------------------- the floor
// The least any design pays per line: the line's data as calldata at the EIP-7623 floor price
// (10 gas per token; a zero byte is 1 token, any other byte 4) and an event that lets a resident
// and an auditor find it (roster and household as topics; index and amount as data).
const tokens = (bytes: Uint8Array) => bytes.reduce((t, b) => t + (b === 0 ? 1 : 4), 0);
const floorCalldata =
  lines
    .slice(0, 1000)
    .reduce((s, l) => s + 10 * tokens(getBytes(`0x${packLine(l).toString(16).padStart(64, "0")}`)), 0) / 1000;
const floorEvent = 375 + 3 * 375 + 8 * 64;
const floor = floorCalldata + floorEvent;
// A listed line's floor: its 16-byte record (household, amount) as calldata at the EIP-7623 price.
const listingFloor = (tokens(getBytes(listingRecords(lines.slice(0, 1000)))) * 10) / 1000;

// ---------------------------------------------------------------------------------------- report
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—");
console.log(`\nGas per payout line (in-process Hardhat network, hardfork osaka; ${new Date().toISOString()})`);
console.log(
  `floor per line: ${fmt(floor)} gas (calldata at the EIP-7623 floor ${fmt(floorCalldata)} + event ${floorEvent})\n`,
);
const header = ["design", "lines/tx", "gas/tx", "gas/line", "× floor", "note"];
const table = rows.map((r) => [
  r.design,
  String(r.lines),
  r.gas ? r.gas.toLocaleString("en-US") : "—",
  fmt(r.perLine),
  Number.isFinite(r.perLine) ? (r.perLine / floor).toFixed(2) : "—",
  r.note ?? "",
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((t) => t[c]!.length)));
for (const line of [header, ...table])
  console.log(
    line.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "),
  );

const perLine = (design: string, n: number) =>
  rows.find((r) => r.design.startsWith(design) && r.lines === n)?.perLine ?? NaN;
const best = (design: string) =>
  Math.min(...rows.filter((r) => r.design.startsWith(design) && Number.isFinite(r.perLine)).map((r) => r.perLine));
console.log(
  `\nat 100 lines: ours ${fmt(perLine("ours: payout", 100))} gas/line, naive ${fmt(perLine("baseline: naive", 100))} (${(perLine("baseline: naive", 100) / perLine("ours: payout", 100)).toFixed(1)}× ours)`,
);
console.log(
  `best per line: ours ${fmt(best("ours: payout"))} (at ${maxChunk} lines), naive ${fmt(best("baseline: naive"))} — ${(best("baseline: naive") / best("ours: payout")).toFixed(1)}× ours; ` +
    `Disperse ${fmt(best("baseline: Disperse"))}, Merkle distributor ${fmt(best("baseline: Merkle"))}`,
);
console.log(
  `goals: ≤ 5,000 gas/line at 100+ lines (ours: ${fmt(perLine("ours: payout", 100))} at 100, ${fmt(perLine("ours: payout", 1000))} at 1,000); ` +
    `≤ 1.5× floor = ${fmt(1.5 * floor)} (ours: ${(best("ours: payout") / floor).toFixed(2)}× at best)`,
);

const submissionAt = (n: number) => submissions.find((x) => x.lines === n)!;
console.log(
  `\nroster submission, every line on chain (its calldata floor: ${fmt(listingFloor)} gas/line for its 16-byte record at the EIP-7623 price, plus 21,000 a transaction): ` +
    submissions
      .map(
        (x) =>
          `${x.lines.toLocaleString("en-US")} lines ${fmt(Number(x.gas) / x.lines)} gas/line in ${x.transactions} tx`,
      )
      .join("; "),
);
console.log(
  `goals: ≤ 2,500 gas/line at 1,000+ lines (ours: ${fmt(Number(submissionAt(1_000).gas) / 1_000)} at 1,000, ${fmt(Number(submissionAt(50_000).gas) / 50_000)} at 50,000); ` +
    `a 50,000-line roster in ≤ 15 transactions (ours: ${submissionAt(50_000).transactions})`,
);

console.log("\nbytecode (deployed) against the 24,576-byte limit:");
const sizes: Record<string, number> = {};
for (const name of ["SuiteAccessManager", ...SUITE_CONTRACTS, "DisbursementLens"]) {
  const artifact = await hre.artifacts.readArtifact(name);
  sizes[name] = getBytes(artifact.deployedBytecode).length;
  console.log(
    `  ${name.padEnd(20)} ${String(sizes[name]).padStart(6)} bytes (${((100 * sizes[name]) / 24_576).toFixed(0)}%)`,
  );
}

const result = {
  date: new Date().toISOString(),
  network: "in-process Hardhat (osaka)",
  floor: { perLine: floor, calldata: floorCalldata, event: floorEvent },
  maxChunk,
  listingFloor,
  submissions: submissions.map((x) => ({ ...x, gas: x.gas.toString(), perLine: Number(x.gas) / x.lines })),
  rows: rows.map((r) => ({ ...r, gas: r.gas.toString() })),
  bytecode: sizes,
};
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/gas-latest.json", `${JSON.stringify(result, null, 2)}\n`);

const snapshotOf = () =>
  Object.fromEntries(
    rows
      .filter((r) => r.design.startsWith("ours"))
      .map((r) => [`${r.design} @${r.lines === maxChunk ? "max" : r.lines}`, Math.round(r.perLine)]),
  );
if (args.has("--update")) {
  await writeFile(SNAPSHOT, `${JSON.stringify(snapshotOf(), null, 2)}\n`);
  console.log(`\nsnapshot written to ${SNAPSHOT}`);
}
if (args.has("--check")) {
  const committed = JSON.parse(await readFile(SNAPSHOT, "utf8")) as Record<string, number>;
  const now = snapshotOf();
  const grown = Object.entries(now).filter(
    ([k, v]) => committed[k] !== undefined && v > committed[k]! * (1 + TOLERANCE),
  );
  for (const [k, v] of Object.entries(now))
    console.log(`  ${k.padEnd(34)} snapshot ${String(committed[k] ?? "—").padStart(7)}  now ${String(v).padStart(7)}`);
  if (grown.length > 0) {
    console.error(
      `\nFAIL: gas per line grew more than ${TOLERANCE * 100}% over ${SNAPSHOT}: ${grown.map(([k]) => k).join(", ")}. If intended, run BENCH_ARGS=--update npm run bench:gas and commit the snapshot with the change.`,
    );
    process.exit(1);
  }
  console.log(`gas snapshot check: within ${TOLERANCE * 100}% of ${SNAPSHOT}`);
}
