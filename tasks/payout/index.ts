import { emptyTask, task } from "hardhat/config";

import { common, dryRun } from "../common.js";

export const payoutTasks = [
  emptyTask("payout", "Recording payouts (the disburser)").build(),
  common(task(["payout", "record"], "Pay a roster's payable lines in chunks; rerun to resume after any interruption (DISBURSER)"))
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({ name: "bundle", description: "the roster bundle written by `roster submit`", defaultValue: "" })
    .addOption({ name: "chunkSize", description: "lines per transaction (1-2500)", defaultValue: "1000" })
    .addFlag(dryRun)
    .setAction(() => import("./record.js"))
    .build(),
];
