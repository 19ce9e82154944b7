// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Guarded} from "./governance/Guarded.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IProgrammeRegistry} from "./interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "./interfaces/IRosterBook.sol";
import {IRosterLines} from "./interfaces/IRosterLines.sol";
import {LineTreeBuilder} from "./libraries/LineTreeBuilder.sol";
import {RegionBureau} from "./libraries/RegionBureau.sol";

/// @title RosterLines
/// @notice Every line of a roster on chain, its root and total built from the lines (see IRosterLines).
contract RosterLines is IRosterLines, Guarded {
    using LineTreeBuilder for LineTreeBuilder.Builder;

    /// @dev Bytes per line in `submitLines`: the household id (8 bytes) and the amount in fen (8 bytes),
    /// big-endian; the index is the line's position after `firstIndex`.
    uint256 public constant LINE_BYTES = 16;

    /// @dev keccak256 of the empty frontier.
    bytes32 private constant EMPTY_FRONTIER = keccak256("");

    /// @dev A roster's listing so far. `frontierHash` is 0 until a transaction leaves lines to come.
    struct Listing {
        uint32 lines;
        uint128 amount;
        bytes32 frontierHash;
    }

    IRosterBook public immutable ROSTERS;
    IProgrammeRegistry public immutable PROGRAMMES;
    IDirectory public immutable DIRECTORY;

    mapping(uint64 rosterId => Listing) private _listings;

    constructor(address authority, IRosterBook rosters, IProgrammeRegistry programmes, IDirectory directory)
        Guarded(authority)
    {
        ROSTERS = rosters;
        PROGRAMMES = programmes;
        DIRECTORY = directory;
    }

    /// @inheritdoc IRosterLines
    function submitLines(uint64 rosterId, uint32 firstIndex, bytes calldata lines, bytes32[] calldata frontier)
        external
        restricted
        whenNotPaused
    {
        IRosterBook.ListingTerms memory t = ROSTERS.listingTerms(rosterId);
        if (t.state != IRosterBook.RosterState.AwaitingLines) revert RosterLinesNotAwaitingLines(rosterId, t.state);
        address actor = _actor();
        if (!RegionBureau.isHeldBy(DIRECTORY, t.region, actor)) revert RosterLinesNotRegionBureau(actor, t.region);
        Listing storage progress = _listings[rosterId];
        uint32 first = progress.lines;
        if (firstIndex != first) revert RosterLinesOutOfOrder(first, firstIndex);
        if (lines.length == 0 || lines.length % LINE_BYTES != 0) revert RosterLinesBadLines(rosterId, lines.length);
        uint256 count = lines.length / LINE_BYTES;
        if (count > t.lineCount - first) revert RosterLinesTooMany(rosterId, first, count, t.lineCount);
        bytes32 expected = first == 0 ? EMPTY_FRONTIER : progress.frontierHash;
        bytes32 actual = keccak256(abi.encodePacked(frontier));
        if (actual != expected) revert RosterLinesWrongFrontier(rosterId, expected, actual);

        LineTreeBuilder.Builder memory b = LineTreeBuilder.resume(t.lineCount, frontier);
        uint256 sum = _addLines(b, lines, first, PROGRAMMES.householdCap(t.programmeId), uint256(rosterId) << 192);
        uint256 listed = (first == 0 ? 0 : progress.amount) + sum;
        if (listed > t.total) revert RosterLinesOverTotal(rosterId, t.total, listed);

        uint32 next = first + uint32(count);
        emit RosterLinesListed(rosterId, first, uint32(count), uint128(sum));
        if (next < t.lineCount) {
            (progress.lines, progress.amount, progress.frontierHash) = (next, uint128(listed), b.frontierHash());
        } else {
            // Sealed: RosterBook marks the roster listed, and `listing` answers from it; a roster
            // listed in one transaction never writes its listing here.
            if (first != 0) delete _listings[rosterId];
            ROSTERS.seal(rosterId, b.root, uint128(listed));
        }
    }

    /// @inheritdoc IRosterLines
    function listing(uint64 rosterId) external view returns (uint32 lines, uint128 amount, bytes32 frontierHash) {
        if (ROSTERS.rosterState(rosterId) == IRosterBook.RosterState.None) return (0, 0, EMPTY_FRONTIER);
        IRosterBook.ListingTerms memory t = ROSTERS.listingTerms(rosterId);
        if (t.listed) return (t.lineCount, t.total, EMPTY_FRONTIER);
        Listing storage progress = _listings[rosterId];
        return (progress.lines, progress.amount, progress.lines == 0 ? EMPTY_FRONTIER : progress.frontierHash);
    }

    /// @dev Checks each line of `lines` (records of LINE_BYTES: household, amount; the first has
    /// index `first`): a household, 1 fen to `cap`; adds its leaf to the tree `b` and emits
    /// `LineListed`; returns their sum.
    /// Note: assembly, because it runs once per listed line and the gas budget per line (2,500 in
    /// all, 1,006 of them for the event and about 130 for the calldata) leaves no room for
    /// Solidity's stack shuffling, bounds checks and internal calls (about 1,100 gas a line more).
    /// In Solidity it is:
    ///     for (uint256 i = 0; i < lines.length / LINE_BYTES; ++i) {
    ///         (uint64 household, uint64 amount) = (the two 8-byte halves of record i);
    ///         uint256 index = first + i;
    ///         if (household == 0 || amount == 0 || amount > cap) revert RosterLinesInvalidLine(...);
    ///         sum += amount;
    ///         b.add(index, LineLeaf.hashOf(index, household, amount));   // LineTreeBuilder.add, inlined
    ///         emit LineListed(household, tag | (index << 128) | amount);
    ///     }
    /// A line that breaks a rule stops the loop, and the Solidity after it reverts with its error.
    /// The tests hold the roots it builds to OpenZeppelin's tree, and each rule to its error
    /// (test/ts/roster-lines.test.ts, and the invariant handler, which lists rosters in chunks);
    /// test/sol/LineTreeBuilder.t.sol holds LineTreeBuilder, its plain-Solidity form, to the same tree.
    // solhint-disable-next-line function-max-lines
    function _addLines(LineTreeBuilder.Builder memory b, bytes calldata lines, uint256 first, uint128 cap, uint256 tag)
        private
        returns (uint256 sum)
    {
        uint256 lastNode = 2 * b.lineCount - 2;
        uint256 deepest = b.deepest;
        uint256 firstDeepNode = b.firstDeepNode;
        uint256 slots = b.slots;
        uint256 bad = type(uint256).max;
        bytes32 root;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // Words past the free memory pointer (not moved): the values each line reads once, kept
            // out of the stack so that the loop's variables fit in it, then the leaf's preimage.
            let cfg := mload(0x40)
            mstore(cfg, cap)
            mstore(add(cfg, 0x20), tag)
            mstore(add(cfg, 0x40), lastNode)
            mstore(add(cfg, 0x60), firstDeepNode)
            mstore(add(cfg, 0x80), deepest)
            let pre := add(cfg, 0xa0)
            let index := first
            let end := add(lines.offset, lines.length)
            for { let p := lines.offset } lt(p, end) { p := add(p, 16) } {
                let record := shr(128, calldataload(p))
                let household := shr(64, record)
                let amount := and(record, 0xffffffffffffffff)
                // A household, and 1 fen to the cap.
                if iszero(and(gt(household, 0), and(gt(amount, 0), iszero(gt(amount, mload(cfg)))))) {
                    bad := index
                    break
                }
                sum := add(sum, amount)
                // The leaf: keccak256(bytes.concat(keccak256(abi.encode(index, household, amount)))).
                mstore(pre, index)
                mstore(add(pre, 0x20), household)
                mstore(add(pre, 0x40), amount)
                mstore(0x00, keccak256(pre, 0x60))
                let hash := keccak256(0x00, 0x20)
                // LineListed(household, line): anonymous, the household its only topic.
                mstore(pre, or(mload(add(cfg, 0x20)), or(shl(128, index), amount)))
                log1(pre, 0x20, household)
                // LineTreeBuilder.add: climb while the sibling is waiting, then wait.
                let node := sub(mload(add(cfg, 0x40)), index)
                let depth := sub(mload(add(cfg, 0x80)), lt(node, mload(add(cfg, 0x60))))
                index := add(index, 1)
                for {} node {} {
                    let w := add(slots, shl(7, depth))
                    let sibling := 0
                    switch and(node, 1)
                    case 1 {
                        // A left child: pairs with a waiting right sibling, or waits in words 0-1.
                        if iszero(eq(mload(add(w, 0x40)), add(node, 1))) {
                            mstore(w, node)
                            mstore(add(w, 0x20), hash)
                            break
                        }
                        sibling := mload(add(w, 0x60))
                        mstore(add(w, 0x40), 0)
                        node := shr(1, sub(node, 1))
                    }
                    default {
                        // A right child: pairs with a waiting left sibling, or waits in words 2-3.
                        if iszero(eq(mload(w), sub(node, 1))) {
                            mstore(add(w, 0x40), node)
                            mstore(add(w, 0x60), hash)
                            break
                        }
                        sibling := mload(add(w, 0x20))
                        mstore(w, 0)
                        node := shr(1, sub(node, 2))
                    }
                    // OpenZeppelin's commutative pair hash: the smaller word first.
                    let low := xor(hash, mul(xor(hash, sibling), lt(sibling, hash)))
                    mstore(0x00, low)
                    mstore(0x20, xor(xor(hash, sibling), low))
                    hash := keccak256(0x00, 0x40)
                    depth := sub(depth, 1)
                }
                if iszero(node) { root := hash }
            }
        }
        if (bad != type(uint256).max) {
            uint256 at = (bad - first) * LINE_BYTES;
            revert RosterLinesInvalidLine(
                uint32(bad), uint64(bytes8(lines[at:at + 8])), uint64(bytes8(lines[at + 8:at + 16])), cap
            );
        }
        if (root != bytes32(0)) b.root = root;
    }
}
