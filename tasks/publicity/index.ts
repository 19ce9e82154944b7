import { emptyTask, task } from "hardhat/config";

import { common, dryRun } from "../common.js";

export const publicityTasks = [
  emptyTask("publicity", "Publicity (公示): objections to roster lines and their resolution").build(),
  common(
    task(
      ["publicity", "object"],
      "Object to one line of a roster in publicity (anyone may): the line is frozen until a reviewing department resolves it. Only the evidence's hash goes on chain",
    ),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({ name: "line", description: "the line's 序号 in the published list (from 1)", defaultValue: "" })
    .addOption({
      name: "evidence",
      description: "the evidence as text (only its keccak256 goes on chain; keep the text)",
      defaultValue: "",
    })
    .addOption({
      name: "evidenceFile",
      description: "or a file holding the evidence (its keccak256 goes on chain)",
      defaultValue: "",
    })
    .addFlag(dryRun)
    .setAction(() => import("./object.js"))
    .build(),
  common(
    task(
      ["publicity", "resolve"],
      "Resolve the objection on a line, or on several lines at once, for your department (REVIEWER): --uphold excludes the line and releases its amount, --dismiss makes it payable again. The line and its proof come from the roster bundle",
    ),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({
      name: "line",
      description:
        "the line's 序号 in the published list (from 1), or several separated by commas (e.g. 3,5,7): resolved in one transaction, all or nothing",
      defaultValue: "",
    })
    .addOption({
      name: "bundle",
      description: "the roster bundle file (roster-bundle.json) the roster was submitted from",
      defaultValue: "",
    })
    .addFlag({ name: "uphold", description: "the objection is right: exclude the line" })
    .addFlag({ name: "dismiss", description: "the objection is wrong: the line stays payable" })
    .addOption({
      name: "reason",
      description: "the reason as text (only its keccak256 goes on chain; keep the text)",
      defaultValue: "",
    })
    .addOption({
      name: "reasonFile",
      description: "or a file holding the reason (its keccak256 goes on chain)",
      defaultValue: "",
    })
    .addFlag(dryRun)
    .setAction(() => import("./resolve.js"))
    .build(),
];
