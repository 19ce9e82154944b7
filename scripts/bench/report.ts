/**
 * Writes the figures of the latest benchmark runs into BENCHMARKS.md, between its
 * `<!-- generated:… -->` markers, so that no figure there is typed by hand:
 *
 *   npm run bench:report
 *
 * Reads bench/results/gas-latest.json (npm run bench:gas) and bench/results/throughput-<lines>.json
 * for every size run (npm run bench, npm run bench:large), and bench/results/cli-latest.json (npm run
 * bench:cli: how long commands against a local node take). The prose around the markers explains
 * the figures; what is met and what is not is computed here, from the figures and the goals.
 */
import { existsSync, readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";

import type { ServiceFigures, Spread } from "./portal.js";

const FILE = "BENCHMARKS.md";
const RESULTS = "bench/results";
const GAS_GOAL_AT_100 = 5_000;
const FLOOR_GOAL = 1.5;
const READ_GOALS = { reconcileCold: 10, warm: 1, selfCheckP95: 20 };
/** The portal's service (issue 15): self-check p95, its growth from 10^5 to 10^6 payouts, a page, lookups a second. */
const SERVICE_GOALS = { selfCheckP95: 20, flat: 1.2, pageMs: 300, rate: 200, behindBlocks: 2, catchUpSeconds: 2 };

interface GasRow {
  design: string;
  lines: number;
  gas: string;
  perLine: number | null;
  note?: string;
}
interface GasResult {
  date: string;
  network: string;
  floor: { perLine: number; calldata: number; event: number };
  maxChunk: number;
  listingFloor?: number;
  submissions?: Array<{ lines: number; transactions: number; gas: string; perLine: number }>;
  rows: GasRow[];
  bytecode: Record<string, number>;
}
interface Pay {
  seconds: number;
  linesPerSecond: number;
  transactions: number;
  gasPerLine: number;
}
interface ThroughputResult {
  /** When the results were written: after the read side. */
  date: string;
  /** When the write side ran, if earlier (a saved chain measured again). */
  writeDate?: string;
  anvil: string[];
  lines: number;
  rosterLines: number;
  chunk: number;
  window: number;
  rosters?: number;
  main?: Pay;
  baselineA?: Pay;
  baselineB?: Pay;
  setupSeconds?: number;
  /** False when the bank confirmed nothing before the read side (BENCH_CONFIRM=0). */
  bankConfirmed?: boolean;
  goalLinesPerSecond: number;
  read: Record<string, number>;
  service?: ServiceFigures;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const dec = (n: number, d: number) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const SUBMISSION_GOAL = 2_500;
const met = (ok: boolean) => (ok ? "**met**" : "**not met**");

function gasSection(r: GasResult): string {
  const out: string[] = [];
  const floor = r.floor.perLine;
  out.push(
    `Source: \`${RESULTS}/gas-latest.json\` of ${r.date} (${r.network}). Floor per line: ${int(floor)} gas (calldata at the EIP-7623 floor ${int(r.floor.calldata)} + event ${int(r.floor.event)}).`,
    "",
  );
  out.push("| design | lines/tx | gas/tx | gas/line | × floor | note |", "|---|---:|---:|---:|---:|---|");
  for (const row of r.rows) {
    const perLine = row.perLine ?? Number.NaN;
    const fits = Number.isFinite(perLine);
    // The floor is a payout's: a confirmation's, registration's or recovery's ratio to it would mean nothing.
    const ratio =
      fits && (row.design === "ours: payout" || row.design.startsWith("baseline")) ? dec(perLine / floor, 2) : "—";
    out.push(
      `| ${row.design} | ${int(row.lines)} | ${fits ? int(Number(row.gas)) : "—"} | ${fits ? int(perLine) : "—"} | ${ratio} | ${row.note ?? ""} |`,
    );
  }
  const ours = (n: number) => r.rows.find((x) => x.design === "ours: payout" && x.lines === n);
  const at100 = ours(100);
  const at1000 = ours(1000);
  const best = Math.min(
    ...r.rows.filter((x) => x.design === "ours: payout" && x.perLine !== null).map((x) => x.perLine!),
  );
  out.push("");
  if (at100 && at1000) {
    // Per batch and per line, from the batches of 100 and 1,000 lines.
    const marginal = (Number(at1000.gas) - Number(at100.gas)) / 900;
    const fixed = Number(at100.gas) - 100 * marginal;
    const from =
      marginal < GAS_GOAL_AT_100 ? Math.ceil(fixed / (GAS_GOAL_AT_100 - marginal)) : Number.POSITIVE_INFINITY;
    out.push(
      `- ≤ ${int(GAS_GOAL_AT_100)} gas/line at 100+ lines a transaction: ${met(at100.perLine! <= GAS_GOAL_AT_100)} at 100 lines (${int(at100.perLine!)}); ` +
        `from the batches of 100 and 1,000 lines a batch costs about ${int(fixed)} gas of its own and ${int(marginal)} a line, so the goal holds from ${Number.isFinite(from) ? int(from) : "—"} lines a transaction on.`,
    );
  }
  out.push(
    `- ≤ ${FLOOR_GOAL}× the floor (${int(FLOOR_GOAL * floor)} gas/line): ${met(best <= FLOOR_GOAL * floor)}; our best is ${int(best)} = ${dec(best / floor, 2)}× the floor.`,
  );
  const naive = r.rows.find((x) => x.design.startsWith("baseline: naive") && x.lines === 100);
  if (naive?.perLine && at100?.perLine)
    out.push(
      `- The naive design costs ${dec(naive.perLine / at100.perLine, 1)}× ours per line at 100 lines and ${dec(naive.perLine / best, 1)}× our best.`,
    );
  if (r.submissions && r.submissions.length > 0) {
    const at = (n: number) => r.submissions!.find((x) => x.lines === n);
    const big = r.submissions.reduce((a, b) => (b.lines > a.lines ? b : a));
    const from1000 = r.submissions.filter((x) => x.lines >= 1_000);
    out.push(
      "",
      `**Roster submission, every line on chain** (\`ours: roster submission\`: \`submitRoster\`, then \`RosterLines.submitLines\` in transactions of up to 5,000 lines, the last of which seals; everything counted, 21,000 a transaction included). ` +
        `The floor is each line's own calldata, its 16-byte record at the EIP-7623 price: ${r.listingFloor === undefined ? "not measured" : `${int(r.listingFloor)} gas a line`}.`,
      "",
      `- ≤ ${int(SUBMISSION_GOAL)} gas/line at 1,000+ lines: ${met(from1000.every((x) => x.perLine <= SUBMISSION_GOAL))}${at(1_000) ? `; ${int(at(1_000)!.perLine)} at 1,000 lines` : ""}, ${int(big.perLine)} at ${int(big.lines)} lines.`,
      `- a 50,000-line roster in ≤ 15 transactions: ${at(50_000) ? `${met(at(50_000)!.transactions <= 15)}, in ${at(50_000)!.transactions}` : "not measured"}.`,
      `- What residents gain for it: from the moment a roster is submitted, every line that names a household is on chain and found by the household alone (one \`eth_getLogs\` filter, no key, no server), so a resident sees that they are listed, for how much, and each step after: awaiting sign-off, in publicity, objected to, paid. And nobody, not even the bureau, can get a roster signed off whose lines add up to another total, or whose tree has two leaves for one index: the chain builds the root itself. The price is about ${int(big.perLine)} gas a line, about ${dec(big.perLine / best, 2)}× what paying that line costs at the largest payout chunk.`,
    );
  }
  out.push(
    "",
    `Bytecode (deployed, of the 24,576-byte limit): ${Object.entries(r.bytecode)
      .sort((a, b) => b[1] - a[1])
      .map(([name, size]) => `${name} ${int(size)} (${Math.round((100 * size) / 24_576)}%)`)
      .join(", ")}.`,
  );
  return out.join("\n");
}

function throughputSection(runs: ThroughputResult[]): string {
  const out: string[] = [];
  out.push(
    "| run | lines | node | main: lines/s | main: time | transactions | gas/line | baseline A: lines/s | baseline B: lines/s | setup (not timed) |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const t of runs) {
    if (!t.main || !t.baselineA || !t.baselineB) continue;
    out.push(
      `| ${t.writeDate ?? t.date} | ${int(t.lines)} in ${t.rosters ?? 1} roster(s) | anvil ${t.anvil.join(" ")} | ${int(t.main.linesPerSecond)} | ${dec(t.main.seconds, 1)} s | ${int(t.main.transactions)} | ${int(t.main.gasPerLine)} | ${int(t.baselineA.linesPerSecond)} | ${dec(t.baselineB.linesPerSecond, 1)} | ${int(t.setupSeconds ?? 0)} s |`,
    );
  }
  out.push("");
  for (const t of runs) {
    if (!t.main || !t.baselineA || !t.baselineB) continue;
    out.push(
      `- ${int(t.lines)} lines: ${int(t.main.linesPerSecond)} lines/s, goal ${int(t.goalLinesPerSecond)} ${met(t.main.linesPerSecond >= t.goalLinesPerSecond)} (${dec(t.main.linesPerSecond / t.goalLinesPerSecond, 2)}×); ` +
        `${dec(t.main.linesPerSecond / t.baselineA.linesPerSecond, 1)}× baseline A (window 1) and ${int(t.main.linesPerSecond / t.baselineB.linesPerSecond)}× baseline B (a transaction per line). Chunks of at most ${int(t.chunk)} lines, ${t.window} in flight.`,
    );
  }
  return out.join("\n");
}

function readSection(runs: ThroughputResult[]): string {
  const out: string[] = [];
  out.push(
    "| run | payouts | events | cold index | cold reconcile (events / with chain) | warm reconcile | self-check from the node p50 / p95 | self-check from the index p50 / p95 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const t of runs) {
    const r = t.read;
    out.push(
      `| ${t.date}${t.bankConfirmed === false ? " (no bank confirmations)" : ""} | ${int(r.payouts!)} | ${int(r.events!)} | ${dec(r.coldIndex!, 1)} s | ${dec(r.reconcileEvents!, 2)} s / ${dec(r.reconcileCold!, 2)} s | ${dec(r.warm!, 2)} s | ${dec(r.selfCheckP50!, 1)} / ${dec(r.selfCheckP95!, 1)} ms | ${r.indexCheckP50 === undefined ? "—" : `${dec(r.indexCheckP50, 2)} / ${dec(r.indexCheckP95!, 2)} ms`} |`,
    );
  }
  const large = runs.find((t) => t.read.payouts! >= 1_000_000);
  out.push("");
  if (large) {
    const r = large.read;
    out.push(
      `Goals at 1,000,000 payouts (measured at ${int(r.payouts!)}): cold reconcile ≤ ${READ_GOALS.reconcileCold} s ${met(r.reconcileCold! <= READ_GOALS.reconcileCold)} (${dec(r.reconcileCold!, 2)} s); ` +
        `warm ≤ ${READ_GOALS.warm} s ${met(r.warm! <= READ_GOALS.warm)} (${dec(r.warm!, 2)} s); ` +
        `self-check p95 ≤ ${READ_GOALS.selfCheckP95} ms from the index ${r.indexCheckP95 === undefined ? "(not measured)" : `${met(r.indexCheckP95 <= READ_GOALS.selfCheckP95)} (${dec(r.indexCheckP95, 2)} ms)`}, ` +
        `from the node ${met(r.selfCheckP95! <= READ_GOALS.selfCheckP95)} (${dec(r.selfCheckP95!, 1)} ms).`,
    );
  } else {
    out.push("No run at 1,000,000 payouts has its results here yet (npm run bench:large).");
  }
  return out.join("\n");
}

const p = (s: Spread, d = 1) => `${dec(s.p50, d)} / ${dec(s.p95, d)} ms`;

/**
 * The self-check's p95 at a million against its figure at 100,000: for households paid once at both
 * sizes where both runs measured them (the same answer from a larger index); the main households are
 * paid once per programme, so their answers hold a line per main roster.
 */
function flatGoal(small: ThroughputResult | undefined, large: ThroughputResult, flat: number): string {
  if (!small) return "flat: no run at 100,000 payouts to compare with";
  const a = small.service!;
  const b = large.service!;
  const node = `the node alone ${dec(large.read.selfCheckP95! / small.read.selfCheckP95!, 2)}×`;
  const [from, to, what] =
    a.selfCheckOnce && b.selfCheckOnce
      ? [a.selfCheckOnce.p95, b.selfCheckOnce.p95, "households paid once at both sizes"]
      : [a.selfCheck.p95, b.selfCheck.p95, "the main rosters' households"];
  const also =
    a.selfCheckOnce && b.selfCheckOnce
      ? `; the main rosters' households, paid once in each programme (${small.rosters ?? 1} line(s) each at ${int(a.payouts)}, ${large.rosters ?? 1} at ${int(b.payouts)}): ${dec(a.selfCheck.p95, 1)} → ${dec(b.selfCheck.p95, 1)} ms`
      : "";
  return `flat: within ${flat}× of its figure at ${int(a.payouts)} ${met(to <= flat * from)} (${what}: ${dec(to / from, 2)}×, ${dec(from, 1)} → ${dec(to, 1)} ms${also}; ${node})`;
}

function serviceSection(all: ThroughputResult[]): string {
  const runs = all.filter((t) => t.service);
  if (runs.length === 0) return "No run with the portal's service has its results here yet (npm run bench).";
  const out: string[] = [];
  out.push(
    "| run | payouts | self-check: service | with the node's check of each payout | node alone (lookupHousehold) | programme page after a new block / same block (p95) | region page after a new block / same block (p95) | node alone: the programme's views | first page after start |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const t of runs) {
    const s = t.service!;
    out.push(
      `| ${t.date} | ${int(s.payouts)} | ${p(s.selfCheck)} | ${p(s.selfCheckWithNode)} | ${dec(t.read.selfCheckP50!, 1)} / ${dec(t.read.selfCheckP95!, 1)} ms | ${dec(s.programmePage.afterBlock.p95, 1)} / ${dec(s.programmePage.sameBlock.p95, 1)} ms | ${dec(s.regionPage.afterBlock.p95, 1)} / ${dec(s.regionPage.sameBlock.p95, 1)} ms | ${p(s.nodeProgramme)} | ${int(s.firstPageMs)} ms |`,
    );
  }
  out.push(
    "",
    "Under load — the chain pays a further roster while self-checks arrive at a fixed rate (open loop) and the live programme's two pages are asked for every second; beside it, the node alone answering self-checks from 8 residents at once:",
    "",
    "| run | paid meanwhile | self-checks sent / answered / failed | answered a second | self-check p50 / p95 | programme / region page p95 | index behind the node (most) | caught up after the last receipt | node alone: self-checks a second, p50 / p95 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const t of runs) {
    const s = t.service!;
    const l = s.live;
    const node = `${dec(s.nodeLoad.perSecond, 1)}/s, ${p(s.nodeLoad.spread, 0)}`;
    if (!l) {
      out.push(`| ${t.date} | (not run: a saved chain without a live roster) | | | | | | | ${node} |`);
      continue;
    }
    const pages = Object.values(l.pages).map((x) => dec(x.p95, 1));
    out.push(
      `| ${t.date} | ${int(l.lines)} lines, ${l.transactions} transactions, ${l.blocks} blocks, ${int(l.eventsPerSecond)} payouts/s | ${int(l.sent)} / ${int(l.answered)} / ${int(l.failed)} | ${dec(l.answeredPerSecond, 1)} (${l.rate} sent) | ${p(l.lookups)} | ${pages.join(" / ")} ms | ${l.maxBehind} block(s) | ${dec(l.catchUpSeconds, 1)} s | ${node} |`,
    );
  }
  out.push("");
  const large = runs.find((t) => t.service!.payouts >= 1_000_000);
  const small = runs.find((t) => t.service!.payouts >= 100_000 && t.service!.payouts < 1_000_000);
  if (!large) {
    out.push("No run at 1,000,000 payouts through the service has its results here yet (npm run bench:large).");
    return out.join("\n");
  }
  const s = large.service!;
  const g = SERVICE_GOALS;
  const pageWorst = (which: "programmePage" | "regionPage", index: number) =>
    Math.max(s[which].afterBlock.p95, s[which].sameBlock.p95, Object.values(s.live?.pages ?? {})[index]?.p95 ?? 0);
  const goals = [
    `self-check through the service p95 ≤ ${g.selfCheckP95} ms ${met(s.selfCheck.p95 <= g.selfCheckP95)} (${dec(s.selfCheck.p95, 1)} ms; with the node's check of each payout ${dec(s.selfCheckWithNode.p95, 1)} ms; the node alone ${dec(large.read.selfCheckP95!, 1)} ms)`,
    flatGoal(small, large, g.flat),
    `a programme page ≤ ${g.pageMs} ms ${met(pageWorst("programmePage", 0) <= g.pageMs)} (worst p95: after a new block, at the same block, under load: ${dec(pageWorst("programmePage", 0), 1)} ms; the node's views of its tree alone ${dec(s.nodeProgramme.p95, 1)} ms)`,
    `a region page ≤ ${g.pageMs} ms ${met(pageWorst("regionPage", 1) <= g.pageMs)} (${dec(pageWorst("regionPage", 1), 1)} ms)`,
  ];
  if (s.live) {
    const l = s.live;
    const answering = l.failed === 0 && l.answered === l.sent && l.rate >= g.rate;
    const keeping = l.maxBehind <= g.behindBlocks && l.catchUpSeconds <= g.catchUpSeconds;
    goals.push(
      `keeps up with the chain while answering ${g.rate} lookups a second ${met(answering && keeping)}: every one of ${int(l.sent)} self-checks answered${l.failed ? ` — ${l.failed} failed` : ""}, p95 ${dec(l.lookups.p95, 1)} ms, while the index stayed within ${l.maxBehind} block(s) of the node (goal ≤ ${g.behindBlocks}: a block period and a poll) and caught up ${dec(l.catchUpSeconds, 1)} s after the last receipt (goal ≤ ${g.catchUpSeconds} s); the node alone answered ${dec(s.nodeLoad.perSecond, 1)} self-checks a second`,
    );
  } else goals.push("keeps up under load: not measured in this run (a saved chain without a live roster)");
  out.push(`Goals at 1,000,000 payouts (measured at ${int(s.payouts)}):`, "", ...goals.map((x) => `- ${x}.`));
  return out.join("\n");
}

interface Timing {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}
interface CliResult {
  date: string;
  node: string;
  cpus: number;
  loadBefore: number[];
  loadAfter: number[];
  goals: { commandMedianSeconds: number; deploySeconds: number };
  deployCommand: string;
  deploy: Timing;
  commands: Record<string, Timing>;
}

function cliSection(r: CliResult): string {
  const load = (l: number[]) => l.map((x) => dec(x, 2)).join(" ");
  const out: string[] = [
    `Source: \`${RESULTS}/cli-latest.json\` of ${r.date}; Node ${r.node}, ${r.cpus} cores; load average (1, 5, 15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after. Wall time of whole \`npx hardhat …\` processes; p90 by nearest rank.`,
    "",
    "| command | runs | median | p90 | min | max | goal |",
    "|---|---:|---:|---:|---:|---:|---|",
  ];
  const yardstick = Object.entries(r.commands).find(([name]) => name.includes("yardstick"))?.[1];
  for (const [name, t] of Object.entries(r.commands)) {
    const goal = name.includes("yardstick")
      ? "—"
      : `median ≤ ${r.goals.commandMedianSeconds} s ${met(t.median <= r.goals.commandMedianSeconds)}`;
    out.push(
      `| \`${name}\` | ${t.runs} | ${dec(t.median, 2)} s | ${dec(t.p90, 2)} s | ${dec(t.min, 2)} s | ${dec(t.max, 2)} s | ${goal} |`,
    );
  }
  const d = r.deploy;
  out.push(
    `| \`npm run deploy:localhost\` (\`${r.deployCommand}\`) | ${d.runs} | ${dec(d.median, 2)} s | ${dec(d.p90, 2)} s | ${dec(d.min, 2)} s | ${dec(d.max, 2)} s | ≤ ${r.goals.deploySeconds} s ${met(d.max <= r.goals.deploySeconds)} (every run) |`,
  );
  if (yardstick) {
    out.push("");
    const above = Object.entries(r.commands)
      .filter(([name]) => !name.includes("yardstick"))
      .map(([name, t]) => `\`${name}\` +${dec(t.median - yardstick.median, 2)} s`);
    out.push(`Above the yardstick's median (${dec(yardstick.median, 2)} s): ${above.join(", ")}.`);
  }
  return out.join("\n");
}

function replace(text: string, name: string, body: string): string {
  const start = `<!-- generated:${name}:start -->`;
  const end = `<!-- generated:${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${FILE} has no ${start} … ${end} markers`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

let text = await readFile(FILE, "utf8");
const gasFile = `${RESULTS}/gas-latest.json`;
if (existsSync(gasFile))
  text = replace(text, "gas", gasSection(JSON.parse(await readFile(gasFile, "utf8")) as GasResult));
else console.log(`no ${gasFile}: run npm run bench:gas first; the gas section is left as it is`);
const sizes = existsSync(RESULTS) ? readdirSync(RESULTS).filter((f) => /^throughput-\d+\.json$/.test(f)) : [];
const runs: ThroughputResult[] = [];
for (const f of sizes) runs.push(JSON.parse(await readFile(`${RESULTS}/${f}`, "utf8")) as ThroughputResult);
runs.sort((a, b) => a.lines - b.lines);
if (runs.length > 0) {
  text = replace(text, "throughput", throughputSection(runs));
  text = replace(text, "read", readSection(runs));
  text = replace(text, "portal", serviceSection(runs));
} else {
  console.log(`no ${RESULTS}/throughput-<lines>.json: run npm run bench first; those sections are left as they are`);
}
const cliFile = `${RESULTS}/cli-latest.json`;
if (existsSync(cliFile))
  text = replace(text, "cli", cliSection(JSON.parse(await readFile(cliFile, "utf8")) as CliResult));
else console.log(`no ${cliFile}: run npm run bench:cli first; the command-time section is left as it is`);
await writeFile(FILE, text);
console.log(
  `${FILE}: figures written from ${[existsSync(gasFile) ? gasFile : "", ...sizes.map((f) => `${RESULTS}/${f}`), existsSync(cliFile) ? cliFile : ""].filter(Boolean).join(", ")}`,
);
