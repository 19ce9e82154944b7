// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title LinePacking
/// @notice One roster line in one word, for the payout hot path's calldata:
/// bits 192..223 the line index, bits 128..191 the household id, bits 0..127 the amount in fen.
/// Bits 224..255 must be zero.
library LinePacking {
    /// @dev The packed word has bits set above bit 223.
    error LinePackingDirtyBits(uint256 packed);

    /// @dev Splits a packed line into its fields; reverts if the top 32 bits are not zero.
    function unpack(uint256 packed) internal pure returns (uint32 index, uint64 household, uint128 amount) {
        if (packed >> 224 != 0) revert LinePackingDirtyBits(packed);
        index = uint32(packed >> 192);
        household = uint64(packed >> 128);
        amount = uint128(packed);
    }

    /// @dev Packs a line (the inverse of `unpack`).
    function pack(uint32 index, uint64 household, uint128 amount) internal pure returns (uint256) {
        return (uint256(index) << 192) | (uint256(household) << 128) | uint256(amount);
    }
}
