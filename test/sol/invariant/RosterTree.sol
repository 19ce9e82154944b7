// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice OpenZeppelin StandardMerkleTree (`@openzeppelin/merkle-tree`, leaves not sorted) rebuilt in
/// Solidity for the invariant handler: leaves, the tree in array form, single proofs and multiproofs.
/// @dev Array form, as `makeMerkleTree` builds it: a tree of n leaves has 2n-1 nodes, leaf i sits at
/// position len-1-i, and node k is the commutative (sorted-pair) keccak256 of nodes 2k+1 and 2k+2.
/// Written from the library's algorithm, not from the suite's code, so that a disagreement with the
/// contracts' verification shows up as a failed call.
library RosterTree {
    /// @dev `keccak256(bytes.concat(keccak256(abi.encode(index, household, amount))))`.
    function leaf(uint32 index, uint64 household, uint128 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, household, amount))));
    }

    /// @dev OpenZeppelin `Hashes.commutativeKeccak256`: the hash of the sorted pair.
    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    /// @dev The tree over `leaves` (in line order: leaf i is line i).
    function build(bytes32[] memory leaves) internal pure returns (bytes32[] memory tree) {
        uint256 n = leaves.length;
        require(n > 0, "RosterTree: no leaves");
        tree = new bytes32[](2 * n - 1);
        for (uint256 i = 0; i < n; ++i) {
            tree[tree.length - 1 - i] = leaves[i];
        }
        for (uint256 k = tree.length - n; k > 0;) {
            --k;
            tree[k] = hashPair(tree[2 * k + 1], tree[2 * k + 2]);
        }
    }

    /// @dev The single proof of line `lineIndex` (`getProof`): the sibling path from the leaf up.
    function proof(bytes32[] memory tree, uint256 lineIndex) internal pure returns (bytes32[] memory path) {
        uint256 n = (tree.length + 1) / 2;
        require(lineIndex < n, "RosterTree: no such line");
        uint256 pos = tree.length - 1 - lineIndex;
        uint256 depth = 0;
        for (uint256 p = pos; p > 0; p = (p - 1) / 2) ++depth;
        path = new bytes32[](depth);
        for (uint256 d = 0; pos > 0; ++d) {
            path[d] = tree[_sibling(pos)];
            pos = (pos - 1) / 2;
        }
    }

    /// @dev `getMultiProof` for the lines whose bits are set in `lineMask` (bit i: line i). Returns the
    /// leaves in the order the proof consumes them (tree positions descending, which is line order
    /// ascending), the proof and the flags.
    function multiProof(bytes32[] memory tree, uint256 lineMask)
        internal
        pure
        returns (uint32[] memory lines, bytes32[] memory leaves, bytes32[] memory path, bool[] memory flags)
    {
        uint256 n = (tree.length + 1) / 2;
        uint256 count = 0;
        for (uint256 i = 0; i < n; ++i) {
            if ((lineMask >> i) & 1 == 1) ++count;
        }
        require(count > 0, "RosterTree: empty multiproof");
        lines = new uint32[](count);
        leaves = new bytes32[](count);
        // The queue ("stack" in the library) holds tree positions; it never grows past the node count.
        uint256[] memory queue = new uint256[](tree.length + count);
        uint256 head = 0;
        uint256 tail = 0;
        uint256 c = 0;
        for (uint256 i = 0; i < n; ++i) {
            if ((lineMask >> i) & 1 == 1) {
                lines[c] = uint32(i);
                leaves[c] = tree[tree.length - 1 - i];
                queue[tail++] = tree.length - 1 - i; // ascending lines = descending positions
                ++c;
            }
        }
        bytes32[] memory pathBuf = new bytes32[](tree.length);
        bool[] memory flagBuf = new bool[](tree.length);
        uint256 proofLen = 0;
        uint256 flagLen = 0;
        while (head < tail && queue[head] > 0) {
            uint256 j = queue[head++];
            uint256 s = _sibling(j);
            if (head < tail && queue[head] == s) {
                flagBuf[flagLen++] = true;
                ++head;
            } else {
                flagBuf[flagLen++] = false;
                pathBuf[proofLen++] = tree[s];
            }
            queue[tail++] = (j - 1) / 2;
        }
        path = new bytes32[](proofLen);
        for (uint256 i = 0; i < proofLen; ++i) path[i] = pathBuf[i];
        flags = new bool[](flagLen);
        for (uint256 i = 0; i < flagLen; ++i) flags[i] = flagBuf[i];
    }

    function _sibling(uint256 pos) private pure returns (uint256) {
        return pos % 2 == 1 ? pos + 1 : pos - 1;
    }
}
