/**
 * Choosing a task's accounts: the signing account (`--from`, an account index or an address) among
 * the network's configured accounts, and an account named on the command line as an address or an
 * index (handy on local chains).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

export async function signerFor(connection: NetworkConnection, from: string): Promise<HardhatEthersSigner> {
  const signers = await connection.ethers.getSigners();
  if (signers.length === 0) {
    throw new Error(
      "this network has no signing accounts configured; set its `accounts` in hardhat.config.ts (keystore variables)",
    );
  }
  if (/^\d+$/.test(from)) {
    const signer = signers[Number(from)];
    if (!signer)
      throw new Error(`--from ${from}: this network has only ${signers.length} accounts (0…${signers.length - 1})`);
    return signer;
  }
  const found = signers.find((s) => s.address.toLowerCase() === from.toLowerCase());
  if (!found) throw new Error(`--from ${from}: not one of this network's accounts`);
  return found;
}

/** An account given as an address, or as an index into the network's accounts (handy on local chains). */
export async function accountFor(connection: NetworkConnection, value: string): Promise<string> {
  if (/^\d+$/.test(value)) return (await signerFor(connection, value)).address;
  if (!/^0x[0-9a-fA-F]{40}$/.test(value))
    throw new Error(`"${value}" is neither an address (0x + 40 hex digits) nor an account index`);
  return value;
}
