// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title LineTreeBuilder
/// @notice Builds a roster's Merkle root from its lines as they arrive, in line order, possibly over
/// several transactions: the same root as OpenZeppelin's StandardMerkleTree of the lines in line
/// order (LineTree describes that tree), so that payouts prove their lines against it unchanged.
/// @dev The tree is a complete binary tree stored as an array: node `p` has children `2p + 1` (left)
/// and `2p + 2` (right), line `i` of `n` is node `2n - 2 - i`, and pairs are hashed sorted. Node `k`
/// lies at depth `floor(log2(k + 1))`; leaves lie at the deepest depth `D` (nodes `2^D - 1` and up)
/// and, when `n` is not a power of two, at depth `D - 1`.
///
/// Lines in ascending order are nodes in descending order. Within one depth, nodes then arrive from
/// right to left in at most two runs: first the nodes whose leaves all lie at depth `D`, then the
/// others. So a node waits for its sibling in one of two ways: a right child (even node) waits for
/// its left sibling, which is the next node to arrive at its depth; and a left child (odd node) whose
/// right sibling belongs to the second run waits until that run reaches it. The builder keeps, per
/// depth, at most one waiting node of each kind, and a node pairs only with its true sibling (checked
/// by node number). When node 0 forms, it is the root.
///
/// Between transactions the waiting nodes are the whole state (the frontier): at most two per depth,
/// 66 in all. The contract stores only the hash of the frontier; the next transaction brings the
/// frontier in its calldata (`frontier`, pairs of words: node number, hash, ascending by node) and
/// the contract checks it against that hash, which costs far less than storing it.
library LineTreeBuilder {
    /// @dev Depths 0…32: `lineCount` fits in 32 bits, so nodes are below 2^33.
    uint256 internal constant DEPTHS = 33;

    /// @dev The frontier in calldata is not a list of (node, hash) pairs ascending by node, of nodes
    /// the tree of `lineCount` lines can hold.
    error LineTreeBuilderBadFrontier();

    /// @dev A waiting slot was taken; never happens for lines in order (a guard, not a rule).
    error LineTreeBuilderSlotTaken(uint256 node);

    struct Builder {
        uint256 lineCount;
        /// The deepest depth D, and the first node at that depth (2^D - 1).
        uint256 deepest;
        uint256 firstDeepNode;
        /// Memory address of the waiting nodes: four words per depth `d`, at `slots + 128 d`: the
        /// waiting left child (odd node, 0 if none), its hash, the waiting right child (even node, 0
        /// if none), its hash.
        uint256 slots;
        /// Set when node 0 formed.
        bytes32 root;
    }

    /// @dev A builder for a tree of `lineCount` lines (at least one), resumed from the frontier `waiting`.
    function resume(uint256 lineCount, bytes32[] memory waiting) internal pure returns (Builder memory b) {
        b.lineCount = lineCount;
        uint256 deepest = depthOf(2 * lineCount - 2);
        b.deepest = deepest;
        b.firstDeepNode = (uint256(1) << deepest) - 1;
        bytes32[] memory slots = new bytes32[](4 * DEPTHS);
        uint256 base;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            base := add(slots, 0x20)
        }
        b.slots = base;
        if (waiting.length % 2 != 0) revert LineTreeBuilderBadFrontier();
        uint256 previous = 0;
        for (uint256 i = 0; i < waiting.length; i += 2) {
            uint256 node = uint256(waiting[i]);
            // Nodes ascending, never the root, inside the tree.
            if (node <= previous || node > 2 * lineCount - 2) revert LineTreeBuilderBadFrontier();
            previous = node;
            // Left children (odd) in words 0 and 1 of their depth, right children in words 2 and 3.
            uint256 k = 4 * depthOf(node) + (node & 1 == 1 ? 0 : 2);
            if (slots[k] != 0) revert LineTreeBuilderBadFrontier();
            slots[k] = bytes32(node);
            slots[k + 1] = waiting[i + 1];
        }
    }

    /// @dev Adds line `index`, whose leaf hash is `leaf`. Lines must come in order, each once; the
    /// caller checks that. This is the algorithm in plain Solidity: RosterLines runs the same steps
    /// inlined in its assembly loop (`RosterLines._addLines`, which leaves out the SlotTaken guard),
    /// and the tests hold both to OpenZeppelin's root.
    function add(Builder memory b, uint256 index, bytes32 leaf) internal pure {
        uint256 node = 2 * b.lineCount - 2 - index;
        uint256 depth = node >= b.firstDeepNode ? b.deepest : b.deepest - 1;
        bytes32 hash = leaf;
        while (node != 0) {
            // The four words of this depth: left child, its hash, right child, its hash.
            uint256 w = b.slots + 128 * depth;
            if (node & 1 == 1) {
                // A left child: its right sibling has arrived, or comes in the second run.
                if (_word(w, 2) != node + 1) {
                    if (_word(w, 0) != 0) revert LineTreeBuilderSlotTaken(node);
                    _set(w, 0, bytes32(node));
                    _set(w, 1, hash);
                    return;
                }
                hash = pairHash(hash, bytes32(_word(w, 3)));
                _set(w, 2, 0);
                node = (node - 1) >> 1;
            } else {
                // A right child: its left sibling is waiting, or arrives next.
                if (_word(w, 0) != node - 1) {
                    if (_word(w, 2) != 0) revert LineTreeBuilderSlotTaken(node);
                    _set(w, 2, bytes32(node));
                    _set(w, 3, hash);
                    return;
                }
                hash = pairHash(bytes32(_word(w, 1)), hash);
                _set(w, 0, 0);
                node = (node - 2) >> 1;
            }
            --depth;
        }
        b.root = hash;
    }

    /// @dev The frontier: the waiting nodes as pairs (node, hash), ascending by node, as `resume` reads them.
    function frontier(Builder memory b) internal pure returns (bytes32[] memory pairs) {
        pairs = new bytes32[](4 * DEPTHS);
        uint256 count = 0;
        uint256 slots = b.slots;
        for (uint256 depth = 0; depth < DEPTHS; ++depth) {
            uint256 first;
            bytes32 firstHash;
            uint256 second;
            bytes32 secondHash;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                let w := add(slots, shl(7, depth))
                first := mload(w)
                firstHash := mload(add(w, 0x20))
                second := mload(add(w, 0x40))
                secondHash := mload(add(w, 0x60))
            }
            if (first == 0 || (second != 0 && second < first)) {
                (first, firstHash, second, secondHash) = (second, secondHash, first, firstHash);
            }
            if (first != 0) {
                (pairs[count], pairs[count + 1]) = (bytes32(first), firstHash);
                count += 2;
            }
            if (second != 0) {
                (pairs[count], pairs[count + 1]) = (bytes32(second), secondHash);
                count += 2;
            }
        }
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(pairs, count)
        }
    }

    /// @dev keccak256 of the frontier's words (`abi.encodePacked(frontier(b))`); the empty frontier
    /// hashes to keccak256("").
    function frontierHash(Builder memory b) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(frontier(b)));
    }

    function _word(uint256 w, uint256 k) private pure returns (uint256 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            value := mload(add(w, shl(5, k)))
        }
    }

    function _set(uint256 w, uint256 k, bytes32 value) private pure {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(add(w, shl(5, k)), value)
        }
    }

    /// @dev floor(log2(node + 1)): the depth of `node`.
    function depthOf(uint256 node) internal pure returns (uint256) {
        return Math.log2(node + 1);
    }

    /// @dev OpenZeppelin's commutative pair hash (smaller word first), in scratch space: no memory is
    /// allocated per pair, so a long chunk's memory does not grow.
    function pairHash(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return Hashes.commutativeKeccak256(a, b);
    }
}
