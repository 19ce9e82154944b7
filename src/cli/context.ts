/**
 * What every task shares: connect to the network chosen with `--network` (or, for the key-free
 * readers, any JSON-RPC URL), find the suite's deployment record, pick the signing account, and
 * report results as text or `--json`.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Network, type Provider } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import type { RefusalContext } from "../chain/error-messages.js";
import type { DecodedRevert } from "../chain/errors.js";
import { type RetryOptions, retryingReads, rpcCall, rpcProvider, withRetries } from "../transport/index.js";
import { signerFor } from "./accounts.js";
import { idArg } from "./args.js";
import { assertSuiteOnChain, connectSuite, defaultDeploymentFile, readDeployment, type Suite } from "../suite.js";

/** Options every task takes (declared once in tasks/index.ts). */
export interface CommonArgs {
  from: string;
  deployment: string;
  json: boolean;
}

export interface TaskContext {
  connection: NetworkConnection;
  chainId: bigint;
  suite: Suite;
  signer: HardhatEthersSigner;
  out: Output;
}

/**
 * `retry`: a long run (payout record, bank settle) retries each of the connection's reads on its own,
 * so that a flaky node that fails one request in several still lets the ten or so through.
 */
export async function openContext(
  args: CommonArgs,
  hre: HardhatRuntimeEnvironment,
  retry?: RetryOptions,
): Promise<TaskContext> {
  const retried = <T>(what: string, fn: () => Promise<T>) => (retry ? withRetries(what, fn, retry) : fn());
  const connection = await retried("connecting to the network", () => hre.network.getOrCreate());
  const reads = retry ? retryingReads(connection.ethers.provider, retry) : connection.ethers.provider;
  const { chainId } = await reads.getNetwork();
  const file = args.deployment || defaultDeploymentFile(chainId);
  const signer = await retried("reading the network's accounts", () => signerFor(connection, args.from));
  const addresses = await readDeployment(file);
  await assertSuiteOnChain(reads, addresses, { chainId, file });
  const suite = connectSuite(addresses, signer);
  return { connection, chainId, suite, signer, out: new Output(args.json) };
}

/** The options of a task that acts on one roster and may be tried first (--roster, --dry-run). */
export interface RosterTaskArgs extends CommonArgs {
  roster: string;
  dryRun: boolean;
}

/** openContext for a task about one roster: its --roster is read first, so a bad id is said before connecting. */
export async function openRosterContext(
  args: CommonArgs & { roster: string },
  hre: HardhatRuntimeEnvironment,
): Promise<TaskContext & { rosterId: bigint }> {
  const rosterId = idArg("roster", args.roster);
  return { rosterId, ...(await openContext(args, hre)) };
}

/** A key-free connection: what auditors and residents read the chain through. */
export interface ReadContext {
  provider: Provider & { send(method: string, params: unknown[]): Promise<unknown> };
  chainId: bigint;
  /** Closes a connection this opened (a no-op for Hardhat's own). */
  close(): void;
}

/**
 * Opens a key-free connection: to `rpcUrl` if given (any JSON-RPC node; no Hardhat network needed),
 * else to Hardhat's `--network`. Never asks for a signing account: readers hold no key.
 */
export async function openReader(rpcUrl: string | undefined, hre: HardhatRuntimeEnvironment): Promise<ReadContext> {
  if (!rpcUrl) {
    const provider = (await hre.network.getOrCreate()).ethers.provider;
    const { chainId } = await provider.getNetwork();
    return { provider, chainId, close: () => undefined };
  }
  // The chain id is asked once, with a time limit, so that a wrong URL fails with a message instead
  // of ethers' endless "failed to detect network" retries.
  let answer: string | undefined;
  try {
    answer = await rpcCall<string | undefined>(rpcUrl, "eth_chainId", [], 15_000);
  } catch (error) {
    throw new Error(`cannot read the node at ${rpcUrl}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof answer !== "string") throw new Error(`the node at ${rpcUrl} did not answer eth_chainId`);
  const network = Network.from(BigInt(answer));
  // Calls made together go in one request (batchStallTime 0: without waiting for more).
  const provider = rpcProvider(rpcUrl, network, { staticNetwork: network, batchMaxCount: 20, batchStallTime: 0 });
  return { provider, chainId: network.chainId, close: () => provider.destroy() };
}

/** Text for people, or one JSON document for machines (bigints as decimal strings). */
export class Output {
  constructor(readonly json: boolean) {}

  /** A line of narration (suppressed under --json). */
  say(text: string): void {
    if (!this.json) console.log(text);
  }

  /** The task's result: printed as JSON under --json, else as `text`. */
  result(value: unknown, text?: string): void {
    if (this.json) console.log(toJson(value));
    else if (text !== undefined) console.log(text);
  }
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/**
 * Runs a task body: a thrown error becomes one clear line on stderr and a non-zero exit code
 * (instead of a stack trace), so that scripts and clerks both see what went wrong. Under --json the
 * failure is also printed on stdout as JSON, `{ "ok": false, "error": { "message", "contractError"? } }`,
 * so that a script reads one JSON document whatever happened.
 */
export async function runTask<A>(
  args: A,
  hre: HardhatRuntimeEnvironment,
  body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>,
): Promise<void> {
  try {
    await body(args, hre);
  } catch (error) {
    const { decodeRevert, describeError } = await import("../chain/errors.js");
    const contractError = decodeRevert(error);
    const message = describeError(error, await refusalContext(args, hre, contractError));
    console.error(`Error: ${message}`);
    if ((args as { json?: boolean }).json) {
      console.log(toJson({ ok: false, error: { message, ...(contractError ? { contractError } : {}) } }));
    }
    process.exitCode = 1;
  }
}

/**
 * What a refusal's message may name beyond the error's own arguments: the command's --roster and
 * --programme (when they are ids: `roster submit --roster` is a file), and the office each account
 * named in the error holds, read from the Directory of the deployment the task used.
 */
async function refusalContext(
  args: unknown,
  hre: HardhatRuntimeEnvironment,
  decoded: DecodedRevert | undefined,
): Promise<RefusalContext> {
  const given = args as { roster?: unknown; programme?: unknown; deployment?: unknown };
  const id = (value: unknown) => (typeof value === "string" && /^\d+$/.test(value.trim()) ? value.trim() : undefined);
  const context = { roster: id(given.roster), programme: id(given.programme) };
  if (!decoded || !Object.values(decoded.args).some((v) => /^0x[0-9a-fA-F]{40}$/.test(v))) return context;
  try {
    const { officesNamedIn } = await import("../chain/errors.js");
    const provider = (await hre.network.getOrCreate()).ethers.provider;
    const { chainId } = await provider.getNetwork();
    const file = (typeof given.deployment === "string" && given.deployment) || defaultDeploymentFile(chainId);
    const suite = connectSuite(await readDeployment(file), provider);
    return { ...context, offices: await officesNamedIn(decoded, suite.directory) };
  } catch {
    return context; // the offices are a courtesy: the refusal is said without them
  }
}
