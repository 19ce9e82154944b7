/**
 * The auditor's tasks: read-only, no signing key. Each answers from the event index (an SQLite
 * file, --db) after bringing it up to date with the chain (unless --no-update). See docs/auditing.md.
 */
import { emptyTask, task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

import { EXPORTABLE_TABLES } from "../../src/indexer/schema.js";
import { keyFree, rpcUrl } from "../common.js";

/** Options every audit task shares (src/audit/session.ts AuditArgs). No --from: an auditor signs nothing. */
export function auditOptions<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>, db = "audit.sqlite") {
  return keyFree(builder)
    .addOption({
      name: "db",
      description: "the index database file (created on first use)",
      defaultValue: db,
    })
    .addOption(rpcUrl)
    .addOption({
      name: "confirmations",
      description: "leave this many latest blocks unread (0 on QBFT, where a sealed block is final)",
      defaultValue: "0",
    })
    .addOption({
      name: "fromBlock",
      description: "first block to read into a new database (the suite's deployment block)",
      defaultValue: "0",
    })
    .addFlag({ name: "noUpdate", description: "answer from the database as it is, without reading new blocks" });
}

const csv = {
  name: "csv",
  description: "also write the result to this CSV file (UTF-8 with BOM)",
  defaultValue: "",
} as const;

export const auditTasks = [
  emptyTask("audit", "Auditing from the chain's events (read-only: needs no signing key)").build(),
  auditOptions(task(["audit", "index"], "Bring the event index up to date and say what was read"))
    .setAction(() => import("./update.js"))
    .build(),
  auditOptions(
    task(
      ["audit", "reconcile"],
      "The budget tree per programme and region from events, every identity checked, compared with the chain's views; exits 1 naming any node that does not balance",
    ),
  )
    .addOption({ name: "programme", description: "only this programme id", defaultValue: "" })
    .addOption(csv)
    .setAction(() => import("./reconcile.js"))
    .build(),
  auditOptions(
    task(
      ["audit", "anomalies"],
      "Patterns worth a closer look (duplicates, unconfirmed payouts, open objections, role conflicts, cap clusters, fast approvals), each with its transactions",
    ),
  )
    .addOption({
      name: "unconfirmedDays",
      description:
        "report payouts the bank has not confirmed, and approved reversals it has not recovered, after this many days",
      defaultValue: "7",
    })
    .addOption({
      name: "capPercent",
      description: "report rosters with more than this percentage of paid lines at exactly the cap",
      defaultValue: "30",
    })
    .addOption({
      name: "capMinLines",
      description: "--cap-percent counts only rosters that paid at least this many lines",
      defaultValue: "10",
    })
    .addOption({
      name: "fastSeconds",
      description: "report approvals made less than this many seconds after submission",
      defaultValue: "60",
    })
    .addOption(csv)
    .setAction(() => import("./anomalies.js"))
    .build(),
  auditOptions(
    task(
      ["audit", "offices"],
      "Every office (bureau, civil affairs, reviewing office, treasury, agent bank) and who holds it, from the events, each checked against the Directory; exits 1 on any disagreement",
    ),
  )
    .addOption({
      name: "region",
      description: "only offices of this region and below (12-digit code)",
      defaultValue: "",
    })
    .addOption(csv)
    .setAction(() => import("./offices.js"))
    .build(),
  auditOptions(
    task(["audit", "trace"], "The full history of a household, roster or programme, with transactions and block times"),
  )
    .addOption({ name: "household", description: "household registry id", defaultValue: "" })
    .addOption({
      name: "commitment",
      description: "or the household's commitment (0x + 64 hex digits)",
      defaultValue: "",
    })
    .addOption({ name: "roster", description: "or a roster id", defaultValue: "" })
    .addOption({ name: "programme", description: "or a programme id", defaultValue: "" })
    .addOption(csv)
    .setAction(() => import("./trace.js"))
    .build(),
  auditOptions(
    task(
      ["audit", "verify-roster"],
      "Check a published list (and the roster bundle) against the roster on chain; exits 1 on any mismatch",
    ),
  )
    .addOption({ name: "roster", description: "roster id", defaultValue: "" })
    .addOption({
      name: "list",
      description: "the published list (publicity CSV) whose keccak256 the roster's documentHash must be",
      defaultValue: "",
    })
    .addOption({
      name: "bundle",
      description: "the roster bundle (roster-bundle.json), to check its Merkle root, count, total and the paid lines",
      defaultValue: "",
    })
    .setAction(() => import("./verify-roster.js"))
    .build(),
  auditOptions(
    task(
      ["audit", "report"],
      "A programme's (or a region's) audit report as an A4 PDF in Chinese: budget tree, rosters and problems, with the chain id, block number and block hash it is true at; exits 1 when it does not balance",
    ),
  )
    .addOption({ name: "programme", description: "the programme id", defaultValue: "" })
    .addOption({
      name: "region",
      description: "only this region and the regions inside it (12-digit code; default: the whole programme)",
      defaultValue: "",
    })
    .addOption({ name: "pdf", description: "the PDF file to write", defaultValue: "" })
    .addOption({
      name: "font",
      description:
        "a Chinese font (default: Debian's fonts-noto-cjk; or the CJK_FONT variable), a .ttc as <file>#<PostScriptName>",
      defaultValue: "",
    })
    .setAction(() => import("./report.js"))
    .build(),
  task(
    ["audit", "verify-register"],
    "Check that a successor suite's household register equals its predecessor's, household by household (count, commitment, status, deceased, person tag); exits 1 on any difference",
  )
    .addOption({
      name: "deployment",
      description:
        "the successor suite's deployment record (default: ignition/deployments/chain-<id>/deployed_addresses.json)",
      defaultValue: "",
    })
    .addOption({ name: "predecessor", description: "the predecessor suite's deployment record", defaultValue: "" })
    .addOption(rpcUrl)
    .addOption({
      name: "fromBlock",
      description: "first block to read the predecessor's registrations from (its deployment block)",
      defaultValue: "0",
    })
    .addFlag({ name: "json", description: "print the result as JSON" })
    .setAction(() => import("./verify-register.js"))
    .build(),
  auditOptions(
    task(
      ["audit", "export"],
      "Stream the line status (--table lines) or an index table to CSV (--csv <file>) or as JSON (--json): amounts in yuan and fen, Beijing times, names; no row limit",
    ),
  )
    .addOption({
      name: "table",
      description: `what to export: lines (one row per roster line with its state), or an index table: ${EXPORTABLE_TABLES.join(", ")}`,
      defaultValue: "lines",
    })
    .addOption({ name: "programme", description: "only rows of this programme id", defaultValue: "" })
    .addOption({
      name: "region",
      description: "only rows of this region and the regions inside it (12-digit code)",
      defaultValue: "",
    })
    .addOption({
      name: "since",
      description: "only rows of blocks from this Beijing date on (YYYY-MM-DD; lines: when listed)",
      defaultValue: "",
    })
    .addOption({
      name: "until",
      description: "only rows of blocks before this Beijing date (YYYY-MM-DD, not included)",
      defaultValue: "",
    })
    .addOption({
      name: "names",
      description:
        "name departments, regions and programmes from this JSON file (the residents' page config.json will do)",
      defaultValue: "",
    })
    .addOption(csv)
    .setAction(() => import("./export.js"))
    .build(),
];
