import { emptyTask, task } from "hardhat/config";

import { common, dryRun } from "../common.js";

export const budgetTasks = [
  emptyTask("budget", "The budget tree").build(),
  common(task(["budget", "allocate"], "Allocate budget from a region to a descendant (the parent's BUREAU)"))
    .addOption({ name: "programme", description: "programme id", defaultValue: "" })
    .addOption({ name: "fromRegion", description: "the allocating region", defaultValue: "" })
    .addOption({ name: "toRegion", description: "the receiving region", defaultValue: "" })
    .addOption({ name: "amount", description: "amount in yuan", defaultValue: "" })
    .addFlag({ name: "reclaim", description: "take unused budget back from --to-region instead" })
    .addFlag(dryRun)
    .setAction(() => import("./allocate.js"))
    .build(),
  common(task(["budget", "show"], "Show regions' balances in a programme"))
    .addOption({ name: "programme", description: "programme id", defaultValue: "" })
    .addVariadicArgument({ name: "regions", description: "region codes", defaultValue: [] })
    .setAction(() => import("./show.js"))
    .build(),
];
