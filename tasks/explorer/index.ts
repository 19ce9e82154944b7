/** Publishing the suite's contracts to block explorers (read-only: needs no signing key). */
import { emptyTask, task } from "hardhat/config";

import { keyFree, rpcUrl } from "../common.js";

export const explorerTasks = [
  emptyTask("explorer", "Publish the suite's contracts to block explorers (read-only: needs no signing key)").build(),
  keyFree(
    task(
      ["explorer", "sourcify"],
      "Write a Sourcify repository (full_match layout) of a deployment's contracts, for Otterscan or a self-hosted Sourcify to serve; each contract is checked against the chain first",
    ),
  )
    .addOption({
      name: "out",
      description: "the repository's root directory (created if missing; each contract's directory is replaced)",
      defaultValue: "",
    })
    .addOption(rpcUrl)
    .setAction(() => import("./sourcify.js"))
    .build(),
];
