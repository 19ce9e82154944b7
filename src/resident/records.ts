/**
 * What a lookup tells a household: its registry entry and history, each roster line that names it
 * with the line's outcome, the rosters and their sign-off, and the public totals of the programmes
 * and regions that listed it. Browser-safe: the residents' page and `resident check` show these.
 */
import type { ENUM_NAMES } from "../chain/states.js";
import type { ReviewStage } from "../offices.js";

type Names<K extends keyof typeof ENUM_NAMES> = (typeof ENUM_NAMES)[K][number];
export type LineStatusName = Names<"LineStatus">;
export type LineHoldName = Names<"LineHold">;
export type RosterStateName = Names<"RosterState">;
export type HouseholdStatusName = Names<"HouseholdStatus">;
export type SuspensionReasonName = Names<"SuspensionReason">;
export type ReversalStatusName = Names<"ReversalStatus">;

/**
 * Where and when something happened on chain. `time` is the block's Unix time in seconds.
 * `logIndex` is the event's position among its block's logs (as receipts and eth_getLogs give it):
 * a payout transaction carries hundreds of lines' events, and this says which one is the household's.
 */
export interface ChainRef {
  block: number;
  time: number;
  tx: string;
  logIndex: number;
}

export interface HouseholdEvent {
  kind: "registered" | "suspended" | "reinstated";
  reason?: SuspensionReasonName;
  reasonHash?: string;
  at: ChainRef;
}

export interface RosterApprovalRecord {
  /** The review stage (from 0) and the department whose office approved it. */
  stage: number;
  department: number;
  approver: string;
  /** true: an EIP-712 seal relayed by anyone; false: the department's own transaction. */
  signed: boolean;
  at: ChainRef;
}

export interface RosterRecord {
  rosterId: bigint;
  programmeId: bigint;
  region: bigint;
  state: RosterStateName;
  lineCount: number;
  total: bigint;
  /** The review stages, in the programme's order: the department and level of each stage's office. */
  stages: ReviewStage[];
  submitted?: ChainRef & { submitter: string; documentHash: string; documentURI: string };
  approvals: RosterApprovalRecord[];
  /** When every line was on chain and matched the declared root and total (RosterSealed). */
  sealed?: ChainRef;
  /** The last approval: publicity (公示) runs from `publicityStart` until `publicityEnd` (Unix seconds). */
  signedOff?: ChainRef;
  publicityStart?: number;
  publicityEnd?: number;
  /** Every approved, unheld line must be paid by then (Unix seconds); unset before sign-off. */
  payoutDeadline?: number;
}

export interface ReversalRecord {
  reversalId: bigint;
  amount: bigint;
  status: ReversalStatusName;
  reasonHash: string;
  requested: ChainRef;
  decided?: ChainRef & { approved: boolean; department: number };
}

export interface ObjectionRecord {
  upheld: boolean;
  department: number;
  /** Released from the roster when upheld (the line's amount); 0 when dismissed. */
  amount: bigint;
  reasonHash: string;
  at: ChainRef;
}

/**
 * What a resident is told about one line, the most telling fact first: what happened to the money
 * (Confirmed … ReversalPendingRecovery), else the line's hold (Excluded, Frozen), else where its
 * roster stands (AwaitingLines … Closed without paying it), and for a payable line whether it is
 * overdue, or skipped because the household is suspended.
 */
export type LineOutcome =
  | "Confirmed"
  | "Paid"
  | "Returned"
  | "Reversed"
  | "ReversalPendingRecovery"
  | "Excluded"
  | "Frozen"
  | "AwaitingLines"
  | "AwaitingSignOff"
  | "InPublicity"
  | "Payable"
  | "Overdue"
  | "Skipped"
  | "Withdrawn"
  | "Rejected"
  | "NotPaid";

export interface LineRecord {
  rosterId: bigint;
  /** The line's index on chain (from 0); people see it as 序号 `lineIndex + 1`. */
  lineIndex: number;
  programmeId: bigint;
  region: bigint;
  /** The amount paid (or, for a line excluded after an objection, the amount it held); unknown for a line only objected to and not yet paid. */
  amount?: bigint;
  status: LineStatusName;
  hold: LineHoldName;
  outcome: LineOutcome;
  /** When the line was listed on chain (its LineListed log). */
  listed?: ChainRef;
  /** For a Skipped line: the household's suspension that stops its payment. */
  skippedFor?: { reason: SuspensionReasonName; reasonHash: string; at: ChainRef };
  payout?: ChainRef;
  confirmed?: ChainRef & { bankRefHash: string };
  returned?: ChainRef & { bankRefHash: string; amount: bigint };
  reversals: ReversalRecord[];
  objections: ObjectionRecord[];
}

export interface ProgrammeRecord {
  programmeId: bigint;
  earmark: string;
  fiscalPeriod: number;
  rootRegion: bigint;
  householdCap: bigint;
  publicityDays: number;
  policyURI: string;
  policyDocHash: string;
  totals: { funded: bigint; reserved: bigint; paid: bigint; returned: bigint; reversed: bigint };
  /** Whether this household holds a payout in the programme now (cleared by a return or reversal). */
  householdPaid: boolean;
}

export interface RegionRecord {
  programmeId: bigint;
  region: bigint;
  received: bigint;
  allocatedOut: bigint;
  reserved: bigint;
  paid: bigint;
  available: bigint;
  returned: bigint;
  reversed: bigint;
}

export interface ScanReport {
  fromBlock: number;
  toBlock: number;
  logCalls: number;
  refusals: number;
}

export type ResidentLookup =
  | { found: false; scanned: ScanReport }
  | {
      found: true;
      household: { id: bigint; status: HouseholdStatusName; events: HouseholdEvent[] };
      lines: LineRecord[];
      rosters: RosterRecord[];
      programmes: ProgrammeRecord[];
      regions: RegionRecord[];
      scanned: ScanReport;
    };

/**
 * The outcome of one line (see LineOutcome), from its payment status and hold, its roster's state,
 * whether the household is suspended now, and the chain's time `now` (for Overdue).
 */
export function lineOutcome(
  line: Pick<LineRecord, "status" | "hold">,
  roster: Pick<RosterRecord, "state" | "payoutDeadline">,
  suspended: boolean,
  now: number,
): LineOutcome {
  if (line.hold === "Excluded") return "Excluded";
  if (line.status !== "Unpaid") return line.status;
  if (line.hold === "Frozen") return "Frozen";
  switch (roster.state) {
    case "AwaitingLines":
    case "AwaitingSignOff":
    case "InPublicity":
    case "Withdrawn":
    case "Rejected":
      return roster.state;
    case "Payable":
      if (suspended) return "Skipped";
      return roster.payoutDeadline !== undefined && now > roster.payoutDeadline ? "Overdue" : "Payable";
    case "Closed":
      return suspended ? "Skipped" : "NotPaid";
    default:
      return "AwaitingLines";
  }
}
