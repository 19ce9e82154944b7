/**
 * The whole residents' stack on one machine, for the end-to-end test and for trying the page by
 * hand: a throwaway anvil (chain 31338) → the demo deployed and run against it (scripts/demo.ts,
 * which writes a record of addresses and of a few households' ID numbers and query codes) → the
 * page built (vite) → web/dist and a generated config.json served on loopback.
 *
 * Ignition keeps its journal per chain id; this stack uses chain 31338 and deletes only
 * ignition/deployments/chain-31338, before and after, so a developer's localhost deployment
 * (chain 31337) is never touched.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";

import { type Anvil, E2E_CHAIN_ID, startAnvil } from "./anvil.js";
import { run, type RunResult } from "./proc.js";
import { serveStatic, type StaticServer } from "./serve.js";

export interface DemoHousehold {
  label: string;
  idNumber: string;
  queryCode: string;
  household: string;
  rosterId: string;
  region: string;
  lineIndex: number;
  amount: string;
  /** the line outcome the page should show ("Confirmed", "Returned", "Reversed", "Excluded"), or "none": registered, no line names it. */
  expected: string;
}

export interface DemoRecord {
  chainId: string;
  startBlock: number;
  programmeId: string;
  addresses: Record<
    | "manager"
    | "directory"
    | "programmes"
    | "households"
    | "ledger"
    | "rosterBook"
    | "rosterLines"
    | "disbursement"
    | "lens",
    string
  >;
  households: DemoHousehold[];
}

export interface Stack {
  repo: string;
  anvil: Anvil;
  record: DemoRecord;
  config: Record<string, unknown>;
  server?: StaticServer;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

export interface StackOptions {
  repo: string;
  /** A scratch directory for the demo's files and record (deleted by the caller). */
  workDir: string;
  explorer?: { kind: "blockscout" | "otterscan"; baseUrl: string };
  /** Build the page and serve it (default true). */
  page?: boolean;
  log?: (text: string) => void;
}

export const ignitionJournal = (repo: string) => path.join(repo, "ignition", "deployments", `chain-${E2E_CHAIN_ID}`);

function failed(what: string, r: RunResult): Error {
  const tail = (s: string) => s.trim().split("\n").slice(-25).join("\n");
  return new Error(
    `${what} failed (exit ${r.code ?? r.signal}, ${r.ms} ms)\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`,
  );
}

/** The residents' page config for the demo's deployment. */
export function pageConfig(
  record: DemoRecord,
  rpcUrl: string,
  explorer?: StackOptions["explorer"],
): Record<string, unknown> {
  return {
    rpcUrl,
    chainId: Number(record.chainId),
    contracts: {
      households: record.addresses.households,
      rosterBook: record.addresses.rosterBook,
      rosterLines: record.addresses.rosterLines,
      disbursement: record.addresses.disbursement,
      lens: record.addresses.lens,
    },
    fromBlock: record.startBlock,
    logWindow: 5000,
    ...(explorer ? { explorer } : {}),
    departments: {
      "0": { zh: "民政局", en: "Civil affairs" },
      "1": { zh: "乡村振兴局", en: "Rural revitalisation" },
      "2": { zh: "财政局", en: "Finance" },
    },
    regions: {
      "110101001000": { zh: "示例一镇", en: "Sample township 1" },
      "110101002000": { zh: "示例二镇", en: "Sample township 2" },
      "110101003000": { zh: "示例三镇", en: "Sample township 3" },
    },
  };
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { repo, workDir } = options;
  const log = options.log ?? (() => {});
  const node = process.execPath;
  const timings: Record<string, number> = {};
  const journal = ignitionJournal(repo);
  await rm(journal, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });

  let t = Date.now();
  const anvil = await startAnvil({ repo });
  timings.anvil = Date.now() - t;
  log(`anvil on ${anvil.url} (chain ${E2E_CHAIN_ID}, pid ${anvil.pid})`);
  let server: StaticServer | undefined;
  const stop = async () => {
    await server?.close();
    await anvil.stop();
    await rm(journal, { recursive: true, force: true });
  };

  try {
    const recordFile = path.join(workDir, "demo-record.json");
    t = Date.now();
    const demo = await run(
      node,
      [
        path.join(repo, "node_modules/hardhat/dist/src/cli.js"),
        "run",
        "--no-compile",
        "scripts/demo.ts",
        "--network",
        "e2e",
      ],
      {
        cwd: repo,
        env: {
          ...process.env,
          E2E_RPC_URL: anvil.url,
          DEMO_OUT: path.join(workDir, "demo-output"),
          DEMO_RECORD: recordFile,
          FORCE_COLOR: "0",
        },
        timeoutMs: 150_000,
      },
    );
    timings.demo = Date.now() - t;
    if (demo.code !== 0) throw failed("the demo against anvil", demo);
    const record = JSON.parse(await readFile(recordFile, "utf8")) as DemoRecord;
    log(
      `demo deployed and ran in ${(timings.demo / 1000).toFixed(1)} s; record: ${record.households.length} households`,
    );

    const config = pageConfig(record, anvil.url, options.explorer);
    if (options.page ?? true) {
      t = Date.now();
      const build = await run(
        node,
        [
          path.join(repo, "node_modules/vite/bin/vite.js"),
          "build",
          "--config",
          "web/vite.config.ts",
          "--logLevel",
          "warn",
        ],
        {
          cwd: repo,
          env: { ...process.env, FORCE_COLOR: "0" },
          timeoutMs: 120_000,
        },
      );
      timings.build = Date.now() - t;
      if (build.code !== 0) throw failed("vite build", build);
      server = await serveStatic(path.join(repo, "web", "dist"), {
        files: { "/config.json": JSON.stringify(config, null, 2) },
      });
      log(`page built in ${(timings.build / 1000).toFixed(1)} s, served at ${server.url}`);
    }
    return { repo, anvil, record, config, ...(server ? { server } : {}), timings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
