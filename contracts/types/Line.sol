// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice One line of a roster: the household (its dense id in the HouseholdRegistry, which is bound
/// one-to-one to the household's private commitment) and the amount in fen.
/// @dev The roster's Merkle root is built over `abi.encode(index, household, amount)` with the leaf
/// encoding of OpenZeppelin's StandardMerkleTree (types `uint32`, `uint64`, `uint128`, leaves not
/// sorted, so that a chunk of consecutive lines has a short multiproof).
struct Line {
    uint32 index;
    uint64 household;
    uint128 amount;
}

/// @notice The file's one compiled unit. A file that declares only a struct compiles to no
/// contract, and a build-info without contracts (Hardhat's isolated production build writes one per
/// file) stops Hardhat's in-process network from loading the project's build-infos. This empty
/// library gives the file an artifact; nothing uses it.
// solhint-disable-next-line no-empty-blocks
library LineType {}
