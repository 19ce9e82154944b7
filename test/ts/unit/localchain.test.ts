/**
 * The local chain's pieces that need no node (src/localchain): what a client may see of the chain
 * (rpc-gate), and the snapshot files — checked before they replace anything, written with the
 * previous one kept, and a damaged one moved aside at start with one line saying what is used.
 * The node itself, killed and restarted, is tested in test/faults (scenarios 5–7).
 */
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { expect } from "chai";

import { kindOf, newestBlockIn, planRead } from "../../../src/localchain/rpc-gate.js";
import {
  anvilStateProblem,
  makeSnapshot,
  openNewestGood,
  readSnapshot,
  writeSnapshot,
} from "../../../src/localchain/snapshot.js";

/** A minimal anvil dump of blocks 0…n, one transaction (with its receipt) in each block after 0. */
function anvilState(n: number) {
  const blocks = Array.from({ length: n + 1 }, (_, i) => ({
    header: { number: `0x${i.toString(16)}` },
    transactions: i === 0 ? [] : [{}],
  }));
  const transactions = Array.from({ length: n }, (_, i) => ({ block_number: i + 1, receipt: { logs: [] } }));
  return { best_block_number: n, accounts: {}, blocks, transactions };
}
const packed = (state: unknown) => `0x${gzipSync(JSON.stringify(state)).toString("hex")}`;
const snapshotAt = (n: number) =>
  makeSnapshot(31337, { number: n, hash: `0x${"ab".repeat(32)}`, timestamp: 1_000 + n }, 600, packed(anvilState(n)));

describe("local chain: what a client sees", () => {
  it("reads 'latest' as the newest saved block, and eth_blockNumber is that block", () => {
    expect(planRead("eth_blockNumber", [], 7).answer).to.deep.equal({ result: "0x7" });
    expect(planRead("eth_call", [{ to: "0x01" }], 7).params).to.deep.equal([{ to: "0x01" }, "0x7"]);
    expect(planRead("eth_getBalance", ["0x01", "latest"], 7).params[1]).to.equal("0x7");
    expect(planRead("eth_getTransactionCount", ["0x01", "pending"], 7).params[1]).to.equal("pending");
    expect(planRead("eth_getBlockByNumber", ["0x9", false], 7).waitFor).to.equal(9);
  });

  it("ends eth_getLogs at the newest saved block, and answers [] for a range wholly after it", () => {
    expect(planRead("eth_getLogs", [{ fromBlock: "0x0" }], 7).params[0]).to.deep.equal({
      fromBlock: "0x0",
      toBlock: "0x7",
    });
    expect(planRead("eth_getLogs", [{ fromBlock: "0x8", toBlock: "latest" }], 7).answer).to.deep.equal({ result: [] });
  });

  it("holds a receipt by the block it names; sends are not held, evm_/anvil_ writes are", () => {
    expect(newestBlockIn({ transactionHash: "0x1", blockNumber: "0xa", logs: [{ blockNumber: "0xa" }] })).to.equal(10);
    expect(newestBlockIn([{ blockNumber: "0x3" }, { blockNumber: "0x5" }])).to.equal(5);
    expect(newestBlockIn(null)).to.equal(undefined);
    expect(planRead("eth_getTransactionReceipt", ["0x1"], 7).scan).to.equal(true);
    expect(kindOf("eth_sendTransaction")).to.equal("send");
    expect(kindOf("evm_increaseTime")).to.equal("write");
    expect(kindOf("evm_revert")).to.equal("rewind");
    expect(kindOf("anvil_nodeInfo")).to.equal("read");
    // Ignition asks whether the node automines before each deployment: no snapshot is owed for it.
    expect(kindOf("hardhat_getAutomine")).to.equal("read");
  });
});

describe("local chain: snapshots on disk", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), "localchain-"))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("refuses a dump that is not the whole chain up to its block", () => {
    expect(anvilStateProblem(anvilState(3), 3)).to.equal(undefined);
    expect(anvilStateProblem(anvilState(3), 4)).to.match(/newest block is 3, not 4/);
    const noReceipt = anvilState(3);
    noReceipt.transactions.pop();
    expect(anvilStateProblem(noReceipt, 3)).to.match(/block 3 has 1 transactions but 0 receipts/);
    expect(() => makeSnapshot(31337, { number: 4, hash: "0x", timestamp: 0 }, 0, packed(anvilState(3)))).to.throw(
      /not whole/,
    );
  });

  it("keeps the snapshot it replaces as state.prev.json, both whole", async () => {
    await writeSnapshot(dir, snapshotAt(2));
    await writeSnapshot(dir, snapshotAt(3));
    expect((await readSnapshot(path.join(dir, "state.json"))).snapshot.block.number).to.equal(3);
    expect((await readSnapshot(path.join(dir, "state.prev.json"))).snapshot.block.number).to.equal(2);
    expect((await readdir(dir)).sort()).to.deep.equal(["state.json", "state.prev.json"]);
  });

  it("starts from state.prev.json when state.json is cut short, says so in one line and keeps the damaged file", async () => {
    await writeSnapshot(dir, snapshotAt(2));
    await writeSnapshot(dir, snapshotAt(3));
    await truncate(path.join(dir, "state.json"), 100);
    const said: string[] = [];
    const opened = await openNewestGood(dir, (line) => said.push(line));
    expect(opened?.snapshot.block.number).to.equal(2);
    expect(said).to.have.length(1);
    expect(said[0]).to.match(
      /state\.json is damaged \(cut short: it ends after 100 bytes\); moved aside as state\.json\.damaged-.*starting from state\.prev\.json instead \(block 2/,
    );
    const aside = (await readdir(dir)).find((f) => f.startsWith("state.json.damaged-"))!;
    expect((await readFile(path.join(dir, aside))).length).to.equal(100);
  });

  it("refuses to start an empty chain over snapshots that are all damaged, and finds none in an empty folder", async () => {
    expect(await openNewestGood(dir, () => {})).to.equal(undefined);
    await writeFile(path.join(dir, "state.json"), '{"format":"fund-disbursement/local-chain-snapshot@1","sha256":"00"');
    let error: Error | undefined;
    await openNewestGood(dir, () => {}).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/no good snapshot is left/);
  });
});
