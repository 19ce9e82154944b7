// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";
import {QuietTest} from "./QuietBound.sol";

import {IDisbursement} from "../../contracts/interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "../../contracts/interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "../../contracts/interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "../../contracts/interfaces/IRosterBook.sol";
import {LinePacking} from "../../contracts/libraries/LinePacking.sol";
import {DisbursementHarness, PayoutWorld} from "./PayoutLoopHarness.sol";
import {PayoutLoopReference} from "./PayoutLoopReference.sol";

/// @notice The payout loop of Disbursement (`_markPaid`: assembly, then `_revertForLine` for the
/// error) against PayoutLoopReference, the same loop in plain Solidity: both run the same batches
/// against the same registries (PayoutWorld), and must agree on whether a batch is paid, on the
/// total or the error (the same revert data), on the PayoutRecorded events, and on every word of the
/// paid-lines and paid-households bitmaps the batches touch.
///
/// A run draws a world (the roster's region, line count and cap, household blocks of several
/// regions, some not full, sparse suspensions and holds) and two batches of consecutive-looking
/// lines (indices and household ids mostly one to three apart, now and then far enough to cross a
/// bitmap word), the second sometimes overlapping the first. Either batch may carry one fault that
/// breaks one rule at one line (`Fault`), beside the ones the world itself holds.
contract PayoutLoopTest is QuietTest {
    uint64 internal constant PROGRAMME = 7;
    // Made-up but well-formed region codes.
    uint64 internal constant CITY = 110100000000;
    uint64 internal constant COUNTY = 110101000000;
    uint64 internal constant TOWNSHIP_A = 110101001000;
    uint64 internal constant TOWNSHIP_B = 110101002000;
    uint64 internal constant VILLAGE_A1 = 110101001001;
    uint64 internal constant OTHER_COUNTY = 110102000000;

    /// @dev Households are drawn from blocks 0 … BLOCKS - 1; the next block belongs to another
    /// county, and the one after it is in the roster's region but filled to PARTIAL_FILL ids only.
    uint256 internal constant BLOCKS = 4;
    uint256 internal constant OUTSIDE_BLOCK = BLOCKS;
    uint256 internal constant PARTIAL_BLOCK = BLOCKS + 1;
    uint256 internal constant PARTIAL_FILL = 10;
    uint256 internal constant MAX_BATCH = 24;

    /// @dev The rule a batch is made to break at one line (None: none on purpose).
    enum Fault {
        None,
        DirtyBits,
        NotAscending,
        OutOfRange,
        ZeroAmount,
        OverCap,
        LinePaid,
        LineHeld,
        HouseholdZero,
        HouseholdUnregistered,
        OutsideRegion,
        Suspended,
        HouseholdPaid
    }

    uint256 internal constant FAULTS = 13;

    PayoutWorld internal world;
    DisbursementHarness internal h;
    PayoutLoopReference internal ref;
    uint128 internal cap;

    function setUp() public {
        world = new PayoutWorld();
        h = new DisbursementHarness(world);
        ref = new PayoutLoopReference(
            IProgrammeRegistry(address(world)), IHouseholdRegistry(address(world)), IRosterBook(address(world))
        );
    }

    // ------------------------------------------------------------------------------- the comparison

    /// @dev Runs `packed` through both loops and asserts they agree; returns whether the batch was
    /// paid and the return or revert data.
    function _compare(uint64 rosterId, IRosterBook.PayoutTerms memory terms, uint256[] memory packed)
        internal
        returns (bool ok, bytes memory out)
    {
        bytes memory call = abi.encodeCall(DisbursementHarness.markPaid, (rosterId, terms, packed));
        vm.recordLogs();
        (bool okAssembly, bytes memory outAssembly) = address(h).call(call);
        Vm.Log[] memory logsAssembly = vm.getRecordedLogs();
        (bool okReference, bytes memory outReference) = address(ref).call(call);
        Vm.Log[] memory logsReference = vm.getRecordedLogs();

        assertEq(okAssembly, okReference, "both pay the batch, or both refuse it");
        assertEq(outAssembly, outReference, "the same total, or the same error");
        // The recorded logs include those a refused batch emitted before it reverted (which the chain
        // drops): both loops emit a line's event once the line passed, so these agree too.
        assertEq(logsAssembly.length, logsReference.length, "as many events");
        for (uint256 i = 0; i < logsAssembly.length; ++i) {
            assertEq(logsAssembly[i].topics, logsReference[i].topics, "the same event topics");
            assertEq(logsAssembly[i].data, logsReference[i].data, "the same event data");
        }
        if (okAssembly) {
            assertEq(logsAssembly.length, packed.length, "a paid batch emits one PayoutRecorded per line");
            assertEq(abi.decode(outAssembly, (uint256)), _sum(packed), "the total is the lines' sum");
        }
        return (okAssembly, outAssembly);
    }

    /// @dev Every word of either bitmap that a line of `packed` lies in is the same in both.
    function _assertSameWords(uint64 rosterId, uint256[] memory packed) internal view {
        for (uint256 i = 0; i < packed.length; ++i) {
            uint256 lineWord = (packed[i] >> 192) >> 8;
            uint256 householdWord = uint256(uint64(packed[i] >> 128)) >> 8;
            assertEq(h.paidLinesWord(rosterId, lineWord), ref.paidLinesWord(rosterId, lineWord), "paid-lines word");
            assertEq(
                h.paidHouseholdsWord(PROGRAMME, householdWord),
                ref.paidHouseholdsWord(PROGRAMME, householdWord),
                "paid-households word"
            );
        }
    }

    function _sum(uint256[] memory packed) internal pure returns (uint256 total) {
        for (uint256 i = 0; i < packed.length; ++i) total += uint128(packed[i]);
    }

    // ------------------------------------------------------------------------------- worlds and batches

    /// @dev A roster, its terms, and the registries around it, drawn from `seed`.
    function _world(uint256 seed) internal returns (uint64 rosterId, IRosterBook.PayoutTerms memory terms) {
        uint256 r = uint256(keccak256(abi.encode(seed, "world")));
        rosterId = uint64(r);
        uint64[3] memory rosterRegions = [TOWNSHIP_A, COUNTY, VILLAGE_A1];
        terms.programmeId = PROGRAMME;
        terms.region = rosterRegions[(r >> 64) % 3];
        terms.lineCount = uint32(bound(r >> 72, 1, 4_000));
        terms.anyLineHeld = (r >> 104) % 2 == 0;
        cap = uint128(bound(r >> 112, 1, 300_000));
        world.setCap(cap);
        // Most blocks in the roster's own region; the others in a village below the township, a
        // sibling township, the county or the city (covered or not, by the roster's region).
        uint64[4] memory elsewhere = [VILLAGE_A1, TOWNSHIP_B, COUNTY, CITY];
        for (uint256 b = 0; b < BLOCKS; ++b) {
            uint256 q = uint256(keccak256(abi.encode(seed, "block", b)));
            uint64 region = q % 4 != 0 ? terms.region : elsewhere[(q >> 8) % 4];
            uint256 filled = (q >> 16) % 8 == 0 ? bound(q >> 24, 1, 256) : 256;
            world.setBlock(b, region, filled);
            // About one household in 64 suspended.
            uint256 s = type(uint256).max;
            for (uint256 k = 0; k < 6; ++k) s &= uint256(keccak256(abi.encode(seed, "suspended", b, k)));
            world.setSuspendedWord(b, s);
        }
        world.setBlock(OUTSIDE_BLOCK, OTHER_COUNTY, 256);
        world.setBlock(PARTIAL_BLOCK, terms.region, PARTIAL_FILL);
        // A few holds, only on a roster that has some (RosterBook's `anyLineHeld`).
        if (terms.anyLineHeld) {
            uint256 holds = (r >> 240) % 6;
            for (uint256 k = 0; k < holds; ++k) {
                uint256 q = uint256(keccak256(abi.encode(seed, "hold", k)));
                IRosterBook.LineHold hold = q % 2 == 0 ? IRosterBook.LineHold.Frozen : IRosterBook.LineHold.Excluded;
                world.setHold(rosterId, uint32((q >> 8) % terms.lineCount), hold);
            }
        }
    }

    /// @dev A batch of 1 … MAX_BATCH lines drawn from `seed`, starting at a random line and household,
    /// or (sometimes, when there is one) inside `earlier`.
    function _batch(IRosterBook.PayoutTerms memory terms, uint256 seed, uint256[] memory earlier)
        internal
        view
        returns (uint256[] memory packed)
    {
        uint256 r = uint256(keccak256(abi.encode(seed, "batch")));
        packed = new uint256[](bound(r, 1, MAX_BATCH));
        uint256 index = (r >> 16) % terms.lineCount;
        uint256 household = (r >> 48) % (BLOCKS * 256);
        if (earlier.length > 0 && (r >> 8) % 3 == 0) {
            uint256 from = earlier[(r >> 80) % earlier.length];
            (index, household) = (from >> 192, uint64(from >> 128));
        }
        for (uint256 k = 0; k < packed.length; ++k) {
            uint256 q = uint256(keccak256(abi.encode(seed, "line", k)));
            if (k > 0) {
                index += q % 16 == 0 ? 1 + (q >> 8) % 260 : 1 + (q >> 8) % 2;
                household = q % 16 == 1 ? (q >> 20) % (BLOCKS * 256) : household + 1 + (q >> 20) % 3;
            }
            packed[k] = _pack(index, household, 1 + (q >> 40) % cap);
        }
    }

    function _pack(uint256 index, uint256 household, uint256 amount) internal pure returns (uint256) {
        return (index << 192) | (household << 128) | amount;
    }

    /// @dev Makes line `j` of `packed` break the rule of `fault` (`q` draws the details), setting the
    /// world where the rule is the world's. A fault that needs what is not there (an earlier line,
    /// an earlier batch, a roster with holds) changes nothing.
    function _inject(
        uint64 rosterId,
        IRosterBook.PayoutTerms memory terms,
        uint256[] memory packed,
        uint256[] memory earlier,
        uint256 j,
        Fault fault,
        uint256 q
    ) internal {
        uint256 index = packed[j] >> 192;
        uint256 household = uint64(packed[j] >> 128);
        uint256 amount = uint128(packed[j]);
        uint256 dirt = 0;
        if (fault == Fault.DirtyBits) {
            dirt = uint256(1) << (224 + q % 32);
        } else if (fault == Fault.NotAscending) {
            if (j == 0) return;
            uint256 previous = packed[j - 1] >> 192;
            index = previous > 0 && q % 2 == 1 ? previous - 1 : previous;
        } else if (fault == Fault.OutOfRange) {
            index = terms.lineCount + q % 3;
        } else if (fault == Fault.ZeroAmount) {
            amount = 0;
        } else if (fault == Fault.OverCap) {
            amount = q % 4 == 0 ? type(uint128).max : uint256(cap) + 1 + q % 1_000;
        } else if (fault == Fault.LinePaid) {
            if (earlier.length == 0) return;
            index = earlier[q % earlier.length] >> 192;
        } else if (fault == Fault.LineHeld) {
            if (!terms.anyLineHeld || index >= terms.lineCount) return;
            IRosterBook.LineHold hold = q % 2 == 0 ? IRosterBook.LineHold.Frozen : IRosterBook.LineHold.Excluded;
            world.setHold(rosterId, uint32(index), hold);
        } else if (fault == Fault.HouseholdZero) {
            household = 0;
        } else if (fault == Fault.HouseholdUnregistered) {
            household = PARTIAL_BLOCK * 256 + PARTIAL_FILL + q % (256 - PARTIAL_FILL);
        } else if (fault == Fault.OutsideRegion) {
            household = OUTSIDE_BLOCK * 256 + q % 256;
        } else if (fault == Fault.Suspended) {
            world.suspend(uint64(household));
        } else if (fault == Fault.HouseholdPaid) {
            if (j > 0) household = uint64(packed[q % j] >> 128);
            else if (earlier.length > 0) household = uint64(earlier[q % earlier.length] >> 128);
            else return;
        }
        packed[j] = _pack(index, household, amount) | dirt;
    }

    /// @dev One batch of `seed`, with the fault `faultSeed` picks (half the time none), at the line it picks.
    function _faultyBatch(
        uint64 rosterId,
        IRosterBook.PayoutTerms memory terms,
        uint256 seed,
        uint256 faultSeed,
        uint256[] memory earlier
    ) internal returns (uint256[] memory packed) {
        packed = _batch(terms, seed, earlier);
        uint256 f = faultSeed % (2 * FAULTS);
        if (f < FAULTS) {
            _inject(rosterId, terms, packed, earlier, (faultSeed >> 8) % packed.length, Fault(f), faultSeed >> 16);
        }
    }

    // ------------------------------------------------------------------------------- the tests

    /// @notice The offsets the assembly reads LoopContext at (`Disbursement.CTX_…`) are its fields', in order.
    function test_loopContext_offsetsAreTheFields() public view {
        uint256[15] memory read = h.contextAtOffsets();
        for (uint256 k = 0; k < read.length; ++k) {
            // Field 13 is `anyLineHeld`, a bool: true.
            assertEq(read[k], k == 13 ? 1 : k + 1, string.concat("field ", vm.toString(k)));
        }
    }

    /// @notice Two batches of a random world, each perhaps with a fault: the assembly and the
    /// reference pay the same lines, or refuse with the same error, emit the same events and leave
    /// the same bitmaps.
    function testFuzz_markPaid_matchesTheReference(uint256 worldSeed, uint256 seed, uint256 faultSeed) public {
        (uint64 rosterId, IRosterBook.PayoutTerms memory terms) = _world(worldSeed);
        uint256[] memory first = _faultyBatch(rosterId, terms, seed, faultSeed, new uint256[](0));
        _compare(rosterId, terms, first);
        _assertSameWords(rosterId, first);

        uint256 secondSeed = uint256(keccak256(abi.encode(seed, "second")));
        uint256 secondFault = uint256(keccak256(abi.encode(faultSeed, "second")));
        uint256[] memory second = _faultyBatch(rosterId, terms, secondSeed, secondFault, first);
        _compare(rosterId, terms, second);
        _assertSameWords(rosterId, first);
        _assertSameWords(rosterId, second);
    }

    /// @notice The fuzz test on fixed seeds, one fault kind after the other.
    function test_markPaid_matchesTheReference() public {
        for (uint256 f = 0; f < FAULTS; ++f) {
            uint256 snapshot = vm.snapshotState();
            testFuzz_markPaid_matchesTheReference(f, 1_000 + f, 2 * FAULTS * 7 + f);
            vm.revertToState(snapshot);
        }
    }

    /// @dev A world in which every line of `_cleanBatch` may be paid: every block of the roster's
    /// region and full, none suspended, no line held (though the roster says it may hold some).
    function _cleanWorld() internal returns (uint64 rosterId, IRosterBook.PayoutTerms memory terms) {
        rosterId = 42;
        terms = IRosterBook.PayoutTerms(PROGRAMME, TOWNSHIP_A, 1_000, bytes32(0), true);
        cap = 200_000;
        world.setCap(cap);
        for (uint256 b = 0; b < BLOCKS; ++b) world.setBlock(b, b % 2 == 0 ? TOWNSHIP_A : VILLAGE_A1, 256);
        world.setBlock(OUTSIDE_BLOCK, OTHER_COUNTY, 256);
        world.setBlock(PARTIAL_BLOCK, TOWNSHIP_A, PARTIAL_FILL);
    }

    /// @dev `n` lines from line `first` and household `household` on, one apart, amounts 100 fen up.
    function _cleanBatch(uint256 first, uint256 household, uint256 n) internal pure returns (uint256[] memory packed) {
        packed = new uint256[](n);
        for (uint256 k = 0; k < n; ++k) packed[k] = _pack(first + k, household + k, 100 + k);
    }

    /// @notice Each rule, broken at one line of an otherwise payable batch, is refused by both with
    /// that rule's error; with no fault, both pay it (lines and households that cross a word).
    function test_markPaid_eachRuleRefusedAlikeWithItsError() public {
        bytes4[FAULTS] memory expected = [
            bytes4(0),
            LinePacking.LinePackingDirtyBits.selector,
            IDisbursement.DisbursementLinesNotAscending.selector,
            IDisbursement.DisbursementLineOutOfRange.selector,
            IDisbursement.DisbursementAmountOutOfRange.selector,
            IDisbursement.DisbursementAmountOutOfRange.selector,
            IDisbursement.DisbursementWrongLineStatus.selector,
            IDisbursement.DisbursementLineHeld.selector,
            IDisbursement.DisbursementUnknownHousehold.selector,
            IDisbursement.DisbursementUnknownHousehold.selector,
            IDisbursement.DisbursementHouseholdOutsideRegion.selector,
            IDisbursement.DisbursementHouseholdSuspended.selector,
            IDisbursement.DisbursementHouseholdAlreadyPaid.selector
        ];
        for (uint256 f = 0; f < FAULTS; ++f) {
            uint256 snapshot = vm.snapshotState();
            (uint64 rosterId, IRosterBook.PayoutTerms memory terms) = _cleanWorld();
            // An earlier batch, paid: lines 100 … 109, households 300 … 309.
            uint256[] memory earlier = _cleanBatch(100, 300, 10);
            (bool paid,) = _compare(rosterId, terms, earlier);
            assertTrue(paid, "the earlier batch is paid");
            // Lines 250 … 269 (crossing into the second paid-lines word), households 500 … 519
            // (crossing into the third block); the fault at line 3, or at the first line when it
            // names the earlier batch.
            uint256[] memory packed = _cleanBatch(250, 500, 20);
            Fault fault = Fault(f);
            uint256 j = fault == Fault.LinePaid ? 0 : 3;
            _inject(rosterId, terms, packed, earlier, j, fault, 0);
            (bool ok, bytes memory out) = _compare(rosterId, terms, packed);
            _assertSameWords(rosterId, earlier);
            _assertSameWords(rosterId, packed);
            string memory what = string.concat("fault ", vm.toString(f));
            if (fault == Fault.None) {
                assertTrue(ok, what);
            } else {
                assertFalse(ok, what);
                assertEq(bytes4(out), expected[f], what);
            }
            vm.revertToState(snapshot);
        }
    }
}
