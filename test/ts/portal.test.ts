/**
 * The portal's read service (src/portal): its JSON API over an index of a real chain — programmes
 * with terms and money by state, the region tree with its identity, a roster's timeline in
 * publicity, lines, warnings with evidence and their Atom feed, a household's lines by commitment —
 * every answer naming the block it is true at; bad requests get a 4xx with a message; writes are
 * refused; a node that does not answer is reported, never waited for.
 */
import path from "node:path";

import { expect } from "chai";
import { id } from "ethers";

import { paidBatchesOf } from "../../src/chain/batches.js";
import { IndexDatabase, updateIndex } from "../../src/indexer/index.js";
import { batchProof, packLine } from "../../src/lines.js";
import { Follower } from "../../src/portal/follower.js";
import { buildPortal } from "../../src/portal/server.js";
import type {
  householdLines,
  programmeDetail,
  programmeList,
  regionDetail,
  rosterDetail,
  rosterLines,
} from "../../src/portal/views.js";
import {
  commitment,
  connection,
  DEPT_CIVIL,
  DEPT_FINANCE,
  DEPT_RURAL,
  fundedSuite,
  networkHelpers,
  PUBLICITY,
  TOWNSHIP,
} from "./helpers/fixture.js";
import { tempDir } from "./helpers/cli.js";
import { approveAll, makeLines, payableRoster, submit } from "./helpers/rosters.js";

const provider = connection.ethers.provider;
type Household = Extract<ReturnType<typeof householdLines>, { registered: true }>;
const ref = (n: number) => id(`BANK-${n}`);

/** Roster 1 paid (10 lines: 8 confirmed, 1 returned, 1 unconfirmed); roster 2 in publicity with an objection. */
async function portalWorld() {
  const f = await fundedSuite();
  const { suite, a, programmeId } = f;
  const r1 = await payableRoster(suite, a, programmeId, TOWNSHIP, makeLines(10));
  const b = batchProof(r1.tree, [...Array(10).keys()]);
  await (
    await suite.disbursement.connect(a.disburser).recordPayouts(r1.rosterId, b.lines.map(packLine), b.proof)
  ).wait();
  await suite.disbursement
    .connect(a.bank)
    .confirmPayouts(r1.rosterId, [0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7].map(ref));
  const returned = (await paidBatchesOf(suite, r1.rosterId)).get(8)!;
  await suite.disbursement
    .connect(a.bank)
    .returnPayouts(r1.rosterId, returned.batch, [returned.position], [returned.line], [ref(8)]);
  const r2 = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(5, 100));
  await approveAll(suite, a, r2.rosterId);
  await suite.rosterBook.connect(a.objector).objectToLine(r2.rosterId, 2, id("evidence: moved away"));
  await networkHelpers.mine();
  return { ...f, r1, r2 };
}

async function portal() {
  const world = await networkHelpers.loadFixture(portalWorld);
  const db = IndexDatabase.open(path.join(await tempDir(), "portal.sqlite"));
  await updateIndex({ rpc: provider, db, addresses: world.suite.addresses });
  const { chainId } = await provider.getNetwork();
  const app = buildPortal({ db, chainId, addresses: world.suite.addresses });
  const get = async <T = Record<string, unknown>>(url: string) => {
    const r = await app.inject({ method: "GET", url });
    return {
      status: r.statusCode,
      body: r.json() as { at: { block: number }; chain: Record<string, unknown>; data: T; error?: string },
    };
  };
  return { ...world, db, app, get };
}

describe("portal read service", () => {
  it("every answer names the block its figures are true at; programmes carry terms and money by state", async () => {
    const { db, get, app } = await portal();
    try {
      const { status, body } = await get<ReturnType<typeof programmeList>>("/api/programmes");
      expect(status).to.equal(200);
      expect(body.at.block)
        .to.equal(db.head().block)
        .and.to.equal(await provider.getBlockNumber());
      const [p] = body.data;
      expect(p!.id).to.equal("1");
      const r1Total = makeLines(10).reduce((s, l) => s + l.amount, 0n);
      const returned = makeLines(10)[8]!.amount;
      expect(p!.totals.paid.fen, "paid: out and neither returned nor reversed").to.equal(
        (r1Total - returned).toString(),
      );
      expect(p!.totals.returned.fen).to.equal(returned.toString());
      expect(p!.totals.confirmed.fen).to.equal(
        makeLines(10)
          .slice(0, 8)
          .reduce((s, l) => s + l.amount, 0n)
          .toString(),
      );
      expect(p!.totals.paid.yuan).to.match(/^\d{1,3}(,\d{3})*\.\d\d$/);
      expect(p!.terms!.policy.hash).to.match(/^0x[0-9a-f]{64}$/);
      // The review stages as data a page words in its own language: each department at its office's level.
      expect(p!.terms!.reviewStages.ordered).to.equal(false);
      expect(p!.terms!.reviewStages.stages.map((x) => [x.department, x.level])).to.deep.equal([
        [DEPT_CIVIL, "county"],
        [DEPT_RURAL, "county"],
        [DEPT_FINANCE, "county"],
      ]);
      expect(p!.created.tx).to.match(/^0x[0-9a-f]{64}$/);
      expect(p!.balanced).to.equal(true);

      const detail = await get<ReturnType<typeof programmeDetail>>("/api/programmes/1");
      const township = detail.body.data.regions.find((n) => n.region === String(TOWNSHIP))!;
      expect(township.balanced, "received = passed down + reserved + available at the township").to.equal(true);
      expect(detail.body.data.progress.paid.at(-1)!.total.fen, "progress: all that was paid, by day").to.equal(
        r1Total.toString(),
      );

      const region = await get<ReturnType<typeof regionDetail>>(`/api/programmes/1/regions/${TOWNSHIP}`);
      expect(region.status).to.equal(200);
      expect(region.body.data.rosters.map((r: { id: string; state: string }) => `${r.id}:${r.state}`)).to.deep.equal([
        "1:Payable",
        "2:InPublicity",
      ]);
    } finally {
      await app.close();
      db.close();
    }
  });

  it("a roster in publicity: its timeline, the countdown, its objection; its lines one row each", async () => {
    const { db, get, app, r2 } = await portal();
    try {
      const { body } = await get<ReturnType<typeof rosterDetail>>(`/api/rosters/${r2.rosterId}`);
      expect(body.data.state).to.equal("InPublicity");
      expect(body.data.publicity.secondsLeft)
        .to.be.greaterThan(PUBLICITY - 3600)
        .and.at.most(PUBLICITY);
      expect(body.data.objections.made).to.equal(1);
      const events = body.data.timeline.map((e: { event: string }) => e.event);
      expect(events).to.include.members(["RosterSubmitted", "RosterApproved", "RosterSignedOff", "LineObjected"]);
      for (const e of body.data.timeline) expect(e.tx).to.match(/^0x[0-9a-f]{64}$/);
      const lines = await get<ReturnType<typeof rosterLines>>(`/api/rosters/${r2.rosterId}/lines?limit=2&offset=2`);
      expect(lines.body.data.map((l) => `${l.seq}:${l.status}/${l.hold}`)).to.deep.equal([
        "3:Unpaid/Frozen",
        "4:Unpaid/None",
      ]);
    } finally {
      await app.close();
      db.close();
    }
  });

  it("a household's lines by commitment, with the payout's own log for an explorer link", async () => {
    const { db, get, app, r1, suite } = await portal();
    try {
      const paid = await get<Household>(`/api/households/${commitment(9)}`); // r1 line 8, returned
      expect(paid.body.data.registered).to.equal(true);
      const line = paid.body.data.lines[0]!;
      const payoutLog = line.payoutLog!;
      expect(line.roster).to.equal(String(r1.rosterId));
      expect(line.seq).to.equal(9);
      expect(line.status).to.equal("Returned");
      expect(payoutLog.tx).to.equal(line.paidTx);
      const receipt = await provider.getTransactionReceipt(payoutLog.tx);
      const log = receipt!.logs.find((l) => l.index === payoutLog.logIndex);
      expect(log, "the named log is in that transaction").to.not.equal(undefined);
      expect(suite.disbursement.interface.parseLog(log!)!.name, "…and it is the line's own payout").to.equal(
        "PayoutRecorded",
      );
      expect(suite.disbursement.interface.parseLog(log!)!.args.lineIndex).to.equal(8n);
      const unknown = await get<Household>(`/api/households/0x${"ab".repeat(32)}`);
      expect(unknown.body.data).to.deep.equal({ registered: false });
    } finally {
      await app.close();
      db.close();
    }
  });

  it("warnings come with their evidence, and as an Atom feed", async () => {
    const { db, get, app, suite } = await portal();
    try {
      // Roster 1's 序号 9 was returned by the bank and never paid again: a warning, proved by the return.
      const [returned] = await suite.disbursement.queryFilter(suite.disbursement.filters.PayoutReturned());
      const { body } =
        await get<Array<{ kind: string; subject: string; detail: string; txs: string[] }>>("/api/warnings");
      const finding = body.data.find((f) => f.kind === "returned-never-repaid");
      expect(finding, JSON.stringify(body.data)).to.not.equal(undefined);
      expect(finding!.txs).to.include(returned!.transactionHash);
      expect(finding!.detail).to.contain("序号 9");
      for (const f of body.data) expect(f.txs.length, f.kind).to.be.greaterThan(0);
      const feed = await app.inject({ method: "GET", url: "/api/warnings.atom" });
      expect(feed.headers["content-type"], feed.body).to.contain("application/atom+xml");
      expect(feed.body).to.contain("<feed").and.to.contain(`returned-never-repaid: ${finding!.subject}`);
      expect(feed.body).to.contain(returned!.transactionHash);
      expect(feed.body.match(/<entry>/g)).to.have.length(body.data.length);
    } finally {
      await app.close();
      db.close();
    }
  });

  it("bad requests get a 4xx with a message; writes are refused; nothing is served that is not asked for", async () => {
    const { db, get, app } = await portal();
    try {
      expect(await get("/api/rosters/abc")).to.deep.include({ status: 400 });
      expect((await get("/api/rosters/abc")).body.error).to.equal(
        "the id must be a whole number, e.g. /api/rosters/12",
      );
      expect((await get("/api/programmes/1/regions/123")).body.error).to.contain(
        "12-digit administrative division code",
      );
      expect((await get("/api/households/0x1234")).body.error).to.contain("0x followed by 64 hex digits");
      expect((await get("/api/rosters/1/lines?limit=5000")).status).to.equal(400);
      const missing = await get("/api/rosters/99");
      expect(missing.status).to.equal(404);
      expect(missing.body.error).to.contain("no roster 99 in the index");
      expect((await get("/api/nothing")).status).to.equal(404);
      const post = await app.inject({ method: "POST", url: "/api/rosters/1", payload: {} });
      expect(post.statusCode).to.equal(405);
      expect(post.json().error).to.contain("read-only");
    } finally {
      await app.close();
      db.close();
    }
  });

  it("a node that does not answer is reported with how long it was waited for; answers still come from the index", async () => {
    const { db, suite } = await portal();
    const silent = { send: () => new Promise<unknown>(() => undefined) };
    const follower = new Follower({ rpc: silent, db, addresses: suite.addresses, timeoutMs: 200 });
    const { chainId } = await provider.getNetwork();
    const app = buildPortal({ db, chainId, addresses: suite.addresses, status: () => follower.status() });
    try {
      const started = Date.now();
      await follower.tick();
      expect(Date.now() - started).to.be.lessThan(5_000);
      const r = await app.inject({ method: "GET", url: "/api/status" });
      const body = r.json() as { chain: { reachable: boolean; error: string }; at: { block: number } };
      expect(body.chain.reachable).to.equal(false);
      expect(body.chain.error).to.equal("the node did not answer within 0.2 s");
      expect(body.at.block).to.equal(db.head().block);
      expect((await app.inject({ method: "GET", url: "/api/programmes" })).statusCode).to.equal(200);
    } finally {
      await app.close();
      db.close();
    }
  });
});
