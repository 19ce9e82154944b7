/**
 * A one-off measurement (not a test): a cold index of 100,000 payouts, then the audits over it, on
 * the in-process chain.
 *
 *   npx hardhat run scripts/bench/indexer.ts            (BENCH_LINES=100000 by default)
 *
 * The chain gets 100,000 registered households and ten township rosters of 10,000 lines, each paid
 * in four batches of 2,500 and confirmed by the bank in chunks of 2,000, with one line returned per
 * roster — about 320,000 events. The indexer reads them through a provider that, like Geth and
 * Infura, refuses an eth_getLogs answer of more than 10,000 logs, so the adaptive range is part of
 * what is measured. Building this chain takes a few minutes; the index and the audits are timed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { id, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { compareWithChain, exportTable, findAnomalies, reconcileFromEvents } from "../../src/audit/index.js";
import { paidBatchesOf } from "../../src/chain/batches.js";
import { lineChunks } from "../../src/chain/listing.js";
import { batchProof, buildLineTree, packLine, type RosterLine } from "../../src/lines.js";
import { countyOffices, countyStages } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import { syntheticPersonTag } from "../../src/roster/synthetic.js";
import { registeredIds } from "../../src/workflow/households.js";
import { deploySuite } from "../../src/suite.js";
import { IndexDatabase, type JsonRpc, LogDecoder, updateIndex } from "../../src/indexer/index.js";
import type { RawLog } from "../../src/indexer/rpc.js";
import { EventStore } from "../../src/indexer/store.js";

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const ROSTERS = 10;
const PER_ROSTER = Math.ceil(LINES / ROSTERS);
const PAY_CHUNK = 2_500;
const CONFIRM_CHUNK = 2_000;
const REGISTER_CHUNK = 150;
const CAP = 200_000n;
const COUNTY = 110101000000n;
const DAY = 86_400;

const seconds = (start: number) => (performance.now() - start) / 1000;
const say = (text: string) => console.log(text);

const connection = await network.getOrCreate();
const { ethers, networkHelpers } = connection;
const signers = await ethers.getSigners();
const at = (i: number) =>
  signers[i] ??
  (() => {
    throw new Error(`the network needs 20 accounts, has ${signers.length}`);
  })();
const [governance, programmeAdmin, county, civil, deptA, deptB, deptC, disburser, bank] = [
  1, 2, 3, 14, 15, 16, 17, 18, 19,
].map(at);
const bureaus = Array.from({ length: ROSTERS }, (_, i) => at(4 + i));
const townships = Array.from({ length: ROSTERS }, (_, i) => COUNTY + BigInt((i + 1) * 1000));

let t = performance.now();
say(`building the chain: ${LINES} households, ${ROSTERS} rosters of ${PER_ROSTER} lines…`);
const suite = await deploySuite(connection, {
  governance: governance!.address,
  adminDelay: 0,
  grantDelay: 0,
  governorDelay: 0,
});
const m = suite.manager.connect(governance!);
const grants: Array<[bigint, string]> = [
  [Role.PROGRAMME_ADMIN, programmeAdmin!.address],
  [Role.BUREAU, county!.address],
  ...bureaus.map((b): [bigint, string] => [Role.BUREAU, b!.address]),
  [Role.CIVIL_AFFAIRS, civil!.address],
  [Role.REVIEWER, deptA!.address],
  [Role.REVIEWER, deptB!.address],
  [Role.REVIEWER, deptC!.address],
  [Role.DISBURSER, disburser!.address],
  [Role.BANK, bank!.address],
];
for (const [role, who] of grants) await m.grantRole(role, who, 0);
const dir = suite.directory.connect(governance!);
const offices = countyOffices(COUNTY, {
  bureau: county!,
  townships: townships.map((township, i) => [bureaus[i]!, township] as const),
  civilAffairs: civil!,
  reviewers: [deptA!, deptB!, deptC!],
  treasury: disburser!,
  bank: bank!,
});
for (const { account, office } of offices) await dir.bindOffice(account.address, office);

const terms = {
  budgetCeiling: CAP * BigInt(LINES),
  householdCap: CAP,
  publicityPeriod: 7 * DAY,
  payoutPeriod: 30 * 24 * 60 * 60,
  reviewStages: countyStages(0, 1, 2),
  policyDocHash: id("bench policy"),
  policyURI: "https://policy.example/bench.pdf",
};
await suite.programmes
  .connect(programmeAdmin!)
  .createProgramme(ethers.encodeBytes32String("BENCH-2026"), 202611, COUNTY, terms);
await suite.ledger.connect(programmeAdmin!).fundProgramme(1n, terms.budgetCeiling);
for (const township of townships)
  await suite.ledger.connect(county!).allocate(1n, COUNTY, township, CAP * BigInt(PER_ROSTER));

// Each township's households are registered in that township: its rosters pay only them.
const householdsOf: bigint[][] = townships.map(() => []);
for (const [r, township] of townships.entries()) {
  for (let first = r * PER_ROSTER + 1; first <= Math.min(LINES, (r + 1) * PER_ROSTER); first += REGISTER_CHUNK) {
    const count = Math.min(REGISTER_CHUNK, Math.min(LINES, (r + 1) * PER_ROSTER) - first + 1);
    const commitments = Array.from({ length: count }, (_, i) => keccak256(toUtf8Bytes(`bench-household-${first + i}`)));
    const tx = await suite.households
      .connect(civil!)
      .registerHouseholds(township, commitments, commitments.map(syntheticPersonTag), id(`attestation ${first}`));
    householdsOf[r]!.push(...registeredIds(suite, (await tx.wait())!));
  }
}
say(`  ${LINES} households registered (${seconds(t).toFixed(0)} s)`);

const rosters: Array<{ id: bigint; lines: RosterLine[]; tree: ReturnType<typeof buildLineTree> }> = [];
for (const [r, township] of townships.entries()) {
  const lines = householdsOf[r]!.map((household, i): RosterLine => ({
    index: i,
    household,
    amount: 50_000n + BigInt((i * 7919) % 90) * 1_000n,
  }));
  const tree = buildLineTree(lines);
  const total = lines.reduce((s, l) => s + l.amount, 0n);
  await suite.rosterBook.connect(bureaus[r]!).submitRoster({
    programmeId: 1n,
    region: township,
    root: tree.root,
    lineCount: lines.length,
    total,
    documentHash: id(`list ${r}`),
    documentURI: `https://notice.example/${township}.csv`,
  });
  for (const c of lineChunks(tree))
    await suite.rosterLines.connect(bureaus[r]!).submitLines(BigInt(r + 1), c.first, c.lines, c.frontier);
  rosters.push({ id: BigInt(r + 1), lines, tree });
}
await networkHelpers.time.increase(DAY);
for (const roster of rosters)
  for (const dept of [deptA, deptB, deptC]) await suite.rosterBook.connect(dept!).approveRoster(roster.id);
await networkHelpers.time.increase(7 * DAY);
for (const roster of rosters) {
  for (let from = 0; from < roster.lines.length; from += PAY_CHUNK) {
    const b = batchProof(
      roster.tree,
      Array.from({ length: Math.min(PAY_CHUNK, roster.lines.length - from) }, (_, i) => from + i),
    );
    await suite.disbursement.connect(disburser!).recordPayouts(roster.id, b.lines.map(packLine), b.proof);
  }
}
say(`  ${LINES} lines paid (${seconds(t).toFixed(0)} s)`);
for (const roster of rosters) {
  const returned = 17;
  const settle = roster.lines.map((l) => l.index).filter((i) => i !== returned);
  for (let from = 0; from < settle.length; from += CONFIRM_CHUNK) {
    const chunk = settle.slice(from, from + CONFIRM_CHUNK);
    await suite.disbursement.connect(bank!).confirmPayouts(
      roster.id,
      chunk,
      chunk.map((i) => keccak256(toUtf8Bytes(`ref ${roster.id}-${i}`))),
    );
  }
  const rec = (await paidBatchesOf(suite, roster.id)).get(returned)!;
  await suite.disbursement
    .connect(bank!)
    .returnPayouts(roster.id, rec.batch, [rec.position], [rec.line], [id("closed account")]);
}
say(`  settled; chain built in ${seconds(t).toFixed(0)} s, ${await ethers.provider.getBlockNumber()} blocks`);

// -------------------------------------------------------------------------------- the measurement
/** Like Geth and Infura: an eth_getLogs answer of more than 10,000 logs is refused. */
const provider = connection.ethers.provider;
const rpcSeconds = new Map<string, number>();
const limited: JsonRpc = {
  send: async (method, params) => {
    const start = performance.now();
    try {
      const result = await provider.send(method, params);
      if (method === "eth_getLogs" && Array.isArray(result) && result.length > 10_000)
        throw new Error("query returned more than 10000 results");
      return result;
    } finally {
      rpcSeconds.set(method, (rpcSeconds.get(method) ?? 0) + seconds(start));
    }
  },
};
const folder = await mkdtemp(path.join(tmpdir(), "fund-bench-"));
const db = IndexDatabase.open(path.join(folder, "audit.sqlite"));
try {
  t = performance.now();
  const report = await updateIndex({ rpc: limited, db, addresses: suite.addresses });
  const indexTime = seconds(t);
  const waited = [...rpcSeconds].map(([m, s]) => `${m} ${s.toFixed(1)} s`).join(", ");
  const payouts = Number(db.get("SELECT COUNT(*) AS n FROM payouts")!.n);

  // The same cold index through the node with no result limit (one eth_getLogs range).
  const plainDb = IndexDatabase.open(path.join(folder, "plain.sqlite"));
  t = performance.now();
  const plain = await updateIndex({ rpc: provider, db: plainDb, addresses: suite.addresses });
  const plainTime = seconds(t);
  plainDb.close();

  // The indexer's own work, without the node: the same logs decoded and stored in one transaction.
  const rawLogs = (await provider.send("eth_getLogs", [
    { address: new LogDecoder(suite.addresses).addresses, fromBlock: "0x0", toBlock: "latest" },
  ])) as RawLog[];
  const cpuDb = IndexDatabase.open(path.join(folder, "cpu.sqlite"));
  cpuDb.bind({ chainId: (await provider.getNetwork()).chainId, addresses: suite.addresses });
  t = performance.now();
  const decoder = new LogDecoder(suite.addresses);
  const decoded = rawLogs.map((l) => decoder.decode(l));
  const decodeTime = seconds(t);
  const store = new EventStore(cpuDb);
  cpuDb.transaction(() => store.storeRange(decoded));
  const cpuTime = seconds(t);
  cpuDb.close();

  t = performance.now();
  const again = await updateIndex({ rpc: limited, db, addresses: suite.addresses });
  const incrementalTime = seconds(t);

  t = performance.now();
  const rec = reconcileFromEvents(db);
  const reconcileEvents = seconds(t);
  await compareWithChain(rec, suite);
  const reconcileTime = seconds(t);

  t = performance.now();
  const anomalies = findAnomalies(db);
  const anomaliesTime = seconds(t);

  t = performance.now();
  const exported = await exportTable(db, "payouts", { csv: path.join(folder, "payouts.csv") });
  const exportTime = seconds(t);

  say("");
  say(
    `cold index: ${report.blocks} blocks, ${report.events} events (${payouts} payouts), ${report.ranges} eth_getLogs ranges (halved ${report.rangeShrinks} times): ${indexTime.toFixed(1)} s`,
  );
  say(`  of which waiting for the node (concurrent calls overlap): ${waited}`);
  say(
    `cold index through a node with no result limit: ${plain.ranges} range(s), ${plain.events} events: ${plainTime.toFixed(1)} s`,
  );
  say(
    `the indexer's own work on those ${rawLogs.length} logs: decoding ${decodeTime.toFixed(1)} s, decoding and storing ${cpuTime.toFixed(1)} s`,
  );
  say(`incremental run with nothing new: ${incrementalTime.toFixed(2)} s (${again.events} events)`);
  say(
    `reconcile: ${reconcileEvents.toFixed(2)} s from events, ${reconcileTime.toFixed(2)} s with the chain comparison; balanced: ${rec.balanced}`,
  );
  say(
    `anomalies: ${anomaliesTime.toFixed(2)} s; ${anomalies.findings.length} finding(s) (${
      Object.entries(anomalies.counts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none"
    })`,
  );
  say(`export payouts to CSV: ${exported} rows in ${exportTime.toFixed(2)} s`);
  if (!rec.balanced) process.exitCode = 1;
} finally {
  db.close();
  await rm(folder, { recursive: true, force: true });
}
