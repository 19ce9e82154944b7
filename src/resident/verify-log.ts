/**
 * Checking an answer about a payout against a node: the log the answer names (block, transaction and
 * log index) is fetched from the node and must be the Disbursement's PayoutRecorded of that roster,
 * household, line and amount. The portal's household self-check runs it in the browser against each
 * node its configuration names, so a service that answered wrongly is caught. Only that roster's
 * payouts to that household in that block are asked for (eth_getLogs by both indexed topics), never
 * the whole receipt of a transaction that may hold thousands of lines: the check costs the same at
 * any size of chain or batch. Browser-safe.
 */
import { Interface, toQuantity } from "ethers";

import type { RawLog } from "../indexer/rpc.js";

import { rpcCall } from "../transport/http.js";
import { DISBURSEMENT_ABI } from "./abi.js";
import { word } from "./reader.js";

export interface ExpectedPayout {
  roster: bigint;
  household: bigint;
  lineIndex: number;
  amount: bigint;
}

export type LogCheck =
  { verdict: "agrees" } | { verdict: "disagrees"; why: string } | { verdict: "unchecked"; why: string };

const disbursement = new Interface(DISBURSEMENT_ABI);

export async function checkPayoutLog(
  rpcUrl: string,
  contract: string,
  log: { tx: string; block: number; logIndex: number },
  expected: ExpectedPayout,
  timeoutMs = 4_000,
): Promise<LogCheck> {
  let logs: RawLog[];
  try {
    const filter = {
      address: contract,
      fromBlock: toQuantity(log.block),
      toBlock: toQuantity(log.block),
      topics: [disbursement.getEvent("PayoutRecorded")!.topicHash, word(expected.roster), word(expected.household)],
    };
    logs = await rpcCall<RawLog[]>(rpcUrl, "eth_getLogs", [filter], timeoutMs);
  } catch (error) {
    return {
      verdict: "unchecked",
      why:
        (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (error as Error).message,
    };
  }
  const raw = (logs ?? []).find(
    (l) => Number(l.logIndex) === log.logIndex && l.transactionHash.toLowerCase() === log.tx.toLowerCase(),
  );
  if (!raw)
    return {
      verdict: "disagrees",
      why: `the node has no payout of roster ${expected.roster} to household ${expected.household} at log ${log.logIndex} of transaction ${log.tx} in block ${log.block}`,
    };
  if (raw.address.toLowerCase() !== contract.toLowerCase())
    return { verdict: "disagrees", why: `log ${log.logIndex} is not the Disbursement contract's` };
  const parsed = disbursement.parseLog(raw);
  if (parsed?.name !== "PayoutRecorded") return { verdict: "disagrees", why: `log ${log.logIndex} is not a payout` };
  const a = parsed.args;
  const same =
    a.rosterId === expected.roster &&
    a.household === expected.household &&
    Number(a.lineIndex) === expected.lineIndex &&
    a.amount === expected.amount;
  return same
    ? { verdict: "agrees" }
    : {
        verdict: "disagrees",
        why: `the node's log is roster ${a.rosterId}, household ${a.household}, line ${Number(a.lineIndex) + 1}, ${a.amount} fen`,
      };
}
