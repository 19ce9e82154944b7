/**
 * The suite's access model in one table: which role may call which function of which contract.
 * The Ignition module wires exactly this table into the AccessManager, docs/spec.md presents it,
 * and a test checks that every state-changing function of every contract appears here, so that a
 * new function cannot escape access control. Role ids match contracts/libraries/Roles.sol.
 */
import { id } from "ethers";

export const Role = {
  ADMIN: 0n,
  GOVERNOR: 1n,
  GUARDIAN: 2n,
  PROGRAMME_ADMIN: 3n,
  BUREAU: 4n,
  REVIEWER: 5n,
  CIVIL_AFFAIRS: 6n,
  DISBURSER: 7n,
  BANK: 8n,
  SUITE: 9n,
  PUBLIC: 2n ** 64n - 1n,
} as const;

export type RoleName = keyof typeof Role;

/** Roles whose grants are delayed (every role but ADMIN, which the AccessManager governs itself, and PUBLIC). */
export const DELAYED_GRANT_ROLES = [
  "GOVERNOR",
  "GUARDIAN",
  "PROGRAMME_ADMIN",
  "BUREAU",
  "REVIEWER",
  "CIVIL_AFFAIRS",
  "DISBURSER",
  "BANK",
  "SUITE",
] as const satisfies readonly RoleName[];

export const SUITE_CONTRACTS = [
  "Directory",
  "ProgrammeRegistry",
  "HouseholdRegistry",
  "BudgetLedger",
  "RosterBook",
  "RosterLines",
  "Disbursement",
] as const;

export type SuiteContractName = (typeof SUITE_CONTRACTS)[number];

/** Function signature → role, per contract. */
export const FUNCTION_ROLES: Record<SuiteContractName, Record<string, RoleName>> = {
  Directory: {
    "bindOffice(address,(uint8,uint8,uint64))": "GOVERNOR",
    "unbindOffice(address)": "GOVERNOR",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
  ProgrammeRegistry: {
    "createProgramme(bytes32,uint32,uint64,(uint128,uint128,uint32,uint32,uint256,bytes32,string))": "PROGRAMME_ADMIN",
    "amendProgramme(uint64,(uint128,uint128,uint32,uint32,uint256,bytes32,string))": "GOVERNOR",
    "setStatutoryFloors((uint32,uint8))": "GOVERNOR",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
  HouseholdRegistry: {
    "registerHouseholds(uint64,bytes32[],bytes32[],bytes32)": "CIVIL_AFFAIRS",
    "setSecretCheck(uint64,bytes32)": "CIVIL_AFFAIRS",
    "replaceCommitment(uint64,bytes32,bytes32,bytes32)": "CIVIL_AFFAIRS",
    "importHouseholds(bytes32[])": "CIVIL_AFFAIRS",
    "suspendHousehold(uint64,uint8,bytes32)": "CIVIL_AFFAIRS",
    "reinstateHousehold(uint64,bytes32)": "CIVIL_AFFAIRS",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
  BudgetLedger: {
    "fundProgramme(uint64,uint128)": "PROGRAMME_ADMIN",
    "allocate(uint64,uint64,uint64,uint128)": "BUREAU",
    "reclaim(uint64,uint64,uint64,uint128)": "BUREAU",
    "reserve(uint64,uint64,uint128)": "SUITE",
    "release(uint64,uint64,uint128)": "SUITE",
    "pay(uint64,uint64,uint128)": "SUITE",
    "refund(uint64,uint64,uint128,uint8)": "SUITE",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
  RosterBook: {
    "submitRoster((uint64,uint64,bytes32,uint32,uint128,bytes32,string))": "BUREAU",
    "withdrawRoster(uint64,bytes32)": "BUREAU",
    "closeRoster(uint64,bytes32)": "BUREAU",
    "confirmClose(uint64)": "REVIEWER",
    "approveRoster(uint64)": "REVIEWER",
    "rejectRoster(uint64,bytes32)": "REVIEWER",
    "resolveObjection(uint64,(uint32,uint64,uint128),bytes32[],bool,bytes32)": "REVIEWER",
    "resolveObjections(uint64,(uint32,uint64,uint128)[],bytes32[][],bool[],bytes32)": "REVIEWER",
    "approveRosterBySig(uint64,(uint8,uint256,uint256,bytes)[])": "PUBLIC",
    "objectToLine(uint64,uint32,bytes32)": "PUBLIC",
    "recordPaid(uint64,uint32,uint128)": "SUITE",
    "seal(uint64,bytes32,uint128)": "SUITE",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
  RosterLines: {
    "submitLines(uint64,uint32,bytes,bytes32[])": "BUREAU",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
  Disbursement: {
    "recordPayouts(uint64,uint256[],bytes32[])": "DISBURSER",
    "requestReversal(uint64,(uint32,uint256[]),uint32,(uint32,uint64,uint128),bytes32)": "DISBURSER",
    "confirmPayouts(uint64,uint32[],bytes32[])": "BANK",
    "returnPayouts(uint64,(uint32,uint256[]),uint32[],(uint32,uint64,uint128)[],bytes32[])": "BANK",
    "recordRecoveries(uint256[],bytes32[])": "BANK",
    "approveReversal(uint256)": "REVIEWER",
    "rejectReversal(uint256,bytes32)": "REVIEWER",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
};

/**
 * Functions deliberately left out of the table: `setAuthority` is callable only by the current
 * AccessManager itself (through its admin-delayed `updateAuthority`), never by an account.
 */
export const UNMAPPED_FUNCTIONS = ["setAuthority(address)"] as const;

/** The 4-byte selector of a function signature. */
export function selectorOf(signature: string): string {
  return id(signature).slice(0, 10);
}

/** The table of one contract grouped by role, as `setTargetFunctionRole` wants it. */
export function selectorsByRole(contract: SuiteContractName): Array<{ role: RoleName; selectors: string[] }> {
  const groups = new Map<RoleName, string[]>();
  for (const [signature, role] of Object.entries(FUNCTION_ROLES[contract])) {
    groups.set(role, [...(groups.get(role) ?? []), selectorOf(signature)]);
  }
  return [...groups].map(([role, selectors]) => ({ role, selectors }));
}
