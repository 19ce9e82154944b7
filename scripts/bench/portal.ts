/**
 * The read side through the portal's service (`npx hardhat portal`, a process of its own, as an
 * office runs it), against the benchmark's node and the index its read side built, each figure
 * beside the node alone answering the same question:
 *   - a household's self-check: the service's answer, then the same answer with every payout it
 *     names checked against the node as the page does (src/resident/verify-log.ts); beside
 *     lookupHousehold straight from the node (the read side's figure);
 *   - the programme and region pages, first after a new block (when the service sums what the
 *     block added) and again at the same block; beside the node's own views of the programme's
 *     budget tree (compareWithChain);
 *   - keeping up: the chain pays a further roster (a transaction of BENCH_LIVE_CHUNK lines per
 *     block) while a second process asks the service for BENCH_LIVE_RATE self-checks a second and
 *     the live programme's pages; how far the index fell behind, how soon it caught up, and how
 *     the lookups fared; beside the node alone taking self-checks from as many residents at once
 *     as it can (LOOKUP_CONCURRENCY), for BENCH_NODE_LOAD_SECONDS.
 * BENCH_PORTAL_PROFILE=<folder> has the service write a CPU profile there (node --cpu-prof) when it stops.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { JsonRpcProvider } from "ethers";

import { compareWithChain, reconcileFromEvents } from "../../src/audit/index.js";
import { IndexDatabase } from "../../src/indexer/index.js";
import { freePort } from "../../src/localchain/anvil-process.js";
import { lookupHousehold } from "../../src/resident/index.js";
import { checkPayoutLog } from "../../src/resident/verify-log.js";
import { connectSuite, deploymentRecord, type SuiteAddresses } from "../../src/suite.js";
import type { LoadPlan, LoadResult } from "./portal-load.js";

export interface Spread {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export interface LiveFigures {
  /** The roster paid meanwhile. */
  lines: number;
  transactions: number;
  blocks: number;
  payingSeconds: number;
  /** PayoutRecorded events a second the chain carried while paying. */
  eventsPerSecond: number;
  rate: number;
  sent: number;
  answered: number;
  failed: number;
  lookups: Spread;
  answeredPerSecond: number;
  pages: Record<string, Spread>;
  /** The most blocks the index was behind the node's head, sampled every 250 ms. */
  maxBehind: number;
  /** From the last payout's receipt until the service's index held its block. */
  catchUpSeconds: number;
  errors: string[];
}

export interface ServiceFigures {
  payouts: number;
  /** The first programme page after the service started: it reads the sums the index keeps, and builds the tree. */
  firstPageMs: number;
  selfCheck: Spread;
  /**
   * The service's answer for households paid once, at every size (the first baseline's): the same
   * answer from a larger index, for the flat comparison (the main households are paid once in each
   * programme, so their answers grow with the number of rosters).
   */
  selfCheckOnce?: Spread;
  selfCheckWithNode: Spread;
  programmePage: { afterBlock: Spread; sameBlock: Spread };
  regionPage: { afterBlock: Spread; sameBlock: Spread };
  /** The node's own views of the programme's budget tree (every node, at one block). */
  nodeProgramme: Spread;
  live: LiveFigures | null;
  nodeLoad: { concurrency: number; seconds: number; lookups: number; perSecond: number; spread: Spread };
}

export interface ServiceOptions {
  repo: string;
  scratch: string;
  url: string;
  provider: JsonRpcProvider;
  addresses: SuiteAddresses;
  deployBlock: number;
  dbFile: string;
  /** Households 1 … households were paid once in each of `programmes` programmes. */
  households: number[];
  /** Households paid once, whatever the size of the run. */
  paidOnce: number[];
  commitmentOf: (household: number) => string;
  programmes: number;
  region: bigint;
  /** Pays the live roster with the chain sealing blocks; resolves with the block of its last payout. */
  payLive?: () => Promise<{ lines: number; transactions: number; lastBlock: number }>;
  /** The programme of the roster payLive pays (its pages are asked for meanwhile). */
  liveProgramme?: bigint;
  say: (text: string) => void;
}

const RATE = Number(process.env.BENCH_LIVE_RATE ?? 200);
const NODE_LOAD_SECONDS = Number(process.env.BENCH_NODE_LOAD_SECONDS ?? 20);
const LOOKUP_CONCURRENCY = 8;
const PAGE_ROUNDS = 20;

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return sorted.length === 0
    ? { p50: NaN, p95: NaN, max: NaN, n: 0 }
    : { p50: at(50), p95: at(95), max: sorted[sorted.length - 1]!, n: sorted.length };
}

async function getJson<T>(url: string): Promise<{ ms: number; body: T }> {
  const start = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = (await response.json()) as T;
  const ms = performance.now() - start;
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, body };
}

interface Envelope<T> {
  at: { block: number };
  chain: { chainHead: number | null; behind: number | null };
  data: T;
}
interface HouseholdAnswer {
  registered: boolean;
  household: string;
  lines: Array<{
    roster: string;
    seq: number;
    amount: { fen: string };
    payoutLog: { tx: string; block: number; logIndex: number } | null;
  }>;
}

async function waitUntil(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startService(o: ServiceOptions): Promise<{ base: string; child: ChildProcess; log: string[] }> {
  const deployment = path.join(o.scratch, "deployed_addresses.json");
  await writeFile(deployment, JSON.stringify(deploymentRecord(o.addresses)));
  const port = await freePort();
  const log: string[] = [];
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PORTAL_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PORTAL_PROFILE}`] : []),
      path.join(o.repo, "node_modules/hardhat/dist/src/cli.js"),
      "portal",
      "--rpc-url",
      o.url,
      "--deployment",
      deployment,
      "--db",
      o.dbFile,
      "--from-block",
      String(o.deployBlock),
      "--port",
      String(port),
      "--poll-seconds",
      "1",
    ],
    { cwd: o.repo, env: { ...process.env, FORCE_COLOR: "0" }, stdio: "pipe" },
  );
  child.stdout!.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => log.push(d.toString()));
  const base = `http://127.0.0.1:${port}`;
  await waitUntil("the portal service started", 600_000, async () => {
    if (child.exitCode !== null) throw new Error(`the portal exited: ${log.join("").slice(-2000)}`);
    return (await fetch(`${base}/api/status`)).ok;
  }).catch((error: Error) => {
    child.kill("SIGKILL");
    throw new Error(`${error.message}\n${log.join("").slice(-2000)}`);
  });
  return { base, child, log };
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

const indexBlock = async (base: string) => (await getJson<Envelope<unknown>>(`${base}/api/status`)).body.at.block;

export async function serviceSide(o: ServiceOptions): Promise<ServiceFigures> {
  const { base, child, log } = await startService(o);
  try {
    const payouts = await (async () => {
      const db = IndexDatabase.open(o.dbFile);
      try {
        return Number(db.get("SELECT COUNT(*) AS n FROM payouts")!.n);
      } finally {
        db.close();
      }
    })();

    const firstPageMs = (await getJson(`${base}/api/programmes`)).ms;

    // Self-check: the service's answer, then with each payout it names checked against the node.
    const alone: number[] = [];
    const withNode: number[] = [];
    for (const household of o.households) {
      const { ms, body } = await getJson<Envelope<HouseholdAnswer>>(
        `${base}/api/households/${o.commitmentOf(household)}`,
      );
      alone.push(ms);
      const start = performance.now() - ms;
      const paid = body.data.lines.filter((l) => l.payoutLog);
      if (!body.data.registered || body.data.household !== String(household) || paid.length < o.programmes)
        throw new Error(`the service's self-check of household ${household}: unexpected answer`);
      for (const l of paid) {
        const verdict = await checkPayoutLog(o.url, o.addresses.disbursement, l.payoutLog!, {
          roster: BigInt(l.roster),
          household: BigInt(household),
          lineIndex: l.seq - 1,
          amount: BigInt(l.amount.fen),
        });
        if (verdict.verdict !== "agrees")
          throw new Error(`household ${household}, roster ${l.roster}: the node ${JSON.stringify(verdict)}`);
      }
      withNode.push(performance.now() - start);
    }

    // The same, for households with one line at every size of run.
    const once: number[] = [];
    for (const household of o.paidOnce) {
      const { ms, body } = await getJson<Envelope<HouseholdAnswer>>(
        `${base}/api/households/${o.commitmentOf(household)}`,
      );
      once.push(ms);
      if (!body.data.registered || body.data.lines.filter((l) => l.payoutLog).length !== 1)
        throw new Error(`the service's self-check of household ${household} (paid once): unexpected answer`);
    }

    // Pages: after a new block (the service sums what it added) and again at the same block.
    const pages = {
      programme: { afterBlock: [] as number[], sameBlock: [] as number[] },
      region: { afterBlock: [] as number[], sameBlock: [] as number[] },
    };
    const programmePath = `${base}/api/programmes/1`;
    const regionPath = `${base}/api/programmes/1/regions/${o.region}`;
    for (let round = 0; round < PAGE_ROUNDS; round++) {
      await o.provider.send("evm_mine", []);
      const target = Number(await o.provider.send("eth_blockNumber", []));
      await waitUntil("the service indexed the new block", 60_000, async () => (await indexBlock(base)) >= target);
      const [first, second] = round % 2 === 0 ? (["programme", "region"] as const) : (["region", "programme"] as const);
      const url = (kind: "programme" | "region") => (kind === "programme" ? programmePath : regionPath);
      for (const kind of [first, second]) {
        const { ms, body } = await getJson<Envelope<unknown>>(url(kind));
        if (body.at.block < target) throw new Error(`${url(kind)} answered at block ${body.at.block} < ${target}`);
        (kind === first ? pages[kind].afterBlock : pages[kind].sameBlock).push(ms);
      }
      pages[first].sameBlock.push((await getJson(url(first))).ms);
    }

    // The node alone: the programme's budget tree from the contracts' views at the index's block.
    const nodeProgramme: number[] = [];
    {
      const db = IndexDatabase.open(o.dbFile);
      try {
        const suite = connectSuite(o.addresses, o.provider);
        for (let i = 0; i < 5; i++) {
          const rec = reconcileFromEvents(db, 1n);
          const start = performance.now();
          await compareWithChain(rec, suite);
          nodeProgramme.push(performance.now() - start);
          if (!rec.chain.compared) throw new Error(`the node's views were not read: ${rec.chain.error}`);
        }
      } finally {
        db.close();
      }
    }

    // Keeping up while answering: the chain pays the live roster, residents keep asking.
    let live: LiveFigures | null = null;
    if (o.payLive && o.liveProgramme !== undefined) live = await keepUp(o, base);
    else o.say("  (this saved chain has no roster left to pay while the service is under load: save it again)");

    // The node alone under load: self-checks from LOOKUP_CONCURRENCY residents at once.
    const nodeMs: number[] = [];
    const nodeStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: LOOKUP_CONCURRENCY }, async () => {
        while (performance.now() - nodeStart < NODE_LOAD_SECONDS * 1000) {
          const household = o.households[next++ % o.households.length]!;
          const start = performance.now();
          const r = await lookupHousehold(o.provider, o.addresses, o.commitmentOf(household), {
            fromBlock: o.deployBlock,
          });
          nodeMs.push(performance.now() - start);
          if (!r.found) throw new Error(`the node's self-check of household ${household} found nothing`);
        }
      }),
    );
    const nodeSeconds = (performance.now() - nodeStart) / 1000;

    return {
      payouts,
      firstPageMs,
      selfCheck: spread(alone),
      selfCheckOnce: spread(once),
      selfCheckWithNode: spread(withNode),
      programmePage: { afterBlock: spread(pages.programme.afterBlock), sameBlock: spread(pages.programme.sameBlock) },
      regionPage: { afterBlock: spread(pages.region.afterBlock), sameBlock: spread(pages.region.sameBlock) },
      nodeProgramme: spread(nodeProgramme),
      live,
      nodeLoad: {
        concurrency: LOOKUP_CONCURRENCY,
        seconds: nodeSeconds,
        lookups: nodeMs.length,
        perSecond: nodeMs.length / nodeSeconds,
        spread: spread(nodeMs),
      },
    };
  } catch (error) {
    o.say(`  the portal's log:\n${log.join("").slice(-3000)}`);
    throw error;
  } finally {
    await stopService(child);
  }
}

async function keepUp(o: ServiceOptions, base: string): Promise<LiveFigures> {
  const planFile = path.join(o.scratch, "load-plan.json");
  const liveProgramme = o.liveProgramme!;
  const pagePaths = [`/api/programmes/${liveProgramme}`, `/api/programmes/${liveProgramme}/regions/${o.region}`];
  const plan: LoadPlan = {
    base,
    commitments: o.households.map(o.commitmentOf),
    rate: RATE,
    pages: pagePaths,
    pageEveryMs: 1_000,
    statusEveryMs: 250,
    maxMs: 30 * 60_000,
    rpcUrl: o.url,
  };
  await writeFile(planFile, JSON.stringify(plan));
  const load = spawn(
    process.execPath,
    ["--import", "tsx", path.join(o.repo, "scripts/bench/portal-load.ts"), planFile],
    {
      cwd: o.repo,
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  load.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  load.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  // "close", not "exit": the process can exit before its stdout (the results, over 100 kB at a
  // million payouts) has all been read.
  const ended = new Promise<number | null>((resolve) => load.once("close", (code) => resolve(code)));
  try {
    // A few seconds of load on an idle chain first, then the payments.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const fromBlock = Number(await o.provider.send("eth_blockNumber", []));
    const paying = performance.now();
    const paid = await o.payLive!();
    const payingSeconds = (performance.now() - paying) / 1000;
    const paidAt = performance.now();
    await waitUntil("the service caught up with the live roster", 600_000, async () => {
      return (await indexBlock(base)) >= paid.lastBlock;
    });
    const catchUpSeconds = (performance.now() - paidAt) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    load.stdin!.write("stop\n");
    const code = await ended;
    if (code !== 0) throw new Error(`the load process exited with ${code}: ${err.slice(-2000)}`);
    const result = JSON.parse(out) as LoadResult;

    // What the service says of the live programme now is what was paid.
    const programme = await getJson<Envelope<{ totals: { paid: { fen: string } } }>>(
      `${base}/api/programmes/${liveProgramme}`,
    );
    const paidFen = BigInt(programme.body.data.totals.paid.fen);
    if (paidFen === 0n) throw new Error(`the service shows nothing paid in the live programme ${liveProgramme}`);

    return {
      lines: paid.lines,
      transactions: paid.transactions,
      blocks: paid.lastBlock - fromBlock,
      payingSeconds,
      eventsPerSecond: paid.lines / payingSeconds,
      rate: RATE,
      sent: result.lookups.sent,
      answered: result.lookups.answered,
      failed: result.lookups.failed,
      lookups: spread(result.lookups.ms),
      answeredPerSecond: result.lookups.answered / result.seconds,
      pages: Object.fromEntries(Object.entries(result.pages).map(([p, ms]) => [p.replace(/^\/api/, ""), spread(ms)])),
      maxBehind: Math.max(0, ...result.status.map((s) => s.node - s.index)),
      catchUpSeconds,
      errors: result.errors,
    };
  } finally {
    if (load.exitCode === null) load.kill("SIGKILL");
  }
}
