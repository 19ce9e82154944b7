import { emptyTask, task } from "hardhat/config";

import { common } from "../common.js";

export const governanceTasks = [
  emptyTask("governance", "Roles, directory bindings, scheduled operations and the emergency stop").build(),
  common(task(["governance", "grant"], "Grant a role to an account (scheduled if your admin role has a delay)"))
    .addOption({ name: "role", description: "GOVERNOR, GUARDIAN, PROGRAMME_ADMIN, BUREAU, REVIEWER, CIVIL_AFFAIRS, DISBURSER, BANK", defaultValue: "" })
    .addOption({ name: "account", description: "the account: address, or index in the network's accounts", defaultValue: "" })
    .addOption({ name: "delay", description: "execution delay in seconds for this member (0: none)", defaultValue: "0" })
    .setAction(() => import("./grant.js"))
    .build(),
  common(task(["governance", "revoke"], "Revoke a role from an account (scheduled if your admin role has a delay)"))
    .addOption({ name: "role", description: "the role's name", defaultValue: "" })
    .addOption({ name: "account", description: "the account: address, or index in the network's accounts", defaultValue: "" })
    .setAction(() => import("./revoke.js"))
    .build(),
  common(task(["governance", "bind-bureau"], "Bind an account as a region's finance bureau (GOVERNOR; scheduled)"))
    .addOption({ name: "region", description: "12-digit division code", defaultValue: "" })
    .addOption({ name: "account", description: "the bureau's account: address or index (0x000…0 to unbind)", defaultValue: "" })
    .setAction(() => import("./bind-bureau.js"))
    .build(),
  common(task(["governance", "bind-department"], "Bind an account as a reviewing department (GOVERNOR; scheduled)"))
    .addOption({ name: "department", description: "department id 0-255", defaultValue: "" })
    .addOption({ name: "account", description: "the department's account: address or index (0x000…0 to unbind)", defaultValue: "" })
    .setAction(() => import("./bind-department.js"))
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
