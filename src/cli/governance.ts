/**
 * What the governance tasks share: the account a change is about (--account), and sending the
 * change. If the signing account's role carries an execution delay, the change is scheduled on the
 * AccessManager (the public sees OperationScheduled) and must be run later with `governance execute`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { callOrSchedule, type GovernanceChange } from "../chain/governance.js";
import { accountFor } from "./accounts.js";
import type { Suite } from "../suite.js";
import { type CommonArgs, openContext, runTask } from "./context.js";

export interface GovernanceArgs extends CommonArgs {
  account: string;
}

/**
 * Runs a governance task: reads --account, builds the change with `change`, then makes it or
 * schedules it and prints which (with the command that runs a scheduled change).
 */
export function runGovernanceTask<A extends GovernanceArgs>(
  args: A,
  hre: HardhatRuntimeEnvironment,
  change: (suite: Suite, account: string) => GovernanceChange | Promise<GovernanceChange>,
): Promise<void> {
  return runTask(args, hre, async () => {
    const { suite, signer, out, connection } = await openContext(args, hre);
    if (!args.account) throw new Error("give --account <address or account index>");
    const { target, data, what } = await change(suite, await accountFor(connection, args.account));
    out.say(what);
    const outcome = await callOrSchedule(suite, signer, target, data);
    if (outcome.kind === "executed") {
      out.result({ ...outcome, target, data }, `done (tx ${outcome.txHash})`);
    } else {
      out.result(
        { ...outcome, runnableAt: outcome.runnableAt.toISOString(), target, data },
        `scheduled (operation ${outcome.operationId}); it can run from ${outcome.runnableAt.toISOString()} with:\n` +
          `  npx hardhat governance execute --target ${target} --data ${data}`,
      );
    }
  });
}
