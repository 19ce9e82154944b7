/**
 * The slices of the suite's ABI that a resident's lookup reads, as human-readable fragments: the
 * residents' page bundles these few lines instead of the generated factories (which carry every
 * contract's bytecode). Enums are uint8 on the wire. The end-to-end test checks every fragment
 * against the compiled artifacts, so a change to an interface cannot silently break the page.
 */

const TERMS =
  "tuple(uint128 budgetCeiling, uint128 householdCap, uint32 publicityPeriod, uint32 payoutPeriod, uint256 reviewStages, bytes32 policyDocHash, string policyURI)";
const PROGRAMME = `tuple(bytes32 earmarkCode, uint32 fiscalPeriod, uint64 rootRegion, uint40 createdAt, ${TERMS} terms)`;
const TOTALS = "tuple(uint128 reserved, uint128 paid, uint128 funded, uint128 returned, uint128 reversed)";
const BALANCE =
  "tuple(uint64 parent, uint128 allocatedOut, uint128 received, uint128 available, uint128 reserved, uint128 paid, uint128 returned, uint128 reversed)";
const ROSTER =
  "tuple(uint64 programmeId, uint64 region, uint32 lineCount, uint32 publicityPeriod, uint32 openObjections, uint32 excludedLines, address submitter, " +
  "uint40 submittedAt, uint40 approvedAt, uint40 endedAt, uint8 ending, uint32 payoutPeriod, uint32 paidLines, bool listed, bytes32 root, " +
  "bytes32 documentHash, uint256 reviewStages, uint256 approvals, uint128 total, uint128 paid, uint128 excluded, uint128 released, bytes32 closeReasonHash)";

export const HOUSEHOLD_REGISTRY_ABI = [
  "function householdIdOf(bytes32 commitment) view returns (uint64)",
  "function statusOf(uint64 household) view returns (uint8)",
  "event HouseholdRegistered(uint64 indexed household, bytes32 indexed commitment, bytes32 attestationHash, bytes32 personTag)",
  "event HouseholdSuspended(uint64 indexed household, bytes32 indexed commitment, uint8 reason, bytes32 reasonHash)",
  "event HouseholdReinstated(uint64 indexed household, bytes32 indexed commitment, bytes32 reasonHash)",
] as const;

export const ROSTER_BOOK_ABI = [
  "event RosterSubmitted(uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, address submitter, bytes32 root, uint32 lineCount, uint128 total, bytes32 documentHash, string documentURI)",
  "event RosterApproved(uint64 indexed rosterId, uint8 stage, uint8 indexed department, address indexed approver, bool signed, uint64 programmeId, uint64 region)",
  "event RosterSignedOff(uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, uint40 publicityEndsAt, uint40 payoutDeadline)",
  "event ObjectionResolved(uint64 indexed rosterId, uint32 indexed lineIndex, uint64 indexed household, bool upheld, uint8 department, uint128 amount, bytes32 reasonHash)",
  "event RosterSealed(uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, bytes32 root, uint128 total)",
] as const;

/** `line` packs the roster id (bits 192..255), the line index (128..159) and the amount in fen (0..127). */
export const ROSTER_LINES_ABI = [
  // In JSON form: ethers' human-readable fragments cannot say `anonymous`.
  {
    type: "event",
    name: "LineListed",
    anonymous: true,
    inputs: [
      { name: "household", type: "uint64", indexed: true },
      { name: "line", type: "uint256", indexed: false },
    ],
  },
] as const;

export const DISBURSEMENT_ABI = [
  "function reversal(uint256 reversalId) view returns (tuple(uint64 rosterId, uint32 lineIndex, uint64 household, uint128 amount, address requester, uint8 status, bytes32 reasonHash))",
  "event PayoutRecorded(uint64 indexed rosterId, uint64 indexed household, uint32 lineIndex, uint128 amount)",
  "event PayoutConfirmed(uint64 indexed rosterId, uint32 indexed lineIndex, bytes32 bankRefHash)",
  "event PayoutReturned(uint64 indexed rosterId, uint64 indexed household, uint64 indexed programmeId, uint32 lineIndex, uint128 amount, bytes32 bankRefHash)",
  "event ReversalRequested(uint256 indexed reversalId, uint64 indexed rosterId, uint64 indexed household, uint32 lineIndex, uint128 amount, address requester, bytes32 reasonHash)",
  "event ReversalApproved(uint256 indexed reversalId, uint64 indexed rosterId, uint8 indexed department, address approver)",
  "event ReversalRejected(uint256 indexed reversalId, uint64 indexed rosterId, uint8 indexed department, address approver, bytes32 reasonHash)",
] as const;

export const LENS_ABI = [
  `function programmeView(uint64 programmeId) view returns (tuple(${PROGRAMME} programme, ${TOTALS} totals))`,
  `function regionBalance(uint64 programmeId, uint64 region) view returns (${BALANCE})`,
  `function rosterView(uint64 rosterId) view returns (tuple(${ROSTER} roster, uint8 state))`,
  "function lineView(uint64 rosterId, uint32 lineIndex) view returns (tuple(uint8 hold, uint8 status))",
  "function householdView(bytes32 commitment, uint64 programmeId) view returns (tuple(uint64 household, uint8 status, bool paidInProgramme))",
] as const;

/** Which compiled contract each fragment list describes (for the consistency check). */
export const RESIDENT_ABIS = {
  HouseholdRegistry: HOUSEHOLD_REGISTRY_ABI,
  RosterBook: ROSTER_BOOK_ABI,
  RosterLines: ROSTER_LINES_ABI,
  Disbursement: DISBURSEMENT_ABI,
  DisbursementLens: LENS_ABI,
} as const;
