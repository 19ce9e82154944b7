// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {Line} from "../types/Line.sol";

/// @title LineLeaf
/// @notice Merkle leaves of roster lines, in the encoding of OpenZeppelin's StandardMerkleTree
/// (`keccak256(bytes.concat(keccak256(abi.encode(index, household, amount))))`).
library LineLeaf {
    /// @dev Leaf hash of one line; matches `StandardMerkleTree.of(values, ["uint32","uint64","uint128"])`.
    function hash(Line calldata line) internal pure returns (bytes32) {
        return hashOf(line.index, line.household, line.amount);
    }

    /// @dev Leaf hash of the line `(index, household, amount)`, equal to
    /// `keccak256(bytes.concat(keccak256(abi.encode(index, household, amount))))`.
    /// Note: assembly, because `RosterBook.resolveObjections` runs this once per line of a batch and
    /// the Solidity form allocates six words of memory per call, which makes a batch's memory cost
    /// grow with the square of its size. (The payout and listing loops, LineTree.verify and
    /// RosterLines._addLines, hash their leaves inline.) It writes the three words just past the free
    /// memory pointer without moving it (memory no one owns yet) and the inner hash in scratch space
    /// (0x00-0x1f). `testFuzz_hashOf_matchesAbiEncoding` (test/sol/LineLeaf.t.sol) fuzzes it against
    /// the Solidity form.
    function hashOf(uint32 index, uint64 household, uint128 amount) internal pure returns (bytes32 leaf) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, index)
            mstore(add(ptr, 0x20), household)
            mstore(add(ptr, 0x40), amount)
            mstore(0x00, keccak256(ptr, 0x60))
            leaf := keccak256(0x00, 0x20)
        }
    }

    /// @dev Whether `line` belongs to the tree with root `root`, by a single proof.
    function verify(Line calldata line, bytes32[] calldata proof, bytes32 root) internal pure returns (bool) {
        return MerkleProof.verifyCalldata(proof, root, hash(line));
    }
}
