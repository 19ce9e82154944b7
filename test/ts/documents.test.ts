/**
 * The documents people hold in their hands, made from real data on the test chain and read back as
 * a person and a phone would: the village notice (公示名单) and the household notices that
 * `roster submit --pdf` writes, and the audit report of `audit report`. Each is checked for its
 * text (pdftotext), rendered page by page (pdftoppm), and its QR codes decoded (jsQR).
 */
import { existsSync } from "node:fs";
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { keccak256 } from "ethers";

import { batchProof, packLine } from "../../src/lines.js";
import { chooseCjkFont } from "../../src/documents/font.js";
import { formatFen } from "../../src/money.js";
import { formatYuanPlain } from "../../src/outputs/index.js";
import { deriveQueryCode } from "../../src/privacy/queryCode.js";
import { syntheticIdNumber } from "../../src/roster/index.js";
import { IndexDatabase } from "../../src/indexer/index.js";
import { ethers, fundedSuite, networkHelpers, TOWNSHIP, TOWNSHIP_B } from "./helpers/fixture.js";
import { deploymentFile, fromOf, jsonOf, runCli, tempDir } from "./helpers/cli.js";
import { makeLines, payableRoster } from "./helpers/rosters.js";
import { pdfPageCount, pdfPages, qrOf, renderPages } from "./helpers/pdf.js";

const SECRET = keccak256(Buffer.from("test-only bureau secret for documents")).slice(2);
const DEDUP_KEY = keccak256(Buffer.from("test-only deduplication key for documents")).slice(2);
const VILLAGE = TOWNSHIP + 7n;
const PORTAL = "https://portal.example.gov.cn/gongshi/";
const HOUSEHOLDS = 45;
const amountOf = (i: number) => 80_000n + BigInt(i) * 1_37n; // 800.00 yuan, then 1.37 more per line

function rosterCsv(): string {
  const rows = ["身份证号,姓名,村,金额（元）"];
  for (let i = 0; i < HOUSEHOLDS; i++)
    rows.push(`${syntheticIdNumber(i)},测试${i},${VILLAGE},${formatYuanPlain(amountOf(i))}`);
  return `\uFEFF${rows.join("\r\n")}\r\n`;
}

async function registered() {
  const f = await fundedSuite();
  const dir = await tempDir();
  const deployment = await deploymentFile(f.suite);
  const file = path.join(dir, "roster.csv");
  await writeFile(file, rosterCsv());
  const reg = await runCli(["households", "register"], {
    from: await fromOf(f.a.civilAffairs),
    deployment,
    roster: file,
    attestation: "documents batch",
  });
  expect(reg.exitCode, reg.stderr).to.equal(0);
  return { ...f, dir, deployment, file };
}

describe("Documents: notices and the audit report as PDFs", function () {
  this.timeout(120_000);
  before(() => {
    process.env.BUREAU_SECRET = SECRET;
    process.env.DEDUP_KEY = DEDUP_KEY;
  });
  after(() => {
    delete process.env.BUREAU_SECRET;
    delete process.env.DEDUP_KEY;
  });

  const submitArgs = async (f: Awaited<ReturnType<typeof registered>>, out: string) => ({
    from: await fromOf(f.a.townshipBureau),
    deployment: f.deployment,
    json: true,
    programme: "1",
    region: String(TOWNSHIP),
    roster: f.file,
    out,
    documentUri: "https://notice.example/township-1.csv",
    pdf: true,
    portalUrl: PORTAL,
  });

  it("roster submit --pdf prints the village notice: title, roster id, every 序号 and amount, masked names, and a QR code that opens the portal's check of this roster", async () => {
    const f = await networkHelpers.loadFixture(registered);
    const out = path.join(await tempDir(), "out");
    const result = jsonOf<{ rosterId: string; documentHash: string }>(
      await runCli(["roster", "submit"], await submitArgs(f, out)),
    );
    const file = path.join(out, "village-notice.pdf");
    const pages = pdfPages(file);
    expect(pages.length, "45 rows do not fit one A4 page").to.be.greaterThan(1);
    const text = pages.join("\n");
    expect(pages[0]).to.contain("公示名单").and.to.contain(`名单编号 ${result.rosterId}`);
    expect(text.replace(/\s+/g, "")).to.contain(result.documentHash);
    // Every row as a line of the table: 序号, a masked name, the village, the amount in yuan.
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const row = new RegExp(
        `^\\s*${i + 1}\\s+测\\*+\\d\\s+${VILLAGE}\\s+${formatFen(amountOf(i)).replace(".", "\\.")}\\s*$`,
        "m",
      );
      expect(text, `序号 ${i + 1}`).to.match(row);
    }
    const total = Array.from({ length: HOUSEHOLDS }, (_, i) => amountOf(i)).reduce((s, a) => s + a, 0n);
    expect(text).to.contain(`合计 ${HOUSEHOLDS} 户，${formatFen(total)} 元`);
    // The table's head is repeated on every page.
    for (const page of pages) expect(page).to.match(/序号\s+姓名\s+村（行政区划代码）\s+金额（元）/);
    // Public: no full name, no ID number.
    for (let i = 0; i < HOUSEHOLDS; i++)
      expect(text).not.to.contain(`测试${i}`).and.not.to.contain(syntheticIdNumber(i));
    const pngs = await renderPages(file, 1, pdfPageCount(file));
    expect(pngs).to.have.length(pages.length);
    expect(await qrOf(pngs[0]!)).to.equal(`${PORTAL}#/check?roster=${result.rosterId}`);
  });

  it("roster submit --pdf prints one private page per household: its query code and a QR code of the self-check carrying that code alone, never the ID number", async () => {
    const f = await networkHelpers.loadFixture(registered);
    const out = path.join(await tempDir(), "out");
    const result = jsonOf<{ rosterId: string }>(await runCli(["roster", "submit"], await submitArgs(f, out)));
    const file = path.join(out, "household-notices.PRIVATE.pdf");
    expect((await stat(file)).mode & 0o777, "readable by the owner only").to.equal(0o600);
    const pages = pdfPages(file);
    expect(pages).to.have.length(HOUSEHOLDS);
    const codes = Array.from({ length: HOUSEHOLDS }, (_, i) => deriveQueryCode(SECRET, syntheticIdNumber(i)));
    pages.forEach((page, i) => {
      expect(page).to.contain("补助发放告知书");
      expect(page).to.match(new RegExp(`名单编号\\s+${result.rosterId}\\s`));
      expect(page).to.match(new RegExp(`序号\\s+${i + 1}\\s`));
      expect(page).to.contain(`${formatFen(amountOf(i))} 元`);
      expect(page).to.contain(codes[i]);
      expect(page).to.match(/户主\s+测\*+\d\s/);
      expect(page, "one household a page").not.to.contain(codes[(i + 1) % HOUSEHOLDS]);
      // Never the ID number, whole or masked as in the CSV notices, nor the full name.
      expect(page).not.to.contain(syntheticIdNumber(i)).and.not.to.contain("*".repeat(14));
      expect(page).not.to.match(new RegExp(`测试${i}(?!\\d)`));
    });
    const pngs = await renderPages(file, 1, HOUSEHOLDS, 72);
    expect(pngs).to.have.length(HOUSEHOLDS);
    for (const i of [0, 17, HOUSEHOLDS - 1]) {
      const url = await qrOf(pngs[i]!);
      expect(url).to.equal(`${PORTAL}#/household?code=${codes[i]!.replaceAll("-", "")}`);
      expect(url).not.to.contain(syntheticIdNumber(i));
    }
  });

  it("writes no PDF on a dry run, and none when the Chinese font is missing, which is said in one line with the fix before anything is sent", async () => {
    const f = await networkHelpers.loadFixture(registered);
    const out = path.join(await tempDir(), "out");
    const pdfs = ["village-notice.pdf", "household-notices.PRIVATE.pdf"].map((n) => path.join(out, n));
    const dry = await runCli(["roster", "submit"], { ...(await submitArgs(f, out)), json: false, dryRun: true });
    expect(dry.exitCode, dry.stderr).to.equal(0);
    expect(dry.stdout).to.contain("village-notice.pdf").and.to.contain("no file was written");
    expect(pdfs.some((p) => existsSync(p))).to.equal(false);

    const missing = path.join(f.dir, "no-such-font.ttc");
    const run = await runCli(["roster", "submit"], { ...(await submitArgs(f, out)), json: false, font: missing });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr.trim().split("\n")).to.have.length(1);
    expect(run.stderr).to.contain(`the Chinese (CJK) font ${missing} is missing`).and.to.contain("--font");
    expect(await f.suite.rosterBook.rosterCount()).to.equal(0n);
    expect(existsSync(out), "nothing written").to.equal(false);
    // Without a font given, the fix named is the package that brings the default one.
    expect(() => chooseCjkFont(undefined, {}, `${missing}#NotoSansCJKsc-Regular`)).to.throw(
      `the Chinese (CJK) font ${missing} is missing: install it with \`apt-get install fonts-noto-cjk\`, or give another CJK font with --font <file> or the CJK_FONT environment variable`,
    );
  });

  async function paidFund() {
    const f = await fundedSuite();
    const lines = makeLines(12);
    const roster = await payableRoster(f.suite, f.a, f.programmeId, TOWNSHIP, lines);
    const b = batchProof(roster.tree, [0, 1, 2, 3, 4]);
    await (
      await f.suite.disbursement.connect(f.a.disburser).recordPayouts(roster.rosterId, b.lines.map(packLine), b.proof)
    ).wait();
    return { ...f, lines, roster, deployment: await deploymentFile(f.suite) };
  }

  it("audit report writes the programme's report: chain id, block number and block hash, the budget tree, the rosters, and that it balances", async () => {
    const { deployment, lines } = await networkHelpers.loadFixture(paidFund);
    // A fresh index and folder each test: the fixture's chain is reverted between tests, files are not.
    const dir = await tempDir();
    const db = path.join(dir, "audit.sqlite");
    const pdf = path.join(dir, "report.pdf");
    const result = jsonOf<{ block: { number: number; hash: string }; chainId: string; balanced: boolean }>(
      await runCli(["audit", "report"], { deployment, db, json: true, programme: "1", pdf }),
    );
    const head = await ethers.provider.getBlock("latest");
    expect([result.block.number, result.block.hash, result.balanced]).to.deep.equal([head!.number, head!.hash, true]);
    const { chainId } = await ethers.provider.getNetwork();
    const pages = pdfPages(pdf);
    const text = pages.join("\n");
    expect(pages[0]).to.contain("资金审计报告");
    expect(text).to.match(new RegExp(`链 ID\\s+${chainId}\\s`));
    expect(text).to.match(new RegExp(`区块高度\\s+${head!.number}\\s`));
    expect(text).to.match(new RegExp(`区块哈希\\s+${head!.hash}\\s`));
    expect(text).to.contain("收支平衡");
    const paid = lines.slice(0, 5).reduce((s, l) => s + l.amount, 0n);
    // The township's row of the tree and the roster's row: paid 5 of 12 lines.
    expect(text).to.match(new RegExp(`^\\s+${TOWNSHIP}\\s.*${formatFen(paid).replace(".", "\\.")}.*是\\s*$`, "m"));
    expect(text).to.match(new RegExp(`^\\s*1\\s+${TOWNSHIP}\\s+可发放（Payable）\\s+12\\s+5\\s`, "m"));
    expect(text).to.contain(String(TOWNSHIP_B));
    const pngs = await renderPages(pdf, 1, pdfPageCount(pdf));
    expect(pngs).to.have.length(pages.length);
  });

  it("audit report --region covers that region's subtree only, and a tampered index gives a report naming the node that does not balance, and exit 1", async () => {
    const { deployment } = await networkHelpers.loadFixture(paidFund);
    const dir = await tempDir();
    const db = path.join(dir, "audit.sqlite");
    expect((await runCli(["audit", "index"], { deployment, db })).exitCode).to.equal(0);
    const handle = IndexDatabase.open(db);
    handle.db.prepare("UPDATE payouts SET amount = amount + 100 WHERE roster_id = 1 AND line_index = 2").run();
    handle.close();
    const pdf = path.join(dir, "township.pdf");
    const run = await runCli(["audit", "report"], { deployment, db, programme: "1", region: String(TOWNSHIP), pdf });
    expect(run.exitCode).to.equal(1);
    expect(run.stdout).to.contain(`programme 1, region ${TOWNSHIP}: received`);
    const text = pdfPages(pdf).join("\n");
    expect(text)
      .to.contain(`区域 ${TOWNSHIP} 及其下级`)
      .and.to.match(/发现 \d+ 处问题/);
    expect(text).to.contain(`programme 1, region ${TOWNSHIP}: received`);
    expect(text).not.to.contain(String(TOWNSHIP_B));
    expect(await renderPages(pdf, 1, pdfPageCount(pdf))).to.have.length(pdfPageCount(pdf));
  });
});
