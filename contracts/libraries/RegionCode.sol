// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title RegionCode
/// @notice 12-digit administrative division codes (行政区划代码), held as integers:
/// `PP CC DD TTT VVV` = province, city, county, township, village. A code's level is given by its
/// trailing zero groups; a code is an ancestor of another when it is shallower and a prefix of it.
/// Example: 110101001000 (a township) descends from 110101000000 (its county).
library RegionCode {
    /// @dev Smallest valid code: province "10" with every lower level zero.
    uint64 internal constant MIN = 100_000_000_000;
    /// @dev Largest valid code (12 digits).
    uint64 internal constant MAX = 999_999_999_999;

    uint8 internal constant PROVINCE = 1;
    uint8 internal constant CITY = 2;
    uint8 internal constant COUNTY = 3;
    uint8 internal constant TOWNSHIP = 4;
    uint8 internal constant VILLAGE = 5;

    /// @dev Whether `code` has twelve digits (leading digit non-zero).
    function isValid(uint64 code) internal pure returns (bool) {
        return code >= MIN && code <= MAX;
    }

    /// @dev 1 province, 2 city, 3 county, 4 township, 5 village. Assumes `isValid(code)`.
    function level(uint64 code) internal pure returns (uint8) {
        if (code % 1e10 == 0) return PROVINCE;
        if (code % 1e8 == 0) return CITY;
        if (code % 1e6 == 0) return COUNTY;
        if (code % 1e3 == 0) return TOWNSHIP;
        return VILLAGE;
    }

    /// @dev Whether `ancestor` is a strict ancestor of `descendant` in the division hierarchy.
    function isAncestor(uint64 ancestor, uint64 descendant) internal pure returns (bool) {
        uint8 ancestorLevel = level(ancestor);
        if (ancestorLevel >= level(descendant)) return false;
        uint64 unit = _unit(ancestorLevel);
        return (descendant / unit) * unit == ancestor;
    }

    /// @dev Whether `ancestor` is `code` itself or one of its ancestors: an office of `ancestor` acts
    /// for `code`. Assumes both valid.
    function covers(uint64 ancestor, uint64 code) internal pure returns (bool) {
        return ancestor == code || isAncestor(ancestor, code);
    }

    /// @dev The region at level `lvl` that contains `code` (`code` itself at its own level), or zero
    /// when `lvl` is deeper than `code`'s level or not a level. Example: `at(110101001000, COUNTY)` is
    /// 110101000000.
    function at(uint64 code, uint8 lvl) internal pure returns (uint64) {
        if (lvl == 0 || lvl > level(code)) return 0;
        uint64 unit = _unit(lvl);
        return (code / unit) * unit;
    }

    /// @dev The place value of the digits below `code`'s level: `covers(code, c)` is
    /// `(c / unitOf(code)) * unitOf(code) == code` for any valid `c` (the assembly of the payout loop uses
    /// this form). Assumes `isValid(code)`.
    function unitOf(uint64 code) internal pure returns (uint64) {
        return _unit(level(code));
    }

    /// @dev The place value of the digits below level `lvl` (1e10 for a province, 1 for a village).
    function _unit(uint8 lvl) private pure returns (uint64) {
        if (lvl == PROVINCE) return 1e10;
        if (lvl == CITY) return 1e8;
        if (lvl == COUNTY) return 1e6;
        if (lvl == TOWNSHIP) return 1e3;
        return 1;
    }
}
