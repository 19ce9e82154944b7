/**
 * What the portal shows, read from the index: programmes with their terms and totals, the budget
 * tree per region with its conservation identity, a roster's whole timeline and its lines, the
 * warnings, and a household's lines by commitment. Every figure is true at the index's head block
 * (the envelope in server.ts says which), and every step names the transaction (and log) that proves
 * it. Amounts go out as `{ fen, yuan }`: integer fen for machines, formatted yuan for people.
 */
import { type DaySums, type IndexDatabase, LineSums, type Row, zeroDay } from "../indexer/index.js";
import { findAnomalies } from "../audit/anomalies/index.js";
import type { Finding } from "../audit/anomalies/findings.js";
import { reconcileFromEvents } from "../audit/reconcile.js";
import type { NodeBalance, ProgrammeReconciliation } from "../audit/reconcile.js";
import { lineStatusSql, rosterStateSql } from "../audit/line-status.js";
import { big, isoTime, num, str } from "../audit/rows.js";
import { trace } from "../audit/trace.js";
import { formatFen } from "../money.js";
import { type NameBook, nameIn } from "../names.js";
import { describeStages, LEVELS, type ReviewStages, unpackStages } from "../offices.js";
import { isWithinRegion } from "../roster/village.js";

export interface Money {
  fen: string;
  yuan: string;
}
export const money = (fen: bigint): Money => ({ fen: fen.toString(), yuan: formatFen(fen) });

/** A 404 the server turns into a clear message. */
export class NotFound extends Error {}

const names = (book: NameBook, kind: keyof NameBook, key: bigint | number | string) => ({
  zh: nameIn(book[kind], String(key), "zh") ?? null,
  en: nameIn(book[kind], String(key), "en") ?? null,
});

/**
 * Results that only change when the index moves on: computed once per head block, from the running
 * sums of lines (which add only the blocks indexed since they were last brought up to date).
 */
export class HeadCache {
  private block = -2;
  private values = new Map<string, unknown>();
  readonly lines = new LineSums();

  constructor(private readonly db: IndexDatabase) {}

  get<T>(key: string, compute: () => T): T {
    const head = this.db.head().block;
    if (head !== this.block) {
      this.values.clear();
      this.block = head;
      this.lines.update(this.db);
    }
    if (!this.values.has(key)) this.values.set(key, compute());
    return this.values.get(key) as T;
  }
}

function node(n: NodeBalance) {
  return {
    region: n.region.toString(),
    parent: n.parent.toString(),
    depth: n.depth,
    received: money(n.received),
    passedDown: money(n.passedDown),
    reserved: money(n.reserved),
    paid: money(n.paid),
    confirmed: money(n.confirmed),
    returned: money(n.returned),
    reversed: money(n.reversed),
    available: money(n.available),
    // received = passed down + reserved for rosters + available, at every node (spec §2.3).
    balanced: n.problems.length === 0,
    problems: n.problems,
  };
}

/** The review stages: each department by name and the level of its office, and whether in order. */
function stagesOut(book: NameBook, stages: ReviewStages) {
  return {
    ordered: stages.ordered,
    stages: stages.stages.map((s) => ({
      department: s.department,
      name: names(book, "departments", s.department),
      level: LEVELS[s.level],
    })),
    text: describeStages(stages),
  };
}

function terms(db: IndexDatabase, book: NameBook, programmeId: bigint) {
  const t = db.get(
    "SELECT * FROM programme_terms WHERE programme_id = ? ORDER BY block DESC, log_index DESC LIMIT 1",
    programmeId,
  );
  if (!t) return null;
  return {
    budgetCeiling: money(big(t, "budget_ceiling")),
    householdCap: money(big(t, "household_cap")),
    publicityDays: num(t, "publicity_period") / 86_400,
    payoutDays: num(t, "payout_period") / 86_400,
    reviewStages: stagesOut(book, unpackStages(BigInt(str(t, "review_stages")))),
    policy: { hash: str(t, "policy_doc_hash"), uri: str(t, "policy_uri") },
    tx: str(t, "tx"),
    block: num(t, "block"),
  };
}

function programmeSummary(db: IndexDatabase, book: NameBook, p: ProgrammeReconciliation) {
  const created = db.get("SELECT tx, block FROM programmes WHERE programme_id = ?", p.programmeId)!;
  const rosters = db.get("SELECT COUNT(*) AS n FROM rosters WHERE programme_id = ?", p.programmeId)!;
  const root = p.nodes.find((n) => n.region === p.rootRegion);
  return {
    id: p.programmeId.toString(),
    name: names(book, "programmes", p.programmeId),
    earmark: p.earmark,
    fiscalPeriod: p.fiscalPeriod,
    rootRegion: p.rootRegion.toString(),
    rootRegionName: names(book, "regions", p.rootRegion),
    terms: terms(db, book, p.programmeId),
    totals: {
      funded: money(p.totals.funded),
      reserved: money(p.totals.reserved),
      paid: money(p.totals.paid),
      confirmed: money(p.nodes.reduce((s, n) => s + n.confirmed, 0n)),
      returned: money(p.totals.returned),
      reversed: money(p.totals.reversed),
      available: money(root?.available ?? 0n),
    },
    rosters: num(rosters, "n"),
    balanced: p.problems.length === 0 && p.nodes.every((n) => n.problems.length === 0),
    created: { tx: str(created, "tx"), block: num(created, "block") },
  };
}

export function programmeList(db: IndexDatabase, cache: HeadCache, book: NameBook) {
  const rec = cache.get("reconcile", () => reconcileFromEvents(db, undefined, cache.lines));
  return rec.programmes.map((p) => programmeSummary(db, book, p));
}

/** Paid, confirmed and returned per Beijing day, cumulative: the programme's progress for charts. */
function progress(db: IndexDatabase, lines: LineSums, programmeId: bigint) {
  const days = new Map<string, DaySums>();
  for (const r of db.all("SELECT roster_id FROM rosters WHERE programme_id = ?", programmeId)) {
    for (const [day, d] of lines.rosterDays(big(r, "roster_id"))) {
      const sum = days.get(day) ?? zeroDay();
      for (const bucket of ["paid", "confirmed", "returned"] as const) {
        sum[bucket].lines += d[bucket].lines;
        sum[bucket].amount += d[bucket].amount;
      }
      days.set(day, sum);
    }
  }
  const ordered = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cumulative = (bucket: keyof DaySums) => {
    let total = 0n;
    let count = 0;
    return ordered
      .filter(([, d]) => d[bucket].lines > 0)
      .map(([day, d]) => {
        total += d[bucket].amount;
        count += d[bucket].lines;
        return { day, total: money(total), lines: count };
      });
  };
  return { paid: cumulative("paid"), confirmed: cumulative("confirmed"), returned: cumulative("returned") };
}

export function programmeDetail(db: IndexDatabase, cache: HeadCache, book: NameBook, programmeId: bigint) {
  const rec = cache.get("reconcile", () => reconcileFromEvents(db, undefined, cache.lines));
  const p = rec.programmes.find((x) => x.programmeId === programmeId);
  if (!p) throw new NotFound(`no programme ${programmeId} in the index (up to block ${db.head().block})`);
  return {
    ...programmeSummary(db, book, p),
    regions: p.nodes.map((n) => ({ ...node(n), name: names(book, "regions", n.region) })),
    progress: cache.get(`progress/${programmeId}`, () => progress(db, cache.lines, programmeId)),
  };
}

export function regionDetail(db: IndexDatabase, cache: HeadCache, book: NameBook, programmeId: bigint, region: bigint) {
  const detail = programmeDetail(db, cache, book, programmeId);
  const here = detail.regions.find((n) => n.region === region.toString());
  if (!here) throw new NotFound(`programme ${programmeId} has no budget at region ${region}`);
  const now = db.head().time ?? 0;
  const rosters = db.db
    .prepare(
      `SELECT r.roster_id, r.region, r.line_count, r.total, r.tx, r.block, ${rosterStateSql("r.roster_id")} AS state,
         so.payout_deadline
       FROM rosters r LEFT JOIN roster_endings so ON so.roster_id = r.roster_id AND so.kind = 'signed_off'
       WHERE r.programme_id = :programme ORDER BY r.roster_id`,
    )
    .all({ programme: programmeId, now }) as Row[];
  const within = rosters.filter((r) => isWithinRegion(big(r, "region"), region));
  return {
    programme: { id: detail.id, name: detail.name, earmark: detail.earmark },
    node: here,
    children: detail.regions.filter((n) => n.parent === region.toString() && n.region !== region.toString()),
    // Money is stuck where a payable roster's deadline passed with lines unpaid.
    rosters: within.map((r) => {
      const state = str(r, "state");
      const paidLines = cache.lines.roster(big(r, "roster_id")).paid.lines;
      const unpaid = num(r, "line_count") - paidLines;
      const deadline = r.payout_deadline === null ? null : num(r, "payout_deadline");
      return {
        id: str(r, "roster_id"),
        region: str(r, "region"),
        regionName: names(book, "regions", str(r, "region")),
        state,
        lines: num(r, "line_count"),
        paidLines,
        total: money(big(r, "total")),
        payoutDeadline: isoTime(deadline),
        stuck: state === "Payable" && deadline !== null && deadline < now && unpaid > 0,
        submitted: { tx: str(r, "tx"), block: num(r, "block") },
      };
    }),
  };
}

export function rosterDetail(db: IndexDatabase, book: NameBook, rosterId: bigint) {
  const r = db.get("SELECT * FROM rosters WHERE roster_id = ?", rosterId);
  if (!r) throw new NotFound(`no roster ${rosterId} in the index (up to block ${db.head().block})`);
  const now = db.head().time ?? 0;
  const stateRow = db.db
    .prepare(
      `SELECT ${rosterStateSql(":roster")} AS state, so.publicity_ends_at, so.payout_deadline
       FROM (SELECT 1) LEFT JOIN roster_endings so ON so.roster_id = :roster AND so.kind = 'signed_off'`,
    )
    .get({ roster: rosterId, now }) as Row;
  const counts = db.db
    .prepare(
      `SELECT status, hold, overdue, COUNT(*) AS n, SUM(amount) AS amount FROM (${lineStatusSql("l.roster_id = :roster")})
       GROUP BY status, hold, overdue`,
    )
    .all({ roster: rosterId, now }) as Row[];
  const objections = db.get(
    `SELECT (SELECT COUNT(*) FROM objections WHERE roster_id = ?) AS made,
            (SELECT COUNT(*) FROM resolutions WHERE roster_id = ? AND upheld = 1) AS upheld,
            (SELECT COUNT(*) FROM resolutions WHERE roster_id = ? AND upheld = 0) AS dismissed`,
    rosterId,
    rosterId,
    rosterId,
  )!;
  const publicityEnds = stateRow.publicity_ends_at === null ? null : num(stateRow, "publicity_ends_at");
  const t = trace(db, { roster: rosterId });
  return {
    id: rosterId.toString(),
    programme: { id: str(r, "programme_id"), name: names(book, "programmes", str(r, "programme_id")) },
    region: str(r, "region"),
    regionName: names(book, "regions", str(r, "region")),
    submitter: str(r, "submitter"),
    lines: num(r, "line_count"),
    total: money(big(r, "total")),
    root: str(r, "root"),
    publishedList: { hash: str(r, "document_hash"), uri: str(r, "document_uri") },
    state: str(stateRow, "state"),
    publicity: {
      endsAt: isoTime(publicityEnds),
      secondsLeft: publicityEnds === null ? null : Math.max(0, publicityEnds - now),
      payoutDeadline: isoTime(stateRow.payout_deadline === null ? null : num(stateRow, "payout_deadline")),
    },
    objections: {
      made: num(objections, "made"),
      upheld: num(objections, "upheld"),
      dismissed: num(objections, "dismissed"),
    },
    lineCounts: counts.map((c) => ({
      status: str(c, "status"),
      hold: str(c, "hold"),
      overdue: num(c, "overdue") === 1,
      lines: num(c, "n"),
      amount: money(big(c, "amount")),
    })),
    timeline: t.entries,
  };
}

export function rosterLines(db: IndexDatabase, rosterId: bigint, offset: number, limit: number) {
  if (!db.get("SELECT 1 FROM rosters WHERE roster_id = ?", rosterId))
    throw new NotFound(`no roster ${rosterId} in the index (up to block ${db.head().block})`);
  const rows = db.db
    .prepare(`SELECT * FROM (${lineStatusSql("l.roster_id = :roster")}) LIMIT :limit OFFSET :offset`)
    .all({ roster: rosterId, now: db.head().time ?? 0, limit, offset }) as Row[];
  return rows.map(lineOut);
}

function lineOut(r: Row) {
  return {
    roster: str(r, "roster_id"),
    seq: num(r, "seq"),
    household: str(r, "household"),
    amount: money(big(r, "amount")),
    rosterState: str(r, "roster_state"),
    status: str(r, "status"),
    hold: str(r, "hold"),
    overdue: num(r, "overdue") === 1,
    paidTx: r.paid_tx === null ? null : str(r, "paid_tx"),
    paidAt: isoTime(r.paid_time as bigint | null),
    settledTx: r.confirmed_tx !== null ? str(r, "confirmed_tx") : r.returned_tx !== null ? str(r, "returned_tx") : null,
  };
}

export function warnings(db: IndexDatabase, cache: HeadCache): Finding[] {
  return cache.get("anomalies", () => findAnomalies(db).findings);
}

/**
 * A household's lines by its commitment: indexed look-ups, whatever the chain's size. The payout's
 * own log (transaction and log index) is named, for an explorer link to that log.
 */
export function householdLines(db: IndexDatabase, book: NameBook, commitment: string) {
  const h = db.get(
    `SELECT h.household, h.tx, h.block, hb.region FROM households h
     LEFT JOIN household_blocks hb ON hb.block_id = h.household / 256 WHERE h.commitment = ?`,
    commitment.toLowerCase(),
  );
  if (!h) return { registered: false as const };
  const household = big(h, "household");
  const suspension = db.get(
    "SELECT suspended, reason FROM suspensions WHERE household = ? ORDER BY block DESC, log_index DESC LIMIT 1",
    household,
  );
  const lines = db.db
    .prepare(`SELECT * FROM (${lineStatusSql("l.household = :household")})`)
    .all({ household, now: db.head().time ?? 0 }) as Row[];
  return {
    registered: true as const,
    household: household.toString(),
    region: h.region === null ? null : str(h, "region"),
    regionName: h.region === null ? null : names(book, "regions", str(h, "region")),
    suspended: suspension ? num(suspension, "suspended") === 1 : false,
    lines: lines.map((r) => ({
      ...lineOut(r),
      programme: { id: str(r, "programme_id"), name: names(book, "programmes", str(r, "programme_id")) },
      payoutLog:
        r.paid_tx === null
          ? null
          : { tx: str(r, "paid_tx"), block: num(r, "paid_block"), logIndex: num(r, "paid_log") },
    })),
  };
}
