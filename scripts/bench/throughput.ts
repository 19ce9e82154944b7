/**
 * Throughput and read-side figures against a real node: a throwaway anvil on 127.0.0.1 (a free port,
 * chain 31339 — the `faults` network's id, never a developer's localhost chain), the suite deployed
 * in-process by its Ignition module under a deployment id of its own (the journal folder is removed
 * again). Prints what it measured; asserts nothing about time.
 *
 *   npm run bench                 100,000 payout lines (BENCH_LINES to change)
 *   npm run bench:large           1,000,000 lines, ten rosters of 100,000 (long; not in CI)
 *   BENCH_WINDOW=16 BENCH_CHUNK=2500 npm run bench    transactions in flight, lines per transaction
 *   BENCH_CHAIN=<folder> npm run bench                save the chain after the write side into
 *                                 <folder>; run again with the same folder to measure only the read
 *                                 side against it
 *
 * The node: anvil sealing a block every second with the transactions that arrived (as a QBFT chain
 * seals one per block period; the benchmark's sealer asks for each block, see sealer.ts), a block gas
 * limit of 10^9 (private networks set it high: gas costs nothing there; each transaction still stays
 * under the 16,777,216 cap), and 4 past states kept (anvil copies the whole state for each one it
 * keeps: with 128, or 16, it filled 14 GB, or 17 GB, before a million households were registered).
 * Before the read side the sealer stops, so that reads pinned to a block find its state. anvil's
 * defaults — a block per transaction and every past state kept — cost it time in proportion to the
 * whole state on every block (0.65 s a block with 110,000 households registered), which would
 * measure anvil, not this code. BENCH_ANVIL_ARGS replaces the options after --no-mining.
 *
 * Setup (not timed): roles; one programme per main roster (BENCH_ROSTER_LINES lines each, default
 * 100,000), each roster paying the same households — as a province pays a household several
 * subsidies (minimum living allowance, rural revitalisation, disaster relief) — so that a million
 * payouts need not a million households registered; two baseline rosters in the first programme
 * with households of their own; every roster signed off, past its publicity, and written to disk as
 * a roster bundle (JSON).
 *
 * Timed, end to end through the task code (what `payout record` does, through the same Hardhat
 * connection): read the bundle JSON, rebuild the tree, plan from the chain, build the multiproofs,
 * sign (the node's account, eth_sendTransaction), send and wait for every receipt, and the final
 * check against the chain:
 *   1. the main rosters, BENCH_LINES lines in all, chunks of at most BENCH_CHUNK lines (cut to fit
 *      the gas cap), BENCH_WINDOW in flight;
 *   2. baseline A: the same code with window 1 (one chunk, its receipt, the next) on 10,000 lines;
 *   3. baseline B: one transaction per line (chunk size 1, window 1) on 100 lines, extrapolated.
 * Then, not timed, the bank confirms every line of the main rosters. Then the read side, against
 * the same node, its payouts and confirmations (the indexer and audit functions that `audit index`
 * and `audit reconcile` run): cold index, reconcile (events, and with the comparison against the
 * chain), warm reconcile (incremental index with nothing new, then the reconcile again), and the
 * self-check of 200 random paid households, one after another, from the node (src/resident
 * lookupHousehold) and from the index (audit trace): p50 and p95.
 * Writes bench/results/throughput-latest.json and throughput-<lines>.json (read by bench:report).
 */
import { existsSync } from "node:fs";
import { sleep } from "../../src/async.js";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { id, type JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import SuiteModule from "../../ignition/modules/Suite.js";
import { compareWithChain, reconcileFromEvents, trace } from "../../src/audit/index.js";
import { planPayout } from "../../src/chain/payout-plan.js";
import { sendPayouts } from "../../src/chain/payout-send.js";
import { rpcCall, rpcProvider } from "../../src/transport/index.js";
import { lineChunks } from "../../src/chain/listing.js";
import { rosterStateName } from "../../src/chain/states.js";
import { IndexDatabase, updateIndex } from "../../src/indexer/index.js";
import { buildBundle, bundleFromJson, bundleToJson, bundleTree, submissionOf } from "../../src/outputs/index.js";
import { lookupHousehold } from "../../src/resident/index.js";
import { countyOffices, countyStages } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import { syntheticPersonTag } from "../../src/roster/synthetic.js";
import { addressesOf, connectSuite, type SuiteAddresses } from "../../src/suite.js";
import { Anvil } from "../../test/faults/anvil.js";
import { type ServiceFigures, type Spread, serviceSide } from "./portal.js";
import { Sealer } from "./sealer.js";

const REPO = process.cwd();
const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const ROSTER_LINES = Number(process.env.BENCH_ROSTER_LINES ?? 100_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 5_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 8);
const CHAIN = process.env.BENCH_CHAIN ? path.resolve(process.env.BENCH_CHAIN) : undefined;
const LIVE_LINES = Number(process.env.BENCH_LIVE_LINES ?? 50_000);
const LIVE_CHUNK = Number(process.env.BENCH_LIVE_CHUNK ?? 2_500);
const SEQUENTIAL_LINES = 10_000;
const PER_LINE_LINES = 100;
const LOOKUPS = 200;
/** Lines a bank confirmation carries (about 13 million gas, under the 16,777,216 cap). */
const CONFIRM_CHUNK = 4_000;
// BENCH_CONFIRM=0: the bank confirms nothing (a shorter run; the read side then meets payouts
// unconfirmed).
const CONFIRM = process.env.BENCH_CONFIRM !== "0";
const GOAL_LINES_PER_S = 10_000;
/**
 * eth_getLogs ranges from 2 blocks, growing to 16 while the node answers: a block of the main rosters
 * holds up to 8 payouts of 3,500 lines, and anvil sends no answer at all for 16 such blocks (the
 * indexer then shrinks the range).
 */
const INDEX_RANGE = { initial: 2, max: 16 };
const ANVIL_ARGS = [
  "--no-mining",
  ...(process.env.BENCH_ANVIL_ARGS ?? "--gas-limit 1000000000 --prune-history 4").split(" "),
].filter(Boolean);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? (LINES > 200_000 ? 4 * 3600_000 : 25 * 60_000));
const CAP = 200_000n;
const COUNTY = 110101000000n;
const TOWNSHIP = 110101001000n;
// The statutory floor of the deployment (Ignition minPublicityPeriod, 7 days); the chain's clock is moved past it.
const PUBLICITY = 7 * 24 * 60 * 60;
for (const [name, v] of [
  ["BENCH_LINES", LINES],
  ["BENCH_ROSTER_LINES", ROSTER_LINES],
  ["BENCH_CHUNK", CHUNK],
  ["BENCH_WINDOW", WINDOW],
  ["BENCH_LIVE_LINES", LIVE_LINES],
  ["BENCH_LIVE_CHUNK", LIVE_CHUNK],
] as const) {
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
}
if (CHUNK > 5_000) throw new Error("BENCH_CHUNK must be at most 5,000 (the task's own limit)");

const A = {
  deployer: 0,
  governance: 1,
  programmeAdmin: 2,
  county: 3,
  township: 4,
  civil: 5,
  deptA: 6,
  deptB: 7,
  deptC: 8,
  disburser: 9,
  bank: 10,
} as const;
const say = (text: string) => console.log(text);
const since = (t: number) => (performance.now() - t) / 1000;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const commitmentOf = (household: number) => keccak256(toUtf8Bytes(`bench-household-${household}`));

/** What a saved chain needs beside anvil's state: where the suite is and what was paid. */
interface ChainRecord {
  addresses: SuiteAddresses;
  deployBlock: number;
  lines: number;
  /** The main rosters pay households 1 … `households`, once in each of `programmes` programmes. */
  households: number;
  programmes: number;
  write?: WriteFigures;
  /** A roster left unpaid (programme programmes + 1), paid while the portal's service is under load. */
  live?: { rosterId: string; programmeId: string; lines: number; file: string };
}

interface PayFigures {
  seconds: number;
  linesPerSecond: number;
  transactions: number;
  gasPerLine: number;
}

interface WriteFigures {
  /** When the write side ran (a saved chain's read side runs later). */
  writeDate: string;
  rosters: number;
  main: PayFigures;
  baselineA: PayFigures;
  baselineB: PayFigures;
  setupSeconds: number;
  /** Whether the bank confirmed every line of the main rosters before the read side. */
  bankConfirmed: boolean;
}

let anvil: Anvil | undefined;
let connection: NetworkConnection | undefined;
let provider: JsonRpcProvider | undefined;
let sealer: Sealer | undefined;
const scratch = await mkdtemp(path.join(tmpdir(), "fund-throughput-"));
const ignitionDir = path.join(
  REPO,
  "ignition",
  "deployments",
  `bench-throughput-${process.pid}-${Date.now().toString(36)}`,
);
const watchdog = setTimeout(() => {
  console.error(`bench: over its budget of ${BUDGET_MS / 1000} s; stopping`);
  void anvil?.crash().finally(() => process.exit(2));
}, BUDGET_MS);
watchdog.unref();

/**
 * Setup only: eth_sendTransaction from node accounts, every receipt checked. `inFlight` > 1 only for
 * transactions of equal cost (the node estimates gas against the state before the earlier ones land).
 */
async function sendAll(
  url: string,
  txs: Array<{ from: string; to: string; data: string; gas?: string }>,
  inFlight = 1,
): Promise<void> {
  for (let i = 0; i < txs.length; i += inFlight) {
    const hashes: string[] = [];
    const batch = txs.slice(i, i + inFlight);
    for (const tx of batch) hashes.push(await rpcCall<string>(url, "eth_sendTransaction", [tx], 300_000));
    for (const [k, hash] of hashes.entries()) {
      for (let poll = 0; ; poll++) {
        // A node sealing a block of thousands of lines may not answer within the limit: ask again.
        const receipt = await rpcCall<{ status: string } | null>(
          url,
          "eth_getTransactionReceipt",
          [hash],
          30_000,
        ).catch((error: Error) => {
          if (error.name !== "TimeoutError") throw error;
          return null;
        });
        if (receipt) {
          if (receipt.status !== "0x1") {
            const why = await rpcCall(url, "eth_call", [batch[k]], 10_000).then(
              () => "",
              (e: Error) => `: ${e.message}`,
            );
            throw new Error(`setup transaction ${hash} reverted${why}`);
          }
          break;
        }
        // A block of 32 registrations of 250 households is about 350 million gas: at a million
        // households anvil takes tens of seconds over one.
        if (poll > 30_000) throw new Error(`setup transaction ${hash}: no receipt after 600 s`);
        await sleep(20);
      }
    }
  }
}

/** Deploys the suite and sets up the rosters (not timed), pays them (timed). */
async function writeSide(url: string): Promise<ChainRecord> {
  const t0 = performance.now();
  const parameters = JSON.parse(
    await readFile(path.join(REPO, "ignition", "parameters", "localhost.json"), "utf8"),
  ) as { Suite: Record<string, number> };
  let addresses: SuiteAddresses;
  try {
    const deployed = await connection!.ignition.deploy(SuiteModule, {
      parameters,
      deploymentId: path.basename(ignitionDir),
    });
    addresses = await addressesOf(deployed);
  } finally {
    await rm(ignitionDir, { recursive: true, force: true });
  }
  const deployBlock = Number(await rpcCall<string>(url, "eth_blockNumber"));
  const suite = connectSuite(addresses, provider!);
  const accounts = await rpcCall<string[]>(url, "eth_accounts");
  const tx = (
    from: number,
    contract: { target: unknown; interface: { encodeFunctionData(name: string, args: readonly unknown[]): string } },
    name: string,
    args: readonly unknown[],
  ) => ({
    from: accounts[from]!,
    to: String(contract.target),
    data: contract.interface.encodeFunctionData(name, args),
  });

  const grants: Array<[bigint, number]> = [
    [Role.PROGRAMME_ADMIN, A.programmeAdmin],
    [Role.BUREAU, A.county],
    [Role.BUREAU, A.township],
    [Role.CIVIL_AFFAIRS, A.civil],
    [Role.REVIEWER, A.deptA],
    [Role.REVIEWER, A.deptB],
    [Role.REVIEWER, A.deptC],
    [Role.DISBURSER, A.disburser],
    [Role.BANK, A.bank],
  ];
  await sendAll(url, [
    ...grants.map(([role, who]) => tx(A.governance, suite.manager, "grantRole", [role, accounts[who], 0])),
    ...countyOffices(COUNTY, {
      bureau: A.county,
      townships: [[A.township, TOWNSHIP]],
      civilAffairs: A.civil,
      reviewers: [A.deptA, A.deptB, A.deptC],
      treasury: A.disburser,
      bank: A.bank,
    }).map(({ account, office }) => tx(A.governance, suite.directory, "bindOffice", [accounts[account], office])),
  ]);
  const mainRosters = Math.ceil(LINES / ROSTER_LINES);
  const mainHouseholds = Math.min(LINES, ROSTER_LINES);
  const households = mainHouseholds + SEQUENTIAL_LINES + PER_LINE_LINES;
  const ceiling = CAP * BigInt(households);
  const terms = {
    budgetCeiling: ceiling,
    householdCap: CAP,
    publicityPeriod: PUBLICITY,
    payoutPeriod: 30 * 24 * 60 * 60,
    reviewStages: countyStages(0, 1, 2),
    policyDocHash: id("bench policy"),
    policyURI: "https://policy.example/bench.pdf",
  };
  // The main rosters' programmes, then the live roster's.
  for (let p = 1; p <= mainRosters + 1; p++) {
    await sendAll(url, [
      tx(A.programmeAdmin, suite.programmes, "createProgramme", [id(`BENCH-THROUGHPUT-${p}`), 202611, COUNTY, terms]),
    ]);
    await sendAll(url, [tx(A.programmeAdmin, suite.ledger, "fundProgramme", [BigInt(p), ceiling])]);
    await sendAll(url, [tx(A.county, suite.ledger, "allocate", [BigInt(p), COUNTY, TOWNSHIP, ceiling])]);
  }

  const register: Array<{ from: string; to: string; data: string; gas: string }> = [];
  for (let first = 1; first <= households; first += 150) {
    const commitments = Array.from({ length: Math.min(150, households - first + 1) }, (_, i) =>
      commitmentOf(first + i),
    );
    // A fixed gas limit: with 32 in flight, the node estimates each against a state in which the
    // region's block may not yet be full, and the transaction that opens the next block needs more.
    register.push({
      ...tx(A.civil, suite.households, "registerHouseholds", [
        TOWNSHIP,
        commitments,
        commitments.map(syntheticPersonTag),
        id(`attestation ${first}`),
      ]),
      gas: "0xe4e1c0",
    });
  }
  await sendAll(url, register, 32);
  if ((await suite.households.householdCount()) !== BigInt(households))
    throw new Error("household count after registration is wrong");
  say(`  ${fmt(households)} households registered, ${mainRosters + 1} programme(s) funded (${since(t0).toFixed(0)} s)`);

  // The main rosters (programme k pays households 1…), then the baselines' two in programme 1 with
  // households of their own; each bundle is written to disk and read back by the timed run.
  const amountOf = (i: number) => 60_000n + BigInt((i * 7919) % 90) * 1_000n + BigInt(i % 4) * 25n;
  const rosters: Array<{ name: string; file: string; rosterId: bigint; lines: number }> = [];
  const plans: Array<{ name: string; programmeId: bigint; count: number; firstHousehold: number }> = [];
  for (let from = 0, k = 1; from < LINES; from += ROSTER_LINES, k++)
    plans.push({
      name: `main ${k}`,
      programmeId: BigInt(k),
      count: Math.min(ROSTER_LINES, LINES - from),
      firstHousehold: 1,
    });
  plans.push({
    name: "baseline A (window 1)",
    programmeId: 1n,
    count: SEQUENTIAL_LINES,
    firstHousehold: mainHouseholds + 1,
  });
  plans.push({
    name: "baseline B (one line per tx)",
    programmeId: 1n,
    count: PER_LINE_LINES,
    firstHousehold: mainHouseholds + SEQUENTIAL_LINES + 1,
  });
  const liveLines = Math.min(LIVE_LINES, mainHouseholds);
  plans.push({ name: "live", programmeId: BigInt(mainRosters + 1), count: liveLines, firstHousehold: 1 });
  for (const { name, programmeId, count, firstHousehold: first } of plans) {
    const bundle = buildBundle({
      programmeId,
      region: TOWNSHIP,
      documentHash: id(`bench list ${name}`),
      documentURI: `https://notice.example/bench-${rosters.length + 1}.csv`,
      lines: Array.from({ length: count }, (_, i) => ({
        index: i,
        household: BigInt(first + i),
        commitment: commitmentOf(first + i),
        amount: amountOf(first + i),
      })),
    });
    // The live roster is paid by the read side, perhaps of a later run against the saved chain.
    const file = path.join(name === "live" && CHAIN ? CHAIN : scratch, `roster-${rosters.length + 1}.json`);
    await writeFile(file, bundleToJson(bundle));
    const submission = submissionOf(bundle);
    const rosterId = BigInt(rosters.length + 1);
    await sendAll(url, [tx(A.township, suite.rosterBook, "submitRoster", [submission])]);
    await sendAll(
      url,
      lineChunks(bundleTree(bundle)).map((c) =>
        tx(A.township, suite.rosterLines, "submitLines", [rosterId, c.first, c.lines, c.frontier]),
      ),
    );
    rosters.push({ name, file, rosterId, lines: count });
  }
  await sendAll(
    url,
    rosters.flatMap((r) =>
      [A.deptA, A.deptB, A.deptC].map((d) => tx(d, suite.rosterBook, "approveRoster", [r.rosterId])),
    ),
  );
  await rpcCall(url, "evm_increaseTime", [PUBLICITY + 1]);
  await rpcCall(url, "evm_mine");
  for (const r of rosters) {
    const state = rosterStateName(await suite.rosterBook.rosterState(r.rosterId));
    if (state !== "Payable") throw new Error(`roster ${r.rosterId} is ${state}, not Payable`);
  }
  const setupSeconds = since(t0);
  say(`  setup done in ${setupSeconds.toFixed(0)} s (not counted below)\n`);

  // The signer and the reads of the payout are the Hardhat connection's, as in `payout record`.
  const signer = await connection!.ethers.getSigner(accounts[A.disburser]!);
  const taskSuite = connectSuite(addresses, connection!.ethers.provider);
  /** What `payout record` does, minus the progress bar: bundle JSON → tree → plan → send → receipts → final check. */
  const payRosters = async (rs: typeof rosters, chunkSize: number, window: number): Promise<PayFigures> => {
    const t = performance.now();
    let lines = 0;
    let transactions = 0;
    let gas = 0n;
    let withReceipt = 0;
    for (const r of rs) {
      const bundle = bundleFromJson(await readFile(r.file, "utf8"));
      const tree = bundleTree(bundle);
      const plan = await planPayout(taskSuite, r.rosterId, { root: bundle.root, lines: bundle.lines });
      if (plan.payable.length !== r.lines)
        throw new Error(`${r.name}: ${plan.payable.length} lines payable, expected ${r.lines}`);
      const report = await sendPayouts(taskSuite, signer, plan, tree, { chunkSize, window, receiptTimeoutMs: 120_000 });
      if (report.paidLines !== r.lines)
        throw new Error(`${r.name}: ${report.paidLines} lines paid, expected ${r.lines}`);
      if (report.retries > 0) say(`  (${r.name}: ${report.retries} transient failure(s) retried)`);
      if (report.outOfGas > 0) say(`  (${r.name}: ${report.outOfGas} chunk(s) ran out of the modelled gas)`);
      lines += r.lines;
      transactions += report.transactions.length;
      gas += report.gasUsed;
      withReceipt += report.itemsWithReceipt;
    }
    const seconds = since(t);
    return { seconds, linesPerSecond: lines / seconds, transactions, gasPerLine: Number(gas) / withReceipt };
  };

  const live = rosters.at(-1)!;
  const main = rosters.slice(0, -3);
  say(
    `paying ${fmt(LINES)} lines in ${main.length} roster(s): chunks of at most ${fmt(CHUNK)} lines, ${WINDOW} transactions in flight…`,
  );
  const mainFigures = await payRosters(main, CHUNK, WINDOW);
  say(`paying baseline A: ${fmt(SEQUENTIAL_LINES)} lines, chunks of at most ${fmt(CHUNK)}, window 1…`);
  const seqA = await payRosters([rosters.at(-3)!], CHUNK, 1);
  say(`paying baseline B: ${fmt(PER_LINE_LINES)} lines, one transaction per line, window 1…`);
  const perLine = await payRosters([rosters.at(-2)!], 1, 1);
  const blocksAfterPay = Number(await rpcCall<string>(url, "eth_blockNumber"));
  // Printed now, so that a failure on the read side does not lose them.
  const perLineExtrapolated = LINES / perLine.linesPerSecond;
  say(
    `\nThroughput, end to end through sendPayouts (anvil ${ANVIL_ARGS.join(" ")} on loopback; ${new Date().toISOString()})`,
  );
  say(
    `  ours:       ${fmt(mainFigures.linesPerSecond)} lines/s — ${fmt(LINES)} lines in ${mainFigures.seconds.toFixed(1)} s, ${main.length} roster(s), ${mainFigures.transactions} transactions of ≤ ${fmt(CHUNK)} lines, window ${WINDOW}; ${fmt(mainFigures.gasPerLine)} gas/line`,
  );
  say(
    `  baseline A: ${fmt(seqA.linesPerSecond)} lines/s — the same code with window 1, ${fmt(SEQUENTIAL_LINES)} lines in ${seqA.seconds.toFixed(1)} s, ${seqA.transactions} transactions`,
  );
  say(
    `  baseline B: ${fmt(perLine.linesPerSecond)} lines/s — one transaction per line (chunk 1, window 1), measured on ${PER_LINE_LINES} lines in ${perLine.seconds.toFixed(1)} s; extrapolated: ${fmt(LINES)} lines would take ${fmt(perLineExtrapolated)} s`,
  );
  say(
    `  goal: ${fmt(GOAL_LINES_PER_S)} lines/s — ${mainFigures.linesPerSecond >= GOAL_LINES_PER_S ? "met" : "NOT met"} (${(mainFigures.linesPerSecond / GOAL_LINES_PER_S).toFixed(2)}× the goal); ours is ${(mainFigures.linesPerSecond / perLine.linesPerSecond).toFixed(0)}× baseline B and ${(mainFigures.linesPerSecond / seqA.linesPerSecond).toFixed(2)}× baseline A`,
  );
  say(
    `  setup (${fmt(households)} households, ${rosters.length} rosters, deployment) took ${setupSeconds.toFixed(0)} s and is not counted; chain at block ${blocksAfterPay}`,
  );

  // The bank confirms every line of the main rosters (not timed), so that the read side meets
  // payouts in the state they end in: reconcile joins each confirmation to its payout, and a
  // resident's check reads the confirmation too.
  const t1 = performance.now();
  const confirms = (CONFIRM ? main : []).flatMap((r) =>
    Array.from({ length: Math.ceil(r.lines / CONFIRM_CHUNK) }, (_, k) => {
      const indices = Array.from(
        { length: Math.min(CONFIRM_CHUNK, r.lines - k * CONFIRM_CHUNK) },
        (_, i) => k * CONFIRM_CHUNK + i,
      );
      return tx(A.bank, suite.disbursement, "confirmPayouts", [
        r.rosterId,
        indices,
        indices.map((i) => id(`bank reference ${r.rosterId}-${i}`)),
      ]);
    }),
  );
  await sendAll(url, confirms, WINDOW);
  say(
    CONFIRM
      ? `  the bank confirmed the ${fmt(LINES)} lines of the main rosters in ${confirms.length} transactions (${since(t1).toFixed(0)} s, not counted)`
      : "  the bank confirms nothing in this run (BENCH_CONFIRM=0)",
  );
  return {
    addresses,
    deployBlock,
    lines: LINES,
    households: mainHouseholds,
    programmes: mainRosters,
    live: {
      rosterId: live.rosterId.toString(),
      programmeId: String(mainRosters + 1),
      lines: live.lines,
      file: live.file,
    },
    write: {
      writeDate: new Date().toISOString(),
      rosters: main.length,
      main: mainFigures,
      baselineA: seqA,
      baselineB: perLine,
      setupSeconds,
      bankConfirmed: CONFIRM,
    },
  };
}

type ReadFigure =
  | "events"
  | "blocks"
  | "ranges"
  | "payouts"
  | "coldIndex"
  | "reconcileEvents"
  | "reconcileCold"
  | "incremental"
  | "incrementalEvents"
  | "warmEvents"
  | "warm"
  | "selfCheckP50"
  | "selfCheckP95"
  | "selfCheckMax"
  | "indexCheckP50"
  | "indexCheckP95"
  | "indexCheckMax";

/** The read side against the node's payouts. */
/** 200 random paid households of the main rosters, the same in every run. */
/** LOOKUPS households drawn from `count` households from `first` on (the same draw at every size). */
function sampleHouseholds(first: number, count: number): number[] {
  let seed = 20261121;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: LOOKUPS }, () => first + Math.floor(random() * count));
}

async function readSide(chain: ChainRecord, dbFile: string): Promise<Record<ReadFigure, number>> {
  const suite = connectSuite(chain.addresses, provider!);
  {
    const db = IndexDatabase.open(dbFile);
    try {
      let t = performance.now();
      const index = await updateIndex({ rpc: provider!, db, addresses: chain.addresses, range: INDEX_RANGE });
      const coldIndex = since(t);
      const payouts = Number(db.get("SELECT COUNT(*) AS n FROM payouts")!.n);
      // The node sealed (empty) blocks meanwhile and keeps only recent states: catch up (not timed)
      // so that the comparison reads a block it still has.
      await updateIndex({ rpc: provider!, db, addresses: chain.addresses, range: INDEX_RANGE });
      t = performance.now();
      const rec = reconcileFromEvents(db);
      const reconcileEvents = since(t);
      await compareWithChain(rec, suite);
      const reconcileCold = since(t);
      t = performance.now();
      const again = await updateIndex({ rpc: provider!, db, addresses: chain.addresses, range: INDEX_RANGE });
      const incremental = since(t);
      const rec2 = reconcileFromEvents(db);
      const warmEvents = since(t) - incremental;
      await compareWithChain(rec2, suite);
      const warm = since(t);
      if (!rec.balanced || !rec2.balanced) process.exitCode = 1;
      for (const r of [rec, rec2])
        if (!r.chain.compared) say(`  (the comparison with the chain was not made: ${r.chain.error ?? "no block"})`);

      // Self-check: 200 random paid households of the main rosters, one after another, straight from
      // the node as the residents' page did before the portal (lookupHousehold), then from the index (audit trace).
      const households = sampleHouseholds(1, chain.households);
      const ms: number[] = [];
      for (const household of households) {
        const start = performance.now();
        const r = await lookupHousehold(provider!, chain.addresses, commitmentOf(household), {
          fromBlock: chain.deployBlock,
        });
        ms.push(performance.now() - start);
        if (
          !r.found ||
          r.household.id !== BigInt(household) ||
          r.lines.filter((l) => l.status !== "Unpaid").length !== chain.programmes
        )
          throw new Error(`self-check of household ${household}: unexpected answer`);
      }
      ms.sort((x, y) => x - y);
      const fromIndex: number[] = [];
      for (const household of households) {
        const start = performance.now();
        const history = trace(db, { commitment: commitmentOf(household) });
        fromIndex.push(performance.now() - start);
        if (!history.entries.some((e) => e.event === "PayoutRecorded"))
          throw new Error(`index check of household ${household}: no payout in its trace`);
      }
      fromIndex.sort((x, y) => x - y);
      return {
        events: index.events,
        blocks: index.blocks,
        ranges: index.ranges,
        payouts,
        coldIndex,
        reconcileEvents,
        reconcileCold,
        incremental,
        incrementalEvents: again.events,
        warmEvents,
        warm,
        selfCheckP50: percentile(ms, 50),
        selfCheckP95: percentile(ms, 95),
        selfCheckMax: ms[ms.length - 1]!,
        indexCheckP50: percentile(fromIndex, 50),
        indexCheckP95: percentile(fromIndex, 95),
        indexCheckMax: fromIndex[fromIndex.length - 1]!,
      };
    } finally {
      db.close();
    }
  }
}

const ms = (s: Spread, digits = 1) =>
  `p50 ${s.p50.toFixed(digits)} ms, p95 ${s.p95.toFixed(digits)} ms, max ${s.max.toFixed(digits)} ms`;

function printService(s: ServiceFigures): void {
  say(
    `  the first page after the service started (it reads the kept sums and builds the tree): ${s.firstPageMs.toFixed(0)} ms`,
  );
  say(`  self-check, the service's answer (${s.selfCheck.n} households, sequential): ${ms(s.selfCheck)}`);
  if (s.selfCheckOnce)
    say(
      `  self-check of households paid once (the first baseline's; the same answer at every size): ${ms(s.selfCheckOnce)}`,
    );
  say(`  self-check with every payout it names checked against the node, as the page does: ${ms(s.selfCheckWithNode)}`);
  say(
    `  programme page: ${ms(s.programmePage.afterBlock)} first after a new block; ${ms(s.programmePage.sameBlock)} at the same block`,
  );
  say(
    `  region page:    ${ms(s.regionPage.afterBlock)} first after a new block; ${ms(s.regionPage.sameBlock)} at the same block`,
  );
  say(`  the node alone: the programme's budget tree from the contracts' views: ${ms(s.nodeProgramme)}`);
  const l = s.live;
  if (l) {
    say(
      `  under load: ${fmt(l.lines)} payout lines paid in ${l.transactions} transactions over ${l.blocks} blocks (${l.payingSeconds.toFixed(1)} s, ${fmt(l.eventsPerSecond)} payouts/s) while ${l.rate} self-checks/s were sent`,
    );
    say(
      `    self-checks: ${fmt(l.sent)} sent, ${fmt(l.answered)} answered (${fmt(l.answeredPerSecond, 1)}/s), ${l.failed} failed; ${ms(l.lookups)}`,
    );
    for (const [page, spread] of Object.entries(l.pages)) say(`    ${page}: ${ms(spread)}`);
    say(
      `    the index at most ${l.maxBehind} block(s) behind the node; caught up ${l.catchUpSeconds.toFixed(1)} s after the last payout's receipt`,
    );
    for (const e of l.errors.slice(0, 5)) say(`    error: ${e}`);
  }
  say(
    `  the node alone under load: ${s.nodeLoad.concurrency} self-checks at a time (lookupHousehold) for ${s.nodeLoad.seconds.toFixed(0)} s: ${fmt(s.nodeLoad.lookups)} answered (${fmt(s.nodeLoad.perSecond, 1)}/s); ${ms(s.nodeLoad.spread)}`,
  );
}

try {
  const saved = CHAIN && existsSync(path.join(CHAIN, "chain.json"));
  const state = CHAIN ? path.join(CHAIN, "anvil-state.json") : undefined;
  if (CHAIN) await mkdir(CHAIN, { recursive: true });
  anvil = await Anvil.start({
    repo: REPO,
    extraArgs: ANVIL_ARGS,
    ...(saved ? { loadState: state } : state ? { dumpState: state } : {}),
  });
  const url = anvil.url;
  sealer = Sealer.start(url);
  connection = await network.create({ network: "faults", override: { url, timeout: 120_000 } });
  provider = rpcProvider(url, 31339, { staticNetwork: true, batchMaxCount: 1 });
  let chain: ChainRecord;
  if (saved) {
    chain = JSON.parse(await readFile(path.join(CHAIN, "chain.json"), "utf8")) as ChainRecord;
    // A chain saved before the record had its date: the record was written when its write side ended.
    if (chain.write && !chain.write.writeDate)
      chain.write.writeDate = (await stat(path.join(CHAIN, "chain.json"))).mtime.toISOString();
    say(`anvil on ${url} from the chain saved in ${CHAIN} (${fmt(chain.lines)} lines paid); read side only`);
  } else {
    say(
      `anvil ${ANVIL_ARGS.join(" ")} on ${url} (pid ${anvil.pid}), chain 31339; setting up (not timed): households, programmes, rosters…`,
    );
    chain = await writeSide(url);
    if (CHAIN) await writeFile(path.join(CHAIN, "chain.json"), `${JSON.stringify(chain, null, 2)}\n`);
  }

  // Nothing is sent any more: no more (empty) blocks, so that a read pinned to the latest block
  // finds its state on a node that keeps no past state.
  await sealer.stop();
  sealer = undefined;
  const dbFile = path.join(scratch, "audit.sqlite");
  const read = await readSide(chain, dbFile);
  say(`\nRead side, same node, ${fmt(read.payouts)} payouts (${fmt(read.events)} events, ${fmt(read.blocks)} blocks)`);
  say(
    `  cold index (every event from block 0 into a new SQLite file, ${read.ranges} eth_getLogs ranges): ${read.coldIndex.toFixed(2)} s`,
  );
  say(
    `  cold reconcile: ${read.reconcileEvents.toFixed(2)} s from the indexed events, ${read.reconcileCold.toFixed(2)} s with the comparison against the chain`,
  );
  say(
    `  warm reconcile (incremental index with nothing new ${read.incremental.toFixed(2)} s + reconcile ${read.warmEvents.toFixed(2)} s + chain comparison): ${read.warm.toFixed(2)} s`,
  );
  say(
    `  household self-check from the node (lookupHousehold, as the residents' page does; ${LOOKUPS} random paid households, sequential): p50 ${read.selfCheckP50.toFixed(1)} ms, p95 ${read.selfCheckP95.toFixed(1)} ms, max ${read.selfCheckMax.toFixed(1)} ms`,
  );
  say(
    `  household self-check from the index (audit trace --commitment, same households): p50 ${read.indexCheckP50.toFixed(2)} ms, p95 ${read.indexCheckP95.toFixed(2)} ms, max ${read.indexCheckMax.toFixed(2)} ms`,
  );
  say(
    `  goals (at 1,000,000 payouts; measured here at ${fmt(read.payouts)}): cold reconcile ≤ 10 s, warm ≤ 1 s, self-check p95 ≤ 20 ms`,
  );

  // The portal's service on the index just built, the live roster paid while it is under load.
  say(`\nThrough the portal's service (npx hardhat portal on that index, ${fmt(read.payouts)} payouts)…`);
  const live = chain.live;
  const service = await serviceSide({
    repo: REPO,
    scratch,
    url,
    provider: provider!,
    addresses: chain.addresses,
    deployBlock: chain.deployBlock,
    dbFile,
    households: sampleHouseholds(1, chain.households),
    // Baseline A's households: paid once, by a roster of their own, at every size.
    paidOnce: sampleHouseholds(chain.households + 1, SEQUENTIAL_LINES),
    commitmentOf,
    programmes: chain.programmes,
    region: TOWNSHIP,
    say,
    liveProgramme: live && BigInt(live.programmeId),
    payLive:
      live &&
      (async () => {
        const accounts = await rpcCall<string[]>(url, "eth_accounts");
        const signer = await connection!.ethers.getSigner(accounts[A.disburser]!);
        const taskSuite = connectSuite(chain.addresses, connection!.ethers.provider);
        const bundle = bundleFromJson(await readFile(live.file, "utf8"));
        const plan = await planPayout(taskSuite, BigInt(live.rosterId), { root: bundle.root, lines: bundle.lines });
        if (plan.payable.length !== live.lines)
          throw new Error(`the live roster: ${plan.payable.length} lines payable, expected ${live.lines}`);
        // The chain seals a block a second again; a transaction of LIVE_CHUNK lines at a time.
        const liveSealer = Sealer.start(url);
        try {
          const report = await sendPayouts(taskSuite, signer, plan, bundleTree(bundle), {
            chunkSize: LIVE_CHUNK,
            window: 1,
            receiptTimeoutMs: 120_000,
          });
          if (report.paidLines !== live.lines) throw new Error(`the live roster: ${report.paidLines} lines paid`);
          const lastBlock = Number(await rpcCall<string>(url, "eth_blockNumber"));
          return {
            lines: live.lines,
            transactions: report.transactions.length,
            lastBlock,
          };
        } finally {
          await liveSealer.stop();
        }
      }),
  });
  printService(service);

  // The latest run, and the latest of this size (npm run bench:report renders both sizes into BENCHMARKS.md).
  await mkdir("bench/results", { recursive: true });
  const json = `${JSON.stringify({ date: new Date().toISOString(), node: process.version, anvil: ANVIL_ARGS, lines: chain.lines, rosterLines: ROSTER_LINES, chunk: CHUNK, window: WINDOW, ...chain.write, goalLinesPerSecond: GOAL_LINES_PER_S, read, service }, null, 2)}\n`;
  await writeFile("bench/results/throughput-latest.json", json);
  await writeFile(`bench/results/throughput-${chain.lines}.json`, json);
} finally {
  clearTimeout(watchdog);
  await sealer?.stop().catch(() => undefined);
  provider?.destroy();
  await connection?.close().catch(() => undefined);
  await anvil?.stop().catch(() => undefined);
  await rm(scratch, { recursive: true, force: true });
  await rm(ignitionDir, { recursive: true, force: true });
}
