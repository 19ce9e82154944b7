import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { buildProgress } from "./src/build/progress-plugin.js";
import { suggestNames } from "./src/cli/suggest-plugin.js";
import { tasks } from "./tasks/index.js";

const require = createRequire(import.meta.url);

/**
 * Compiler: solc 0.8.30 from the npm `solc` package (WebAssembly), so that a build needs no compiler
 * download. EVM target: `cancun`, the oldest target OpenZeppelin Contracts 5.7 compiles for (its Math
 * library uses MCOPY); Hyperledger Besu runs it on QBFT networks whose genesis sets `cancunTime`.
 * See README "Compiler and EVM target".
 */
const SOLC_VERSION = "0.8.30";
const DEEP = process.env.FUZZ_PROFILE === "deep";
/**
 * Explorer verification (docs/residents-and-explorers.md), so that residents see decoded events:
 * `npx hardhat ignition verify chain-<id> --network <name>` verifies every contract of a deployment
 * on the self-hosted Blockscout and Sourcify below. Etherscan is off: it serves no consortium chain.
 * BLOCKSCOUT_URL is the explorer's address (its API is at /api); SOURCIFY_API_URL a Sourcify server
 * that knows the chain; CONSORTIUM_CHAIN_ID names the consortium chain for Blockscout.
 */
const BLOCKSCOUT_URL = (process.env.BLOCKSCOUT_URL ?? "http://localhost").replace(/\/+$/, "");
const SOURCIFY_API_URL = process.env.SOURCIFY_API_URL ?? "http://localhost:5555";
const selfHostedBlockscout = (name: string) => ({
  name,
  blockExplorers: { blockscout: { name: "Blockscout", url: BLOCKSCOUT_URL, apiUrl: `${BLOCKSCOUT_URL}/api` } },
});
// Optimized for execution (runs), not deployment size: see README "Compiler and EVM target".
// `metadata` is asked for so that the build keeps solc's own metadata of every contract, the file
// whose IPFS hash ends the deployed bytecode: `npx hardhat explorer sourcify` publishes it for
// explorers (docs/residents-and-explorers.md). An output selection is not part of that metadata,
// so asking for it leaves every contract's bytecode as it was.
const solcSettings = {
  evmVersion: "cancun",
  viaIR: true,
  optimizer: { enabled: true, runs: 1000000 },
  outputSelection: { "*": { "*": ["metadata"] } },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, buildProgress, suggestNames],
  tasks,
  solidity: {
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: require.resolve("solc/soljson.js"),
        settings: solcSettings,
      },
      production: {
        version: SOLC_VERSION,
        path: require.resolve("solc/soljson.js"),
        settings: solcSettings,
      },
    },
  },
  paths: {
    // bench/contracts holds the baselines the gas benchmark compares against; they are not the product.
    sources: ["contracts", "bench/contracts"],
    tests: { mocha: "test/ts", solidity: "test/sol" },
  },
  test: {
    // `npm test` keeps fuzzing quick; `npm run test:deep` (FUZZ_PROFILE=deep) runs 10,000 fuzz runs
    // per test and deep invariant campaigns.
    solidity: DEEP
      ? { fuzz: { runs: 10_000 }, invariant: { runs: 512, depth: 200, failOnRevert: false } }
      : { fuzz: { runs: 256 }, invariant: { runs: 48, depth: 40, failOnRevert: false } },
  },
  typechain: { outDir: "typechain-types" },
  // Ignition looks for new blocks and receipts this often (its default: every second). A local node
  // mines at once, so with the default each of the deployment's eight batches waited about a second;
  // polling a consortium node four times a second is still a light load.
  ignition: { blockPollingInterval: 250 },
  verify: {
    etherscan: { enabled: false },
    blockscout: { enabled: true },
    sourcify: { enabled: true, apiUrl: SOURCIFY_API_URL },
  },
  chainDescriptors: {
    31337: selfHostedBlockscout("Local anvil (npm run node)"),
    ...(process.env.CONSORTIUM_CHAIN_ID
      ? { [process.env.CONSORTIUM_CHAIN_ID]: selfHostedBlockscout("Consortium chain") }
      : {}),
  },
  networks: {
    // The embedded default chain: an in-process simulated network.
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    // A persistent local node (`npm run node`), reached over JSON-RPC; it signs with its own accounts.
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // The end-to-end test's throwaway anvil (test/e2e): its own chain id, so that its Ignition journal
    // (ignition/deployments/chain-31338) never touches a developer's localhost deployment.
    e2e: { type: "http", chainType: "l1", chainId: 31338, url: process.env.E2E_RPC_URL ?? "http://127.0.0.1:8546" },
    // The fault tests' throwaway anvil (test/faults), reached directly or through their flaky proxy:
    // its own chain id, and a short timeout so that a hung request fails instead of waiting 5 minutes.
    faults: {
      type: "http",
      chainType: "l1",
      chainId: 31339,
      url: process.env.FAULTS_RPC_URL ?? "http://127.0.0.1:8547",
      timeout: 3_000,
    },
    // The start-up benchmark's throwaway local chain (scripts/bench/cli.ts): its own chain id, so that
    // its Ignition journal (ignition/deployments/chain-31340) never touches a developer's localhost one.
    bench: { type: "http", chainType: "l1", chainId: 31340, url: process.env.BENCH_RPC_URL ?? "http://127.0.0.1:8548" },
    // A consortium chain (e.g. Hyperledger Besu with QBFT). The URL and this operator's signing key
    // come from Hardhat's encrypted keystore (`npx hardhat keystore set CONSORTIUM_RPC_URL`, …) or
    // environment variables; they are read only when this network is used.
    consortium: {
      type: "http",
      chainType: "l1",
      url: configVariable("CONSORTIUM_RPC_URL"),
      accounts: [configVariable("CONSORTIUM_SIGNER_KEY")],
    },
  },
});
