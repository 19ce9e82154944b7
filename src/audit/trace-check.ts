/**
 * Checking a trace against the chain: what `audit trace` prints comes from the index, so before it
 * is believed each of its transactions is looked up on the node (there, in the block the index
 * says, and successful), and the states it implies — each roster's state, each line's status and
 * hold, the household's registration status — are read from the contracts at the index's own block
 * and compared. Offline, the trace says it was not checked, and why.
 */
import type { Provider } from "ethers";

import { ENUM_NAMES } from "../chain/states.js";
import { lineHoldsOf, lineStatusesOf } from "../chain/lineStatus.js";
import { mapLimit } from "../async.js";
import type { IndexDatabase, Row } from "../indexer/index.js";
import { seqText } from "../lines.js";
import type { Suite } from "../suite.js";
import { lineStatusSql } from "./line-status.js";
import { big, num, str } from "./rows.js";
import type { Trace, TraceSubject } from "./trace.js";

export interface TraceCheck {
  /** False when the chain could not be read; `why` says so. */
  checked: boolean;
  why?: string;
  /** The block the chain was read at (the index's head). */
  block: number;
  transactions: number;
  rosters: number;
  lines: number;
  /** One line per thing the chain says otherwise. */
  disagreements: string[];
}

/** The lines the subject touches, with the index's view of each (line-status.ts). */
function indexedLines(db: IndexDatabase, subject: TraceSubject, household: bigint | undefined) {
  const now = db.head().time ?? 0;
  const [where, key] =
    "roster" in subject
      ? ["l.roster_id = :key", subject.roster]
      : "programme" in subject
        ? ["r.programme_id = :key", subject.programme]
        : ["l.household = :key", household!];
  return db.db.prepare(lineStatusSql(where)).all({ key, now }) as Row[];
}

export async function checkTrace(
  db: IndexDatabase,
  chain: { suite: Suite; provider: Provider } | undefined,
  subject: TraceSubject,
  t: Trace,
  offline = "no node was reached",
): Promise<TraceCheck> {
  const result: TraceCheck = {
    checked: false,
    block: t.block,
    transactions: 0,
    rosters: 0,
    lines: 0,
    disagreements: [],
  };
  if (!chain) return { ...result, why: offline };
  const { suite, provider } = chain;
  const blockTag = t.block;
  const say = (text: string) => result.disagreements.push(text);

  const txs = [...new Map(t.entries.map((e) => [e.tx, e.block])).entries()];
  await mapLimit(txs, 8, async ([hash, block]) => {
    const receipt = await provider.getTransactionReceipt(hash);
    if (!receipt) say(`transaction ${hash} (block ${block} in the index) is not on the chain`);
    else if (receipt.blockNumber !== block) say(`transaction ${hash} is in block ${receipt.blockNumber}, not ${block}`);
    else if (receipt.status !== 1) say(`transaction ${hash} failed on the chain`);
  });
  result.transactions = txs.length;

  let household: bigint | undefined;
  if ("household" in subject) household = subject.household;
  if ("commitment" in subject)
    household = big(
      db.get("SELECT household FROM households WHERE commitment = ?", subject.commitment.toLowerCase())!,
      "household",
    );
  if (household !== undefined) {
    const last = db.get(
      "SELECT suspended FROM suspensions WHERE household = ? ORDER BY block DESC, log_index DESC LIMIT 1",
      household,
    );
    const expected = last && num(last, "suspended") ? "Suspended" : "Active";
    const actual = ENUM_NAMES.HouseholdStatus[Number(await suite.households.statusOf(household, { blockTag }))];
    if (actual !== expected) say(`household ${household} is ${actual} on the chain, ${expected} in the index`);
  }

  const byRoster = new Map<bigint, { state: string; lines: Array<{ index: number; status: string; hold: string }> }>();
  for (const row of indexedLines(db, subject, household)) {
    const id = big(row, "roster_id");
    const entry = byRoster.get(id) ?? { state: str(row, "roster_state"), lines: [] };
    entry.lines.push({ index: num(row, "line_index"), status: str(row, "status"), hold: str(row, "hold") });
    byRoster.set(id, entry);
  }
  for (const [rosterId, { state, lines }] of byRoster) {
    const onChain = ENUM_NAMES.RosterState[Number(await suite.rosterBook.rosterState(rosterId, { blockTag }))];
    if (onChain !== state) say(`roster ${rosterId} is ${onChain} on the chain, ${state} in the index`);
    const indices = lines.map((l) => l.index);
    const [statuses, holds] = await Promise.all([
      lineStatusesOf(suite, rosterId, indices, blockTag),
      lineHoldsOf(suite, rosterId, indices, blockTag),
    ]);
    for (const l of lines) {
      const status = statuses.get(l.index);
      const hold = holds.get(l.index);
      if (status !== l.status || hold !== l.hold)
        say(
          `roster ${rosterId} ${seqText(l.index)} is ${status}/${hold} on the chain, ${l.status}/${l.hold} in the index`,
        );
    }
    result.lines += lines.length;
  }
  result.rosters = byRoster.size;
  return { ...result, checked: true };
}

/** One line for people: what was checked and whether the chain agrees. */
export function describeCheck(c: TraceCheck): string {
  if (!c.checked) return `NOT checked against the chain: ${c.why}. What is above is the index's account only.`;
  const what = `${c.transactions} transaction(s), ${c.rosters} roster state(s) and ${c.lines} line(s)`;
  if (c.disagreements.length === 0) return `checked against the chain at block ${c.block}: ${what} agree`;
  return [
    `the chain DISAGREES with the index at block ${c.block} (${what} checked):`,
    ...c.disagreements.map((d) => `  - ${d}`),
  ].join("\n");
}
