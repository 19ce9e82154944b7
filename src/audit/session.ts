/**
 * What every audit task shares: a read-only connection (Hardhat's --network, or any JSON-RPC URL
 * with --rpc-url), the suite's addresses from its deployment record, the index database, and the
 * implicit index update before an answer. No signing account is ever asked for: an auditor holds
 * no key (openReader in src/cli/context.ts).
 */
import { existsSync } from "node:fs";

import type { Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { openReader, Output, type ReadContext } from "../cli/context.js";
import { transientReason } from "../transport/index.js";
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
  /** The suite on the node; undefined offline (--no-update with no node to reach): the index alone answers. */
  suite: Suite | undefined;
  provider: (Provider & JsonRpc) | undefined;
  chainId: bigint;
  out: Output;
  /** The update made before answering (undefined under --no-update). */
  update: IndexReport | undefined;
  /** Why the chain was not read, when it was not: say it beside any answer that compares with it. */
  offline?: string;
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
  const file = args.db || "audit.sqlite";
  const readOnly = args.noUpdate && !options.forceUpdate;
  if (readOnly && !existsSync(file))
    throw new Error(`there is no index at ${file}: run \`audit index\` first, or leave out --no-update`);
  // An index already built answers without a node: under --no-update a node that cannot be reached
  // leaves the answer to the index alone (said so), with the deployment the index was built for.
  let reader: ReadContext | undefined;
  let offline: string | undefined;
  try {
    reader = await openReader(args.rpcUrl || undefined, hre);
  } catch (error) {
    const reason = transientReason(error);
    if (!readOnly || reason === undefined) throw error;
    offline = `the node cannot be reached (${reason}): answered from the index alone, not compared with the chain`;
  }
  let db: IndexDatabase | undefined;
  const close = () => {
    db?.close();
    reader?.close();
  };
  try {
    if (!reader) {
      db = IndexDatabase.open(file);
      const stored = db.identity();
      if (!stored || db.head().block < 0)
        throw new Error(`${file} holds no index yet: run \`audit index\` first, or leave out --no-update`);
      // A deployment given must be the one the index was built for.
      if (args.deployment) db.bind({ chainId: stored.chainId, addresses: await readDeployment(args.deployment) });
      out.say(offline!);
      return {
        db,
        suite: undefined,
        provider: undefined,
        chainId: stored.chainId,
        out,
        update: undefined,
        offline,
        close,
      };
    }
    const { provider, chainId } = reader;
    const deploymentFile = args.deployment || defaultDeploymentFile(chainId);
    const addresses = await readDeployment(deploymentFile);
    await assertSuiteOnChain(provider, addresses, { chainId, file: deploymentFile });
    const suite = connectSuite(addresses, provider);
    // Opened only once the deployment is known: a mistyped option leaves no empty database behind.
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
