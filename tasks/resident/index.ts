import { emptyTask, task } from "hardhat/config";

import { keyFree, rpcUrl } from "../common.js";

export const residentTasks = [
  emptyTask("resident", "A household's self-check (read-only: needs no signing key)").build(),
  keyFree(
    task(
      ["resident", "check"],
      "Find your household's payouts from your ID number and the query code on your notice: approvals, publicity, payout, bank confirmation, totals. Only the commitment is sent to the node",
    ),
  )
    .addOption({
      name: "idNumber",
      description:
        "your 18-character resident ID number (leave out to be asked, so that it stays out of your shell history)",
      defaultValue: "",
    })
    .addOption({
      name: "queryCode",
      description: "the query code printed on your notice, XXXX-XXXX-XXXX-XXXX (leave out to be asked)",
      defaultValue: "",
    })
    .addOption({
      name: "explorer",
      description: "block explorer base URL, to print a link for every transaction (e.g. http://127.0.0.1:4000)",
      defaultValue: "",
    })
    .addOption({ name: "explorerKind", description: "blockscout or otterscan", defaultValue: "blockscout" })
    .addOption(rpcUrl)
    .addOption({
      name: "fromBlock",
      description: "first block to read events from (the suite's deployment block)",
      defaultValue: "0",
    })
    .addOption({
      name: "logWindow",
      description: "most blocks per eth_getLogs call (halved automatically when the node refuses)",
      defaultValue: "5000",
    })
    .addOption({
      name: "lang",
      description: "language of the outcome texts: en or zh (the residents' page says the same in both)",
      defaultValue: "en",
    })
    .setAction(() => import("./check.js"))
    .build(),
];
