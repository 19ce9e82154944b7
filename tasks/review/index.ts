import { emptyTask, task } from "hardhat/config";

import { common, dryRun, reason, reasonFile } from "../common.js";

const roster = { name: "roster", description: "roster id", defaultValue: "" } as const;

export const reviewTasks = [
  emptyTask("review", "Sign-off (会签) of rosters by the reviewing offices of each review stage").build(),
  common(
    task(
      ["review", "approve"],
      "Approve the review stage of a roster that your office reviews (REVIEWER; --from is the office's account)",
    ),
  )
    .addOption(roster)
    .addFlag(dryRun)
    .setAction(() => import("./approve.js"))
    .build(),
  common(
    task(
      ["review", "reject"],
      "Reject a roster awaiting sign-off, as one of its reviewing offices (REVIEWER): the roster ends and its reservation goes back to the region. The reason's hash goes on chain",
    ),
  )
    .addOption(roster)
    .addOption(reason)
    .addOption(reasonFile)
    .addFlag(dryRun)
    .setAction(() => import("./reject.js"))
    .build(),
  common(
    task(
      ["review", "confirm-close"],
      "Co-sign the closing a bureau requested for a roster that still owes lines, as one of its reviewing offices (REVIEWER; not the submitter): the roster closes and its unpaid lines are dropped",
    ),
  )
    .addOption(roster)
    .addFlag(dryRun)
    .setAction(() => import("./confirm-close.js"))
    .build(),
  common(
    task(
      ["review", "show"],
      "Show a roster: its state, which review stages approved and which are missing (and which office reviews each), publicity end, totals",
    ),
  )
    .addOption(roster)
    .setAction(() => import("./show.js"))
    .build(),
  common(
    task(
      ["review", "sign"],
      "Seal a roster off chain (EIP-712 electronic seal) with your reviewing office's account and write the seal file; anyone can relay it with `review relay`",
    ),
  )
    .addOption(roster)
    .addOption({ name: "out", description: "the seal file to write (JSON; must not exist yet)", defaultValue: "" })
    .addOption({
      name: "validHours",
      description:
        "hours until the seal expires (counted from the chain's latest block); short is safer: a seal cannot be cancelled",
      defaultValue: "72",
    })
    .setAction(() => import("./sign.js"))
    .build(),
  common(
    task(
      ["review", "relay"],
      "Submit reviewing offices' seal files for a roster in one transaction (any account may relay; --from pays). Every seal is checked first and nothing is sent if one is bad",
    ),
  )
    .addOption(roster)
    .addVariadicArgument({ name: "seals", description: "seal files written by `review sign`", defaultValue: [] })
    .addFlag(dryRun)
    .setAction(() => import("./relay.js"))
    .build(),
];
