// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BitWords} from "../../contracts/libraries/BitWords.sol";

import {QuietTest} from "./QuietBound.sol";

/// @dev The library over a storage mapping, as the suite's contracts use it.
contract BitWordsHarness {
    using BitWords for mapping(uint256 => uint256);

    mapping(uint256 => uint256) public words;

    function set(uint256 i) external {
        words.set(i);
    }

    function clear(uint256 i) external {
        words.clear(i);
    }

    function isSet(uint256 i) external view returns (bool) {
        return words.isSet(i);
    }

    function setPair(uint256 i, uint256 value) external {
        words.setPair(i, value);
    }

    function pair(uint256 i) external view returns (uint256) {
        return words.pair(i);
    }
}

contract BitWordsTest is QuietTest {
    BitWordsHarness internal h;

    function setUp() public {
        h = new BitWordsHarness();
    }

    function test_bits_layout_itemIIsBitIModulo256OfWordIDividedBy256() public {
        h.set(0);
        h.set(255);
        h.set(256);
        h.set(600);
        assertEq(h.words(0), (uint256(1) << 255) | 1);
        assertEq(h.words(1), 1);
        assertEq(h.words(2), uint256(1) << (600 - 512));
        h.clear(255);
        assertEq(h.words(0), 1);
        assertTrue(h.isSet(0) && h.isSet(256) && h.isSet(600));
        assertFalse(h.isSet(255) || h.isSet(1) || h.isSet(601));
    }

    function test_pairs_layout_itemIIsBits2IModulo128OfWordIDividedBy128() public {
        h.setPair(0, 1);
        h.setPair(127, 2);
        h.setPair(128, 3);
        assertEq(h.words(0), (uint256(2) << 254) | 1);
        assertEq(h.words(1), 3);
        h.setPair(127, 1); // overwrites both bits, touches no neighbour
        assertEq(h.words(0), (uint256(1) << 254) | 1);
        assertEq(h.pair(0), 1);
        assertEq(h.pair(127), 1);
        assertEq(h.pair(128), 3);
        assertEq(h.pair(129), 0);
    }

    /// @dev Set and clear items of a small range against a plain boolean model.
    function testFuzz_bits_matchAModel(uint256[16] calldata ops) public {
        bool[512] memory model;
        for (uint256 k = 0; k < ops.length; ++k) {
            uint256 i = ops[k] % 512;
            if ((ops[k] >> 16) & 1 == 1) {
                h.set(i);
                model[i] = true;
            } else {
                h.clear(i);
                model[i] = false;
            }
        }
        for (uint256 i = 0; i < 512; ++i) assertEq(h.isSet(i), model[i]);
    }

    /// @dev Write pairs of a small range against a plain model; neighbours never change.
    function testFuzz_pairs_matchAModel(uint256[16] calldata ops) public {
        uint256[256] memory model;
        for (uint256 k = 0; k < ops.length; ++k) {
            uint256 i = ops[k] % 256;
            uint256 value = (ops[k] >> 16) % 4;
            h.setPair(i, value);
            model[i] = value;
        }
        for (uint256 i = 0; i < 256; ++i) assertEq(h.pair(i), model[i]);
    }

    function test_pureHelpers_agreeWithStorage() public {
        h.setPair(300, 2);
        h.set(700);
        assertEq(BitWords.pairIn(h.words(BitWords.wordOfPair(300)), 300), 2);
        assertTrue(BitWords.bitIn(h.words(BitWords.wordOfBit(700)), 700));
        assertEq(BitWords.withPair(0, 5, 3), uint256(3) << 10);
    }
}
