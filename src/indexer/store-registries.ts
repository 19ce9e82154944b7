/**
 * The typed tables of the BudgetLedger's moves, the registries' events (programmes and their terms,
 * households, offices) and governance's role grants.
 */
import { ZeroHash } from "ethers";

import type { DecodedLog } from "./decode.js";
import { type EventRows, flag, int, INT64_MAX, type TableColumns, text, type WriteRow } from "./store-fields.js";

export const REGISTRY_COLUMNS: TableColumns = {
  programmes: ["programme_id", "earmark", "fiscal_period", "root_region"],
  programme_terms: [
    "programme_id",
    "kind",
    "budget_ceiling",
    "household_cap",
    "publicity_period",
    "payout_period",
    "review_stages",
    "policy_doc_hash",
    "policy_uri",
  ],
  ledger_moves: ["programme_id", "kind", "region", "other_region", "amount", "account"],
  households: ["household", "commitment", "attestation_hash"],
  household_blocks: ["block_id", "region"],
  suspensions: ["household", "commitment", "suspended", "reason", "reason_hash"],
  offices: ["event", "account", "kind", "department", "region", "previous"],
  role_grants: ["kind", "role_id", "account", "delay", "since", "new_member"],
};

/** A move of one region's budget: funded, reserved, released, paid or refunded (no other region, no account). */
const regionMove = (kind: string) => (log: DecodedLog, row: WriteRow) =>
  row("ledger_moves", log, int(log, "programmeId"), kind, int(log, "region"), null, int(log, "amount"), null);

function terms(log: DecodedLog, row: WriteRow, kind: "created" | "amended"): void {
  const t = log.event!.args.terms as {
    budgetCeiling: bigint;
    householdCap: bigint;
    publicityPeriod: bigint;
    payoutPeriod: bigint;
    reviewStages: bigint;
    policyDocHash: string;
    policyURI: string;
  };
  const fits = (name: string, v: bigint) => {
    if (v > INT64_MAX)
      throw new Error(
        `${log.event!.name} at block ${log.block} (tx ${log.tx}) has ${name} = ${v}, beyond the 64-bit integers this index stores`,
      );
    return v;
  };
  row(
    "programme_terms",
    log,
    int(log, "programmeId"),
    kind,
    fits("budgetCeiling", t.budgetCeiling),
    fits("householdCap", t.householdCap),
    t.publicityPeriod,
    t.payoutPeriod,
    t.reviewStages.toString(),
    t.policyDocHash.toLowerCase(),
    t.policyURI,
  );
}

export const REGISTRY_ROWS: EventRows = {
  // ---------------------------------------------------------------------------- BudgetLedger
  "BudgetLedger.FundsReserved": regionMove("reserved"),
  "BudgetLedger.FundsReleased": regionMove("released"),
  "BudgetLedger.FundsPaid": regionMove("paid"),
  // RefundKind: 0 Returned, 1 Reversed (IBudgetLedger).
  "BudgetLedger.FundsRefunded": (log, row) =>
    regionMove(int(log, "kind") === 0n ? "refunded_returned" : "refunded_reversed")(log, row),
  "BudgetLedger.ProgrammeFunded": (log, row) =>
    row(
      "ledger_moves",
      log,
      int(log, "programmeId"),
      "funded",
      int(log, "region"),
      null,
      int(log, "amount"),
      text(log, "by"),
    ),
  "BudgetLedger.BudgetAllocated": (log, row) =>
    row(
      "ledger_moves",
      log,
      int(log, "programmeId"),
      "allocated",
      int(log, "from"),
      int(log, "to"),
      int(log, "amount"),
      null,
    ),
  "BudgetLedger.BudgetReclaimed": (log, row) =>
    row(
      "ledger_moves",
      log,
      int(log, "programmeId"),
      "reclaimed",
      int(log, "parent"),
      int(log, "child"),
      int(log, "amount"),
      null,
    ),

  // ------------------------------------------------------------------- registries and governance
  "ProgrammeRegistry.ProgrammeCreated": (log, row) => {
    row(
      "programmes",
      log,
      int(log, "programmeId"),
      text(log, "earmarkCode"),
      int(log, "fiscalPeriod"),
      int(log, "rootRegion"),
    );
    terms(log, row, "created");
  },
  "ProgrammeRegistry.ProgrammeAmended": (log, row) => terms(log, row, "amended"),
  "HouseholdRegistry.HouseholdRegistered": (log, row) =>
    row("households", log, int(log, "household"), text(log, "commitment"), text(log, "attestationHash")),
  // A household copied from the predecessor register: its attestation is in the predecessor's
  // events, so the zero hash stands for it here.
  "HouseholdRegistry.HouseholdImported": (log, row) =>
    row("households", log, int(log, "household"), text(log, "commitment"), ZeroHash),
  "HouseholdRegistry.HouseholdBlockOpened": (log, row) =>
    row("household_blocks", log, int(log, "blockId"), int(log, "region")),
  "HouseholdRegistry.HouseholdSuspended": (log, row) =>
    row(
      "suspensions",
      log,
      int(log, "household"),
      text(log, "commitment"),
      1,
      int(log, "reason"),
      text(log, "reasonHash"),
    ),
  "HouseholdRegistry.HouseholdReinstated": (log, row) =>
    row("suspensions", log, int(log, "household"), text(log, "commitment"), 0, null, text(log, "reasonHash")),
  "Directory.OfficeBound": (log, row) =>
    row(
      "offices",
      log,
      "bound",
      text(log, "account"),
      int(log, "kind"),
      int(log, "department"),
      int(log, "region"),
      text(log, "previous"),
    ),
  "Directory.OfficeVacated": (log, row) =>
    row(
      "offices",
      log,
      "vacated",
      text(log, "account"),
      int(log, "kind"),
      int(log, "department"),
      int(log, "region"),
      null,
    ),
  // Role ids are uint64 and PUBLIC is 2^64-1: stored as text.
  "SuiteAccessManager.RoleGranted": (log, row) =>
    row(
      "role_grants",
      log,
      "granted",
      String(log.event!.args.roleId),
      text(log, "account"),
      int(log, "delay"),
      int(log, "since"),
      flag(log, "newMember"),
    ),
  "SuiteAccessManager.RoleRevoked": (log, row) =>
    row("role_grants", log, "revoked", String(log.event!.args.roleId), text(log, "account"), null, null, null),
};
