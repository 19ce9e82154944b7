/**
 * Turns a failed call into a sentence a clerk can act on: the contract's custom error by name and
 * arguments (decoded against every interface of the suite), or the node's message.
 */
import { Interface, isError } from "ethers";

import { seqText } from "../lines.js";
import { formatFen } from "../money.js";
import { type EnumName, ENUM_NAMES, enumLabel } from "./states.js";

/** Error arguments that are a line's index on chain. */
const LINE_ARGS = new Set(["lineIndex", "index", "firstIndex"]);
/** Error arguments that are amounts of money (fen on chain, said in yuan). */
const MONEY_ARGS = new Set([
  "amount",
  "available",
  "cap",
  "ceiling",
  "declaredTotal",
  "funded",
  "held",
  "remaining",
  "total",
]);

import { STATEFUL_CONTRACTS } from "../suite.js";

const abis = Object.values(STATEFUL_CONTRACTS).map((c) => c.abi);
const interfaces = abis.map((abi) => new Interface(abi));

/** For each custom error, which arguments are enums (from the ABI's internalType "enum I….Name"). */
const enumArgs = new Map<string, Array<EnumName | undefined>>();
for (const abi of abis) {
  for (const item of abi as ReadonlyArray<{
    type: string;
    name?: string;
    inputs?: ReadonlyArray<{ internalType?: string }>;
  }>) {
    if (item.type !== "error" || !item.name || !item.inputs) continue;
    enumArgs.set(
      item.name,
      item.inputs.map((input) => {
        const match = /^enum [\w.]*?(\w+)$/.exec(input.internalType ?? "");
        return match && match[1]! in ENUM_NAMES ? (match[1] as EnumName) : undefined;
      }),
    );
  }
}

/** Finds revert data anywhere in an ethers / Hardhat error. */
function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.data === "string" && /^0x[0-9a-fA-F]{8}/.test(record.data)) return record.data;
    for (const key of ["error", "info", "cause", "data"]) {
      const found = visit(record[key]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}

export interface DecodedRevert {
  name: string;
  args: Record<string, string>;
}

/** The suite's custom error in `error`, if any. */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  const data = revertData(error);
  if (!data) return undefined;
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (!parsed) continue;
      const args: Record<string, string> = {};
      const enums = enumArgs.get(parsed.name);
      parsed.fragment.inputs.forEach((input, i) => {
        const kind = enums?.[i];
        args[input.name || `arg${i}`] = kind ? enumLabel(kind, parsed.args[i] as bigint) : String(parsed.args[i]);
      });
      return { name: parsed.name, args };
    } catch {
      // not this interface's error
    }
  }
  return undefined;
}

/** What to do about the refusals people meet most. */
const HINTS: Record<string, (args: Record<string, string>) => string> = {
  AccessManagedUnauthorized: (a) =>
    `account ${a.caller} does not hold the role this function needs (docs/spec.md, roles table); governance must grant it, or use --from with the right account`,
  EnforcedPause: () =>
    "the suite is paused by its guardian (emergency stop); nothing can be written until it is resumed",
  AccessManagerNotScheduled: () =>
    "this account's role has an execution delay: the call must be scheduled first (governance tasks do this)",
  AccessManagerNotReady: () => "the scheduled operation's delay has not passed yet",
  ProgrammeRegistryBelowFloor: (a) =>
    a.field === "publicityPeriod"
      ? `the publicity period of ${Number(a.value) / 86_400} days is below the statutory floor of ${Number(a.floor) / 86_400} days; give --publicity-days ${Math.ceil(Number(a.floor) / 86_400)} or more`
      : `${a.value} review stage(s) is below the statutory floor of ${a.floor}; name at least ${a.floor} in --stages`,
  DisbursementNotOffice: (a) =>
    `account ${a.account} does not hold a ${a.kind} office whose region contains ${a.region}: a county's treasury pays, and its agent bank settles, only rosters of that county; use --from with that office's account`,
  RosterBookNotReviewingOffice: (a) =>
    `account ${a.account} holds no office that reviews a stage of this roster; \`review show --roster <id>\` names each stage's office and account`,
  RosterBookStageOutOfOrder: (a) =>
    `this programme's stages run in order, and a stage before stage ${Number(a.stage) + 1} has not approved yet; see \`review show\``,
  RosterBookDuplicateRoster: (a) =>
    `roster ${a.rosterId} of programme ${a.programmeId} has this very list already (root ${a.root}): the same list is not submitted twice; \`roster submit\` with the same files continues that roster, or withdraw it first to submit the list again`,
  RosterBookListMismatch: (a) =>
    `the lines on chain add up to ${formatFen(BigInt(a.total!))} yuan with root ${a.root}, but the roster declared ${formatFen(BigInt(a.declaredTotal!))} yuan and root ${a.declaredRoot}: the bundle does not match its submission; withdraw roster and submit the list again`,
  RosterLinesWrongFrontier: () =>
    "the lines sent do not continue the lines already on chain for this roster: run `roster submit` again with the same files, which reads where the chain stands",
  RosterLinesOutOfOrder: (a) =>
    `the chain has ${a.expected} lines of this roster, and these lines start at ${seqText(Number(a.firstIndex))}: run \`roster submit\` again, which continues from ${seqText(Number(a.expected))}`,
  RosterLinesInvalidLine: (a) =>
    `line ${seqText(Number(a.index))} pays ${(Number(a.amount) / 100).toFixed(2)} yuan to household ${a.household}: a line names a registered household and pays 0.01 yuan to the programme's cap of ${(Number(a.cap) / 100).toFixed(2)} yuan; fix the line in the roster file`,
  DirectoryAccountRetired: (a) =>
    `account ${a.account} held an office before and is retired for good: bind a fresh account`,
  HouseholdRegistryPersonAlreadyRegistered: (a) =>
    `this person is registered already as household ${a.household}, under another commitment: the bureau secret differs from the one used then, or another township registered them (docs/privacy.md)`,
  HouseholdRegistryOutsideOffice: (a) =>
    `account ${a.account}'s civil-affairs office of ${a.officeRegion} does not cover region ${a.region}: an office registers and suspends only households of its own region; use --from with the office of ${a.region} or one above it`,
  DisbursementHouseholdOutsideRegion: (a) =>
    `household ${a.household} was registered in ${a.householdRegion}, outside this roster's region ${a.rosterRegion}: a roster pays only households of its region; take the line out of this roster and pay it in a roster of ${a.householdRegion} or above`,
  BudgetLedgerInsufficientAvailable: (a) =>
    `region ${a.region} has ${formatFen(BigInt(a.available!))} yuan available in programme ${a.programmeId}, and this needs ${formatFen(BigInt(a.amount!))} yuan: ask the bureau above to allocate the ${formatFen(BigInt(a.amount!) - BigInt(a.available!))} yuan missing (budget allocate), or shorten the roster`,
  DisbursementNotReversible: (a) =>
    `${seqText(Number(a.lineIndex))} is not a payout the bank confirmed: only confirmed payouts are reversed; the bank returns one it has not confirmed`,
  DisbursementZeroBankReference: (a) =>
    `the bank reference for ${seqText(Number(a.lineIndex))} is missing: give the bank's transaction number`,
};

/** One line describing why a call failed. */
export function describeError(error: unknown): string {
  const decoded = decodeRevert(error);
  if (decoded) {
    // A line's index on chain is shown beside its 序号 in the published list, the number people use;
    // amounts in yuan, with the unit.
    const args = Object.entries(decoded.args)
      .map(([k, v]) =>
        LINE_ARGS.has(k)
          ? `${k}=${v} (${seqText(Number(v))})`
          : MONEY_ARGS.has(k) && /^\d+$/.test(v)
            ? `${k}=${formatFen(BigInt(v))} yuan`
            : `${k}=${v}`,
      )
      .join(", ");
    const hint = HINTS[decoded.name]?.(decoded.args);
    return `the contract refused: ${decoded.name}(${args})${hint ? `: ${hint}` : ""}`;
  }
  if (isError(error, "CALL_EXCEPTION")) return `the contract refused the call (${error.shortMessage})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
