/**
 * Governance changes: grant or revoke a role, bind a region's bureau or a department's account.
 * If the signing account's role carries an execution delay, the change is scheduled on the
 * AccessManager (the public sees OperationScheduled) and must be run later with `governance execute`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { callOrSchedule } from "../../src/chain/governance.js";
import { accountFor } from "../../src/chain/signers.js";
import { bigintArg, regionArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { Role, type RoleName } from "../../src/roles.js";

export type ChangeKind = "grant" | "revoke" | "bind-bureau" | "bind-department";

export interface ChangeArgs extends CommonArgs {
  account: string;
  role?: string;
  delay?: string;
  region?: string;
  department?: string;
}

export function runGovernanceChange(kind: ChangeKind, args: ChangeArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, hre, async () => {
    const { suite, signer, out, connection } = await openContext(args, hre);
    if (!args.account) throw new Error("give --account <address or account index>");
    const account = await accountFor(connection, args.account);
    let target: string;
    let data: string;
    let what: string;
    switch (kind) {
      case "grant":
      case "revoke": {
        const name = (args.role ?? "").toUpperCase() as RoleName;
        if (!(name in Role) || name === "PUBLIC") throw new Error(`--role must be one of ${Object.keys(Role).filter((r) => r !== "PUBLIC").join(", ")}`);
        target = suite.addresses.manager;
        data =
          kind === "grant"
            ? suite.manager.interface.encodeFunctionData("grantRole", [Role[name], account, bigintArg("delay", args.delay ?? "0")])
            : suite.manager.interface.encodeFunctionData("revokeRole", [Role[name], account]);
        what = `${kind} ${name} ${kind === "grant" ? "to" : "from"} ${account}`;
        break;
      }
      case "bind-bureau": {
        const region = regionArg("region", args.region ?? "");
        target = suite.addresses.directory;
        data = suite.directory.interface.encodeFunctionData("setRegionBureau", [region, account]);
        what = `bind ${account} as the bureau of region ${region}`;
        break;
      }
      case "bind-department": {
        const department = Number(bigintArg("department", args.department ?? ""));
        if (department > 255) throw new Error("--department must be 0-255");
        target = suite.addresses.directory;
        data = suite.directory.interface.encodeFunctionData("setDepartment", [department, account]);
        what = `bind ${account} as department ${department}`;
        break;
      }
    }
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
