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
        return keccak256(bytes.concat(keccak256(abi.encode(line.index, line.household, line.amount))));
    }

    /// @dev Whether `line` belongs to the tree with root `root`, by a single proof.
    function verify(Line calldata line, bytes32[] calldata proof, bytes32 root) internal pure returns (bool) {
        return MerkleProof.verifyCalldata(proof, root, hash(line));
    }
}
