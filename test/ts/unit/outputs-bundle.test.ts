/**
 * The roster bundle: building, the JSON form, and refusing a file whose summary does not match its
 * lines. Synthetic households: fictitious ID numbers (prefix 99xxxx) and codes.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { hexlify, keccak256, toBeHex } from "ethers";
import fc from "fast-check";

import { buildLineTree, LINE_ENCODING, lineProof } from "../../../src/lines.js";
import {
  BUNDLE_FORMAT,
  type BundleLine,
  bundleFromJson,
  bundleToJson,
  bundleTree,
  buildBundle,
  publishedListCsv,
  type RosterBundle,
} from "../../../src/outputs/index.js";
import { householdCommitment } from "../../../src/privacy/index.js";

/** A fictitious ID number: 17 digits plus the ISO 7064 MOD 11-2 check character. */
function idNumber(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = Array.from(body17).reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body17 + "10X98765432"[sum % 11]!;
}

const REGION = 990101001000n;
const CODES = ["0123-4567-89AB-CDEF", "HJRK-3XE0-NE4N-R4ZT", "ZZZZ-YYYY-XXXX-WWWW"];
const NAMES = ["测试甲", "测试乙", "测试丙"];
const AMOUNTS = [123450n, 50000n, 80000n];

const lines: BundleLine[] = CODES.map((code, i) => ({
  index: i,
  household: BigInt(101 + i),
  commitment: householdCommitment(idNumber(`9901011980010100${i + 1}`), code),
  amount: AMOUNTS[i]!,
}));
const publicity = publishedListCsv(
  lines.map((l, i) => ({ index: l.index, name: NAMES[i]!, village: REGION + 1n + BigInt(i), amount: l.amount })),
);
const input = {
  programmeId: 7n,
  region: REGION,
  documentHash: publicity.hash,
  documentURI: "https://example.invalid/gongshi/7/990101001000.csv",
  lines,
};

/** The bundle's JSON, edited as a JSON object by `edit`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits the JSON freely, as an attacker would
function tampered(bundle: RosterBundle, edit: (json: any) => void): string {
  const json = JSON.parse(bundleToJson(bundle));
  edit(json);
  return JSON.stringify(json, null, 2);
}

describe("outputs: buildBundle", function () {
  it("computes root, line count and total from the lines", function () {
    const bundle = buildBundle(input);
    expect(bundle.format).to.equal(BUNDLE_FORMAT);
    expect(bundle.root).to.equal(buildLineTree(lines).root);
    expect(bundle.lineCount).to.equal(3);
    expect(bundle.total).to.equal(253450n);
    expect(bundle.documentHash).to.equal(publicity.hash);
    expect(bundle.lines).to.deep.equal(lines);
    expect(bundle.tree.leafEncoding).to.deep.equal([...LINE_ENCODING]);
  });

  it("lowercases hex so that one roster has one JSON form", function () {
    const upper = buildBundle({
      ...input,
      documentHash: "0x" + input.documentHash.slice(2).toUpperCase(),
      lines: lines.map((l) => ({ ...l, commitment: "0x" + l.commitment.slice(2).toUpperCase() })),
    });
    expect(bundleToJson(upper)).to.equal(bundleToJson(buildBundle(input)));
  });

  it("refuses what the chain would refuse or could never pay", function () {
    expect(() => buildBundle({ ...input, lines: [] })).to.throw(/at least one line/);
    expect(() => buildBundle({ ...input, lines: [lines[1]!] })).to.throw(/lines\[0\] has index 1/);
    expect(() => buildBundle({ ...input, lines: [{ ...lines[0]!, amount: 0n }] })).to.throw(/amount 0 fen/);
    expect(() => buildBundle({ ...input, lines: [{ ...lines[0]!, household: 0n }] })).to.throw(/household 0/);
    expect(() => buildBundle({ ...input, lines: [{ ...lines[0]!, commitment: `0x${"0".repeat(64)}` }] })).to.throw(
      /non-zero/,
    );
    expect(() => buildBundle({ ...input, documentHash: "0x1234" })).to.throw(/documentHash/);
    expect(() => buildBundle({ ...input, region: 9901n })).to.throw(/12-digit division code/);
    expect(() => buildBundle({ ...input, programmeId: 0n })).to.throw(/programmeId 0/);
  });

  it("refuses a household twice, or a commitment under two households", function () {
    const twice = [lines[0]!, { ...lines[1]!, household: lines[0]!.household }];
    expect(() => buildBundle({ ...input, lines: twice })).to.throw(/lines\[1\]: household 101 is on line 0 already/);
    const shared = [lines[0]!, { ...lines[1]!, commitment: lines[0]!.commitment }];
    expect(() => buildBundle({ ...input, lines: shared })).to.throw(/belongs to household 101/);
  });
});

describe("outputs: bundle JSON", function () {
  const bundle = buildBundle(input);

  it("round-trips JSON → bundle to an equal bundle", function () {
    const text = bundleToJson(bundle);
    expect(bundleFromJson(text)).to.deep.equal(bundle);
    expect(bundleToJson(bundleFromJson(text))).to.equal(text);
  });

  it("writes bigints as decimal strings, keys in a fixed order, 2-space indent", function () {
    const text = bundleToJson(bundle);
    const json = JSON.parse(text);
    expect(Object.keys(json)).to.deep.equal([
      "format",
      "programmeId",
      "region",
      "root",
      "lineCount",
      "total",
      "documentHash",
      "documentURI",
      "lines",
      "tree",
    ]);
    expect(json.programmeId).to.equal("7");
    expect(json.total).to.equal("253450");
    expect(json.lines[0]).to.deep.equal({
      index: 0,
      household: "101",
      commitment: lines[0]!.commitment,
      amount: "123450",
    });
    expect(json.tree.values[0].value).to.deep.equal([0, "101", "123450"]);
    expect(text.split("\n")[1]).to.equal(`  "format": "${BUNDLE_FORMAT}",`);
    expect(text.endsWith("}\n")).to.equal(true);
  });

  it("rejects a changed amount, naming total and root", function () {
    const text = tampered(bundle, (j) => (j.lines[1].amount = "50001"));
    expect(() => bundleFromJson(text)).to.throw(/total says 253450 fen but the lines add up to 253451 fen.*root says/);
  });

  it("rejects a changed amount even when the total was changed to match", function () {
    const text = tampered(bundle, (j) => {
      j.lines[1].amount = "60000";
      j.total = "263450";
    });
    expect(() => bundleFromJson(text)).to.throw(/root says 0x[0-9a-f]{64} but the lines give 0x[0-9a-f]{64}/);
  });

  it("rejects a changed root", function () {
    const text = tampered(bundle, (j) => (j.root = keccak256("0x01")));
    expect(() => bundleFromJson(text)).to.throw(/root says .* but the lines give/);
  });

  it("rejects a removed last line, naming lineCount", function () {
    const text = tampered(bundle, (j) => j.lines.pop());
    expect(() => bundleFromJson(text)).to.throw(/lineCount says 3 but the file has 2 lines/);
  });

  it("rejects a removed middle line, naming the gap", function () {
    const text = tampered(bundle, (j) => j.lines.splice(1, 1));
    expect(() => bundleFromJson(text)).to.throw(/lineCount says 3 but the file has 2 lines.*lines\[1\] has index 2/);
  });

  it("rejects a household swapped on a line", function () {
    const text = tampered(bundle, (j) => (j.lines[2].household = "999"));
    expect(() => bundleFromJson(text)).to.throw(/root says/);
  });

  it("rejects a tree section that does not match the lines", function () {
    const text = tampered(bundle, (j) => (j.tree.tree[1] = keccak256("0x02")));
    expect(() => bundleFromJson(text)).to.throw(/tree section does not match the lines: tree\.tree\[1\]/);
    const values = tampered(bundle, (j) => (j.tree.values[0].value[2] = "1"));
    expect(() => bundleFromJson(values)).to.throw(/tree\.values\[0\]/);
  });

  it("rejects malformed files, naming the field", function () {
    expect(() => bundleFromJson("{")).to.throw(/not valid JSON/);
    expect(() => bundleFromJson(tampered(bundle, (j) => (j.lines[0].amount = 123450)))).to.throw(/lines\[0\]\.amount/);
    expect(() => bundleFromJson(tampered(bundle, (j) => (j.lines[0].amount = "1,234.50")))).to.throw(
      /lines\[0\]\.amount: expected a decimal/,
    );
    expect(() => bundleFromJson(tampered(bundle, (j) => (j.format = "other@1")))).to.throw(/format/);
    expect(() => bundleFromJson(tampered(bundle, (j) => (j.extra = 1)))).to.throw(/extra/);
    expect(() => bundleFromJson(tampered(bundle, (j) => (j.lines[0].commitment = "0x12")))).to.throw(
      /lines\[0\]\.commitment/,
    );
  });
});

describe("outputs: bundleTree", function () {
  it("loads the tree, whose proofs verify against the root", function () {
    const bundle = bundleFromJson(bundleToJson(buildBundle(input)));
    const tree = bundleTree(bundle);
    expect(tree.root).to.equal(bundle.root);
    const proof = lineProof(tree, 1);
    expect(
      StandardMerkleTree.verify(bundle.root, [...LINE_ENCODING], [1, lines[1]!.household, lines[1]!.amount], proof),
    ).to.equal(true);
  });

  it("refuses a tree that is not the bundle's", function () {
    const bundle = buildBundle(input);
    const other = buildBundle({ ...input, lines: [lines[0]!] });
    expect(() => bundleTree({ ...bundle, tree: other.tree })).to.throw(/tree's root .* is not the bundle's root/);
    const forged = {
      ...bundle.tree,
      values: bundle.tree.values.map((v, i) =>
        i === 0 ? { ...v, value: [0, 101n, 1n] as [number, bigint, bigint] } : v,
      ),
    };
    expect(() => bundleTree({ ...bundle, tree: forged })).to.throw(
      /tree section does not match the lines: tree.values\[0\]/,
    );
  });
});

describe("outputs: bundle JSON round trip (property)", function () {
  it("bundleFromJson(bundleToJson(b)) deep-equals b for random valid rosters", function () {
    const lineSpecs = fc.uniqueArray(
      fc.record({
        household: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
        amount: fc.bigInt({ min: 1n, max: 2n ** 100n }),
      }),
      { minLength: 1, maxLength: 40, selector: (s) => s.household },
    );
    fc.assert(
      fc.property(
        lineSpecs,
        fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 100_000_000_000n, max: 999_999_999_999n }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0)),
        fc.string(),
        (specs, programmeId, region, documentHash, documentURI) => {
          const b = buildBundle({
            programmeId,
            region,
            documentHash: hexlify(documentHash),
            documentURI,
            // One commitment per household, as the registry binds them.
            lines: specs.map((s, index) => ({
              index,
              household: s.household,
              commitment: keccak256(toBeHex(s.household, 32)),
              amount: s.amount,
            })),
          });
          expect(bundleFromJson(bundleToJson(b))).to.deep.equal(b);
        },
      ),
      { numRuns: 100 },
    );
  });
});
