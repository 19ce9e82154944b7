/**
 * Governance calls through the AccessManager. An account with an execution delay cannot call a
 * restricted function directly: the call is scheduled (evented, so the public sees it) and runs
 * later through `execute`. This module does whichever the account's delay requires.
 */
import type { Signer } from "ethers";

import type { Suite } from "../suite.js";

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
