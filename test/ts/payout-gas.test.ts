/**
 * The payout cost model (src/chain/payout-gas.ts PAYOUT_GAS, payoutGasBound): `payout record` sends
 * each chunk with the model's gas limit instead of asking the node to estimate, so the model must
 * stay above what a payout really costs, for batches of every shape — and not so far above that
 * chunks come out needlessly small. A contract change that makes a payout dearer fails here.
 */
import { expect } from "chai";
import { id } from "ethers";

import { chunkLines, payoutGasBound, TX_GAS_CAP } from "../../src/chain/payout-gas.js";
import { batchProof, packLine, type RosterLine } from "../../src/lines.js";
import {
  COUNTY,
  commitment,
  DAY,
  networkHelpers,
  personTagsOf,
  TOWNSHIP,
  terms,
  wiredSuite,
} from "./helpers/fixture.js";
import { approveAll, submit } from "./helpers/rosters.js";

const CAP = 200_000n;
/** Enough households for 48 lines that each sit in a word of their own (256 households a word). */
const HOUSEHOLDS = 48 * 256 + 256;

async function world() {
  const { suite, a } = await wiredSuite();
  await suite.programmes
    .connect(a.programmeAdmin)
    .createProgramme(
      id("GAS-MODEL"),
      202612,
      COUNTY,
      terms({ budgetCeiling: 10n ** 15n, householdCap: CAP, publicityPeriod: 7 * DAY }),
    );
  await suite.ledger.connect(a.programmeAdmin).fundProgramme(1n, 10n ** 15n);
  await suite.ledger.connect(a.countyBureau).allocate(1n, COUNTY, TOWNSHIP, 10n ** 15n);
  for (let first = 1; first <= HOUSEHOLDS; first += 150) {
    const batch = Array.from({ length: Math.min(150, HOUSEHOLDS - first + 1) }, (_, k) =>
      commitment(`gas-${first + k}`),
    );
    await suite.households
      .connect(a.civilAffairs)
      .registerHouseholds(TOWNSHIP, batch, personTagsOf(batch), id(`gas ${first}`));
  }
  return { suite, a };
}

/** A roster whose line `i` pays household `household(i)`, signed off and payable. */
async function payable(
  w: Awaited<ReturnType<typeof world>>,
  count: number,
  household: (i: number) => number,
  objectTo?: number,
) {
  const lines: RosterLine[] = Array.from({ length: count }, (_, i) => ({
    index: i,
    household: BigInt(household(i)),
    amount: 60_000n + BigInt((i * 7919) % 89_999),
  }));
  const roster = await submit(w.suite, w.a.townshipBureau, 1n, TOWNSHIP, lines);
  await approveAll(w.suite, w.a, roster.rosterId);
  if (objectTo !== undefined)
    await w.suite.rosterBook.connect(w.a.objector).objectToLine(roster.rosterId, objectTo, id("evidence"));
  await networkHelpers.time.increase(7 * DAY);
  return roster;
}

describe("Payout cost model", function () {
  this.timeout(300_000);

  it("bounds the real gas of batches of every shape, within 40% for consecutive lines", async () => {
    const shapes: Array<{
      name: string;
      count: number;
      household: (i: number) => number;
      pick: (n: number) => number[];
      objectTo?: number;
      tight?: boolean;
    }> = [
      { name: "one line", count: 3, household: (i) => 1 + i, pick: () => [0] },
      { name: "100 consecutive lines", count: 400, household: (i) => 1 + i, pick: () => range(100, 100), tight: true },
      {
        name: "2,500 consecutive lines",
        count: 2_600,
        household: (i) => 1 + i,
        pick: () => range(0, 2_500),
        tight: true,
      },
      {
        name: "3,400 consecutive lines, households across 14 words",
        count: 3_400,
        household: (i) => 1 + i,
        pick: () => range(0, 3_400),
        tight: true,
      },
      { name: "every other line", count: 1_000, household: (i) => 1 + i, pick: () => range(0, 500).map((i) => 2 * i) },
      {
        name: "lines 256 apart, households 256 apart (a word each)",
        count: 48 * 256,
        household: (i) => 1 + i,
        pick: () => range(0, 48).map((i) => 256 * i),
      },
      { name: "households in reverse order", count: 600, household: (i) => 600 - i, pick: () => range(0, 600) },
      {
        name: "a roster with a frozen line (holds read)",
        count: 1_000,
        household: (i) => 1 + i,
        pick: (n) => range(0, n).filter((i) => i !== 300),
        objectTo: 300,
      },
    ];
    for (const shape of shapes) {
      const w = await networkHelpers.loadFixture(world); // a fresh programme state for each shape
      const roster = await payable(w, shape.count, shape.household, shape.objectTo);
      const terms = await w.suite.rosterBook.payoutTerms(roster.rosterId);
      const batch = batchProof(roster.tree, shape.pick(shape.count));
      const bound = payoutGasBound(batch.lines, batch.proof.length, terms.anyLineHeld);
      const receipt = await (
        await w.suite.disbursement
          .connect(w.a.disburser)
          .recordPayouts(roster.rosterId, batch.lines.map(packLine), batch.proof, { gasLimit: bound })
      ).wait();
      const used = receipt!.gasUsed;
      expect(used, `${shape.name}: gas used`).to.be.at.most(bound);
      if (shape.tight) expect(Number(bound) / Number(used), `${shape.name}: bound / used`).to.be.below(1.4);
    }
  });

  it("cuts chunks by line count and by gas: scattered households make smaller chunks, each within the cap", () => {
    const consecutive: RosterLine[] = range(0, 10_000).map((i) => ({ index: i, household: BigInt(i + 1), amount: 1n }));
    const byCount = chunkLines(consecutive, 2_500, TX_GAS_CAP, 15, false);
    expect(byCount.map((c) => c.length)).to.deep.equal([2_500, 2_500, 2_500, 2_500]);
    const byGas = chunkLines(consecutive, 5_000, TX_GAS_CAP, 15, false);
    expect(byGas.length).to.be.greaterThan(2);
    expect(byGas.flat().map((l) => l.index)).to.deep.equal(range(0, 10_000));
    const scattered: RosterLine[] = range(0, 2_000).map((i) => ({
      index: i,
      household: BigInt(1 + 256 * i),
      amount: 1n,
    }));
    const chunks = chunkLines(scattered, 2_500, TX_GAS_CAP, 12, false);
    expect(chunks.length).to.be.greaterThan(3);
    for (const chunk of chunks) expect(payoutGasBound(chunk, 2 * 12, false)).to.be.at.most(TX_GAS_CAP);
    expect(() => chunkLines(consecutive.slice(0, 1), 10, 100_000n, 2, false)).to.throw(
      /alone would need more than 100000 gas/,
    );
  });
});

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
