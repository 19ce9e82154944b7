/**
 * Roster helpers for tests: build synthetic lines, submit them, and take a roster through sign-off
 * and publicity.
 */
import { readFile } from "node:fs/promises";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id } from "ethers";

import { lineChunks } from "../../../src/chain/listing.js";
import { rosterStateName } from "../../../src/chain/states.js";
import { buildLineTree, type LineTree, listingRecords, type RosterLine } from "../../../src/lines.js";
import { bundleFromJson } from "../../../src/outputs/bundle.js";
import { type Actors, networkHelpers, PUBLICITY, type Suite } from "./fixture.js";

/** Lines for households `firstHousehold…` with a deterministic amount pattern under the cap. */
export function makeLines(
  count: number,
  firstHousehold = 1,
  amount = (i: number) => 50_000n + BigInt(i % 7) * 1_000n,
): RosterLine[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i,
    household: BigInt(firstHousehold + i),
    amount: amount(i),
  }));
}

export function totalOf(lines: readonly RosterLine[]): bigint {
  return lines.reduce((sum, l) => sum + l.amount, 0n);
}

export interface SubmittedRoster {
  rosterId: bigint;
  lines: RosterLine[];
  tree: LineTree;
  total: bigint;
}

/**
 * Submits a roster (its declared root, line count and total; the total is reserved) without listing
 * its lines: it awaits them. `declared` overrides what is declared, to declare what the lines are not.
 */
export async function declare(
  suite: Suite,
  bureau: HardhatEthersSigner,
  programmeId: bigint,
  region: bigint,
  lines: RosterLine[],
  declared: Partial<{ root: string; lineCount: number; total: bigint }> = {},
): Promise<SubmittedRoster> {
  const tree = buildLineTree(lines);
  const total = declared.total ?? totalOf(lines);
  const rosterId = (await suite.rosterBook.rosterCount()) + 1n;
  await suite.rosterBook.connect(bureau).submitRoster({
    programmeId,
    region,
    root: declared.root ?? tree.root,
    lineCount: declared.lineCount ?? lines.length,
    total,
    documentHash: id(`published list ${rosterId}`),
    documentURI: `https://notice.example/roster-${rosterId}.csv`,
  });
  return { rosterId, lines, tree, total };
}

/** Submits a roster and lists every line: it is sealed and awaits sign-off. */
export async function submit(
  suite: Suite,
  bureau: HardhatEthersSigner,
  programmeId: bigint,
  region: bigint,
  lines: RosterLine[],
): Promise<SubmittedRoster> {
  const roster = await declare(suite, bureau, programmeId, region, lines);
  await listAll(suite, bureau, roster.rosterId, roster.tree);
  return roster;
}

/** Lists every line of `tree` on chain (RosterLines), in transactions of `perTx` lines; the last seals the roster. */
export async function listAll(
  suite: Suite,
  bureau: HardhatEthersSigner,
  rosterId: bigint,
  tree: LineTree,
  perTx?: number,
): Promise<void> {
  for (const c of lineChunks(tree, perTx))
    await suite.rosterLines.connect(bureau).submitLines(rosterId, c.first, c.lines, c.frontier);
}

/**
 * `RosterLines.submitLines` for these lines: they start at the first one's index (the lines after it
 * take the next indices, whatever their own `index` says), as 16-byte records.
 */
export function sendLines(
  suite: Suite,
  bureau: HardhatEthersSigner,
  rosterId: bigint,
  lines: readonly RosterLine[],
  frontier: readonly string[] = [],
) {
  return suite.rosterLines
    .connect(bureau)
    .submitLines(rosterId, lines[0]?.index ?? 0, listingRecords(lines), [...frontier]);
}

/**
 * Lines as `submitLines` records (16 bytes a line: household, then amount, big-endian uint64s), with
 * none of `listingRecords`' checks: a household 0 or an amount 0 is encoded as it is, for the tests
 * of the contract's own refusals. Each field must still fit 64 bits.
 */
export function rawRecords(lines: ReadonlyArray<Pick<RosterLine, "household" | "amount">>): string {
  const bytes = Buffer.alloc(16 * lines.length);
  lines.forEach((line, k) => {
    bytes.writeBigUInt64BE(line.household, 16 * k);
    bytes.writeBigUInt64BE(line.amount, 16 * k + 8);
  });
  return `0x${bytes.toString("hex")}`;
}

/**
 * The roster `roster submit` put on chain from a bundle file (`roster-bundle.json`), found by its
 * root; throws unless the task listed every line, so that the roster is sealed and awaits sign-off.
 */
export async function sealedFromBundle(suite: Suite, bundleFile: string): Promise<bigint> {
  const bundle = bundleFromJson(await readFile(bundleFile, "utf8"));
  const rosterId = await suite.rosterBook.rosterOfRoot(bundle.programmeId, bundle.root);
  if (rosterId === 0n) throw new Error(`no roster of programme ${bundle.programmeId} has the root of ${bundleFile}`);
  const state = rosterStateName(await suite.rosterBook.rosterState(rosterId));
  if (state !== "AwaitingSignOff")
    throw new Error(`roster ${rosterId} of ${bundleFile} is ${state}, not sealed and awaiting sign-off`);
  return rosterId;
}

export async function approveAll(suite: Suite, a: Actors, rosterId: bigint): Promise<void> {
  for (const dept of [a.deptCivil, a.deptRural, a.deptFinance]) {
    await suite.rosterBook.connect(dept).approveRoster(rosterId);
  }
}

/** Submits, approves by every department, and waits out the publicity period. */
export async function payableRoster(
  suite: Suite,
  a: Actors,
  programmeId: bigint,
  region: bigint,
  lines: RosterLine[],
  bureau?: HardhatEthersSigner,
): Promise<SubmittedRoster> {
  const roster = await submit(suite, bureau ?? a.townshipBureau, programmeId, region, lines);
  await approveAll(suite, a, roster.rosterId);
  await networkHelpers.time.increase(PUBLICITY);
  return roster;
}
