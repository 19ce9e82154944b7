// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IRosterBook} from "./IRosterBook.sol";

/// @title IRosterLines
/// @notice Every line of a roster on chain. After `RosterBook.submitRoster`, the region's bureau sends
/// the roster's lines (index, household, amount) here, in index order from 0, in one transaction or
/// several. The contract checks each line, emits it (`LineListed`, found by household), builds the
/// Merkle root and the total from the lines (LineTreeBuilder), and when the last line arrives has
/// RosterBook seal the roster, which it does only if they equal the declared root and total. So a
/// roster with two leaves for one index, or whose lines do not add up to its total, is never
/// sealed, and sign-off starts only once the chain holds the whole list. Personal data never
/// reaches the chain: a line names a household by its id.
interface IRosterLines {
    /// @dev Emitted for every line as it is listed, with the household as its only topic, so that a
    /// resident's page finds every line naming the household with one `eth_getLogs` filter (this
    /// contract's address, topic0 = the household id as a word), with no index and no key.
    /// `line` packs bits 192..255 the roster id, bits 128..159 the line index, bits 0..127 the
    /// amount in fen. Anonymous, to save the signature topic (375 gas a line); every other event of
    /// this contract (RosterLinesListed, and Paused, Unpaused and AuthorityUpdated, which it
    /// inherits) has a signature hash as topic0, never a number below 2^64.
    event LineListed(uint64 indexed household, uint256 line) anonymous;

    /// @dev Emitted per transaction of lines: lines `firstIndex` to `firstIndex + count - 1` of the
    /// roster, `amount` fen in all, were listed.
    event RosterLinesListed(uint64 indexed rosterId, uint32 firstIndex, uint32 count, uint128 amount);

    /// @dev The roster is in state `state`, not AwaitingLines.
    error RosterLinesNotAwaitingLines(uint64 rosterId, IRosterBook.RosterState state);

    /// @dev The caller is not the bureau bound to the roster's region.
    error RosterLinesNotRegionBureau(address caller, uint64 region);

    /// @dev `lines` is empty, or not a whole number of records of 16 bytes (household, amount).
    error RosterLinesBadLines(uint64 rosterId, uint256 length);

    /// @dev The lines would take the roster past its `lineCount` (`listed` are on chain already).
    error RosterLinesTooMany(uint64 rosterId, uint32 listed, uint256 sent, uint32 lineCount);

    /// @dev The lines sent start at index `firstIndex`, but line `expected` is due: lines come in
    /// index order from 0, each once.
    error RosterLinesOutOfOrder(uint32 expected, uint32 firstIndex);

    /// @dev Line `index` names no household (id 0), or pays nothing, or more than the programme's `cap`.
    error RosterLinesInvalidLine(uint32 index, uint64 household, uint128 amount, uint128 cap);

    /// @dev The lines listed so far add up to `listed` fen, more than the roster's `total`.
    error RosterLinesOverTotal(uint64 rosterId, uint128 total, uint256 listed);

    /// @dev The frontier sent is not the one the lines listed so far left (its hash differs).
    error RosterLinesWrongFrontier(uint64 rosterId, bytes32 expected, bytes32 actual);

    /// @notice Lists the next lines of a roster awaiting lines, by the bureau bound to the roster's
    /// region. `firstIndex` must be the number of lines listed so far; `lines` holds one record of
    /// 16 bytes per line, the household id (uint64) then the amount in fen (uint64), big-endian, so
    /// that record `k` is line `firstIndex + k`: no index can repeat or be skipped. `frontier` is
    /// the frontier the lines listed so far left (LineTreeBuilder; empty before the first line).
    /// The last line seals the roster (RosterBook.seal), or reverts if the root or total differ
    /// from the declared ones.
    function submitLines(uint64 rosterId, uint32 firstIndex, bytes calldata lines, bytes32[] calldata frontier) external;

    /// @notice How far listing has come: lines and fen listed so far, and the hash of the frontier
    /// they left (keccak256 of the empty list before the first line and after the last). An
    /// unknown roster has listed nothing.
    function listing(uint64 rosterId) external view returns (uint32 lines, uint128 amount, bytes32 frontierHash);
}
