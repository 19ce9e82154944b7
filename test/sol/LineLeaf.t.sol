// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {QuietTest} from "./QuietBound.sol";

import {LineLeaf} from "../../contracts/libraries/LineLeaf.sol";
import {LinePacking} from "../../contracts/libraries/LinePacking.sol";
import {Line} from "../../contracts/types/Line.sol";

/// @dev Exposes the internal library functions through external calls.
contract LineHarness {
    function hash(Line calldata line) external pure returns (bytes32) {
        return LineLeaf.hash(line);
    }

    function verify(Line calldata line, bytes32[] calldata proof, bytes32 root) external pure returns (bool) {
        return LineLeaf.verify(line, proof, root);
    }

    /// @dev Narrows full words to the field types before hashing: the leaf must only see the low bits.
    function hashOfWide(uint256 index, uint256 household, uint256 amount) external pure returns (bytes32) {
        return LineLeaf.hashOf(uint32(index), uint64(household), uint128(amount));
    }

    /// @dev Hashes a packed line as the payout path does (unpack, then hash).
    function hashOfPacked(uint256 packed) external pure returns (bytes32) {
        (uint32 index, uint64 household, uint128 amount) = LinePacking.unpack(packed);
        return LineLeaf.hashOf(index, household, amount);
    }

    function unpack(uint256 packed) external pure returns (uint32, uint64, uint128) {
        return LinePacking.unpack(packed);
    }

    function pack(uint32 index, uint64 household, uint128 amount) external pure returns (uint256) {
        return LinePacking.pack(index, household, amount);
    }
}

contract LineLeafTest is QuietTest {
    LineHarness internal h;

    function setUp() public {
        h = new LineHarness();
    }

    function _expectedLeaf(uint32 index, uint64 household, uint128 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, household, amount))));
    }

    function _freeMemoryPointer() internal pure returns (uint256 fmp) {
        assembly {
            fmp := mload(0x40)
        }
    }

    function _zeroSlot() internal pure returns (uint256 z) {
        assembly {
            z := mload(0x60)
        }
    }

    // ---------------------------------------------------------------- LineLeaf.hashOf

    function testFuzz_hashOf_matchesAbiEncoding(uint32 index, uint64 household, uint128 amount, bytes32 fill)
        public
        pure
    {
        // Memory allocated before the call, with known content.
        bytes memory guard = new bytes(100);
        for (uint256 i = 0; i < guard.length; i++) {
            guard[i] = fill[i % 32];
        }
        uint256 fmpBefore = _freeMemoryPointer();

        bytes32 leaf = LineLeaf.hashOf(index, household, amount);
        // Read the free memory pointer and the words past it before anything else allocates.
        uint256 fmpAfter;
        uint256 w0;
        uint256 w1;
        uint256 w2;
        assembly {
            fmpAfter := mload(0x40)
            w0 := mload(fmpAfter)
            w1 := mload(add(fmpAfter, 0x20))
            w2 := mload(add(fmpAfter, 0x40))
        }
        // Allocate right over the words hashOf just wrote (nothing in between touches memory), once
        // per kind of allocation: each must read as zero.
        bytes memory fresh = new bytes(96);
        bytes32 leaf2 = LineLeaf.hashOf(index, household, amount);
        uint256[] memory words = new uint256[](3);
        bytes32 leaf3 = LineLeaf.hashOf(index, household, amount);
        Line memory blank;

        // The free memory pointer did not move and no allocated memory changed.
        assertEq(fmpAfter, fmpBefore, "free memory pointer moved");
        // hashOf used the unallocated words at the free memory pointer as its buffer, so the
        // allocations above did face dirty memory.
        assertEq(w0, index, "buffer word 0");
        assertEq(w1, household, "buffer word 1");
        assertEq(w2, amount, "buffer word 2");
        assertEq(guard.length, 100, "guard length changed");
        for (uint256 i = 0; i < guard.length; i++) {
            assertEq(guard[i], fill[i % 32], "guard byte changed");
        }
        assertEq(_zeroSlot(), 0, "zero slot written");

        assertEq(fresh.length, 96, "fresh length");
        for (uint256 i = 0; i < fresh.length; i++) {
            assertEq(fresh[i], bytes1(0), "fresh bytes not zero");
        }
        assertEq(words.length, 3, "fresh array length");
        for (uint256 i = 0; i < words.length; i++) {
            assertEq(words[i], 0, "fresh array not zero");
        }
        assertEq(blank.index, 0);
        assertEq(blank.household, 0);
        assertEq(blank.amount, 0);
        assertEq(leaf2, leaf);
        assertEq(leaf3, leaf);

        // And the leaf is the StandardMerkleTree leaf.
        assertEq(leaf, _expectedLeaf(index, household, amount));
    }

    function test_hashOf_matchesAbiEncoding() public pure {
        bytes32 expected = keccak256(bytes.concat(keccak256(abi.encode(uint32(0), uint64(1), uint128(50000)))));
        assertEq(LineLeaf.hashOf(0, 1, 50000), expected);
        // Computed independently with ethers: keccak256(keccak256(abiCoder.encode(["uint32","uint64","uint128"],[0,1,50000]))).
        assertEq(expected, 0xdbe2ced5a7c50d5cee0baefb030d799e4b4fb7328a77db03faf1ba20acf17074);
        testFuzz_hashOf_matchesAbiEncoding(0, 1, 50000, keccak256("fill"));
        testFuzz_hashOf_matchesAbiEncoding(type(uint32).max, type(uint64).max, type(uint128).max, bytes32(type(uint256).max));
    }

    function testFuzz_hashOf_repeatedCallsAreStable(uint32 index, uint64 household, uint128 amount) public pure {
        bytes32 first = LineLeaf.hashOf(index, household, amount);
        // A different line in between writes the same memory; the next call must not depend on it.
        LineLeaf.hashOf(~index, ~household, ~amount);
        assertEq(LineLeaf.hashOf(index, household, amount), first);
    }

    function test_hashOf_repeatedCallsAreStable() public pure {
        testFuzz_hashOf_repeatedCallsAreStable(7, 42, 1);
    }

    function testFuzz_hashOf_distinguishesFields(uint32 index, uint64 household, uint128 amount) public pure {
        bytes32 leaf = LineLeaf.hashOf(index, household, amount);
        assertNotEq(leaf, LineLeaf.hashOf(index ^ 1, household, amount));
        assertNotEq(leaf, LineLeaf.hashOf(index, household ^ 1, amount));
        assertNotEq(leaf, LineLeaf.hashOf(index, household, amount ^ 1));
    }

    function test_hashOf_distinguishesFields() public pure {
        testFuzz_hashOf_distinguishesFields(0, 1, 50000);
    }

    function testFuzz_hashOf_ignoresBitsAboveFieldWidth(uint256 index, uint256 household, uint256 amount) public view {
        assertEq(
            h.hashOfWide(index, household, amount),
            _expectedLeaf(uint32(index), uint64(household), uint128(amount))
        );
    }

    function test_hashOf_ignoresBitsAboveFieldWidth() public view {
        testFuzz_hashOf_ignoresBitsAboveFieldWidth(type(uint256).max, type(uint256).max, type(uint256).max);
        testFuzz_hashOf_ignoresBitsAboveFieldWidth((1 << 32) | 5, (1 << 64) | 6, (1 << 128) | 7);
    }

    function testFuzz_hashOf_ofUnpackedLineMatchesAbiEncoding(uint32 index, uint64 household, uint128 amount)
        public
        view
    {
        uint256 packed = LinePacking.pack(index, household, amount);
        assertEq(h.hashOfPacked(packed), _expectedLeaf(index, household, amount));
    }

    function test_hashOf_ofUnpackedLineMatchesAbiEncoding() public view {
        testFuzz_hashOf_ofUnpackedLineMatchesAbiEncoding(0, 1, 50000);
    }

    // ---------------------------------------------------------------- LineLeaf.hash / verify

    function testFuzz_hash_equalsHashOf(uint32 index, uint64 household, uint128 amount) public view {
        assertEq(h.hash(Line(index, household, amount)), _expectedLeaf(index, household, amount));
    }

    function test_hash_equalsHashOf() public view {
        testFuzz_hash_equalsHashOf(0, 1, 50000);
    }

    function test_verify_trueForLinesOfATwoLeafTree() public view {
        Line memory a = Line(0, 1, 50000);
        Line memory b = Line(1, 2, 60000);
        bytes32 la = _expectedLeaf(a.index, a.household, a.amount);
        bytes32 lb = _expectedLeaf(b.index, b.household, b.amount);
        bytes32 root = la < lb ? keccak256(abi.encode(la, lb)) : keccak256(abi.encode(lb, la));

        bytes32[] memory proofA = new bytes32[](1);
        proofA[0] = lb;
        bytes32[] memory proofB = new bytes32[](1);
        proofB[0] = la;
        assertTrue(h.verify(a, proofA, root));
        assertTrue(h.verify(b, proofB, root));
    }

    function test_verify_falseForAlteredLine() public view {
        Line memory a = Line(0, 1, 50000);
        Line memory b = Line(1, 2, 60000);
        bytes32 la = _expectedLeaf(a.index, a.household, a.amount);
        bytes32 lb = _expectedLeaf(b.index, b.household, b.amount);
        bytes32 root = la < lb ? keccak256(abi.encode(la, lb)) : keccak256(abi.encode(lb, la));
        bytes32[] memory proofA = new bytes32[](1);
        proofA[0] = lb;
        assertFalse(h.verify(Line(0, 1, 50001), proofA, root));
        assertFalse(h.verify(Line(0, 3, 50000), proofA, root));
        assertFalse(h.verify(Line(2, 1, 50000), proofA, root));
        // The inner node is not a line's leaf: a single-hash leaf is rejected (second-preimage guard).
        assertFalse(h.verify(a, new bytes32[](0), root));
    }

    // ---------------------------------------------------------------- LinePacking

    function testFuzz_pack_unpackRoundTrip(uint32 index, uint64 household, uint128 amount) public view {
        uint256 packed = h.pack(index, household, amount);
        assertEq(packed >> 224, 0, "top bits set");
        assertEq(packed, LinePacking.pack(index, household, amount));
        (uint32 i, uint64 hh, uint128 a) = h.unpack(packed);
        assertEq(i, index);
        assertEq(hh, household);
        assertEq(a, amount);
    }

    function test_pack_unpackRoundTrip() public view {
        testFuzz_pack_unpackRoundTrip(0, 1, 50000);
        testFuzz_pack_unpackRoundTrip(type(uint32).max, type(uint64).max, type(uint128).max);
        assertEq(h.pack(1, 2, 3), (uint256(1) << 192) | (uint256(2) << 128) | 3);
    }

    function testFuzz_unpack_packRoundTrip(uint256 packed) public view {
        packed = packed >> 32; // a clean word: top 32 bits zero
        (uint32 i, uint64 hh, uint128 a) = h.unpack(packed);
        assertEq(h.pack(i, hh, a), packed);
    }

    function test_unpack_packRoundTrip() public view {
        testFuzz_unpack_packRoundTrip(type(uint256).max);
        testFuzz_unpack_packRoundTrip(0);
    }

    function testFuzz_unpack_revertsWhen_topBitsDirty(uint256 packed, uint8 bit) public {
        packed |= uint256(1) << bound(bit, 224, 255);
        vm.expectRevert(abi.encodeWithSelector(LinePacking.LinePackingDirtyBits.selector, packed));
        h.unpack(packed);
    }

    function test_unpack_revertsWhen_topBitsDirty() public {
        testFuzz_unpack_revertsWhen_topBitsDirty(0, 224);
        testFuzz_unpack_revertsWhen_topBitsDirty(0, 255);
        testFuzz_unpack_revertsWhen_topBitsDirty(LinePacking.pack(0, 1, 50000), 240);
        vm.expectRevert(abi.encodeWithSelector(LinePacking.LinePackingDirtyBits.selector, type(uint256).max));
        h.unpack(type(uint256).max);
    }

    function test_unpack_acceptsHighestCleanBit() public view {
        (uint32 i, uint64 hh, uint128 a) = h.unpack(uint256(1) << 223);
        assertEq(i, uint32(1) << 31);
        assertEq(hh, 0);
        assertEq(a, 0);
    }
}
