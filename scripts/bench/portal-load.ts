/**
 * The load a public portal meets, generated in a process of its own (so that its timers and the
 * benchmark's own work do not delay each other): household self-checks at a fixed rate, open loop
 * (a request leaves on time whether or not earlier ones were answered, as residents do not wait for
 * each other), the programme and region pages at a slower pace, and the service's status sampled
 * for how far its index is behind the chain. Runs until "stop" arrives on standard input or
 * `maxMs` passes; prints what it measured as one JSON object.
 *
 *   node --import tsx scripts/bench/portal-load.ts <plan.json>
 */
import { readFileSync } from "node:fs";

export interface LoadPlan {
  base: string;
  commitments: string[];
  /** Self-checks a second. */
  rate: number;
  /** Paths fetched one after another, one every `pageEveryMs`. */
  pages: string[];
  pageEveryMs: number;
  statusEveryMs: number;
  maxMs: number;
  /** The node, asked for its head beside each status sample: the lag is measured, not taken from the service. */
  rpcUrl: string;
}

export interface LoadResult {
  seconds: number;
  lookups: { sent: number; answered: number; failed: number; ms: number[] };
  pages: Record<string, number[]>;
  /** Seconds since the start; the index's block; the node's head asked at the same moment; the service's own word. */
  status: Array<{ at: number; index: number; node: number; behind: number | null }>;
  errors: string[];
}

const plan = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadPlan;
const result: LoadResult = {
  seconds: 0,
  lookups: { sent: 0, answered: 0, failed: 0, ms: [] },
  pages: Object.fromEntries(plan.pages.map((p) => [p, []])),
  status: [],
  errors: [],
};
const note = (text: string) => {
  if (result.errors.length < 20) result.errors.push(text);
};

async function get(path: string): Promise<{ ms: number; body: unknown }> {
  const start = performance.now();
  const response = await fetch(`${plan.base}${path}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as unknown;
  const ms = performance.now() - start;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  return { ms, body };
}

let seed = 20261206;
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const started = performance.now();
let stopped = false;
const inFlight = new Set<Promise<void>>();
const track = (p: Promise<void>) => {
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
};

// Self-checks: every 5 ms, as many requests leave as are due by now.
const lookups = setInterval(() => {
  const due = Math.floor(((performance.now() - started) / 1000) * plan.rate);
  while (result.lookups.sent < due) {
    result.lookups.sent++;
    const commitment = plan.commitments[Math.floor(random() * plan.commitments.length)]!;
    track(
      get(`/api/households/${commitment}`).then(
        ({ ms, body }) => {
          const data = (body as { data?: { registered?: boolean } }).data;
          if (data?.registered !== true) throw new Error(`household ${commitment}: not registered in the answer`);
          result.lookups.answered++;
          result.lookups.ms.push(ms);
        },
        (error: Error) => {
          result.lookups.failed++;
          note(error.message);
        },
      ),
    );
  }
}, 5);

// Pages one after another, each on its own schedule.
const pages = setInterval(() => {
  for (const path of plan.pages)
    track(
      get(path).then(
        ({ ms }) => void result.pages[path]!.push(ms),
        (error: Error) => note(error.message),
      ),
    );
}, plan.pageEveryMs);

const nodeHead = async () => {
  const response = await fetch(plan.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    signal: AbortSignal.timeout(10_000),
  });
  return Number(((await response.json()) as { result: string }).result);
};
const status = setInterval(() => {
  track(
    Promise.all([get("/api/status"), nodeHead()]).then(
      ([{ body }, node]) => {
        const b = body as { at: { block: number }; chain: { behind: number | null } };
        result.status.push({
          at: (performance.now() - started) / 1000,
          index: b.at.block,
          node,
          behind: b.chain.behind,
        });
      },
      (error: Error) => note(error.message),
    ),
  );
}, plan.statusEveryMs);

async function finish() {
  if (stopped) return;
  stopped = true;
  clearInterval(lookups);
  clearInterval(pages);
  clearInterval(status);
  result.seconds = (performance.now() - started) / 1000;
  await Promise.allSettled([...inFlight]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  if (chunk.includes("stop")) void finish();
});
setTimeout(() => void finish(), plan.maxMs);
