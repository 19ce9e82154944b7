/**
 * RosterLines: a roster's lines on chain after its submission, in index order, by the region's
 * bureau; the root and total built from them must equal the declared ones for RosterBook to seal
 * the roster, and sign-off starts only at the seal. One test per rule (each fails if the rule is
 * taken out of the contract), the events residents search by household, the resumable listing of
 * src/chain/listing.ts, and the frontier that src/lines.ts computes between transactions.
 *
 * A transaction sends `firstIndex` and one 16-byte record (household, amount) per line: record k is
 * line `firstIndex + k`, so no index repeats or is skipped inside a transaction; what stands in for
 * the per-line index order is that each transaction starts at the next line due.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  type BaseContract,
  concat,
  dataSlice,
  id,
  keccak256,
  solidityPackedKeccak256,
  toBeHex,
  ZeroHash,
  zeroPadValue,
} from "ethers";
import fc from "fast-check";

import { approvalDomain, APPROVAL_TYPES, firstNonceFor } from "../../src/approvals.js";
import {
  LINES_PER_TRANSACTION,
  type ListingProgress,
  ListingMismatchError,
  listLines,
  submitRosterWithLines,
} from "../../src/chain/listing.js";
import {
  buildLineTree,
  type LineTree,
  listingFrontierNodes,
  listingRecords,
  type RosterLine,
} from "../../src/lines.js";
import { selectorOf } from "../../src/roles.js";
import {
  BUDGET,
  CAP,
  COUNTY,
  DEPT_CIVIL,
  ethers,
  fundedSuite,
  networkHelpers,
  type Suite,
  terms,
  TOWNSHIP,
} from "./helpers/fixture.js";
import { expectConserved } from "./helpers/ledger.js";
import { approveAll, declare, listAll, makeLines, rawRecords, submit, totalOf } from "./helpers/rosters.js";

const State = { None: 0n, AwaitingSignOff: 1n, Rejected: 2n, Withdrawn: 3n, InPublicity: 4n, AwaitingLines: 7n };
/** keccak256 of the empty frontier: what `listing` reports before the first line and after the last. */
const EMPTY_FRONTIER = keccak256("0x");

type Way = "direct" | "execute";
const WAYS: Way[] = ["direct", "execute"];

/** Sends `data` to `target` as `signer`, either directly or routed through the manager's `execute`. */
async function send(suite: Suite, way: Way, signer: HardhatEthersSigner, target: BaseContract, data: string) {
  if (way === "direct") return signer.sendTransaction({ to: await target.getAddress(), data });
  return suite.manager.connect(signer).execute(await target.getAddress(), data);
}

/** Lines `from … from + count - 1` of `tree`, as submitLines takes them: 16-byte records (the index is the position). */
function records(tree: LineTree, from: number, count: number): string {
  return listingRecords(Array.from({ length: count }, (_, i) => tree.line(from + i)));
}

/** The amount of lines `from … from + count - 1`. */
function sumOf(tree: LineTree, from: number, count: number): bigint {
  return Array.from({ length: count }, (_, i) => tree.line(from + i).amount).reduce((s, a) => s + a, 0n);
}

/** What the promise was rejected with; fails if it was not. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The funded suite with roster 1 of township A (10 lines) submitted, its lines not yet listed. */
async function declared() {
  const f = await fundedSuite();
  const roster = await declare(f.suite, f.a.townshipBureau, f.programmeId, TOWNSHIP, makeLines(10));
  return { ...f, roster };
}

/** The funded suite with a roster of the two boundary lines declared: the cap (household 1), and one fen (household 2). */
async function boundaries() {
  const f = await fundedSuite();
  const good: RosterLine[] = [
    { index: 0, household: 1n, amount: CAP },
    { index: 1, household: 2n, amount: 1n },
  ];
  const roster = await declare(f.suite, f.a.townshipBureau, f.programmeId, TOWNSHIP, good);
  return { ...f, roster, good };
}

describe("RosterLines", () => {
  describe("the rules of each transaction and each line", () => {
    it("each transaction starts at the next line due: a firstIndex that skips or repeats a line is RosterLinesOutOfOrder(expected, firstIndex)", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      // Before any line, line 0 is due: line 1 first skips it.
      await expect(lines.submitLines(rosterId, 1, records(tree, 1, 1), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesOutOfOrder")
        .withArgs(0, 1);
      await expect(lines.submitLines(rosterId, 0, records(tree, 0, 4), []))
        .to.emit(suite.rosterLines, "RosterLinesListed")
        .withArgs(rosterId, 0, 4, sumOf(tree, 0, 4));
      // Line 4 is due: a chunk starting at 0 or 3 repeats listed lines, one starting at 5 skips line 4.
      for (const firstIndex of [0, 3, 5]) {
        await expect(lines.submitLines(rosterId, firstIndex, records(tree, firstIndex, 2), tree.frontier(4)))
          .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesOutOfOrder")
          .withArgs(4, firstIndex);
      }
      expect(await suite.rosterLines.listing(rosterId)).to.deep.equal([4n, sumOf(tree, 0, 4), tree.frontierHash(4)]);
      await expect(lines.submitLines(rosterId, 4, records(tree, 4, 6), tree.frontier(4))).to.emit(
        suite.rosterBook,
        "RosterSealed",
      );
    });

    it("record k of a transaction is line firstIndex + k: the lines it lists carry those indices", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      await lines.submitLines(rosterId, 0, records(tree, 0, 3), []);
      const receipt = await (await lines.submitLines(rosterId, 3, records(tree, 3, 4), tree.frontier(3))).wait();
      const address = await suite.rosterLines.getAddress();
      const listed = receipt!.logs
        .filter((log) => log.address === address && log.topics.length === 1)
        .map((log) => ({ household: BigInt(log.topics[0]!), index: Number((BigInt(log.data) >> 128n) & 0xffffffffn) }));
      expect(listed).to.deep.equal([3, 4, 5, 6].map((i) => ({ household: tree.line(i).household, index: i })));
    });

    it("lines is a whole number of 16-byte records: a ragged length is RosterLinesBadLines(rosterId, length in bytes)", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      // One byte short of a record, one byte past three, and half a record after one.
      const ragged = [
        dataSlice(records(tree, 0, 1), 0, 15),
        concat([records(tree, 0, 3), "0x00"]),
        dataSlice(records(tree, 0, 2), 0, 24),
      ];
      for (const data of ragged) {
        await expect(lines.submitLines(rosterId, 0, data, []))
          .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesBadLines")
          .withArgs(rosterId, (data.length - 2) / 2);
      }
      // In a later transaction too.
      await lines.submitLines(rosterId, 0, records(tree, 0, 3), []);
      await expect(lines.submitLines(rosterId, 3, concat([records(tree, 3, 2), "0x0000"]), tree.frontier(3)))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesBadLines")
        .withArgs(rosterId, 34);
      expect((await suite.rosterLines.listing(rosterId)).lines).to.equal(3n);
    });

    it("a transaction of no lines (empty lines) is RosterLinesBadLines(rosterId, 0)", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const lines = suite.rosterLines.connect(a.townshipBureau);
      await expect(lines.submitLines(roster.rosterId, 0, "0x", []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesBadLines")
        .withArgs(roster.rosterId, 0);
      await lines.submitLines(roster.rosterId, 0, records(roster.tree, 0, 3), []);
      await expect(lines.submitLines(roster.rosterId, 3, "0x", roster.tree.frontier(3)))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesBadLines")
        .withArgs(roster.rosterId, 0);
      expect(
        await suite.rosterLines.queryFilter(suite.rosterLines.filters.RosterLinesListed(roster.rosterId)),
      ).to.have.length(1);
    });

    it("a line names a household: household 0 is RosterLinesInvalidLine(index, 0, amount, cap)", async () => {
      const { suite, a, roster, good } = await networkHelpers.loadFixture(boundaries);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      await expect(lines.submitLines(rosterId, 0, rawRecords([{ household: 0n, amount: 1_000n }]), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(0, 0n, 1_000n, CAP);
      // The second record of a transaction, and the first of a later one: line 1.
      await expect(lines.submitLines(rosterId, 0, rawRecords([good[0]!, { household: 0n, amount: 1n }]), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(1, 0n, 1n, CAP);
      await lines.submitLines(rosterId, 0, records(tree, 0, 1), []);
      await expect(lines.submitLines(rosterId, 1, rawRecords([{ household: 0n, amount: 1n }]), tree.frontier(1)))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(1, 0n, 1n, CAP);
      await expect(lines.submitLines(rosterId, 1, records(tree, 1, 1), tree.frontier(1))).to.emit(
        suite.rosterBook,
        "RosterSealed",
      );
    });

    it("a line pays something: amount 0 is RosterLinesInvalidLine(index, household, 0, cap)", async () => {
      const { suite, a, roster, good } = await networkHelpers.loadFixture(boundaries);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      await expect(lines.submitLines(rosterId, 0, rawRecords([{ household: 1n, amount: 0n }]), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(0, 1n, 0n, CAP);
      await expect(lines.submitLines(rosterId, 0, rawRecords([good[0]!, { household: 2n, amount: 0n }]), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(1, 2n, 0n, CAP);
      // One fen is a line.
      await expect(lines.submitLines(rosterId, 0, records(tree, 0, 2), [])).to.emit(suite.rosterBook, "RosterSealed");
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingSignOff);
    });

    it("a line pays at most the programme's cap: above it (up to the largest 64-bit amount) is RosterLinesInvalidLine(index, household, amount, cap)", async () => {
      const { suite, a, roster, good } = await networkHelpers.loadFixture(boundaries);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      for (const amount of [CAP + 1n, 2n ** 64n - 1n]) {
        await expect(lines.submitLines(rosterId, 0, rawRecords([{ household: 1n, amount }]), []))
          .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
          .withArgs(0, 1n, amount, CAP);
      }
      await expect(lines.submitLines(rosterId, 0, rawRecords([good[0]!, { household: 2n, amount: CAP + 1n }]), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(1, 2n, CAP + 1n, CAP);
      // The cap itself is a line.
      await expect(lines.submitLines(rosterId, 0, records(tree, 0, 2), [])).to.emit(suite.rosterBook, "RosterSealed");
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingSignOff);
    });

    it("the cap is the programme's cap when the line is listed: a lowered cap refuses a line above it", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(declared);
      // makeLines: line 0 pays 50,000 fen.
      await suite.programmes.connect(a.governance).amendProgramme(programmeId, terms({ householdCap: 49_999n }));
      await expect(
        suite.rosterLines.connect(a.townshipBureau).submitLines(roster.rosterId, 0, records(roster.tree, 0, 1), []),
      )
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesInvalidLine")
        .withArgs(0, roster.lines[0]!.household, 50_000n, 49_999n);
    });

    it("no more lines than the declared lineCount: RosterLinesTooMany(rosterId, listed, sent, lineCount), in the first transaction or a later one", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      const eleventh = listingRecords([{ index: 10, household: 11n, amount: 50_000n }]);
      await expect(lines.submitLines(rosterId, 0, concat([records(tree, 0, 10), eleventh]), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesTooMany")
        .withArgs(rosterId, 0, 11, 10);
      await lines.submitLines(rosterId, 0, records(tree, 0, 8), []);
      await expect(lines.submitLines(rosterId, 8, concat([records(tree, 8, 2), eleventh]), tree.frontier(8)))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesTooMany")
        .withArgs(rosterId, 8, 3, 10);
      expect((await suite.rosterLines.listing(rosterId)).lines).to.equal(8n);
    });

    it("the lines listed so far never add up to more than the declared total: RosterLinesOverTotal, before the last line", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      // Four lines of 10,000 fen declared as 25,000 in all.
      const { rosterId, tree } = await declare(
        suite,
        a.townshipBureau,
        programmeId,
        TOWNSHIP,
        makeLines(4, 1, () => 10_000n),
        { total: 25_000n },
      );
      const lines = suite.rosterLines.connect(a.townshipBureau);
      await expect(lines.submitLines(rosterId, 0, records(tree, 0, 3), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesOverTotal")
        .withArgs(rosterId, 25_000n, 30_000n);
      await lines.submitLines(rosterId, 0, records(tree, 0, 2), []);
      await expect(lines.submitLines(rosterId, 2, records(tree, 2, 1), tree.frontier(2)))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesOverTotal")
        .withArgs(rosterId, 25_000n, 30_000n);
      expect(await suite.rosterLines.listing(rosterId)).to.deep.equal([2n, 20_000n, tree.frontierHash(2)]);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingLines);
    });

    it("every line in, adding up to less than the declared total: RosterBookListMismatch, and the roster still awaits lines", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const lines = makeLines(5);
      const total = totalOf(lines);
      const { rosterId, tree } = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, lines, {
        total: total + 1n,
      });
      await expect(suite.rosterLines.connect(a.townshipBureau).submitLines(rosterId, 0, records(tree, 0, 5), []))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookListMismatch")
        .withArgs(rosterId, tree.root, tree.root, total + 1n, total);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingLines);
      expect((await suite.rosterBook.roster(rosterId)).listed).to.equal(false);
      expect(await suite.rosterLines.listing(rosterId)).to.deep.equal([0n, 0n, EMPTY_FRONTIER]);
    });

    it("every line in, building another root than the declared one: RosterBookListMismatch, and the roster still awaits lines", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const declaredList = buildLineTree(makeLines(6, 1));
      // Other households, the same amounts: the same total, another root.
      const sent = buildLineTree(makeLines(6, 101));
      const total = totalOf(makeLines(6, 1));
      expect(totalOf(makeLines(6, 101))).to.equal(total);
      const { rosterId } = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(6, 1));
      const lines = suite.rosterLines.connect(a.townshipBureau);
      await lines.submitLines(rosterId, 0, records(sent, 0, 4), []);
      await expect(lines.submitLines(rosterId, 4, records(sent, 4, 2), sent.frontier(4)))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookListMismatch")
        .withArgs(rosterId, declaredList.root, sent.root, total, total);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingLines);
      expect((await suite.rosterLines.listing(rosterId)).lines).to.equal(4n);
    });

    it("a transaction brings the frontier the listed lines left: any other is RosterLinesWrongFrontier", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      // Before the first line the frontier is empty.
      expect(tree.frontier(4)).to.have.length.above(0);
      await expect(lines.submitLines(rosterId, 0, records(tree, 0, 4), tree.frontier(4)))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesWrongFrontier")
        .withArgs(rosterId, EMPTY_FRONTIER, tree.frontierHash(4));
      await lines.submitLines(rosterId, 0, records(tree, 0, 4), []);
      const expected = tree.frontierHash(4);
      expect((await suite.rosterLines.listing(rosterId)).frontierHash).to.equal(expected);
      // Another count's frontier, another tree's, none, and one hash changed.
      const other = buildLineTree(makeLines(10, 101));
      const tampered = [...tree.frontier(4)];
      tampered[1] = id("not the node's hash");
      for (const frontier of [tree.frontier(3), tree.frontier(5), other.frontier(4), [], tampered]) {
        await expect(lines.submitLines(rosterId, 4, records(tree, 4, 6), frontier))
          .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesWrongFrontier")
          .withArgs(rosterId, expected, keccak256(concat(frontier)));
      }
      await expect(lines.submitLines(rosterId, 4, records(tree, 4, 6), tree.frontier(4))).to.emit(
        suite.rosterBook,
        "RosterSealed",
      );
    });
  });

  describe("who lists, and when", () => {
    for (const way of WAYS) {
      it(`only the bureau bound to the roster's region lists its lines (${way})`, async () => {
        const { suite, a, roster } = await networkHelpers.loadFixture(declared);
        const data = suite.rosterLines.interface.encodeFunctionData("submitLines", [
          roster.rosterId,
          0,
          records(roster.tree, 0, 3),
          [],
        ]);
        // Bureaus of the county above the township and of the sibling township hold the BUREAU role, not this region's office.
        for (const bureau of [a.countyBureau, a.townshipBBureau]) {
          await expect(send(suite, way, bureau, suite.rosterLines, data))
            .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesNotRegionBureau")
            .withArgs(bureau.address, TOWNSHIP);
        }
        // An account with no role does not pass the AccessManager.
        if (way === "direct") {
          await expect(send(suite, way, a.outsider, suite.rosterLines, data))
            .to.be.revertedWithCustomError(suite.rosterLines, "AccessManagedUnauthorized")
            .withArgs(a.outsider.address);
        } else {
          await expect(send(suite, way, a.outsider, suite.rosterLines, data))
            .to.be.revertedWithCustomError(suite.manager, "AccessManagerUnauthorizedCall")
            .withArgs(
              a.outsider.address,
              await suite.rosterLines.getAddress(),
              selectorOf("submitLines(uint64,uint32,bytes,bytes32[])"),
            );
        }
        expect((await suite.rosterLines.listing(roster.rosterId)).lines).to.equal(0n);
        // The region's bureau, either way, lists them.
        await expect(send(suite, way, a.townshipBureau, suite.rosterLines, data))
          .to.emit(suite.rosterLines, "RosterLinesListed")
          .withArgs(roster.rosterId, 0, 3, sumOf(roster.tree, 0, 3));
      });
    }

    it("a paused RosterLines lists nothing; unpaused, it lists again. A paused RosterBook lets lines in but seals nothing", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree } = roster;
      const lines = suite.rosterLines.connect(a.townshipBureau);
      await expect(suite.rosterLines.connect(a.governance).pause()).to.emit(suite.rosterLines, "Paused");
      await expect(lines.submitLines(rosterId, 0, records(tree, 0, 4), [])).to.be.revertedWithCustomError(
        suite.rosterLines,
        "EnforcedPause",
      );
      expect(await suite.rosterBook.paused()).to.equal(false);
      await suite.rosterLines.connect(a.governance).unpause();
      await expect(lines.submitLines(rosterId, 0, records(tree, 0, 4), [])).to.emit(
        suite.rosterLines,
        "RosterLinesListed",
      );
      // The seal is a write of RosterBook: while it is paused, the last line waits.
      await suite.rosterBook.connect(a.governance).pause();
      await lines.submitLines(rosterId, 4, records(tree, 4, 3), tree.frontier(4));
      await expect(lines.submitLines(rosterId, 7, records(tree, 7, 3), tree.frontier(7))).to.be.revertedWithCustomError(
        suite.rosterBook,
        "EnforcedPause",
      );
      await suite.rosterBook.connect(a.governance).unpause();
      await expect(lines.submitLines(rosterId, 7, records(tree, 7, 3), tree.frontier(7))).to.emit(
        suite.rosterBook,
        "RosterSealed",
      );
    });

    it("approve, approve by signature and reject are refused while the roster awaits lines (RosterBookWrongState)", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree } = roster;
      const chainId = (await ethers.provider.getNetwork()).chainId;
      const domain = approvalDomain(await suite.rosterBook.getAddress(), chainId);
      const nonce = firstNonceFor(rosterId);
      const deadline = BigInt((await networkHelpers.time.latest()) + 24 * 3600);
      const signature = await a.deptCivil.signTypedData(domain, APPROVAL_TYPES, {
        rosterId,
        root: tree.root,
        stage: 0,
        nonce,
        deadline,
      });
      const seal = [{ stage: 0, nonce, deadline, signature }];
      const calls = [
        () => suite.rosterBook.connect(a.deptCivil).approveRoster(rosterId),
        () => suite.rosterBook.connect(a.outsider).approveRosterBySig(rosterId, seal),
        () => suite.rosterBook.connect(a.deptRural).rejectRoster(rosterId, id("no")),
      ];
      for (const call of calls) {
        await expect(call())
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookWrongState")
          .withArgs(rosterId, State.AwaitingSignOff, State.AwaitingLines);
      }
      // Sealed, the same seal is taken.
      await listAll(suite, a.townshipBureau, rosterId, tree);
      await expect(suite.rosterBook.connect(a.outsider).approveRosterBySig(rosterId, seal))
        .to.emit(suite.rosterBook, "RosterApproved")
        .withArgs(rosterId, 0, DEPT_CIVIL, a.deptCivil.address, true, programmeId, TOWNSHIP);
    });

    it("the bureau withdraws a roster awaiting lines: its reservation is released and no more lines are taken", async () => {
      const { suite, a, programmeId, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree, total } = roster;
      await suite.rosterLines.connect(a.townshipBureau).submitLines(rosterId, 0, records(tree, 0, 4), []);
      const before = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      expect(before.reserved).to.equal(total);
      await expect(suite.rosterBook.connect(a.townshipBBureau).withdrawRoster(rosterId, id("not ours")))
        .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookNotRegionBureau")
        .withArgs(a.townshipBBureau.address, TOWNSHIP);
      await expect(suite.rosterBook.connect(a.townshipBureau).withdrawRoster(rosterId, id("wrong list")))
        .to.emit(suite.rosterBook, "RosterWithdrawn")
        .withArgs(rosterId, programmeId, TOWNSHIP, id("wrong list"));
      const after = await suite.ledger.balanceOf(programmeId, TOWNSHIP);
      expect(after.reserved).to.equal(0n);
      expect(after.available).to.equal(before.available + total);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.Withdrawn);
      await expect(
        suite.rosterLines.connect(a.townshipBureau).submitLines(rosterId, 4, records(tree, 4, 6), tree.frontier(4)),
      )
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesNotAwaitingLines")
        .withArgs(rosterId, State.Withdrawn);
      await expectConserved(suite, programmeId);
    });

    it("the same list is refused while its roster is live (RosterBookDuplicateRoster), and taken again once it was withdrawn or rejected", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const lines = makeLines(8);
      const root = buildLineTree(lines).root;
      const again = () => declare(suite, a.townshipBureau, programmeId, TOWNSHIP, lines);
      const refused = async (earlier: bigint) =>
        expect(again())
          .to.be.revertedWithCustomError(suite.rosterBook, "RosterBookDuplicateRoster")
          .withArgs(programmeId, root, earlier);

      const first = await again();
      expect(await suite.rosterBook.rosterOfRoot(programmeId, root)).to.equal(first.rosterId);
      await refused(first.rosterId); // awaiting lines
      await suite.rosterBook.connect(a.townshipBureau).withdrawRoster(first.rosterId, id("withdrawn"));
      const second = await again();
      expect(second.rosterId).to.equal(first.rosterId + 1n);
      expect(await suite.rosterBook.rosterOfRoot(programmeId, root)).to.equal(second.rosterId);
      await listAll(suite, a.townshipBureau, second.rosterId, second.tree);
      await refused(second.rosterId); // awaiting sign-off
      await suite.rosterBook.connect(a.deptRural).rejectRoster(second.rosterId, id("rejected"));
      const third = await again();
      expect(await suite.rosterBook.rosterOfRoot(programmeId, root)).to.equal(third.rosterId);
      await listAll(suite, a.townshipBureau, third.rosterId, third.tree);
      await approveAll(suite, a, third.rosterId);
      await refused(third.rosterId); // in publicity
      // Another programme may pay the same list.
      await suite.programmes.connect(a.programmeAdmin).createProgramme(id("EARMARK-OTHER"), 202611, COUNTY, terms());
      const otherProgramme = await suite.programmes.programmeCount();
      await suite.ledger.connect(a.programmeAdmin).fundProgramme(otherProgramme, BUDGET);
      await suite.ledger.connect(a.countyBureau).allocate(otherProgramme, COUNTY, TOWNSHIP, BUDGET);
      const other = await declare(suite, a.townshipBureau, otherProgramme, TOWNSHIP, lines);
      expect(await suite.rosterBook.rosterOfRoot(otherProgramme, root)).to.equal(other.rosterId);
      expect(await suite.rosterBook.rosterOfRoot(programmeId, root)).to.equal(third.rosterId);
      await expectConserved(suite, programmeId);
    });
  });

  describe("sealing", () => {
    it("a roster listed in three transactions seals with its declared root and total, and RosterSealed is emitted once", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const { rosterId, tree, total } = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(25));
      const lines = suite.rosterLines.connect(a.townshipBureau);
      const chunks: Array<[number, number]> = [
        [0, 9],
        [9, 9],
        [18, 7],
      ];
      let listed = 0n;
      for (const [first, count] of chunks) {
        const tx = lines.submitLines(rosterId, first, records(tree, first, count), tree.frontier(first));
        await expect(tx)
          .to.emit(suite.rosterLines, "RosterLinesListed")
          .withArgs(rosterId, first, count, sumOf(tree, first, count));
        listed += sumOf(tree, first, count);
        if (first + count < 25) {
          await expect(tx).not.to.emit(suite.rosterBook, "RosterSealed");
          expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingLines);
          expect(await suite.rosterLines.listing(rosterId)).to.deep.equal([
            BigInt(first + count),
            listed,
            tree.frontierHash(first + count),
          ]);
        } else {
          await expect(tx)
            .to.emit(suite.rosterBook, "RosterSealed")
            .withArgs(rosterId, programmeId, TOWNSHIP, tree.root, total);
        }
      }
      const sealed = await suite.rosterBook.queryFilter(suite.rosterBook.filters.RosterSealed(rosterId));
      expect(sealed).to.have.length(1);
      expect(sealed[0]!.args.root).to.equal((await suite.rosterBook.roster(rosterId)).root);
      expect(await suite.rosterLines.listing(rosterId)).to.deep.equal([25n, total, EMPTY_FRONTIER]);
      expect((await suite.rosterBook.roster(rosterId)).listed).to.equal(true);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingSignOff);
      // Sealed: no line more, and no second seal.
      await expect(lines.submitLines(rosterId, 24, records(tree, 24, 1), []))
        .to.be.revertedWithCustomError(suite.rosterLines, "RosterLinesNotAwaitingLines")
        .withArgs(rosterId, State.AwaitingSignOff);
    });

    it("a roster listed in one transaction never writes its listing storage; one listed in several has it cleared at the seal; sealed, listing() is (lineCount, total, keccak256(''))", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const address = await suite.rosterLines.getAddress();
      // `_listings` sits in slot 1 (slot 0 holds AccessManaged's and Pausable's variables); a Listing is
      // two words: (lines | amount << 32), then frontierHash. The partial listing below checks the slots.
      const slotsOf = (rosterId: bigint) => {
        const base = BigInt(solidityPackedKeccak256(["uint256", "uint256"], [rosterId, 1n]));
        return [base, base + 1n];
      };
      const stored = (rosterId: bigint) =>
        Promise.all(slotsOf(rosterId).map((slot) => ethers.provider.getStorage(address, slot)));
      const word = (value: bigint) => zeroPadValue(toBeHex(value), 32);
      /** The storage slots RosterLines itself (depth 1, not RosterBook's seal) writes in a transaction. */
      const writes = async (hash: string) => {
        const trace = (await ethers.provider.send("debug_traceTransaction", [
          hash,
          { disableMemory: true, disableStorage: true },
        ])) as {
          structLogs: Array<{ op: string; depth: number; stack?: string[] }>;
        };
        return trace.structLogs
          .filter((l) => l.op === "SSTORE" && l.depth === 1)
          .map((l) => BigInt(`0x${l.stack!.at(-1)!.replace(/^0x/, "")}`));
      };
      const lines = suite.rosterLines.connect(a.townshipBureau);

      const several = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(10));
      const first = await lines.submitLines(several.rosterId, 0, records(several.tree, 0, 4), []);
      expect(await stored(several.rosterId)).to.deep.equal([
        word((sumOf(several.tree, 0, 4) << 32n) | 4n),
        several.tree.frontierHash(4),
      ]);
      expect(new Set(await writes(first.hash))).to.deep.equal(new Set(slotsOf(several.rosterId)));
      const last = await lines.submitLines(several.rosterId, 4, records(several.tree, 4, 6), several.tree.frontier(4));
      await expect(last).to.emit(suite.rosterBook, "RosterSealed");
      expect(await stored(several.rosterId)).to.deep.equal([ZeroHash, ZeroHash]);
      expect(new Set(await writes(last.hash))).to.deep.equal(new Set(slotsOf(several.rosterId)));
      expect(await suite.rosterLines.listing(several.rosterId)).to.deep.equal([10n, several.total, EMPTY_FRONTIER]);

      const once = await declare(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(7, 20));
      const only = await lines.submitLines(once.rosterId, 0, records(once.tree, 0, 7), []);
      await expect(only).to.emit(suite.rosterBook, "RosterSealed");
      expect(await writes(only.hash)).to.deep.equal([]);
      expect(await stored(once.rosterId)).to.deep.equal([ZeroHash, ZeroHash]);
      expect(await suite.rosterLines.listing(once.rosterId)).to.deep.equal([7n, once.total, EMPTY_FRONTIER]);
    });

    it("seal is for suite contracts only: no account calls it, directly or through execute, even with the declared root and total", async () => {
      const { suite, a, roster } = await networkHelpers.loadFixture(declared);
      const { rosterId, tree, total } = roster;
      const target = await suite.rosterBook.getAddress();
      const data = suite.rosterBook.interface.encodeFunctionData("seal", [rosterId, tree.root, total]);
      for (const who of [a.townshipBureau, a.deptCivil, a.governance, a.outsider]) {
        await expect(suite.rosterBook.connect(who).seal(rosterId, tree.root, total))
          .to.be.revertedWithCustomError(suite.rosterBook, "AccessManagedUnauthorized")
          .withArgs(who.address);
        await expect(suite.manager.connect(who).execute(target, data))
          .to.be.revertedWithCustomError(suite.manager, "AccessManagerUnauthorizedCall")
          .withArgs(who.address, target, selectorOf("seal(uint64,bytes32,uint128)"));
      }
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingLines);
    });
  });

  describe("LineListed: every line, found by household", () => {
    it("eth_getLogs with the household as topic0 finds its lines in every roster; each decodes to roster, index and amount", async () => {
      const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
      const first = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(10)); // households 1…10
      const second = await submit(suite, a.townshipBureau, programmeId, TOWNSHIP, makeLines(3, 4)); // households 4…6
      const address = await suite.rosterLines.getAddress();
      const linesOf = async (household: bigint) => {
        const logs = await ethers.provider.getLogs({
          address,
          topics: [zeroPadValue(toBeHex(household), 32)],
          fromBlock: 0,
        });
        return logs.map((log) => {
          expect(log.topics).to.have.length(1);
          const word = BigInt(log.data);
          expect((word >> 160n) & 0xffffffffn, "bits 160…191").to.equal(0n);
          return {
            rosterId: word >> 192n,
            index: Number((word >> 128n) & 0xffffffffn),
            amount: word & (2n ** 128n - 1n),
          };
        });
      };
      expect(await linesOf(5n)).to.deep.equal([
        { rosterId: first.rosterId, index: 4, amount: first.lines[4]!.amount },
        { rosterId: second.rosterId, index: 1, amount: second.lines[1]!.amount },
      ]);
      expect(first.lines[4]!.household).to.equal(5n);
      expect(second.lines[1]!.household).to.equal(5n);
      expect(await linesOf(10n)).to.deep.equal([
        { rosterId: first.rosterId, index: 9, amount: first.lines[9]!.amount },
      ]);
      expect(await linesOf(600n)).to.deep.equal([]);
      // Every line of both rosters once, and nothing else of the contract under a household's topic.
      let found = 0;
      for (let household = 1n; household <= 12n; household++) found += (await linesOf(household)).length;
      expect(found).to.equal(13);
    });
  });
});

describe("Listing a roster from its bundle (src/chain/listing.ts)", () => {
  const submissionOf = (programmeId: bigint, tree: LineTree) => ({
    programmeId,
    region: TOWNSHIP,
    root: tree.root,
    lineCount: tree.length,
    total: totalOf(Array.from({ length: tree.length }, (_, i) => tree.line(i))),
    documentHash: id("published list"),
    documentURI: "https://notice.example/list.csv",
  });
  const listedEvents = async (suite: Suite, rosterId: bigint) =>
    (await suite.rosterLines.queryFilter(suite.rosterLines.filters.RosterLinesListed(rosterId))).map((e) => [
      Number(e.args.firstIndex),
      Number(e.args.count),
    ]);

  it("submits a fresh roster and lists it in several transactions, reporting progress", async () => {
    const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
    const tree = buildLineTree(makeLines(23));
    const progress: ListingProgress[] = [];
    const report = await submitRosterWithLines(suite, a.townshipBureau, submissionOf(programmeId, tree), tree, {
      linesPerTransaction: 5,
      onProgress: (p) => progress.push(p),
    });
    expect(report).to.deep.equal({
      rosterId: 1n,
      submitted: true,
      listedNow: 23,
      listedBefore: 0,
      transactions: 5,
      state: "AwaitingSignOff",
      retries: 0,
    });
    expect(progress.map((p) => [p.listed, p.transactions])).to.deep.equal([
      [5, 1],
      [10, 2],
      [15, 3],
      [20, 4],
      [23, 5],
    ]);
    expect(progress.every((p) => p.rosterId === 1n && p.lineCount === 23)).to.equal(true);
    expect(await listedEvents(suite, 1n)).to.deep.equal([
      [0, 5],
      [5, 5],
      [10, 5],
      [15, 5],
      [20, 3],
    ]);
    expect((await suite.rosterBook.roster(1n)).root).to.equal(tree.root);
    expect(await suite.rosterBook.rosterState(1n)).to.equal(State.AwaitingSignOff);
    expect(LINES_PER_TRANSACTION).to.be.greaterThan(1_000);
  });

  it("resumes a partial listing: no second roster, only the lines the chain lacks", async () => {
    const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
    const tree = buildLineTree(makeLines(23));
    const submission = submissionOf(programmeId, tree);
    // A run that submitted and listed the first 7 lines, then died.
    await suite.rosterBook.connect(a.townshipBureau).submitRoster(submission);
    await suite.rosterLines.connect(a.townshipBureau).submitLines(1n, 0, records(tree, 0, 7), []);
    const progress: number[] = [];
    const report = await submitRosterWithLines(suite, a.townshipBureau, submission, tree, {
      linesPerTransaction: 5,
      onProgress: (p) => progress.push(p.listed),
    });
    expect(report).to.deep.equal({
      rosterId: 1n,
      submitted: false,
      listedNow: 16,
      listedBefore: 7,
      transactions: 4,
      state: "AwaitingSignOff",
      retries: 0,
    });
    expect(progress).to.deep.equal([12, 17, 22, 23]);
    expect(await suite.rosterBook.rosterCount()).to.equal(1n);
    expect(await suite.rosterBook.queryFilter(suite.rosterBook.filters.RosterSubmitted())).to.have.length(1);
    expect(await listedEvents(suite, 1n)).to.deep.equal([
      [0, 7],
      [7, 5],
      [12, 5],
      [17, 5],
      [22, 1],
    ]);
    expect(await suite.rosterLines.listing(1n)).to.deep.equal([23n, submission.total, EMPTY_FRONTIER]);
  });

  it("run again on a sealed roster, it sends nothing", async () => {
    const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
    const tree = buildLineTree(makeLines(12));
    const submission = submissionOf(programmeId, tree);
    await submitRosterWithLines(suite, a.townshipBureau, submission, tree, { linesPerTransaction: 5 });
    const nonce = await ethers.provider.getTransactionCount(a.townshipBureau.address);
    const progress: ListingProgress[] = [];
    const report = await submitRosterWithLines(suite, a.townshipBureau, submission, tree, {
      linesPerTransaction: 5,
      onProgress: (p) => progress.push(p),
    });
    expect(report).to.deep.equal({
      rosterId: 1n,
      submitted: false,
      listedNow: 0,
      listedBefore: 12,
      transactions: 0,
      state: "AwaitingSignOff",
      retries: 0,
    });
    expect(progress).to.deep.equal([]);
    expect(await ethers.provider.getTransactionCount(a.townshipBureau.address)).to.equal(nonce);
    expect(await listLines(suite, a.townshipBureau, 1n, tree)).to.deep.equal({
      listedNow: 0,
      listedBefore: 12,
      transactions: 0,
      state: "AwaitingSignOff",
      retries: 0,
    });
    expect(await ethers.provider.getTransactionCount(a.townshipBureau.address)).to.equal(nonce);
  });

  it("ListingMismatchError when the chain's first lines are not the bundle's, and nothing more is sent", async () => {
    const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
    const bundle = buildLineTree(makeLines(10, 1));
    const other = buildLineTree(makeLines(10, 101)); // the same amounts for other households
    const submission = submissionOf(programmeId, bundle);
    // The roster declares the bundle's root, but the first lines listed under it are another list's.
    await suite.rosterBook.connect(a.townshipBureau).submitRoster(submission);
    await suite.rosterLines.connect(a.townshipBureau).submitLines(1n, 0, records(other, 0, 4), []);
    const nonce = await ethers.provider.getTransactionCount(a.townshipBureau.address);
    const direct = await rejectionOf(listLines(suite, a.townshipBureau, 1n, bundle, { linesPerTransaction: 3 }));
    expect(direct).to.be.instanceOf(ListingMismatchError);
    expect((direct as Error).message).to.contain("roster 1 has 4 lines on chain");
    const resumed = await rejectionOf(
      submitRosterWithLines(suite, a.townshipBureau, submission, bundle, { linesPerTransaction: 3 }),
    );
    expect(resumed).to.be.instanceOf(ListingMismatchError);
    expect(await ethers.provider.getTransactionCount(a.townshipBureau.address)).to.equal(nonce);
    expect(await suite.rosterBook.rosterCount()).to.equal(1n);
    expect((await suite.rosterLines.listing(1n)).lines).to.equal(4n);
    expect(await suite.rosterBook.rosterState(1n)).to.equal(State.AwaitingLines);
  });
});

describe("The listing frontier (src/lines.ts)", () => {
  const depthOf = (node: number) => Math.floor(Math.log2(node + 1));

  /**
   * The frontier by its meaning: the nodes whose every leaf is listed (complete) under a parent that
   * is not, ascending. Node `p` of `n` is a leaf (line `2n - 2 - p`) from `n - 1` on.
   */
  function frontierByDefinition(n: number, count: number): number[] {
    const size = 2 * n - 1;
    const complete: boolean[] = new Array<boolean>(size);
    for (let p = size - 1; p >= 0; p--)
      complete[p] = p >= n - 1 ? 2 * n - 2 - p < count : complete[2 * p + 1]! && complete[2 * p + 2]!;
    const nodes: number[] = [];
    for (let p = 1; p < size; p++) if (complete[p] && !complete[(p - 1) >> 1]) nodes.push(p);
    return nodes;
  }

  /** Checks the frontier nodes of every count of `n` lines, and with `words` the frontier's words and hash too. */
  function checkEveryCount(n: number, words = true): void {
    const tree = buildLineTree(makeLines(n));
    for (let count = 0; count <= n; count++) {
      const nodes = listingFrontierNodes(n, count);
      const where = `n = ${n}, count = ${count}`;
      nodes.forEach((node, k) => {
        if (k > 0) expect(node, `${where}: ascending`).to.be.greaterThan(nodes[k - 1]!);
        expect(node, `${where}: inside the tree, not the root`).to.be.within(1, 2 * n - 2);
      });
      const perDepth = new Map<number, { odd: number; even: number }>();
      for (const node of nodes) {
        const d = perDepth.get(depthOf(node)) ?? { odd: 0, even: 0 };
        if (node % 2 === 1) d.odd++;
        else d.even++;
        perDepth.set(depthOf(node), d);
      }
      for (const [depth, { odd, even }] of perDepth) {
        expect(odd + even, `${where}: nodes at depth ${depth}`).to.be.at.most(2);
        // What LineTreeBuilder.resume accepts: one waiting left child and one waiting right child per depth.
        expect([odd, even], `${where}: left and right children at depth ${depth}`).to.satisfy(
          ([o, e]: number[]) => o! <= 1 && e! <= 1,
        );
      }
      expect(nodes, where).to.deep.equal(frontierByDefinition(n, count));
      if (!words) continue;
      const frontier = tree.frontier(count);
      expect(frontier, where).to.deep.equal(
        nodes.flatMap((node) => [zeroPadValue(toBeHex(node), 32), tree.node(node)]),
      );
      expect(tree.frontierHash(count), where).to.equal(keccak256(concat(frontier)));
    }
  }

  it("is empty before the first line and after the last", () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 100, 255, 256, 257]) {
      const tree = buildLineTree(makeLines(n));
      expect(listingFrontierNodes(n, 0), `n = ${n}`).to.deep.equal([]);
      expect(listingFrontierNodes(n, n), `n = ${n}`).to.deep.equal([]);
      expect(tree.frontier(0)).to.deep.equal([]);
      expect(tree.frontier(n)).to.deep.equal([]);
      expect(tree.frontierHash(0)).to.equal(EMPTY_FRONTIER);
      expect(tree.frontierHash(n)).to.equal(EMPTY_FRONTIER);
    }
    const tree = buildLineTree(makeLines(5));
    for (const count of [-1, 6, 1.5]) expect(() => tree.frontier(count)).to.throw(RangeError);
  });

  it("for every count of small and power-of-two rosters: ascending, at most two nodes per depth, the waiting complete subtrees", () => {
    for (let n = 1; n <= 40; n++) checkEveryCount(n);
    for (const n of [63, 64, 65, 127, 128, 129]) checkEveryCount(n);
    for (const n of [255, 256, 257, 300]) checkEveryCount(n, false);
  });

  it("for random rosters of up to 300 lines and every count: the same", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => checkEveryCount(n, false)),
      { numRuns: 40 },
    );
  });

  it("frontierHash(count) is the hash the contract stores after `count` lines, for every count", async () => {
    const { suite, a, programmeId } = await networkHelpers.loadFixture(fundedSuite);
    const lines = suite.rosterLines.connect(a.townshipBureau);
    // One line a transaction (every count), then a long roster in chunks of uneven sizes.
    const plans: Array<{ n: number; sizes: number[] }> = [
      { n: 37, sizes: [1] },
      { n: 64, sizes: [1] },
      { n: 300, sizes: [1, 7, 30, 2, 61, 13] },
    ];
    for (const { n, sizes } of plans) {
      const { rosterId, tree, total } = await declare(
        suite,
        a.townshipBureau,
        programmeId,
        TOWNSHIP,
        makeLines(n, 1, (i) => 10_000n + BigInt(i % 11) * 100n),
      );
      expect((await suite.rosterLines.listing(rosterId)).frontierHash, `n = ${n}, 0 lines`).to.equal(
        tree.frontierHash(0),
      );
      for (let count = 0, k = 0; count < n; k++) {
        const size = Math.min(sizes[k % sizes.length]!, n - count);
        await lines.submitLines(rosterId, count, records(tree, count, size), tree.frontier(count));
        count += size;
        const [listed, amount, frontierHash] = await suite.rosterLines.listing(rosterId);
        expect(frontierHash, `n = ${n}, ${count} lines`).to.equal(tree.frontierHash(count));
        expect([listed, amount]).to.deep.equal([BigInt(count), sumOf(tree, 0, count)]);
      }
      expect(await suite.rosterLines.listing(rosterId)).to.deep.equal([BigInt(n), total, EMPTY_FRONTIER]);
      expect(await suite.rosterBook.rosterState(rosterId)).to.equal(State.AwaitingSignOff);
    }
  });
});
