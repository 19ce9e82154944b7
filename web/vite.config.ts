/**
 * Two static bundles in web/dist: the residents' page (index.html), which reads config.json from
 * next to it at run time, so one build serves any deployment (docs/residents-and-explorers.md); and
 * the public portal (portal/index.html), served with its API by `npx hardhat portal` (docs/portal.md).
 *
 * `npm run web:dev` serves it with a development config.json made on the fly: the file named by
 * RESIDENT_CONFIG if set, else the local node (`npm run node`, http://127.0.0.1:8545, chain 31337)
 * with the suite deployed by `npm run deploy:localhost` (Ignition's record for chain 31337).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig, type Plugin } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");

/** The built page may run scripts and styles only from itself, and talk to any JSON-RPC endpoint. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' http: https:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function contentSecurityPolicy(): Plugin {
  return {
    name: "resident-page-csp",
    apply: "build",
    transformIndexHtml: (html) =>
      html.replace(
        /(<meta charset="utf-8" \/>)/,
        `$1\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
      ),
  };
}

const IGNITION_FUTURES = {
  households: "Suite#HouseholdRegistry",
  rosterBook: "Suite#RosterBook",
  disbursement: "Suite#Disbursement",
  lens: "Suite#DisbursementLens",
} as const;

async function developmentConfig(): Promise<string> {
  if (process.env.RESIDENT_CONFIG) return readFile(process.env.RESIDENT_CONFIG, "utf8");
  const record = JSON.parse(
    await readFile(path.join(repo, "ignition/deployments/chain-31337/deployed_addresses.json"), "utf8"),
  ) as Record<string, string>;
  const contracts = Object.fromEntries(Object.entries(IGNITION_FUTURES).map(([key, future]) => [key, record[future]]));
  return JSON.stringify({ rpcUrl: "http://127.0.0.1:8545", chainId: 31337, contracts }, null, 2);
}

function devConfigJson(): Plugin {
  return {
    name: "resident-page-dev-config",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use("/config.json", (_req, res) => {
        developmentConfig().then(
          (text) => {
            res.setHeader("content-type", "application/json");
            res.end(text);
          },
          (error: Error) => {
            res.statusCode = 404;
            res.end(
              `no development config: ${error.message} (start \`npm run node\` and \`npm run deploy:localhost\`, or set RESIDENT_CONFIG=<config.json>)`,
            );
          },
        );
      });
    },
  };
}

export default defineConfig({
  root: here,
  base: "./",
  publicDir: false,
  plugins: [contentSecurityPolicy(), devConfigJson()],
  server: { host: "127.0.0.1", fs: { allow: [repo] } },
  // The roster reader's CSV parser, in its browser build (the portal's list check runs it).
  resolve: { alias: { "csv-parse/sync": "csv-parse/browser/esm/sync" } },
  build: {
    rollupOptions: {
      input: { resident: path.join(here, "index.html"), portal: path.join(here, "portal/index.html") },
    },
    outDir: path.join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    // The portal's chart library (Apache ECharts) is its own chunk, loaded only by pages with a chart.
    chunkSizeWarningLimit: 800,
  },
});
