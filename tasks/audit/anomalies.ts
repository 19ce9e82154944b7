/** audit anomalies: patterns worth a closer look, each with the transactions that show it. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ANOMALY_KINDS, type AuditArgs, findAnomalies, openAudit, writeCsv } from "../../src/audit/index.js";
import { runTask } from "../../src/cli/context.js";

interface Args extends AuditArgs {
  unconfirmedDays: string;
  capPercent: string;
  capMinLines: string;
  fastSeconds: string;
  csv: string;
}

function positive(name: string, value: string): number {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a number, 0 or more; got "${value}"`);
  return n;
}

const TITLES: Record<(typeof ANOMALY_KINDS)[number], string> = {
  "duplicate-household": "one household paid in several regions or programmes of one fiscal period",
  "unconfirmed-payout": "payouts the bank has not confirmed",
  "paid-with-open-objection": "rosters paid while an objection was never resolved",
  "role-conflict": "one account in two duties on one roster",
  "cap-cluster": "rosters with many lines at exactly the cap",
  "fast-approval": "approvals within seconds of submission",
  "repeated-bank-reference": "one bank reference on several settlements",
  "unrecovered-reversal": "approved reversals the bank has not recovered",
  "overdue-lines": "rosters past their payout deadline that still owe lines",
  "closed-with-unpaid-lines": "rosters closed with lines neither paid nor held by an objection",
  "returned-never-repaid": "payouts the bank returned, never paid again",
  "reversal-of-confirmed-payout": "reversals of payouts the bank had confirmed as credited",
};

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const options = {
      unconfirmedDays: positive("unconfirmed-days", args.unconfirmedDays),
      capShare: positive("cap-percent", args.capPercent) / 100,
      capMinLines: positive("cap-min-lines", args.capMinLines),
      fastApprovalSeconds: positive("fast-seconds", args.fastSeconds),
    };
    const session = await openAudit(args, hre);
    try {
      const report = findAnomalies(session.db, options);
      if (args.csv) {
        await writeCsv(
          args.csv,
          ["kind", "subject", "detail", "txs", "block", "time"],
          report.findings.map((f) => ({ ...f, txs: f.txs.join(" ") })),
        );
      }
      const text = [
        `anomalies in the events up to block ${report.block} (${report.time ?? "no blocks"}); none of them is proof by itself (docs/auditing.md)`,
        ...ANOMALY_KINDS.flatMap((kind) => {
          const found = report.findings.filter((f) => f.kind === kind);
          return [
            `${TITLES[kind]}: ${found.length === 0 ? "none" : found.length}`,
            ...found.map((f) => `  ${f.subject}: ${f.detail}\n    ${f.txs.join("\n    ")}`),
          ];
        }),
      ];
      session.out.result(report, text.join("\n"));
    } finally {
      session.close();
    }
  });
