/**
 * End-to-end: the public portal (阳光公示) in Debian's Chromium, against the read service following a
 * real node with the demo's data. Run by `npm run test:e2e` after the residents' page.
 *
 * 1. A throwaway anvil with the demo's data (scripts/e2e/stack.ts), the pages built (vite), and
 *    `npx hardhat portal` started against the node with a configuration naming it for browsers.
 * 2. Chromium: the programmes in Chinese with money by state and a chart; drill-down to a region;
 *    a paid household's roster and its self-check, checked against the node in the browser; a
 *    household in publicity; the village's published list checked (identical, then one amount
 *    changed: the first differing row named); a warning with its evidence; English; a phone
 *    viewport; and the node going down: the page says so and keeps answering from the index.
 *    No request carries an ID number or a query code.
 *
 * Prints one line per check and a closing "N passed, N failed"; exits non-zero on any failure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type Browser, chromium } from "playwright-core";

import { freePort } from "../../src/localchain/anvil-process.js";
import { stopGroup, track } from "../../scripts/e2e/proc.js";
import { assert, check, equal, results, runScript, summary } from "../../scripts/e2e/runner.js";
import { ignitionJournal, type Stack, startStack } from "../../scripts/e2e/stack.js";

const REPO = process.cwd();
const TOTAL_BUDGET_MS = 200_000;
const CHROMIUM = "/usr/bin/chromium";
const started = Date.now();

async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The portal service as a child process; its output is kept for a failure's report. */
async function startPortal(
  stack: Stack,
  workDir: string,
): Promise<{ url: string; child: ChildProcess; log: string[] }> {
  const port = await freePort();
  const config = path.join(workDir, "portal-config.json");
  await writeFile(
    config,
    JSON.stringify({ ...stack.config, contact: { zh: "示例一镇民政办", en: "Sample township 1 civil affairs" } }),
  );
  const log: string[] = [];
  const child = track(
    spawn(
      process.execPath,
      [
        path.join(REPO, "node_modules/hardhat/dist/src/cli.js"),
        "portal",
        "--rpc-url",
        stack.anvil.url,
        "--deployment",
        path.join(ignitionJournal(REPO), "deployed_addresses.json"),
        "--db",
        path.join(workDir, "portal.sqlite"),
        "--port",
        String(port),
        "--poll-seconds",
        "1",
        "--settings",
        config,
      ],
      { cwd: REPO, detached: true, env: { ...process.env, FORCE_COLOR: "0" } },
    ),
  );
  child.stdout!.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => log.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor("the portal service", 90_000, async () => {
    if (child.exitCode !== null) throw new Error(`the portal exited: ${log.join("")}`);
    const r = await fetch(`${url}/api/status`);
    return r.ok ? true : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n${log.join("").slice(-2000)}`);
  });
  return { url, child, log };
}

async function browserChecks(stack: Stack, browser: Browser, portal: string, shots: string): Promise<void> {
  const { record } = stack;
  const secrets = record.households.flatMap((h) => [h.idNumber, h.queryCode]).map((s) => s.toLowerCase());
  const requests: string[] = [];
  const problems: string[] = [];
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("request", (r) => requests.push(`${r.url()} ${r.postData() ?? ""}`.toLowerCase()));
  page.on("pageerror", (e) => problems.push(e.message));
  const paid = record.households.find((h) => h.expected === "Confirmed")!;
  const inPublicity = record.households.find((h) => h.expected === "InPublicity");

  await check("programmes: in Chinese, each programme with money by state, figures at a named block", async () => {
    await page.goto(`${portal}/portal/`, { waitUntil: "load" });
    await page.waitForSelector("table caption");
    equal(await page.getAttribute("html", "lang"), "zh-CN", "html lang");
    const body = (await page.textContent("main"))!;
    assert(
      body.includes("已发放") && body.includes("银行已确认") && body.includes("元"),
      `programme table: ${body.slice(0, 300)}`,
    );
    const fresh = (await page.textContent("#freshness"))!;
    assert(/数据截至区块 \d+/.test(fresh), `freshness: ${fresh}`);
    await page.screenshot({ path: path.join(shots, "programmes.png"), fullPage: true });
  });

  await check(
    "a programme: terms, a progress chart, the budget tree; drill-down to a region and its rosters",
    async () => {
      await page.click("table tbody tr td a");
      await page.waitForSelector(".chart svg");
      assert((await page.locator(".chart svg path").count()) > 0, "the chart draws lines");
      const tree = (await page.textContent("main"))!;
      assert(tree.includes("收到 = 下拨 + 锁定 + 可用"), "the identity is stated");
      assert(/1\. .+（县级）/.test(tree), "the review stages in Chinese, each at its office's level");
      await page.screenshot({ path: path.join(shots, "programme.png"), fullPage: true });
      await page
        .click(`a[href$="/${paid.region.slice(0, 9)}000"]`)
        .catch(async () => page.click('a[href^="#/regions/"] >> nth=1'));
      await page.waitForSelector('a[href^="#/rosters/"]');
      assert((await page.textContent("main"))!.includes("名单"), "region page lists rosters");
    },
  );

  await check("a paid household's roster: its timeline and its lines", async () => {
    await page.goto(`${portal}/portal/#/rosters/${paid.rosterId}`);
    await page.waitForSelector("h3");
    const text = (await page.textContent("main"))!;
    assert(text.includes("RosterSignedOff") && text.includes("PayoutBatchRecorded"), "timeline steps");
    assert(text.includes("已到账（银行确认）"), "line statuses in words");
  });

  await check("household self-check: a paid household, checked against the node in the browser", async () => {
    await page.goto(`${portal}/portal/#/household`);
    await page.fill("#hh-id", paid.idNumber);
    await page.fill("#hh-code", paid.queryCode);
    await page.click("form button");
    await page.waitForSelector("#hh-result article");
    const text = (await page.textContent("#hh-result"))!;
    assert(text.includes(`序号 ${paid.lineIndex + 1}`), `the line's 序号: ${text}`);
    assert(text.includes("已到账"), `paid and confirmed: ${text}`);
    await page.waitForSelector("#hh-result .good");
    assert((await page.textContent("#hh-result .good"))!.includes("已与区块链节点核对"), "checked against the node");
    // The explorer link opens the payout transaction's logs and names the household's own log.
    const href = (await page.getAttribute("#hh-result article a[aria-label*=', log ']", "href"))!;
    const label = (await page.getAttribute("#hh-result article a[aria-label*=', log ']", "aria-label"))!;
    assert(/^http:\/\/explorer\.invalid\/tx\/0x[0-9a-f]{64}\?tab=logs$/.test(href), `explorer link: ${href}`);
    const logNumber = label.split(", log ")[1];
    assert((await page.textContent("#hh-result"))!.includes(`第 ${logNumber} 条日志`), "the log's number is said");
  });

  if (inPublicity)
    await check("household self-check: a household in publicity is told what that means", async () => {
      await page.goto(`${portal}/portal/#/household`);
      await page.reload();
      await page.fill("#hh-id", inPublicity.idNumber);
      await page.fill("#hh-code", inPublicity.queryCode);
      await page.click("form button");
      await page.waitForSelector("#hh-result article");
      const text = (await page.textContent("#hh-result"))!;
      assert(text.includes("公示中") && text.includes("下一步"), `publicity and what comes next: ${text}`);
    });

  await check(
    "check a published list: the village's file is identical; a changed amount is named by its row",
    async () => {
      const list = path.join(stack.config.demoOut as string, paid.region.slice(0, 9) + "000", "published-list.csv");
      assert(existsSync(list), `no published list at ${list}`);
      await page.goto(`${portal}/portal/#/check?roster=${paid.rosterId}`);
      await page.setInputFiles("#check-file", list);
      await page.click("form button");
      await page.waitForSelector("#check-result p");
      assert((await page.textContent("#check-result"))!.includes("一致"), "identical");
      const bytes = await readFile(list, "utf8");
      const lines = bytes.split("\r\n");
      const cells = lines[3]!.split(",");
      cells[cells.length - 1] = "9999.00";
      lines[3] = cells.join(",");
      const altered = path.join(path.dirname(list), "altered.csv");
      await writeFile(altered, lines.join("\r\n"));
      await page.setInputFiles("#check-file", altered);
      await page.click("form button");
      await page.waitForSelector("#check-result p.bad");
      await page.waitForFunction('document.querySelector("#check-result")?.textContent?.includes("第一处不同")');
      const text = (await page.textContent("#check-result"))!;
      assert(text.includes("序号 3") && text.includes("9,999.00"), `the first differing row: ${text}`);
    },
  );

  await check("warnings: each with its evidence (transactions), and the Atom feed", async () => {
    await page.goto(`${portal}/portal/#/warnings`);
    await page.waitForSelector("main h2");
    const count = await page.locator("article.warning").count();
    assert(count > 0, "the demo's returned payouts are warnings");
    assert((await page.locator("article.warning >> nth=0 >> .txs li").count()) > 0, "evidence");
    const feed = await fetch(`${portal}/api/warnings.atom`);
    assert((await feed.text()).includes("<entry>"), "feed entries");
    await page.screenshot({ path: path.join(shots, "warnings.png"), fullPage: true });
  });

  await check("English, and back", async () => {
    await page.goto(`${portal}/portal/#/programmes`);
    await page.click("#lang");
    await page.waitForFunction('document.documentElement.lang === "en"');
    assert((await page.textContent("nav"))!.includes("Programmes"), "nav in English");
    await page.waitForSelector("table caption");
    assert((await page.textContent("main"))!.includes("Confirmed by bank"), "table in English");
    await page.click("#lang");
    await page.waitForFunction('document.documentElement.lang === "zh-CN"');
  });

  await check("a phone: nothing wider than the screen but the tables, which scroll inside themselves", async () => {
    const phone = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 }, isMobile: true });
    try {
      const p = await phone.newPage();
      await p.goto(`${portal}/portal/#/rosters/${paid.rosterId}`);
      await p.waitForSelector("table");
      const overflow = await p.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
      assert(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
      await p.screenshot({ path: path.join(shots, "phone-roster.png"), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  await check("the node goes down: the page says so within seconds and still answers from the index", async () => {
    await stack.anvil.stop();
    await page.goto(`${portal}/portal/#/programmes`);
    await waitFor("the page saying the node is down", 20_000, async () => {
      await page.reload();
      await page.waitForSelector("table caption");
      const fresh = (await page.textContent("#freshness"))!;
      return fresh.includes("节点暂未响应") ? fresh : undefined;
    });
    assert((await page.locator("table tbody tr").count()) > 0, "programmes still shown");
  });

  await check("no request carried an ID number or a query code; no page error", async () => {
    const leaked = requests.filter((r) => secrets.some((s) => r.includes(s)));
    equal(leaked.length, 0, `requests carrying a secret: ${leaked.slice(0, 2).join(" | ")}`);
    equal(problems.length, 0, `page errors: ${problems.join(" | ")}`);
  });
  await context.close();
}

async function main(): Promise<number> {
  console.log("The public portal, end to end");
  if (!existsSync(CHROMIUM)) {
    console.log(`  ✗ ${CHROMIUM} is missing: run scripts/e2e/ci-prepare.sh (apt-get install chromium)`);
    return summary();
  }
  const workDir = await mkdtemp(path.join(tmpdir(), "portal-e2e-"));
  const shots = await mkdtemp(path.join(tmpdir(), "portal-e2e-shots-"));
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let portal: { child: ChildProcess; log: string[] } | undefined;
  try {
    stack = await startStack({
      repo: REPO,
      workDir,
      explorer: { kind: "blockscout", baseUrl: "http://explorer.invalid" },
      log: (text) => console.log(`  · ${text}`),
    });
    stack.config.demoOut = path.join(workDir, "demo-output");
    const service = await startPortal(stack, workDir);
    portal = service;
    console.log(`  · portal at ${service.url}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      timeout: 30_000,
    });
    await browserChecks(stack, browser, service.url, shots);
  } catch (error) {
    results.push({ name: "set-up", ok: false });
    console.log(`  ✗ set-up: ${String((error as Error)?.stack ?? error)}`);
    if (portal) console.log(portal.log.join("").slice(-3000));
  } finally {
    await browser?.close().catch(() => {});
    if (portal) await stopGroup(portal.child);
    await stack?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots})`);
  return summary();
}

await runScript(
  "the portal's end-to-end run",
  TOTAL_BUDGET_MS,
  () => rmSync(ignitionJournal(REPO), { recursive: true, force: true }),
  main,
);
