/**
 * Preparing a roster for submission: the lines (in file order, numbered from 0) with their
 * households' registry ids, the Merkle bundle, the published list whose hash goes on chain, and
 * the household notices with query codes. Nothing in the preparation touches the chain except id
 * look-ups. Then the end of a roster: withdrawn while awaiting sign-off, or closed once payable;
 * either way its unpaid reservation goes back to the region.
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { id, ZeroHash } from "ethers";

import { decodeRevert } from "../chain/errors.js";
import { Bitmap, householdInBlock, readWords } from "../chain/words.js";
import { buildBundle, bundleToJson, noticesCsv, publishedListCsv, type RosterBundle } from "../outputs/index.js";
import { isWithinRegion } from "../roster/village.js";
import type { Suite } from "../suite.js";
import { householdIdsOf, type PreparedHousehold } from "./households.js";

export interface PreparedRoster {
  bundle: RosterBundle;
  publishedList: { bytes: Uint8Array; hash: string };
  notices: Uint8Array;
}

/** Roster lines whose households are not registered yet, by file line. */
export class UnregisteredHouseholdsError extends Error {
  constructor(readonly lines: number[]) {
    super(
      `${lines.length} household(s) of this roster are not registered (file lines ${lines.slice(0, 20).join(", ")}${lines.length > 20 ? ", …" : ""}). ` +
        "Fix: register them first with `households register --roster <file>` (civil affairs), then submit again. " +
        "If they were registered before, this BUREAU_SECRET differs from the one used then: `households register` will say so, and registers nobody twice.",
    );
  }
}

/** Roster lines whose households were registered in regions outside the roster's region. */
export class HouseholdsOutsideRegionError extends Error {
  constructor(
    readonly region: bigint,
    readonly outside: ReadonlyArray<{ line: number; region: bigint }>,
  ) {
    const shown = outside
      .slice(0, 10)
      .map((o) => `line ${o.line} in ${o.region}`)
      .join(", ");
    super(
      `${outside.length} household(s) of this roster were registered outside region ${region} (${shown}${outside.length > 10 ? ", …" : ""}): ` +
        `a roster pays only households of its region. Fix: submit the roster for a region that contains them (households are registered by township), ` +
        `or move those lines to a roster of their own region. Nothing was sent.`,
    );
  }
}

/**
 * What the chain checks of a submission that needs no household and no budget: the caller is the
 * region's bureau, the programme exists and its region holds this one, every review stage has its
 * office — asked as the contract asks them, by a static call of a stand-in submission (one line of
 * 0.01 yuan, a root and list hash no list has), so that a clerk hears the first of these before the
 * households are looked up. The budget is left to the real submission (a roster being resumed has
 * reserved its total already). Nothing is sent.
 */
export async function preflightSubmission(
  suite: Suite,
  s: { programmeId: bigint; region: bigint; documentURI: string },
): Promise<void> {
  const standIn = id("preflight: a stand-in root that no list has");
  try {
    await suite.rosterBook.submitRoster.staticCall({
      ...s,
      root: standIn,
      lineCount: 1,
      total: 1n,
      documentHash: standIn,
    });
  } catch (error) {
    if (decodeRevert(error)?.name !== "BudgetLedgerInsufficientAvailable") throw error;
  }
}

export async function prepareRoster(
  suite: Suite,
  input: { programmeId: bigint; region: bigint; documentURI: string; households: readonly PreparedHousehold[] },
): Promise<PreparedRoster> {
  const ids = await householdIdsOf(
    suite,
    input.households.map((h) => h.commitment),
  );
  const unregistered = input.households.filter((_, i) => ids[i] === 0n).map((h) => h.entry.line);
  if (unregistered.length > 0) throw new UnregisteredHouseholdsError(unregistered);
  const blocks = await readWords(
    suite,
    Bitmap.HouseholdBlocks,
    0n,
    ids.map((household) => household >> 8n),
  );
  const outside = input.households.flatMap((h, i) => {
    const { region } = householdInBlock(blocks.get(ids[i]! >> 8n) ?? 0n, ids[i]!);
    return isWithinRegion(region, input.region) ? [] : [{ line: h.entry.line, region }];
  });
  if (outside.length > 0) throw new HouseholdsOutsideRegionError(input.region, outside);

  const publishedList = publishedListCsv(
    input.households.map((h, index) => ({
      index,
      name: h.entry.name,
      village: h.entry.village,
      amount: h.entry.amount,
    })),
  );
  const bundle = buildBundle({
    programmeId: input.programmeId,
    region: input.region,
    documentHash: publishedList.hash,
    documentURI: input.documentURI,
    lines: input.households.map((h, index) => ({
      index,
      household: ids[index]!,
      commitment: h.commitment,
      amount: h.entry.amount,
    })),
  });
  const notices = noticesCsv(
    input.households.map((h, index) => ({
      index,
      name: h.entry.name,
      idNumber: h.entry.idNumber,
      village: h.entry.village,
      amount: h.entry.amount,
      queryCode: h.queryCode,
    })),
  );
  return { bundle, publishedList, notices };
}

export interface RosterFiles {
  bundle: string;
  publishedList: string;
  notices: string;
}

/** Where writeRosterFiles puts the bundle, the published list and the notices in `dir`. */
export function rosterFiles(dir: string): RosterFiles {
  return {
    bundle: path.join(dir, "roster-bundle.json"),
    publishedList: path.join(dir, "published-list.csv"),
    notices: path.join(dir, "household-notices.PRIVATE.csv"),
  };
}

/**
 * Writes the bundle (machines), the published list (the public notice) and the notices (private:
 * names and query codes, readable by the owner only, also when the file was there before).
 */
export async function writeRosterFiles(dir: string, prepared: PreparedRoster): Promise<RosterFiles> {
  await mkdir(dir, { recursive: true });
  const files = rosterFiles(dir);
  await writeFile(files.bundle, bundleToJson(prepared.bundle));
  await writeFile(files.publishedList, prepared.publishedList.bytes);
  await writeFile(files.notices, prepared.notices, { mode: 0o600 });
  await chmod(files.notices, 0o600);
  return files;
}

/**
 * Lines a roster still owes: approved, neither paid nor excluded nor frozen by an objection
 * (RosterBook counts them the same way when it decides whether closing drops any).
 */
export function owedLines(roster: {
  lineCount: bigint;
  paidLines: bigint;
  excludedLines: bigint;
  openObjections: bigint;
}): bigint {
  return roster.lineCount - roster.paidLines - roster.excludedLines - roster.openObjections;
}

/** A roster that ended: what went back to its region, and the transaction. */
export interface EndedRoster {
  released: bigint;
  region: bigint;
  txHash: string;
}

/** Withdraws a roster still awaiting sign-off; its reservation is released. */
export async function withdrawRoster(suite: Suite, rosterId: bigint, reasonHash: string): Promise<EndedRoster> {
  const before = await suite.rosterBook.roster(rosterId);
  const tx = await suite.rosterBook.withdrawRoster(rosterId, reasonHash);
  await tx.wait();
  const after = await suite.rosterBook.roster(rosterId);
  return { released: after.released - before.released, region: after.region, txHash: tx.hash };
}

/**
 * Closes a payable roster. One that still owes lines closes only with a reason (its hash goes on
 * chain) and a reviewing department's confirmation: the chain then only records the request, and
 * this returns what is still owed instead.
 */
export async function closeRoster(
  suite: Suite,
  rosterId: bigint,
  reasonHash: string | undefined,
): Promise<EndedRoster | { requested: true; owed: bigint; txHash: string }> {
  const before = await suite.rosterBook.roster(rosterId);
  // Closing a roster that still owes lines drops them: the chain wants a reason and a co-signature.
  const owed = owedLines(before);
  if (owed > 0n && before.openObjections === 0n && !reasonHash) {
    throw new Error(
      `roster ${rosterId} still owes ${owed} line(s) (approved, not paid, not held): closing would drop them. Give --reason "<why>" (its hash goes on chain); a reviewing department must then confirm with review confirm-close --roster ${rosterId}`,
    );
  }
  const tx = await suite.rosterBook.closeRoster(rosterId, reasonHash ?? ZeroHash);
  await tx.wait();
  const after = await suite.rosterBook.roster(rosterId);
  // A closing the chain accepted but did not end only requested it (lines are still owed).
  if (Number(after.ending) === 0) return { requested: true, owed: owedLines(after), txHash: tx.hash };
  return { released: after.released - before.released, region: after.region, txHash: tx.hash };
}
