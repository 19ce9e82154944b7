/**
 * The names of the contracts' enums, in declaration order (contracts/interfaces), for people and
 * for error messages. One table per enum, used everywhere a state is shown.
 */
export const ENUM_NAMES = {
  RosterState: [
    "None",
    "AwaitingSignOff",
    "Rejected",
    "Withdrawn",
    "InPublicity",
    "Payable",
    "Closed",
    "AwaitingLines",
  ],
  LineHold: ["None", "Frozen", "Excluded"],
  LineStatus: ["Unpaid", "Paid", "Confirmed", "Returned", "Reversed", "ReversalPendingRecovery"],
  ReversalStatus: ["None", "Pending", "Approved", "Rejected", "Recovered"],
  HouseholdStatus: ["Unregistered", "Active", "Suspended"],
  SuspensionReason: ["Deceased", "MovedAway", "Ineligible", "Other"],
  RefundKind: ["Returned", "Reversed"],
  OfficeKind: ["None", "Bureau", "CivilAffairs", "Reviewer", "Treasury", "Bank"],
} as const;

export type EnumName = keyof typeof ENUM_NAMES;

/** `value`'s name in enum `kind` (or a plain description if out of range). */
export function enumLabel(kind: EnumName, value: bigint | number): string {
  return ENUM_NAMES[kind][Number(value)] ?? `${kind} ${value}`;
}

export const rosterStateName = (value: bigint | number) => enumLabel("RosterState", value);
export const lineStatusName = (value: bigint | number) => enumLabel("LineStatus", value);
export const lineHoldName = (value: bigint | number) => enumLabel("LineHold", value);
export const reversalStatusName = (value: bigint | number) => enumLabel("ReversalStatus", value);
