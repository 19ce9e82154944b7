/**
 * The roster bundle: the machine-readable roster that every later step reads (submission, payout,
 * bank, audit). It carries the roster's lines with each household's commitment, what goes on chain
 * at submission (root, line count, total, document hash and URI), and the dumped Merkle tree so that
 * proofs need no rebuild. It holds no personal data — only ids, commitments and amounts — so it
 * may be handed to the bank and auditors.
 *
 * Reading a bundle never trusts its summary fields: the tree is rebuilt from the lines, and the
 * root, line count, total and tree section must all agree with it.
 */
import { z } from "zod";

import { buildLineTree, LINE_ENCODING, type LineTree, type LineTreeDump } from "../lines.js";

export const BUNDLE_FORMAT = "fund-disbursement/roster-bundle@1";

export interface BundleLine {
  index: number;
  /** Dense household id from the HouseholdRegistry. */
  household: bigint;
  /** The household's commitment (0x + 64 hex digits, lowercase in a bundle). */
  commitment: string;
  /** Fen. */
  amount: bigint;
}

export type { LineTreeDump };

/** The tree each bundle was built with, so that reading a bundle and then its tree builds it once. */
const treeOfBundle = new WeakMap<RosterBundle, LineTree>();

export interface RosterBundle {
  format: typeof BUNDLE_FORMAT;
  programmeId: bigint;
  region: bigint;
  root: string;
  lineCount: number;
  total: bigint;
  documentHash: string;
  documentURI: string;
  lines: BundleLine[];
  tree: LineTreeDump;
}

export interface BundleInput {
  programmeId: bigint;
  region: bigint;
  documentHash: string;
  documentURI: string;
  lines: readonly BundleLine[];
}

// Bounds of the on-chain types (IRosterBook.Submission, Line): a value outside them could not be
// submitted or paid, so it is refused here rather than at the chain.
const MAX_UINT32 = 2 ** 32 - 1;
const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_UINT128 = 2n ** 128n - 1n;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ZERO32 = `0x${"0".repeat(64)}`;

class BundleError extends Error {
  constructor(issues: readonly string[]) {
    super(`roster bundle: ${issues.join("; ")}`);
    this.name = "BundleError";
  }
}

/** What is wrong with the fields and lines of a bundle, without looking at root, count or total. */
function inputIssues(input: BundleInput): string[] {
  const issues: string[] = [];
  if (input.programmeId < 1n || input.programmeId > MAX_UINT64)
    issues.push(`programmeId ${input.programmeId} is not a programme id (1 … 2^64-1)`);
  if (input.region < 100_000_000_000n || input.region > 999_999_999_999n)
    issues.push(`region ${input.region} is not a 12-digit division code`);
  if (!BYTES32.test(input.documentHash) || input.documentHash === ZERO32)
    issues.push("documentHash must be a non-zero 0x-prefixed 32-byte hex value");
  if (input.lines.length === 0) issues.push("a roster has at least one line");
  if (input.lines.length > MAX_UINT32) issues.push(`${input.lines.length} lines do not fit a uint32 line count`);

  // One household, one commitment, one line: a second line for a household could never be paid
  // (the chain pays a household once per programme), and two commitments for one id mean the
  // bundle was assembled from mismatched data.
  const lineOfHousehold = new Map<bigint, number>();
  const householdOfCommitment = new Map<string, bigint>();
  input.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    if (line.index !== i) issues.push(`${at} has index ${line.index}; lines must be numbered 0, 1, 2, … in order`);
    if (line.household < 1n || line.household > MAX_UINT64)
      issues.push(`${at} has household ${line.household}, not a registry id (1 … 2^64-1)`);
    if (line.amount < 1n || line.amount > MAX_UINT128)
      issues.push(`${at} has amount ${line.amount} fen; a line pays 1 … 2^128-1 fen`);
    if (!BYTES32.test(line.commitment) || line.commitment === ZERO32) {
      issues.push(
        `${at} has commitment ${JSON.stringify(line.commitment)}; expected a non-zero 0x-prefixed 32-byte hex value`,
      );
      return;
    }
    const commitment = line.commitment.toLowerCase();
    const earlier = lineOfHousehold.get(line.household);
    if (earlier !== undefined) issues.push(`${at}: household ${line.household} is on line ${earlier} already`);
    else lineOfHousehold.set(line.household, i);
    const owner = householdOfCommitment.get(commitment);
    if (owner !== undefined && owner !== line.household)
      issues.push(
        `${at}: commitment ${commitment} belongs to household ${owner} on an earlier line, not ${line.household}`,
      );
    else householdOfCommitment.set(commitment, line.household);
  });
  return issues;
}

function sumOf(lines: readonly BundleLine[]): bigint {
  return lines.reduce((sum, line) => sum + line.amount, 0n);
}

function canonicalLines(lines: readonly BundleLine[]): BundleLine[] {
  return lines.map((l) => ({
    index: l.index,
    household: l.household,
    commitment: l.commitment.toLowerCase(),
    amount: l.amount,
  }));
}

/** Builds a bundle; the root, line count and total are computed, never taken on trust. */
export function buildBundle(input: BundleInput): RosterBundle {
  const issues = inputIssues(input);
  const total = sumOf(input.lines);
  if (total > MAX_UINT128) issues.push(`the total ${total} fen does not fit a uint128`);
  if (issues.length > 0) throw new BundleError(issues);
  const lines = canonicalLines(input.lines);
  const tree = buildLineTree(lines);
  const bundle: RosterBundle = {
    format: BUNDLE_FORMAT,
    programmeId: input.programmeId,
    region: input.region,
    root: tree.root,
    lineCount: lines.length,
    total,
    documentHash: input.documentHash.toLowerCase(),
    documentURI: input.documentURI,
    lines,
    tree: tree.dump(),
  };
  treeOfBundle.set(bundle, tree);
  return bundle;
}

// ------------------------------------------------------------------------------------ JSON form

/** The tree section as JSON holds it: bigints as decimal strings, keys in a fixed order. */
function treeToJson(dump: LineTreeDump) {
  return {
    format: dump.format,
    leafEncoding: [...dump.leafEncoding],
    tree: [...dump.tree],
    values: dump.values.map((v) => ({
      value: [v.value[0], v.value[1].toString(), v.value[2].toString()],
      treeIndex: v.treeIndex,
    })),
  };
}

/** JSON text of a bundle: bigints as decimal strings, a fixed key order, 2-space indent, final newline. */
/** What a roster submission declares on chain (IRosterBook.Submission): the bundle's summary fields. */
export type RosterSubmission = Pick<
  RosterBundle,
  "programmeId" | "region" | "root" | "lineCount" | "total" | "documentHash" | "documentURI"
>;

/** The submission of a bundle's roster. */
export function submissionOf(bundle: RosterBundle): RosterSubmission {
  const { programmeId, region, root, lineCount, total, documentHash, documentURI } = bundle;
  return { programmeId, region, root, lineCount, total, documentHash, documentURI };
}

export function bundleToJson(bundle: RosterBundle): string {
  const json = {
    format: bundle.format,
    programmeId: bundle.programmeId.toString(),
    region: bundle.region.toString(),
    root: bundle.root,
    lineCount: bundle.lineCount,
    total: bundle.total.toString(),
    documentHash: bundle.documentHash,
    documentURI: bundle.documentURI,
    lines: bundle.lines.map((l) => ({
      index: l.index,
      household: l.household.toString(),
      commitment: l.commitment,
      amount: l.amount.toString(),
    })),
    tree: treeToJson(bundle.tree),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string such as "12345"');
const bytes32 = z.string().regex(BYTES32, "expected 0x and 64 hex digits");
const count = z.number().int().nonnegative();

const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  programmeId: decimal,
  region: decimal,
  root: bytes32,
  lineCount: count,
  total: decimal,
  documentHash: bytes32,
  documentURI: z.string(),
  lines: z.array(z.strictObject({ index: count, household: decimal, commitment: bytes32, amount: decimal })),
  tree: z.strictObject({
    format: z.literal("standard-v1"),
    leafEncoding: z.array(z.string()),
    tree: z.array(bytes32),
    values: z.array(z.strictObject({ value: z.tuple([count, decimal, decimal]), treeIndex: count })),
  }),
});

type TreeJson = ReturnType<typeof treeToJson>;

/** Where two tree sections first differ, for the error message. */
function treeDifference(file: TreeJson, rebuilt: TreeJson): string | undefined {
  if (JSON.stringify(file.leafEncoding) !== JSON.stringify(rebuilt.leafEncoding)) {
    return `tree.leafEncoding is ${JSON.stringify(file.leafEncoding)}, expected ${JSON.stringify(rebuilt.leafEncoding)}`;
  }
  if (file.tree.length !== rebuilt.tree.length)
    return `tree.tree has ${file.tree.length} nodes, the lines give ${rebuilt.tree.length}`;
  const node = file.tree.findIndex((h, i) => h.toLowerCase() !== rebuilt.tree[i]);
  if (node >= 0) return `tree.tree[${node}] is ${file.tree[node]}, the lines give ${rebuilt.tree[node]}`;
  if (file.values.length !== rebuilt.values.length)
    return `tree.values has ${file.values.length} entries, the lines give ${rebuilt.values.length}`;
  // Compared field by field (not by key order, which JSON does not fix).
  const show = (v: { value: readonly unknown[]; treeIndex: number }) =>
    JSON.stringify({ value: v.value, treeIndex: v.treeIndex });
  const value = file.values.findIndex((v, i) => show(v) !== show(rebuilt.values[i]!));
  if (value >= 0)
    return `tree.values[${value}] is ${show(file.values[value]!)}, the lines give ${show(rebuilt.values[value]!)}`;
  return undefined;
}

/** `["lines", 0, "amount"]` → `lines[0].amount`, as the other messages name places. */
function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i > 0 ? "." : ""}${String(p)}`)).join("");
}

/**
 * Reads a bundle: checks its shape, rebuilds the tree from the lines, and refuses the file unless
 * its root, lineCount, total and tree section all match. Every mismatch is named.
 */
export function bundleFromJson(text: string): RosterBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`roster bundle is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BundleError(parsed.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`));
  }
  const file = parsed.data;
  const input: BundleInput = {
    programmeId: BigInt(file.programmeId),
    region: BigInt(file.region),
    documentHash: file.documentHash,
    documentURI: file.documentURI,
    lines: file.lines.map((l) => ({
      index: l.index,
      household: BigInt(l.household),
      commitment: l.commitment,
      amount: BigInt(l.amount),
    })),
  };

  const issues: string[] = [];
  if (file.lineCount !== input.lines.length)
    issues.push(`lineCount says ${file.lineCount} but the file has ${input.lines.length} lines`);
  const total = sumOf(input.lines);
  if (BigInt(file.total) !== total) issues.push(`total says ${file.total} fen but the lines add up to ${total} fen`);
  const lineIssues = inputIssues(input);
  issues.push(...lineIssues);
  if (lineIssues.length > 0) throw new BundleError(issues);

  const bundle = buildBundle(input);
  if (file.root.toLowerCase() !== bundle.root) {
    issues.push(
      `root says ${file.root} but the lines give ${bundle.root} (a line was changed, added, removed or reordered)`,
    );
  } else {
    // Checked only when the root holds: a wrong root makes the tree differ too, which says nothing new.
    const difference = treeDifference(file.tree, treeToJson(bundle.tree));
    if (difference !== undefined) issues.push(`the tree section does not match the lines: ${difference}`);
  }
  if (issues.length > 0) throw new BundleError(issues);
  return bundle;
}

/**
 * The bundle's Merkle tree, rebuilt from its lines (or the one it was built or read with) and
 * checked against its root and tree section.
 */
export function bundleTree(bundle: RosterBundle): LineTree {
  const dump = bundle.tree;
  if (JSON.stringify(dump.leafEncoding) !== JSON.stringify(LINE_ENCODING)) {
    throw new BundleError([
      `tree leafEncoding is ${JSON.stringify(dump.leafEncoding)}, expected ${JSON.stringify(LINE_ENCODING)}`,
    ]);
  }
  if (dump.tree[0]?.toLowerCase() !== bundle.root.toLowerCase()) {
    throw new BundleError([`the tree's root ${dump.tree[0] ?? "(none)"} is not the bundle's root ${bundle.root}`]);
  }
  let tree = treeOfBundle.get(bundle);
  if (!tree) {
    try {
      tree = buildLineTree(bundle.lines);
    } catch (error) {
      throw new BundleError([`the tree does not build from the lines: ${(error as Error).message}`]);
    }
    const difference = treeDifference(treeToJson(dump), treeToJson(tree.dump()));
    if (difference !== undefined) throw new BundleError([`the tree section does not match the lines: ${difference}`]);
    treeOfBundle.set(bundle, tree);
  }
  if (tree.root !== bundle.root.toLowerCase())
    throw new BundleError([`the lines give root ${tree.root}, not the bundle's root ${bundle.root}`]);
  if (tree.length !== bundle.lineCount)
    throw new BundleError([`the tree has ${tree.length} leaves, the bundle ${bundle.lineCount} lines`]);
  return tree;
}
