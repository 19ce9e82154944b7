/**
 * The bureau secret from which query codes are derived. Read like every Hardhat secret: the
 * environment variable BUREAU_SECRET if set, else Hardhat's encrypted keystore
 * (`npx hardhat keystore set BUREAU_SECRET`). Never from a file in the repository.
 */
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseBureauSecret } from "../privacy/secret.js";

export const BUREAU_SECRET_VARIABLE = "BUREAU_SECRET";

export async function bureauSecret(hre: HardhatRuntimeEnvironment): Promise<string> {
  const fromEnv = process.env[BUREAU_SECRET_VARIABLE];
  const raw =
    fromEnv ??
    (await hre.hooks.runHandlerChain("configurationVariables", "fetchValue", [configVariable(BUREAU_SECRET_VARIABLE)], async () => {
      throw new Error(
        `no bureau secret: set it once with \`npx hardhat keystore set ${BUREAU_SECRET_VARIABLE}\` (generate one with \`openssl rand -hex 32\`), or export ${BUREAU_SECRET_VARIABLE}`,
      );
    }));
  return parseBureauSecret(raw);
}
