/** Choosing the signing account for a task: `--from` is an account index or an address. */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

export async function signerFor(connection: NetworkConnection, from: string): Promise<HardhatEthersSigner> {
  const signers = await connection.ethers.getSigners();
  if (signers.length === 0) {
    throw new Error("this network has no signing accounts configured; set its `accounts` in hardhat.config.ts (keystore variables)");
  }
  if (/^\d+$/.test(from)) {
    const signer = signers[Number(from)];
    if (!signer) throw new Error(`--from ${from}: this network has only ${signers.length} accounts (0…${signers.length - 1})`);
    return signer;
  }
  const found = signers.find((s) => s.address.toLowerCase() === from.toLowerCase());
  if (!found) throw new Error(`--from ${from}: not one of this network's accounts`);
  return found;
}

/** An account given as an address, or as an index into the network's accounts (handy on local chains). */
export async function accountFor(connection: NetworkConnection, value: string): Promise<string> {
  if (/^\d+$/.test(value)) return (await signerFor(connection, value)).address;
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new Error(`"${value}" is neither an address (0x + 40 hex digits) nor an account index`);
  return value;
}

/** Waits until `signer` has no transaction in flight (so that a rerun never races its own earlier sends). */
export async function waitForNoPending(signer: Signer, timeoutMs = 120_000): Promise<void> {
  const address = await signer.getAddress();
  const provider = signer.provider;
  if (!provider) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [latest, pending] = await Promise.all([
      provider.getTransactionCount(address, "latest"),
      provider.getTransactionCount(address, "pending"),
    ]);
    if (pending <= latest) return;
    if (Date.now() > deadline) {
      throw new Error(`${address} still has ${pending - latest} transaction(s) pending after ${timeoutMs / 1000}s; wait for them or replace them before rerunning`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
