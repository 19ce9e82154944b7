// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {RegionCode} from "./RegionCode.sol";

/// @title ReviewStages
/// @notice A programme's review stages packed in one word, so that a roster copies them at submission
/// in one slot. Stage `i` (0 ≤ i < 8) is the 16 bits at `16 * i`: the low byte is the reviewing
/// department, the high byte the administrative level of the office that reviews (1 province …
/// 5 village, see RegionCode). Stages are contiguous from stage 0; a level of zero ends them. The top
/// bit set means the stages run in order: stage `i` approves only after stages `0 … i-1`.
/// Example: village collects, township reviews, county approves (村级采集—乡镇审核—县级审批) for a roster
/// of a township is, in order, (civil affairs, township), (civil affairs, county), (finance, county).
/// @dev The reviewing office of stage (d, L) for a roster of region R is the office of department d
/// bound to `RegionCode.at(R, L)`: the one ancestor (or R itself) at level L. So each stage of each
/// roster has exactly one office.
library ReviewStages {
    uint256 internal constant MAX_STAGES = 8;
    uint256 internal constant ORDERED = uint256(1) << 255;
    /// @dev Bits that must be zero: between the eighth stage and the order flag.
    uint256 private constant _UNUSED = ((uint256(1) << 255) - 1) & ~((uint256(1) << 128) - 1);

    /// @dev Whether `stages` is well formed: one to eight contiguous stages with levels 1–5, no two
    /// alike, no stray bits.
    function isValid(uint256 stages) internal pure returns (bool) {
        if (stages & _UNUSED != 0) return false;
        uint256 n = count(stages);
        if (n == 0) return false;
        for (uint256 i = 0; i < MAX_STAGES; ++i) {
            uint256 raw = (stages >> (16 * i)) & 0xffff;
            if (i >= n) {
                if (raw != 0) return false; // a department byte after the last stage
                continue;
            }
            if ((raw >> 8) > RegionCode.VILLAGE) return false;
            for (uint256 j = 0; j < i; ++j) {
                if ((stages >> (16 * j)) & 0xffff == raw) return false;
            }
        }
        return true;
    }

    /// @dev The number of stages: those before the first stage of level zero.
    function count(uint256 stages) internal pure returns (uint256 n) {
        while (n < MAX_STAGES && (stages >> (16 * n + 8)) & 0xff != 0) ++n;
    }

    /// @dev Department and level of stage `i`.
    function stage(uint256 stages, uint256 i) internal pure returns (uint8 department, uint8 lvl) {
        uint256 raw = stages >> (16 * i);
        return (uint8(raw), uint8(raw >> 8));
    }

    /// @dev Whether the stages run in order.
    function isOrdered(uint256 stages) internal pure returns (bool) {
        return stages & ORDERED != 0;
    }

    /// @dev The level of the first stage that has no office for a roster of `rosterRegion`, or zero
    /// when every stage has one: a stage at level L needs the region at level L that contains the
    /// roster's region. There is none when the roster's region lies above L, or when its division has
    /// no region at level L (a township directly under a city, as in Dongguan, has no county:
    /// `RegionCode.at` gives the city, which is not at county level). Assumes `rosterRegion` valid.
    function levelWithoutOffice(uint256 stages, uint64 rosterRegion) internal pure returns (uint8) {
        uint256 n = count(stages);
        for (uint256 i = 0; i < n; ++i) {
            (, uint8 lvl) = stage(stages, i);
            uint64 officeRegion = RegionCode.at(rosterRegion, lvl);
            if (officeRegion == 0 || RegionCode.level(officeRegion) != lvl) return lvl;
        }
        return 0;
    }

    /// @dev The stage that an office of `department` at `officeRegion` reviews for a roster of
    /// `rosterRegion`, and whether there is one.
    function stageOf(uint256 stages, uint8 department, uint64 officeRegion, uint64 rosterRegion)
        internal
        pure
        returns (bool found, uint8 index)
    {
        uint8 lvl = RegionCode.level(officeRegion);
        if (RegionCode.at(rosterRegion, lvl) != officeRegion) return (false, 0);
        uint256 wanted = (uint256(lvl) << 8) | department;
        uint256 n = count(stages);
        for (uint256 i = 0; i < n; ++i) {
            if ((stages >> (16 * i)) & 0xffff == wanted) return (true, uint8(i));
        }
        return (false, 0);
    }
}
