// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {QuietTest} from "./QuietBound.sol";

import {LinePacking} from "../../contracts/libraries/LinePacking.sol";
import {LineTree} from "../../contracts/libraries/LineTree.sol";
import {RosterTree} from "./invariant/RosterTree.sol";

/// @dev Exposes LineTree.verify through an external call (calldata arguments, as in the payout).
contract LineTreeHarness {
    function verify(bytes32 root, uint256 lineCount, uint256[] calldata packedLines, bytes32[] calldata proof)
        external
        pure
        returns (bool valid, uint256 freeMemoryMoved)
    {
        uint256 before;
        assembly {
            before := mload(0x40)
        }
        valid = LineTree.verify(root, lineCount, packedLines, proof);
        uint256 afterwards;
        assembly {
            afterwards := mload(0x40)
        }
        freeMemoryMoved = afterwards - before;
    }

    /// @dev OpenZeppelin's verifier, with the flags, for comparison.
    function verifyWithFlags(bytes32[] calldata proof, bool[] calldata flags, bytes32 root, bytes32[] memory leaves)
        external
        pure
        returns (bool)
    {
        return MerkleProof.multiProofVerify(proof, flags, root, leaves);
    }
}

/// @notice LineTree, the flagless multiproof of the payout path, against RosterTree (OpenZeppelin's
/// StandardMerkleTree rebuilt in Solidity) and OpenZeppelin's own multiproof verifier.
contract LineTreeTest is QuietTest {
    LineTreeHarness internal h;

    function setUp() public {
        h = new LineTreeHarness();
    }

    /// @dev A roster of `n` lines with households and amounts drawn from `seed`, and its tree.
    function _roster(uint256 n, uint256 seed)
        internal
        pure
        returns (uint64[] memory households, uint128[] memory amounts, bytes32[] memory tree)
    {
        households = new uint64[](n);
        amounts = new uint128[](n);
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            households[i] = uint64(uint256(keccak256(abi.encode(seed, "household", i))) % 1_000_000) + 1;
            amounts[i] = uint128(uint256(keccak256(abi.encode(seed, "amount", i))) % 2_000_000) + 1;
            leaves[i] = RosterTree.leaf(uint32(i), households[i], amounts[i]);
        }
        tree = RosterTree.build(leaves);
    }

    /// @dev The batch of lines in `mask`, packed in ascending order, with its multiproof.
    function _batch(uint256 n, uint256 seed, uint256 mask)
        internal
        pure
        returns (bytes32 root, uint256[] memory packed, bytes32[] memory proof, bool[] memory flags, bytes32[] memory leaves)
    {
        (uint64[] memory households, uint128[] memory amounts, bytes32[] memory tree) = _roster(n, seed);
        uint32[] memory lines;
        (lines, leaves, proof, flags) = RosterTree.multiProof(tree, mask);
        packed = new uint256[](lines.length);
        for (uint256 k = 0; k < lines.length; ++k) {
            packed[k] = LinePacking.pack(lines[k], households[lines[k]], amounts[lines[k]]);
        }
        root = tree[0];
    }

    function _mask(uint256 n, uint256 seed) internal pure returns (uint256 mask) {
        mask = seed & ((uint256(1) << n) - 1);
        if (mask == 0) mask = 1 << (seed % n);
    }

    // ------------------------------------------------------------------------------- accepts

    function testFuzz_verify_acceptsEveryBatchOpenZeppelinAccepts(uint256 nSeed, uint256 seed, uint256 maskSeed) public view {
        uint256 n = bound(nSeed, 1, 80);
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof, bool[] memory flags, bytes32[] memory leaves) =
            _batch(n, seed, _mask(n, maskSeed));
        assertTrue(h.verifyWithFlags(proof, flags, root, leaves), "OpenZeppelin accepts the batch");
        (bool valid, uint256 moved) = h.verify(root, n, packed, proof);
        assertTrue(valid, "LineTree accepts the batch");
        assertEq(moved, 0, "the free memory pointer is not moved");
    }

    function test_verify_acceptsAOneLineRoster() public view {
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(1, 7, 1);
        assertEq(proof.length, 0);
        (bool valid,) = h.verify(root, 1, packed, proof);
        assertTrue(valid);
    }

    function test_verify_acceptsEveryLineOfARoster() public view {
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(37, 3, (uint256(1) << 37) - 1);
        assertEq(proof.length, 0, "a whole roster needs no proof hash");
        (bool valid,) = h.verify(root, 37, packed, proof);
        assertTrue(valid);
    }

    function test_verify_acceptsLinesOnBothLevelsOfAnUnevenTree() public view {
        // 5 lines: lines 0 and 1 sit one level below lines 2, 3 and 4.
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(5, 11, 0x15); // lines 0, 2, 4
        (bool valid,) = h.verify(root, 5, packed, proof);
        assertTrue(valid);
    }

    // ------------------------------------------------------------------------------- rejects

    function testFuzz_verify_rejectsAChangedLine(uint256 nSeed, uint256 seed, uint256 maskSeed, uint256 which, uint8 field)
        public
        view
    {
        uint256 n = bound(nSeed, 1, 64);
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(n, seed, _mask(n, maskSeed));
        uint256 k = which % packed.length;
        // Flip one bit of the household or the amount (the index is checked by the payout before).
        packed[k] ^= field % 2 == 0 ? uint256(1) << 128 : 1;
        (bool valid,) = h.verify(root, n, packed, proof);
        assertFalse(valid);
    }

    function test_verify_rejectsAChangedAmount() public view {
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(8, 5, 0x0f);
        packed[2] += 1;
        (bool valid,) = h.verify(root, 8, packed, proof);
        assertFalse(valid);
    }

    function testFuzz_verify_rejectsAMissingOrExtraProofHash(uint256 nSeed, uint256 seed, uint256 maskSeed, bool extra)
        public
        view
    {
        uint256 n = bound(nSeed, 2, 64);
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(n, seed, _mask(n, maskSeed));
        if (!extra && proof.length == 0) return; // nothing to drop: the whole roster
        bytes32[] memory other = new bytes32[](extra ? proof.length + 1 : proof.length - 1);
        for (uint256 i = 0; i < other.length && i < proof.length; ++i) other[i] = proof[i];
        if (extra) other[proof.length] = keccak256("one hash too many");
        (bool valid,) = h.verify(root, n, packed, other);
        assertFalse(valid);
    }

    function test_verify_rejectsAnExtraProofHash() public view {
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(6, 2, 0x01);
        bytes32[] memory other = new bytes32[](proof.length + 1);
        for (uint256 i = 0; i < proof.length; ++i) other[i] = proof[i];
        (bool valid,) = h.verify(root, 6, packed, other);
        assertFalse(valid);
    }

    function testFuzz_verify_rejectsLinesOutOfOrder(uint256 nSeed, uint256 seed, uint256 maskSeed, uint256 which) public view {
        uint256 n = bound(nSeed, 2, 64);
        uint256 mask = _mask(n, maskSeed);
        if (mask & (mask - 1) == 0) mask |= mask == 1 ? 2 : 1; // at least two lines
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(n, seed, mask);
        uint256 k = which % (packed.length - 1);
        (packed[k], packed[k + 1]) = (packed[k + 1], packed[k]);
        (bool valid,) = h.verify(root, n, packed, proof);
        assertFalse(valid);
    }

    function test_verify_rejectsTwoLinesSwapped() public view {
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(4, 9, 0x0a); // lines 1 and 3
        (packed[0], packed[1]) = (packed[1], packed[0]);
        (bool valid,) = h.verify(root, 4, packed, proof);
        assertFalse(valid);
    }

    function testFuzz_verify_rejectsALineTwice(uint256 nSeed, uint256 seed, uint256 maskSeed, uint256 which) public view {
        uint256 n = bound(nSeed, 1, 64);
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(n, seed, _mask(n, maskSeed));
        uint256 k = which % packed.length;
        uint256[] memory twice = new uint256[](packed.length + 1);
        for (uint256 i = 0; i <= k; ++i) twice[i] = packed[i];
        for (uint256 i = k; i < packed.length; ++i) twice[i + 1] = packed[i];
        (bool valid,) = h.verify(root, n, twice, proof);
        assertFalse(valid);
    }

    function test_verify_rejectsTheOnlyLineTwice() public view {
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(1, 4, 1);
        uint256[] memory twice = new uint256[](2);
        (twice[0], twice[1]) = (packed[0], packed[0]);
        (bool valid,) = h.verify(root, 1, twice, proof);
        assertFalse(valid);
    }

    function test_verify_rejectsAnotherRootOrLineCount() public view {
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(10, 8, 0x30);
        (bool valid,) = h.verify(bytes32(uint256(root) ^ 1), 10, packed, proof);
        assertFalse(valid, "another root");
        (valid,) = h.verify(root, 11, packed, proof);
        assertFalse(valid, "another line count");
    }

    /// @notice Soundness against arbitrary input: whenever LineTree accepts lines in ascending order,
    /// each one is exactly the roster's line at its index.
    function testFuzz_verify_acceptsOnlyTheRostersOwnLines(
        uint256 nSeed,
        uint256 seed,
        uint256 maskSeed,
        bytes32[3] memory noise,
        uint256 how
    ) public view {
        uint256 n = bound(nSeed, 1, 32);
        (bytes32 root, uint256[] memory packed, bytes32[] memory proof,,) = _batch(n, seed, _mask(n, maskSeed));
        // Corrupt the proof in one of several ways, or not at all.
        uint256 mode = how % 4;
        if (mode == 1 && proof.length > 0) proof[how % proof.length] = noise[0];
        if (mode == 2 && proof.length > 1) (proof[0], proof[1]) = (proof[1], proof[0]);
        if (mode == 3) packed[how % packed.length] = LinePacking.pack(
            uint32(packed[how % packed.length] >> 192), uint64(uint256(noise[1])), uint128(uint256(noise[2]))
        );
        (bool valid,) = h.verify(root, n, packed, proof);
        if (!valid) return;
        (uint64[] memory households, uint128[] memory amounts,) = _roster(n, seed);
        for (uint256 k = 0; k < packed.length; ++k) {
            (uint32 index, uint64 household, uint128 amount) = LinePacking.unpack(packed[k]);
            assertEq(household, households[index], "an accepted line is the roster's line");
            assertEq(amount, amounts[index], "an accepted amount is the roster's amount");
        }
    }
}
