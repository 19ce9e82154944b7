/**
 * Electronic seals (电子签章) for the joint sign-off: the holder of a review stage's office signs the
 * EIP-712 RosterApproval of one stage of one roster off chain, the seal travels as a small JSON file,
 * and anyone relays the seals of several stages in one `approveRosterBySig` transaction.
 *
 * A seal file is checked twice: when it is read (its shape, and that its signature was made by the
 * account it names over exactly the values it holds, so that a file edited after signing is
 * refused), and before it is relayed (right chain, contract, roster and root, not expired, the
 * signer still the holder of the stage's office, stages that run in order relayed in order). The contract checks all of this again; the checks here
 * only turn its refusals into messages a clerk can act on, before anything is sent.
 */
import { getAddress, type Signer, verifyTypedData } from "ethers";
import { z } from "zod";

import {
  approvalDomain,
  APPROVAL_TYPES,
  type ApprovalMessage,
  type SignedApproval,
  sortByStage,
} from "../approvals.js";
import { describeOffice, stageOfOffice, unpackStages } from "../offices.js";
import { Role } from "../roles.js";
import type { Suite } from "../suite.js";
import { rosterStateName } from "../chain/states.js";
import { reviewingStageOf, stageLabel } from "./signoff.js";

export const SEAL_FORMAT = "fund-disbursement/roster-seal@2";

/** One seal, as the file holds it (bigints as decimal strings in JSON). */
export interface RosterSeal {
  format: typeof SEAL_FORMAT;
  chainId: bigint;
  rosterBook: string;
  rosterId: bigint;
  root: string;
  /** The review stage, counted from 0 as the contract counts it (shown to people from 1). */
  stage: number;
  signer: string;
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

/** What an office signs, with the chain, contract and account it is bound to. */
export type SealRequest = Omit<RosterSeal, "format" | "signature">;

/**
 * Reads from the chain what `signer` needs to seal roster `rosterId`, refusing (with the reason and
 * the fix) when the seal could never count: the account holds no office that reviews a stage of
 * this roster, it submitted the roster, its stage approved already, or the roster is not awaiting
 * sign-off. The nonce is the contract's next keyed nonce for key = roster id.
 */
export async function prepareSeal(
  suite: Suite,
  chainId: bigint,
  signer: string,
  rosterId: bigint,
  deadline: bigint,
): Promise<SealRequest> {
  const { roster, state } = await suite.lens.rosterView(rosterId);
  const stateName = rosterStateName(state);
  if (stateName !== "AwaitingSignOff") {
    throw new Error(`roster ${rosterId} is ${stateName}, not AwaitingSignOff: there is nothing to seal`);
  }
  if (roster.submitter.toLowerCase() === signer.toLowerCase()) {
    throw new Error(`account ${signer} submitted roster ${rosterId} and may not review it`);
  }
  const stages = unpackStages(roster.reviewStages);
  const stage = await reviewingStageOf(suite, signer, stages, roster.region, rosterId);
  if (((roster.approvals >> BigInt(stage)) & 1n) === 1n) {
    throw new Error(`${stageLabel(stages, stage)} has already approved roster ${rosterId}; no seal is needed`);
  }
  const nonce = await suite.rosterBook["nonces(address,uint192)"](signer, rosterId);
  return {
    chainId,
    rosterBook: getAddress(suite.addresses.rosterBook),
    rosterId,
    root: roster.root,
    stage,
    signer: getAddress(signer),
    nonce,
    deadline,
  };
}

function messageOf(seal: SealRequest): ApprovalMessage {
  return { rosterId: seal.rosterId, root: seal.root, stage: seal.stage, nonce: seal.nonce, deadline: seal.deadline };
}

/** The account that signed `seal`'s values (whatever its `signer` field says). */
export function recoverSealSigner(seal: RosterSeal): string {
  return verifyTypedData(
    approvalDomain(seal.rosterBook, seal.chainId),
    APPROVAL_TYPES,
    messageOf(seal),
    seal.signature,
  );
}

/** Signs the EIP-712 RosterApproval of `request` with `signer` (which must be `request.signer`). */
export async function signSeal(signer: Signer, request: SealRequest): Promise<RosterSeal> {
  const address = await signer.getAddress();
  if (getAddress(address) !== getAddress(request.signer)) {
    throw new Error(`the seal is for ${request.signer} but the signing account is ${address}`);
  }
  const signature = await signer.signTypedData(
    approvalDomain(request.rosterBook, request.chainId),
    APPROVAL_TYPES,
    messageOf(request),
  );
  const seal: RosterSeal = { format: SEAL_FORMAT, ...request, signature };
  if (getAddress(recoverSealSigner(seal)) !== getAddress(request.signer)) {
    throw new Error(`the signature made by ${address} does not recover to it: the account's signer is misconfigured`);
  }
  return seal;
}

// ------------------------------------------------------------------------------------ JSON form

/** JSON text of a seal: bigints as decimal strings, a fixed key order, final newline. */
export function sealToJson(seal: RosterSeal): string {
  const json = {
    format: seal.format,
    chainId: seal.chainId.toString(),
    rosterBook: seal.rosterBook,
    rosterId: seal.rosterId.toString(),
    root: seal.root,
    stage: seal.stage,
    signer: seal.signer,
    nonce: seal.nonce.toString(),
    deadline: seal.deadline.toString(),
    signature: seal.signature,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string such as "12345"');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected an address (0x and 40 hex digits)");
const sealSchema = z.strictObject({
  format: z.literal(SEAL_FORMAT),
  chainId: decimal,
  rosterBook: address,
  rosterId: decimal,
  root: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 0x and 64 hex digits"),
  stage: z.number().int().min(0).max(7),
  signer: address,
  nonce: decimal,
  deadline: decimal,
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "expected a 65-byte signature (0x and 130 hex digits)"),
});

/**
 * Reads a seal file: checks its shape and that its signature was made by its `signer` over exactly
 * its values. A file changed after signing (another roster, stage, deadline, …) is refused.
 * `name` (the file name) prefixes every message.
 */
export function sealFromJson(text: string, name: string): RosterSeal {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not a seal file (not valid JSON: ${(error as Error).message})`, { cause: error });
  }
  const parsed = sealSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(top level)"}: ${i.message}`);
    throw new Error(`${name}: not a valid seal file (${SEAL_FORMAT}): ${issues.join("; ")}`);
  }
  const f = parsed.data;
  const seal: RosterSeal = {
    format: SEAL_FORMAT,
    chainId: BigInt(f.chainId),
    rosterBook: getAddress(f.rosterBook.toLowerCase()),
    rosterId: BigInt(f.rosterId),
    root: f.root.toLowerCase(),
    stage: f.stage,
    signer: getAddress(f.signer.toLowerCase()),
    nonce: BigInt(f.nonce),
    deadline: BigInt(f.deadline),
    signature: f.signature,
  };
  let recovered: string;
  try {
    recovered = getAddress(recoverSealSigner(seal));
  } catch (error) {
    throw new Error(
      `${name}: the signature is malformed (${(error as Error).message}); ask the office for a new seal`,
      { cause: error },
    );
  }
  if (recovered !== seal.signer) {
    throw new Error(
      `${name}: the signature was not made by ${seal.signer} over the values in this file (the file was changed after signing); ask the office for a new seal`,
    );
  }
  return seal;
}

// ------------------------------------------------------------------------------------ relaying

/** What the chain says a seal must match at relay time. */
export interface RelayExpectations {
  chainId: bigint;
  rosterBook: string;
  rosterId: bigint;
  /** The roster's root on chain. */
  root: string;
  /** The latest block's timestamp: a seal whose deadline is not after it can no longer be relayed. */
  now: bigint;
}

/** Everything wrong with relaying `seal` now, as sentences (empty: it can go). */
export function sealProblems(seal: RosterSeal, expected: RelayExpectations): string[] {
  const problems: string[] = [];
  if (seal.chainId !== expected.chainId)
    problems.push(`it is for chain ${seal.chainId}, this network is chain ${expected.chainId}`);
  if (getAddress(seal.rosterBook) !== getAddress(expected.rosterBook)) {
    problems.push(
      `it is for the RosterBook at ${seal.rosterBook}, this deployment's is ${getAddress(expected.rosterBook)}`,
    );
  }
  if (seal.rosterId !== expected.rosterId) {
    problems.push(`it seals roster ${seal.rosterId}, not roster ${expected.rosterId}`);
  } else if (seal.root.toLowerCase() !== expected.root.toLowerCase()) {
    problems.push(`it seals root ${seal.root}, but roster ${expected.rosterId} on chain has root ${expected.root}`);
  }
  if (seal.deadline <= expected.now) {
    problems.push(
      `it expired at ${new Date(Number(seal.deadline) * 1000).toISOString()} (the chain's time is ${new Date(Number(expected.now) * 1000).toISOString()}); ask the office for a new seal`,
    );
  }
  return problems;
}

/** The seal as `approveRosterBySig` takes it (the signer kept for messages). */
export function toSignedApproval(seal: RosterSeal): SignedApproval {
  return {
    signer: seal.signer,
    stage: seal.stage,
    nonce: seal.nonce,
    deadline: seal.deadline,
    signature: seal.signature,
  };
}

/** The contract's struct, without the signer, in stage order. */
export function approvalArgs(approvals: readonly SignedApproval[]) {
  return sortByStage(approvals).map(({ stage, nonce, deadline, signature }) => ({ stage, nonce, deadline, signature }));
}

/** A seal read from a file, with the file's name for messages. */
export interface SealFile {
  name: string;
  seal: RosterSeal;
}

export interface RelayPlan {
  /** Seals to relay, in stage order (the order stages that run in order must approve in). */
  toRelay: SealFile[];
  /** Seals of stages that approved already (by transaction or an earlier relay): not sent. */
  alreadyApproved: SealFile[];
  /** One sentence per refused seal, naming its file. Nothing may be sent while any is left. */
  problems: string[];
}

/**
 * Checks seal files against the chain for relaying to roster `rosterId`: each seal against the
 * roster (chain, contract, roster, root, deadline) and its signer against the Directory (the holder
 * of the stage's office), the REVIEWER role and the signer's next keyed nonce; for stages that run
 * in order, that every earlier stage has approved or is relayed with it. Seals of stages that
 * approved already are set aside rather than refused.
 */
export async function planRelay(
  suite: Suite,
  chainId: bigint,
  rosterId: bigint,
  files: readonly SealFile[],
  now: bigint,
): Promise<RelayPlan> {
  const { roster, state } = await suite.lens.rosterView(rosterId);
  const stateName = rosterStateName(state);
  if (stateName !== "AwaitingSignOff") {
    throw new Error(`roster ${rosterId} is ${stateName}, not AwaitingSignOff: seals can no longer be relayed to it`);
  }
  const stages = unpackStages(roster.reviewStages);
  const expected: RelayExpectations = {
    chainId,
    rosterBook: suite.addresses.rosterBook,
    rosterId,
    root: roster.root,
    now,
  };
  const plan: RelayPlan = { toRelay: [], alreadyApproved: [], problems: [] };
  const byStage = new Map<number, string>();
  for (const file of files) {
    const { seal, name } = file;
    const refuse = (problem: string) => plan.problems.push(`${name}: ${problem}`);
    const problems = sealProblems(seal, expected);
    if (problems.length > 0) {
      problems.forEach(refuse);
      continue;
    }
    if (seal.stage >= stages.stages.length) {
      refuse(`it seals stage ${seal.stage + 1}, but roster ${rosterId} has ${stages.stages.length} stages`);
      continue;
    }
    const twin = byStage.get(seal.stage);
    if (twin !== undefined) {
      refuse(`${twin} is a seal of the same ${stageLabel(stages, seal.stage)}; give only one of them`);
      continue;
    }
    byStage.set(seal.stage, name);
    const [office, [isReviewer], next] = await Promise.all([
      suite.directory.officeOf(seal.signer),
      suite.manager.hasRole(Role.REVIEWER, seal.signer),
      suite.rosterBook["nonces(address,uint192)"](seal.signer, seal.nonce >> 64n),
    ]);
    if (stageOfOffice(stages, office, roster.region) !== seal.stage) {
      refuse(
        `its signer ${seal.signer} holds ${describeOffice(office)}, not the office of ${stageLabel(stages, seal.stage)} for region ${roster.region}; ask that office's current account for a new seal`,
      );
      continue;
    }
    if (!isReviewer) {
      refuse(`its signer ${seal.signer} no longer holds the REVIEWER role, so its seals do not count`);
      continue;
    }
    if (((roster.approvals >> BigInt(seal.stage)) & 1n) === 1n) {
      plan.alreadyApproved.push(file);
      continue;
    }
    if (seal.nonce < next) {
      refuse(
        `its nonce ${seal.nonce} was used already by another seal of ${seal.signer}; ask the office for a new seal`,
      );
      continue;
    }
    if (seal.nonce > next) {
      refuse(
        `its nonce ${seal.nonce} is ahead of the signer's next nonce ${next}: an earlier seal of ${seal.signer} with the same key must be relayed first`,
      );
      continue;
    }
    plan.toRelay.push(file);
  }
  plan.toRelay = sortByStage(plan.toRelay.map((f) => ({ ...f, stage: f.seal.stage }))).map(({ name, seal }) => ({
    name,
    seal,
  }));
  if (stages.ordered) {
    // Stages that run in order: each relayed stage needs every earlier one approved or relayed before it.
    let reached = roster.approvals;
    for (const { name, seal } of plan.toRelay) {
      const earlier = (1n << BigInt(seal.stage)) - 1n;
      if ((reached & earlier) !== earlier) {
        const gap = stages.stages.findIndex((_, i) => i < seal.stage && ((reached >> BigInt(i)) & 1n) === 0n);
        plan.problems.push(
          `${name}: the stages of roster ${rosterId} run in order, and ${stageLabel(stages, gap)} has neither approved nor a seal here; relay its seal first or with this one`,
        );
      }
      reached |= 1n << BigInt(seal.stage);
    }
  }
  return plan;
}
