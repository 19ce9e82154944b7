/**
 * Every custom error the suite's contracts can raise, said as a clerk reads it: which object (roster,
 * line by 序号, programme, region, household, account and its office), the values in yuan with the
 * unit, and what to do next. One entry per error name; test/ts/unit/error-messages.test.ts fails if
 * an error in a contract's ABI has none. Arguments arrive decoded by src/chain/errors.ts: numbers as
 * decimal strings, enums by name.
 */
import { decodeBytes32String } from "ethers";

import { seqText } from "../lines.js";
import { formatFen } from "../money.js";
import { describeOffice, LEVELS, officeKindLabel, OFFICE_KINDS } from "../offices.js";
import { isValidRegionCode, regionLevel } from "../roster/village.js";

/** What the command knew when the contract refused: its --roster / --programme, offices of the accounts named. */
export interface RefusalContext {
  roster?: string;
  programme?: string;
  /** What each account named in the error holds, as describeOffice says it ("no office" too), by lower-case address. */
  offices?: Record<string, string>;
}

/** The phrases every message is made of, bound to one refusal's context. */
export class Say {
  constructor(private readonly context: RefusalContext = {}) {}

  /** `1,234.56 yuan` from fen. */
  yuan(fen: string | undefined): string {
    return /^\d+$/.test(fen ?? "") ? `${formatFen(BigInt(fen!))} yuan` : `${fen} (fen)`;
  }

  /** `序号 5 of roster 3` (the roster if the command named one). */
  line(index: string | undefined): string {
    const seq = seqText(Number(index));
    return this.context.roster ? `${seq} of roster ${this.context.roster}` : seq;
  }

  /** `roster 3`, or `this roster` when the error does not carry its id and the command named none. */
  roster(id?: string): string {
    const rid = id ?? this.context.roster;
    return rid ? `roster ${rid}` : "this roster";
  }

  programme(id?: string): string {
    const pid = id ?? this.context.programme;
    return pid ? `programme ${pid}` : "this programme";
  }

  /** `region 110101000000 (county)`. */
  region(code: string | undefined): string {
    const value = /^\d+$/.test(code ?? "") ? BigInt(code!) : undefined;
    return value !== undefined && isValidRegionCode(value)
      ? `region ${code} (${LEVELS[regionLevel(value)]})`
      : `region ${code}`;
  }

  /** `account 0xabc… (the finance bureau of 110101000000 (county))` when its office was looked up. */
  account(address: string | undefined): string {
    const office = address ? this.context.offices?.[address.toLowerCase()] : undefined;
    return office ? `account ${address} (${office})` : `account ${address}`;
  }

  /** An office kind decoded by name ("Treasury") as people call it ("treasury (disbursing office)"). */
  kind(name: string | undefined): string {
    const index = OFFICE_KINDS.indexOf(name as (typeof OFFICE_KINDS)[number]);
    return index >= 0 ? officeKindLabel(index) : `office kind ${name}`;
  }

  /** An earmark code as typed (`--earmark`), or its hex if it is not a short string. */
  earmark(code: string | undefined): string {
    try {
      return `"${decodeBytes32String(code ?? "")}"`;
    } catch {
      return String(code);
    }
  }

  /** An office decoded as "kind,department,region" (a tuple), as describeOffice says it. */
  office(tuple: string | undefined): string {
    const [kind, department, region] = (tuple ?? "").split(",");
    return /^\d+$/.test(region ?? "")
      ? describeOffice({ kind: Number(kind), department: Number(department), region: BigInt(region!) })
      : `office ${tuple}`;
  }

  days(seconds: string | undefined): string {
    const days = Number(seconds) / 86_400;
    return `${Number.isInteger(days) ? days : days.toFixed(2)} days`;
  }

  /** A review stage as people count it (1-based). */
  stage(index: string | undefined): string {
    return `stage ${Number(index) + 1}`;
  }

  date(unixSeconds: string | undefined): string {
    return new Date(Number(unixSeconds) * 1000).toISOString().replace(".000Z", "Z");
  }
}

type Message = (a: Record<string, string>, say: Say) => string;

/** `--from` with the right account: the fix for every "wrong caller". */
const USE_FROM =
  "run the command again with --from set to that office's account (`audit offices` lists who holds what)";
/** A bundle or file that does not match the chain: rebuild it from the roster's files. */
const RESUBMIT = "run `roster submit` again with the same files: it reads where the chain stands and continues";

/** One sentence per custom error: what is wrong with which object, then the fix. */
export const ERROR_MESSAGES: Record<string, Message> = {
  // --- Access control and the emergency stop (OpenZeppelin AccessManager, Guarded) ---
  AccessManagedUnauthorized: (a, s) =>
    `${s.account(a.caller)} does not hold the role this function needs (docs/spec.md, roles table): governance must grant it (governance grant), or use --from with an account that holds it`,
  AccessManagedRequiredDelay: (a, s) =>
    `${s.account(a.caller)} holds the role with an execution delay of ${a.delay} s: the call must be scheduled and run with \`governance execute\` after the delay`,
  AccessManagedInvalidAuthority: (a) =>
    `${a.authority} is not an access manager: the deployment is miswired; redeploy the suite (ignition deploy)`,
  AccessManagerNotScheduled: () =>
    "this account's role has an execution delay: the call must be scheduled first (the governance tasks schedule it), then run with `governance execute`",
  AccessManagerNotReady: () =>
    "the scheduled operation's delay has not passed yet: run `governance execute` again after the time printed when it was scheduled",
  AccessManagerExpired: (a) =>
    `scheduled operation ${a.operationId} expired unexecuted: schedule it again (run the same governance command)`,
  AccessManagerAlreadyScheduled: (a) =>
    `operation ${a.operationId} is scheduled already: wait for its delay and run \`governance execute\` with its target and data`,
  AccessManagerBadConfirmation: () =>
    "renouncing a role needs the account's own address as confirmation: pass the account that renounces",
  AccessManagerInvalidInitialAdmin: (a) =>
    `${a.initialAdmin} cannot be the first admin: give the deployment a non-zero governance account`,
  AccessManagerLockedFunction: (a) =>
    `function ${a.selector} is locked: the manager's own functions are governed only through the manager (governance tasks)`,
  AccessManagerLockedRole: (a) =>
    `role ${a.roleId} is locked (the admin or public role): it cannot be changed; choose another role`,
  AccessManagerUnauthorizedAccount: (a, s) =>
    `${s.account(a.msgsender)} is not admin of role ${a.roleId}: use --from with the governance account`,
  AccessManagerUnauthorizedCall: (a, s) =>
    `${s.account(a.caller)} may not call ${a.selector} on ${a.target}: governance must grant the role that function needs (docs/spec.md, roles table)`,
  AccessManagerUnauthorizedCancel: (a, s) =>
    `${s.account(a.msgsender)} may not cancel the operation scheduled by ${a.caller}: only its scheduler, a guardian or an admin cancels it`,
  AccessManagerUnauthorizedConsume: (a) =>
    `${a.target} may not consume a scheduled operation meant for another contract: run the call through \`governance execute\``,
  AddressEmptyCode: (a) =>
    `there is no contract at ${a.target}: check --target against the deployment record (--deployment)`,
  FailedCall: () => "the scheduled call failed inside the target contract: run it with --dry-run to see the refusal",
  InsufficientBalance: (a) =>
    `the manager holds ${a.balance} wei, less than the ${a.needed} wei the call sends: send no value with a governance call`,
  GuardedUnattributedCall: () =>
    "the access manager called this contract outside a scheduled `execute`, with no account to name: run the change through `governance execute`",
  EnforcedPause: () =>
    "the suite is paused by its guardian (emergency stop): nothing is written until governance resumes it (`governance pause --resume`)",
  ExpectedPause: () => "the suite is not paused: there is nothing to resume",

  // --- Directory (offices) ---
  DirectoryInvalidRegion: (a, s) => `${s.region(a.region)} is not a 12-digit division code: give --region as 12 digits`,
  DirectoryInvalidOffice: (a) =>
    `an office of kind ${a.kind} with department ${a.department} cannot exist: give --kind bureau|civil-affairs|reviewer|treasury|bank, and --department only for a reviewer`,
  DirectoryZeroAccount: () => "the zero address cannot hold an office: give --account a real account",
  DirectoryAccountAlreadyBound: (a, s) =>
    `${s.account(a.account)} already holds ${s.office(a.office)}; one account holds one office: bind a fresh account`,
  DirectoryAccountRetired: (a, s) =>
    `${s.account(a.account)} held an office before and is retired for good: bind a fresh account`,
  DirectoryNotBound: (a, s) => `${s.account(a.account)} holds no office: there is nothing to vacate; check --account`,

  // --- Programmes ---
  ProgrammeRegistryUnknownProgramme: (a, s) =>
    `${s.programme(a.programmeId)} does not exist on this chain: check --programme (\`programme show\`) and --network`,
  ProgrammeRegistryDuplicate: (a, s) =>
    `earmark ${s.earmark(a.earmarkCode)} for fiscal period ${a.fiscalPeriod} is programme ${a.existingId} already: use programme ${a.existingId}, or give another --earmark or --period`,
  ProgrammeRegistryInvalidRegion: (a, s) =>
    `the programme's root ${s.region(a.rootRegion)} is not a 12-digit division code: give --root-region as 12 digits`,
  ProgrammeRegistryInvalidTerm: (a) =>
    `the programme's ${a.field} is out of range: fix that option of \`programme create\` (see --help for the ranges)`,
  ProgrammeRegistryBelowFloor: (a, s) =>
    a.field === "publicityPeriod"
      ? `the publicity period of ${s.days(a.value)} is below the statutory floor of ${s.days(a.floor)}: give --publicity-days ${Math.ceil(Number(a.floor) / 86_400)} or more`
      : `${a.value} review stage(s) is below the statutory floor of ${a.floor}: name at least ${a.floor} in --stages`,
  ProgrammeRegistryInvalidFloors: (a, s) =>
    `statutory floors of ${s.days(a.minPublicityPeriod)} publicity and ${a.minReviewStages} review stage(s) are out of range: each must be above zero and within a programme's limits`,

  // --- Households ---
  HouseholdRegistryAlreadyRegistered: (a) =>
    `this commitment is registered already as household ${a.household}: nothing to do for it (\`households register\` skips registered lines when run again)`,
  HouseholdRegistryZeroCommitment: () =>
    "a household commitment is zero: the roster file has a line with no identity; fix that line",
  HouseholdRegistryPersonAlreadyRegistered: (a) =>
    `this person is registered already as household ${a.household}, under another commitment: the bureau secret differs from the one used then, or another township registered them (docs/privacy.md)`,
  HouseholdRegistryZeroSecretCheck: () =>
    "a bureau secret's check is zero: the tool derives it from the secret (households register records it); set BUREAU_SECRET and run households register",
  HouseholdRegistryZeroPersonTag: () =>
    "a person tag is zero: the roster file has a line with no ID number; fix that line",
  HouseholdRegistryNotSamePerson: (a) =>
    `the new commitment for household ${a.household} is not for the same person (tag ${a.personTag}): a commitment is replaced only for the person it was registered for; register a new person as a new household`,
  HouseholdRegistryNoPredecessor: () =>
    "this register has no predecessor to import from: `households import` is only for a register deployed to succeed another",
  HouseholdRegistryPredecessorNotFrozen: () =>
    "the predecessor register is not paused: the guardian pauses the old suite first (`governance pause` on its deployment), then import",
  HouseholdRegistryImportIncomplete: (a) =>
    `${a.imported} of the predecessor's ${a.predecessorCount} households are imported: finish \`households import\` before registering new ones`,
  HouseholdRegistryImportClosed: (a) =>
    `import is closed after ${a.imported} households (this register has households of its own, or the batch goes past the predecessor's last): nothing more is imported`,
  HouseholdRegistryLengthMismatch: (a) =>
    `${a.commitments} commitments but ${a.personTags} person tags were sent: run the command again from the roster file`,
  HouseholdRegistryUnknownHousehold: (a) =>
    `no household has id ${a.household}: check --household (\`resident check\` or \`audit trace\` finds a household's id)`,
  HouseholdRegistrySecondOfficeRequired: (a, s) =>
    `household ${a.household} was suspended as deceased, and its reinstatement was proposed by ${s.account(a.proposer)}: a second, different civil-affairs office must confirm it (run \`households reinstate\` with --from set to that office's account)`,
  HouseholdRegistryNotCivilAffairsOffice: (a, s) =>
    `${s.account(a.account)} holds no civil-affairs office (the role alone is not enough): governance binds it (governance bind-office --kind civil-affairs), or ${USE_FROM}`,
  HouseholdRegistryInvalidRegion: (a, s) =>
    `${s.region(a.region)} is not a 12-digit division code: give --region as 12 digits`,
  HouseholdRegistryOutsideOffice: (a, s) =>
    `${s.account(a.account)}'s civil-affairs office of ${s.region(a.officeRegion)} does not cover ${s.region(a.region)}: an office registers and suspends only households of its own region; use --from with the office of ${a.region} or one above it`,
  HouseholdRegistryWrongStatus: (a) =>
    `household ${a.household} is ${a.actual}, not ${a.expected}: ${a.actual === "Suspended" ? "reinstate it first (households reinstate)" : a.actual === "Active" ? "it needs no reinstating" : "register it first (households register)"}`,

  // --- Budget ---
  BudgetLedgerCeilingExceeded: (a, s) =>
    `${s.programme(a.programmeId)} is funded with ${s.yuan(a.funded)} of its ${s.yuan(a.ceiling)} ceiling, and ${s.yuan(a.amount)} more would pass it: fund at most ${s.yuan(String(BigInt(a.ceiling!) - BigInt(a.funded!)))}`,
  BudgetLedgerInsufficientAvailable: (a, s) =>
    `${s.region(a.region)} has ${s.yuan(a.available)} available in ${s.programme(a.programmeId)}, and this needs ${s.yuan(a.amount)}: ask the bureau above to allocate the ${s.yuan(String(BigInt(a.amount!) - BigInt(a.available!)))} missing (budget allocate), or shorten the roster`,
  BudgetLedgerInsufficientBalance: (a, s) =>
    `${s.region(a.region)} holds ${s.yuan(a.held)} in ${s.programme(a.programmeId)}, less than the ${s.yuan(a.amount)} to move out of it: move at most ${s.yuan(a.held)} (\`budget show\` lists each region's balance)`,
  BudgetLedgerNotRegionBureau: (a, s) =>
    `${s.account(a.caller)} is not the finance bureau of ${s.region(a.region)}: ${USE_FROM}`,
  BudgetLedgerNotDescendant: (a, s) =>
    `${s.region(a.to)} is not below ${s.region(a.from)}, or is the programme's root: allocate only downward, to a region inside --from-region`,
  BudgetLedgerWrongParent: (a, s) =>
    `${s.region(a.child)} receives its budget from ${s.region(a.parent)}, not from ${s.region(a.from)}: allocate with --from-region ${a.parent}`,
  BudgetLedgerZeroAmount: () => "the amount is zero: give --amount in yuan above 0.00",

  // --- Rosters: submission, lines, review, publicity, closing ---
  RosterBookUnknownRoster: (a, s) =>
    `${s.roster(a.rosterId)} does not exist on this chain: check --roster (\`review show\`) and --network`,
  RosterBookWrongState: (a, s) =>
    `${s.roster(a.rosterId)} is ${a.actual}, not ${a.expected}: this step is for a roster ${a.expected}; \`review show --roster ${a.rosterId}\` shows where it stands`,
  RosterBookNotRegionBureau: (a, s) =>
    `${s.account(a.caller)} is not the finance bureau of ${s.region(a.region)}: only the roster's own bureau submits, withdraws and closes it; ${USE_FROM}`,
  RosterBookNotReviewingOffice: (a, s) =>
    `${s.account(a.account)} holds no office that reviews a stage of ${s.roster()}: \`review show\` names each stage's office and account; ${USE_FROM}`,
  RosterBookNoStageOffice: (a, s) =>
    `no region at ${LEVELS[Number(a.stageLevel)] || `level ${a.stageLevel}`} level contains ${s.region(a.region)}, so a review stage would have no office: submit the roster from a region at or below every stage's level, or create the programme with stages it can meet`,
  RosterBookStageOutOfOrder: (a, s) =>
    `this programme's stages run in order, and a stage before ${s.stage(a.stage)} has not approved yet: wait for it (\`review show\`)`,
  RosterBookAlreadyApproved: (a, s) =>
    `${s.stage(a.stage)} approved ${s.roster()} already: nothing to do (\`review show\`)`,
  RosterBookSignerNotReviewer: (a, s) =>
    `the signer ${s.account(a.signer)} no longer holds the REVIEWER role: have an office that holds it sign again (review sign)`,
  RosterBookSignerNotStage: (a, s) =>
    `the signer ${s.account(a.signer)} does not hold the office of ${s.stage(a.stage)}: have that stage's office sign (\`review show\` names it)`,
  RosterBookSignatureExpired: (a, s) =>
    `the signature expired at ${s.date(a.deadline)}: have the office sign again (review sign), then relay it`,
  RosterBookDuplicateRoster: (a, s) =>
    `${s.roster(a.rosterId)} of ${s.programme(a.programmeId)} has this very list already (root ${a.root}): the same list is not submitted twice; \`roster submit\` with the same files continues that roster, or withdraw it first to submit the list again`,
  RosterBookListMismatch: (a, s) =>
    `the lines of ${s.roster(a.rosterId)} on chain add up to ${s.yuan(a.total)} with root ${a.root}, but it declared ${s.yuan(a.declaredTotal)} and root ${a.declaredRoot}: the bundle does not match its submission; withdraw the roster and submit the list again`,
  RosterBookInvalidSubmission: (a) =>
    `the submission's ${a.field} is malformed: check the roster file and options, then \`roster submit --dry-run\``,
  RosterBookLineOutOfRange: (a, s) =>
    `${s.line(a.lineIndex)} is past the roster's last line (${a.lineCount} lines): check --line against the published list`,
  RosterBookWrongLineHold: (a, s) =>
    `${s.line(a.lineIndex)} is ${a.actual === "None" ? "not held" : a.actual}, not ${a.expected === "None" ? "free" : a.expected}: ${a.actual === "Frozen" ? "an objection on it awaits a department's ruling (publicity resolve)" : a.actual === "Excluded" ? "it was excluded by an upheld objection and is not paid" : "there is no objection on it to resolve"}`,
  RosterBookInvalidProof: (a, s) =>
    `${s.line(a.lineIndex)} and its proof do not belong to the roster's list: give the bundle written by \`roster submit\` for this roster (--bundle)`,
  RosterBookTooManyObjections: (a, s) =>
    `${s.account(a.objector)} has ${a.open} open objections on ${s.roster()}, the most one account may: wait for them to be resolved`,
  RosterBookBadResolutionBatch: () =>
    "the batch of resolutions is empty or malformed: give --line with at least one 序号",
  RosterBookReasonRequired: (a, s) =>
    `closing ${s.roster(a.rosterId)} would drop ${a.payableLines} payable line(s): give --reason (or --reason-file), and a reviewing department confirms (review confirm-close)`,
  RosterBookNoCloseRequested: (a, s) =>
    `no closing of ${s.roster(a.rosterId)} awaits confirmation: the bureau asks first (roster close --reason …)`,
  RosterBookObjectionsOpen: (a, s) =>
    `${a.openObjections} line(s) of ${s.roster(a.rosterId)} are still frozen by objections: resolve them first (publicity resolve)`,
  RosterBookOverspent: (a, s) =>
    `paying ${s.yuan(a.amount)} would take ${s.roster(a.rosterId)} past its total (${s.yuan(a.remaining)} left): check the bundle is this roster's (--bundle)`,
  RosterLinesNotAwaitingLines: (a, s) =>
    `${s.roster(a.rosterId)} is ${a.state}, not AwaitingLines: its lines are all on chain; \`review show --roster ${a.rosterId}\` shows where it stands`,
  RosterLinesNotRegionBureau: (a, s) =>
    `${s.account(a.caller)} is not the finance bureau of ${s.region(a.region)}: only the roster's own bureau lists its lines; ${USE_FROM}`,
  RosterLinesBadLines: (a, s) =>
    `the lines sent for ${s.roster(a.rosterId)} are empty or malformed (${a.length} bytes): ${RESUBMIT}`,
  RosterLinesTooMany: (a, s) =>
    `${s.roster(a.rosterId)} has ${a.lineCount} lines, ${a.listed} on chain already, and ${a.sent} more were sent: ${RESUBMIT}`,
  RosterLinesOutOfOrder: (a, s) =>
    `the chain has ${a.expected} lines of ${s.roster()}, and these lines start at ${seqText(Number(a.firstIndex))}: run \`roster submit\` again, which continues from ${seqText(Number(a.expected))}`,
  RosterLinesInvalidLine: (a, s) =>
    `${s.line(a.index)} pays ${s.yuan(a.amount)} to household ${a.household}: a line names a registered household and pays 0.01 yuan to the programme's cap of ${s.yuan(a.cap)}; fix the line in the roster file`,
  RosterLinesOverTotal: (a, s) =>
    `the lines of ${s.roster(a.rosterId)} add up to ${s.yuan(a.listed)}, more than its declared total of ${s.yuan(a.total)}: the file changed since it was submitted; withdraw the roster and submit the list again`,
  RosterLinesWrongFrontier: (a, s) =>
    `the lines sent for ${s.roster(a.rosterId)} do not continue the lines already on chain: ${RESUBMIT}`,
  LineTreeBuilderBadFrontier: () => `the lines sent carry a malformed tree frontier: ${RESUBMIT}`,
  LineTreeBuilderSlotTaken: (a) => `tree node ${a.node} is filled already (lines sent twice): ${RESUBMIT}`,

  // --- Payouts, settlement, reversals ---
  DisbursementBadBatch: () =>
    "the payout batch is empty, or its lines and references differ in number: run the command again from the bundle and the bank's file",
  DisbursementInvalidProof: (a, s) =>
    `the lines and proof do not belong to ${s.roster(a.rosterId)}'s list: give the bundle \`roster submit\` wrote for this roster (--bundle)`,
  DisbursementLineOutOfRange: (a, s) =>
    `${s.line(a.lineIndex)} is past the roster's last line (${a.lineCount} lines): check the 序号 against the published list`,
  DisbursementWrongLineStatus: (a, s) =>
    `${s.line(a.lineIndex)} is ${a.actual}, not ${a.expected}: ${a.actual === "Unpaid" ? "it has not been paid yet (payout record)" : a.actual === "Paid" ? "it awaits the bank's settlement (bank settle)" : "it was dealt with already; `audit trace` shows its history"}`,
  DisbursementUnknownBatch: (a, s) =>
    `${s.roster(a.rosterId)} has no payout batch ${a.batchId} with these lines: settle from the bank's file for this roster's batches (bank settle)`,
  DisbursementLineNotInBatch: (a, s) =>
    `${s.line(a.lineIndex)} is not at position ${a.position} of its payout batch: the bank's file does not match the batch that was paid; check the file`,
  DisbursementNotReversible: (a, s) =>
    `${s.line(a.lineIndex)} is ${a.actual}, not a payout the bank confirmed: only confirmed payouts are reversed; the bank returns one it has not confirmed (bank settle)`,
  DisbursementZeroBankReference: (a, s) =>
    `the bank reference for ${s.line(a.lineIndex)} is missing: give the bank's transaction number`,
  DisbursementNotAwaitingRecovery: (a) =>
    `reversal ${a.reversalId} is ${a.actual}, not Approved: there is no recovery to record${a.actual === "Pending" ? " until a department approves it (reversal approve)" : ""}`,
  DisbursementReversalPending: (a, s) =>
    `${s.line(a.lineIndex)} has reversal ${a.reversalId} pending already: a department approves or rejects it first (reversal approve / reject --id ${a.reversalId})`,
  DisbursementLinesNotAscending: (a, s) =>
    `the batch's lines are not in ascending 序号 order at ${s.line(a.lineIndex)}: run the command again from the bundle (it sorts them)`,
  DisbursementLineHeld: (a, s) =>
    `${s.line(a.lineIndex)} is frozen by an objection or excluded: it is paid only after a department dismisses the objection (publicity resolve --dismiss)`,
  DisbursementUnknownHousehold: (a) =>
    `household ${a.household} is not registered: the civil-affairs office registers it first (households register)`,
  DisbursementHouseholdOutsideRegion: (a, s) =>
    `household ${a.household} was registered in ${s.region(a.householdRegion)}, outside this roster's ${s.region(a.rosterRegion)}: a roster pays only households of its region; take the line out of this roster and pay it in a roster of ${a.householdRegion} or above`,
  DisbursementHouseholdSuspended: (a) =>
    `household ${a.household} is suspended: it is not paid unless civil affairs reinstates it (households reinstate); the rest of the roster pays on`,
  DisbursementHouseholdAlreadyPaid: (a, s) =>
    `household ${a.household} was paid already in ${s.programme(a.programmeId)}: one payout per household per programme; take the line out (a department excludes it: publicity resolve --uphold)`,
  DisbursementAmountOutOfRange: (a, s) =>
    `${s.line(a.lineIndex)} pays ${s.yuan(a.amount)}, outside 0.01 yuan to the programme's cap of ${s.yuan(a.cap)}: fix the line in the roster file and submit it again`,
  DisbursementReversalNotPending: (a) =>
    `reversal ${a.reversalId} does not exist or is not pending: \`reversal show --id ${a.reversalId}\` shows its status`,
  DisbursementNotOffice: (a, s) =>
    `${s.account(a.account)} does not hold the ${s.kind(a.kind)} of a region that contains ${s.region(a.region)}: a county's treasury pays, and its agent bank settles, only rosters of that county; ${USE_FROM}`,
  LinePackingDirtyBits: (a) =>
    `a packed line word (${a.packed}) has bits set above bit 223: the batch was encoded wrongly; run the command again from the bundle`,

  // --- Signatures and typed data (OpenZeppelin ECDSA, EIP712, Nonces, SafeCast) ---
  ECDSAInvalidSignature: () =>
    "the approval's signature does not recover to a signer: have the office sign again (review sign) and relay that file",
  ECDSAInvalidSignatureLength: (a) =>
    `the approval's signature is ${a.length} bytes, not 65: the signature file is damaged; have the office sign again (review sign)`,
  ECDSAInvalidSignatureS: () =>
    "the approval's signature is malleable (high s): have the office sign again with a standard wallet (review sign)",
  InvalidAccountNonce: (a, s) =>
    `the signature of ${s.account(a.account)} was made for another nonce (the chain expects ${a.currentNonce}): it was used already or is stale; have the office sign again (review sign)`,
  InvalidShortString: () =>
    "a contract name or version is malformed in the typed data: redeploy with the module's values",
  StringTooLong: (a) => `"${a.str}" is longer than 31 bytes: shorten it`,
  SafeCastOverflowedUintDowncast: (a) =>
    `the value ${a.value} does not fit in ${a.bits} bits: check the amounts and counts given to the command`,
};
