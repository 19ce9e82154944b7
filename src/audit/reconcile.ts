/**
 * Reconciliation of the budget tree from events alone (docs/spec.md section 3), then against the
 * chain's own BudgetLedger views.
 *
 * The buckets of each programme and region are computed from two independent streams of events,
 * so that the identity is a real check and not arithmetic that holds by construction:
 *
 * - from the BudgetLedger's events: received and passed down (ProgrammeFunded, BudgetAllocated,
 *   BudgetReclaimed), and available (every move in or out of it);
 * - from the RosterBook's and Disbursement's events: reserved (roster totals less what they paid,
 *   excluded and released), paid (PayoutRecorded lines less PayoutReturned and recovered reversals:
 *   an approved reversal moves no money until the bank recovers it), returned, reversed, and
 *   confirmed (lines the bank confirmed and not reversed since).
 *
 * Checks, each naming its node: received = passedDown + reserved + paid + available; the ledger's
 * own reserved, paid, returned and reversed agree with the rosters' and payouts'; a parent's
 * passed-down equals the sum of its children's received; no bucket is negative; and each node and
 * programme total equals BudgetLedger.balanceOf / totalsOf at the indexed block.
 */

import {
  type IndexDatabase,
  type IntegrityFinding,
  integrityFindings,
  type LineSums,
  rowTotals,
} from "../indexer/index.js";
import { mapLimit } from "../async.js";
import { formatFen } from "../money.js";
import type { Suite } from "../suite.js";
import { big, earmarkText, isoTime, num, str } from "./rows.js";
import { ledgerSums, nodeKey, type RosterProblem, rosterSums, zeroLedger, zeroRoster } from "./sums.js";

export interface NodeBalance {
  programmeId: bigint;
  region: bigint;
  parent: bigint;
  depth: number;
  received: bigint;
  passedDown: bigint;
  reserved: bigint;
  paid: bigint;
  confirmed: bigint;
  returned: bigint;
  reversed: bigint;
  available: bigint;
  /** The same buckets as the BudgetLedger's own events give them. */
  ledger: { reserved: bigint; paid: bigint; returned: bigint; reversed: bigint };
  problems: string[];
}

export interface ProgrammeTotals {
  funded: bigint;
  reserved: bigint;
  paid: bigint;
  returned: bigint;
  reversed: bigint;
}

export interface ProgrammeReconciliation {
  programmeId: bigint;
  earmark: string;
  fiscalPeriod: number;
  rootRegion: bigint;
  totals: ProgrammeTotals;
  nodes: NodeBalance[];
  problems: string[];
}

export interface Reconciliation {
  block: number;
  time: string | null;
  programmes: ProgrammeReconciliation[];
  rosters: RosterProblem[];
  integrity: IntegrityFinding[];
  /** Whether the chain's views were compared; why not, if they were not. */
  chain: { compared: boolean; error?: string };
  balanced: boolean;
}

/**
 * The budget tree of every programme (or of one), from events alone. The rosters' payout lines,
 * confirmations and returns are summed afresh from the rows, and the sums the index keeps are checked
 * against them; a long-running reader (the portal) passes its kept sums (`lineSums`) instead, brought
 * up to date here.
 */
export function reconcileFromEvents(db: IndexDatabase, programmeId?: bigint, lineSums?: LineSums): Reconciliation {
  const totals = lineSums ? lineSums.update(db) : rowTotals(db);
  const filter = programmeId === undefined ? "" : "WHERE programme_id = ?";
  const params = programmeId === undefined ? [] : [programmeId];
  const rosterProblems: RosterProblem[] = [];
  const ledger = ledgerSums(db, filter, params);
  const rosters = rosterSums(db, filter, params, rosterProblems, totals);
  const head = db.head();
  const programmes: ProgrammeReconciliation[] = [];

  const programmeRows = db.all(
    `SELECT programme_id, earmark, fiscal_period, root_region FROM programmes ${filter} ORDER BY programme_id`,
    ...params,
  );
  if (programmeId !== undefined && programmeRows.length === 0)
    throw new Error(`no programme ${programmeId} in the index (up to block ${head.block})`);

  for (const p of programmeRows) {
    const pid = big(p, "programme_id");
    const root = big(p, "root_region");
    // A region's parent is the first region that allocated to it (BudgetLedger.allocate).
    const parents = new Map<bigint, bigint>();
    for (const a of db.all(
      "SELECT region, other_region FROM ledger_moves WHERE programme_id = ? AND kind = 'allocated' ORDER BY block, log_index",
      pid,
    )) {
      const child = big(a, "other_region");
      if (!parents.has(child)) parents.set(child, big(a, "region"));
    }
    const regions = new Set<bigint>([root, ...parents.keys()]);
    for (const k of [...ledger.keys(), ...rosters.keys()]) {
      const [kp, kr] = k.split("/");
      if (BigInt(kp!) === pid) regions.add(BigInt(kr!));
    }
    const children = new Map<bigint, bigint[]>();
    for (const [child, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), child]);

    const nodes = new Map<bigint, NodeBalance>();
    for (const region of regions) {
      const l = ledger.get(nodeKey(pid, region)) ?? zeroLedger();
      const r = rosters.get(nodeKey(pid, region)) ?? zeroRoster();
      const node: NodeBalance = {
        programmeId: pid,
        region,
        parent: parents.get(region) ?? 0n,
        depth: 0,
        received: l.funded + l.allocatedIn - l.reclaimedByParent,
        passedDown: l.allocatedOut - l.reclaimedFromChildren,
        reserved: r.reserved,
        paid: r.linesPaid - r.returned - r.reversed,
        confirmed: r.confirmed,
        returned: r.returned,
        reversed: r.reversed,
        available:
          l.funded +
          l.allocatedIn -
          l.reclaimedByParent -
          l.allocatedOut +
          l.reclaimedFromChildren -
          l.reserved +
          l.released +
          l.returned +
          l.reversed,
        ledger: {
          reserved: l.reserved - l.released - l.paid,
          paid: l.paid - l.returned - l.reversed,
          returned: l.returned,
          reversed: l.reversed,
        },
        problems: [],
      };
      const sum = node.passedDown + node.reserved + node.paid + node.available;
      if (node.received !== sum) {
        node.problems.push(
          `received ${formatFen(node.received)} ≠ passed down ${formatFen(node.passedDown)} + reserved ${formatFen(node.reserved)} + paid ${formatFen(node.paid)} + available ${formatFen(node.available)} = ${formatFen(sum)}`,
        );
      }
      for (const bucket of ["reserved", "paid", "returned", "reversed"] as const) {
        if (node.ledger[bucket] !== node[bucket]) {
          node.problems.push(
            `${bucket}: ${formatFen(node[bucket])} by the rosters' and payouts' events, ${formatFen(node.ledger[bucket])} by the BudgetLedger's events`,
          );
        }
      }
      for (const bucket of ["received", "passedDown", "reserved", "paid", "available"] as const) {
        if (node[bucket] < 0n) node.problems.push(`${bucket} is negative (${formatFen(node[bucket])})`);
      }
      if (region !== root && !parents.has(region)) node.problems.push("holds money but was never allocated to");
      nodes.set(region, node);
    }
    for (const [parent, kids] of children) {
      const node = nodes.get(parent);
      if (!node) continue;
      const sum = kids.reduce((s, c) => s + (nodes.get(c)?.received ?? 0n), 0n);
      if (node.passedDown !== sum) {
        node.problems.push(
          `passed down ${formatFen(node.passedDown)} ≠ ${formatFen(sum)} received by its children ${kids.join(", ")}`,
        );
      }
    }

    // Tree order: the root, then each child after its parent, siblings by code.
    const ordered: NodeBalance[] = [];
    const visit = (region: bigint, depth: number) => {
      const node = nodes.get(region);
      if (!node || ordered.includes(node)) return;
      node.depth = depth;
      ordered.push(node);
      for (const c of [...(children.get(region) ?? [])].sort((a, b) => (a < b ? -1 : 1))) visit(c, depth + 1);
    };
    visit(root, 0);
    for (const region of [...nodes.keys()].sort((a, b) => (a < b ? -1 : 1))) visit(region, 0);

    const all = [...nodes.values()];
    const sumOf = (pick: (n: NodeBalance) => bigint) => all.reduce((s, n) => s + pick(n), 0n);
    programmes.push({
      programmeId: pid,
      earmark: earmarkText(str(p, "earmark")),
      fiscalPeriod: num(p, "fiscal_period"),
      rootRegion: root,
      totals: {
        funded: ledger.get(nodeKey(pid, root))?.funded ?? 0n,
        reserved: sumOf((n) => n.reserved),
        paid: sumOf((n) => n.paid),
        returned: sumOf((n) => n.returned),
        reversed: sumOf((n) => n.reversed),
      },
      nodes: ordered,
      problems: [],
    });
  }

  const integrity = integrityFindings(db, totals, !lineSums);
  const result: Reconciliation = {
    block: head.block,
    time: isoTime(head.time),
    programmes,
    rosters: rosterProblems,
    integrity,
    chain: { compared: false },
    balanced: false,
  };
  result.balanced = isBalanced(result);
  return result;
}

function isBalanced(r: Reconciliation): boolean {
  return (
    r.rosters.length === 0 &&
    r.integrity.length === 0 &&
    r.programmes.every((p) => p.problems.length === 0 && p.nodes.every((n) => n.problems.length === 0))
  );
}

/**
 * Compares every node and programme total with the chain's own views at the indexed block (not
 * at "latest": blocks after the index would differ for no fault). A node whose state the provider
 * no longer keeps (a pruning node) leaves the comparison undone and says so; it is not a mismatch.
 */
export async function compareWithChain(rec: Reconciliation, suite: Suite | undefined, offline?: string): Promise<void> {
  if (rec.block < 0) return;
  if (!suite) {
    rec.chain = { compared: false, error: offline ?? "no node" };
    return;
  }
  const blockTag = rec.block;
  try {
    for (const p of rec.programmes) {
      await mapLimit(p.nodes, 8, async (node) => {
        const b = await suite.ledger.balanceOf(node.programmeId, node.region, { blockTag });
        const pairs: Array<[string, bigint, bigint]> = [
          ["parent", node.parent, b.parent],
          ["received", node.received, b.received],
          ["passed down", node.passedDown, b.allocatedOut],
          ["reserved", node.reserved, b.reserved],
          ["paid", node.paid, b.paid],
          ["available", node.available, b.available],
          ["returned", node.returned, b.returned],
          ["reversed", node.reversed, b.reversed],
        ];
        for (const [name, ours, chain] of pairs) {
          if (ours !== chain) {
            node.problems.push(
              `${name}: ${name === "parent" ? ours : formatFen(ours)} from events, ${name === "parent" ? chain : formatFen(chain)} in BudgetLedger.balanceOf at block ${blockTag}`,
            );
          }
        }
      });
      const t = await suite.ledger.totalsOf(p.programmeId, { blockTag });
      const pairs: Array<[string, bigint, bigint]> = [
        ["funded", p.totals.funded, t.funded],
        ["reserved", p.totals.reserved, t.reserved],
        ["paid", p.totals.paid, t.paid],
        ["returned", p.totals.returned, t.returned],
        ["reversed", p.totals.reversed, t.reversed],
      ];
      for (const [name, ours, chain] of pairs) {
        if (ours !== chain)
          p.problems.push(
            `${name}: ${formatFen(ours)} from events, ${formatFen(chain)} in BudgetLedger.totalsOf at block ${blockTag}`,
          );
      }
    }
    rec.chain = { compared: true };
  } catch (error) {
    rec.chain = { compared: false, error: error instanceof Error ? error.message : String(error) };
  }
  rec.balanced = isBalanced(rec);
}

/** Every problem as one line naming where it is. */
export function problemLines(rec: Reconciliation): string[] {
  const lines: string[] = [];
  for (const p of rec.programmes) {
    for (const problem of p.problems) lines.push(`programme ${p.programmeId}: ${problem}`);
    for (const n of p.nodes)
      for (const problem of n.problems) lines.push(`programme ${p.programmeId}, region ${n.region}: ${problem}`);
  }
  for (const r of rec.rosters) lines.push(`roster ${r.rosterId}: ${r.problem}`);
  for (const f of rec.integrity) lines.push(`${f.kind}: ${f.detail}${f.tx ? ` (tx ${f.tx})` : ""}`);
  return lines;
}

export const NODE_COLUMNS = [
  "programme_id",
  "region",
  "parent",
  "depth",
  "received",
  "passed_down",
  "reserved",
  "paid",
  "confirmed",
  "returned",
  "reversed",
  "available",
  "balanced",
  "problems",
] as const;

export function nodeRows(
  rec: Reconciliation,
): Array<Record<(typeof NODE_COLUMNS)[number], string | number | bigint | boolean>> {
  return rec.programmes.flatMap((p) =>
    p.nodes.map((n) => ({
      programme_id: n.programmeId,
      region: n.region,
      parent: n.parent,
      depth: n.depth,
      received: n.received,
      passed_down: n.passedDown,
      reserved: n.reserved,
      paid: n.paid,
      confirmed: n.confirmed,
      returned: n.returned,
      reversed: n.reversed,
      available: n.available,
      balanced: n.problems.length === 0,
      problems: n.problems.join("; "),
    })),
  );
}
