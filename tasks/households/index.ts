import { emptyTask, task } from "hardhat/config";

import { common, dryRun } from "../common.js";

const statusOptions = <T extends ReturnType<typeof common>>(t: T) =>
  t
    .addOption({ name: "household", description: "the household's registry id", defaultValue: "" })
    .addOption({
      name: "idNumber",
      description: "or its resident ID number (needs the bureau secret; stays on this machine)",
      defaultValue: "",
    })
    .addOption({ name: "reason", description: "the reason, as text (only its hash goes on chain)", defaultValue: "" })
    .addOption({ name: "reasonFile", description: "or a document (only its hash goes on chain)", defaultValue: "" });

export const householdsTasks = [
  emptyTask("households", "The household register (civil affairs)").build(),
  common(
    task(
      ["households", "register"],
      "Register the households of a roster file, skipping those already registered (CIVIL_AFFAIRS; needs BUREAU_SECRET and the office's DEDUP_KEY). Refuses, sending nothing, a person registered already under another commitment",
    ),
  )
    .addOption({ name: "roster", description: "the roster file (.csv UTF-8/GB18030 or .xlsx)", defaultValue: "" })
    .addOption({
      name: "region",
      description: "every village must lie in this region (optional check)",
      defaultValue: "",
    })
    .addOption({
      name: "attestation",
      description: "the civil-affairs attestation, as text (its hash goes on chain)",
      defaultValue: "",
    })
    .addOption({ name: "attestationFile", description: "or the attestation document", defaultValue: "" })
    .addFlag(dryRun)
    .setAction(() => import("./register.js"))
    .build(),
  common(
    task(
      ["households", "recommit"],
      "Rotate the bureau secret for a roster's people (CIVIL_AFFAIRS): each household registered under the previous secret (PREVIOUS_BUREAU_SECRET) " +
        "takes the commitment of the new one (BUREAU_SECRET), keeping its id, status and payouts; the person tag (DEDUP_KEY) proves it is the same person. " +
        "Rerunnable; households then need notices with their new query codes",
    ),
  )
    .addOption({
      name: "roster",
      description: "the roster file (.csv UTF-8/GB18030 or .xlsx) naming the people",
      defaultValue: "",
    })
    .addOption({
      name: "reason",
      description: "why the secret is rotated, as text (its hash goes on chain)",
      defaultValue: "",
    })
    .addOption({ name: "reasonFile", description: "or a document (its hash goes on chain)", defaultValue: "" })
    .addFlag(dryRun)
    .setAction(() => import("./recommit.js"))
    .build(),
  common(
    task(
      ["households", "import"],
      "Copy the households of the suite this one succeeds (CIVIL_AFFAIRS): same ids, commitments, person tags and suspensions, each checked on chain against the predecessor, which must be paused. Rerunnable; check with audit verify-register",
    ),
  )
    .addOption({ name: "predecessor", description: "the predecessor suite's deployment record", defaultValue: "" })
    .addOption({
      name: "fromBlock",
      description: "first block to read the predecessor's registrations from (its deployment block)",
      defaultValue: "0",
    })
    .setAction(() => import("./import.js"))
    .build(),
  statusOptions(
    common(task(["households", "suspend"], "Suspend a household: it is never paid while suspended (CIVIL_AFFAIRS)")),
  )
    .addOption({ name: "why", description: "deceased, moved, ineligible or other", defaultValue: "" })
    .setAction(() => import("./suspend.js"))
    .build(),
  statusOptions(
    common(
      task(
        ["households", "reinstate"],
        "Reinstate a suspended household (CIVIL_AFFAIRS); one suspended as deceased needs two different civil-affairs accounts: the first proposes, the second confirms",
      ),
    ),
  )
    .setAction(() => import("./reinstate.js"))
    .build(),
];
