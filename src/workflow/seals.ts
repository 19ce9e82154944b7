/**
 * Electronic seals (电子签章) for the joint sign-off: a department account signs the EIP-712
 * RosterApproval of one roster off chain, the seal travels as a small JSON file, and anyone relays
 * the seals of several departments in one `approveRosterBySig` transaction.
 *
 * A seal file is checked twice: when it is read (its shape, and that its signature was made by the
 * account it names over exactly the values it holds, so that a file edited after signing is
 * refused), and before it is relayed (right chain, contract, roster and root, not expired, the
 * signer still the department's account). The contract checks all of this again; the checks here
 * only turn its refusals into messages a clerk can act on, before anything is sent.
 */
import { getAddress, type Signer, verifyTypedData } from "ethers";
import { z } from "zod";

import { approvalDomain, APPROVAL_TYPES, type ApprovalMessage, type SignedApproval, sortBySigner } from "../approvals.js";
import { Role } from "../roles.js";
import type { Suite } from "../suite.js";
import { rosterStateName } from "../chain/states.js";

export const SEAL_FORMAT = "fund-disbursement/roster-seal@1";

/** RosterBook.RosterState, by its numeric value. */

/** IDirectory.BindingKind. */
const BINDING_KINDS = ["none", "bureau", "department"] as const;

/** The departments whose bits are set in a bitmask, ascending. */
export function departmentsIn(mask: bigint): number[] {
  const ids: number[] = [];
  for (let d = 0; d < 256; d++) if ((mask >> BigInt(d)) & 1n) ids.push(d);
  return ids;
}

/** One seal, as the file holds it (bigints as decimal strings in JSON). */
export interface RosterSeal {
  format: typeof SEAL_FORMAT;
  chainId: bigint;
  rosterBook: string;
  rosterId: bigint;
  root: string;
  department: number;
  signer: string;
  nonce: bigint;
  deadline: bigint;
  signature: string;
}

/** What a department signs, with the chain, contract and account it is bound to. */
export type SealRequest = Omit<RosterSeal, "format" | "signature">;

/**
 * Reads from the chain what `signer` needs to seal roster `rosterId`, refusing (with the reason and
 * the fix) when the seal could never count: the account is not a department's, the roster does not
 * require that department, the department approved already, or the roster is not awaiting sign-off.
 * The nonce is the contract's next keyed nonce for key = roster id.
 */
export async function prepareSeal(
  suite: Suite,
  chainId: bigint,
  signer: string,
  rosterId: bigint,
  deadline: bigint,
): Promise<SealRequest> {
  const binding = await suite.directory.bindingOf(signer);
  if (Number(binding.kind) !== 2) {
    const kind = BINDING_KINDS[Number(binding.kind)] ?? `kind ${binding.kind}`;
    const held = kind === "bureau" ? ` (it is the finance bureau of region ${binding.id})` : "";
    throw new Error(
      `account ${signer} is not bound to a reviewing department in the Directory${held}: only a department's account can seal a roster; sign with that account (--from)`,
    );
  }
  const department = Number(binding.id);
  const { roster, state } = await suite.lens.rosterView(rosterId);
  const stateName = rosterStateName(state);
  if (stateName !== "AwaitingSignOff") {
    throw new Error(`roster ${rosterId} is ${stateName}, not AwaitingSignOff: there is nothing to seal`);
  }
  if (((roster.requiredDepartments >> BigInt(department)) & 1n) === 0n) {
    throw new Error(
      `roster ${rosterId} does not require department ${department} (it requires ${departmentsIn(roster.requiredDepartments).join(", ")}): a seal of department ${department} would not count`,
    );
  }
  if (roster.submitter.toLowerCase() === signer.toLowerCase()) {
    throw new Error(`account ${signer} submitted roster ${rosterId} and may not review it`);
  }
  if (((roster.approvals >> BigInt(department)) & 1n) === 1n) {
    throw new Error(`department ${department} has already approved roster ${rosterId}; no seal is needed`);
  }
  const nonce = await suite.rosterBook["nonces(address,uint192)"](signer, rosterId);
  return {
    chainId,
    rosterBook: getAddress(suite.addresses.rosterBook),
    rosterId,
    root: roster.root,
    department,
    signer: getAddress(signer),
    nonce,
    deadline,
  };
}

function messageOf(seal: SealRequest): ApprovalMessage {
  return { rosterId: seal.rosterId, root: seal.root, department: seal.department, nonce: seal.nonce, deadline: seal.deadline };
}

/** The account that signed `seal`'s values (whatever its `signer` field says). */
export function recoverSealSigner(seal: RosterSeal): string {
  return verifyTypedData(approvalDomain(seal.rosterBook, seal.chainId), APPROVAL_TYPES, messageOf(seal), seal.signature);
}

/** Signs the EIP-712 RosterApproval of `request` with `signer` (which must be `request.signer`). */
export async function signSeal(signer: Signer, request: SealRequest): Promise<RosterSeal> {
  const address = await signer.getAddress();
  if (getAddress(address) !== getAddress(request.signer)) {
    throw new Error(`the seal is for ${request.signer} but the signing account is ${address}`);
  }
  const signature = await signer.signTypedData(approvalDomain(request.rosterBook, request.chainId), APPROVAL_TYPES, messageOf(request));
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
    department: seal.department,
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
  department: z.number().int().min(0).max(255),
  signer: address,
  nonce: decimal,
  deadline: decimal,
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "expected a 65-byte signature (0x and 130 hex digits)"),
});

/**
 * Reads a seal file: checks its shape and that its signature was made by its `signer` over exactly
 * its values. A file changed after signing (another roster, department, deadline, …) is refused.
 * `name` (the file name) prefixes every message.
 */
export function sealFromJson(text: string, name: string): RosterSeal {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not a seal file (not valid JSON: ${(error as Error).message})`);
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
    department: f.department,
    signer: getAddress(f.signer.toLowerCase()),
    nonce: BigInt(f.nonce),
    deadline: BigInt(f.deadline),
    signature: f.signature,
  };
  let recovered: string;
  try {
    recovered = getAddress(recoverSealSigner(seal));
  } catch (error) {
    throw new Error(`${name}: the signature is malformed (${(error as Error).message}); ask the department for a new seal`);
  }
  if (recovered !== seal.signer) {
    throw new Error(
      `${name}: the signature was not made by ${seal.signer} over the values in this file (the file was changed after signing); ask the department for a new seal`,
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
  if (seal.chainId !== expected.chainId) problems.push(`it is for chain ${seal.chainId}, this network is chain ${expected.chainId}`);
  if (getAddress(seal.rosterBook) !== getAddress(expected.rosterBook)) {
    problems.push(`it is for the RosterBook at ${seal.rosterBook}, this deployment's is ${getAddress(expected.rosterBook)}`);
  }
  if (seal.rosterId !== expected.rosterId) {
    problems.push(`it seals roster ${seal.rosterId}, not roster ${expected.rosterId}`);
  } else if (seal.root.toLowerCase() !== expected.root.toLowerCase()) {
    problems.push(`it seals root ${seal.root}, but roster ${expected.rosterId} on chain has root ${expected.root}`);
  }
  if (seal.deadline <= expected.now) {
    problems.push(
      `it expired at ${new Date(Number(seal.deadline) * 1000).toISOString()} (the chain's time is ${new Date(Number(expected.now) * 1000).toISOString()}); ask the department for a new seal`,
    );
  }
  return problems;
}

/** The seal as `approveRosterBySig` takes it (the signer kept for ordering with sortBySigner). */
export function toSignedApproval(seal: RosterSeal): SignedApproval {
  return { signer: seal.signer, department: seal.department, nonce: seal.nonce, deadline: seal.deadline, signature: seal.signature };
}

/** The contract's struct, without the signer. */
export function approvalArgs(approvals: readonly SignedApproval[]) {
  return approvals.map(({ department, nonce, deadline, signature }) => ({ department, nonce, deadline, signature }));
}

/** A seal read from a file, with the file's name for messages. */
export interface SealFile {
  name: string;
  seal: RosterSeal;
}

export interface RelayPlan {
  /** Seals to relay, sorted by signer as approveRosterBySig requires. */
  toRelay: SealFile[];
  /** Seals of departments that approved already (by transaction or an earlier relay): not sent. */
  alreadyApproved: SealFile[];
  /** One sentence per refused seal, naming its file. Nothing may be sent while any is left. */
  problems: string[];
}

/**
 * Checks seal files against the chain for relaying to roster `rosterId`: each seal against the
 * roster (chain, contract, roster, root, deadline) and its signer against the Directory, the
 * REVIEWER role, the roster's required departments and the signer's next keyed nonce. Seals of
 * departments that approved already are set aside rather than refused.
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
  const expected: RelayExpectations = { chainId, rosterBook: suite.addresses.rosterBook, rosterId, root: roster.root, now };
  const plan: RelayPlan = { toRelay: [], alreadyApproved: [], problems: [] };
  const bySigner = new Map<string, string>();
  const byDepartment = new Map<number, string>();
  for (const file of files) {
    const { seal, name } = file;
    const refuse = (problem: string) => plan.problems.push(`${name}: ${problem}`);
    const problems = sealProblems(seal, expected);
    if (problems.length > 0) {
      problems.forEach(refuse);
      continue;
    }
    const twinOfSigner = bySigner.get(seal.signer);
    const twinOfDepartment = byDepartment.get(seal.department);
    if (twinOfSigner !== undefined || twinOfDepartment !== undefined) {
      refuse(`${twinOfSigner ?? twinOfDepartment} is a seal of the same department ${seal.department}; give only one of them`);
      continue;
    }
    bySigner.set(seal.signer, name);
    byDepartment.set(seal.department, name);
    const [binding, [isReviewer], next] = await Promise.all([
      suite.directory.bindingOf(seal.signer),
      suite.manager.hasRole(Role.REVIEWER, seal.signer),
      suite.rosterBook["nonces(address,uint192)"](seal.signer, seal.nonce >> 64n),
    ]);
    if (Number(binding.kind) !== 2 || Number(binding.id) !== seal.department) {
      refuse(`its signer ${seal.signer} is no longer the account of department ${seal.department} in the Directory; ask the department's current account for a new seal`);
      continue;
    }
    if (!isReviewer) {
      refuse(`its signer ${seal.signer} no longer holds the REVIEWER role, so its seals do not count`);
      continue;
    }
    if (((roster.requiredDepartments >> BigInt(seal.department)) & 1n) === 0n) {
      refuse(`roster ${rosterId} does not require department ${seal.department} (it requires ${departmentsIn(roster.requiredDepartments).join(", ")})`);
      continue;
    }
    if (((roster.approvals >> BigInt(seal.department)) & 1n) === 1n) {
      plan.alreadyApproved.push(file);
      continue;
    }
    if (seal.nonce < next) {
      refuse(`its nonce ${seal.nonce} was used already by another seal of ${seal.signer}; ask the department for a new seal`);
      continue;
    }
    if (seal.nonce > next) {
      refuse(`its nonce ${seal.nonce} is ahead of the signer's next nonce ${next}: an earlier seal of ${seal.signer} with the same key must be relayed first`);
      continue;
    }
    plan.toRelay.push(file);
  }
  plan.toRelay = sortBySigner(plan.toRelay.map((f) => ({ ...f, signer: f.seal.signer }))).map(({ name, seal }) => ({ name, seal }));
  return plan;
}

// ------------------------------------------------------------------------------------ sign-off status

export interface DepartmentApproval {
  department: number;
  /** The department's account in the Directory now (zero address: none bound). */
  account: string;
  approved: boolean;
}

export interface SignOffStatus {
  rosterId: bigint;
  state: string;
  departments: DepartmentApproval[];
  /** Required departments that have not approved yet. */
  missing: number[];
  /** When publicity ends (the roster becomes Payable); undefined before sign-off. */
  publicityEndsAt?: Date;
}

/** The roster's joint sign-off: each required department, its account, and whether it approved. */
export async function signOffOf(suite: Suite, rosterId: bigint): Promise<SignOffStatus & { view: Awaited<ReturnType<Suite["lens"]["rosterView"]>> }> {
  const view = await suite.lens.rosterView(rosterId);
  const { roster } = view;
  const required = departmentsIn(roster.requiredDepartments);
  const accounts = await Promise.all(required.map((d) => suite.directory.departmentAccount(d)));
  const departments = required.map((department, i) => ({
    department,
    account: accounts[i]!,
    approved: ((roster.approvals >> BigInt(department)) & 1n) === 1n,
  }));
  return {
    rosterId,
    state: rosterStateName(view.state),
    departments,
    missing: departments.filter((d) => !d.approved).map((d) => d.department),
    publicityEndsAt: roster.approvedAt === 0n ? undefined : new Date(Number(roster.approvedAt + roster.publicityPeriod) * 1000),
    view,
  };
}
