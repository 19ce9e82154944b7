/**
 * Fault tests: a payout run, a bank settlement and a roster submission against a real node, through faults, ending each
 * time with the exact totals on chain, nobody paid twice, and the tool saying what it did.
 * Run with `npm run test:faults` (Hardhat compiles first, then runs this script);
 * `FAULTS_SEED=<n>` repeats a run's random choices.
 *
 * 0. Setup, once (setup.ts): anvil (chain 31339), the suite deployed by its Ignition module, roles,
 *    a programme, 3,000 households and a payable roster of 3,000 lines (one household suspended, one
 *    line frozen: 2,998 to pay). Its state is saved; each scenario starts a fresh anvil from it.
 * 1. Killed runs: `npx hardhat payout record --network faults` as a child process, reaching anvil
 *    through a pass-through proxy that sees every request, SIGKILLed at seeded points — before its
 *    first chunk, between chunks, right after the node answered a send (the transaction landed, the
 *    tool never heard), at a random moment after its first send — then rerun until done.
 * 2. The node killed and restarted: anvil saving its state every second, SIGKILLed while a payout
 *    run is in progress, restarted from its state file (blocks after the last save are lost); the
 *    run in flight rides it out with retries, and whatever the chain lost is paid again, once.
 * 3. A flaky RPC: a proxy that drops connections, holds answers or requests past the client's
 *    timeout and answers 5xx, at seeded bounded rates; `payout record` and then `bank settle`
 *    complete through it, each in one run.
 * 4. Killed submissions: `roster submit` of 2,000 new households, 200 lines per transaction,
 *    SIGKILLed at the same kinds of seeded points (test/faults/kill.ts) while its lines go on chain,
 *    then rerun until done: one roster, every line listed once and in order, sealed once, its total
 *    reserved once, and a last run that finds it done sends nothing.
 * 5. `npm run node`'s local chain (scripts/local-chain.ts: anvil behind a front that snapshots), the
 *    world imported and its clock moved 10 days ahead: SIGKILLed during a payout run at seeded
 *    receipts — the front and anvil together (restarted), then anvil alone (the front restarts it).
 *    The run rides it out; every receipt a tool was given is still on chain in the same block (no
 *    "no longer paid"); everyone paid once, paid bits and logs agree; block times never go back.
 * 6. The same during a `bank settle` run: each line settled once, refunds exact, nothing given lost.
 * 7. The same chain stopped gracefully (SIGTERM) keeps its newest block and its clock's lead; with
 *    its state.json cut short it says so in one line, moves the file aside, starts from
 *    state.prev.json.
 *
 * Prints one line per check and a closing "N passed, N failed"; exits non-zero on any failure.
 * Loopback only; every wait is bounded; every child is killed and every temporary file removed in
 * `finally`; a watchdog ends the whole run after TOTAL_BUDGET_MS.
 */
import { rmSync } from "node:fs";
import { copyFile, mkdtemp, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { connectSuite, type Suite } from "../../src/suite.js";
import { Disbursement__factory } from "../../typechain-types/index.js";
import { rpcCall } from "../../src/transport/index.js";
import { rosterStateName } from "../../src/chain/states.js";
import { Anvil, keepWholeState } from "./anvil.js";
import { assert, type BankRow, checkAllPaid, checkPayouts, checkSettled, equal, type PayoutState } from "./checks.js";
import { type Child, type Exit, killAllNow, sleep, start, stopAll, waitUntil } from "./proc.js";
import { KillSwitch, killPoints } from "./kill.js";
import { checkReceiptsKept, checkTimeForward, LocalNode, ReceiptWatch } from "./localnode.js";
import { flaky, type Proxy, rng, startProxy } from "./proxy.js";
import {
  ACCOUNT,
  buildSavedWorld,
  createdDirs,
  FAULTS_BUREAU_SECRET,
  TOWNSHIP,
  type World,
  writeRegisteredRoster,
} from "./setup.js";

const REPO = process.cwd();
const TOTAL_BUDGET_MS = 330_000;
const RUN_TIMEOUT_MS = 150_000;
const CHUNK = 250;
const started = Date.now();
const seed = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 1e9));
if (!Number.isSafeInteger(seed)) throw new Error(`FAULTS_SEED must be an integer, got ${process.env.FAULTS_SEED}`);
const seedFor = (name: string) => {
  let h = seed >>> 0;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
};

// ---------------------------------------------------------------------------------------------
// A minimal runner: named checks, one line each, a summary.
const results: Array<{ name: string; ok: boolean }> = [];
const log = (text: string) => console.log(`      ${text}`);
async function check(name: string, body: () => Promise<void>): Promise<boolean> {
  const t = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    results.push({ name, ok: false });
    console.log(
      `  ✗ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)\n      ${String((error as Error)?.stack ?? error)
        .split("\n")
        .slice(0, 6)
        .join("\n      ")}`,
    );
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The tools under test, as a user runs them.
function taskArgs(world: World, task: "payout" | "bank", extra: string[] = [], chunk = CHUNK): string[] {
  const common = ["--network", "faults", "--roster", String(world.rosterId), "--deployment", world.deploymentFile];
  return task === "payout"
    ? [
        "hardhat",
        "payout",
        "record",
        ...common,
        "--from",
        String(ACCOUNT.disburser),
        "--bundle",
        world.bundleFile,
        "--chunk-size",
        String(chunk),
        ...extra,
      ]
    : ["hardhat", "bank", "settle", ...common, "--from", String(ACCOUNT.bank), "--chunk-size", String(chunk), ...extra];
}

function startTask(url: string, args: string[]): Child {
  return start("npx", args, {
    cwd: REPO,
    env: { ...process.env, FAULTS_RPC_URL: url, BUREAU_SECRET: FAULTS_BUREAU_SECRET },
  });
}

interface TaskRun extends Exit {
  stdout: string;
  stderr: string;
  ms: number;
}

async function finish(child: Child, t0: number): Promise<TaskRun> {
  const exit = await child.exited(RUN_TIMEOUT_MS);
  if (exit.timedOut) await child.kill();
  return {
    ...exit,
    stdout: child.stdout(),
    stderr: child.stderr().replace(/^npm warn .*\n?/gm, ""),
    ms: Date.now() - t0,
  };
}

async function runTask(url: string, args: string[]): Promise<TaskRun> {
  const t0 = Date.now();
  return finish(startTask(url, args), t0);
}

/** What a `payout record` run said. */
function payoutSaid(stdout: string) {
  const plan = /roster \d+: \d+ lines; (\d+) already paid, (\d+) to pay now/.exec(stdout);
  const paid = /^paid (\d+) lines, ([\d,.]+) yuan, in (\d+) transaction/m.exec(stdout);
  return {
    alreadyPaid: plan ? Number(plan[1]) : undefined,
    toPay: plan ? Number(plan[2]) : undefined,
    paid: paid ? Number(paid[1]) : undefined,
    nothingLeft: /nothing left to pay/.test(stdout),
    retries: stdout.split("\n").filter((l) => l.startsWith("  retry ")),
    rechecks: stdout.split("\n").filter((l) => l.startsWith("  read the chain again")),
    summary: stdout.trim().split("\n").at(-1) ?? "",
  };
}

const describeRun = (r: TaskRun) =>
  `exit ${r.code ?? r.signal}${r.timedOut ? " (timed out)" : ""} after ${(r.ms / 1000).toFixed(1)} s`;
const failedRun = (what: string, r: TaskRun) =>
  new Error(
    `${what}: ${describeRun(r)}\n--- stdout (end) ---\n${r.stdout.trim().split("\n").slice(-15).join("\n")}\n--- stderr (end) ---\n${r.stderr.trim().split("\n").slice(-15).join("\n")}`,
  );

/**
 * Reads the chain through a fresh connection, once the node's pool is empty: anvil answers
 * eth_sendTransaction before its automine has mined the block, so a send a killed run made a moment
 * ago may still be on its way in.
 */
async function withSuite<T>(url: string, body: (suite: Suite) => Promise<T>): Promise<T> {
  const quiet = await waitUntil(async () => {
    const pool = await rpcCall<{ pending: string; queued: string }>(url, "txpool_status").catch(() => undefined);
    return pool !== undefined && Number(pool.pending) + Number(pool.queued) === 0;
  }, 10_000);
  assert(quiet, "the node's transaction pool did not empty within 10 s");
  const connection: NetworkConnection = await network.create({ network: "faults", override: { url } });
  try {
    return await body(connectSuite(world!.addresses, connection.ethers.provider));
  } finally {
    await connection.close();
  }
}

const disbursementInterface = Disbursement__factory.createInterface();
/** The roster's payout batches on chain, read straight from the node (no retries). */
const batchCountOf = async (url: string) =>
  Number(
    BigInt(
      await rpcCall<string>(
        url,
        "eth_call",
        [
          {
            to: world!.addresses.disbursement,
            data: disbursementInterface.encodeFunctionData("batchCount", [world!.rosterId]),
          },
          "latest",
        ],
        1_000,
      ),
    ),
  );

/** Reruns `payout record` until it exits 0 (at most `max` runs); the last must have paid or found nothing left. */
async function payUntilDone(url: string, max: number, label: string): Promise<TaskRun[]> {
  const runs: TaskRun[] = [];
  for (let i = 0; i < max; i++) {
    const run = await runTask(url, taskArgs(world!, "payout"));
    runs.push(run);
    const said = payoutSaid(run.stdout);
    log(`${label} ${i + 1}: ${describeRun(run)}: ${said.summary}`);
    if (run.code === 0) return runs;
  }
  throw failedRun(`${label}: still failing after ${max} runs`, runs.at(-1)!);
}

/** A last run finds nothing left to pay, and says so. */
async function expectNothingLeft(url: string): Promise<void> {
  const last = await runTask(url, taskArgs(world!, "payout"));
  if (last.code !== 0) throw failedRun("the run after completion", last);
  const said = payoutSaid(last.stdout);
  assert(said.nothingLeft, `the run after completion did not say "nothing left to pay": ${said.summary}`);
  equal(said.alreadyPaid, world!.payable.length, "the run after completion: lines it says are already paid");
}

/** The newest roster of the world's programme and its listing, read from the chain's state and its own logs. */
async function listingState(suite: Suite, url: string) {
  const rosters = Number(await suite.rosterBook.rosterCount());
  const rosterId = BigInt(rosters);
  const reserved = (await suite.ledger.balanceOf(world!.programmeId, TOWNSHIP)).reserved;
  const submitter = (await rpcCall<string[]>(url, "eth_accounts"))[ACCOUNT.township]!;
  if (rosterId === world!.rosterId) return { rosters, rosterId, reserved, submitter, listed: 0, sealed: 0, state: "" };
  const [count] = await suite.rosterLines.listing(rosterId);
  // LineListed is anonymous, its one topic the household: one log per line, the line's index in bits 128…159.
  const logs = await rpcCall<Array<{ topics: string[]; data: string }>>(url, "eth_getLogs", [
    { address: world!.addresses.rosterLines, fromBlock: "0x0", toBlock: "latest" },
  ]);
  const indices = logs
    .filter((l) => l.topics.length === 1 && BigInt(l.data) >> 192n === rosterId)
    .map((l) => Number((BigInt(l.data) >> 128n) & 0xffffffffn));
  assert(new Set(indices).size === indices.length, `roster ${rosterId}: a line was listed twice`);
  equal(indices.length, Number(count), `roster ${rosterId}: LineListed logs vs the listing's count`);
  indices.forEach((index, k) => equal(index, k, `roster ${rosterId}: the line listed in place ${k}`));
  const sealed = (await suite.rosterBook.queryFilter(suite.rosterBook.filters.RosterSealed(rosterId))).length;
  assert(sealed <= 1, `roster ${rosterId} sealed ${sealed} times`);
  return {
    rosters,
    rosterId,
    reserved,
    submitter,
    listed: Number(count),
    sealed,
    state: rosterStateName(await suite.rosterBook.rosterState(rosterId)),
  };
}

// ---------------------------------------------------------------------------------------------
let world: World | undefined;
let tmp: string | undefined;
const proxies: Proxy[] = [];

async function cleanUp(): Promise<void> {
  await Promise.all(proxies.map((p) => p.close().catch(() => {})));
  await stopAll();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}

function summary(): number {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\nseed ${seed}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

// Whatever ends this process (even Hardhat's handler for an unhandled rejection, which exits at
// once): no child outlives it, and no temporary file stays.
process.on("exit", () => {
  killAllNow();
  for (const dir of [tmp, ...createdDirs]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const watchdog = setTimeout(() => {
  console.log(`\n  ✗ the fault tests ran past their ${TOTAL_BUDGET_MS / 1000} s budget; stopping`);
  results.push({ name: "time budget", ok: false });
  void cleanUp().finally(() => {
    summary();
    process.exit(1);
  });
}, TOTAL_BUDGET_MS);

console.log(`Fault tests (seed ${seed}; repeat with FAULTS_SEED=${seed})`);
try {
  tmp = await mkdtemp(path.join(tmpdir(), "fund-faults-"));

  await check("setup: suite deployed, roles, a payable roster of 3,000 lines, state saved", async () => {
    world = await buildSavedWorld({
      repo: REPO,
      dir: tmp!,
      log,
      connect: (url) => network.create({ network: "faults", override: { url } }),
    });
    log(
      `${world.payable.length} lines to pay (${world.payableTotal} fen); lines 7 (suspended household) and 9 (frozen) must never be paid`,
    );
  });
  if (!world) throw new Error("setup failed; no scenario can run");

  // -------------------------------------------------------------------------------------------
  await check(
    "1. payout run SIGKILLed at seeded points (before its first chunk, after a send the node answered, between chunks, at a random moment), rerun until done: everyone paid exactly once",
    async () => {
      const random = rng(seedFor("killed runs"));
      const anvil = await Anvil.start({ repo: REPO, loadState: world!.stateFile });
      const points = killPoints(random, 3);
      // Smaller chunks than the other scenarios, so that every kill point falls inside a run (a run
      // pays 3,000 lines in about a second), and each run with its own window of transactions in
      // flight: one at a time, and several sent before the first receipt.
      const KILLED_CHUNK = 60;
      const windows = [1, 4, 8, 2];
      const killer = new KillSwitch();
      const proxy = await startProxy({ target: anvil.url, policy: killer, holdMs: () => 0 });
      proxies.push(proxy);

      let before: PayoutState = await withSuite(anvil.url, (suite) => checkPayouts(suite, world!));
      for (const [i, p] of points.entries()) {
        const t0 = Date.now();
        const child = startTask(
          proxy.url,
          taskArgs(world!, "payout", ["--window", String(windows[i % windows.length])], KILLED_CHUNK),
        );
        killer.arm(child, p);
        const run = await finish(child, t0);
        killer.disarm();
        const killedBy = killer.killedBy;
        const after = await withSuite(anvil.url, (suite) => checkPayouts(suite, world!));
        const said = payoutSaid(run.stdout);
        const what = killedBy ? `killed ${killedBy}` : `not killed (${p.kind} never came: ${said.summary})`;
        log(
          `run ${i + 1} (${p.kind}, window ${windows[i % windows.length]}): ${what}; chain ${before.paidLines} → ${after.paidLines} lines paid, ${after.batches - before.batches} batch(es)`,
        );
        if (killedBy)
          assert(
            run.signal === "SIGKILL" || run.code === null || run.code === 137,
            `run ${i + 1} was to be killed: ${describeRun(run)}`,
          );
        else if (run.code !== 0) throw failedRun(`run ${i + 1}`, run);
        if (said.alreadyPaid !== undefined)
          equal(said.alreadyPaid, before.paidLines, `run ${i + 1}: lines it says are already paid`);
        // Each send is one chunk, one batch.
        if (killedBy && p.kind === "before-first-send")
          equal(after.batches, before.batches, `run ${i + 1}: batches recorded before its first chunk`);
        if (killedBy && p.kind === "between-sends")
          equal(after.batches - before.batches, p.k, `run ${i + 1}: batches recorded before the kill between chunks`);
        if (killedBy && p.kind === "after-send")
          equal(after.batches - before.batches, p.k, `run ${i + 1}: batches recorded, the last one unseen by the tool`);
        before = after;
      }
      const runs = await payUntilDone(proxy.url, 3, "rerun");
      const last = payoutSaid(runs.at(-1)!.stdout);
      equal(last.alreadyPaid, before.paidLines, "the completing run: lines it says are already paid");
      equal(last.paid ?? 0, world!.payable.length - before.paidLines, "the completing run: lines it says it paid");
      await expectNothingLeft(proxy.url);
      const end = await withSuite(anvil.url, (suite) => checkAllPaid(suite, world!));
      log(
        `all ${end.paidLines} lines paid once, ${end.paidAmount} fen, in ${end.batches} batches; programme and township totals agree`,
      );
    },
  );

  // -------------------------------------------------------------------------------------------
  await check(
    "2. the node SIGKILLed mid-run and restarted from its saved state (--state, every 1 s): the run rides it out, lost blocks are paid again once",
    async () => {
      const random = rng(seedFor("node restart"));
      const stateFile = path.join(tmp!, "restart-state.json");
      await copyFile(world!.stateFile, stateFile);
      const anvil = await Anvil.start({ repo: REPO, state: stateFile, stateInterval: 1 });
      const snapshots = keepWholeState(stateFile);
      // Batches recorded before the crash: 2…5 of 12, so that at least 7 chunks are still to go; the
      // crash follows within 80 ms, so the newest blocks are most likely not saved yet (anvil saves
      // every second) and are lost.
      const crashAfter = 2 + Math.floor(random() * 4);
      const extraMs = Math.floor(random() * 80);
      const downMs = 500 + Math.floor(random() * 2_000);
      const t0 = Date.now();
      const child = startTask(anvil.url, taskArgs(world!, "payout"));
      let seen = 0;
      const reached = await waitUntil(
        async () => {
          if (child.process.exitCode !== null) return true;
          seen = await batchCountOf(anvil.url).catch(() => seen);
          return seen >= crashAfter;
        },
        60_000,
        25,
      );
      assert(
        reached && child.process.exitCode === null,
        `the run ended (or stalled) before batch ${crashAfter}: ${child.stdout().slice(-400)}`,
      );
      await sleep(extraMs);
      seen = await batchCountOf(anvil.url).catch(() => seen);
      await anvil.crash();
      assert(child.process.exitCode === null, "the run had finished before the node was killed");
      log(`node killed at batch ${seen} of 12 (${extraMs} ms after batch ${crashAfter}), down for ${downMs} ms`);
      await sleep(downMs);
      const unusable = await snapshots.restore();
      if (unusable) log(`the state file anvil left was ${unusable}: restarting from its last whole, consistent copy`);
      await anvil.launch();
      const restored = await batchCountOf(anvil.url);
      const lost = seen - restored;
      log(
        `restarted from ${path.basename(stateFile)}: ${restored} batches there, ${lost} lost with the unsaved blocks`,
      );
      const run = await finish(child, t0);
      const said = payoutSaid(run.stdout);
      log(
        `the run in flight: ${describeRun(run)}; ${said.retries.length} retries, ${said.rechecks.length} re-readings; "${said.summary}"`,
      );
      for (const line of said.rechecks.slice(0, 3)) log(`  tool: ${line.trim()}`);
      if (run.code !== 0) throw failedRun("the run in flight did not ride out the restart", run);
      assert(said.retries.length > 0, "the run in flight reports no retry although its node went away");
      // Lost lines the run had receipts for are "no longer paid … to be paid again"; a lost transaction
      // whose receipt it had not read yet is one "the node no longer knows". Either way it must say so.
      if (lost > 0)
        assert(
          /no longer paid|no longer knows transaction/.test(run.stdout),
          "blocks were lost, but the run does not say what it did about them",
        );
      await expectNothingLeft(anvil.url);
      const end = await withSuite(anvil.url, (suite) => checkAllPaid(suite, world!));
      log(
        `all ${end.paidLines} lines paid once, ${end.paidAmount} fen, in ${end.batches} batches (${end.batches - 12 > 0 ? `${end.batches - 12} more than 12: lost ones sent again` : "12"})`,
      );
    },
  );

  // -------------------------------------------------------------------------------------------
  {
    const random = rng(seedFor("flaky rpc"));
    const anvil = await Anvil.start({ repo: REPO, loadState: world.stateFile });
    // 12 % of requests in all; the slow kinds cost a 3 s client timeout each.
    const rates = { drop: 0.025, "drop-after": 0.02, slow: 0.015, stall: 0.01, "5xx": 0.03, "5xx-after": 0.02 };
    const policy = flaky({ seed: seedFor("flaky proxy"), rates, maxInARow: 3 });
    const proxy = await startProxy({ target: anvil.url, policy, holdMs: () => 3_300 + Math.floor(random() * 700) });
    proxies.push(proxy);
    const faultsSoFar = () =>
      Object.entries(policy.counts)
        .filter(([k, v]) => k !== "pass" && v > 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
    let paidOk = false;
    await check(
      "3a. payout record through a flaky RPC (drops, answers and requests held past the 3 s timeout, 5xx; ≤ 3 faults in a row) completes in one run",
      async () => {
        const run = await runTask(proxy.url, taskArgs(world!, "payout"));
        const said = payoutSaid(run.stdout);
        log(`${proxy.requests} requests, faults injected: ${faultsSoFar()}`);
        log(
          `${describeRun(run)}; ${said.retries.length} retries, ${said.rechecks.length} re-readings; "${said.summary}"`,
        );
        for (const line of [...said.retries.slice(0, 2), ...said.rechecks.slice(0, 2)]) log(`  tool: ${line.trim()}`);
        if (run.code !== 0) throw failedRun("payout record through the flaky proxy", run);
        equal(said.paid, world!.payable.length, "lines the tool says it paid");
        assert(said.retries.length > 0, "faults were injected but the tool reports no retry");
        const end = await withSuite(anvil.url, (suite) => checkAllPaid(suite, world!));
        log(`all ${end.paidLines} lines paid once, ${end.paidAmount} fen, in ${end.batches} batches`);
        paidOk = true;
      },
    );
    await check(
      "3b. bank settle through the same flaky RPC completes in one run: each line confirmed or returned once, refunds exact",
      async () => {
        assert(paidOk, "skipped: the payouts did not complete");
        const rows: BankRow[] = world!.payable.map((l): BankRow => ({
          line: l.index,
          outcome: l.index % 97 === 3 ? "returned" : "confirmed",
          reference: `CCB-FAULTS-${String(l.index).padStart(6, "0")}`,
        }));
        const file = path.join(tmp!, "bank-results.csv");
        await writeFile(
          file,
          `line,status,bank_reference\r\n${rows.map((r) => `${r.line},${r.outcome.toUpperCase()},${r.reference}`).join("\r\n")}\r\n`,
        );
        const requestsBefore = proxy.requests;
        const run = await runTask(proxy.url, taskArgs(world!, "bank", ["--file", file]));
        const retries = run.stdout.split("\n").filter((l) => l.startsWith("  retry ")).length;
        const summaryLine = run.stdout.trim().split("\n").at(-1) ?? "";
        log(`${proxy.requests - requestsBefore} requests; faults injected so far: ${faultsSoFar()}`);
        log(`${describeRun(run)}; ${retries} retries; "${summaryLine}"`);
        if (run.code !== 0) throw failedRun("bank settle through the flaky proxy", run);
        const settled = await withSuite(anvil.url, (suite) => checkSettled(suite, world!, rows));
        const m = /confirmed (\d+) lines? .*returned (\d+) lines?/.exec(summaryLine);
        assert(m, `the tool's summary does not say what it settled: ${summaryLine}`);
        equal(Number(m[1]), settled.confirmed, "lines the tool says it confirmed");
        equal(Number(m[2]), settled.returned, "lines the tool says it returned");
        log(
          `${settled.confirmed} confirmed and ${settled.returned} returned once each; ${settled.returnedAmount} fen back to the township`,
        );
      },
    );
  }

  // -------------------------------------------------------------------------------------------
  await check(
    "4. roster submit SIGKILLed at seeded points while its lines go on chain, rerun until done: one roster, every line listed once, sealed once, reserved once",
    async () => {
      const random = rng(seedFor("killed submissions"));
      const anvil = await Anvil.start({ repo: REPO, loadState: world!.stateFile });
      // 2,000 new households of the township and their roster file; 200 lines per transaction, so a
      // run makes 11 sends: the submission, then ten of lines, the last of which seals the roster.
      const LINES = 2_000;
      const roster = await writeRegisteredRoster(anvil.url, world!, path.join(tmp!, "roster-4.csv"), LINES, 100_000);
      const args = [
        "hardhat",
        "roster",
        "submit",
        "--network",
        "faults",
        "--deployment",
        world!.deploymentFile,
        "--from",
        String(ACCOUNT.township),
        "--programme",
        String(world!.programmeId),
        "--region",
        String(TOWNSHIP),
        "--roster",
        roster.file,
        "--out",
        path.join(tmp!, "roster-4"),
        "--document-uri",
        "https://notice.example/faults-4.csv",
        "--chunk-size",
        "200",
      ];
      const killer = new KillSwitch();
      const proxy = await startProxy({ target: anvil.url, policy: killer, holdMs: () => 0 });
      proxies.push(proxy);
      const start0 = await withSuite(anvil.url, (suite) => listingState(suite, anvil.url));
      let before = start0;
      for (const [i, p] of killPoints(random, 6).entries()) {
        const t0 = Date.now();
        const child = startTask(proxy.url, args);
        killer.arm(child, p);
        const run = await finish(child, t0);
        killer.disarm();
        const after = await withSuite(anvil.url, (suite) => listingState(suite, anvil.url));
        const what = killer.killedBy
          ? `killed ${killer.killedBy}`
          : `not killed (${p.kind} never came: ${run.stdout.trim().split("\n").at(-1)})`;
        log(
          `run ${i + 1} (${p.kind}): ${what}; chain: ${after.rosters - start0.rosters} roster(s) more, ${before.listed} → ${after.listed} lines listed, ${after.sealed} sealed`,
        );
        if (killer.killedBy)
          assert(
            run.signal === "SIGKILL" || run.code === null || run.code === 137,
            `run ${i + 1} was to be killed: ${describeRun(run)}`,
          );
        else if (run.code !== 0) throw failedRun(`run ${i + 1}`, run);
        // At every moment: at most one roster more, its lines listed once each, its total reserved once.
        assert(
          after.rosters - start0.rosters <= 1,
          `run ${i + 1}: ${after.rosters - start0.rosters} rosters submitted, not at most one`,
        );
        if (after.rosters > start0.rosters)
          equal(after.reserved - start0.reserved, roster.total, `run ${i + 1}: reserved for the new roster`);
        if (killer.killedBy && p.kind === "before-first-send")
          equal(after.rosters, before.rosters, `run ${i + 1}: rosters submitted before its first send`);
        // Send 1 is the submission; send k > 1 lists 200 lines.
        if (killer.killedBy && p.kind !== "before-first-send" && p.kind !== "timed") {
          const landed = p.k - (before.rosters > start0.rosters ? 0 : 1);
          equal(
            after.listed,
            Math.min(LINES, before.listed + 200 * Math.max(0, landed)),
            `run ${i + 1}: lines listed by its ${p.k} landed send(s)`,
          );
        }
        before = after;
      }
      let done: TaskRun | undefined;
      for (let i = 0; i < 3 && done?.code !== 0; i++) {
        done = await runTask(proxy.url, args);
        log(`rerun ${i + 1}: ${describeRun(done)}: ${done.stdout.trim().split("\n").at(-1)}`);
      }
      if (done!.code !== 0) throw failedRun("roster submit still failing after 3 reruns", done!);
      assert(
        /every line is on chain and the roster is sealed/.test(done!.stdout),
        `the completing run does not say the roster is sealed: ${done!.stdout.slice(-300)}`,
      );
      const end = await withSuite(anvil.url, (suite) => listingState(suite, anvil.url));
      equal(end.rosters - start0.rosters, 1, "rosters submitted in all");
      equal(end.listed, LINES, "lines listed on chain");
      equal(end.sealed, 1, "RosterSealed events of the new roster");
      equal(end.state, "AwaitingSignOff", "the new roster's state");
      equal(end.reserved - start0.reserved, roster.total, "reserved for the new roster");
      // One more run finds it all done and sends nothing.
      const nonce = await rpcCall<string>(anvil.url, "eth_getTransactionCount", [end.submitter, "latest"]);
      const again = await runTask(proxy.url, args);
      if (again.code !== 0) throw failedRun("the run after completion", again);
      assert(
        /was on chain already/.test(again.stdout),
        `the run after completion does not say the roster was on chain already: ${again.stdout.slice(-300)}`,
      );
      equal(
        await rpcCall<string>(anvil.url, "eth_getTransactionCount", [end.submitter, "latest"]),
        nonce,
        "the bureau's nonce after the run that found everything done",
      );
      log(
        `roster ${end.rosterId}: ${end.listed} lines listed once each, sealed once, ${roster.total} fen reserved once; a last run sent nothing`,
      );
    },
  );
  // -------------------------------------------------------------------------------------------
  // 5–7: `npm run node`'s local chain (scripts/local-chain.ts), the world imported, the chain's clock
  // 10 days ahead (as `dev advance-time` would move it); every tool reaches it through an observing
  // proxy that notes each receipt the tool was given.
  const node = await LocalNode.start(REPO, path.join(tmp, "localchain"), world.stateFile);
  const watch = new ReceiptWatch();
  const nodeProxy = await startProxy({ target: node.url, policy: watch, holdMs: () => 0 });
  proxies.push(nodeProxy);
  const firstBlock = Number(await rpcCall<string>(node.url, "eth_blockNumber"));
  await rpcCall(node.url, "evm_increaseTime", [10 * 86_400], 30_000);
  await rpcCall(node.url, "evm_mine", [], 30_000);
  const ahead = Number(
    (await rpcCall<{ timestamp: string }>(node.url, "eth_getBlockByNumber", ["latest", false])).timestamp,
  );
  /** After a restart: every receipt given is still there, and time went on from where it was. */
  const nothingLost = async (what: string) => {
    await checkReceiptsKept(node.url, watch.seen);
    const head = await checkTimeForward(node.url, firstBlock + 1, ahead);
    log(
      `${what}: all ${watch.seen.length} receipts given so far still on chain; block times never go back (${head - firstBlock} blocks, all ≥ the clock 10 days ahead)`,
    );
  };
  /** Kills the node when the tool has been given its `k`-th receipt (plus `extraMs`), then starts it again after `downMs`. */
  const killAtReceipt = (k: number, extraMs: number, downMs: number, how: "group" | "anvil") =>
    new Promise<string>((resolve, reject) => {
      const base = watch.seen.length;
      watch.onReceipt = async (count) => {
        if (count - base < k) return;
        watch.onReceipt = undefined;
        try {
          await sleep(extraMs);
          if (how === "group") {
            await node.crash();
            await sleep(downMs);
            await node.launch();
            resolve(
              `front and anvil SIGKILLed ${extraMs} ms after receipt ${k} of the run, down ${downMs} ms, started again`,
            );
          } else {
            const pid = node.killAnvil();
            resolve(
              `anvil alone (pid ${pid}) SIGKILLed ${extraMs} ms after receipt ${k} of the run; the front started it again`,
            );
          }
        } catch (error) {
          reject(error as Error);
        }
      };
    });

  let nodePaid = false;
  await check(
    "5. npm run node's chain SIGKILLed during a payout run (front and anvil, then anvil alone), at seeded receipts: the run rides it out, no receipt it was given is lost, everyone paid once, time never goes back",
    async () => {
      const random = rng(seedFor("local node payout"));
      const k1 = 1 + Math.floor(random() * 3);
      const k2 = 2 + Math.floor(random() * 3);
      const t0 = Date.now();
      const child = startTask(nodeProxy.url, taskArgs(world!, "payout"));
      const first = await killAtReceipt(k1, Math.floor(random() * 80), 300 + Math.floor(random() * 900), "group");
      log(first);
      await nothingLost("after the first kill");
      const second = await killAtReceipt(k2, Math.floor(random() * 80), 0, "anvil");
      log(second);
      assert(
        await waitUntil(() => /anvil exited/.test(node.output()), 10_000),
        "the front did not notice that its anvil was killed",
      );
      const run = await finish(child, t0);
      const said = payoutSaid(run.stdout);
      log(`the run in flight: ${describeRun(run)}; ${said.retries.length} retries; "${said.summary}"`);
      if (run.code !== 0) throw failedRun("the run in flight did not ride out the kills", run);
      assert(
        !/no longer paid/.test(run.stdout),
        "the run says lines it had receipts for are no longer paid: the node lost what it had acknowledged",
      );
      await nothingLost("at the end");
      await expectNothingLeft(nodeProxy.url);
      const end = await withSuite(node.url, (suite) => checkAllPaid(suite, world!));
      log(
        `all ${end.paidLines} lines paid once, ${end.paidAmount} fen, in ${end.batches} batches; paid bits and PayoutRecorded logs agree`,
      );
      nodePaid = true;
    },
  );

  const rows: BankRow[] = world.payable.map((l): BankRow => ({
    line: l.index,
    outcome: l.index % 89 === 5 ? "returned" : "confirmed",
    reference: `ICBC-NODE-${String(l.index).padStart(6, "0")}`,
  }));
  await check(
    "6. npm run node's chain SIGKILLed (front and anvil) during a bank settlement run at a seeded receipt: each line settled once, refunds exact, no receipt lost, time never goes back",
    async () => {
      assert(nodePaid, "skipped: the payouts on the local chain did not complete");
      const random = rng(seedFor("local node settle"));
      const file = path.join(tmp!, "bank-results-node.csv");
      await writeFile(
        file,
        `line,status,bank_reference\r\n${rows.map((r) => `${r.line},${r.outcome.toUpperCase()},${r.reference}`).join("\r\n")}\r\n`,
      );
      const args = taskArgs(world!, "bank", ["--file", file]);
      const t0 = Date.now();
      const child = startTask(nodeProxy.url, args);
      const k = 1 + Math.floor(random() * 4);
      log(await killAtReceipt(k, Math.floor(random() * 80), 300 + Math.floor(random() * 900), "group"));
      await nothingLost("after the kill");
      let run = await finish(child, t0);
      log(`the run in flight: ${describeRun(run)}: ${run.stdout.trim().split("\n").at(-1)}`);
      for (let i = 0; i < 2 && run.code !== 0; i++) {
        run = await runTask(nodeProxy.url, args);
        log(`rerun ${i + 1}: ${describeRun(run)}: ${run.stdout.trim().split("\n").at(-1)}`);
      }
      if (run.code !== 0) throw failedRun("bank settle on the local chain", run);
      const settled = await withSuite(node.url, (suite) => checkSettled(suite, world!, rows));
      await nothingLost("at the end");
      log(
        `${settled.confirmed} confirmed and ${settled.returned} returned once each; ${settled.returnedAmount} fen back`,
      );
    },
  );

  await check(
    "7. npm run node's chain stopped gracefully keeps its block and its clock; started from a cut-short snapshot it says so, moves it aside and uses the previous one",
    async () => {
      const head = await rpcCall<{ number: string; timestamp: string }>(node.url, "eth_getBlockByNumber", [
        "latest",
        false,
      ]);
      const stopped = await node.stop();
      equal(stopped.code, 0, "the graceful stop's exit code");
      assert(
        new RegExp(`stopped; block ${Number(head.number)} is saved`).test(node.output()),
        `the stop does not say that block ${Number(head.number)} is saved: ${node.output().trim().split("\n").at(-1)}`,
      );
      await sleep(1_500);
      await node.launch();
      equal(
        Number(await rpcCall<string>(node.url, "eth_blockNumber")),
        Number(head.number),
        "the newest block after a graceful restart",
      );
      await rpcCall(node.url, "evm_mine", [], 30_000);
      const mined = await rpcCall<{ number: string; timestamp: string }>(node.url, "eth_getBlockByNumber", [
        "latest",
        false,
      ]);
      const lead = Number(mined.timestamp) - Math.floor(Date.now() / 1000);
      assert(
        lead >= 10 * 86_400 - 5,
        `after a graceful restart the clock is ${lead} s ahead of the wall clock, not 10 days`,
      );
      await nothingLost("after the graceful restart");
      // Now state.json holds the new block, state.prev.json the one before. Cut state.json short.
      equal((await node.stop()).code, 0, "the second graceful stop's exit code");
      const current = path.join(node.dir, "state.json");
      const size = (await stat(current)).size;
      await truncate(current, Math.floor(size / 2));
      await node.launch();
      const said =
        node
          .output()
          .split("\n")
          .find((l) => /damaged/.test(l)) ?? "";
      log(`it said: ${said.length > 220 ? `${said.slice(0, 220)}…` : said}`);
      assert(/state\.json is damaged \(cut short/.test(said), "the start from a cut-short state.json does not say so");
      assert(
        /starting from state\.prev\.json/.test(said),
        "the start from a cut-short state.json does not say it uses state.prev.json",
      );
      const aside = (await readdir(node.dir)).filter((f) => f.startsWith("state.json.damaged-"));
      equal(aside.length, 1, "damaged files moved aside");
      equal(
        (await stat(path.join(node.dir, aside[0]!))).size,
        Math.floor(size / 2),
        "the damaged file's size (kept as it was)",
      );
      equal(
        Number(await rpcCall<string>(node.url, "eth_blockNumber")),
        Number(head.number),
        "the newest block from state.prev.json",
      );
      await withSuite(node.url, (suite) => checkSettled(suite, world!, rows));
      await nothingLost("after the start from state.prev.json");
    },
  );
} catch (error) {
  console.log(
    `  ✗ ${String((error as Error)?.stack ?? error)
      .split("\n")
      .slice(0, 6)
      .join("\n    ")}`,
  );
  results.push({ name: "runner", ok: false });
} finally {
  clearTimeout(watchdog);
  await cleanUp();
}
const failed = summary();
process.exit(failed > 0 ? 1 : 0);
