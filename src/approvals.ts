/**
 * Off-chain roster approvals (electronic seals): the EIP-712 typed data the holder of a review
 * stage's office signs, and the order RosterBook.approveRosterBySig takes them in (by stage, so that
 * a programme whose stages run in order is approved in order). Matches RosterBook.APPROVAL_TYPEHASH.
 */
import type { TypedDataDomain, TypedDataField } from "ethers";

export const APPROVAL_DOMAIN_NAME = "RosterBook";
export const APPROVAL_DOMAIN_VERSION = "1";

export const APPROVAL_TYPES: Record<string, TypedDataField[]> = {
  RosterApproval: [
    { name: "rosterId", type: "uint64" },
    { name: "root", type: "bytes32" },
    { name: "stage", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export interface ApprovalMessage {
  rosterId: bigint;
  root: string;
  stage: number;
  nonce: bigint;
  deadline: bigint;
}

/** A signed approval as the contract takes it, with the signer kept for messages. */
export interface SignedApproval {
  signer: string;
  stage: number;
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

export function approvalDomain(rosterBook: string, chainId: bigint): TypedDataDomain {
  return { name: APPROVAL_DOMAIN_NAME, version: APPROVAL_DOMAIN_VERSION, chainId, verifyingContract: rosterBook };
}

/**
 * The keyed nonce of an office's first seal for a roster: key = roster id, sequence 0
 * (OpenZeppelin NoncesKeyed packs `key << 64 | sequence`). Read `nonces(signer, key)` for the next one.
 */
export function firstNonceFor(rosterId: bigint): bigint {
  return rosterId << 64n;
}

/** Orders approvals by stage, ascending: the order in which stages that run in order must approve. */
export function sortByStage<T extends { stage: number }>(approvals: readonly T[]): T[] {
  return [...approvals].sort((a, b) => a.stage - b.stage);
}
