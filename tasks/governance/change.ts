/**
 * Governance changes: grant or revoke a role, bind an account to an office or vacate it.
 * If the signing account's role carries an execution delay, the change is scheduled on the
 * AccessManager (the public sees OperationScheduled) and must be run later with `governance execute`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { callOrSchedule } from "../../src/chain/governance.js";
import { accountFor } from "../../src/cli/accounts.js";
import { bigintArg, regionArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { describeOffice, OfficeKind, officeKindArg } from "../../src/offices.js";
import { Role, type RoleName } from "../../src/roles.js";

export type ChangeKind = "grant" | "revoke" | "bind-office" | "unbind-office";

export interface ChangeArgs extends CommonArgs {
  account: string;
  role?: string;
  delay?: string;
  region?: string;
  department?: string;
  kind?: string;
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
        if (!(name in Role) || name === "PUBLIC")
          throw new Error(
            `--role must be one of ${Object.keys(Role)
              .filter((r) => r !== "PUBLIC")
              .join(", ")}`,
          );
        target = suite.addresses.manager;
        data =
          kind === "grant"
            ? suite.manager.interface.encodeFunctionData("grantRole", [
                Role[name],
                account,
                bigintArg("delay", args.delay ?? "0"),
              ])
            : suite.manager.interface.encodeFunctionData("revokeRole", [Role[name], account]);
        what = `${kind} ${name} ${kind === "grant" ? "to" : "from"} ${account}`;
        break;
      }
      case "bind-office": {
        const kind = officeKindArg(args.kind ?? "");
        const region = regionArg("region", args.region ?? "");
        let department = 0;
        if (kind === OfficeKind.Reviewer) {
          department = Number(bigintArg("department", args.department ?? ""));
          if (department > 255) throw new Error("--department must be 0-255");
        } else if (args.department) {
          throw new Error(`--department is only for reviewer offices; a ${args.kind} office has no department`);
        }
        const office = { kind, department, region };
        // Refuse before scheduling what the Directory would refuse when it runs.
        const [held, retired] = await Promise.all([
          suite.directory.officeOf(account),
          suite.directory.isRetired(account),
        ]);
        if (Number(held.kind) !== 0) {
          throw new Error(
            `account ${account} already holds ${describeOffice(held)}; one account holds one office: bind a fresh account`,
          );
        }
        if (retired) throw new Error(`account ${account} held an office before and is retired; bind a fresh account`);
        const previous = await suite.directory.holderOf(office);
        target = suite.addresses.directory;
        data = suite.directory.interface.encodeFunctionData("bindOffice", [account, office]);
        what = `bind ${account} as ${describeOffice(office)}${previous === "0x0000000000000000000000000000000000000000" ? "" : `, replacing (and retiring) ${previous}`}`;
        break;
      }
      case "unbind-office": {
        const held = await suite.directory.officeOf(account);
        if (Number(held.kind) === 0) throw new Error(`account ${account} holds no office; there is nothing to unbind`);
        target = suite.addresses.directory;
        data = suite.directory.interface.encodeFunctionData("unbindOffice", [account]);
        what = `vacate ${describeOffice(held)}, held by ${account} (the account is retired)`;
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
