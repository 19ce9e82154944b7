/**
 * The conservation identity of docs/spec.md, checked against the chain: for every region,
 * received = allocatedOut + reserved + paid + available; parents pass down exactly what children
 * received; programme totals equal the sums over regions.
 */
import { expect } from "chai";

import { COUNTY, type Suite, TOWNSHIP, TOWNSHIP_B } from "./fixture.js";

export const TREE = { root: COUNTY, children: [TOWNSHIP, TOWNSHIP_B] } as const;

export async function expectConserved(suite: Suite, programmeId: bigint): Promise<void> {
  const regions = [TREE.root, ...TREE.children];
  const balances = await Promise.all(regions.map((r) => suite.ledger.balanceOf(programmeId, r)));
  for (const [i, b] of balances.entries()) {
    expect(b.received, `identity at region ${regions[i]}`).to.equal(b.allocatedOut + b.reserved + b.paid + b.available);
  }
  const [root, ...children] = balances;
  const sum = (pick: (b: (typeof balances)[number]) => bigint) => balances.reduce((s, b) => s + pick(b), 0n);
  expect(
    children.reduce((s, c) => s + c.received, 0n),
    "children received = root allocatedOut",
  ).to.equal(root!.allocatedOut);
  const totals = await suite.ledger.totalsOf(programmeId);
  expect(totals.funded, "funded = root received").to.equal(root!.received);
  expect(totals.reserved).to.equal(sum((b) => b.reserved));
  expect(totals.paid).to.equal(sum((b) => b.paid));
  expect(totals.returned).to.equal(sum((b) => b.returned));
  expect(totals.reversed).to.equal(sum((b) => b.reversed));
}
