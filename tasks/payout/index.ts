import { emptyTask, task } from "hardhat/config";

import { common, dryRun } from "../common.js";

export const payoutTasks = [
  emptyTask("payout", "Recording payouts (the disburser)").build(),
  common(
    task(
      ["payout", "record"],
      "Pay a roster's payable lines in chunks; rerun to resume after any interruption (DISBURSER)",
    ),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({ name: "bundle", description: "the roster bundle written by `roster submit`", defaultValue: "" })
    .addOption({
      name: "chunkSize",
      description: "at most this many lines per transaction (1-5000; chunks are also cut to fit the gas cap)",
      defaultValue: "5000",
    })
    .addOption({
      name: "window",
      description: "transactions in flight at once, sent in nonce order (1-64)",
      defaultValue: "4",
    })
    .addFlag(dryRun)
    .setAction(() => import("./record.js"))
    .build(),
];
