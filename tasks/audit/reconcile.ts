/** audit reconcile: the budget tree from events, every identity checked, compared with the chain. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  type AuditArgs,
  compareWithChain,
  NODE_COLUMNS,
  nodeRows,
  openAudit,
  problemLines,
  type Reconciliation,
  reconcileFromEvents,
  writeCsv,
} from "../../src/audit/index.js";
import { idArg } from "../../src/cli/args.js";
import { runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";

interface Args extends AuditArgs {
  programme: string;
  csv: string;
}

/** The amount columns of the budget tree (NODE_COLUMNS from `received` to `available`), as the table heads them. */
const COLUMNS = NODE_COLUMNS.slice(NODE_COLUMNS.indexOf("received"), NODE_COLUMNS.indexOf("available") + 1).map((c) =>
  c.replace("_", " "),
);

function table(rec: Reconciliation): string {
  const lines: string[] = [];
  for (const p of rec.programmes) {
    lines.push(
      `programme ${p.programmeId} (${p.earmark}, period ${p.fiscalPeriod}): funded ${formatFen(p.totals.funded)}, paid ${formatFen(p.totals.paid)}, returned ${formatFen(p.totals.returned)}, reversed ${formatFen(p.totals.reversed)} yuan`,
    );
    const rows = p.nodes.map((n) => [
      `${"  ".repeat(n.depth)}${n.region}`,
      ...[n.received, n.passedDown, n.reserved, n.paid, n.confirmed, n.returned, n.reversed, n.available].map(
        formatFen,
      ),
      n.problems.length === 0 ? "ok" : "DOES NOT BALANCE",
    ]);
    const header = ["region", ...COLUMNS, ""];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    for (const r of [header, ...rows])
      lines.push(
        `  ${r
          .map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
          .join("  ")
          .trimEnd()}`,
      );
  }
  return lines.join("\n");
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const programmeId = args.programme ? idArg("programme", args.programme) : undefined;
    const session = await openAudit(args, hre);
    try {
      const rec = reconcileFromEvents(session.db, programmeId);
      await compareWithChain(rec, session.suite, session.offline);
      if (args.csv) await writeCsv(args.csv, NODE_COLUMNS, nodeRows(rec));
      const problems = problemLines(rec);
      const chain = rec.chain.compared
        ? `every node compared with BudgetLedger.balanceOf and totalsOf at block ${rec.block}`
        : `the chain's views could not be read at block ${rec.block} (${rec.chain.error ?? "nothing indexed"}): compared from events only`;
      session.out.result(
        { ...rec, problems },
        [
          `reconciliation from events up to block ${rec.block} (${rec.time ?? "no blocks"}); amounts in yuan`,
          table(rec),
          chain,
          rec.balanced
            ? "everything balances: received = passed down + reserved + paid + available at every node, parents passed down what their children received, the ledger's events agree with the rosters' and payouts', and the chain agrees"
            : [`${problems.length} problem(s):`, ...problems.map((p) => `  ${p}`)].join("\n"),
        ].join("\n"),
      );
      if (!rec.balanced) process.exitCode = 1;
    } finally {
      session.close();
    }
  });
