import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bindOfficeChange } from "../../src/chain/governance.js";
import { bigintArg, regionArg } from "../../src/cli/args.js";
import { type GovernanceArgs, runGovernanceTask } from "../../src/cli/governance.js";
import { type Office, OfficeKind, officeKindArg } from "../../src/offices.js";

interface Args extends GovernanceArgs {
  kind: string;
  region: string;
  department: string;
}

/** The office of --kind, --region and (reviewer offices only) --department. */
function officeArg(args: Args): Office {
  const kind = officeKindArg(args.kind);
  const region = regionArg("region", args.region);
  let department = 0;
  if (kind === OfficeKind.Reviewer) {
    department = Number(bigintArg("department", args.department));
    if (department > 255) throw new Error("--department must be 0-255");
  } else if (args.department) {
    throw new Error(`--department is only for reviewer offices; a ${args.kind} office has no department`);
  }
  return { kind, department, region };
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runGovernanceTask(args, hre, (suite, account) => bindOfficeChange(suite, account, officeArg(args)));
