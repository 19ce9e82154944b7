/**
 * The household a task names: by registry id, or by ID number (the commitment is derived here with
 * the bureau secret; the ID number never leaves this machine).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { householdCommitment } from "../privacy/commitment.js";
import { deriveQueryCode } from "../privacy/queryCode.js";
import { idNumberProblem, normaliseIdNumber } from "../roster/index.js";
import type { Suite } from "../suite.js";
import { bigintArg } from "./args.js";
import { bureauSecret } from "./secret.js";

/** The registry id of --household, or of the household registered with --id-number. */
export async function householdArg(
  args: { household: string; idNumber: string },
  suite: Suite,
  hre: HardhatRuntimeEnvironment,
): Promise<bigint> {
  if (args.household) return bigintArg("household", args.household);
  if (!args.idNumber)
    throw new Error("name the household with --household <registry id> or --id-number <resident ID number>");
  const idNumber = normaliseIdNumber(args.idNumber);
  const problem = idNumberProblem(idNumber);
  if (problem) throw new Error(`--id-number: ${problem}`);
  const commitment = householdCommitment(idNumber, deriveQueryCode(await bureauSecret(hre), idNumber));
  const household = await suite.households.householdIdOf(commitment);
  if (household === 0n) throw new Error("no household with this ID number is registered");
  return household;
}
