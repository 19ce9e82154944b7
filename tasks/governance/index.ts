import { emptyTask, task } from "hardhat/config";

import { common } from "../common.js";

export const governanceTasks = [
  emptyTask("governance", "Roles, offices, scheduled operations and the emergency stop").build(),
  common(task(["governance", "grant"], "Grant a role to an account (scheduled if your admin role has a delay)"))
    .addOption({
      name: "role",
      description: "GOVERNOR, GUARDIAN, PROGRAMME_ADMIN, BUREAU, REVIEWER, CIVIL_AFFAIRS, DISBURSER, BANK",
      defaultValue: "",
    })
    .addOption({
      name: "account",
      description: "the account: address, or index in the network's accounts",
      defaultValue: "",
    })
    .addOption({
      name: "delay",
      description: "execution delay in seconds for this member (0: none)",
      defaultValue: "0",
    })
    .setAction(() => import("./grant.js"))
    .build(),
  common(task(["governance", "revoke"], "Revoke a role from an account (scheduled if your admin role has a delay)"))
    .addOption({ name: "role", description: "the role's name", defaultValue: "" })
    .addOption({
      name: "account",
      description: "the account: address, or index in the network's accounts",
      defaultValue: "",
    })
    .setAction(() => import("./revoke.js"))
    .build(),
  common(
    task(
      ["governance", "bind-office"],
      "Bind an account to an office of a region: its finance bureau, civil-affairs office, a reviewing department's office, treasury or agent bank (GOVERNOR; scheduled). One account holds one office for life; the office's previous holder is retired",
    ),
  )
    .addOption({
      name: "kind",
      description:
        "the office's kind, by name: bureau (finance bureau), civil-affairs, reviewer (a reviewing department's office), treasury (disbursing office) or bank (agent bank)",
      defaultValue: "",
    })
    .addOption({
      name: "region",
      description:
        "the office's 12-digit division code (it acts for this region and, except a bureau, every region below)",
      defaultValue: "",
    })
    .addOption({
      name: "department",
      description:
        "the reviewing department's number 0-255, as the bureau's config.json \"departments\" names them (e.g. 2 for 财政局 / Finance); reviewer offices only",
      defaultValue: "",
    })
    .addOption({
      name: "account",
      description:
        "the office's account: address or index (a fresh key: an account that held an office before is retired)",
      defaultValue: "",
    })
    .setAction(() => import("./bind-office.js"))
    .build(),
  common(
    task(
      ["governance", "unbind-office"],
      "Vacate an account's office (GOVERNOR; scheduled); the account is retired for good",
    ),
  )
    .addOption({ name: "account", description: "the account: address or index", defaultValue: "" })
    .setAction(() => import("./unbind-office.js"))
    .build(),
  common(task(["governance", "execute"], "Run a scheduled operation once its delay has passed"))
    .addOption({ name: "target", description: "the contract the operation calls", defaultValue: "" })
    .addOption({ name: "data", description: "the call data printed when it was scheduled", defaultValue: "" })
    .setAction(() => import("./execute.js"))
    .build(),
  common(task(["governance", "pause"], "Emergency stop: pause every writing contract at once (GUARDIAN)"))
    .addFlag({ name: "resume", description: "unpause instead" })
    .setAction(() => import("./pause.js"))
    .build(),
];
