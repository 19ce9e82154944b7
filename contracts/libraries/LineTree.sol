// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title LineTree
/// @notice Proves a batch of packed roster lines against the roster's root, without proof flags.
/// @dev The roster tree is OpenZeppelin's StandardMerkleTree with leaves in line order: a complete
/// binary tree stored as an array (node `p` has children `2p + 1` and `2p + 2`; the root is node 0),
/// line `i` of `n` at node `2n - 2 - i`, leaves `keccak256(bytes.concat(keccak256(abi.encode(index,
/// household, amount))))`, and pairs hashed sorted (commutative).
///
/// OpenZeppelin's multiproof verifier needs one flag per hash to say whether a node's sibling comes
/// from the batch or from the proof. When the lines come in ascending index order, their nodes come
/// in descending node order, and the flags follow from the node numbers alone: a right child (even
/// node) pairs with the next node of the queue if that node is its left sibling, and any other node
/// pairs with the next proof hash. So the calldata carries only the proof hashes: the same ones, in
/// the same order, as `StandardMerkleTree.getMultiProof` returns for those lines.
///
/// Soundness. A node only ever pairs with its true sibling (by node number) or with a proof hash,
/// and the batch is accepted only when one node remains, it is the root (node 0), it equals `root`,
/// and every proof hash was used. Two entries with the same node number never pair, so a batch out
/// of order or with a line twice leaves an entry behind and is rejected. The fuzz tests
/// (test/sol/LineTree.t.sol) hold it to OpenZeppelin's `MerkleProof.multiProofVerify`, with the
/// flags, on trees that RosterTree rebuilds in Solidity.
library LineTree {
    /// @dev Whether `packedLines` (LinePacking words) and `proof` rebuild `root`, for a roster of
    /// `lineCount` lines. Preconditions, which `Disbursement` checks first: at least one line, indices
    /// strictly ascending and below `lineCount`.
    /// Note: assembly, because this runs once per paid line and Solidity checks the bounds of every
    /// memory array access through a helper call (about 60 gas each, eight per line). The work queue
    /// lives in memory past the free memory pointer, which is not moved: an entry is two words, a
    /// hash and its node number, and the queue is a ring as long as the batch (every step takes at
    /// least one entry and adds one, so it never outgrows the batch).
    // solhint-disable-next-line function-max-lines
    function verify(bytes32 root, uint256 lineCount, uint256[] calldata packedLines, bytes32[] calldata proof)
        internal
        pure
        returns (bool valid)
    {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let first := mload(0x40)
            let end := add(first, shl(6, packedLines.length))

            // The leaves and their node numbers, in line order. The leaf's preimage is written over
            // its own entry and the next one's first word, which nothing has written yet.
            let lastLeafNode := sub(shl(1, lineCount), 2)
            let line := packedLines.offset
            for { let e := first } lt(e, end) { e := add(e, 0x40) } {
                let packed := calldataload(line)
                line := add(line, 0x20)
                let index := shr(192, packed)
                mstore(e, index)
                mstore(add(e, 0x20), and(shr(128, packed), 0xffffffffffffffff))
                mstore(add(e, 0x40), and(packed, 0xffffffffffffffffffffffffffffffff))
                mstore(0x00, keccak256(e, 0x60))
                mstore(e, keccak256(0x00, 0x20))
                mstore(add(e, 0x20), sub(lastLeafNode, index))
            }

            // The queue: the entries from `next` up to `free`, wrapping at `end`. It is full only
            // before the first step; after any step, `next == free` means it is empty.
            let next := first
            let free := first
            let hashes := proof.offset
            let hashesEnd := add(hashes, shl(5, proof.length))
            let hash := 0
            for {} 1 {} {
                let node := mload(add(next, 0x20))
                hash := mload(next)
                next := add(next, 0x40)
                if eq(next, end) { next := first }
                if iszero(node) { break }
                // A right child (even node) pairs with the next entry if that is its left sibling; any
                // other node with the next proof hash. Reading past the proof gives a word that is
                // not a proof hash, and `hashes` then ends past `hashesEnd`, which rejects the batch.
                let sibling := calldataload(hashes)
                switch and(and(iszero(and(node, 1)), iszero(eq(next, free))), eq(mload(add(next, 0x20)), sub(node, 1)))
                case 1 {
                    sibling := mload(next)
                    next := add(next, 0x40)
                    if eq(next, end) { next := first }
                }
                default { hashes := add(hashes, 0x20) }
                // OpenZeppelin's commutative pair hash: the smaller word first.
                let low := xor(hash, mul(xor(hash, sibling), lt(sibling, hash)))
                mstore(0x00, low)
                mstore(0x20, xor(xor(hash, sibling), low))
                mstore(free, keccak256(0x00, 0x40))
                mstore(add(free, 0x20), shr(1, sub(node, 1)))
                free := add(free, 0x40)
                if eq(free, end) { free := first }
            }
            valid := and(and(eq(next, free), eq(hashes, hashesEnd)), eq(hash, root))
        }
    }
}
