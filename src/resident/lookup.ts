/**
 * A household's own view of the chain, from its commitment alone: its registry entry, every roster
 * line that names it from the moment the line was listed on chain (RosterLines.LineListed), each
 * line's state (awaiting lines or sign-off with the stages done and pending, publicity, objection,
 * payable, overdue, skipped because the household is suspended, paid, confirmed, returned,
 * reversed), its approvals, publicity, payout, bank confirmation or return and reversal, and the
 * public totals of the programmes and regions that listed it. Browser-safe (ethers only): the residents' page and `resident check` both
 * run this. It reads views pinned to one block and event logs in bounded windows (./logs.ts); a
 * commitment that no household has gives `{ found: false }`, never an error.
 */
import { decodeBytes32String, Interface, type Log, type Provider, zeroPadValue, toBeHex } from "ethers";

import { ENUM_NAMES } from "../chain/states.js";
import { type ReviewStage, unpackStages } from "../offices.js";
import { DISBURSEMENT_ABI, HOUSEHOLD_REGISTRY_ABI, LENS_ABI, ROSTER_BOOK_ABI } from "./abi.js";
import { type LogWindow, logWindow, scanLogs } from "./logs.js";

/** The contracts a lookup reads (a subset of the suite's deployment record). */
export interface ResidentDeployment {
  households: string;
  rosterBook: string;
  /** Where the lines are listed; without it, only lines named by a payout, objection or reversal are found. */
  rosterLines?: string;
  disbursement: string;
  lens: string;
}

/** What a lookup needs of a node: views, logs, block times. An ethers Provider (or Hardhat's) has them. */
export type ChainReader = Pick<Provider, "call" | "getLogs" | "getBlock" | "getBlockNumber">;

export interface LookupOptions {
  /** First block to read logs from: the suite's deployment block (default 0). */
  fromBlock?: number;
  /** Last block (default: the latest when the lookup starts); views are read at this block too. */
  toBlock?: number;
  /** Most blocks per eth_getLogs call (default 5,000), or a window shared with other lookups. */
  logWindow?: number | LogWindow;
  /** Calls in flight at once (default 6). */
  concurrency?: number;
}

type Names<K extends keyof typeof ENUM_NAMES> = (typeof ENUM_NAMES)[K][number];
export type LineStatusName = Names<"LineStatus">;
export type LineHoldName = Names<"LineHold">;
export type RosterStateName = Names<"RosterState">;
export type HouseholdStatusName = Names<"HouseholdStatus">;
export type SuspensionReasonName = Names<"SuspensionReason">;
export type ReversalStatusName = Names<"ReversalStatus">;

/** Where and when something happened on chain. `time` is the block's Unix time in seconds. */
export interface ChainRef {
  block: number;
  time: number;
  tx: string;
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

const registry = new Interface(HOUSEHOLD_REGISTRY_ABI);
const rosterBook = new Interface(ROSTER_BOOK_ABI);
const disbursement = new Interface(DISBURSEMENT_ABI);
const lens = new Interface(LENS_ABI);

const topic = (iface: Interface, event: string) => iface.getEvent(event)!.topicHash;
const word = (value: bigint | number) => zeroPadValue(toBeHex(value), 32);
const name = <K extends keyof typeof ENUM_NAMES>(kind: K, value: unknown) =>
  ENUM_NAMES[kind][Number(value)] as Names<K>;
const big = (value: unknown) => BigInt(value as bigint);

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const uniq = <T>(values: Iterable<T>) => [...new Set(values)];
const lineKey = (rosterId: bigint, lineIndex: number) => `${rosterId}:${lineIndex}`;

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

/** Looks up the household with `commitment`. See the module comment. */
export async function lookupHousehold(
  reader: ChainReader,
  deployment: ResidentDeployment,
  commitment: string,
  options: LookupOptions = {},
): Promise<ResidentLookup> {
  const concurrency = options.concurrency ?? 6;
  const window = typeof options.logWindow === "object" ? options.logWindow : logWindow(options.logWindow);
  const toBlock = options.toBlock ?? (await reader.getBlockNumber());
  const fromBlock = options.fromBlock ?? 0;
  const scanned = () => ({ fromBlock, toBlock, logCalls: window.calls, refusals: window.refusals });

  const view = async (iface: Interface, to: string, fn: string, args: unknown[]) => {
    const data = await reader.call({ to, data: iface.encodeFunctionData(fn, args), blockTag: toBlock });
    return iface.decodeFunctionResult(fn, data)[0] as unknown;
  };
  const record = (value: unknown) => (value as { toObject(deep?: boolean): Record<string, unknown> }).toObject(true);

  const householdId = big(await view(registry, deployment.households, "householdIdOf", [commitment]));
  if (householdId === 0n) return { found: false, scanned: scanned() };
  const hh = word(householdId);

  const scan = (address: string, topics: Array<string | string[] | null>, from = fromBlock, to = toBlock) =>
    from > to
      ? Promise.resolve([] as Log[])
      : scanLogs(reader, { address, topics, fromBlock: from, toBlock: to }, window);

  // 1. Everything indexed by the household id: its registry history, its payouts and returns, its
  //    reversals, and objections resolved about its lines.
  const [statusValue, householdLogs, paidLogs, reversalLogs, objectionLogs, listedLogs] = await Promise.all([
    view(registry, deployment.households, "statusOf", [householdId]),
    scan(deployment.households, [
      [
        topic(registry, "HouseholdRegistered"),
        topic(registry, "HouseholdSuspended"),
        topic(registry, "HouseholdReinstated"),
      ],
      hh,
    ]),
    scan(deployment.disbursement, [
      [topic(disbursement, "PayoutRecorded"), topic(disbursement, "PayoutReturned")],
      null,
      hh,
    ]),
    scan(deployment.disbursement, [topic(disbursement, "ReversalRequested"), null, null, hh]),
    scan(deployment.rosterBook, [topic(rosterBook, "ObjectionResolved"), null, null, hh]),
    // LineListed is anonymous: its one topic is the household.
    deployment.rosterLines ? scan(deployment.rosterLines, [hh]) : Promise.resolve([] as Log[]),
  ]);

  const times = new Map<number, Promise<number>>();
  const timeOf = (block: number) => {
    let t = times.get(block);
    if (!t) {
      t = reader.getBlock(block).then((b) => {
        if (!b) throw new Error(`the node has no block ${block}`);
        return b.timestamp;
      });
      times.set(block, t);
    }
    return t;
  };
  const refOf = async (log: Log): Promise<ChainRef> => ({
    block: log.blockNumber,
    time: await timeOf(log.blockNumber),
    tx: log.transactionHash,
  });
  /** Asks for the times of all these logs' blocks at once (the loops below then await them one by one). */
  const prefetchTimes = async (...groups: Log[][]) => {
    await Promise.all(uniq(groups.flat().map((l) => l.blockNumber)).map(timeOf));
  };
  await prefetchTimes(householdLogs, paidLogs, objectionLogs, reversalLogs, listedLogs);

  const events: HouseholdEvent[] = [];
  for (const log of householdLogs) {
    const parsed = registry.parseLog(log)!;
    const at = await refOf(log);
    if (parsed.name === "HouseholdRegistered") events.push({ kind: "registered", at });
    else if (parsed.name === "HouseholdSuspended")
      events.push({
        kind: "suspended",
        reason: name("SuspensionReason", parsed.args.reason),
        reasonHash: parsed.args.reasonHash,
        at,
      });
    else events.push({ kind: "reinstated", reasonHash: parsed.args.reasonHash, at });
  }

  // 2. The lines: one per (roster, line index) named in any of those events.
  const lines = new Map<string, LineRecord>();
  const firstBlock = new Map<bigint, number>(); // per roster: the earliest of this household's events
  const lineOf = (rosterId: bigint, lineIndex: number, block: number) => {
    firstBlock.set(rosterId, Math.min(firstBlock.get(rosterId) ?? block, block));
    const key = lineKey(rosterId, lineIndex);
    let line = lines.get(key);
    if (!line) {
      line = {
        rosterId,
        lineIndex,
        programmeId: 0n,
        region: 0n,
        status: "Unpaid",
        hold: "None",
        outcome: "AwaitingLines",
        reversals: [],
        objections: [],
      };
      lines.set(key, line);
    }
    return line;
  };
  for (const log of listedLogs) {
    // Only a log of exactly this shape is a LineListed (the contract's other event has a signature topic).
    if (log.topics.length !== 1 || log.data.length !== 66) continue;
    // Its one data word: the roster id (bits 192..255), the index (128..159), the amount (0..127).
    const packed = BigInt(log.data);
    const line = lineOf(packed >> 192n, Number((packed >> 128n) & 0xffffffffn), log.blockNumber);
    line.amount = packed & ((1n << 128n) - 1n);
    line.listed = await refOf(log);
  }
  for (const log of paidLogs) {
    const parsed = disbursement.parseLog(log)!;
    const line = lineOf(big(parsed.args.rosterId), Number(parsed.args.lineIndex), log.blockNumber);
    if (parsed.name === "PayoutRecorded") {
      line.amount = big(parsed.args.amount);
      line.payout = await refOf(log);
    } else {
      line.returned = { ...(await refOf(log)), bankRefHash: parsed.args.bankRefHash, amount: big(parsed.args.amount) };
    }
  }
  for (const log of objectionLogs) {
    const parsed = rosterBook.parseLog(log)!;
    const line = lineOf(big(parsed.args.rosterId), Number(parsed.args.lineIndex), log.blockNumber);
    const amount = big(parsed.args.amount);
    line.objections.push({
      upheld: parsed.args.upheld,
      department: Number(parsed.args.department),
      amount,
      reasonHash: parsed.args.reasonHash,
      at: await refOf(log),
    });
    if (parsed.args.upheld && line.amount === undefined) line.amount = amount;
  }
  for (const log of reversalLogs) {
    const parsed = disbursement.parseLog(log)!;
    const line = lineOf(big(parsed.args.rosterId), Number(parsed.args.lineIndex), log.blockNumber);
    line.reversals.push({
      reversalId: big(parsed.args.reversalId),
      amount: big(parsed.args.amount),
      status: "Pending",
      reasonHash: parsed.args.reasonHash,
      requested: await refOf(log),
    });
  }

  const all = [...lines.values()];
  const rosterIds = uniq(all.map((l) => l.rosterId)).sort((a, b) => (a < b ? -1 : 1));
  const reversals = all.flatMap((l) => l.reversals);
  const earliest = Math.min(toBlock, ...firstBlock.values());

  // 3. The rosters (views), their submission, approvals and sign-off (all before this household's
  //    first event of the roster), bank confirmations of its lines and reversal decisions (after).
  const [rosterViews, lineViews, reversalViews, rosterLogs, confirmLogs, decisionLogs] = await Promise.all([
    mapLimit(rosterIds, concurrency, async (id) => record(await view(lens, deployment.lens, "rosterView", [id]))),
    mapLimit(all, concurrency, async (l) =>
      record(await view(lens, deployment.lens, "lineView", [l.rosterId, l.lineIndex])),
    ),
    mapLimit(reversals, concurrency, async (r) =>
      record(await view(disbursement, deployment.disbursement, "reversal", [r.reversalId])),
    ),
    rosterIds.length === 0
      ? Promise.resolve([] as Log[])
      : scan(
          deployment.rosterBook,
          [
            [
              topic(rosterBook, "RosterSubmitted"),
              topic(rosterBook, "RosterSealed"),
              topic(rosterBook, "RosterApproved"),
              topic(rosterBook, "RosterSignedOff"),
            ],
            rosterIds.map(word),
          ],
          fromBlock,
          toBlock,
        ),
    all.some((l) => l.payout)
      ? scan(
          deployment.disbursement,
          [
            topic(disbursement, "PayoutConfirmed"),
            uniq(all.filter((l) => l.payout).map((l) => l.rosterId)).map(word),
            uniq(all.filter((l) => l.payout).map((l) => l.lineIndex)).map(word),
          ],
          earliest,
        )
      : Promise.resolve([] as Log[]),
    reversals.length > 0
      ? scan(
          deployment.disbursement,
          [
            [topic(disbursement, "ReversalApproved"), topic(disbursement, "ReversalRejected")],
            reversals.map((r) => word(r.reversalId)),
          ],
          earliest,
        )
      : Promise.resolve([] as Log[]),
  ]);

  await prefetchTimes(rosterLogs, confirmLogs, decisionLogs);
  const rosters = new Map<bigint, RosterRecord>();
  rosterIds.forEach((id, i) => {
    const v = rosterViews[i]!;
    const r = v.roster as Record<string, unknown>;

    rosters.set(id, {
      rosterId: id,
      programmeId: big(r.programmeId),
      region: big(r.region),
      state: name("RosterState", v.state),
      lineCount: Number(r.lineCount),
      total: big(r.total),
      stages: unpackStages(big(r.reviewStages)).stages,
      approvals: [],
    });
    const approvedAt = Number(r.approvedAt);
    if (approvedAt > 0) {
      const roster = rosters.get(id)!;
      roster.publicityStart = approvedAt;
      roster.publicityEnd = approvedAt + Number(r.publicityPeriod);
      roster.payoutDeadline = roster.publicityEnd + Number(r.payoutPeriod);
    }
  });
  for (const log of rosterLogs) {
    const parsed = rosterBook.parseLog(log)!;
    const roster = rosters.get(big(parsed.args.rosterId));
    if (!roster) continue;
    const at = await refOf(log);
    if (parsed.name === "RosterSubmitted") {
      roster.submitted = {
        ...at,
        submitter: parsed.args.submitter,
        documentHash: parsed.args.documentHash,
        documentURI: parsed.args.documentURI,
      };
    } else if (parsed.name === "RosterSealed") {
      roster.sealed = at;
    } else if (parsed.name === "RosterApproved") {
      roster.approvals.push({
        stage: Number(parsed.args.stage),
        department: Number(parsed.args.department),
        approver: parsed.args.approver,
        signed: parsed.args.signed,
        at,
      });
    } else {
      const end = Number(parsed.args.publicityEndsAt);
      roster.signedOff = at;
      roster.publicityEnd = end;
      // publicityEndsAt = approvedAt + publicityPeriod, and approvedAt is the sign-off block's time.
      roster.publicityStart = roster.publicityStart ?? at.time;
    }
  }

  const now = await timeOf(toBlock);
  const householdStatus = name("HouseholdStatus", statusValue);
  const suspension = [...events].reverse().find((e) => e.kind !== "registered");
  all.forEach((line, i) => {
    const roster = rosters.get(line.rosterId)!;
    line.programmeId = roster.programmeId;
    line.region = roster.region;
    const v = lineViews[i]!;
    line.status = name("LineStatus", v.status);
    line.hold = name("LineHold", v.hold);
    line.outcome = lineOutcome(line, roster, householdStatus === "Suspended", now);
    if (line.outcome === "Skipped" && suspension?.kind === "suspended") {
      line.skippedFor = {
        reason: suspension.reason ?? "Other",
        reasonHash: suspension.reasonHash ?? "",
        at: suspension.at,
      };
    }
  });
  for (const log of confirmLogs) {
    const parsed = disbursement.parseLog(log)!;
    const line = lines.get(lineKey(big(parsed.args.rosterId), Number(parsed.args.lineIndex)));
    if (line?.payout) line.confirmed = { ...(await refOf(log)), bankRefHash: parsed.args.bankRefHash };
  }
  reversals.forEach((r, i) => {
    r.status = name("ReversalStatus", reversalViews[i]!.status);
  });
  for (const log of decisionLogs) {
    const parsed = disbursement.parseLog(log)!;
    const r = reversals.find((x) => x.reversalId === big(parsed.args.reversalId));
    if (r)
      r.decided = {
        ...(await refOf(log)),
        approved: parsed.name === "ReversalApproved",
        department: Number(parsed.args.department),
      };
  }

  // 4. The public totals of each programme that listed this household, and of each region that paid it.
  const programmeIds = uniq(all.map((l) => l.programmeId));
  const regionKeys = uniq(all.map((l) => `${l.programmeId}:${l.region}`)).map(
    (k) => k.split(":").map(BigInt) as [bigint, bigint],
  );
  const [programmeViews, paidViews, regionViews] = await Promise.all([
    mapLimit(programmeIds, concurrency, async (p) => record(await view(lens, deployment.lens, "programmeView", [p]))),
    mapLimit(programmeIds, concurrency, async (p) =>
      record(await view(lens, deployment.lens, "householdView", [commitment, p])),
    ),
    mapLimit(regionKeys, concurrency, async ([p, r]) =>
      record(await view(lens, deployment.lens, "regionBalance", [p, r])),
    ),
  ]);
  const programmes: ProgrammeRecord[] = programmeIds.map((programmeId, i) => {
    const p = programmeViews[i]!.programme as Record<string, unknown>;
    const terms = p.terms as Record<string, unknown>;
    const t = programmeViews[i]!.totals as Record<string, unknown>;
    let earmark: string;
    try {
      earmark = decodeBytes32String(p.earmarkCode as string);
    } catch {
      earmark = p.earmarkCode as string;
    }
    return {
      programmeId,
      earmark,
      fiscalPeriod: Number(p.fiscalPeriod),
      rootRegion: big(p.rootRegion),
      householdCap: big(terms.householdCap),
      publicityDays: Number(terms.publicityPeriod) / 86_400,
      policyURI: terms.policyURI as string,
      policyDocHash: terms.policyDocHash as string,
      totals: {
        funded: big(t.funded),
        reserved: big(t.reserved),
        paid: big(t.paid),
        returned: big(t.returned),
        reversed: big(t.reversed),
      },
      householdPaid: Boolean(paidViews[i]!.paidInProgramme),
    };
  });
  const regions: RegionRecord[] = regionKeys.map(([programmeId, region], i) => {
    const b = regionViews[i]!;
    return {
      programmeId,
      region,
      received: big(b.received),
      allocatedOut: big(b.allocatedOut),
      reserved: big(b.reserved),
      paid: big(b.paid),
      available: big(b.available),
      returned: big(b.returned),
      reversed: big(b.reversed),
    };
  });

  const byChain = (a: LineRecord, b: LineRecord) =>
    a.rosterId === b.rosterId ? a.lineIndex - b.lineIndex : a.rosterId < b.rosterId ? -1 : 1;
  return {
    found: true,
    household: { id: householdId, status: name("HouseholdStatus", statusValue), events },
    lines: all.sort(byChain),
    rosters: [...rosters.values()],
    programmes,
    regions,
    scanned: scanned(),
  };
}
