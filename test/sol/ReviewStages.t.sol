// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {QuietTest} from "./QuietBound.sol";

import {ReviewStages} from "../../contracts/libraries/ReviewStages.sol";

/// @dev Exposes the internal library functions through external calls.
contract ReviewStagesHarness {
    function isValid(uint256 stages) external pure returns (bool) {
        return ReviewStages.isValid(stages);
    }

    function count(uint256 stages) external pure returns (uint256) {
        return ReviewStages.count(stages);
    }

    function stage(uint256 stages, uint256 i) external pure returns (uint8 department, uint8 lvl) {
        return ReviewStages.stage(stages, i);
    }

    function isOrdered(uint256 stages) external pure returns (bool) {
        return ReviewStages.isOrdered(stages);
    }

    function levelWithoutOffice(uint256 stages, uint64 rosterRegion) external pure returns (uint8) {
        return ReviewStages.levelWithoutOffice(stages, rosterRegion);
    }

    function stageOf(uint256 stages, uint8 department, uint64 officeRegion, uint64 rosterRegion)
        external
        pure
        returns (bool found, uint8 index)
    {
        return ReviewStages.stageOf(stages, department, officeRegion, rosterRegion);
    }
}

contract ReviewStagesTest is QuietTest {
    // Made-up but well-formed codes: PP CC DD TTT VVV.
    uint64 internal constant PROVINCE = 110000000000;
    uint64 internal constant CITY = 110100000000;
    uint64 internal constant COUNTY = 110101000000;
    uint64 internal constant TOWNSHIP = 110101001000;
    uint64 internal constant VILLAGE = 110101001002;
    uint64 internal constant OTHER_COUNTY = 110102000000;
    uint64 internal constant OTHER_TOWNSHIP = 110101002000;
    /// @dev The township of the same number in another county.
    uint64 internal constant TWIN_TOWNSHIP = 110102001000;

    uint8 internal constant CIVIL = 0;
    uint8 internal constant RURAL = 1;
    uint8 internal constant FINANCE = 2;

    uint8 internal constant L_PROVINCE = 1;
    uint8 internal constant L_CITY = 2;
    uint8 internal constant L_COUNTY = 3;
    uint8 internal constant L_TOWNSHIP = 4;
    uint8 internal constant L_VILLAGE = 5;

    uint256 internal constant ORDERED = uint256(1) << 255;

    /// @dev The natspec's example: (civil affairs, township), (civil affairs, county), (finance,
    /// county), in order.
    uint256 internal constant EXAMPLE = ORDERED | 0x0302_0300_0400;
    /// @dev SuiteFixture's stages: departments 0, 1 and 2 at county level, any order.
    uint256 internal constant FIXTURE = 0x0302_0301_0300;

    ReviewStagesHarness internal h;

    function setUp() public {
        h = new ReviewStagesHarness();
    }

    // ---------------------------------------------------------------- helpers

    /// @dev Stage (`department`, `lvl`) placed at index `i`.
    function _at(uint256 i, uint8 department, uint8 lvl) internal pure returns (uint256) {
        return ((uint256(lvl) << 8) | department) << (16 * i);
    }

    /// @dev Eight distinct stages: department i at level (i % 5) + 1.
    function _eight() internal pure returns (uint256 stages) {
        for (uint256 i = 0; i < 8; ++i) {
            stages |= _at(i, uint8(i), uint8(i % 5) + 1);
        }
    }

    /// @dev `n` (1–8) distinct stages from fuzz input: department `base + i * step` (step odd, so
    /// the departments are distinct) at a level in 1–5.
    function _wellFormed(uint8 n, uint256 seed)
        internal
        pure
        returns (uint256 stages, uint8[8] memory departments, uint8[8] memory levels)
    {
        uint8 base = uint8(seed);
        uint8 step = uint8(seed >> 8) | 1;
        for (uint256 i = 0; i < n; ++i) {
            unchecked {
                departments[i] = base + uint8(i) * step;
            }
            levels[i] = uint8((seed >> (16 + 8 * i)) % 5) + 1;
            stages |= _at(i, departments[i], levels[i]);
        }
    }

    /// @dev Replaces the 16 bits of stage `i`.
    function _set(uint256 stages, uint256 i, uint256 raw) internal pure returns (uint256) {
        return (stages & ~(uint256(0xffff) << (16 * i))) | (raw << (16 * i));
    }

    function _unit(uint8 lvl) internal pure returns (uint64) {
        return lvl == 1 ? 1e10 : lvl == 2 ? 1e8 : lvl == 3 ? 1e6 : lvl == 4 ? 1e3 : 1;
    }

    function _truncate(uint64 code, uint8 lvl) internal pure returns (uint64) {
        uint64 unit = _unit(lvl);
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

    /// @dev Another region at `code`'s level `lvl`, under the same parent: its lowest group moved by one.
    function _sibling(uint64 code, uint8 lvl) internal pure returns (uint64) {
        uint64 unit = _unit(lvl);
        uint64 top = lvl >= 4 ? 999 : 99;
        uint64 group = (code / unit) % (top + 1);
        return group == top ? code - unit : code + unit;
    }

    function _assertStageOf(uint256 stages, uint8 department, uint64 office, uint64 roster, bool found, uint8 index)
        internal
        view
    {
        (bool f, uint8 i) = h.stageOf(stages, department, office, roster);
        assertEq(f, found, "found");
        assertEq(i, index, "index");
    }

    function _assertNoStage(uint256 stages, uint8 department, uint64 office, uint64 roster) internal view {
        _assertStageOf(stages, department, office, roster, false, 0);
    }

    // ---------------------------------------------------------------- isValid: well formed

    function test_isValid_oneStage() public view {
        assertTrue(h.isValid(0x0100)); // department 0, province
        assertTrue(h.isValid(0x0500)); // department 0, village
        assertTrue(h.isValid(0x05ff)); // department 255, village
        assertTrue(h.isValid(ORDERED | 0x0300));
    }

    function test_isValid_examples() public view {
        assertTrue(h.isValid(EXAMPLE));
        assertTrue(h.isValid(EXAMPLE & ~ORDERED));
        assertTrue(h.isValid(FIXTURE));
        assertTrue(h.isValid(FIXTURE | ORDERED));
    }

    function test_isValid_eightStages() public view {
        assertTrue(h.isValid(_eight()));
        assertTrue(h.isValid(_eight() | ORDERED));
    }

    function test_isValid_sameDepartmentOrLevelTwiceIsNotADuplicate() public view {
        assertTrue(h.isValid(0x0400_0300)); // one department at two levels
        assertTrue(h.isValid(0x0301_0300)); // two departments at one level
        assertTrue(h.isValid(0x0301_0103)); // (3, province) and (1, county): bytes swapped
    }

    // ---------------------------------------------------------------- isValid: malformed

    function test_isValid_falseWhen_noStage() public view {
        assertFalse(h.isValid(0));
        assertFalse(h.isValid(ORDERED));
    }

    function test_isValid_falseWhen_departmentWithoutLevel() public view {
        assertFalse(h.isValid(0x0001)); // stage 0: department 1, level 0
        assertFalse(h.isValid(0x00ff));
        assertFalse(h.isValid(ORDERED | 0x0001));
        assertFalse(h.isValid(0x0001_0300)); // a department byte after the last stage
        assertFalse(h.isValid(0x0007_0000_0000_0300)); // ... two slots after it
        // Seven stages, then a department byte where the eighth would be.
        assertFalse(h.isValid(_set(_eight(), 7, 0x0007)));
        assertTrue(h.isValid(_set(_eight(), 7, 0))); // seven stages alone are fine
    }

    function test_isValid_falseWhen_gap() public view {
        assertFalse(h.isValid(0x0300_0000)); // stage 0 empty, stage 1 set
        assertFalse(h.isValid(0x0300_0000_0301)); // stage 1 empty between two
        assertFalse(h.isValid(_at(7, 3, 3) | 0x0100)); // stage 7 after one stage
        assertFalse(h.isValid(_set(_eight(), 3, 0))); // a hole among eight
        assertFalse(h.isValid(ORDERED | 0x0300_0000_0301));
    }

    function test_isValid_falseWhen_levelAboveVillage() public view {
        assertFalse(h.isValid(0x0600));
        assertFalse(h.isValid(0xff00));
        assertFalse(h.isValid(0x0600_0300)); // the second stage's level
        assertFalse(h.isValid(_set(_eight(), 7, 0x0607))); // the eighth stage's level
        assertTrue(h.isValid(_set(_eight(), 7, 0x0507)));
    }

    function test_isValid_falseWhen_duplicateStage() public view {
        assertFalse(h.isValid(0x0302_0302));
        assertFalse(h.isValid(0x0302_0401_0302)); // not adjacent
        assertFalse(h.isValid(ORDERED | 0x0302_0302));
        assertFalse(h.isValid(_set(_eight(), 7, 0x0100))); // the eighth repeats the first
    }

    function test_isValid_falseWhen_strayBit() public view {
        uint256 eight = _eight();
        for (uint256 b = 128; b <= 254; ++b) {
            assertFalse(h.isValid(0x0300 | (uint256(1) << b)));
            assertFalse(h.isValid(eight | (uint256(1) << b)));
            assertFalse(h.isValid(ORDERED | eight | (uint256(1) << b)));
        }
        // A ninth stage, well formed as a stage, is stray bits too.
        assertFalse(h.isValid(eight | _at(8, 9, 3)));
        // Bit 255 is the order flag, not a stray bit.
        assertTrue(h.isValid(eight | (uint256(1) << 255)));
    }

    // ---------------------------------------------------------------- count, stage, isOrdered

    function test_count() public view {
        assertEq(h.count(0), 0);
        assertEq(h.count(ORDERED), 0);
        assertEq(h.count(0x0100), 1);
        assertEq(h.count(FIXTURE), 3);
        assertEq(h.count(FIXTURE | ORDERED), 3);
        assertEq(h.count(EXAMPLE), 3);
        assertEq(h.count(_eight()), 8);
        assertEq(h.count(_set(_eight(), 7, 0)), 7);
    }

    function test_count_stopsAtTheFirstLevelZero() public view {
        assertEq(h.count(0x0300_0000_0301), 1);
        assertEq(h.count(0x0001_0300), 1); // a department byte is not a stage
        assertEq(h.count(0x0300_0000), 0);
        assertEq(h.count(0x0001), 0);
    }

    function test_count_atMostEight() public view {
        assertEq(h.count(_eight() | _at(8, 9, 3)), 8);
        assertEq(h.count(type(uint256).max), 8);
    }

    function test_stage() public view {
        uint8 department;
        uint8 lvl;
        (department, lvl) = h.stage(EXAMPLE, 0);
        assertEq(department, CIVIL);
        assertEq(lvl, L_TOWNSHIP);
        (department, lvl) = h.stage(EXAMPLE, 1);
        assertEq(department, CIVIL);
        assertEq(lvl, L_COUNTY);
        (department, lvl) = h.stage(EXAMPLE, 2);
        assertEq(department, FINANCE);
        assertEq(lvl, L_COUNTY);
        (department, lvl) = h.stage(EXAMPLE, 3);
        assertEq(department, 0);
        assertEq(lvl, 0);
        (department, lvl) = h.stage(0x05ff, 0);
        assertEq(department, 255);
        assertEq(lvl, L_VILLAGE);
        uint256 eight = _eight() | ORDERED;
        for (uint256 i = 0; i < 8; ++i) {
            (department, lvl) = h.stage(eight, i);
            assertEq(department, i);
            assertEq(lvl, (i % 5) + 1);
        }
    }

    function test_isOrdered() public view {
        assertTrue(h.isOrdered(EXAMPLE));
        assertTrue(h.isOrdered(ORDERED));
        assertFalse(h.isOrdered(FIXTURE));
        assertFalse(h.isOrdered(EXAMPLE & ~ORDERED));
        assertFalse(h.isOrdered(FIXTURE | (uint256(1) << 254))); // only bit 255 is the flag
    }

    // ---------------------------------------------------------------- levelWithoutOffice

    function test_levelWithoutOffice_zeroWhenEveryStageHasARegion() public view {
        assertEq(h.levelWithoutOffice(EXAMPLE, TOWNSHIP), 0);
        assertEq(h.levelWithoutOffice(EXAMPLE, VILLAGE), 0);
        assertEq(h.levelWithoutOffice(FIXTURE, COUNTY), 0);
        assertEq(h.levelWithoutOffice(FIXTURE, TWIN_TOWNSHIP), 0);
        assertEq(h.levelWithoutOffice(0x0100, PROVINCE), 0);
        assertEq(h.levelWithoutOffice(_eight(), VILLAGE), 0);
    }

    function test_levelWithoutOffice_namesAStageAboveWhichTheRosterLies() public view {
        // A county roster has no township office; a township roster no village office.
        assertEq(h.levelWithoutOffice(EXAMPLE, COUNTY), L_TOWNSHIP);
        assertEq(h.levelWithoutOffice(0x0500, TOWNSHIP), L_VILLAGE);
        // The first such stage is named, wherever it stands.
        assertEq(h.levelWithoutOffice(0x0200_0501_0300, COUNTY), L_VILLAGE);
        assertEq(h.levelWithoutOffice(_eight(), CITY), L_COUNTY);
    }

    function test_levelWithoutOffice_namesALevelTheDivisionSkips() public view {
        // Dongguan-style: a township directly under a city has no county (its county group is zero).
        uint64 townshipUnderCity = 441900003000;
        assertEq(h.levelWithoutOffice(0x0300, townshipUnderCity), L_COUNTY);
        assertEq(h.levelWithoutOffice(ORDERED | 0x0200_0400, townshipUnderCity), 0);
    }

    // ---------------------------------------------------------------- stageOf

    function test_stageOf_findsEachStageOfATownshipRoster() public view {
        _assertStageOf(EXAMPLE, CIVIL, TOWNSHIP, TOWNSHIP, true, 0);
        _assertStageOf(EXAMPLE, CIVIL, COUNTY, TOWNSHIP, true, 1);
        _assertStageOf(EXAMPLE, FINANCE, COUNTY, TOWNSHIP, true, 2);
    }

    function test_stageOf_findsEachStageOfAVillageRoster() public view {
        _assertStageOf(EXAMPLE, CIVIL, TOWNSHIP, VILLAGE, true, 0);
        _assertStageOf(EXAMPLE, CIVIL, COUNTY, VILLAGE, true, 1);
        _assertStageOf(EXAMPLE, FINANCE, COUNTY, VILLAGE, true, 2);
    }

    function test_stageOf_sameAnswerOrderedOrNot() public view {
        _assertStageOf(EXAMPLE & ~ORDERED, FINANCE, COUNTY, TOWNSHIP, true, 2);
        _assertStageOf(FIXTURE, RURAL, COUNTY, VILLAGE, true, 1);
        _assertStageOf(FIXTURE | ORDERED, RURAL, COUNTY, VILLAGE, true, 1);
    }

    function test_stageOf_falseWhen_wrongDepartment() public view {
        _assertNoStage(EXAMPLE, RURAL, COUNTY, TOWNSHIP); // no rural stage at all
        _assertNoStage(EXAMPLE, FINANCE, TOWNSHIP, TOWNSHIP); // finance reviews at the county only
        _assertNoStage(EXAMPLE, 255, COUNTY, TOWNSHIP);
    }

    function test_stageOf_falseWhen_noStageAtTheOfficeLevel() public view {
        // Ancestors of the roster, of a department that reviews, but at levels with no stage.
        _assertNoStage(EXAMPLE, CIVIL, CITY, TOWNSHIP);
        _assertNoStage(EXAMPLE, CIVIL, PROVINCE, TOWNSHIP);
        _assertNoStage(EXAMPLE, FINANCE, CITY, VILLAGE);
    }

    function test_stageOf_falseWhen_officeBelowTheRosterRegion() public view {
        // A township office has no say over a county's roster, though (civil, township) is a stage.
        _assertNoStage(EXAMPLE, CIVIL, TOWNSHIP, COUNTY);
        // A village office, with a village stage, over its township's roster.
        uint256 stages = 0x0500_0400;
        _assertStageOf(stages, CIVIL, VILLAGE, VILLAGE, true, 1);
        _assertNoStage(stages, CIVIL, VILLAGE, TOWNSHIP);
    }

    function test_stageOf_falseWhen_otherRegion() public view {
        // A sibling township of the roster's.
        _assertNoStage(EXAMPLE, CIVIL, OTHER_TOWNSHIP, TOWNSHIP);
        _assertNoStage(EXAMPLE, CIVIL, OTHER_TOWNSHIP, VILLAGE);
        // A different county, and a township of it numbered like the roster's.
        _assertNoStage(EXAMPLE, CIVIL, OTHER_COUNTY, TOWNSHIP);
        _assertNoStage(EXAMPLE, FINANCE, OTHER_COUNTY, VILLAGE);
        _assertNoStage(EXAMPLE, CIVIL, TWIN_TOWNSHIP, TOWNSHIP);
        _assertNoStage(EXAMPLE, CIVIL, TWIN_TOWNSHIP, VILLAGE);
    }

    function test_stageOf_findsTheEighthStage() public view {
        _assertStageOf(_eight(), 7, COUNTY, VILLAGE, true, 7); // department 7 at level (7 % 5) + 1
        _assertStageOf(_eight(), 4, VILLAGE, VILLAGE, true, 4);
    }

    function test_stageOf_onlyLooksAtStages() public view {
        // Stage 2 lies past a gap: not a stage.
        _assertNoStage(0x0301_0000_0300, RURAL, COUNTY, TOWNSHIP);
        _assertStageOf(0x0301_0000_0300, CIVIL, COUNTY, TOWNSHIP, true, 0);
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_wellFormed(uint8 n, uint256 seed, bool ordered) public view {
        n = uint8(bound(n, 1, 8));
        (uint256 stages, uint8[8] memory departments, uint8[8] memory levels) = _wellFormed(n, seed);
        if (ordered) stages |= ORDERED;

        assertTrue(h.isValid(stages), "valid");
        assertEq(h.count(stages), n, "count");
        assertEq(h.isOrdered(stages), ordered, "ordered");
        uint8 deepest;
        for (uint256 i = 0; i < n; ++i) {
            (uint8 department, uint8 lvl) = h.stage(stages, i);
            assertEq(department, departments[i], "department");
            assertEq(lvl, levels[i], "level");
            if (lvl > deepest) deepest = lvl;
        }
        // A village roster has a region at every level; a province roster at none below it.
        assertEq(h.levelWithoutOffice(stages, VILLAGE), 0, "village roster");
        assertEq(h.levelWithoutOffice(stages, PROVINCE) == 0, deepest == L_PROVINCE, "province roster");
    }

    function test_wellFormed_concrete() public view {
        testFuzz_wellFormed(1, 0, false);
        testFuzz_wellFormed(8, type(uint256).max, true);
        testFuzz_wellFormed(3, 0x0102_0304_0506_0708, false);
    }

    /// @dev Breaks a well-formed encoding in one of five ways; each makes it invalid.
    function testFuzz_isValid_falseWhenBroken(uint8 n, uint256 seed, bool ordered, uint8 how, uint256 where)
        public
        view
    {
        n = uint8(bound(n, 1, 8));
        (uint256 stages,,) = _wellFormed(n, seed);
        if (ordered) stages |= ORDERED;
        how = how % 5;
        if (how == 0) {
            // A stray bit.
            stages |= uint256(1) << bound(where, 128, 254);
        } else if (how == 1) {
            // A stage repeated: after the last one, or over the eighth.
            uint256 raw = (stages >> (16 * (where % n))) & 0xffff;
            if (n < 8) stages = _set(stages, n, raw);
            else stages = _set(stages, 7, (stages >> (16 * (where % 7))) & 0xffff);
        } else if (how == 2) {
            // A level past the village.
            uint256 i = where % n;
            uint256 lvl = bound(where >> 8, 6, 255);
            stages = _set(stages, i, (lvl << 8) | ((stages >> (16 * i)) & 0xff));
        } else if (how == 3) {
            // A gap: a stage emptied before the last, or a stage after an empty one.
            if (n >= 2) stages = _set(stages, where % (n - 1), 0);
            else stages = _set(stages, bound(where, 2, 7), 0x0100);
        } else {
            // A department byte with no level, after the last stage (or in place of the eighth).
            uint256 dept = bound(where >> 8, 1, 255);
            stages = n < 8 ? _set(stages, bound(where, n, 7), dept) : _set(stages, 7, dept);
        }
        assertFalse(h.isValid(stages));
    }

    function test_isValid_falseWhenBroken_concrete() public view {
        for (uint8 how = 0; how < 5; ++how) {
            testFuzz_isValid_falseWhenBroken(1, 42, false, how, 0x0104);
            testFuzz_isValid_falseWhenBroken(8, 42, true, how, 0x0203);
        }
    }

    /// @dev For a roster at level `rosterLevel` of a random village's line: each stage at that level or
    /// above is found, at its index, for the office of its department at the roster's ancestor of its
    /// level; a stage below the roster's level is found for no office on the line; a sibling region
    /// or an absent department never finds a stage.
    function testFuzz_stageOf_findsTheOneOfficeOfEachStage(
        uint64 p,
        uint64 c,
        uint64 d,
        uint64 t,
        uint64 v,
        uint8 rosterLevel,
        uint8 n,
        uint256 seed
    ) public view {
        uint64 village = _village(p, c, d, t, v);
        rosterLevel = uint8(bound(rosterLevel, 1, 5));
        uint64 roster = _truncate(village, rosterLevel);
        n = uint8(bound(n, 1, 8));
        (uint256 stages, uint8[8] memory departments, uint8[8] memory levels) = _wellFormed(n, seed);

        for (uint256 i = 0; i < n; ++i) {
            uint64 office = _truncate(village, levels[i]);
            if (levels[i] <= rosterLevel) _assertStageOf(stages, departments[i], office, roster, true, uint8(i));
            else _assertNoStage(stages, departments[i], office, roster);
            _assertNoStage(stages, departments[i], _sibling(office, levels[i]), roster);
        }
        // Departments base + i * step are distinct for i < 9 (step odd): the ninth is in no stage.
        uint8 absent;
        unchecked {
            absent = uint8(seed) + 8 * (uint8(seed >> 8) | 1);
        }
        for (uint8 lvl = 1; lvl <= rosterLevel; ++lvl) {
            _assertNoStage(stages, absent, _truncate(village, lvl), roster);
        }
    }

    function test_stageOf_findsTheOneOfficeOfEachStage_concrete() public view {
        testFuzz_stageOf_findsTheOneOfficeOfEachStage(11, 1, 1, 1, 2, 4, 3, 0);
        testFuzz_stageOf_findsTheOneOfficeOfEachStage(99, 99, 99, 999, 999, 5, 8, type(uint256).max);
        testFuzz_stageOf_findsTheOneOfficeOfEachStage(11, 1, 1, 1, 2, 2, 8, 0x0102_0304_0506_0708);
    }
}
