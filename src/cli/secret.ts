/**
 * The two keys of the project's tools, read like every Hardhat secret: the environment variable if
 * set, else Hardhat's encrypted keystore (`npx hardhat keystore set NAME`). Never from a file in the
 * repository.
 *
 * - BUREAU_SECRET: the bureau's key, from which query codes (and so commitments) are derived.
 * - DEDUP_KEY: the registering office's key, from which person tags are derived (households
 *   register and recommit only). See docs/privacy.md for who holds which.
 * - PREVIOUS_BUREAU_SECRET: the bureau secret being retired, during a deliberate rotation only.
 */
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseBureauSecret, parseDedupKey } from "../privacy/secret.js";

export const BUREAU_SECRET_VARIABLE = "BUREAU_SECRET";
export const DEDUP_KEY_VARIABLE = "DEDUP_KEY";

async function keyVariable(hre: HardhatRuntimeEnvironment, name: string, what: string): Promise<string> {
  const fromEnv = process.env[name];
  if (fromEnv !== undefined) return fromEnv;
  const missing = () =>
    new Error(
      `no ${what}: set it once with \`npx hardhat keystore set ${name}\` (generate one with \`openssl rand -hex 32\`), or export ${name}`,
    );
  try {
    return await hre.hooks.runHandlerChain("configurationVariables", "fetchValue", [configVariable(name)], async () => {
      throw missing();
    });
  } catch (error) {
    // The keystore plugin answers a missing key with its own error (HHE50002), which names the key
    // but not what it is for nor how to make one.
    if (error instanceof Error && error.message.includes(`"${name}"`)) throw missing();
    throw error;
  }
}

export async function bureauSecret(hre: HardhatRuntimeEnvironment): Promise<string> {
  return parseBureauSecret(await keyVariable(hre, BUREAU_SECRET_VARIABLE, "bureau secret"));
}

/** The bureau secret being retired, for `households recommit` only. */
export async function previousBureauSecret(hre: HardhatRuntimeEnvironment): Promise<string> {
  return parseBureauSecret(
    await keyVariable(hre, "PREVIOUS_BUREAU_SECRET", "previous bureau secret (the one being retired)"),
  );
}

export async function dedupKey(hre: HardhatRuntimeEnvironment): Promise<string> {
  return parseDedupKey(
    await keyVariable(hre, DEDUP_KEY_VARIABLE, "deduplication key (the registering office's key for person tags)"),
  );
}
