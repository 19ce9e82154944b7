/**
 * End-to-end: a household checks its payout, from the command line and in the browser, against a
 * real node with the demo's data. Run with `npm run test:e2e`: Hardhat compiles the contracts (not
 * the Solidity tests, which this does not need), then runs this script. Needs Debian's Chromium at
 * /usr/bin/chromium (scripts/e2e/ci-prepare.sh installs it).
 *
 * 1. Static: src/resident imports nothing a browser lacks; its ABI fragments match the artifacts.
 * 2. A throwaway anvil (chain 31338, 20 accounts, in-memory), the demo run against it, the page
 *    built and served with a generated config.json (scripts/e2e/stack.ts).
 * 3. The lookup library and `resident check` against the chain and the demo's books.
 * 4. Chromium: Chinese by default, a paid household's amount and status as on chain, other
 *    outcomes, a wrong code → "no record" without error, input problems, the language switch, a
 *    phone-sized viewport without horizontal scroll, screenshots; and no request anywhere carries
 *    the ID number or the query code.
 *
 * Prints one line per check and a closing "N passed, N failed"; exits non-zero on any failure.
 * Everything is bounded in time; anvil and the server are stopped in `finally`.
 */
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Interface, JsonRpcProvider, type ParamType } from "ethers";
import { type Browser, chromium, type Page } from "playwright-core";

import {
  formatFen,
  logWindow,
  lookupHousehold,
  RESIDENT_ABIS,
  residentInput,
  type ResidentLookup,
} from "../../src/resident/index.js";
import { DisbursementLens__factory, Disbursement__factory } from "../../typechain-types/index.js";
import { run } from "../../scripts/e2e/proc.js";
import { assert, check, equal, results, runScript, summary } from "../../scripts/e2e/runner.js";
import { type DemoHousehold, ignitionJournal, type Stack, startStack } from "../../scripts/e2e/stack.js";

const REPO = process.cwd();
const TOTAL_BUDGET_MS = 170_000;
const EXPLORER = { kind: "blockscout" as const, baseUrl: "http://explorer.invalid" };
const CHROMIUM = "/usr/bin/chromium";
const started = Date.now();

// ---------------------------------------------------------------------------------------------
const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

// ---------------------------------------------------------------------------------------------
// 1. Static checks.

/** Every module src/resident reaches through relative imports, and every package it imports. */
async function importGraph(entry: string): Promise<{ files: string[]; packages: Set<string> }> {
  const files: string[] = [];
  const packages = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.includes(file)) continue;
    files.push(file);
    const source = await readFile(file, "utf8");
    for (const match of source.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    )) {
      const spec = match[1] ?? match[2]!;
      if (spec.startsWith(".")) queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  }
  return { files: files.map((f) => path.relative(REPO, f)), packages };
}

/** A parameter's type with component names, ignoring its own name (return values are unnamed in one and named in the other). */
function shape(p: ParamType): string {
  if (p.isTuple()) return `tuple(${p.components.map((c) => `${shape(c)} ${c.name}`).join(", ")})`;
  if (p.isArray()) return `${shape(p.arrayChildren)}[${p.arrayLength < 0 ? "" : p.arrayLength}]`;
  return p.type;
}

async function artifactAbi(contract: string): Promise<Interface> {
  const search = async (dir: string): Promise<string | undefined> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const found = await search(p);
        if (found) return found;
      } else if (entry.name === `${contract}.json`) return p;
    }
    return undefined;
  };
  const file = await search(path.join(REPO, "artifacts", "contracts"));
  assert(file, `no artifact for ${contract} (run npx hardhat build)`);
  return new Interface((JSON.parse(await readFile(file, "utf8")) as { abi: unknown[] }).abi as never);
}

async function staticChecks(): Promise<void> {
  await check(
    "src/resident is browser-safe: its import graph holds no node:, Hardhat or typechain module",
    async () => {
      const { files, packages } = await importGraph(path.join(REPO, "src/resident/index.ts"));
      assert(
        files.every((f) => !f.includes("typechain-types")),
        `reaches generated typechain code: ${files.join(", ")}`,
      );
      const foreign = [...packages].filter((p) => p !== "ethers");
      assert(foreign.length === 0, `imports ${foreign.join(", ")} (files: ${files.join(", ")})`);
    },
  );

  await check("the resident ABI fragments match the compiled contracts (names, types, indexed topics)", async () => {
    for (const [contract, fragments] of Object.entries(RESIDENT_ABIS)) {
      const mine = new Interface(fragments);
      // ethers skips (with a warning) a fragment it cannot read: every one must have been read.
      equal(mine.fragments.length, fragments.length, `${contract}: fragments ethers read`);
      const theirs = await artifactAbi(contract);
      mine.forEachEvent((event) => {
        const other = theirs.getEvent(event.name);
        assert(other, `${contract}: no event ${event.name}`);
        equal(event.topicHash, other.topicHash, `${contract}.${event.name} topic`);
        equal(event.anonymous, other.anonymous, `${contract}.${event.name} anonymous`);
        const describe = (e: typeof event) =>
          e.inputs.map((i) => `${shape(i)} ${i.indexed ? "indexed " : ""}${i.name}`).join(", ");
        equal(describe(event), describe(other), `${contract}.${event.name} inputs`);
      });
      mine.forEachFunction((fn) => {
        const other = theirs.getFunction(fn.name);
        assert(other, `${contract}: no function ${fn.name}`);
        equal(fn.selector, other.selector, `${contract}.${fn.name} selector`);
        equal(fn.outputs.map(shape).join(", "), other.outputs.map(shape).join(", "), `${contract}.${fn.name} outputs`);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 3. The library and the task against the chain.

async function chainChecks(stack: Stack, provider: JsonRpcProvider): Promise<Map<string, ResidentLookup>> {
  const { record } = stack;
  const lens = DisbursementLens__factory.connect(record.addresses.lens, provider);
  const disbursement = Disbursement__factory.connect(record.addresses.disbursement, provider);
  const lookups = new Map<string, ResidentLookup>();
  const lookup = (h: DemoHousehold, code = h.queryCode, window?: ReturnType<typeof logWindow>, reader = provider) => {
    const input = residentInput(h.idNumber, code);
    if (!input.ok) throw new Error(`the demo's ID number or code is refused: ${json(input.problems)}`);
    return lookupHousehold(reader, record.addresses, input.commitment, {
      fromBlock: record.startBlock,
      ...(window ? { logWindow: window } : {}),
    });
  };

  await check(
    "lookup: every recorded household is found with the demo's amount and the chain's line status",
    async () => {
      for (const h of record.households) {
        const r = await lookup(h);
        lookups.set(h.label, r);
        assert(r.found, `${h.label}: not found`);
        equal(r.household.id, BigInt(h.household), `${h.label}: household id`);
        equal(r.lines.length, 1, `${h.label}: lines`);
        const line = r.lines[0]!;
        equal(line.rosterId, BigInt(h.rosterId), `${h.label}: roster`);
        equal(line.lineIndex, h.lineIndex, `${h.label}: line`);
        equal(line.amount, BigInt(h.amount), `${h.label}: amount`);
        equal(line.outcome, h.expected, `${h.label}: outcome`);
        const onChain = await lens.lineView(line.rosterId, line.lineIndex);
        equal(
          line.status,
          ["Unpaid", "Paid", "Confirmed", "Returned", "Reversed"][Number(onChain.status)],
          `${h.label}: status vs lens.lineView`,
        );
        const roster = r.rosters.find((x) => x.rosterId === line.rosterId)!;
        equal(roster.approvals.length, 3, `${h.label}: approvals`);
        assert(
          roster.publicityStart !== undefined && roster.publicityEnd === roster.publicityStart + 7 * 86_400,
          `${h.label}: publicity dates`,
        );
        if (line.payout) {
          const receipt = await provider.getTransactionReceipt(line.payout.tx);
          const paid = receipt!.logs
            .map((l) => disbursement.interface.parseLog(l))
            .find((p) => p?.name === "PayoutRecorded" && p.args.household === BigInt(h.household));
          assert(
            paid && paid.args.amount === BigInt(h.amount),
            `${h.label}: the payout transaction does not pay this household this amount`,
          );
          // The reference names the household's own log among the transaction's many.
          const own = receipt!.logs.find((l) => l.index === line.payout!.logIndex);
          const parsed = own && disbursement.interface.parseLog(own);
          assert(
            parsed?.name === "PayoutRecorded" && parsed.args.household === BigInt(h.household),
            `${h.label}: log ${line.payout.logIndex} of the payout transaction is not this household's PayoutRecorded`,
          );
        }
        if (h.expected === "Confirmed") assert(line.confirmed, `${h.label}: no bank confirmation`);
        if (h.expected === "Returned") equal(line.returned?.amount, BigInt(h.amount), `${h.label}: returned amount`);
        // Reversed: approved by a department, then recovered from the card by the bank.
        if (h.expected === "Reversed") equal(line.reversals[0]?.status, "Recovered", `${h.label}: reversal status`);
        if (h.expected === "Excluded") equal(line.objections[0]?.upheld, true, `${h.label}: objection`);
        // Every line is found from its listing on chain, before any money moves.
        assert(
          line.listed && line.listed.block >= (roster.submitted?.block ?? Infinity),
          `${h.label}: no LineListed for the line, or before its roster's submission`,
        );
        assert(roster.sealed, `${h.label}: the roster's RosterSealed is not shown`);
        if (h.expected === "Skipped") {
          equal(r.household.status, "Suspended", `${h.label}: household status`);
          equal(line.skippedFor?.reason, "Deceased", `${h.label}: why the line is skipped`);
          equal(line.payout, undefined, `${h.label}: paid`);
        }
        if (h.expected === "InPublicity" || h.expected === "Frozen") {
          equal(roster.state, "InPublicity", `${h.label}: roster state`);
          equal(line.payout, undefined, `${h.label}: paid`);
          assert(
            roster.publicityEnd! > Number((await provider.getBlock("latest"))!.timestamp),
            `${h.label}: publicity already over`,
          );
          equal(line.hold, h.expected === "Frozen" ? "Frozen" : "None", `${h.label}: hold`);
        }
        const totals = await lens.programmeView(line.programmeId);
        const p = r.programmes.find((x) => x.programmeId === line.programmeId)!;
        equal(
          json(p.totals),
          json({
            funded: totals.totals.funded,
            reserved: totals.totals.reserved,
            paid: totals.totals.paid,
            returned: totals.totals.returned,
            reversed: totals.totals.reversed,
          }),
          `${h.label}: programme totals`,
        );
        const balance = await lens.regionBalance(line.programmeId, line.region);
        equal(r.regions[0]?.available, balance.available, `${h.label}: region available`);
      }
    },
  );

  await check("lookup: a wrong (well-formed) query code finds no record, without an error", async () => {
    const h = record.households[0]!;
    for (const code of ["0000-0000-0000-0000", `${h.queryCode.slice(0, -1)}${h.queryCode.endsWith("0") ? "1" : "0"}`]) {
      const r = await lookup(h, code);
      equal(r.found, false, `found with code ${code}`);
    }
  });

  await check(
    "lookup: log reads shrink their window when the node refuses wide ranges, with the same result",
    async () => {
      const h = record.households.find((x) => x.expected === "Reversed")!;
      let widest = 0; // the widest range the node answered
      const refusing = new Proxy(provider, {
        get(target, prop, receiver) {
          if (prop === "getLogs") {
            return async (filter: { fromBlock: number; toBlock: number }) => {
              if (filter.toBlock - filter.fromBlock + 1 > 8) throw new Error("query exceeds max block range 8");
              widest = Math.max(widest, filter.toBlock - filter.fromBlock + 1);
              return target.getLogs(filter);
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const window = logWindow(5_000);
      const narrow = await lookup(h, h.queryCode, window, refusing);
      // The window shrank to what the node answers (every refused call is retried narrower, and the
      // result below is the same); after a run of successes it doubles once and is refused again, so it
      // ends at most one doubling past the node's limit, never back at its maximum.
      assert(
        window.refusals > 0 && widest > 0 && window.size <= 2 * 8,
        `window did not adapt: ${json({ ...window, widest })}`,
      );
      const wide = lookups.get(h.label)!;
      equal(json({ ...narrow, scanned: null }), json({ ...wide, scanned: null }), "result under a refusing node");
    },
  );

  await check(
    "resident check (task): text and --json agree with the chain; a wrong code prints 'No record' and exits 0",
    async () => {
      const h = record.households[0]!;
      const hardhat = path.join(REPO, "node_modules/hardhat/dist/src/cli.js");
      const env = { ...process.env, E2E_RPC_URL: stack.anvil.url, FORCE_COLOR: "0" };
      const args = [
        "resident",
        "check",
        "--network",
        "e2e",
        "--from-block",
        String(record.startBlock),
        "--id-number",
        h.idNumber,
      ];
      const asJson = await run(
        process.execPath,
        [hardhat, ...args, "--query-code", h.queryCode, "--json", "--explorer", EXPLORER.baseUrl],
        { cwd: REPO, env, timeoutMs: 60_000 },
      );
      equal(asJson.code, 0, `exit code (stderr: ${asJson.stderr.trim()})`);
      const out = JSON.parse(asJson.stdout.slice(asJson.stdout.indexOf("{"))) as {
        found: boolean;
        lines: Array<{ amount: string; outcome: string; payout: { txUrl: string; tx: string } }>;
        explorer: { kind: string };
      };
      equal(out.found, true, "found");
      equal(out.lines[0]?.amount, h.amount, "amount");
      equal(out.lines[0]?.outcome, h.expected, "outcome");
      equal(out.explorer.kind, "blockscout", "explorer kind");
      equal(out.lines[0]?.payout.txUrl, `${EXPLORER.baseUrl}/tx/${out.lines[0]?.payout.tx}`, "explorer link");
      const wrong = await run(process.execPath, [hardhat, ...args, "--query-code", "0000-0000-0000-0000"], {
        cwd: REPO,
        env,
        timeoutMs: 60_000,
      });
      equal(wrong.code, 0, `exit code for a wrong code (stderr: ${wrong.stderr.trim()})`);
      assert(wrong.stdout.includes("No record"), `no "No record" in: ${wrong.stdout}`);
      assert(!/error/i.test(wrong.stderr), `stderr: ${wrong.stderr}`);
    },
  );
  return lookups;
}

// ---------------------------------------------------------------------------------------------
// 4. The page in Chromium.

async function lookUp(page: Page, idNumber: string, queryCode: string): Promise<void> {
  await page.fill("#id-number", idNumber);
  await page.fill("#query-code", queryCode);
  await page.click("#submit");
  await page.waitForSelector(
    '[data-testid="found"], [data-testid="no-record"], #error:not([hidden]), .problem:not(:empty)',
    { timeout: 20_000 },
  );
  await page.waitForSelector("#submit:not([disabled])", { timeout: 20_000 });
}

async function browserChecks(
  stack: Stack,
  browser: Browser,
  provider: JsonRpcProvider,
  shotsDir: string,
): Promise<void> {
  const { record, server } = stack;
  assert(server, "the page is not served");
  const lens = DisbursementLens__factory.connect(record.addresses.lens, provider);
  const requests: Array<{ url: string; body: string }> = [];
  const problems: string[] = [];
  // Every form of the demo households' ID numbers and codes that the page was given (compared in lowercase).
  const secrets = record.households
    .flatMap((h) => [
      h.idNumber,
      `${h.idNumber.slice(0, 6)} ${h.idNumber.slice(6, 14)} ${h.idNumber.slice(14)}`,
      h.queryCode,
      h.queryCode.replace(/-/g, ""),
    ])
    .map((s) => s.toLowerCase());
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
  const watch = (page: Page) => {
    page.on("request", (r) => requests.push({ url: r.url(), body: r.postData() ?? "" }));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  };
  const page = await context.newPage();
  watch(page);
  page.setDefaultTimeout(20_000);
  const paid = record.households.find((h) => h.expected === "Confirmed")!;

  try {
    await check("page: opens in Chinese for a Chinese browser, with labelled inputs and the privacy note", async () => {
      await page.goto(server.url, { waitUntil: "load" });
      await page.waitForSelector("#footer p"); // config.json loaded
      equal(await page.getAttribute("html", "lang"), "zh-CN", "html lang");
      equal((await page.textContent("h1"))?.trim(), "补贴发放自助查询", "heading");
      equal((await page.textContent('label[for="id-number"]'))?.trim(), "身份证号", "ID label");
      equal((await page.textContent('label[for="query-code"]'))?.trim(), "查询码", "code label");
      assert((await page.textContent("#privacy-title"))?.includes("不会离开本设备"), "privacy note");
      equal(
        await page.getAttribute("#id-number", "name"),
        null,
        "the ID input has a name (a form post would carry it)",
      );
    });

    await check(
      "page: a paid household sees the chain's amount, status, dates, explorer links, programme totals and region balance",
      async () => {
        // Typed as people do: spaces in the ID number, the code in lowercase without dashes.
        const spaced = `${paid.idNumber.slice(0, 6)} ${paid.idNumber.slice(6, 14)} ${paid.idNumber.slice(14)}`;
        await lookUp(page, spaced, paid.queryCode.replace(/-/g, "").toLowerCase());
        const card = page.locator(
          `[data-testid="line"][data-roster="${paid.rosterId}"][data-line="${paid.lineIndex}"]`,
        );
        equal(await card.count(), 1, "line cards for the household's line");
        const status = Number((await lens.lineView(BigInt(paid.rosterId), paid.lineIndex)).status);
        equal(
          await card.getAttribute("data-status"),
          ["Unpaid", "Paid", "Confirmed", "Returned", "Reversed"][status],
          "status vs lens.lineView",
        );
        equal((await card.locator('[data-testid="status"]').textContent())?.trim(), "已到账", "status label");
        const disbursement = Disbursement__factory.connect(record.addresses.disbursement, provider);
        const [event] = await disbursement.queryFilter(
          disbursement.filters.PayoutRecorded(BigInt(paid.rosterId), BigInt(paid.household)),
          record.startBlock,
        );
        assert(event, "no PayoutRecorded event on chain");
        equal(
          await card.getAttribute("data-amount-fen"),
          event.args.amount.toString(),
          "amount (fen) vs PayoutRecorded",
        );
        equal(
          (await card.locator('[data-testid="amount"]').textContent())?.trim(),
          `${formatFen(event.args.amount)} 元`,
          "amount shown",
        );
        const hrefs = await card.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
        assert(
          hrefs.includes(`${EXPLORER.baseUrl}/tx/${event.transactionHash}?tab=logs`),
          `no explorer link to the payout transaction in ${json(hrefs)}`,
        );
        const text = (await card.textContent()) ?? "";
        for (const needle of ["民政局审核通过", "财政局审核通过（电子签章）", "公示", "发放", "银行确认到账"])
          assert(text.includes(needle), `line card lacks "${needle}"`);
        const view = await lens.programmeView(1n);
        const totals = page.locator('[data-testid="programme-totals"] dd');
        const shown = await totals.evaluateAll((dds) => dds.map((dd) => dd.getAttribute("data-fen")));
        equal(
          json(shown.slice(0, 5)),
          json(
            [
              view.totals.funded,
              view.totals.paid,
              view.totals.reserved,
              view.totals.returned,
              view.totals.reversed,
            ].map(String),
          ),
          "programme totals",
        );
        assert(
          (await page.textContent('[data-testid="programme-totals"]'))?.includes(`${formatFen(view.totals.paid)} 元`),
          "programme paid total shown in yuan",
        );
        const balance = await lens.regionBalance(1n, BigInt(paid.region));
        const region = page.locator(`[data-testid="region-balance"][data-key="1:${paid.region}"] dd`);
        const fens = await region.evaluateAll((dds) => dds.map((dd) => dd.getAttribute("data-fen")));
        equal(fens[4], balance.available.toString(), "region available");
        equal(fens[3], balance.paid.toString(), "region paid");
      },
    );

    await check("page: returned, reversed, excluded and suspended households see their own outcome", async () => {
      const labels: Record<string, string> = {
        Returned: "被银行退回",
        Reversed: "已冲销",
        Excluded: "未发放：已剔除",
        Skipped: "未发放：家庭已暂停发放",
        InPublicity: "公示中",
        Frozen: "暂缓：异议处理中",
      };
      for (const h of record.households.filter((x) => x !== paid && x.expected !== "Confirmed")) {
        await lookUp(page, h.idNumber, h.queryCode);
        const card = page.locator(`[data-testid="line"][data-roster="${h.rosterId}"][data-line="${h.lineIndex}"]`);
        equal(await card.getAttribute("data-status"), h.expected, `${h.label}: status`);
        equal(
          (await card.locator('[data-testid="status"]').textContent())?.trim(),
          labels[h.expected],
          `${h.label}: status label`,
        );
        equal(await card.getAttribute("data-amount-fen"), h.amount, `${h.label}: amount`);
        const text = (await card.textContent()) ?? "";
        // People see the published list's 序号, from 1.
        assert(text.includes(`序号 ${h.lineIndex + 1}`), `${h.label}: the card does not name 序号 ${h.lineIndex + 1}`);
        assert(text.includes("录入公开账本"), `${h.label}: the card does not show the line's listing`);
        if (h.expected === "Skipped") {
          equal(
            await page.getAttribute('[data-testid="household"]', "data-status"),
            "Suspended",
            `${h.label}: household status`,
          );
          const why = (await card.locator('[data-testid="outcome-text"]').textContent()) ?? "";
          assert(
            why.includes("死亡") && why.includes("联系"),
            `${h.label}: the card does not say why (死亡) and whom to contact: ${why}`,
          );
        }
        if (h.expected === "InPublicity") {
          const why = (await card.locator('[data-testid="outcome-text"]').textContent()) ?? "";
          assert(
            why.includes("公示至") && why.includes(`序号 ${h.lineIndex + 1}`),
            `${h.label}: the card does not say until when and how to object: ${why}`,
          );
        }
      }
    });

    await check("page: a wrong query code shows 'no record', and no error", async () => {
      await lookUp(page, paid.idNumber, "0000-0000-0000-0000");
      assert(await page.isVisible('[data-testid="no-record"]'), "no 'no record' panel");
      equal((await page.textContent('[data-testid="no-record"] h2'))?.trim(), "没有记录", "title");
      equal(await page.isVisible("#error"), false, "error box visible");
      equal(await page.locator('[data-testid="line"]').count(), 0, "lines shown");
    });

    await check("page: malformed input is explained in place and sends nothing", async () => {
      const before = requests.length;
      await lookUp(page, "11010119900307", "ABCD-EFGH");
      equal(await page.getAttribute("#id-number", "aria-invalid"), "true", "ID aria-invalid");
      assert((await page.textContent("#id-number-problem"))?.includes("18位"), "ID problem text");
      assert((await page.textContent("#query-code-problem"))?.includes("16位"), "code problem text");
      equal(requests.length, before, "requests made for malformed input");
    });

    await check("page: the language switch changes every label and redraws the result", async () => {
      await lookUp(page, paid.idNumber, "0000-0000-0000-0000");
      await page.click("#lang");
      equal(await page.getAttribute("html", "lang"), "en", "html lang");
      equal((await page.textContent('label[for="id-number"]'))?.trim(), "Resident ID number", "ID label");
      equal((await page.textContent('label[for="query-code"]'))?.trim(), "Query code", "code label");
      equal((await page.textContent("#submit"))?.trim(), "Check", "button");
      equal((await page.textContent('[data-testid="no-record"] h2'))?.trim(), "No record", "result redrawn");
      equal((await page.textContent("#lang"))?.trim(), "中文", "switch label");
      await lookUp(page, paid.idNumber, paid.queryCode);
      equal(
        (await page.locator('[data-testid="line"] [data-testid="status"]').first().textContent())?.trim(),
        "Received",
        "status in English",
      );
      await page.screenshot({ path: path.join(shotsDir, "resident-desktop-en.png"), fullPage: true });
      await page.click("#lang");
      equal((await page.textContent('label[for="id-number"]'))?.trim(), "身份证号", "back to Chinese");
    });

    await check("page: on a phone-sized screen nothing scrolls sideways, inputs stay large (screenshot)", async () => {
      const phone = await browser.newContext({
        locale: "zh-CN",
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        const p = await phone.newPage();
        watch(p);
        await p.goto(server.url, { waitUntil: "load" });
        await p.waitForSelector("#footer p");
        await lookUp(p, paid.idNumber, paid.queryCode);
        const widths = (await p.evaluate(
          "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, inner: window.innerWidth })",
        )) as {
          scroll: number;
          client: number;
          inner: number;
        };
        assert(widths.scroll <= widths.client && widths.client <= widths.inner, `horizontal overflow: ${json(widths)}`);
        const fontSize = (await p.evaluate(
          'parseFloat(getComputedStyle(document.getElementById("id-number")).fontSize)',
        )) as number;
        const height = (await p.evaluate('document.getElementById("submit").getBoundingClientRect().height')) as number;
        assert(fontSize >= 16 && height >= 44, `input font ${fontSize}px, button ${height}px`);
        const file = path.join(shotsDir, "resident-phone-zh.png");
        await p.screenshot({ path: file, fullPage: true });
        console.log(`      screenshot: ${file}`);
      } finally {
        await phone.close();
      }
    });

    await check(
      "privacy: no request (page server or node) carries an ID number or a query code; the node sees only commitments",
      async () => {
        assert(requests.length > 0, "no requests recorded");
        const origins = new Set(requests.map((r) => new URL(r.url).origin));
        const allowed = new Set([new URL(server.url).origin, new URL(stack.anvil.url).origin]);
        assert(
          [...origins].every((o) => allowed.has(o)),
          `requests to ${[...origins].join(", ")}`,
        );
        const everything = [
          ...requests.map((r) => `${r.url}\n${r.body}`),
          ...server.requests.map((r) => `${r.url}\n${r.body}`),
        ]
          .join("\n")
          .toLowerCase();
        for (const secret of secrets)
          assert(!everything.includes(secret), "a request carried an ID number or a query code");
        const input = residentInput(paid.idNumber, paid.queryCode);
        assert(
          input.ok && everything.includes(input.commitment.slice(2).toLowerCase()),
          "the lookup did not go by commitment",
        );
        assert(problems.length === 0, `console errors: ${problems.join("; ")}`);
      },
    );
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  console.log("Residents' self-check, end to end");
  if (!existsSync(path.join(REPO, "hardhat.config.ts")))
    throw new Error("run from the repository root (npm run test:e2e)");
  await staticChecks();

  if (!existsSync(CHROMIUM)) {
    console.log(`  ✗ ${CHROMIUM} is missing: run scripts/e2e/ci-prepare.sh (apt-get install chromium)`);
    results.push({ name: "chromium", ok: false });
  }
  const workDir = await mkdtemp(path.join(tmpdir(), "resident-e2e-"));
  const shotsDir = await mkdtemp(path.join(tmpdir(), "resident-e2e-shots-"));
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let provider: JsonRpcProvider | undefined;
  try {
    stack = await startStack({ repo: REPO, workDir, explorer: EXPLORER, log: (text) => console.log(`  · ${text}`) });
    provider = new JsonRpcProvider(stack.anvil.url, Number(stack.record.chainId), { staticNetwork: true });
    await chainChecks(stack, provider);
    if (existsSync(CHROMIUM)) {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
        timeout: 30_000,
      });
      await browserChecks(stack, browser, provider, shotsDir);
    }
  } catch (error) {
    results.push({ name: "set-up", ok: false });
    console.log(`  ✗ set-up: ${String((error as Error)?.stack ?? error)}`);
  } finally {
    await browser?.close().catch(() => {});
    provider?.destroy();
    await stack?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shotsDir})`);
  return summary();
}

await runScript(
  "the end-to-end run",
  TOTAL_BUDGET_MS,
  () => rmSync(ignitionJournal(REPO), { recursive: true, force: true }),
  main,
);
