/**
 * The payout lines, confirmations and returns of each roster, summed per Beijing day — the sums the
 * reconciliation, the indexer's own check and the portal's progress charts are built from.
 *
 * The indexer keeps them in the index itself (the line_sums table): `addLineSums` runs in the
 * transaction that stores a range, and adds that range's rows. A range stores every log of its
 * blocks at once, so the rows of a block are summed once, when its range is stored; the
 * `line_sums_block` marker (moved in the same transaction) makes a range read again — after the head
 * marker was reset, say — add nothing twice. So a command reads a few rows per roster, not the
 * million it sums, and a running service (`LineSums`) reads only the rows that changed since it last
 * looked: the pages cost the same at 10^6 payouts as at 10^3.
 */
import { CHINA_OFFSET_SECONDS } from "../resident/format.js";
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

/** A block's Beijing day as "2026-11-08", in SQL (resident/format.ts formatChinaDate, in JavaScript). */
const DAY = `date(b.time + ${CHINA_OFFSET_SECONDS}, 'unixepoch')`;

/** Per kind: the new rows of the range, grouped per roster and Beijing day. */
const NEW_ROWS: Record<keyof DaySums, string> = {
  paid: `SELECT p.roster_id, ${DAY} AS day, COUNT(*) AS n, SUM(p.amount) AS amount
         FROM payouts p JOIN blocks b ON b.number = p.block
         WHERE p.block > ? AND p.block <= ? GROUP BY p.roster_id, day`,
  // The contract confirms a line once, and only a paid one: each confirmation meets one payout.
  confirmed: `SELECT c.roster_id, ${DAY} AS day, COUNT(*) AS n, SUM(p.amount) AS amount
              FROM confirmations c JOIN payouts p ON p.roster_id = c.roster_id AND p.line_index = c.line_index
              JOIN blocks b ON b.number = c.block
              WHERE c.block > ? AND c.block <= ? GROUP BY c.roster_id, day`,
  returned: `SELECT r.roster_id, ${DAY} AS day, COUNT(*) AS n, SUM(r.amount) AS amount
             FROM returns r JOIN blocks b ON b.number = r.block
             WHERE r.block > ? AND r.block <= ? GROUP BY r.roster_id, day`,
};

/** The last block whose rows line_sums holds (-1: none). */
function summedTo(db: IndexDatabase): number {
  return Number(db.meta("line_sums_block") ?? "-1");
}

/**
 * Adds the payouts, confirmations and returns of the blocks up to `to` not yet summed; call inside the
 * transaction that stored them.
 */
export function addLineSums(db: IndexDatabase, to: number): void {
  const from = summedTo(db);
  if (to <= from) return;
  for (const [kind, select] of Object.entries(NEW_ROWS)) {
    // "WHERE true": SQLite would otherwise read the ON of ON CONFLICT as a join constraint.
    db.run(
      `INSERT INTO line_sums (roster_id, day, kind, lines, amount, updated_block)
       SELECT s.roster_id, s.day, ?, s.n, s.amount, ? FROM (${select}) s WHERE true
       ON CONFLICT (roster_id, day, kind) DO UPDATE SET lines = lines + excluded.lines,
         amount = amount + excluded.amount, updated_block = excluded.updated_block`,
      kind,
      to,
      from,
      to,
    );
  }
  db.setMeta("line_sums_block", String(to));
}

/** What the reconciliation and the indexer's own check need of the sums: each roster's totals. */
export interface RosterTotals {
  /** A roster's sums over all days. */
  roster(rosterId: bigint): DaySums;
  /** The rosters that have any line paid, confirmed or returned. */
  rosters(): bigint[];
}

/**
 * Each roster's totals summed afresh from the rows (the payouts through their covering index, each
 * confirmation joined to its payout): what a command that checks the index counts, rather than trust
 * the kept sums, which it then compares with these (integrityFindings).
 */
export function rowTotals(db: IndexDatabase): RosterTotals {
  const totals = new Map<bigint, DaySums>();
  const add = (kind: keyof DaySums, sql: string) => {
    for (const r of db.all(sql)) {
      const roster = BigInt(r.roster_id as number | bigint);
      let t = totals.get(roster);
      if (!t) totals.set(roster, (t = zeroDay()));
      t[kind] = { lines: Number(r.n), amount: BigInt(r.amount as number | bigint) };
    }
  };
  add("paid", "SELECT roster_id, COUNT(*) AS n, SUM(amount) AS amount FROM payouts GROUP BY roster_id");
  add(
    "confirmed",
    `SELECT c.roster_id, COUNT(*) AS n, SUM(p.amount) AS amount FROM confirmations c
     JOIN payouts p ON p.roster_id = c.roster_id AND p.line_index = c.line_index GROUP BY c.roster_id`,
  );
  add("returned", "SELECT roster_id, COUNT(*) AS n, SUM(amount) AS amount FROM returns GROUP BY roster_id");
  return { roster: (id) => totals.get(id) ?? zeroDay(), rosters: () => [...totals.keys()] };
}

/**
 * The sums as a long-running reader holds them (the portal, between pages): `update` reads only the
 * rows that changed since its last look.
 */
export class LineSums implements RosterTotals {
  /** The last block whose rows are summed here (-1: none yet). */
  private block = -1;
  private readonly days = new Map<bigint, Map<string, DaySums>>();
  private readonly totals = new Map<bigint, DaySums>();

  /** Reads the sums that changed since the last update. Returns itself. */
  update(db: IndexDatabase): this {
    const to = summedTo(db);
    if (to <= this.block) return this;
    for (const r of db.all(
      "SELECT roster_id, day, kind, lines, amount FROM line_sums WHERE updated_block > ?",
      this.block,
    )) {
      const roster = BigInt(r.roster_id as number | bigint);
      const kind = r.kind as keyof DaySums;
      let byDay = this.days.get(roster);
      if (!byDay) this.days.set(roster, (byDay = new Map()));
      let d = byDay.get(r.day as string);
      if (!d) byDay.set(r.day as string, (d = zeroDay()));
      let t = this.totals.get(roster);
      if (!t) this.totals.set(roster, (t = zeroDay()));
      const now = { lines: Number(r.lines), amount: BigInt(r.amount as number | bigint) };
      t[kind] = {
        lines: t[kind].lines + now.lines - d[kind].lines,
        amount: t[kind].amount + now.amount - d[kind].amount,
      };
      d[kind] = now;
    }
    this.block = to;
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
