/**
 * The audit's output helpers (src/audit/csv.ts, src/audit/rows.ts, src/names.ts): a CSV file appears
 * whole or not at all; times are Beijing time; dates given as Beijing days; names parsed strictly.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import { withCsv, writeCsv } from "../../../src/audit/csv.js";
import { beijingDayStart, isoTime } from "../../../src/audit/rows.js";
import { nameIn, parseNameBook } from "../../../src/names.js";
import { readNameBook } from "../../../src/names-file.js";
import { regionRange } from "../../../src/roster/village.js";
import { tempDir } from "../helpers/cli.js";

describe("audit output", () => {
  it("a CSV export that fails half-way leaves nothing behind, and never a half-written file over a good one", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "out.csv");
    await writeCsv(file, ["a"], [{ a: "good" }]);
    const good = await readFile(file, "utf8");
    let written = 0;
    const failing = withCsv(file, ["a"], async (csv) => {
      for (let i = 0; i < 1000; i++) {
        await csv.write([String(i)]);
        written++;
        if (i === 500) throw new Error("the index went away");
      }
    });
    expect(
      await failing.then(
        () => "written",
        (e: Error) => e.message,
      ),
    ).to.equal("the index went away");
    expect(written).to.equal(501);
    expect(await readFile(file, "utf8"), "the previous file is untouched").to.equal(good);
    const fresh = path.join(dir, "fresh.csv");
    const refused = withCsv(fresh, ["a"], async () => {
      throw new Error("no rows for you");
    });
    expect(
      await refused.then(
        () => "written",
        (e: Error) => e.message,
      ),
    ).to.equal("no rows for you");
    expect(existsSync(fresh)).to.equal(false);
    expect((await readdir(dir)).sort(), "no temporary file is left either").to.deep.equal(["out.csv"]);
  });

  it("times are Beijing time (UTC+8) with the offset written out; --since/--until dates are Beijing days", () => {
    expect(isoTime(0)).to.equal("1970-01-01T08:00:00+08:00");
    expect(isoTime(1_765_000_000n)).to.equal("2025-12-06T13:46:40+08:00");
    expect(isoTime(null)).to.equal(null);
    // 2026-12-06 00:00 in Beijing is 2026-12-05 16:00 UTC.
    expect(beijingDayStart("2026-12-06", "since")).to.equal(Date.UTC(2026, 11, 5, 16) / 1000);
    expect(() => beijingDayStart("2026-02-30", "until")).to.throw("--until must be a date YYYY-MM-DD (Beijing time)");
    expect(() => beijingDayStart("6/12/2026", "since")).to.throw('got "6/12/2026"');
  });

  it("a region's range holds it and everything inside it, and nothing beside it", () => {
    expect(regionRange(110101000000n)).to.deep.equal({ low: 110101000000n, high: 110101999999n });
    expect(regionRange(110101001000n)).to.deep.equal({ low: 110101001000n, high: 110101001999n });
    expect(regionRange(110000000000n)).to.deep.equal({ low: 110000000000n, high: 119999999999n });
    expect(regionRange(110101001001n)).to.deep.equal({ low: 110101001001n, high: 110101001001n });
  });

  it("names: a configuration's departments, regions and programmes, strictly parsed", async () => {
    const book = parseNameBook(
      {
        departments: { "2": { zh: "财政局", en: "Finance" } },
        programmes: { "1": { en: "Minimum living allowance" } },
      },
      "names.json",
    );
    expect(nameIn(book.departments, 2n, "zh")).to.equal("财政局");
    expect(nameIn(book.programmes, 1, "zh"), "the other language when one is missing").to.equal(
      "Minimum living allowance",
    );
    expect(nameIn(book.regions, "110101001000", "en")).to.equal(undefined);
    expect(() => parseNameBook({ regions: { "1": "Sample" } }, "names.json")).to.throw(
      'names.json: "regions.1" must be { "zh": "…", "en": "…" }',
    );
    const dir = await tempDir();
    await writeFile(path.join(dir, "list.json"), "[]");
    expect(() => readNameBook(path.join(dir, "list.json"))).to.throw('must be a JSON object with "departments"');
    expect(readNameBook(""), "no file, no names").to.deep.equal({ departments: {}, regions: {}, programmes: {} });
  });
});
