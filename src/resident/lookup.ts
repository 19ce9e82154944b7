/**
 * A household's own view of the chain, from its commitment alone: its registry entry, every roster
 * line that names it from the moment the line was listed on chain (RosterLines.LineListed), each
 * line's state (awaiting lines or sign-off with the stages done and pending, publicity, objection,
 * payable, overdue, skipped because the household is suspended, paid, confirmed, returned,
 * reversed), its approvals, publicity, payout, bank confirmation or return and reversal, and the
 * public totals of the programmes and regions that listed it. Browser-safe (ethers only): the residents' page and `resident check` both
 * run this. It reads views pinned to one block and event logs in bounded windows (./reader.ts,
 * ./logs.ts) and answers with the records of ./records.ts; a commitment that no household has
 * gives `{ found: false }`, never an error.
 */
import { Interface, type Log } from "ethers";

import { unpackStages } from "../offices.js";
import { DISBURSEMENT_ABI, HOUSEHOLD_REGISTRY_ABI, LENS_ABI, ROSTER_BOOK_ABI } from "./abi.js";
import { type LogWindow, logWindow } from "./logs.js";
import { mapLimit } from "../async.js";
import { big, type ChainReader, enumName, PinnedReader, topic, uniq, word } from "./reader.js";
import {
  type HouseholdEvent,
  type LineRecord,
  lineOutcome,
  type ResidentLookup,
  type RosterRecord,
} from "./records.js";
import { publicTotals } from "./totals.js";

/** The contracts a lookup reads (a subset of the suite's deployment record). */
export interface ResidentDeployment {
  households: string;
  rosterBook: string;
  /** Where the lines are listed; without it, only lines named by a payout, objection or reversal are found. */
  rosterLines?: string;
  disbursement: string;
  lens: string;
}

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

const registry = new Interface(HOUSEHOLD_REGISTRY_ABI);
const rosterBook = new Interface(ROSTER_BOOK_ABI);
const disbursement = new Interface(DISBURSEMENT_ABI);
const lens = new Interface(LENS_ABI);

const lineKey = (rosterId: bigint, lineIndex: number) => `${rosterId}:${lineIndex}`;

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
  const chain = new PinnedReader(reader, window, fromBlock, toBlock);

  const householdId = big(await chain.view(registry, deployment.households, "householdIdOf", [commitment]));
  if (householdId === 0n) return { found: false, scanned: chain.scanned() };
  const hh = word(householdId);

  // 1. Everything indexed by the household id: its registry history, its payouts and returns, its
  //    reversals, and objections resolved about its lines.
  const [statusValue, householdLogs, paidLogs, reversalLogs, objectionLogs, listedLogs] = await Promise.all([
    chain.view(registry, deployment.households, "statusOf", [householdId]),
    chain.scan(deployment.households, [
      [
        topic(registry, "HouseholdRegistered"),
        topic(registry, "HouseholdSuspended"),
        topic(registry, "HouseholdReinstated"),
      ],
      hh,
    ]),
    chain.scan(deployment.disbursement, [
      [topic(disbursement, "PayoutRecorded"), topic(disbursement, "PayoutReturned")],
      null,
      hh,
    ]),
    chain.scan(deployment.disbursement, [topic(disbursement, "ReversalRequested"), null, null, hh]),
    chain.scan(deployment.rosterBook, [topic(rosterBook, "ObjectionResolved"), null, null, hh]),
    // LineListed is anonymous: its one topic is the household.
    deployment.rosterLines ? chain.scan(deployment.rosterLines, [hh]) : Promise.resolve([] as Log[]),
  ]);

  await chain.prefetchTimes(householdLogs, paidLogs, objectionLogs, reversalLogs, listedLogs);

  const events: HouseholdEvent[] = [];
  for (const log of householdLogs) {
    const parsed = registry.parseLog(log)!;
    const at = await chain.refOf(log);
    if (parsed.name === "HouseholdRegistered") events.push({ kind: "registered", at });
    else if (parsed.name === "HouseholdSuspended")
      events.push({
        kind: "suspended",
        reason: enumName("SuspensionReason", parsed.args.reason),
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
    line.listed = await chain.refOf(log);
  }
  for (const log of paidLogs) {
    const parsed = disbursement.parseLog(log)!;
    const line = lineOf(big(parsed.args.rosterId), Number(parsed.args.lineIndex), log.blockNumber);
    if (parsed.name === "PayoutRecorded") {
      line.amount = big(parsed.args.amount);
      line.payout = await chain.refOf(log);
    } else {
      line.returned = {
        ...(await chain.refOf(log)),
        bankRefHash: parsed.args.bankRefHash,
        amount: big(parsed.args.amount),
      };
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
      at: await chain.refOf(log),
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
      requested: await chain.refOf(log),
    });
  }

  const all = [...lines.values()];
  const rosterIds = uniq(all.map((l) => l.rosterId)).sort((a, b) => (a < b ? -1 : 1));
  const reversals = all.flatMap((l) => l.reversals);
  const earliest = Math.min(toBlock, ...firstBlock.values());

  // 3. The rosters (views), their submission, approvals and sign-off (all before this household's
  //    first event of the roster), bank confirmations of its lines and reversal decisions (after).
  const [rosterViews, lineViews, reversalViews, rosterLogs, confirmLogs, decisionLogs] = await Promise.all([
    mapLimit(rosterIds, concurrency, async (id) => chain.record(lens, deployment.lens, "rosterView", [id])),
    mapLimit(all, concurrency, async (l) => chain.record(lens, deployment.lens, "lineView", [l.rosterId, l.lineIndex])),
    mapLimit(reversals, concurrency, async (r) =>
      chain.record(disbursement, deployment.disbursement, "reversal", [r.reversalId]),
    ),
    rosterIds.length === 0
      ? Promise.resolve([] as Log[])
      : chain.scan(
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
      ? chain.scan(
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
      ? chain.scan(
          deployment.disbursement,
          [
            [topic(disbursement, "ReversalApproved"), topic(disbursement, "ReversalRejected")],
            reversals.map((r) => word(r.reversalId)),
          ],
          earliest,
        )
      : Promise.resolve([] as Log[]),
  ]);

  await chain.prefetchTimes(rosterLogs, confirmLogs, decisionLogs);
  const rosters = new Map<bigint, RosterRecord>();
  rosterIds.forEach((id, i) => {
    const v = rosterViews[i]!;
    const r = v.roster as Record<string, unknown>;

    rosters.set(id, {
      rosterId: id,
      programmeId: big(r.programmeId),
      region: big(r.region),
      state: enumName("RosterState", v.state),
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
    const at = await chain.refOf(log);
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

  const now = await chain.timeOf(toBlock);
  const householdStatus = enumName("HouseholdStatus", statusValue);
  const suspension = [...events].reverse().find((e) => e.kind !== "registered");
  all.forEach((line, i) => {
    const roster = rosters.get(line.rosterId)!;
    line.programmeId = roster.programmeId;
    line.region = roster.region;
    const v = lineViews[i]!;
    line.status = enumName("LineStatus", v.status);
    line.hold = enumName("LineHold", v.hold);
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
    if (line?.payout) line.confirmed = { ...(await chain.refOf(log)), bankRefHash: parsed.args.bankRefHash };
  }
  reversals.forEach((r, i) => {
    r.status = enumName("ReversalStatus", reversalViews[i]!.status);
  });
  for (const log of decisionLogs) {
    const parsed = disbursement.parseLog(log)!;
    const r = reversals.find((x) => x.reversalId === big(parsed.args.reversalId));
    if (r)
      r.decided = {
        ...(await chain.refOf(log)),
        approved: parsed.name === "ReversalApproved",
        department: Number(parsed.args.department),
      };
  }

  // 4. The public totals of each programme that listed this household, and of each region that paid it.
  const { programmes, regions } = await publicTotals(chain, deployment.lens, commitment, all, concurrency);

  const byChain = (a: LineRecord, b: LineRecord) =>
    a.rosterId === b.rosterId ? a.lineIndex - b.lineIndex : a.rosterId < b.rosterId ? -1 : 1;
  return {
    found: true,
    household: { id: householdId, status: enumName("HouseholdStatus", statusValue), events },
    lines: all.sort(byChain),
    rosters: [...rosters.values()],
    programmes,
    regions,
    scanned: chain.scanned(),
  };
}
