import { emptyTask, task } from "hardhat/config";

import { common, dryRun } from "../common.js";

export const programmeTasks = [
  emptyTask("programme", "Subsidy programmes").build(),
  common(task(["programme", "create"], "Create a programme (PROGRAMME_ADMIN)"))
    .addOption({
      name: "earmark",
      description: "earmark code, up to 31 bytes (e.g. a budget classification code)",
      defaultValue: "",
    })
    .addOption({ name: "period", description: "fiscal period, e.g. 202611", defaultValue: "" })
    .addOption({
      name: "rootRegion",
      description: "12-digit division code of the region funded first",
      defaultValue: "",
    })
    .addOption({ name: "ceiling", description: "budget ceiling in yuan", defaultValue: "" })
    .addOption({ name: "cap", description: "most one household may get from one line, in yuan", defaultValue: "" })
    .addOption({ name: "publicityDays", description: "publicity period in days", defaultValue: "7" })
    .addOption({
      name: "payoutDays",
      description: "days after publicity by which every approved line must be paid (later: Overdue)",
      defaultValue: "30",
    })
    .addOption({
      name: "stages",
      description:
        "review stages as department@level, e.g. 0@township,0@county,2@county (levels: province, city, county, township, village); each roster is reviewed by those departments' offices above or at its region",
      defaultValue: "",
    })
    .addFlag({
      name: "ordered",
      description: "the stages run in the order given (村级采集—乡镇审核—县级审批); without it, in any order",
    })
    .addOption({
      name: "policyFile",
      description: "the policy document (its keccak256 goes on chain)",
      defaultValue: "",
    })
    .addOption({ name: "policyHash", description: "or the policy document's hash", defaultValue: "" })
    .addOption({ name: "policyUri", description: "where the policy document is published", defaultValue: "" })
    .addFlag(dryRun)
    .setAction(() => import("./create.js"))
    .build(),
  common(task(["programme", "fund"], "Fund a programme's root region, up to its ceiling (PROGRAMME_ADMIN)"))
    .addOption({ name: "programme", description: "programme id", defaultValue: "" })
    .addOption({ name: "amount", description: "amount in yuan", defaultValue: "" })
    .addFlag(dryRun)
    .setAction(() => import("./fund.js"))
    .build(),
  common(task(["programme", "show"], "Show a programme's terms and totals"))
    .addOption({ name: "programme", description: "programme id", defaultValue: "" })
    .setAction(() => import("./show.js"))
    .build(),
];
