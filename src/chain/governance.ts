/**
 * Governance calls through the AccessManager. An account with an execution delay cannot call a
 * restricted function directly: the call is scheduled (evented, so the public sees it) and runs
 * later through `execute`. This module does whichever the account's delay requires, and builds the
 * changes governance makes: grant or revoke a role, bind an account to an office or vacate it.
 */
import type { Signer } from "ethers";

import { describeOffice, type Office } from "../offices.js";
import { Role, type RoleName } from "../roles.js";
import type { Suite } from "../suite.js";

/** A governance change: the call to make (directly or scheduled), and what it does in words. */
export interface GovernanceChange {
  target: string;
  data: string;
  what: string;
}

/** Grants `role` to `account`, with an execution delay (seconds) for that member. */
export function grantRoleChange(suite: Suite, role: RoleName, account: string, delay: bigint): GovernanceChange {
  return {
    target: suite.addresses.manager,
    data: suite.manager.interface.encodeFunctionData("grantRole", [Role[role], account, delay]),
    what: `grant ${role} to ${account}`,
  };
}

export function revokeRoleChange(suite: Suite, role: RoleName, account: string): GovernanceChange {
  return {
    target: suite.addresses.manager,
    data: suite.manager.interface.encodeFunctionData("revokeRole", [Role[role], account]),
    what: `revoke ${role} from ${account}`,
  };
}

/**
 * Binds `account` to `office` (retiring the office's previous holder). Refuses, before anything is
 * scheduled, what the Directory would refuse when it runs: an account that holds an office already
 * or held one before.
 */
export async function bindOfficeChange(suite: Suite, account: string, office: Office): Promise<GovernanceChange> {
  const [held, retired] = await Promise.all([suite.directory.officeOf(account), suite.directory.isRetired(account)]);
  if (Number(held.kind) !== 0) {
    throw new Error(
      `account ${account} already holds ${describeOffice(held)}; one account holds one office: bind a fresh account`,
    );
  }
  if (retired) throw new Error(`account ${account} held an office before and is retired; bind a fresh account`);
  const previous = await suite.directory.holderOf(office);
  return {
    target: suite.addresses.directory,
    data: suite.directory.interface.encodeFunctionData("bindOffice", [account, office]),
    what: `bind ${account} as ${describeOffice(office)}${previous === "0x0000000000000000000000000000000000000000" ? "" : `, replacing (and retiring) ${previous}`}`,
  };
}

/** Vacates the office `account` holds; the account is retired. */
export async function unbindOfficeChange(suite: Suite, account: string): Promise<GovernanceChange> {
  const held = await suite.directory.officeOf(account);
  if (Number(held.kind) === 0) throw new Error(`account ${account} holds no office; there is nothing to unbind`);
  return {
    target: suite.addresses.directory,
    data: suite.directory.interface.encodeFunctionData("unbindOffice", [account]),
    what: `vacate ${describeOffice(held)}, held by ${account} (the account is retired)`,
  };
}

export type GovernanceOutcome =
  { kind: "executed"; txHash: string } | { kind: "scheduled"; txHash: string; operationId: string; runnableAt: Date };

/** Calls `target` with `data` as `signer`: directly if allowed now, otherwise schedules it. */
export async function callOrSchedule(
  suite: Suite,
  signer: Signer,
  target: string,
  data: string,
): Promise<GovernanceOutcome> {
  const caller = await signer.getAddress();
  const manager = suite.manager.connect(signer);
  const selector = data.slice(0, 10);
  const isManager = target.toLowerCase() === suite.addresses.manager.toLowerCase();
  // For the manager's own functions (grantRole, …) the admin's delay applies; canCall answers for targets.
  const [immediate, delay] = isManager
    ? await managerDelay(suite, caller)
    : await suite.manager.canCall(caller, target, selector);
  if (immediate || delay === 0n) {
    const tx = await signer.sendTransaction({ to: target, data });
    await tx.wait();
    return { kind: "executed", txHash: tx.hash };
  }
  const tx = await manager.schedule(target, data, 0);
  const receipt = await tx.wait();
  const log = receipt?.logs
    .map((l) => {
      try {
        return suite.manager.interface.parseLog(l);
      } catch {
        return null;
      }
    })
    .find((l) => l?.name === "OperationScheduled");
  if (!log) throw new Error("the AccessManager did not report the scheduled operation");
  return {
    kind: "scheduled",
    txHash: tx.hash,
    operationId: String(log.args.operationId),
    runnableAt: new Date(Number(log.args.schedule) * 1000),
  };
}

/** Runs a scheduled operation once its delay has passed. */
export async function executeScheduled(suite: Suite, signer: Signer, target: string, data: string): Promise<string> {
  const tx = await suite.manager.connect(signer).execute(target, data);
  await tx.wait();
  return tx.hash;
}

async function managerDelay(suite: Suite, caller: string): Promise<[boolean, bigint]> {
  const [isAdmin, delay] = await suite.manager.hasRole(0n, caller);
  if (!isAdmin) throw new Error(`${caller} is not an admin of the AccessManager`);
  return [delay === 0n, delay];
}
