/**
 * Running the command-line tasks in-process against the test chain, the way a user runs them:
 * same task code, a deployment record file, captured output and exit code.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import hre from "hardhat";

import { deploymentRecord } from "../../../src/suite.js";
import { ethers, type Suite } from "./fixture.js";

export interface TaskRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Writes the suite's deployment record to a fresh temporary folder; returns the file. */
export async function deploymentFile(suite: Suite): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "fund-cli-"));
  const file = path.join(dir, "deployed_addresses.json");
  await writeFile(file, JSON.stringify(deploymentRecord(suite.addresses), null, 2));
  return file;
}

/** The `--from` value (account index) of a test signer. */
export async function fromOf(signer: { address: string }): Promise<string> {
  const signers = await ethers.getSigners();
  const index = signers.findIndex((s) => s.address === signer.address);
  if (index < 0) throw new Error(`${signer.address} is not a test account`);
  return String(index);
}

/** A fresh temporary folder for a task's input or output files. */
export async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "fund-cli-"));
}

/** Runs task `id` with `args` (camelCase option names), capturing what it prints and its exit code. */
export async function runCli(id: string[], args: Record<string, unknown>): Promise<TaskRun> {
  const log = console.log;
  const error = console.error;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  console.log = (...parts: unknown[]) => void stdout.push(parts.map(String).join(" "));
  console.error = (...parts: unknown[]) => void stderr.push(parts.map(String).join(" "));
  try {
    await hre.tasks.getTask(id).run(args);
  } finally {
    console.log = log;
    console.error = error;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = previousExitCode;
  return { exitCode, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

/** Parses the JSON a task printed under --json. */
export function jsonOf<T = Record<string, unknown>>(run: TaskRun): T {
  if (run.exitCode !== 0) throw new Error(`task failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
