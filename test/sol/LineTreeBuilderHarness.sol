// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {LineTreeBuilder} from "../../contracts/libraries/LineTreeBuilder.sol";

/// @notice LineTreeBuilder through external calls, as RosterLines uses it: the frontier arrives in
/// calldata and `resume` reads a memory copy of it. For LineTreeBuilder.t.sol and for the invariant
/// handler (which computes the frontier a bureau sends with its second chunk of lines).
contract LineTreeBuilderHarness {
    using LineTreeBuilder for LineTreeBuilder.Builder;

    /// @dev Resumes a builder of `lineCount` lines from `frontier`, adds `leaves` as lines `first`,
    /// `first + 1`, ..., and returns the root (zero unless node 0 formed), the frontier left and its hash.
    function addLeaves(uint256 lineCount, bytes32[] calldata frontier, uint256 first, bytes32[] calldata leaves)
        external
        pure
        returns (bytes32 root, bytes32[] memory next, bytes32 nextHash)
    {
        LineTreeBuilder.Builder memory b = LineTreeBuilder.resume(lineCount, frontier);
        for (uint256 i = 0; i < leaves.length; ++i) b.add(first + i, leaves[i]);
        return (b.root, b.frontier(), b.frontierHash());
    }

    /// @dev The frontier a builder of `lineCount` lines holds right after resuming from `frontier`.
    function resume(uint256 lineCount, bytes32[] calldata frontier) external pure returns (bytes32[] memory) {
        return LineTreeBuilder.resume(lineCount, frontier).frontier();
    }

    /// @dev The frontier the first `leaves.length` lines of a roster of `lineCount` lines leave,
    /// added in one go from an empty builder.
    function frontierAfter(uint256 lineCount, bytes32[] calldata leaves) external pure returns (bytes32[] memory) {
        LineTreeBuilder.Builder memory b = LineTreeBuilder.resume(lineCount, new bytes32[](0));
        for (uint256 i = 0; i < leaves.length; ++i) b.add(i, leaves[i]);
        return b.frontier();
    }
}
