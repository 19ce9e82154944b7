/**
 * Roster helpers for tests: build synthetic lines, submit them, and take a roster through sign-off
 * and publicity.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id } from "ethers";

import { buildLineTree, type LineTree, type RosterLine } from "../../../src/lines.js";
import { type Actors, networkHelpers, PUBLICITY, type Suite } from "./fixture.js";

/** Lines for households `firstHousehold…` with a deterministic amount pattern under the cap. */
export function makeLines(
  count: number,
  firstHousehold = 1,
  amount = (i: number) => 50_000n + BigInt(i % 7) * 1_000n,
): RosterLine[] {
  return Array.from({ length: count }, (_, i) => ({ index: i, household: BigInt(firstHousehold + i), amount: amount(i) }));
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

export async function submit(
  suite: Suite,
  bureau: HardhatEthersSigner,
  programmeId: bigint,
  region: bigint,
  lines: RosterLine[],
  total = totalOf(lines),
): Promise<SubmittedRoster> {
  const tree = buildLineTree(lines);
  const rosterId = (await suite.rosterBook.rosterCount()) + 1n;
  await suite.rosterBook.connect(bureau).submitRoster({
    programmeId,
    region,
    root: tree.root,
    lineCount: lines.length,
    total,
    documentHash: id(`published list ${rosterId}`),
    documentURI: `https://notice.example/roster-${rosterId}.csv`,
  });
  return { rosterId, lines, tree, total };
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
