import { emptyTask, task } from "hardhat/config";

import { common, dryRun } from "../common.js";

export const bankTasks = [
  emptyTask("bank", "Settlement by the bank: confirmed credits, returned payouts and recovered reversals").build(),
  common(
    task(
      ["bank", "settle"],
      "Record the bank's result file for a paid roster (BANK): confirms credited lines, returns sent-back lines (their money goes back to the region). " +
        "CSV UTF-8 with header 序号,状态,银行流水号 (序号 as in the published list, from 1; older files: line,status,bank_reference with line from 0); status 成功/CONFIRMED or 退回/RETURNED. " +
        "Every row is checked first and nothing is sent if one is bad; rerunning the same file skips what is done",
    ),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({ name: "file", description: "the bank's result file (CSV)", defaultValue: "" })
    .addOption({ name: "chunkSize", description: "lines per transaction", defaultValue: "500" })
    .addFlag(dryRun)
    .setAction(() => import("./settle.js"))
    .build(),
  common(
    task(
      ["bank", "recover"],
      "Record that the bank recovered an approved reversal's money from the household's card (BANK): only then does the amount go back to the region and may the household be paid again",
    ),
  )
    .addOption({ name: "reversal", description: "the approved reversal's id", defaultValue: "" })
    .addOption({
      name: "reference",
      description: "the bank's transaction number of the recovery (its keccak256 goes on chain)",
      defaultValue: "",
    })
    .addFlag(dryRun)
    .setAction(() => import("./recover.js"))
    .build(),
];
