/**
 * The plan of a bank settlement, read from the chain every time: each row of the bank's file against
 * its line's status on chain. Lines already Confirmed or Returned with the outcome the file gives
 * are skipped, so a run that was killed half-way is finished by running the same file again; a line
 * whose chain status contradicts the file is an issue, and nothing is sent while any is left.
 */
import { seqText } from "../lines.js";
import type { BankResultIssue, BankResultRow } from "../roster/bank-results.js";
import type { Suite } from "../suite.js";
import { lineStatusesOf } from "./lineStatus.js";

export interface SettlementPlan {
  rosterId: bigint;
  toConfirm: BankResultRow[];
  toReturn: BankResultRow[];
  /** Rows whose line already has the outcome the file gives (an earlier run): not sent again. */
  skipped: { confirmed: number; returned: number };
  /** Rows the chain contradicts. Nothing may be sent while any is left. */
  conflicts: BankResultIssue[];
}

/**
 * Classifies each row against the line's status on chain: Paid lines are to be settled, lines that
 * already carry the file's outcome are skipped, and anything else (unpaid, the other outcome,
 * reversed) is a conflict.
 */
export async function planSettlement(
  suite: Suite,
  rosterId: bigint,
  rows: readonly BankResultRow[],
): Promise<SettlementPlan> {
  const statuses = await lineStatusesOf(
    suite,
    rosterId,
    rows.map((r) => r.line),
  );
  const plan: SettlementPlan = {
    rosterId,
    toConfirm: [],
    toReturn: [],
    skipped: { confirmed: 0, returned: 0 },
    conflicts: [],
  };
  const conflict = (row: BankResultRow, problem: string, fix: string) =>
    plan.conflicts.push({
      line: row.fileLine,
      field: "status",
      value: row.outcome.toUpperCase(),
      problem: `${seqText(row.line)} ${problem}`,
      fix,
    });
  for (const row of rows) {
    const status = statuses.get(row.line) ?? "Unpaid";
    if (status === "Paid") {
      (row.outcome === "confirmed" ? plan.toConfirm : plan.toReturn).push(row);
    } else if (status === "Confirmed" && row.outcome === "confirmed") {
      plan.skipped.confirmed++;
    } else if (status === "Returned" && row.outcome === "returned") {
      plan.skipped.returned++;
    } else if (status === "Unpaid") {
      conflict(
        row,
        "has not been paid on chain, so the bank cannot have settled it",
        "check the line number; remove the row if the line was not in the payout file",
      );
    } else if (status === "Confirmed") {
      conflict(
        row,
        "is Confirmed on chain: a confirmed payout cannot be returned",
        "if the money did come back, ask for a reversal (reversal request); otherwise correct the status",
      );
    } else if (status === "Returned") {
      conflict(
        row,
        "is Returned on chain: a returned payout cannot be confirmed",
        "check the row against the bank's records; remove it if the return was right",
      );
    } else if (row.outcome === "confirmed") {
      // Reversed, or reversed awaiting recovery: only a confirmed line is ever reversed, so the
      // bank's confirmation is on chain already.
      plan.skipped.confirmed++;
    } else {
      conflict(
        row,
        `is ${status} on chain: it was confirmed, then reversed`,
        status === "ReversalPendingRecovery"
          ? "if the bank took the money back from the card, record that with bank recover --reversal <id>, not as a return"
          : "remove the row: the reversal's recovery already put the money back in the budget",
      );
    }
  }
  return plan;
}
