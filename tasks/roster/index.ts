import { emptyTask, task } from "hardhat/config";

import { DEFAULT_PORTAL_URL } from "../../src/documents/links.js";
import { common, dryRun } from "../common.js";

export const rosterTasks = [
  emptyTask("roster", "Payout rosters (the region's finance bureau)").build(),
  common(
    task(
      ["roster", "submit"],
      "Validate a roster file, write its bundle, published list and notices, and submit it (BUREAU)",
    ),
  )
    .addOption({ name: "programme", description: "programme id", defaultValue: "" })
    .addOption({
      name: "region",
      description: "the submitting region's 12-digit code (your bureau's)",
      defaultValue: "",
    })
    .addOption({ name: "roster", description: "the roster file (.csv UTF-8/GB18030 or .xlsx)", defaultValue: "" })
    .addOption({
      name: "out",
      description: "folder for the roster bundle, published list and household notices",
      defaultValue: "",
    })
    .addOption({
      name: "documentUri",
      description: "where the published list (公示名单) will be posted",
      defaultValue: "",
    })
    .addOption({
      name: "chunkSize",
      description:
        "lines put on chain per transaction (1 … 5000; fewer for a chain with a lower gas limit per transaction)",
      defaultValue: "5000",
    })
    .addFlag({
      name: "pdf",
      description:
        "once the roster is on chain, also write the village notice (village-notice.pdf, public) and the household notices (household-notices.PRIVATE.pdf, one page each) into --out",
    })
    .addOption({
      name: "portalUrl",
      description:
        "the portal's page address, for the notices' QR codes (#/check?roster=<id>, #/household?code=<code>)",
      defaultValue: DEFAULT_PORTAL_URL,
    })
    .addOption({
      name: "font",
      description:
        "a Chinese font for the PDFs (default: Debian's fonts-noto-cjk; or the CJK_FONT variable), a .ttc as <file>#<PostScriptName>",
      defaultValue: "",
    })
    .addFlag(dryRun)
    .setAction(() => import("./submit.js"))
    .build(),
  common(
    task(["roster", "withdraw"], "Withdraw a roster still awaiting sign-off; its reservation is released (BUREAU)"),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({ name: "reason", description: "why, as text (only its hash goes on chain)", defaultValue: "" })
    .addOption({ name: "reasonFile", description: "or a document", defaultValue: "" })
    .setAction(() => import("./withdraw.js"))
    .build(),
  common(
    task(
      ["roster", "close"],
      "Close a payable roster; what it did not pay goes back to the region (BUREAU). A roster that still owes lines closes only with --reason and a reviewing department's confirmation (review confirm-close)",
    ),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({
      name: "reason",
      description: "why lines still owed are dropped, as text (only its hash goes on chain)",
      defaultValue: "",
    })
    .addOption({ name: "reasonFile", description: "or a document", defaultValue: "" })
    .setAction(() => import("./close.js"))
    .build(),
];
