/** Reading a reversal for the tasks that show or decide it, refused with a clear message when it cannot be. */
import type { Suite } from "../suite.js";
import { reversalStatusName } from "./states.js";

/** Reversal `reversalId` and its status's name; refused when no such reversal was requested. */
export async function reversalOf(suite: Suite, reversalId: bigint) {
  const rev = await suite.disbursement.reversal(reversalId);
  const status = reversalStatusName(rev.status);
  if (status === "None")
    throw new Error(
      `there is no reversal ${reversalId} (${await suite.disbursement.reversalCount()} have been requested)`,
    );
  return { rev, status };
}

/** Reversal `reversalId`, refused with a clear message unless it is pending. */
export async function pendingReversal(suite: Suite, reversalId: bigint) {
  const { rev, status } = await reversalOf(suite, reversalId);
  if (status !== "Pending")
    throw new Error(`reversal ${reversalId} is ${status} already; only a Pending reversal can be decided`);
  return rev;
}
