// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {QuietTest} from "./QuietBound.sol";

import {RegionCode} from "../../contracts/libraries/RegionCode.sol";

/// @dev Exposes the internal library functions through external calls.
contract RegionCodeHarness {
    function isValid(uint64 code) external pure returns (bool) {
        return RegionCode.isValid(code);
    }

    function level(uint64 code) external pure returns (uint8) {
        return RegionCode.level(code);
    }

    function isAncestor(uint64 ancestor, uint64 descendant) external pure returns (bool) {
        return RegionCode.isAncestor(ancestor, descendant);
    }

    function covers(uint64 ancestor, uint64 code) external pure returns (bool) {
        return RegionCode.covers(ancestor, code);
    }

    function at(uint64 code, uint8 lvl) external pure returns (uint64) {
        return RegionCode.at(code, lvl);
    }
}

contract RegionCodeTest is QuietTest {
    // Made-up but well-formed codes: PP CC DD TTT VVV.
    uint64 internal constant PROVINCE = 110000000000;
    uint64 internal constant CITY = 110100000000;
    uint64 internal constant COUNTY = 110101000000;
    uint64 internal constant TOWNSHIP = 110101001000;
    uint64 internal constant VILLAGE = 110101001002;

    uint64 internal constant OTHER_PROVINCE = 120000000000;
    uint64 internal constant OTHER_CITY = 110200000000;
    uint64 internal constant OTHER_COUNTY = 110102000000;
    uint64 internal constant OTHER_TOWNSHIP = 110101002000;
    uint64 internal constant OTHER_VILLAGE = 110101001003;

    RegionCodeHarness internal h;

    function setUp() public {
        h = new RegionCodeHarness();
    }

    // ---------------------------------------------------------------- isValid

    function test_isValid_falseFor11Digits() public view {
        assertFalse(h.isValid(99_999_999_999));
        assertFalse(h.isValid(11_010_100_100)); // an 11-digit "code" (village code with a digit dropped)
    }

    function test_isValid_trueFor12Digits() public view {
        assertTrue(h.isValid(100_000_000_000)); // smallest
        assertTrue(h.isValid(999_999_999_999)); // largest
        assertTrue(h.isValid(PROVINCE));
        assertTrue(h.isValid(CITY));
        assertTrue(h.isValid(COUNTY));
        assertTrue(h.isValid(TOWNSHIP));
        assertTrue(h.isValid(VILLAGE));
    }

    function test_isValid_falseFor13Digits() public view {
        assertFalse(h.isValid(1_000_000_000_000));
        assertFalse(h.isValid(1_101_010_010_020));
    }

    function test_isValid_falseForZero() public view {
        assertFalse(h.isValid(0));
    }

    function test_isValid_falseForMaxUint64() public view {
        assertFalse(h.isValid(type(uint64).max));
    }

    function testFuzz_isValid_iffTwelveDigits(uint64 code) public view {
        bool twelveDigits = code >= 1e11 && code < 1e12;
        assertEq(h.isValid(code), twelveDigits);
    }

    function test_isValid_iffTwelveDigits_concrete() public view {
        testFuzz_isValid_iffTwelveDigits(99_999_999_999);
        testFuzz_isValid_iffTwelveDigits(100_000_000_000);
        testFuzz_isValid_iffTwelveDigits(999_999_999_999);
        testFuzz_isValid_iffTwelveDigits(1_000_000_000_000);
    }

    // ---------------------------------------------------------------- level

    function test_level_province() public view {
        assertEq(h.level(PROVINCE), RegionCode.PROVINCE);
        assertEq(h.level(PROVINCE), 1);
    }

    function test_level_city() public view {
        assertEq(h.level(CITY), RegionCode.CITY);
        assertEq(h.level(CITY), 2);
    }

    function test_level_county() public view {
        assertEq(h.level(COUNTY), RegionCode.COUNTY);
        assertEq(h.level(COUNTY), 3);
    }

    function test_level_township() public view {
        assertEq(h.level(TOWNSHIP), RegionCode.TOWNSHIP);
        assertEq(h.level(TOWNSHIP), 4);
    }

    function test_level_village() public view {
        assertEq(h.level(VILLAGE), RegionCode.VILLAGE);
        assertEq(h.level(VILLAGE), 5);
    }

    function test_level_trailingZeroWithinGroupDoesNotRaiseLevel() public view {
        // Groups ending in zero digits (10, 100, 010) are still non-zero groups.
        assertEq(h.level(110110000000), RegionCode.COUNTY); // county "10"
        assertEq(h.level(110101100000), RegionCode.TOWNSHIP); // township "100"
        assertEq(h.level(110101001100), RegionCode.VILLAGE); // village "100"
        assertEq(h.level(111000000000), RegionCode.CITY); // city "10"
    }

    function testFuzz_level_matchesTrailingZeroGroups(uint64 code) public view {
        code = uint64(bound(code, RegionCode.MIN, RegionCode.MAX));
        uint8 expected;
        if (code % 1e10 == 0) expected = 1;
        else if (code % 1e8 == 0) expected = 2;
        else if (code % 1e6 == 0) expected = 3;
        else if (code % 1e3 == 0) expected = 4;
        else expected = 5;
        uint8 lvl = h.level(code);
        assertEq(lvl, expected);
        assertGe(lvl, 1);
        assertLe(lvl, 5);
    }

    function test_level_matchesTrailingZeroGroups_concrete() public view {
        testFuzz_level_matchesTrailingZeroGroups(PROVINCE);
        testFuzz_level_matchesTrailingZeroGroups(CITY);
        testFuzz_level_matchesTrailingZeroGroups(COUNTY);
        testFuzz_level_matchesTrailingZeroGroups(TOWNSHIP);
        testFuzz_level_matchesTrailingZeroGroups(VILLAGE);
    }

    // ---------------------------------------------------------------- isAncestor

    function test_isAncestor_trueForEachDirectParent() public view {
        assertTrue(h.isAncestor(PROVINCE, CITY));
        assertTrue(h.isAncestor(CITY, COUNTY));
        assertTrue(h.isAncestor(COUNTY, TOWNSHIP));
        assertTrue(h.isAncestor(TOWNSHIP, VILLAGE));
    }

    function test_isAncestor_trueWhenSkippingLevels() public view {
        assertTrue(h.isAncestor(COUNTY, VILLAGE));
        assertTrue(h.isAncestor(CITY, TOWNSHIP));
        assertTrue(h.isAncestor(CITY, VILLAGE));
        assertTrue(h.isAncestor(PROVINCE, COUNTY));
        assertTrue(h.isAncestor(PROVINCE, VILLAGE));
    }

    function test_isAncestor_falseForSameCode() public view {
        assertFalse(h.isAncestor(PROVINCE, PROVINCE));
        assertFalse(h.isAncestor(COUNTY, COUNTY));
        assertFalse(h.isAncestor(VILLAGE, VILLAGE));
    }

    function test_isAncestor_falseForSiblings() public view {
        assertFalse(h.isAncestor(TOWNSHIP, OTHER_TOWNSHIP));
        assertFalse(h.isAncestor(OTHER_TOWNSHIP, TOWNSHIP));
        assertFalse(h.isAncestor(VILLAGE, OTHER_VILLAGE));
        assertFalse(h.isAncestor(COUNTY, OTHER_COUNTY));
        assertFalse(h.isAncestor(PROVINCE, OTHER_PROVINCE));
    }

    function test_isAncestor_falseFromDeeperToShallower() public view {
        assertFalse(h.isAncestor(CITY, PROVINCE));
        assertFalse(h.isAncestor(TOWNSHIP, COUNTY));
        assertFalse(h.isAncestor(VILLAGE, TOWNSHIP));
        assertFalse(h.isAncestor(VILLAGE, COUNTY));
        assertFalse(h.isAncestor(VILLAGE, PROVINCE));
    }

    function test_isAncestor_falseForDifferentPrefix() public view {
        assertFalse(h.isAncestor(OTHER_PROVINCE, CITY));
        assertFalse(h.isAncestor(OTHER_CITY, COUNTY));
        assertFalse(h.isAncestor(OTHER_COUNTY, TOWNSHIP));
        assertFalse(h.isAncestor(OTHER_COUNTY, VILLAGE));
        assertFalse(h.isAncestor(OTHER_TOWNSHIP, VILLAGE));
        // A village of another township of the same county.
        assertFalse(h.isAncestor(TOWNSHIP, 110101002002));
    }

    /// @dev Truncates `code` to the level `lvl` (zeroes the digits below it).
    function _truncate(uint64 code, uint8 lvl) internal pure returns (uint64) {
        uint64 unit = lvl == 1 ? 1e10 : lvl == 2 ? 1e8 : lvl == 3 ? 1e6 : lvl == 4 ? 1e3 : 1;
        return (code / unit) * unit;
    }

    /// @dev A well-formed village code from fuzz input: every group non-zero.
    function _village(uint64 p, uint64 c, uint64 d, uint64 t, uint64 v) internal pure returns (uint64) {
        p = uint64(bound(p, 10, 99));
        c = uint64(bound(c, 1, 99));
        d = uint64(bound(d, 1, 99));
        t = uint64(bound(t, 1, 999));
        v = uint64(bound(v, 1, 999));
        return p * 1e10 + c * 1e8 + d * 1e6 + t * 1e3 + v;
    }

    function testFuzz_isAncestor_truncationsAreAncestors(uint64 p, uint64 c, uint64 d, uint64 t, uint64 v)
        public
        view
    {
        uint64 village = _village(p, c, d, t, v);
        assertTrue(h.isValid(village));
        assertEq(h.level(village), RegionCode.VILLAGE);
        for (uint8 lvl = 1; lvl <= 4; lvl++) {
            uint64 ancestor = _truncate(village, lvl);
            assertTrue(h.isValid(ancestor));
            assertEq(h.level(ancestor), lvl);
            assertTrue(h.isAncestor(ancestor, village));
            assertFalse(h.isAncestor(village, ancestor));
            // Every shallower truncation is an ancestor of this one too.
            for (uint8 upper = 1; upper < lvl; upper++) {
                assertTrue(h.isAncestor(_truncate(village, upper), ancestor));
                assertFalse(h.isAncestor(ancestor, _truncate(village, upper)));
            }
        }
    }

    function test_isAncestor_truncationsAreAncestors_concrete() public view {
        // Bound keeps in-range inputs as they are: 11 01 01 001 002.
        testFuzz_isAncestor_truncationsAreAncestors(11, 1, 1, 1, 2);
    }

    function testFuzz_isAncestor_irreflexive(uint64 code) public view {
        code = uint64(bound(code, RegionCode.MIN, RegionCode.MAX));
        assertFalse(h.isAncestor(code, code));
    }

    function test_isAncestor_irreflexive_concrete() public view {
        testFuzz_isAncestor_irreflexive(PROVINCE);
        testFuzz_isAncestor_irreflexive(CITY);
        testFuzz_isAncestor_irreflexive(COUNTY);
        testFuzz_isAncestor_irreflexive(TOWNSHIP);
        testFuzz_isAncestor_irreflexive(VILLAGE);
    }

    function testFuzz_isAncestor_antisymmetric(uint64 a, uint64 b) public view {
        a = uint64(bound(a, RegionCode.MIN, RegionCode.MAX));
        b = uint64(bound(b, RegionCode.MIN, RegionCode.MAX));
        _assertAntisymmetric(a, b);
    }

    /// @dev Fuzzes over codes that share prefixes, where ancestry actually occurs.
    function testFuzz_isAncestor_antisymmetricOnRelatedCodes(
        uint64 p,
        uint64 c,
        uint64 d,
        uint64 t,
        uint64 v,
        uint8 la,
        uint8 lb
    ) public view {
        uint64 village = _village(p, c, d, t, v);
        uint64 a = _truncate(village, uint8(bound(la, 1, 5)));
        uint64 b = _truncate(village, uint8(bound(lb, 1, 5)));
        _assertAntisymmetric(a, b);
        // Truncations of one code are comparable: exactly one direction holds unless equal.
        if (a == b) assertFalse(h.isAncestor(a, b));
        else assertTrue(h.isAncestor(a, b) != h.isAncestor(b, a));
    }

    function _assertAntisymmetric(uint64 a, uint64 b) internal view {
        bool ab = h.isAncestor(a, b);
        bool ba = h.isAncestor(b, a);
        assertFalse(ab && ba, "both directions");
        if (ab) assertLt(h.level(a), h.level(b));
        if (ba) assertLt(h.level(b), h.level(a));
    }

    function test_isAncestor_antisymmetric_concrete() public view {
        testFuzz_isAncestor_antisymmetric(COUNTY, VILLAGE);
        testFuzz_isAncestor_antisymmetric(TOWNSHIP, OTHER_TOWNSHIP);
        testFuzz_isAncestor_antisymmetricOnRelatedCodes(11, 1, 1, 1, 2, 3, 5);
        testFuzz_isAncestor_antisymmetricOnRelatedCodes(11, 1, 1, 1, 2, 4, 4);
    }

    function testFuzz_isAncestor_transitive(uint64 p, uint64 c, uint64 d, uint64 t, uint64 v, uint8 seed)
        public
        view
    {
        uint64 village = _village(p, c, d, t, v);
        uint8 l1 = uint8(bound(seed % 3, 1, 3));
        uint8 l2 = l1 + 1;
        uint8 l3 = 5;
        uint64 a = _truncate(village, l1);
        uint64 b = _truncate(village, l2);
        uint64 x = _truncate(village, l3);
        assertTrue(h.isAncestor(a, b));
        assertTrue(h.isAncestor(b, x));
        assertTrue(h.isAncestor(a, x));
    }

    function test_isAncestor_transitive_concrete() public view {
        testFuzz_isAncestor_transitive(11, 1, 1, 1, 2, 0);
        testFuzz_isAncestor_transitive(11, 1, 1, 1, 2, 1);
        testFuzz_isAncestor_transitive(11, 1, 1, 1, 2, 2);
    }

    function testFuzz_isAncestor_falseAcrossDifferentPrefixes(uint64 p, uint64 c, uint64 d, uint64 t, uint64 v, uint8 lvl)
        public
        view
    {
        uint64 village = _village(p, c, d, t, v);
        uint8 l = uint8(bound(lvl, 1, 4));
        uint64 ancestor = _truncate(village, l);
        // Change one digit of the ancestor's own lowest group: a different region at the same level.
        uint64 unit = l == 1 ? 1e10 : l == 2 ? 1e8 : l == 3 ? 1e6 : 1e3;
        uint64 groupMod = l == 1 ? 90 : l == 4 ? 999 : 99; // size of the group minus one
        uint64 group = (ancestor / unit) % (l == 1 ? 100 : l == 4 ? 1000 : 100);
        uint64 otherGroup = l == 1 ? ((group - 10 + 1) % groupMod) + 10 : (group % groupMod) + 1;
        assertTrue(otherGroup != group);
        uint64 other = ancestor - group * unit + otherGroup * unit;
        assertTrue(h.isValid(other));
        assertEq(h.level(other), l);
        assertFalse(h.isAncestor(other, village));
    }

    function test_isAncestor_falseAcrossDifferentPrefixes_concrete() public view {
        testFuzz_isAncestor_falseAcrossDifferentPrefixes(11, 1, 1, 1, 2, 1);
        testFuzz_isAncestor_falseAcrossDifferentPrefixes(11, 1, 1, 1, 2, 2);
        testFuzz_isAncestor_falseAcrossDifferentPrefixes(11, 1, 1, 1, 2, 3);
        testFuzz_isAncestor_falseAcrossDifferentPrefixes(11, 1, 1, 1, 2, 4);
    }

    // ---------------------------------------------------------------- covers

    function test_covers_trueForSameCode() public view {
        assertTrue(h.covers(PROVINCE, PROVINCE));
        assertTrue(h.covers(CITY, CITY));
        assertTrue(h.covers(COUNTY, COUNTY));
        assertTrue(h.covers(TOWNSHIP, TOWNSHIP));
        assertTrue(h.covers(VILLAGE, VILLAGE));
    }

    function test_covers_trueForStrictAncestors() public view {
        assertTrue(h.covers(PROVINCE, CITY));
        assertTrue(h.covers(PROVINCE, VILLAGE));
        assertTrue(h.covers(CITY, TOWNSHIP));
        assertTrue(h.covers(COUNTY, TOWNSHIP));
        assertTrue(h.covers(COUNTY, VILLAGE));
        assertTrue(h.covers(TOWNSHIP, VILLAGE));
    }

    function test_covers_falseForDescendantsSiblingsAndStrangers() public view {
        // Deeper to shallower.
        assertFalse(h.covers(VILLAGE, TOWNSHIP));
        assertFalse(h.covers(TOWNSHIP, COUNTY));
        assertFalse(h.covers(CITY, PROVINCE));
        // Siblings.
        assertFalse(h.covers(TOWNSHIP, OTHER_TOWNSHIP));
        assertFalse(h.covers(VILLAGE, OTHER_VILLAGE));
        assertFalse(h.covers(COUNTY, OTHER_COUNTY));
        // Different prefixes.
        assertFalse(h.covers(OTHER_PROVINCE, VILLAGE));
        assertFalse(h.covers(OTHER_CITY, COUNTY));
        assertFalse(h.covers(OTHER_COUNTY, TOWNSHIP));
        assertFalse(h.covers(OTHER_TOWNSHIP, VILLAGE));
        // The township of the same number in another county.
        assertFalse(h.covers(110102001000, VILLAGE));
    }

    function testFuzz_covers_isEqualOrAncestor(uint64 a, uint64 b) public view {
        a = uint64(bound(a, RegionCode.MIN, RegionCode.MAX));
        b = uint64(bound(b, RegionCode.MIN, RegionCode.MAX));
        assertEq(h.covers(a, b), a == b || h.isAncestor(a, b));
        assertTrue(h.covers(a, a));
    }

    function test_covers_isEqualOrAncestor_concrete() public view {
        testFuzz_covers_isEqualOrAncestor(COUNTY, COUNTY);
        testFuzz_covers_isEqualOrAncestor(COUNTY, VILLAGE);
        testFuzz_covers_isEqualOrAncestor(VILLAGE, COUNTY);
    }

    /// @dev On one village's line: the truncation at level `la` covers the one at `lb` iff la ≤ lb.
    function testFuzz_covers_alongALine(uint64 p, uint64 c, uint64 d, uint64 t, uint64 v, uint8 la, uint8 lb)
        public
        view
    {
        uint64 village = _village(p, c, d, t, v);
        la = uint8(bound(la, 1, 5));
        lb = uint8(bound(lb, 1, 5));
        assertEq(h.covers(_truncate(village, la), _truncate(village, lb)), la <= lb);
    }

    function test_covers_alongALine_concrete() public view {
        testFuzz_covers_alongALine(11, 1, 1, 1, 2, 3, 3);
        testFuzz_covers_alongALine(11, 1, 1, 1, 2, 3, 5);
        testFuzz_covers_alongALine(11, 1, 1, 1, 2, 5, 3);
    }

    // ---------------------------------------------------------------- at

    function test_at_eachLevelOfAVillage() public view {
        assertEq(h.at(VILLAGE, RegionCode.PROVINCE), PROVINCE);
        assertEq(h.at(VILLAGE, RegionCode.CITY), CITY);
        assertEq(h.at(VILLAGE, RegionCode.COUNTY), COUNTY);
        assertEq(h.at(VILLAGE, RegionCode.TOWNSHIP), TOWNSHIP);
        assertEq(h.at(VILLAGE, RegionCode.VILLAGE), VILLAGE);
    }

    function test_at_ownLevelIsTheCodeItself() public view {
        assertEq(h.at(PROVINCE, 1), PROVINCE);
        assertEq(h.at(CITY, 2), CITY);
        assertEq(h.at(COUNTY, 3), COUNTY);
        assertEq(h.at(TOWNSHIP, 4), TOWNSHIP);
        assertEq(h.at(VILLAGE, 5), VILLAGE);
        assertEq(h.at(TOWNSHIP, 3), COUNTY);
        assertEq(h.at(COUNTY, 1), PROVINCE);
    }

    function test_at_zeroWhenDeeperThanTheCode() public view {
        assertEq(h.at(COUNTY, RegionCode.TOWNSHIP), 0);
        assertEq(h.at(COUNTY, RegionCode.VILLAGE), 0);
        assertEq(h.at(PROVINCE, RegionCode.CITY), 0);
        assertEq(h.at(TOWNSHIP, RegionCode.VILLAGE), 0);
    }

    function test_at_zeroWhenNotALevel() public view {
        assertEq(h.at(VILLAGE, 0), 0);
        assertEq(h.at(PROVINCE, 0), 0);
        assertEq(h.at(VILLAGE, 6), 0);
        assertEq(h.at(VILLAGE, type(uint8).max), 0);
    }

    function test_at_groupsEndingInZero() public view {
        // Township "100" of county 110101: its county is 110101000000, it is its own township.
        assertEq(h.at(110101100000, RegionCode.COUNTY), COUNTY);
        assertEq(h.at(110101100000, RegionCode.TOWNSHIP), 110101100000);
        assertEq(h.at(110101100000, RegionCode.VILLAGE), 0);
        // County "10" of city 1101.
        assertEq(h.at(110110000000, RegionCode.CITY), CITY);
        assertEq(h.at(110110000000, RegionCode.TOWNSHIP), 0);
    }

    /// @dev On a village's line, `at` is the truncation to the level, an ancestor-or-self of the
    /// village at that level; past the village's level there is none.
    function testFuzz_at_isTheTruncation(uint64 p, uint64 c, uint64 d, uint64 t, uint64 v, uint8 lvl) public view {
        uint64 village = _village(p, c, d, t, v);
        lvl = uint8(bound(lvl, 1, 5));
        uint64 region = h.at(village, lvl);
        assertEq(region, _truncate(village, lvl));
        assertTrue(h.isValid(region));
        assertEq(h.level(region), lvl);
        assertTrue(h.covers(region, village));
        // Every level from the region's own up to the village agrees on the region's ancestors.
        for (uint8 upper = 1; upper <= lvl; upper++) {
            assertEq(h.at(region, upper), h.at(village, upper));
        }
    }

    function test_at_isTheTruncation_concrete() public view {
        testFuzz_at_isTheTruncation(11, 1, 1, 1, 2, 1);
        testFuzz_at_isTheTruncation(11, 1, 1, 1, 2, 4);
        testFuzz_at_isTheTruncation(99, 99, 99, 999, 999, 5);
    }

    function testFuzz_at_zeroPastTheCodeLevel(uint64 code, uint8 depth, uint8 lvl) public view {
        // A code no deeper than a township (random codes are nearly all villages).
        code = _truncate(uint64(bound(code, RegionCode.MIN, RegionCode.MAX)), uint8(bound(depth, 1, 4)));
        uint8 own = h.level(code);
        lvl = uint8(bound(lvl, own + 1, type(uint8).max));
        assertEq(h.at(code, lvl), 0);
        assertEq(h.at(code, own), code);
        assertEq(h.at(code, 0), 0);
    }

    function test_at_zeroPastTheCodeLevel_concrete() public view {
        testFuzz_at_zeroPastTheCodeLevel(COUNTY, 3, 4);
        testFuzz_at_zeroPastTheCodeLevel(PROVINCE, 1, 2);
        testFuzz_at_zeroPastTheCodeLevel(TOWNSHIP, 4, 5);
    }
}
