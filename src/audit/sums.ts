/**
 * The sums the reconciliation is built from, per programme and region, each taken by SQLite from
 * the index in one aggregate (10^6 payouts are never loaded): from the BudgetLedger's events, the
 * moves in and out of each node; from the RosterBook's and Disbursement's events, what the rosters
 * reserve and the payouts paid, returned, reversed and the bank confirmed, with the rosters whose
 * own events contradict each other.
 */
import type { IndexDatabase, RosterTotals } from "../indexer/index.js";
import { formatFen } from "../money.js";
import { big, str } from "./rows.js";

export interface RosterProblem {
  rosterId: bigint;
  problem: string;
}

export interface LedgerSums {
  funded: bigint;
  allocatedOut: bigint;
  allocatedIn: bigint;
  reclaimedFromChildren: bigint;
  reclaimedByParent: bigint;
  reserved: bigint;
  released: bigint;
  paid: bigint;
  returned: bigint;
  reversed: bigint;
}

export interface RosterSums {
  reserved: bigint;
  linesPaid: bigint;
  returned: bigint;
  reversed: bigint;
  confirmed: bigint;
}

export const zeroLedger = (): LedgerSums => ({
  funded: 0n,
  allocatedOut: 0n,
  allocatedIn: 0n,
  reclaimedFromChildren: 0n,
  reclaimedByParent: 0n,
  reserved: 0n,
  released: 0n,
  paid: 0n,
  returned: 0n,
  reversed: 0n,
});
export const zeroRoster = (): RosterSums => ({
  reserved: 0n,
  linesPaid: 0n,
  returned: 0n,
  reversed: 0n,
  confirmed: 0n,
});

/** The key of a programme's region in the maps below. */
export const nodeKey = (programmeId: bigint, region: bigint) => `${programmeId}/${region}`;

/** The bucket of its region's LedgerSums each kind of ledger move adds its amount to. */
const LEDGER_BUCKETS = new Map<string, keyof LedgerSums>([
  ["funded", "funded"],
  ["allocated", "allocatedOut"],
  ["reclaimed", "reclaimedFromChildren"],
  ["reserved", "reserved"],
  ["released", "released"],
  ["paid", "paid"],
  ["refunded_returned", "returned"],
  ["refunded_reversed", "reversed"],
]);

/** Ledger-event sums per programme and region. */
export function ledgerSums(db: IndexDatabase, filter: string, params: bigint[]): Map<string, LedgerSums> {
  const sums = new Map<string, LedgerSums>();
  const at = (p: bigint, r: bigint) => {
    let s = sums.get(nodeKey(p, r));
    if (!s) sums.set(nodeKey(p, r), (s = zeroLedger()));
    return s;
  };
  for (const row of db.all(
    `SELECT programme_id, kind, region, SUM(amount) AS amount FROM ledger_moves ${filter} GROUP BY programme_id, kind, region`,
    ...params,
  )) {
    const s = at(big(row, "programme_id"), big(row, "region"));
    const amount = big(row, "amount");
    const bucket = LEDGER_BUCKETS.get(str(row, "kind"));
    if (bucket) s[bucket] += amount;
  }
  const sideFilter = filter ? `${filter} AND other_region IS NOT NULL` : "WHERE other_region IS NOT NULL";
  for (const row of db.all(
    `SELECT programme_id, kind, other_region, SUM(amount) AS amount FROM ledger_moves ${sideFilter} GROUP BY programme_id, kind, other_region`,
    ...params,
  )) {
    const s = at(big(row, "programme_id"), big(row, "other_region"));
    if (str(row, "kind") === "allocated") s.allocatedIn += big(row, "amount");
    else if (str(row, "kind") === "reclaimed") s.reclaimedByParent += big(row, "amount");
  }
  return sums;
}

/** Roster- and payout-event sums per programme and region, and the rosters that contradict themselves. */
export function rosterSums(
  db: IndexDatabase,
  filter: string,
  params: bigint[],
  problems: RosterProblem[],
  lineSums: RosterTotals,
): Map<string, RosterSums> {
  // Per roster first (one aggregate per table, joined by roster id). The payout lines and the bank's
  // confirmations, 10^6 each, come from the rosters' totals (src/indexer/line-sums.ts); a confirmed line
  // whose reversal was approved no longer counts as confirmed (those are few: each is a decision).
  const rows = db.all(
    `WITH paid AS (SELECT roster_id, SUM(amount) AS amount FROM roster_paid GROUP BY roster_id),
          excluded AS (SELECT roster_id, SUM(amount) AS amount FROM resolutions WHERE upheld = 1 GROUP BY roster_id),
          ended AS (SELECT roster_id, MIN(kind) AS kind, SUM(released) AS released FROM roster_endings WHERE kind IN ('withdrawn', 'rejected', 'closed') GROUP BY roster_id),
          approved_reversals AS (
            SELECT DISTINCT v.roster_id, v.line_index FROM reversals v
            WHERE EXISTS (SELECT 1 FROM reversal_decisions d WHERE d.reversal_id = v.reversal_id AND d.approved = 1)),
          unconfirmed AS (
            SELECT a.roster_id, SUM(p.amount) AS amount FROM approved_reversals a
              JOIN confirmations c USING (roster_id, line_index) JOIN payouts p USING (roster_id, line_index)
            GROUP BY a.roster_id),
          reversed AS (SELECT roster_id, SUM(amount) AS amount FROM recoveries GROUP BY roster_id),
          returned AS (SELECT roster_id, SUM(amount) AS amount FROM returns GROUP BY roster_id)
     SELECT r.roster_id, r.programme_id, r.region, r.total,
            COALESCE(paid.amount, 0) AS paid, COALESCE(excluded.amount, 0) AS excluded,
            ended.kind AS ending, COALESCE(ended.released, 0) AS released,
            COALESCE(reversed.amount, 0) AS reversed, COALESCE(returned.amount, 0) AS returned,
            COALESCE(unconfirmed.amount, 0) AS unconfirmed
     FROM rosters r
       LEFT JOIN paid USING (roster_id) LEFT JOIN excluded USING (roster_id) LEFT JOIN ended USING (roster_id)
       LEFT JOIN reversed USING (roster_id) LEFT JOIN returned USING (roster_id) LEFT JOIN unconfirmed USING (roster_id)
     ${filter.replace("programme_id", "r.programme_id")}
     ORDER BY r.roster_id`,
    ...params,
  );
  const sums = new Map<string, RosterSums>();
  for (const row of rows) {
    const rosterId = big(row, "roster_id");
    const total = big(row, "total");
    const paid = big(row, "paid");
    const excluded = big(row, "excluded");
    const ending = row.ending === null ? null : str(row, "ending");
    const remaining = total - paid - excluded;
    const problem = (text: string) => problems.push({ rosterId, problem: text });
    if (remaining < 0n)
      problem(
        `paid ${formatFen(paid)} and excluded ${formatFen(excluded)} add up to more than its total ${formatFen(total)}`,
      );
    if (ending === "closed" && big(row, "released") !== remaining) {
      problem(`released ${formatFen(big(row, "released"))} when closed, but ${formatFen(remaining)} remained reserved`);
    }
    if ((ending === "withdrawn" || ending === "rejected") && (paid !== 0n || excluded !== 0n))
      problem(`was ${ending} after paying or excluding lines`);
    // Lines against RosterPaid is the indexer's own check (integrityFindings, with its transaction), not repeated here.
    const k = nodeKey(big(row, "programme_id"), big(row, "region"));
    let s = sums.get(k);
    if (!s) sums.set(k, (s = zeroRoster()));
    // An ended roster reserves nothing: what remained was released when it ended.
    s.reserved += ending === null ? remaining : 0n;
    const lines = lineSums.roster(rosterId);
    s.linesPaid += lines.paid.amount;
    s.returned += big(row, "returned");
    s.reversed += big(row, "reversed");
    s.confirmed += lines.confirmed.amount - big(row, "unconfirmed");
  }
  return sums;
}
