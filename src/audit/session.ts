/**
 * What every audit task shares: a read-only connection (Hardhat's --network, or any JSON-RPC URL
 * with --rpc-url), the suite's addresses from its deployment record, the index database, and the
 * implicit index update before an answer. No signing account is ever asked for: an auditor holds
 * no key (openReader in src/cli/context.ts).
 */
import { existsSync } from "node:fs";

import type { Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { openReader, Output } from "../cli/context.js";
import { IndexDatabase, type IndexReport, type JsonRpc, updateIndex } from "../indexer/index.js";
import { assertSuiteOnChain, connectSuite, defaultDeploymentFile, readDeployment, type Suite } from "../suite.js";

/** Options every audit task takes (declared once in tasks/audit/index.ts). */
export interface AuditArgs {
  deployment: string;
  json: boolean;
  db: string;
  noUpdate: boolean;
  confirmations: string;
  rpcUrl: string;
  fromBlock: string;
}

export interface AuditSession {
  db: IndexDatabase;
  suite: Suite;
  provider: Provider & JsonRpc;
  chainId: bigint;
  out: Output;
  /** The update made before answering (undefined under --no-update). */
  update: IndexReport | undefined;
  close(): void;
}

function wholeNumber(name: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return Number(value.trim());
}

export interface OpenOptions {
  /** Overrides --no-update (audit index always updates). */
  forceUpdate?: boolean;
  /** Narrates progress of a long update (audit index). */
  verbose?: boolean;
}

export async function openAudit(
  args: AuditArgs,
  hre: HardhatRuntimeEnvironment,
  options: OpenOptions = {},
): Promise<AuditSession> {
  const out = new Output(args.json);
  const confirmations = wholeNumber("confirmations", args.confirmations || "0");
  const fromBlock = wholeNumber("from-block", args.fromBlock || "0");
  const reader = await openReader(args.rpcUrl || undefined, hre);
  const { provider, chainId } = reader;
  let db: IndexDatabase | undefined;
  const close = () => {
    db?.close();
    reader.close();
  };
  try {
    const deploymentFile = args.deployment || defaultDeploymentFile(chainId);
    const addresses = await readDeployment(deploymentFile);
    await assertSuiteOnChain(provider, addresses, { chainId, file: deploymentFile });
    const suite = connectSuite(addresses, provider);
    // Opened only once the deployment is known: a mistyped option leaves no empty database behind.
    const file = args.db || "audit.sqlite";
    const readOnly = args.noUpdate && !options.forceUpdate;
    if (readOnly && !existsSync(file))
      throw new Error(`there is no index at ${file}: run \`audit index\` first, or leave out --no-update`);
    db = IndexDatabase.open(file);
    let update: IndexReport | undefined;
    if (!readOnly) {
      update = await updateIndex({
        rpc: provider,
        db,
        addresses,
        confirmations,
        fromBlock,
        onProgress: options.verbose
          ? (p) => out.say(`  blocks ${p.from}…${p.to} of ${p.target}: ${p.events} events so far`)
          : undefined,
        onNotice: options.verbose ? (text) => out.say(`  ${text}`) : undefined,
      });
      if (!options.verbose && update.events > 0)
        out.say(
          `index updated: ${update.events} new events up to block ${update.toBlock} (${update.seconds.toFixed(1)} s)`,
        );
    } else {
      // Still refuse a database made for another chain or deployment.
      db.bind({ chainId, addresses });
      if (db.head().block < 0)
        throw new Error(`${file} holds no index yet: run \`audit index\` first, or leave out --no-update`);
    }
    return { db, suite, provider, chainId, out, update, close };
  } catch (error) {
    close();
    throw error;
  }
}
