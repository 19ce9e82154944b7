/**
 * The figures of an audit report (src/documents/audit-report.ts prints them): one programme's
 * budget tree, or one region's subtree of it, reconciled from events and compared with the chain's
 * views at the index's head block, the rosters of that scope, and the block that every figure is
 * true at (chain id, number, hash, time), so that anyone can recompute the report at that block.
 */
import type { IndexDatabase, Row } from "../indexer/index.js";
import { isWithinRegion } from "../roster/village.js";
import type { Suite, SuiteAddresses } from "../suite.js";
import { rosterStateSql } from "./line-status.js";
import { compareWithChain, type NodeBalance, problemLines, reconcileFromEvents } from "./reconcile.js";
import { big, isoTime, num, str } from "./rows.js";

export interface ReportRoster {
  rosterId: bigint;
  region: bigint;
  state: string;
  lines: number;
  paidLines: number;
  total: bigint;
  /** Fen paid out on the roster's lines (before returns and reversals). */
  paid: bigint;
}

export interface AuditReportData {
  chainId: bigint;
  addresses: SuiteAddresses | undefined;
  block: { number: number; hash: string; time: string | null };
  programme: { id: bigint; earmark: string; fiscalPeriod: number; rootRegion: bigint };
  /** The region whose subtree the report covers; the programme's root region for the whole programme. */
  region: bigint;
  /** Every node of the scope, in tree order. */
  nodes: NodeBalance[];
  /** The scope's top node's received and passed down; the others summed over the scope. */
  totals: Record<"received" | "reserved" | "paid" | "confirmed" | "returned" | "reversed" | "available", bigint>;
  rosters: ReportRoster[];
  /** Whether the chain's views were compared at the block; why not, if not. */
  compared: { done: boolean; error?: string };
  /** Every problem of the scope, each naming where it is; none when it balances. */
  problems: string[];
  balanced: boolean;
}

/**
 * The report of programme `programmeId`, or of region `region`'s subtree of it. Throws naming what
 * the index holds when the programme or the region is not there.
 */
export async function auditReportData(
  db: IndexDatabase,
  suite: Suite | undefined,
  chainId: bigint,
  programmeId: bigint,
  region?: bigint,
  offline?: string,
): Promise<AuditReportData> {
  const head = db.head();
  if (head.block < 0 || head.hash === undefined)
    throw new Error("the index holds no block yet: run `audit index` first");
  const rec = reconcileFromEvents(db, programmeId);
  await compareWithChain(rec, suite, offline);
  const p = rec.programmes[0]!;
  const scope = region ?? p.rootRegion;
  const top = p.nodes.find((n) => n.region === scope);
  if (!top)
    throw new Error(
      `programme ${programmeId} has no budget at region ${scope}; its regions: ${p.nodes.map((n) => n.region).join(", ")}`,
    );
  const nodes = p.nodes.filter((n) => isWithinRegion(n.region, scope));
  const sum = (pick: (n: NodeBalance) => bigint) => nodes.reduce((s, n) => s + pick(n), 0n);
  const rosterRows = db.db
    .prepare(
      `SELECT r.roster_id, r.region, r.line_count, r.total, ${rosterStateSql("r.roster_id")} AS state,
         (SELECT COUNT(*) FROM payouts x WHERE x.roster_id = r.roster_id) AS paid_lines,
         (SELECT COALESCE(SUM(x.amount), 0) FROM payouts x WHERE x.roster_id = r.roster_id) AS paid
       FROM rosters r LEFT JOIN roster_endings so ON so.roster_id = r.roster_id AND so.kind = 'signed_off'
       WHERE r.programme_id = :programme ORDER BY r.roster_id`,
    )
    .all({ programme: programmeId, now: head.time ?? 0 }) as Row[];
  const rosters = rosterRows
    .filter((r) => isWithinRegion(big(r, "region"), scope))
    .map((r) => ({
      rosterId: big(r, "roster_id"),
      region: big(r, "region"),
      state: str(r, "state"),
      lines: num(r, "line_count"),
      paidLines: num(r, "paid_lines"),
      total: big(r, "total"),
      paid: big(r, "paid"),
    }));
  // The programme's own problems and the index's integrity concern every scope; a node's only its own.
  const problems = problemLines({
    ...rec,
    programmes: [{ ...p, nodes }],
    rosters: rec.rosters.filter((x) => rosters.some((r) => r.rosterId === x.rosterId)),
  });
  return {
    chainId,
    addresses: db.identity()?.addresses,
    block: { number: head.block, hash: head.hash, time: isoTime(head.time) },
    programme: { id: p.programmeId, earmark: p.earmark, fiscalPeriod: p.fiscalPeriod, rootRegion: p.rootRegion },
    region: scope,
    nodes,
    totals: {
      received: top.received,
      reserved: sum((n) => n.reserved),
      paid: sum((n) => n.paid),
      confirmed: sum((n) => n.confirmed),
      returned: sum((n) => n.returned),
      reversed: sum((n) => n.reversed),
      available: sum((n) => n.available),
    },
    rosters,
    compared: rec.chain.compared ? { done: true } : { done: false, error: rec.chain.error },
    problems,
    balanced: problems.length === 0,
  };
}
