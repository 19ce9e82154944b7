/** A contract's refusal as a clerk reads it (src/chain/errors.ts): lines by 序号, amounts in yuan. */
import { expect } from "chai";

import { describeError } from "../../../src/chain/errors.js";
import { BudgetLedger__factory, Disbursement__factory } from "../../../typechain-types/index.js";

/** An error as ethers raises it for a revert, carrying the revert data. */
const reverted = (data: string) => Object.assign(new Error("execution reverted"), { data });

describe("describeError: a refusal in the clerk's units", () => {
  it("says amounts in yuan with the unit, never raw fen, and names the shortfall", () => {
    const data = BudgetLedger__factory.createInterface().encodeErrorResult("BudgetLedgerInsufficientAvailable", [
      1n,
      110101001000n,
      100_000_00n,
      123_456_78n,
    ]);
    const text = describeError(reverted(data));
    expect(text)
      .to.contain("available=100,000.00 yuan")
      .and.to.contain("amount=123,456.78 yuan")
      .and.to.contain("allocate the 23,456.78 yuan missing")
      .and.not.to.contain("10000000");
  });

  it("names a line by its index on chain and its 序号", () => {
    const data = Disbursement__factory.createInterface().encodeErrorResult("DisbursementAmountOutOfRange", [
      4,
      0n,
      1_500_00n,
    ]);
    expect(describeError(reverted(data)))
      .to.contain("lineIndex=4 (序号 5)")
      .and.to.contain("cap=1,500.00 yuan");
  });

  it("keeps a message that already says the refusal whole, with what it adds (how to resume)", () => {
    const data = Disbursement__factory.createInterface().encodeErrorResult("DisbursementLineHeld", [4]);
    const inner = reverted(data);
    const wrapped = new Error(
      `payout batch 序号 1…9 failed: ${describeError(inner)}. Run the command again to continue`,
      {
        cause: inner,
      },
    );
    expect(describeError(wrapped)).to.equal(wrapped.message).and.to.contain("Run the command again to continue");
  });
});
