import { emptyTask, task } from "hardhat/config";

export const devTasks = [
  emptyTask("dev", "Helpers for local development chains only").build(),
  task(["dev", "advance-time"], "Move a local chain's clock forward, e.g. past a publicity period")
    .addOption({ name: "days", description: "days to move forward", defaultValue: "7" })
    .addFlag({ name: "json", description: "print the result as JSON" })
    .setAction(() => import("./advance-time.js"))
    .build(),
];
