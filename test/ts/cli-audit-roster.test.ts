/**
 * audit verify-roster with the files a bureau really publishes: the roster submitted by
 * `roster submit` from a spreadsheet, paid by `payout record`, then its published list and bundle
 * checked against the chain — matching, and not matching once a single byte of the list changes
 * or the bundle of another roster is given.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { keccak256 } from "ethers";

import { syntheticIdNumber } from "../../src/roster/index.js";
import { fundedSuite, networkHelpers, PUBLICITY, TOWNSHIP, TOWNSHIP_B } from "./helpers/fixture.js";
import { gb18030 } from "./helpers/gb18030.js";
import { deploymentFile, fromOf, jsonOf, runCli, tempDir } from "./helpers/cli.js";
import { approveAll, sealedFromBundle } from "./helpers/rosters.js";

// A fixed test secret (never a real one).
const SECRET = keccak256(Buffer.from("test-only bureau secret for audits")).slice(2);
const DEDUP_KEY = keccak256(Buffer.from("test-only deduplication key for audits")).slice(2);

function rosterCsv(count: number, first: number, village: bigint): string {
  const rows = ["身份证号,姓名,村,金额（元）"];
  for (let i = 0; i < count; i++)
    rows.push(`${syntheticIdNumber(first + i)},测试${first + i},${village},"1,${(first + i) % 9}00.00"`);
  return `\uFEFF${rows.join("\r\n")}\r\n`;
}

/** Two rosters submitted through the bureau's task; the first paid in part through `payout record`. */
async function publishedRosters() {
  process.env.BUREAU_SECRET = SECRET;
  process.env.DEDUP_KEY = DEDUP_KEY;
  const f = await fundedSuite();
  const deployment = await deploymentFile(f.suite);
  const dirs = { a: await tempDir(), b: await tempDir() };
  const submitFrom = async (dir: string, region: bigint, first: number, bureau: HardhatEthersSigner) => {
    const file = path.join(dir, "roster.csv");
    await writeFile(file, rosterCsv(40, first, region + 1n));
    await runCli(["households", "register"], {
      from: await fromOf(f.a.civilAffairs),
      deployment,
      roster: file,
      attestation: "batch",
    });
    const run = await runCli(["roster", "submit"], {
      from: await fromOf(bureau),
      deployment,
      programme: "1",
      region: String(region),
      roster: file,
      out: dir,
      documentUri: "https://notice.example/list.csv",
    });
    if (run.exitCode !== 0) throw new Error(run.stderr);
    // roster submit put every line on chain: the roster is sealed.
    await sealedFromBundle(f.suite, path.join(dir, "roster-bundle.json"));
  };
  await submitFrom(dirs.a, TOWNSHIP, 0, f.a.townshipBureau);
  await submitFrom(dirs.b, TOWNSHIP_B, 1000, f.a.townshipBBureau);
  await approveAll(f.suite, f.a, 1n);
  await networkHelpers.time.increase(PUBLICITY);
  const paid = await runCli(["payout", "record"], {
    from: await fromOf(f.a.disburser),
    deployment,
    roster: "1",
    bundle: path.join(dirs.a, "roster-bundle.json"),
    chunkSize: "16",
  });
  if (paid.exitCode !== 0) throw new Error(paid.stderr);
  return { ...f, deployment, dirs };
}

interface Verification {
  ok: boolean;
  checks: Array<{ check: string; ok: boolean; detail: string }>;
}

describe("CLI: audit verify-roster", () => {
  after(() => {
    delete process.env.BUREAU_SECRET;
    delete process.env.DEDUP_KEY;
  });

  it("the published list and bundle match the roster on chain, line by line and paid line by paid line", async () => {
    const { deployment, dirs } = await networkHelpers.loadFixture(publishedRosters);
    const db = path.join(await tempDir(), "audit.sqlite");
    const list = path.join(dirs.a, "published-list.csv");
    const bundle = path.join(dirs.a, "roster-bundle.json");
    const result = jsonOf<Verification>(
      await runCli(["audit", "verify-roster"], { deployment, db, json: true, roster: "1", list, bundle }),
    );
    expect(result.ok).to.equal(true);
    expect(result.checks.map((c) => c.check)).to.deep.equal([
      "list hash",
      "list line count",
      "list total",
      "chain lines",
      "list rows = chain lines",
      "bundle",
      "bundle root",
      "bundle line count",
      "bundle total",
      "bundle document hash",
      "bundle programme",
      "bundle region",
      "list rows = bundle lines",
      "paid lines = bundle lines",
    ]);
    expect(result.checks.find((c) => c.check === "paid lines = bundle lines")!.detail).to.contain(
      "all 40 lines paid on chain",
    );
    expect(result.checks.find((c) => c.check === "chain lines")!.detail).to.contain(
      "40 of the roster's 40 lines are on chain, and the roster is sealed",
    );
    expect(result.checks.find((c) => c.check === "list rows = chain lines")!.detail).to.contain(
      "all 40 rows carry the amounts listed on chain",
    );

    const text = await runCli(["audit", "verify-roster"], { deployment, db, noUpdate: true, roster: "1", list });
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout).to.contain("roster 1: everything matches").and.to.contain("= the roster's documentHash");
  });

  it("a list that differs only in encoding (no BOM, GB18030, LF line endings) is said to be so, not called altered; no bundle needed", async () => {
    const { deployment, dirs } = await networkHelpers.loadFixture(publishedRosters);
    const db = path.join(await tempDir(), "audit.sqlite");
    const original = await readFile(path.join(dirs.a, "published-list.csv"));
    const text = new TextDecoder().decode(original.subarray(3)); // the published list: UTF-8 with a BOM, CRLF
    const variants: Array<[string, Uint8Array, string]> = [
      ["no-bom.csv", original.subarray(3), "saved without its byte-order mark"],
      ["gb18030.csv", gb18030(text), "saved in GB18030"],
      [
        "lf.csv",
        new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text.replace(/\r\n/g, "\n"))]),
        "other line endings",
      ],
    ];
    for (const [name, bytes, how] of variants) {
      const list = path.join(dirs.a, name);
      await writeFile(list, bytes);
      const result = jsonOf<Verification>(
        await runCli(["audit", "verify-roster"], { deployment, db, json: true, roster: "1", list }),
      );
      const hash = result.checks.find((c) => c.check === "list hash")!;
      expect(result.ok, `${name}: ${JSON.stringify(result.checks)}`).to.equal(true);
      expect(hash.detail).to.contain("differing only in encoding").and.to.contain(how).and.to.contain("Not altered");
      expect(result.checks.find((c) => c.check === "list rows = chain lines")!.detail).to.contain(
        "all 40 rows carry the amounts listed on chain",
      );
    }
    // The same words with one amount changed is altered, whatever its encoding.
    const changed = path.join(dirs.a, "gb18030-altered.csv");
    await writeFile(
      changed,
      gb18030(text.replace(/(\d)\.00\r\n$/, (_m, d: string) => `${d === "0" ? "1" : "0"}.00\r\n`)),
    );
    const run = await runCli(["audit", "verify-roster"], {
      deployment,
      db,
      json: true,
      noUpdate: true,
      roster: "1",
      list: changed,
    });
    expect(run.exitCode).to.equal(1);
    const altered = JSON.parse(run.stdout) as Verification;
    expect(altered.ok).to.equal(false);
    expect(altered.checks.find((c) => c.check === "list hash")!.detail).to.contain("its text differs too");
  });

  it("one byte changed in the list is a mismatch (exit 1); so is another roster's bundle", async () => {
    const { deployment, dirs } = await networkHelpers.loadFixture(publishedRosters);
    const db = path.join(await tempDir(), "audit.sqlite");
    const original = await readFile(path.join(dirs.a, "published-list.csv"));
    const altered = Buffer.from(original);
    // One byte of the last amount: "…00.00" becomes "…10.00" (a 10-yuan difference nobody would see at a glance).
    const at = altered.lastIndexOf(Buffer.from(".00\r\n")) - 2;
    altered[at] = altered[at] === 0x30 ? 0x31 : 0x30;
    const list = path.join(dirs.a, "altered-list.csv");
    await writeFile(list, altered);

    const run = await runCli(["audit", "verify-roster"], {
      deployment,
      db,
      roster: "1",
      list,
      bundle: path.join(dirs.a, "roster-bundle.json"),
    });
    expect(run.exitCode).to.equal(1);
    expect(run.stdout).to.contain("roster 1: MISMATCH");
    expect(run.stdout).to.match(
      /MISMATCH\s+list hash: keccak256\(.*altered-list\.csv\) = 0x[0-9a-f]{64}, the roster's documentHash is 0x[0-9a-f]{64}/,
    );
    expect(run.stdout).to.match(/MISMATCH\s+list total: the list's amounts add up to/);
    expect(run.stdout).to.match(/MISMATCH\s+list rows = bundle lines: .*amounts differ at 序号 40/);
    expect(run.stdout).to.match(
      /MISMATCH\s+list rows = chain lines: 40 rows, 40 lines on chain; first difference at 序号 40/,
    );
    expect(run.stdout).to.match(/matches\s+bundle root/);
    expect(run.stdout).to.match(/matches\s+list line count/);

    const wrongRun = await runCli(["audit", "verify-roster"], {
      deployment,
      db,
      json: true,
      noUpdate: true,
      roster: "1",
      list: path.join(dirs.a, "published-list.csv"),
      bundle: path.join(dirs.b, "roster-bundle.json"),
    });
    expect(wrongRun.exitCode).to.equal(1);
    const wrongBundle = JSON.parse(wrongRun.stdout) as Verification;
    expect(wrongBundle.ok).to.equal(false);
    const failed = wrongBundle.checks.filter((c) => !c.ok).map((c) => c.check);
    expect(failed).to.include.members([
      "bundle root",
      "bundle total",
      "bundle document hash",
      "bundle region",
      "paid lines = bundle lines",
    ]);
    expect(wrongBundle.checks.find((c) => c.check === "list hash")!.ok).to.equal(true);

    // A bundle whose lines were edited after the fact does not rebuild its own root.
    const edited = JSON.parse(await readFile(path.join(dirs.a, "roster-bundle.json"), "utf8")) as {
      lines: Array<{ amount: string }>;
    };
    edited.lines[5]!.amount = String(BigInt(edited.lines[5]!.amount) + 1n);
    const editedFile = path.join(dirs.a, "edited-bundle.json");
    await writeFile(editedFile, JSON.stringify(edited));
    const broken = await runCli(["audit", "verify-roster"], {
      deployment,
      db,
      noUpdate: true,
      roster: "1",
      list: path.join(dirs.a, "published-list.csv"),
      bundle: editedFile,
    });
    expect(broken.exitCode).to.equal(1);
    expect(broken.stdout).to.match(/MISMATCH\s+bundle: .*edited-bundle\.json: roster bundle: total says/);

    const missing = await runCli(["audit", "verify-roster"], { deployment, db, noUpdate: true, roster: "7", list });
    expect(missing.exitCode).to.equal(1);
    expect(missing.stderr).to.contain("there is no roster 7 on chain (2 submitted)");
  });
});
