/**
 * Every custom error a contract under contracts/ can raise has its clerk's sentence
 * (src/chain/error-messages.ts): found by name, decoded from real revert data, and rendered without
 * a missing argument; a few representative ones name their object, say money in yuan and give the fix.
 */
import { expect } from "chai";
import { Interface, type ErrorFragment, type ParamType } from "ethers";
import hre from "hardhat";

import { ERROR_MESSAGES } from "../../../src/chain/error-messages.js";
import { describeError } from "../../../src/chain/errors.js";
import { Directory__factory, Disbursement__factory, RosterBook__factory } from "../../../typechain-types/index.js";

const reverted = (data: string) => Object.assign(new Error("execution reverted"), { data });

/** A plausible value of `param`'s type, to encode an error with. */
function sample(param: ParamType): unknown {
  if (param.baseType === "tuple") return param.components!.map(sample);
  if (param.baseType === "array") return [];
  if (param.type === "address") return "0x00000000000000000000000000000000000000a1";
  if (param.type === "bool") return true;
  if (param.type === "string") return "field";
  if (param.type.startsWith("bytes")) return `0x${"11".repeat(Number(param.type.slice(5)) || 4)}`;
  if (param.type === "uint8") return 1;
  if (param.type === "uint16" || param.type === "uint32") return 3;
  // A 12-digit number reads as a region code and as an amount alike; every amount argument gets the same.
  return 110101001000n;
}

/** Every error of every contract, library and interface compiled from contracts/ (not tests, not benchmarks). */
async function contractErrors(): Promise<Map<string, { fragment: ErrorFragment; iface: Interface; from: string }>> {
  const errors = new Map<string, { fragment: ErrorFragment; iface: Interface; from: string }>();
  for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
    if (!name.startsWith("contracts/")) continue;
    const { abi } = await hre.artifacts.readArtifact(name);
    const iface = new Interface(abi);
    iface.forEachError((fragment) => {
      if (!errors.has(fragment.name)) errors.set(fragment.name, { fragment, iface, from: name });
    });
  }
  return errors;
}

describe("error messages: every contract error in the clerk's language", () => {
  it("has a sentence for each custom error in the contracts' ABIs, and it renders from real revert data", async () => {
    const errors = await contractErrors();
    // The suite's own errors and those of the OpenZeppelin code it inherits (AccessManager, ECDSA, …).
    expect(errors.size).to.be.greaterThan(100);
    const missing = [...errors.keys()].filter((name) => !(name in ERROR_MESSAGES));
    expect(missing, `errors without a message in src/chain/error-messages.ts`).to.deep.equal([]);

    for (const [name, { fragment, iface }] of errors) {
      const data = iface.encodeErrorResult(fragment, fragment.inputs.map(sample));
      const text = describeError(reverted(data));
      // Decoded (not the node's bare message), the sentence before the technical name, no argument missing.
      expect(text, name).to.match(new RegExp(`^the contract refused: .+ \\[${name}\\(`));
      expect(text, name).not.to.match(/undefined|NaN/);
    }
  });

  it("has no sentence for an error no contract declares (the table follows the contracts)", async () => {
    const errors = await contractErrors();
    expect(Object.keys(ERROR_MESSAGES).filter((name) => !errors.has(name))).to.deep.equal([]);
  });

  it("names a line by 序号 and its roster, money in yuan, and the fix", () => {
    const data = Disbursement__factory.createInterface().encodeErrorResult("DisbursementAmountOutOfRange", [
      4,
      250_000_00n,
      1_500_00n,
    ]);
    const text = describeError(reverted(data), { roster: "3" });
    expect(text)
      .to.contain("序号 5 of roster 3 pays 250,000.00 yuan")
      .and.to.contain("cap of 1,500.00 yuan")
      .and.to.contain("fix the line in the roster file")
      .and.not.to.match(/25000000|150000/);
  });

  it("names a roster, its state and the step that fits it", () => {
    const data = RosterBook__factory.createInterface().encodeErrorResult("RosterBookWrongState", [7n, 5, 4]);
    expect(describeError(reverted(data)))
      .to.contain("roster 7 is InPublicity, not Payable")
      .and.to.contain("review show --roster 7");
  });

  it("names an account with the office it holds, and the office it lacks", () => {
    const account = "0x00000000000000000000000000000000000000b2";
    const data = Disbursement__factory.createInterface().encodeErrorResult("DisbursementNotOffice", [
      account,
      4, // Treasury
      110101001000n,
    ]);
    const text = describeError(reverted(data), {
      offices: { [account]: "the agent bank of 110101000000 (county)" },
    });
    expect(text)
      .to.contain(
        `account ${account} (the agent bank of 110101000000 (county)) does not hold the treasury (disbursing office)`,
      )
      .and.to.contain("region 110101001000 (township)")
      .and.to.contain("--from");
  });

  it("says an office tuple as the office it is", () => {
    const data = Directory__factory.createInterface().encodeErrorResult("DirectoryAccountAlreadyBound", [
      "0x00000000000000000000000000000000000000c3",
      [3, 2, 110101000000n],
    ]);
    expect(describeError(reverted(data))).to.contain(
      "already holds the reviewing office of department 2 at 110101000000 (county); one account holds one office: bind a fresh account",
    );
  });
});
