/**
 * Checking an answer about a payout against a node: the log the answer names (transaction and log
 * index) is fetched from the node and must be the Disbursement's PayoutRecorded of that roster,
 * household, line and amount. The portal's household self-check runs it in the browser against each
 * node its configuration names, so a service that answered wrongly is caught. Browser-safe.
 */
import { Interface } from "ethers";

import { rpcCall } from "../transport/http.js";
import { DISBURSEMENT_ABI } from "./abi.js";

export interface ExpectedPayout {
  roster: bigint;
  household: bigint;
  lineIndex: number;
  amount: bigint;
}

export type LogCheck =
  { verdict: "agrees" } | { verdict: "disagrees"; why: string } | { verdict: "unchecked"; why: string };

const disbursement = new Interface(DISBURSEMENT_ABI);

interface RawReceipt {
  logs: Array<{ address: string; topics: string[]; data: string; logIndex: string }>;
}

export async function checkPayoutLog(
  rpcUrl: string,
  contract: string,
  log: { tx: string; logIndex: number },
  expected: ExpectedPayout,
  timeoutMs = 4_000,
): Promise<LogCheck> {
  let receipt: RawReceipt | null;
  try {
    receipt = await rpcCall<RawReceipt | null>(rpcUrl, "eth_getTransactionReceipt", [log.tx], timeoutMs);
  } catch (error) {
    return {
      verdict: "unchecked",
      why:
        (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (error as Error).message,
    };
  }
  if (!receipt) return { verdict: "disagrees", why: `the node has no transaction ${log.tx}` };
  const raw = receipt.logs.find((l) => Number(l.logIndex) === log.logIndex);
  if (!raw) return { verdict: "disagrees", why: `transaction ${log.tx} has no log ${log.logIndex}` };
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
