/**
 * What the portal's pages check on the reader's device: a payout log fetched from a node must be the
 * line the service named (src/resident/verify-log.ts); the settings file is read strictly
 * (src/portal/config.ts); a published list's first differing row (src/outputs/publicity-read.ts).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { Interface } from "ethers";

import { firstListDifference, readPublicityList } from "../../../src/outputs/publicity-read.js";
import { publishedListCsv } from "../../../src/outputs/publicity.js";
import { readPortalConfig } from "../../../src/portal/config.js";
import { DISBURSEMENT_ABI } from "../../../src/resident/abi.js";
import { checkPayoutLog } from "../../../src/resident/verify-log.js";
import { tempDir } from "../helpers/cli.js";

const CONTRACT = "0x00000000000000000000000000000000000000d1";
const TX = `0x${"ab".repeat(32)}`;
const BLOCK = 9;

/** A node that knows one transaction with one PayoutRecorded log (roster 3, household 42, line 6, 1,500.00 yuan). */
async function fakeNode(silent = false): Promise<{ url: string; server: Server }> {
  const iface = new Interface(DISBURSEMENT_ABI);
  const log = iface.encodeEventLog("PayoutRecorded", [3n, 42n, 6, 150_000n]);
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (silent) return; // never answers
      // eth_getLogs as a node answers it: the logs of the block range, address and topics asked for.
      const { id, params } = JSON.parse(body) as {
        id: number;
        params: Array<{ address: string; fromBlock: string; toBlock: string; topics: Array<string | null> }>;
      };
      const f = params[0]!;
      const stored = { address: CONTRACT, topics: log.topics, data: log.data, logIndex: "0x5", transactionHash: TX };
      const matches =
        f.address.toLowerCase() === stored.address.toLowerCase() &&
        Number(f.fromBlock) <= BLOCK &&
        Number(f.toBlock) >= BLOCK &&
        f.topics.every((t, i) => t === null || t === stored.topics[i]);
      const result = matches ? [stored] : [];
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ jsonrpc: "2.0", id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("portal checks on the reader's device", () => {
  it("a payout log agrees only when it is that roster's, household's, line's and amount's", async () => {
    const { url, server } = await fakeNode();
    try {
      const expected = { roster: 3n, household: 42n, lineIndex: 6, amount: 150_000n };
      expect(await checkPayoutLog(url, CONTRACT, { tx: TX, block: BLOCK, logIndex: 5 }, expected)).to.deep.equal({
        verdict: "agrees",
      });
      const verdictOf = async (
        log: { tx?: string; block?: number; logIndex?: number },
        change: Partial<typeof expected> = {},
        contract = CONTRACT,
      ) => checkPayoutLog(url, contract, { tx: TX, block: BLOCK, logIndex: 5, ...log }, { ...expected, ...change });
      // Another amount, another log, another contract, another block, or another household's line
      // named for this one: not found where the answer says.
      for (const verdict of [
        await verdictOf({}, { amount: 160_000n }),
        await verdictOf({ logIndex: 4 }),
        await verdictOf({ block: 8 }),
        await verdictOf({}, { household: 43n }),
      ])
        expect(verdict.verdict).to.equal("disagrees");
      const elsewhere = await verdictOf({}, {}, `0x${"0".repeat(39)}1`);
      expect(elsewhere.verdict).to.equal("disagrees");
      expect((elsewhere as { why: string }).why).to.match(
        /^the node has no payout of roster 3 to household 42 at log 5/,
      );
      const missing = await checkPayoutLog(
        url,
        CONTRACT,
        { tx: `0x${"cd".repeat(32)}`, block: BLOCK, logIndex: 5 },
        expected,
      );
      expect(missing.verdict).to.equal("disagrees");
    } finally {
      server.close();
    }
  });

  it("a node that does not answer leaves the answer unchecked, said so, within the time limit", async () => {
    const { url, server } = await fakeNode(true);
    try {
      const started = Date.now();
      const r = await checkPayoutLog(
        url,
        CONTRACT,
        { tx: TX, block: BLOCK, logIndex: 5 },
        { roster: 3n, household: 42n, lineIndex: 6, amount: 1n },
        300,
      );
      expect(r).to.deep.equal({ verdict: "unchecked", why: "no answer within 0.3 s" });
      expect(Date.now() - started).to.be.lessThan(3_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("the settings file: names, contact, explorer and the nodes browsers check against, read strictly", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "settings.json");
    await writeFile(
      file,
      JSON.stringify({
        regions: { "110101001000": { zh: "示例一镇" } },
        contact: { zh: "民政办" },
        rpcUrl: "https://rpc.example.gov.cn",
        secondRpcUrl: "https://rpc2.example.gov.cn",
        explorer: { kind: "blockscout", baseUrl: "https://explorer.example.gov.cn" },
      }),
    );
    const c = readPortalConfig(file);
    expect(c.rpcUrls).to.deep.equal(["https://rpc.example.gov.cn", "https://rpc2.example.gov.cn"]);
    expect(c.names.regions["110101001000"]).to.deep.equal({ zh: "示例一镇" });
    expect(c.contact).to.deep.equal({ zh: "民政办" });
    await writeFile(file, JSON.stringify({ rpcUrl: "javascript:alert(1)" }));
    expect(() => readPortalConfig(file)).to.throw('"rpcUrl" must be an http(s) URL');
    expect(() => readPortalConfig(path.join(dir, "none.json"))).to.throw("cannot read it (no such file)");
  });

  it("a published list read back: the first row whose 序号 or amount differs from the chain", () => {
    const rows = [0, 1, 2].map((index) => ({
      index,
      name: "张三",
      village: 110101001001n,
      amount: 100_00n + BigInt(index),
    }));
    const { bytes } = publishedListCsv(rows);
    const read = readPublicityList(bytes, "list.csv");
    if ("problem" in read) throw new Error(read.problem);
    const chain = rows.map((r) => ({ index: r.index, amount: r.amount }));
    expect(firstListDifference(read.rows, chain)).to.equal(undefined);
    expect(
      firstListDifference(
        read.rows,
        chain.map((c, i) => (i === 1 ? { ...c, amount: 1n } : c)),
      ),
    ).to.deep.include({
      kind: "amount",
      seq: 2,
      chain: 1n,
    });
    expect(firstListDifference(read.rows, [...chain, { index: 3, amount: 5n }])).to.deep.equal({
      kind: "missing",
      seq: 4,
      chain: 5n,
    });
    expect(firstListDifference(read.rows, chain.slice(0, 2))).to.deep.include({ kind: "extra", seq: 3 });
  });
});
