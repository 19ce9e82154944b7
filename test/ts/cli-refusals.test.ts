/**
 * A refused command, run the way a clerk runs it, prints the contract's refusal in the clerk's
 * language (src/chain/error-messages.ts): the object, money in yuan, the account's office, the fix.
 */
import { expect } from "chai";

import { COUNTY, fundedSuite, networkHelpers, TOWNSHIP } from "./helpers/fixture.js";
import { deploymentFile, fromOf, runCli } from "./helpers/cli.js";

async function cliFunded() {
  const f = await fundedSuite();
  return { ...f, deployment: await deploymentFile(f.suite) };
}

describe("CLI: a contract's refusal in the clerk's language", () => {
  it("names the account's office and the office it needs, when the wrong bureau allocates", async () => {
    const { a, deployment } = await networkHelpers.loadFixture(cliFunded);
    const run = await runCli(["budget", "allocate"], {
      from: await fromOf(a.townshipBureau),
      deployment,
      programme: "1",
      fromRegion: String(COUNTY),
      toRegion: String(TOWNSHIP),
      amount: "100.00",
    });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.contain(
      `Error: the contract refused: account ${a.townshipBureau.address} (the finance bureau of ${TOWNSHIP} (township)) is not the finance bureau of region ${COUNTY} (county): run the command again with --from set to that office's account`,
    );
    expect(run.stderr).to.contain("[BudgetLedgerNotRegionBureau(");
  });

  it("says a shortfall in yuan, never fen, with the programme, the region and the fix", async () => {
    const { a, deployment } = await networkHelpers.loadFixture(cliFunded);
    // The county keeps 250,000.00 yuan of the 1,000,000.00 after allocating to two townships.
    const run = await runCli(["budget", "allocate"], {
      from: await fromOf(a.countyBureau),
      deployment,
      programme: "1",
      fromRegion: String(COUNTY),
      toRegion: String(TOWNSHIP),
      amount: "300,000.00",
    });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr)
      .to.contain(
        `region ${COUNTY} (county) has 250,000.00 yuan available in programme 1, and this needs 300,000.00 yuan: ask the bureau above to allocate the 50,000.00 yuan missing (budget allocate)`,
      )
      .and.not.to.match(/25000000|30000000/);
    const over = await runCli(["programme", "fund"], {
      from: await fromOf(a.programmeAdmin),
      deployment,
      programme: "1",
      amount: "0.01",
    });
    expect(over.exitCode).to.equal(1);
    expect(over.stderr).to.contain(
      "programme 1 is funded with 1,000,000.00 yuan of its 1,000,000.00 yuan ceiling, and 0.01 yuan more would pass it: fund at most 0.00 yuan",
    );
  });
});
