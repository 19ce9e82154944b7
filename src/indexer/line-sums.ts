/**
 * The payout lines, confirmations and returns of each roster, summed per Beijing day — the sums the
 * reconciliation, the indexer's own check and the portal's progress charts are built from. The index
 * only ever appends, and a block's events are stored in the same transaction that moves the head past
 * it, so the sums are kept up to date by adding the rows of the blocks indexed since the last update:
 * a first update (or a new LineSums) reads every row, a later one only the new blocks' rows — the
 * portal's pages cost the same at 10^6 payouts as at 10^3 once the service is running.
 */
import { formatChinaDate } from "../resident/format.js";
import type { IndexDatabase } from "./database.js";

export interface LineCounts {
  lines: number;
  amount: bigint;
}

export interface DaySums {
  paid: LineCounts;
  confirmed: LineCounts;
  returned: LineCounts;
}

const zero = (): LineCounts => ({ lines: 0, amount: 0n });
export const zeroDay = (): DaySums => ({ paid: zero(), confirmed: zero(), returned: zero() });

export class LineSums {
  /** The last block whose rows are summed (-1: none yet). */
  private block = -1;
  private readonly days = new Map<bigint, Map<string, DaySums>>();
  private readonly totals = new Map<bigint, DaySums>();

  /** Adds the rows of the blocks indexed since the last update. Returns itself. */
  update(db: IndexDatabase): this {
    const head = db.head().block;
    if (head <= this.block) return this;
    const range = [this.block, head] as const;
    const dayOf = new Map<number, string>();
    for (const b of db.all("SELECT number, time FROM blocks WHERE number > ? AND number <= ?", ...range))
      dayOf.set(Number(b.number), formatChinaDate(Number(b.time)));
    const add = (rows: ReturnType<IndexDatabase["all"]>, bucket: keyof DaySums) => {
      for (const r of rows) {
        const roster = BigInt(r.roster_id as number | bigint);
        const day = dayOf.get(Number(r.block));
        if (day === undefined) throw new Error(`the index holds events of block ${r.block} but not its header`);
        let byDay = this.days.get(roster);
        if (!byDay) this.days.set(roster, (byDay = new Map()));
        let d = byDay.get(day);
        if (!d) byDay.set(day, (d = zeroDay()));
        let t = this.totals.get(roster);
        if (!t) this.totals.set(roster, (t = zeroDay()));
        const lines = Number(r.n);
        const amount = BigInt(r.amount as number | bigint);
        for (const s of [d, t]) {
          s[bucket].lines += lines;
          s[bucket].amount += amount;
        }
      }
    };
    // Each query walks the new blocks' rows by primary key (block, log_index), grouped per block.
    const perBlock = (table: string) =>
      db.all(
        `SELECT block, roster_id, COUNT(*) AS n, SUM(amount) AS amount FROM ${table}
         WHERE block > ? AND block <= ? GROUP BY block, roster_id`,
        ...range,
      );
    add(perBlock("payouts"), "paid");
    // The contract confirms a line once, and only a paid one: each confirmation meets one payout.
    add(
      db.all(
        `SELECT c.block, c.roster_id, COUNT(*) AS n, SUM(p.amount) AS amount
         FROM confirmations c JOIN payouts p ON p.roster_id = c.roster_id AND p.line_index = c.line_index
         WHERE c.block > ? AND c.block <= ? GROUP BY c.block, c.roster_id`,
        ...range,
      ),
      "confirmed",
    );
    add(perBlock("returns"), "returned");
    this.block = head;
    return this;
  }

  /** A roster's sums over all days. */
  roster(rosterId: bigint): DaySums {
    return this.totals.get(rosterId) ?? zeroDay();
  }

  /** The rosters that have any line paid, confirmed or returned. */
  rosters(): bigint[] {
    return [...this.totals.keys()];
  }

  /** A roster's sums per Beijing day, in no particular order. */
  rosterDays(rosterId: bigint): ReadonlyMap<string, DaySums> {
    return this.days.get(rosterId) ?? new Map();
  }
}
