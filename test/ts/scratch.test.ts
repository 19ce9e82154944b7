import { id } from "ethers";
import { batchProof, packLine } from "../../src/lines.js";
import { commitment, wiredSuite, networkHelpers, TOWNSHIP, COUNTY, terms } from "./helpers/fixture.js";
import { makeLines, payableRoster } from "./helpers/rosters.js";

describe("scratch", () => {
  it("pays", async () => {
    const { suite, a } = await networkHelpers.loadFixture(wiredSuite);
    await suite.programmes.connect(a.programmeAdmin).createProgramme(id("E"), 202611, COUNTY, terms({ budgetCeiling: 10n ** 12n }));
    await suite.ledger.connect(a.programmeAdmin).fundProgramme(1n, 10n ** 12n);
    await suite.ledger.connect(a.countyBureau).allocate(1n, COUNTY, TOWNSHIP, 10n ** 12n);
    const N = 4000;
    for (let i = 0; i < N; i += 250) await suite.households.connect(a.civilAffairs).registerHouseholds(Array.from({ length: 250 }, (_, k) => commitment(i + k)), id("x"));
    const r = await payableRoster(suite, a, 1n, TOWNSHIP, makeLines(N));
    let start = 0;
    for (const n of [1, 100, 256, 1000, 2500]) {
      const b = batchProof(r.tree, Array.from({ length: n }, (_, i) => start + i));
      start += n;
      const tx = await suite.disbursement.connect(a.disburser).recordPayouts(r.rosterId, b.lines.map(packLine), b.proof, b.proofFlags, { gasLimit: 16_000_000 });
      const rc = await tx.wait();
      console.log(`n=${n} gas=${rc!.gasUsed} perLine=${(Number(rc!.gasUsed) / n).toFixed(0)}`);
    }
  });
});
