/**
 * Sending a transaction through a connection that may fail: one JSON-RPC request per transaction
 * sent, never repeated blindly; waiting for its receipt without mistaking a lost answer for a lost
 * transaction; and waiting until an account has nothing pending, so that a rerun never races its
 * own earlier sends.
 */
import { BaseWallet, type Provider, type Signer, toQuantity } from "ethers";

import { sleep } from "../async.js";
import { OutcomeUnknownError, TransactionRevertedError, transientReason } from "./failures.js";
import { type RetryOptions, withRetries } from "./retry.js";

/**
 * Waits until `signer` has no transaction in flight (so that a rerun never races its own earlier
 * sends). Reads are retried on transient failures (`retry`); the wait itself is bounded by `timeoutMs`.
 */
export async function waitForNoPending(
  signer: Signer,
  options: number | { timeoutMs?: number; retry?: RetryOptions } = {},
): Promise<void> {
  const { timeoutMs = 120_000, retry = {} } = typeof options === "number" ? { timeoutMs: options } : options;
  const address = await signer.getAddress();
  const provider = signer.provider;
  if (!provider) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [latest, pending] = await withRetries(
      "reading the account's nonce",
      () =>
        Promise.all([
          provider.getTransactionCount(address, "latest"),
          provider.getTransactionCount(address, "pending"),
        ]),
      retry,
    );
    if (pending <= latest) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${address} still has ${pending - latest} transaction(s) pending after ${timeoutMs / 1000}s; wait for them or replace them before rerunning`,
      );
    }
    await sleep(1_000);
  }
}

/**
 * Sends one transaction and returns its hash: with a node-held or Hardhat-configured account, one
 * eth_sendTransaction request (Hardhat's provider signs locally when the network has keys); with a
 * wallet, ethers' own path. Not retried: when this throws a transient failure, the transaction may
 * or may not have been sent (OutcomeUnknownError).
 *
 * Why not `signer.sendTransaction`: Hardhat's signer polls for the sent transaction in a promise
 * that has no error path, so one failed poll over a flaky connection becomes an unhandled
 * rejection that kills the process (Hardhat's handler exits 1) instead of an error here.
 */
export async function sendOnce(signer: Signer, tx: { to: string; data: string; gasLimit?: bigint }): Promise<string> {
  try {
    if (signer instanceof BaseWallet) return (await signer.sendTransaction(tx)).hash;
    const provider = signer.provider as
      (Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> }) | null;
    if (!provider || typeof provider.send !== "function") return (await signer.sendTransaction(tx)).hash;
    // With a gas limit the node (or Hardhat's local signer) does not estimate: estimating a
    // 2,500-line payout costs the node as much as executing it.
    const gas = tx.gasLimit === undefined ? {} : { gas: toQuantity(tx.gasLimit) };
    const hash = await provider.send("eth_sendTransaction", [
      { from: await signer.getAddress(), to: tx.to, data: tx.data, ...gas },
    ]);
    if (typeof hash !== "string")
      throw new Error(`eth_sendTransaction answered ${JSON.stringify(hash)}, not a transaction hash`);
    return hash;
  } catch (error) {
    const reason = transientReason(error);
    if (reason === undefined) throw error;
    throw new OutcomeUnknownError(
      `sending the transaction failed (${reason}); it may or may not have reached the node`,
      undefined,
      { cause: error },
    );
  }
}

/** What a sender needs of a receipt: the transaction, whether it succeeded, and the gas it used. */
export interface SentReceipt {
  hash: string;
  status: number;
  gasUsed: bigint;
  blockNumber: number;
}

type RawSender = { send?: (method: string, params: unknown[]) => Promise<unknown> };

/**
 * The receipt of `hash`, or null while it is pending. Asked as raw JSON-RPC when the provider can:
 * a 2,500-line payout's receipt holds 2,500 logs (1.7 MB of JSON), which ethers' formatting of every
 * log turned from 30 ms into 100–500 ms — as long as the node takes to mine the payout.
 */
async function receiptOf(reads: Provider, hash: string): Promise<SentReceipt | null> {
  const send = (reads as RawSender).send;
  if (typeof send === "function") {
    const raw = (await send.call(reads, "eth_getTransactionReceipt", [hash])) as {
      transactionHash: string;
      status: string;
      gasUsed: string;
      blockNumber: string;
    } | null;
    return (
      raw && {
        hash: raw.transactionHash,
        status: Number(raw.status),
        gasUsed: BigInt(raw.gasUsed),
        blockNumber: Number(raw.blockNumber),
      }
    );
  }
  const r = await reads.getTransactionReceipt(hash);
  return r && { hash: r.hash, status: r.status ?? 0, gasUsed: r.gasUsed, blockNumber: r.blockNumber };
}

/** Whether the node knows transaction `hash` (pending or mined). */
async function isKnown(reads: Provider, hash: string): Promise<boolean> {
  const send = (reads as RawSender).send;
  if (typeof send === "function") return (await send.call(reads, "eth_getTransactionByHash", [hash])) !== null;
  return (await reads.getTransaction(hash)) !== null;
}

/**
 * Polls for the receipt of `hash` through `reads` (a retrying provider), up to `timeoutMs`. Throws
 * OutcomeUnknownError when the receipt cannot be read, when the node does not know the transaction
 * at all for `unknownAfterMs` (it restarted and lost it, or never got it), or on timeout; throws
 * TransactionRevertedError when it was mined and reverted.
 */
export async function waitForReceipt(
  reads: Provider,
  hash: string,
  options: { timeoutMs?: number; unknownAfterMs?: number } = {},
): Promise<SentReceipt> {
  const { timeoutMs = 300_000, unknownAfterMs = 5_000 } = options;
  const started = Date.now();
  let knownAt = started;
  for (let poll = 0; ; poll++) {
    let receipt: SentReceipt | null;
    try {
      receipt = await receiptOf(reads, hash);
      // Asked once a second at most: the answer carries the transaction's whole calldata.
      if (!receipt && Date.now() - knownAt > 1_000 && (await isKnown(reads, hash))) knownAt = Date.now();
    } catch (error) {
      const reason = transientReason(error);
      if (reason === undefined) throw error;
      throw new OutcomeUnknownError(
        `transaction ${hash} was sent, but its receipt could not be read (${reason})`,
        hash,
        { cause: error },
      );
    }
    if (receipt) {
      if (receipt.status !== 1) throw new TransactionRevertedError(hash, receipt.gasUsed);
      return receipt;
    }
    const now = Date.now();
    if (now - knownAt > unknownAfterMs) {
      throw new OutcomeUnknownError(`the node no longer knows transaction ${hash} (restarted or dropped it?)`, hash);
    }
    if (now - started > timeoutMs)
      throw new OutcomeUnknownError(`transaction ${hash} has no receipt after ${timeoutMs / 1000} s`, hash);
    // 10, 20, 40 … ms, at most 500: a local node mines at once, a consortium chain every few seconds.
    await sleep(Math.min(500, 10 * 2 ** Math.min(poll, 6)));
  }
}
