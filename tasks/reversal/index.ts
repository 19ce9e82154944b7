import { emptyTask, task } from "hardhat/config";

import { common, dryRun, reason, reasonFile } from "../common.js";

const reversalId = { name: "id", description: "reversal id", defaultValue: "" } as const;

export const reversalTasks = [
  emptyTask("reversal", "Reversing entries (红字冲销) of wrong payouts, each reviewed by a department").build(),
  common(
    task(
      ["reversal", "request"],
      "Request the reversal of a line the bank confirmed (DISBURSER; a payout not yet confirmed is returned by the bank instead); a required department approves it, then the bank records the recovery",
    ),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({ name: "line", description: "the paid line's 序号 in the published list (from 1)", defaultValue: "" })
    .addOption(reason)
    .addOption(reasonFile)
    .addFlag(dryRun)
    .setAction(() => import("./request.js"))
    .build(),
  common(
    task(
      ["reversal", "approve"],
      "Approve a pending reversal for your department (REVIEWER; not the requester or the roster's submitter): the line awaits the bank's recovery (bank recover), after which its amount goes back to the region",
    ),
  )
    .addOption(reversalId)
    .addFlag(dryRun)
    .setAction(() => import("./approve.js"))
    .build(),
  common(
    task(
      ["reversal", "reject"],
      "Reject a pending reversal for your department (REVIEWER); the line stays as it is. The reason's hash goes on chain",
    ),
  )
    .addOption(reversalId)
    .addOption(reason)
    .addOption(reasonFile)
    .addFlag(dryRun)
    .setAction(() => import("./reject.js"))
    .build(),
  common(task(["reversal", "show"], "Show a reversal: the line, amount, requester, status, and who decided it"))
    .addOption(reversalId)
    .setAction(() => import("./show.js"))
    .build(),
];
