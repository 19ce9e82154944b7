/**
 * Off-chain roster approvals (electronic seals): the EIP-712 typed data a department account signs,
 * and the ordering RosterBook.approveRosterBySig requires. Matches RosterBook.APPROVAL_TYPEHASH.
 */
import type { TypedDataDomain, TypedDataField } from "ethers";

export const APPROVAL_DOMAIN_NAME = "RosterBook";
export const APPROVAL_DOMAIN_VERSION = "1";

export const APPROVAL_TYPES: Record<string, TypedDataField[]> = {
  RosterApproval: [
    { name: "rosterId", type: "uint64" },
    { name: "root", type: "bytes32" },
    { name: "department", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export interface ApprovalMessage {
  rosterId: bigint;
  root: string;
  department: number;
  nonce: bigint;
  deadline: bigint;
}

/** A signed approval as the contract takes it, with the signer kept for ordering. */
export interface SignedApproval {
  signer: string;
  department: number;
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

export function approvalDomain(rosterBook: string, chainId: bigint): TypedDataDomain {
  return { name: APPROVAL_DOMAIN_NAME, version: APPROVAL_DOMAIN_VERSION, chainId, verifyingContract: rosterBook };
}

/**
 * The keyed nonce of a department's first seal for a roster: key = roster id, sequence 0
 * (OpenZeppelin NoncesKeyed packs `key << 64 | sequence`). Read `nonces(signer, key)` for the next one.
 */
export function firstNonceFor(rosterId: bigint): bigint {
  return rosterId << 64n;
}

/** Orders approvals by signer address, ascending, as approveRosterBySig requires. */
export function sortBySigner<T extends { signer: string }>(approvals: readonly T[]): T[] {
  return [...approvals].sort((a, b) => {
    const x = BigInt(a.signer);
    const y = BigInt(b.signer);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
