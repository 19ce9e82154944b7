/**
 * The event indexer against the in-process chain: incremental runs that never count an event
 * twice, a provider that refuses large ranges, transient failures retried, a run that gives up and
 * is continued by the next, a database refused for another deployment, and the index-time checks
 * of payout batches.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { AbiCoder, keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";

import { batchHash, batchProof, LINE_ENCODING, leafHash, packLine } from "../../src/lines.js";
import type { SuiteAddresses } from "../../src/suite.js";
import {
  classifyError,
  IndexDatabase,
  IndexStoppedError,
  integrityFindings,
  type JsonRpc,
  LineSums,
  updateIndex,
} from "../../src/indexer/index.js";
import { reconcileFromEvents } from "../../src/audit/index.js";
import { formatChinaDate } from "../../src/resident/format.js";
import { connection, fundedSuite, networkHelpers, TOWNSHIP } from "./helpers/fixture.js";
import { makeLines, payableRoster } from "./helpers/rosters.js";

const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 4 };
const provider: JsonRpc = connection.ethers.provider;

/** A roster of 50 lines paid in two batches of 25. */
async function paidSuite() {
  const f = await fundedSuite();
  const roster = await payableRoster(f.suite, f.a, f.programmeId, TOWNSHIP, makeLines(50));
  for (const indices of [[...Array(25).keys()], [...Array(25).keys()].map((i) => 49 - i)]) {
    const b = batchProof(roster.tree, indices);
    await f.suite.disbursement.connect(f.a.disburser).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof);
  }
  return { ...f, roster };
}

async function freshDb(): Promise<IndexDatabase> {
  return IndexDatabase.open(path.join(await mkdtemp(path.join(tmpdir(), "fund-index-")), "audit.sqlite"));
}

const count = (db: IndexDatabase, table: string) => Number(db.get(`SELECT COUNT(*) AS n FROM ${table}`)!.n);

/** Every log of the suite's contracts, read in one call without the indexer. */
/** The line_sums table, keyed "roster day kind". */
function storedSums(db: IndexDatabase): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of db.all("SELECT roster_id, day, kind, lines, amount FROM line_sums"))
    out[`${r.roster_id} ${r.day} ${r.kind}`] = `${r.lines} ${r.amount}`;
  return out;
}

/** The same sums computed here from every row, the day in JavaScript (formatChinaDate). */
function sumsAfresh(db: IndexDatabase): Record<string, string> {
  const sums = new Map<string, { lines: number; amount: bigint }>();
  const add = (sql: string, kind: string) => {
    for (const r of db.all(sql)) {
      const key = `${r.roster_id} ${formatChinaDate(Number(r.time))} ${kind}`;
      const s = sums.get(key) ?? { lines: 0, amount: 0n };
      sums.set(key, { lines: s.lines + 1, amount: s.amount + BigInt(r.amount as number | bigint) });
    }
  };
  add("SELECT p.roster_id, b.time, p.amount FROM payouts p JOIN blocks b ON b.number = p.block", "paid");
  add(
    `SELECT c.roster_id, b.time, p.amount FROM confirmations c JOIN blocks b ON b.number = c.block
     JOIN payouts p ON p.roster_id = c.roster_id AND p.line_index = c.line_index`,
    "confirmed",
  );
  add("SELECT r.roster_id, b.time, r.amount FROM returns r JOIN blocks b ON b.number = r.block", "returned");
  return Object.fromEntries([...sums].map(([k, v]) => [k, `${v.lines} ${v.amount}`]));
}

async function chainLogCount(addresses: SuiteAddresses): Promise<number> {
  const { lens: _lens, ...contracts } = addresses;
  const logs = (await provider.send("eth_getLogs", [
    { address: Object.values(contracts), fromBlock: "0x0", toBlock: "latest" },
  ])) as unknown[];
  return logs.length;
}

/** `inner` with `hook` run before every call (to fail it, count it, or look at it). */
function wrap(inner: JsonRpc, hook: (method: string, params: unknown[]) => void): JsonRpc {
  return {
    send: async (method, params) => {
      hook(method, params);
      return inner.send(method, params);
    },
  };
}

const span = (params: unknown[]) => {
  const filter = params[0] as { fromBlock: string; toBlock: string };
  return Number(filter.toBlock) - Number(filter.fromBlock) + 1;
};

describe("Indexer", () => {
  it("indexes every event once: a second run reads only new blocks, and re-reading a range counts nothing twice", async () => {
    const { suite, a, roster } = await networkHelpers.loadFixture(paidSuite);
    const db = await freshDb();
    try {
      const first = await updateIndex({ rpc: provider, db, addresses: suite.addresses });
      const latest = await connection.ethers.provider.getBlockNumber();
      expect(first.fromBlock).to.equal(0);
      expect(first.toBlock).to.equal(latest);
      expect(first.events).to.equal(await chainLogCount(suite.addresses));
      expect(count(db, "events")).to.equal(first.events);
      expect(count(db, "payouts")).to.equal(50);
      expect(count(db, "batches")).to.equal(2);
      expect(count(db, "households")).to.equal(600);
      expect(first.eventsByName["Disbursement.PayoutRecorded"]).to.equal(50);
      // Running sums kept by a long-lived reader (the portal) from this point on.
      const running = new LineSums().update(db);
      expect(running.roster(roster.rosterId).paid).to.deep.equal({ lines: 50, amount: roster.total });
      expect(running.roster(roster.rosterId).confirmed).to.deep.equal({ lines: 0, amount: 0n });

      // Nothing new: nothing read.
      const idle = await updateIndex({ rpc: provider, db, addresses: suite.addresses });
      expect(idle.fromBlock).to.equal(null);
      expect(idle.events).to.equal(0);

      // New blocks: only they are read. The bank confirms on the next Beijing day (16:00 UTC is midnight there).
      const paidAt = Number(db.get("SELECT MAX(time) AS t FROM blocks")!.t);
      await networkHelpers.time.setNextBlockTimestamp(
        Math.floor((paidAt + 8 * 3600) / 86400 + 1) * 86400 - 8 * 3600 + 60,
      );
      await suite.disbursement.connect(a.bank).confirmPayouts(
        roster.rosterId,
        [0, 1, 2],
        [0, 1, 2].map((i) => keccak256(toUtf8Bytes(`ref ${i}`))),
      );
      const second = await updateIndex({ rpc: provider, db, addresses: suite.addresses });
      expect(second.fromBlock).to.equal(latest + 1);
      expect(second.toBlock).to.equal(latest + 1);
      expect(second.eventsByName).to.deep.equal({ "Disbursement.PayoutConfirmed": 3 });
      expect(count(db, "confirmations")).to.equal(3);
      expect(count(db, "events")).to.equal(await chainLogCount(suite.addresses));
      // The running sums add only the new block, and agree with sums read afresh and with a fresh reconciliation.
      const fresh = new LineSums().update(db);
      running.update(db);
      const confirmedAmount = BigInt(
        db.get("SELECT SUM(p.amount) AS s FROM confirmations c JOIN payouts p USING (roster_id, line_index)")!
          .s as bigint,
      );
      expect(running.roster(roster.rosterId).confirmed).to.deep.equal({ lines: 3, amount: confirmedAmount });
      expect(running.roster(roster.rosterId)).to.deep.equal(fresh.roster(roster.rosterId));
      expect([...running.rosterDays(roster.rosterId)]).to.deep.equal([...fresh.rosterDays(roster.rosterId)]);
      expect(reconcileFromEvents(db, undefined, running)).to.deep.equal(reconcileFromEvents(db));
      // The sums kept in the index are those of every row, each on its block's Beijing day.
      expect(storedSums(db)).to.deep.equal(sumsAfresh(db));
      expect(running.rosterDays(roster.rosterId).size).to.equal(2);

      // Forced to read everything again (as after a crash between a commit and its report): no row twice.
      db.setMeta("last_block", "-1");
      db.setMeta("last_block_hash", "");
      const again = await updateIndex({ rpc: provider, db, addresses: suite.addresses });
      expect(again.events).to.equal(count(db, "events"));
      expect(count(db, "events")).to.equal(await chainLogCount(suite.addresses));
      expect(count(db, "payouts")).to.equal(50);
      expect(count(db, "confirmations")).to.equal(3);
      expect(Number(db.get("SELECT SUM(amount) AS s FROM payouts")!.s)).to.equal(Number(roster.total));
      expect(storedSums(db)).to.deep.equal(sumsAfresh(db));
      expect(integrityFindings(db)).to.deep.equal([]);
      expect(reconcileFromEvents(db).balanced).to.equal(true);

      // Kept sums that disagree with the rows (an altered file) are named, and nothing balances.
      db.db.prepare("UPDATE line_sums SET amount = amount + 1 WHERE kind = 'confirmed'").run();
      const kept = integrityFindings(db).filter((f) => f.kind === "line-sums");
      expect(kept).to.have.length(1);
      expect(kept[0]!.detail).to.match(
        new RegExp(
          `^roster ${roster.rosterId}: the index's kept sums say 3 lines confirmed for \\d+ fen, its rows 3 lines for \\d+ fen`,
        ),
      );
      expect(reconcileFromEvents(db).balanced).to.equal(false);
    } finally {
      db.close();
    }
  });

  it("takes an answer that is not JSON (anvil's, for hundreds of thousands of logs) as too large: smaller ranges, every event", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    // Over 250 logs the "node" sends an empty body, as anvil did for 16 blocks of large payouts.
    const cutOff: JsonRpc = {
      send: async (method, params) => {
        const result = await provider.send(method, params);
        if (method === "eth_getLogs" && (result as unknown[]).length > 250) {
          throw Object.assign(
            new Error(
              'response body is not valid JSON (operation="bodyJson", info={ "response": {  } }, code=UNSUPPORTED_OPERATION)',
            ),
            { code: "UNSUPPORTED_OPERATION" },
          );
        }
        return result;
      },
    };
    const db = await freshDb();
    try {
      const report = await updateIndex({
        rpc: cutOff,
        db,
        addresses: suite.addresses,
        range: { initial: 10_000, max: 100_000, growAfter: 1, cooldown: 0 },
      });
      expect(report.rangeShrinks).to.be.greaterThan(0);
      expect(report.events).to.equal(await chainLogCount(suite.addresses));
      expect(count(db, "households")).to.equal(600);
    } finally {
      db.close();
    }
  });

  it("leaves the newest blocks unread with --confirmations", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    const db = await freshDb();
    try {
      const latest = await connection.ethers.provider.getBlockNumber();
      const report = await updateIndex({ rpc: provider, db, addresses: suite.addresses, confirmations: 2 });
      expect(report.toBlock).to.equal(latest - 2);
      expect(db.head().block).to.equal(latest - 2);
    } finally {
      db.close();
    }
  });

  it("halves the range when the provider says its answer is too large, grows it again, and still reads every event", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    // Like Infura: an answer of more than `limit` logs is refused. The 600 household registrations
    // (200 per block) make a dense stretch; the blocks around them are sparse.
    const limit = 250;
    const calls: Array<{ span: number; ok: boolean }> = [];
    const picky: JsonRpc = {
      send: async (method, params) => {
        const result = await provider.send(method, params);
        if (method !== "eth_getLogs") return result;
        const ok = (result as unknown[]).length <= limit;
        calls.push({ span: span(params), ok });
        if (!ok) throw new Error(`query returned more than ${limit} results`);
        return result;
      },
    };
    const db = await freshDb();
    try {
      const notices: string[] = [];
      const report = await updateIndex({
        rpc: picky,
        db,
        addresses: suite.addresses,
        onNotice: (t) => notices.push(t),
        range: { initial: 10_000, max: 100_000, growAfter: 1, cooldown: 0 },
      });
      expect(report.rangeShrinks)
        .to.equal(calls.filter((c) => !c.ok).length)
        .and.to.be.greaterThan(5);
      const firstRefusal = calls.findIndex((c) => !c.ok);
      const after = calls
        .slice(firstRefusal)
        .filter((c) => c.ok)
        .map((c) => c.span);
      expect(
        after.some((s, i) => i > 0 && s > after[i - 1]!),
        "the range grew again after successes",
      ).to.equal(true);
      expect(report.events).to.equal(await chainLogCount(suite.addresses));
      expect(count(db, "payouts")).to.equal(50);
      expect(count(db, "households")).to.equal(600);
      expect(notices.join("\n")).to.contain("too large for the provider");
    } finally {
      db.close();
    }
  });

  it("halves the range when the provider refuses spans above a limit, and never asks for more again until it has read a while", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    const limit = 16;
    const served: number[] = [];
    let refused = 0;
    const picky = wrap(provider, (method, params) => {
      if (method !== "eth_getLogs") return;
      if (span(params) > limit) {
        refused++;
        throw new Error("query returned more than 10000 results");
      }
      served.push(span(params));
    });
    const db = await freshDb();
    try {
      const report = await updateIndex({ rpc: picky, db, addresses: suite.addresses });
      // 10,000 → 5,000 → … → 19 refused, then 9 served (and, on a longer chain, 18 tried again after the cool-down).
      expect(refused).to.be.at.least(10);
      expect(report.rangeShrinks).to.equal(refused);
      expect(Math.max(...served)).to.be.at.most(limit);
      expect(report.events).to.equal(await chainLogCount(suite.addresses));
      expect(count(db, "payouts")).to.equal(50);
    } finally {
      db.close();
    }
  });

  it("takes the range a provider suggests with its refusal (Infura, Alchemy)", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    const spans: number[] = [];
    const refusedAt: number[] = [];
    const suggesting = wrap(provider, (method, params) => {
      if (method !== "eth_getLogs") return;
      spans.push(span(params));
      const from = Number((params[0] as { fromBlock: string }).fromBlock);
      if (span(params) > 8) refusedAt.push(spans.length - 1);
      if (span(params) > 8)
        throw new Error(
          `query returned more than 10000 results. Try with this block range [0x${from.toString(16)}, 0x${(from + 7).toString(16)}].`,
        );
    });
    const db = await freshDb();
    try {
      const report = await updateIndex({ rpc: suggesting, db, addresses: suite.addresses });
      // The whole chain at first; after each refusal, straight to the suggested 8 blocks.
      expect(refusedAt[0]).to.equal(0);
      expect(refusedAt.map((i) => spans[i + 1])).to.deep.equal(refusedAt.map(() => 8));
      expect(report.rangeShrinks).to.equal(refusedAt.length);
      expect(report.events).to.equal(await chainLogCount(suite.addresses));
    } finally {
      db.close();
    }
  });

  it("stops with a clear error when a single block holds more logs than the provider returns", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    const stingy = wrap(provider, (method) => {
      if (method === "eth_getLogs") throw Object.assign(new Error("Log response size exceeded."), { code: -32005 });
    });
    const db = await freshDb();
    try {
      const error = await updateIndex({
        rpc: stingy,
        db,
        addresses: suite.addresses,
        range: { initial: 4, max: 4 },
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(IndexStoppedError);
      expect((error as Error).message).to.contain("block 0 alone holds more logs than the provider returns");
      expect((error as Error).message).to.contain("Nothing is indexed yet");
    } finally {
      db.close();
    }
  });

  it("retries network errors and 5xx answers with backoff, and loses nothing", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    let failures = 0;
    const flaky = wrap(provider, (method) => {
      // Every third call fails, alternating a dropped connection and a gateway error.
      if (++failures % 3 !== 0) return;
      if (method === "eth_getLogs")
        throw Object.assign(new Error("server response 502 Bad Gateway"), {
          code: "SERVER_ERROR",
          info: { responseStatus: "502 Bad Gateway" },
        });
      throw Object.assign(new Error("request failed: read ECONNRESET"), { code: "ECONNRESET" });
    });
    const db = await freshDb();
    try {
      const report = await updateIndex({
        rpc: flaky,
        db,
        addresses: suite.addresses,
        retry: FAST_RETRY,
        range: { initial: 30, max: 30 },
      });
      expect(report.retries).to.be.greaterThan(5);
      expect(report.events).to.equal(await chainLogCount(suite.addresses));
      expect(count(db, "payouts")).to.equal(50);
      expect(count(db, "txs")).to.equal(Number(db.get("SELECT COUNT(DISTINCT tx) AS n FROM events")!.n));
    } finally {
      db.close();
    }
  });

  it("gives up after its retries, says where it stopped, and the next run continues from there", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    const broken = 40;
    const down = wrap(provider, (method, params) => {
      const filter = params[0] as { toBlock?: string } | undefined;
      if (method === "eth_getLogs" && Number(filter?.toBlock) >= broken)
        throw new Error("connect ECONNREFUSED 127.0.0.1:8545");
    });
    const db = await freshDb();
    try {
      const error = await updateIndex({
        rpc: down,
        db,
        addresses: suite.addresses,
        retry: { ...FAST_RETRY, attempts: 4 },
        range: { initial: 10, max: 10 },
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(IndexStoppedError);
      expect((error as Error).message)
        .to.contain("after 4 attempts")
        .and.to.contain("ECONNREFUSED");
      expect((error as Error).message)
        .to.contain("blocks 40…49")
        .and.to.contain("Blocks up to 39 are indexed and kept; the next run continues from block 40");
      expect(db.head().block).to.equal(39);
      const partial = count(db, "events");

      const rest = await updateIndex({ rpc: provider, db, addresses: suite.addresses });
      expect(rest.fromBlock).to.equal(40);
      expect(partial + rest.events).to.equal(await chainLogCount(suite.addresses));
      expect(count(db, "events")).to.equal(partial + rest.events);
      expect(count(db, "payouts")).to.equal(50);
    } finally {
      db.close();
    }
  });
  it("sums payouts per roster from an index alone, also in a file written before that index existed", async () => {
    const { suite, roster } = await networkHelpers.loadFixture(paidSuite);
    const db = await freshDb();
    // A file of the earlier schema: the payouts' index by line without the amount.
    db.db.exec("DROP INDEX payouts_line_amount; CREATE INDEX payouts_line ON payouts (roster_id, line_index);");
    db.close();
    const reopened = IndexDatabase.open(db.file);
    try {
      await updateIndex({ rpc: provider, db: reopened, addresses: suite.addresses });
      const indexes = reopened
        .all("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'payouts' AND sql IS NOT NULL")
        .map((r) => String(r.name));
      expect(indexes.sort()).to.deep.equal(["payouts_household", "payouts_line_amount"]);
      const sum = "SELECT roster_id, SUM(amount) AS amount FROM payouts GROUP BY roster_id";
      const plan = reopened.all(`EXPLAIN QUERY PLAN ${sum}`).map((r) => String(r.detail));
      expect(plan).to.deep.equal(["SCAN payouts USING COVERING INDEX payouts_line_amount"]);
      expect(reopened.all(sum).map((r) => [r.roster_id, r.amount])).to.deep.equal([[roster.rosterId, roster.total]]);
    } finally {
      reopened.close();
    }
  });

  it("refuses a database made for another deployment, and one whose chain was reorganised below its head", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    const db = await freshDb();
    try {
      await updateIndex({ rpc: provider, db, addresses: suite.addresses });
      const other = { ...suite.addresses, disbursement: "0x000000000000000000000000000000000000dEaD" };
      const error = await updateIndex({ rpc: provider, db, addresses: other }).catch((e: unknown) => e);
      expect((error as Error).message)
        .to.contain("another deployment of the suite")
        .and.to.contain("disbursement");

      db.setMeta("last_block_hash", keccak256(toUtf8Bytes("a block that is not on this chain")));
      const reorg = await updateIndex({ rpc: provider, db, addresses: suite.addresses }).catch((e: unknown) => e);
      expect((reorg as Error).message).to.contain("the chain reorganised below the indexed head");
    } finally {
      db.close();
    }
  });

  it("checks each payout batch against its lines: a log that does not hash to its batch is reported, not hidden", async () => {
    const { suite } = await networkHelpers.loadFixture(paidSuite);
    // A provider that lies about one paid line's amount (as a tampered node or cache would).
    const topic = suite.disbursement.interface.getEvent("PayoutRecorded").topicHash;
    const liar: JsonRpc = {
      send: async (method, params) => {
        const result = await provider.send(method, params);
        if (method !== "eth_getLogs") return result;
        return (result as Array<{ topics: string[]; data: string }>).map((log, i, all) => {
          const firstPayout = all.findIndex((l) => l.topics[0] === topic);
          if (i !== firstPayout) return log;
          return { ...log, data: log.data.slice(0, -1) + (log.data.endsWith("0") ? "1" : "0") };
        });
      },
    };
    const db = await freshDb();
    try {
      const report = await updateIndex({ rpc: liar, db, addresses: suite.addresses });
      expect(report.issues).to.equal(2);
      const kinds = integrityFindings(db).map((f) => f.kind);
      expect(kinds).to.have.members(["batch-hash", "batch-amount", "roster-paid-total"]);
      expect(Number(db.get("SELECT hash_ok FROM batches WHERE batch_id = 1")!.hash_ok)).to.equal(0);
    } finally {
      db.close();
    }
  });

  it("hashes leaves and batches exactly as the ABI encoding and the packing (and so the contract) do", () => {
    const lines = [
      { index: 0, household: 1n, amount: 1n },
      { index: 7, household: 123_456n, amount: 200_000n },
      { index: 2 ** 32 - 1, household: 2n ** 64n - 1n, amount: 2n ** 128n - 1n },
      { index: 65_536, household: 2n ** 40n + 3n, amount: 10n ** 30n },
    ];
    // The reference: keccak256(keccak256(abi.encode(uint32, uint64, uint128))), through the ABI coder.
    const reference = (l: (typeof lines)[number]) =>
      keccak256(keccak256(AbiCoder.defaultAbiCoder().encode([...LINE_ENCODING], [l.index, l.household, l.amount])));
    for (const line of lines) expect(leafHash(line)).to.equal(reference(line));
    // A batch hash is keccak256 of the packed words (index << 192 | household << 128 | amount), as
    // `keccak256(abi.encodePacked(uint256[]))`, here through the ABI coder's packed encoding.
    const packed = (l: (typeof lines)[number]) => (BigInt(l.index) << 192n) | (l.household << 128n) | l.amount;
    expect(batchHash(lines)).to.equal(solidityPackedKeccak256(["uint256[]"], [lines.map(packed)]));
    expect(batchHash(lines.slice(1, 2))).to.equal(solidityPackedKeccak256(["uint256"], [packed(lines[1]!)]));
    expect(() => leafHash({ index: 0, household: 2n ** 64n, amount: 1n })).to.throw(RangeError);
  });

  it("tells a too-large range, a transient failure and a refusal apart", () => {
    expect(classifyError(new Error("query returned more than 10000 results"))).to.equal("too-large");
    expect(classifyError({ error: { code: -32005, message: "limit exceeded" } })).to.equal("too-large");
    expect(classifyError(new Error("Requested range exceeds maximum RPC range limit"))).to.equal("too-large");
    expect(
      classifyError(
        Object.assign(new Error("server error"), {
          code: "SERVER_ERROR",
          info: { responseStatus: "503 Service Unavailable" },
        }),
      ),
    ).to.equal("transient");
    expect(classifyError(new Error("socket hang up"))).to.equal("transient");
    expect(classifyError({ status: 429 })).to.equal("transient");
    expect(classifyError(new Error("invalid params: block 512 is not a hex quantity"))).to.equal("fatal");
  });
});
