// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title BitWords
/// @notice The suite's bitmaps in one place: a storage mapping of 256-bit words holding one bit per
/// item (256 items a word: paid lines, households paid in a programme, suspended and deceased
/// households) or two bits per item (128 items a word: line holds, settlement outcomes). Item `i` is
/// bit `i % 256` of word `i / 256`, or bits `2(i % 128)..2(i % 128) + 1` of word `i / 128`.
/// @dev The views that return whole words (`paidLinesWord`, `holdWord`, …) and the tools that read
/// them rely on this layout. The payout hot path (Disbursement._markPaid) reads and writes the same
/// layout in assembly, one cached word at a time; the pure functions here serve loops that cache a
/// word likewise (`wordOfBit`, `bitIn`, `wordOfPair`, `pairIn`, `withPair`).
library BitWords {
    /// @dev The word holding bit item `i`.
    function wordOfBit(uint256 i) internal pure returns (uint256) {
        return i >> 8;
    }

    /// @dev The word holding two-bit item `i`.
    function wordOfPair(uint256 i) internal pure returns (uint256) {
        return i >> 7;
    }

    /// @dev Whether bit item `i` is set in `word` (the word that holds it).
    function bitIn(uint256 word, uint256 i) internal pure returns (bool) {
        return (word >> (i & 0xff)) & 1 == 1;
    }

    /// @dev Two-bit item `i` in `word` (the word that holds it).
    function pairIn(uint256 word, uint256 i) internal pure returns (uint256) {
        return (word >> ((i & 127) << 1)) & 3;
    }

    /// @dev `word` with two-bit item `i` set to `value` (below 4).
    function withPair(uint256 word, uint256 i, uint256 value) internal pure returns (uint256) {
        uint256 shift = (i & 127) << 1;
        return (word & ~(uint256(3) << shift)) | (value << shift);
    }

    /// @dev Whether bit item `i` is set.
    function isSet(mapping(uint256 => uint256) storage words, uint256 i) internal view returns (bool) {
        return bitIn(words[i >> 8], i);
    }

    /// @dev Sets bit item `i`.
    function set(mapping(uint256 => uint256) storage words, uint256 i) internal {
        words[i >> 8] |= uint256(1) << (i & 0xff);
    }

    /// @dev Clears bit item `i`.
    function clear(mapping(uint256 => uint256) storage words, uint256 i) internal {
        words[i >> 8] &= ~(uint256(1) << (i & 0xff));
    }

    /// @dev Two-bit item `i`.
    function pair(mapping(uint256 => uint256) storage words, uint256 i) internal view returns (uint256) {
        return pairIn(words[i >> 7], i);
    }

    /// @dev Sets two-bit item `i` to `value` (below 4).
    function setPair(mapping(uint256 => uint256) storage words, uint256 i, uint256 value) internal {
        words[i >> 7] = withPair(words[i >> 7], i, value);
    }
}
