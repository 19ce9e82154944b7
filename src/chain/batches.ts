/**
 * The payout batches of a roster, rebuilt from the chain's own events: each recordPayouts emits one
 * PayoutRecorded per line, in the order it paid them, then one PayoutBatchRecorded with the hash of
 * their packed lines. Returns and reversals must present the batch that paid a line; rebuilding it from the
 * logs (and checking it against the stored hash) needs no local state.
 */
import type { Provider } from "ethers";

import { batchHash, paidBatch, type PaidBatch, type RosterLine } from "../lines.js";
import type { Suite } from "../suite.js";

export interface PaidLineRecord {
  line: RosterLine;
  batch: PaidBatch;
  position: number;
  txHash: string;
}

/** Every line of `rosterId` ever paid, by line index, with the batch that paid it. */
export async function paidBatchesOf(
  suite: Suite,
  rosterId: bigint,
  fromBlock = 0,
): Promise<Map<number, PaidLineRecord>> {
  const d = suite.disbursement;
  const events = await d.queryFilter(d.filters.PayoutBatchRecorded(rosterId), fromBlock);
  const provider = d.runner?.provider as Provider | undefined;
  if (!provider) throw new Error("the Disbursement handle has no provider");
  const byIndex = new Map<number, PaidLineRecord>();
  const receipts = new Map<string, Awaited<ReturnType<Provider["getTransactionReceipt"]>>>();
  for (const event of events) {
    const batchId = Number(event.args.batchId);
    let receipt = receipts.get(event.transactionHash);
    if (!receipt) {
      receipt = await provider.getTransactionReceipt(event.transactionHash);
      receipts.set(event.transactionHash, receipt);
    }
    if (!receipt) throw new Error(`no receipt for ${event.transactionHash}`);
    // The batch's lines are this roster's PayoutRecorded logs between the previous batch event and this one.
    const lines: RosterLine[] = [];
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== suite.addresses.disbursement.toLowerCase()) continue;
      if (log.index >= event.index) break;
      const parsed = d.interface.parseLog(log);
      if (parsed?.name === "PayoutBatchRecorded") lines.length = 0;
      if (parsed?.name === "PayoutRecorded" && parsed.args.rosterId === rosterId) {
        lines.push({
          index: Number(parsed.args.lineIndex),
          household: parsed.args.household,
          amount: parsed.args.amount,
        });
      }
    }
    if (batchHash(lines) !== event.args.batchHash) {
      throw new Error(`batch ${batchId} of roster ${rosterId}: its logs do not hash to the recorded batch hash`);
    }
    const batch = paidBatch(batchId, lines);
    lines.forEach((line, position) =>
      byIndex.set(line.index, { line, batch, position, txHash: event.transactionHash }),
    );
  }
  return byIndex;
}
