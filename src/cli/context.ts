/**
 * What every task shares: connect to the network chosen with `--network`, find the suite's
 * deployment record, pick the signing account, and report results as text or `--json`.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { signerFor } from "../chain/signers.js";
import { connectSuite, defaultDeploymentFile, readDeployment, type Suite } from "../suite.js";

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

export async function openContext(args: CommonArgs, hre: HardhatRuntimeEnvironment): Promise<TaskContext> {
  const connection = await hre.network.getOrCreate();
  const { chainId } = await connection.ethers.provider.getNetwork();
  const file = args.deployment || defaultDeploymentFile(chainId);
  const signer = await signerFor(connection, args.from);
  const suite = connectSuite(await readDeployment(file), signer);
  return { connection, chainId, suite, signer, out: new Output(args.json) };
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
 * (instead of a stack trace), so that scripts and clerks both see what went wrong.
 */
export async function runTask<A>(args: A, hre: HardhatRuntimeEnvironment, body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>): Promise<void> {
  try {
    await body(args, hre);
  } catch (error) {
    const { describeError } = await import("../chain/errors.js");
    console.error(`Error: ${describeError(error)}`);
    process.exitCode = 1;
  }
}
