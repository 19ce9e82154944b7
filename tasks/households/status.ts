/**
 * Suspends (deceased, moved away, found ineligible, other) or reinstates a household, by registry id
 * or by ID number (the commitment is derived locally with the bureau secret; the ID number never
 * leaves this machine). The reason's hash goes on chain.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { hashedText } from "../../src/cli/reason.js";
import { bureauSecret } from "../../src/cli/secret.js";
import { householdCommitment } from "../../src/privacy/commitment.js";
import { deriveQueryCode } from "../../src/privacy/queryCode.js";
import { idNumberProblem, normaliseIdNumber } from "../../src/roster/index.js";

export interface StatusArgs extends CommonArgs {
  household: string;
  idNumber: string;
  why?: string;
  reason: string;
  reasonFile: string;
}

const WHY = { deceased: 0, moved: 1, ineligible: 2, other: 3 } as const;

export function changeStatus(action: "suspend" | "reinstate", args: StatusArgs, hre: HardhatRuntimeEnvironment) {
  return runTask(args, hre, async () => {
    const hash = (await hashedText("reason", args.reason, args.reasonFile)).hash;
    const { suite, out } = await openContext(args, hre);
    let household: bigint;
    if (args.household) {
      household = bigintArg("household", args.household);
    } else if (args.idNumber) {
      const idNumber = normaliseIdNumber(args.idNumber);
      const problem = idNumberProblem(idNumber);
      if (problem) throw new Error(`--id-number: ${problem}`);
      const commitment = householdCommitment(idNumber, deriveQueryCode(await bureauSecret(hre), idNumber));
      household = await suite.households.householdIdOf(commitment);
      if (household === 0n) throw new Error("no household with this ID number is registered");
    } else {
      throw new Error("name the household with --household <registry id> or --id-number <resident ID number>");
    }
    let tx;
    if (action === "suspend") {
      const why = WHY[(args.why ?? "") as keyof typeof WHY];
      if (why === undefined) throw new Error(`--why must be one of ${Object.keys(WHY).join(", ")}`);
      tx = await suite.households.suspendHousehold(household, why, hash);
    } else {
      tx = await suite.households.reinstateHousehold(household, hash);
    }
    const receipt = await tx.wait();
    // A household suspended as deceased is reinstated by two accounts: the first call only proposes.
    const proposed = (receipt?.logs ?? []).some(
      (log) => suite.households.interface.parseLog(log)?.name === "ReinstatementProposed",
    );
    const done = action === "suspend" ? "suspended" : proposed ? "proposed for reinstatement" : "reinstated";
    out.result(
      { household, action, proposed, reasonHash: hash, txHash: tx.hash },
      proposed
        ? `household ${household}: ${done}; it was suspended as deceased, so a second civil-affairs office must confirm (households reinstate --household ${household}) before it can be paid (tx ${tx.hash})`
        : `household ${household}: ${done} (tx ${tx.hash})`,
    );
  });
}
