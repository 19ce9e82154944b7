/**
 * src/lines.ts builds roster trees itself (for speed); OpenZeppelin's StandardMerkleTree is the
 * reference it must equal, node for node: root, tree array, dump, single proofs and multiproofs.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";

import {
  batchProof,
  buildLineTree,
  LINE_ENCODING,
  type LineValue,
  leafHash,
  type RosterLine,
} from "../../../src/lines.js";

const line = fc.record({
  household: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
  amount: fc.bigInt({ min: 1n, max: 2n ** 128n - 1n }),
});
/** A roster of 1 to `max` lines, numbered 0, 1, 2, … */
const roster = (max: number) =>
  fc.array(line, { minLength: 1, maxLength: max }).map((ls): RosterLine[] => ls.map((l, index) => ({ index, ...l })));
const reference = (lines: readonly RosterLine[]) =>
  StandardMerkleTree.of(
    lines.map((l): LineValue => [l.index, l.household, l.amount]),
    [...LINE_ENCODING],
    { sortLeaves: false },
  );

describe("Roster trees (src/lines.ts) against OpenZeppelin's StandardMerkleTree", () => {
  it("builds the same tree: root, every node and the dump", () => {
    fc.assert(
      fc.property(roster(70), (lines) => {
        const ours = buildLineTree(lines);
        const theirs = reference(lines);
        expect(ours.root).to.equal(theirs.root);
        expect(ours.length).to.equal(theirs.length);
        expect(ours.dump()).to.deep.equal(theirs.dump());
        lines.forEach((l, i) => expect(leafHash(l)).to.equal(theirs.leafHash([i, l.household, l.amount])));
      }),
      { numRuns: 150 },
    );
  });

  it("gives the same single proofs, and OpenZeppelin verifies them", () => {
    fc.assert(
      fc.property(roster(70), fc.nat(), (lines, pick) => {
        const i = pick % lines.length;
        const proof = buildLineTree(lines).getProof(i);
        const theirs = reference(lines);
        expect(proof).to.deep.equal(theirs.getProof(i));
        expect(theirs.verify([i, lines[i]!.household, lines[i]!.amount], proof)).to.equal(true);
      }),
      { numRuns: 150 },
    );
  });

  it("gives the same multiproofs (hashes and flags), lines in ascending order", () => {
    fc.assert(
      fc.property(roster(70), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (lines, picks) => {
        const indices = [...new Set(picks.map((p) => p % lines.length))];
        const ours = buildLineTree(lines).getMultiProof(indices);
        const theirs = reference(lines).getMultiProof(indices);
        expect(ours.proof).to.deep.equal(theirs.proof);
        expect(ours.proofFlags).to.deep.equal(theirs.proofFlags);
        expect(ours.indices).to.deep.equal(theirs.leaves.map((v) => Number(v[0])));
        const batch = batchProof(buildLineTree(lines), indices);
        expect(batch.lines.map((l) => l.index)).to.deep.equal([...indices].sort((a, b) => a - b));
        expect(batch.proof).to.deep.equal(theirs.proof);
      }),
      { numRuns: 150 },
    );
  });

  it("writes a dump that StandardMerkleTree.load reads and validates", () => {
    const lines: RosterLine[] = Array.from({ length: 37 }, (_, index) => ({
      index,
      household: BigInt(index * 7 + 1),
      amount: 60_000n + BigInt(index),
    }));
    const loaded = StandardMerkleTree.load(buildLineTree(lines).dump());
    loaded.validate();
    expect(loaded.root).to.equal(buildLineTree(lines).root);
  });

  it("refuses lines out of number, an empty roster, a line twice in a batch or out of range", () => {
    expect(() => buildLineTree([])).to.throw(/at least one line/);
    expect(() => buildLineTree([{ index: 1, household: 1n, amount: 1n }])).to.throw(/line 0 has index 1/);
    const tree = buildLineTree([0, 1, 2].map((index) => ({ index, household: 1n, amount: 1n })));
    expect(() => tree.getMultiProof([1, 1])).to.throw(/序号 2 is twice/);
    expect(() => tree.getMultiProof([3])).to.throw(/序号 4 is not in this roster of 3 lines/);
    expect(() => tree.getProof(-1)).to.throw(RangeError);
  });
});
