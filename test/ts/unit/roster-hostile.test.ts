/**
 * The hostile roster corpus (test/fixtures/hostile-rosters): files a county finance bureau really
 * produces when something goes wrong (wrong encodings and line ends, broken headers, shifted
 * columns, damaged ID numbers, amounts in every wrong form, formula injection, duplicates, XLSX
 * oddities, files that are not rosters at all), each with the exact issues expected from it.
 *
 * expected.json is the manifest: per file, the issues (line, field, a distinctive part of the
 * problem) in the order the reader reports them, or for a file that must be accepted its entry
 * count and total in fen. The files were written once by generate.ts and committed; this test
 * only reads them (and checks each file's SHA-256, so that an edited or line-end-converted
 * fixture fails here instead of silently testing something else). Inputs too large to commit are
 * built below, in memory. All ID numbers are synthetic (region 99); names are invented.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import {
  assertValidRoster,
  formatIssues,
  parseRoster,
  type ReadOptions,
  readRosterFile,
  type RosterField,
  type RosterReadResult,
  RosterRejectedError,
  syntheticIdNumber,
} from "../../../src/roster/index.js";

const DIR = fileURLToPath(new URL("../../fixtures/hostile-rosters/", import.meta.url));

interface ExpectedIssue {
  line: number;
  field: RosterField;
  problem: string;
}

interface ManifestEntry {
  file: string;
  covers: string;
  sha256?: string;
  inMemory?: boolean;
  options?: { householdCap?: string; region?: string };
  issues?: ExpectedIssue[];
  accept?: { entries: number; totalFen: string };
}

const manifest = JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as ManifestEntry[];

/** Files in the fixture directory that are not fixtures. */
const NOT_FIXTURES = new Set(["generate.ts", "expected.json", ".gitattributes"]);

function options(entry: ManifestEntry): ReadOptions {
  const o: ReadOptions = {};
  if (entry.options?.householdCap !== undefined) o.householdCap = BigInt(entry.options.householdCap);
  if (entry.options?.region !== undefined) o.region = BigInt(entry.options.region);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Inputs built in memory
// ---------------------------------------------------------------------------------------------

const H = "身份证号,姓名,村代码,金额(元)";
const V1 = "990101001001";
const ID = (n: number): string => syntheticIdNumber(n);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function wrongCheck(id: string): string {
  return id.slice(0, 17) + (id.endsWith("0") ? "1" : "0");
}

const HUGE_LINES = 60_000;
const HUGE_BAD_LINE = 59_990;

const IN_MEMORY: Record<string, () => Uint8Array> = {
  "huge-60000-lines.csv": () => {
    // Data line i is on line i + 2 (the header is line 1).
    // A BOM, then amounts from 1.00 to 1,999.99 with thousands separators ("1,234.56") on most lines.
    const rows = [`\ufeff${H}`];
    for (let i = 0; i < HUGE_LINES; i++) {
      const id = i + 2 === HUGE_BAD_LINE ? wrongCheck(ID(i)) : ID(i);
      const yuan = 1 + (i % 1999);
      const grouped =
        yuan >= 1000 ? `${Math.floor(yuan / 1000)},${(yuan % 1000).toString().padStart(3, "0")}` : String(yuan);
      rows.push(`${id},测试${i},99010100${1000 + (i % 900)},"${grouped}.${(i % 100).toString().padStart(2, "0")}"`);
    }
    return utf8(`${rows.join("\r\n")}\r\n`);
  },
  "huge-multiline-cell.csv": () => {
    // Line 2's remark holds 100,000 line breaks, so it ends on line 100,002.
    const remark = "第x行\n".repeat(100_000);
    return utf8(`${H},备注\n${ID(1)},测试甲,${V1},100,"${remark}"\n${ID(2)},样例乙,${V1},0,\n`);
  },
  "huge-name-cell.csv": () => utf8(`${H}\n${ID(1)},${"测".repeat(1_000_000)},${V1},100\n`),
};

async function read(entry: ManifestEntry): Promise<RosterReadResult> {
  if (entry.inMemory) {
    const build = IN_MEMORY[entry.file];
    if (!build) throw new Error(`no in-memory builder for ${entry.file}`);
    return parseRoster(build(), entry.file, options(entry));
  }
  return readRosterFile(join(DIR, entry.file), options(entry));
}

// ---------------------------------------------------------------------------------------------

describe("roster hostile corpus", () => {
  describe("manifest", () => {
    it("lists every fixture on disk exactly once, and only fixtures that exist", () => {
      const onDisk = readdirSync(DIR)
        .filter((f) => !NOT_FIXTURES.has(f))
        .sort();
      const listed = manifest.filter((e) => !e.inMemory).map((e) => e.file);
      expect(new Set(listed).size, "duplicate file in expected.json").to.equal(listed.length);
      expect([...listed].sort()).to.deep.equal(onDisk);
      expect(onDisk.length).to.be.at.least(40);
      expect(Object.keys(IN_MEMORY).sort()).to.deep.equal(
        manifest
          .filter((e) => e.inMemory)
          .map((e) => e.file)
          .sort(),
      );
    });

    it("gives every entry either a non-empty list of issues or an acceptance, and a checksum to every file", () => {
      for (const entry of manifest) {
        const what = `${entry.file}: ${entry.covers}`;
        expect(entry.covers, entry.file).to.be.a("string").and.not.equal("");
        expect(
          (entry.issues === undefined) !== (entry.accept === undefined),
          `${what}: exactly one of issues and accept`,
        ).to.equal(true);
        if (entry.issues) expect(entry.issues, what).to.have.length.above(0);
        if (entry.accept) expect(BigInt(entry.accept.totalFen) > 0n && entry.accept.entries > 0, what).to.equal(true);
        if (!entry.inMemory) expect(entry.sha256, what).to.match(/^[0-9a-f]{64}$/);
      }
    });

    it("holds no ID number outside the fictitious region 99 in any text fixture", () => {
      for (const entry of manifest.filter((e) => !e.inMemory)) {
        const text = readFileSync(join(DIR, entry.file)).toString("latin1");
        for (const [id] of text.matchAll(/(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/g)) {
          expect(id.slice(0, 2), `${entry.file}: ${id}`).to.equal("99");
        }
      }
    });
  });

  describe("files", () => {
    for (const entry of manifest) {
      const title = `${entry.file}: ${entry.covers}`;
      it(title, async () => {
        const result = await read(entry);
        if (entry.sha256)
          expect(result.source.sha256, `${entry.file} differs from the generated fixture`).to.equal(entry.sha256);
        const shown = `\n${formatIssues(result.issues, 20)}`;

        if (entry.accept) {
          expect(result.issues, shown).to.deep.equal([]);
          const entries = assertValidRoster(result);
          expect(entries).to.have.length(entry.accept.entries);
          expect(entries.reduce((sum, e) => sum + e.amount, 0n).toString()).to.equal(entry.accept.totalFen);
          for (const e of entries) {
            expect(e.idNumber).to.match(/^99\d{15}[\dX]$/);
            expect(e.amount > 0n).to.equal(true);
          }
          return;
        }

        const expected = entry.issues ?? [];
        // Each actual issue, with its problem replaced by the expected substring where it contains
        // it: a mismatch then shows up in the diff as the full actual problem text.
        const actual = result.issues.map((issue, i) => {
          const want = expected[i]?.problem;
          return {
            line: issue.line,
            field: issue.field,
            problem: want !== undefined && issue.problem.includes(want) ? want : issue.problem,
          };
        });
        expect(actual, shown).to.deep.equal(expected);
        for (const issue of result.issues) {
          expect(issue.fix, `${issue.line} ${issue.field}: a fix for the clerk`).to.be.a("string").and.not.equal("");
          expect(issue.value).to.be.a("string");
        }
        let thrown: unknown;
        try {
          assertValidRoster(result);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, "assertValidRoster must refuse a roster with issues").to.be.instanceOf(RosterRejectedError);
        expect((thrown as RosterRejectedError).issues).to.deep.equal(result.issues);
        if (entry.file === "huge-60000-lines.csv") expect(result.entries).to.have.length(HUGE_LINES - 1);
      });
    }
  });
});
