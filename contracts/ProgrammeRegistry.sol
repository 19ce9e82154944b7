// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;


import {Guarded} from "./governance/Guarded.sol";
import {IProgrammeRegistry} from "./interfaces/IProgrammeRegistry.sol";
import {RegionCode} from "./libraries/RegionCode.sol";
import {ReviewStages} from "./libraries/ReviewStages.sol";

/// @title ProgrammeRegistry
/// @notice Subsidy programmes and their terms.
contract ProgrammeRegistry is IProgrammeRegistry, Guarded {
    /// @dev Longest publicity period accepted (a guard against typing milliseconds for seconds).
    uint32 public constant MAX_PUBLICITY_PERIOD = 90 days;
    /// @dev Longest payout period accepted: a fiscal year.
    uint32 public constant MAX_PAYOUT_PERIOD = 366 days;

    StatutoryFloors private _floors;
    uint64 private _programmeCount;
    mapping(uint64 programmeId => Programme) private _programmes;
    mapping(bytes32 earmarkCode => mapping(uint32 fiscalPeriod => uint64 programmeId)) private _idOf;

    constructor(address authority, StatutoryFloors memory floors) Guarded(authority) {
        _setFloors(floors);
    }

    /// @inheritdoc IProgrammeRegistry
    function setStatutoryFloors(StatutoryFloors calldata floors) external restricted whenNotPaused {
        _setFloors(floors);
    }

    /// @inheritdoc IProgrammeRegistry
    function statutoryFloors() external view returns (StatutoryFloors memory) {
        return _floors;
    }

    /// @inheritdoc IProgrammeRegistry
    function createProgramme(
        bytes32 earmarkCode,
        uint32 fiscalPeriod,
        uint64 rootRegion,
        Terms calldata terms
    ) external restricted whenNotPaused returns (uint64 programmeId) {
        if (earmarkCode == bytes32(0)) revert ProgrammeRegistryInvalidTerm("earmarkCode");
        if (fiscalPeriod == 0) revert ProgrammeRegistryInvalidTerm("fiscalPeriod");
        if (!RegionCode.isValid(rootRegion)) revert ProgrammeRegistryInvalidRegion(rootRegion);
        uint64 existing = _idOf[earmarkCode][fiscalPeriod];
        if (existing != 0) revert ProgrammeRegistryDuplicate(earmarkCode, fiscalPeriod, existing);
        _checkTerms(terms);

        programmeId = ++_programmeCount;
        _idOf[earmarkCode][fiscalPeriod] = programmeId;
        Programme storage p = _programmes[programmeId];
        p.earmarkCode = earmarkCode;
        p.fiscalPeriod = fiscalPeriod;
        p.rootRegion = rootRegion;
        p.createdAt = uint40(block.timestamp);
        p.terms = terms;
        emit ProgrammeCreated(programmeId, earmarkCode, rootRegion, fiscalPeriod, terms);
    }

    /// @inheritdoc IProgrammeRegistry
    function amendProgramme(uint64 programmeId, Terms calldata terms) external restricted whenNotPaused {
        Programme storage p = _programme(programmeId);
        _checkTerms(terms);
        p.terms = terms;
        emit ProgrammeAmended(programmeId, terms);
    }

    /// @inheritdoc IProgrammeRegistry
    function programme(uint64 programmeId) external view returns (Programme memory) {
        return _programme(programmeId);
    }

    /// @inheritdoc IProgrammeRegistry
    function programmeCount() external view returns (uint64) {
        return _programmeCount;
    }

    /// @inheritdoc IProgrammeRegistry
    function householdCap(uint64 programmeId) external view returns (uint128) {
        return _programme(programmeId).terms.householdCap;
    }

    /// @inheritdoc IProgrammeRegistry
    function rosterTerms(uint64 programmeId)
        external
        view
        returns (uint128 householdCap_, uint32 publicityPeriod, uint32 payoutPeriod, uint256 reviewStages)
    {
        Terms storage t = _programme(programmeId).terms;
        return (t.householdCap, t.publicityPeriod, t.payoutPeriod, t.reviewStages);
    }

    function _programme(uint64 programmeId) private view returns (Programme storage p) {
        p = _programmes[programmeId];
        if (p.createdAt == 0) revert ProgrammeRegistryUnknownProgramme(programmeId);
    }

    function _setFloors(StatutoryFloors memory floors) private {
        if (
            floors.minPublicityPeriod == 0 || floors.minPublicityPeriod > MAX_PUBLICITY_PERIOD
                || floors.minReviewStages == 0 || floors.minReviewStages > ReviewStages.MAX_STAGES
        ) revert ProgrammeRegistryInvalidFloors(floors.minPublicityPeriod, floors.minReviewStages);
        _floors = floors;
        emit StatutoryFloorsSet(floors.minPublicityPeriod, floors.minReviewStages);
    }

    function _checkTerms(Terms calldata terms) private view {
        if (terms.budgetCeiling == 0) revert ProgrammeRegistryInvalidTerm("budgetCeiling");
        if (terms.householdCap == 0 || terms.householdCap > terms.budgetCeiling) {
            revert ProgrammeRegistryInvalidTerm("householdCap");
        }
        if (terms.publicityPeriod == 0 || terms.publicityPeriod > MAX_PUBLICITY_PERIOD) {
            revert ProgrammeRegistryInvalidTerm("publicityPeriod");
        }
        if (terms.payoutPeriod == 0 || terms.payoutPeriod > MAX_PAYOUT_PERIOD) {
            revert ProgrammeRegistryInvalidTerm("payoutPeriod");
        }
        if (!ReviewStages.isValid(terms.reviewStages)) revert ProgrammeRegistryInvalidTerm("reviewStages");
        StatutoryFloors memory floors = _floors;
        if (terms.publicityPeriod < floors.minPublicityPeriod) {
            revert ProgrammeRegistryBelowFloor("publicityPeriod", terms.publicityPeriod, floors.minPublicityPeriod);
        }
        uint256 stages = ReviewStages.count(terms.reviewStages);
        if (stages < floors.minReviewStages) {
            revert ProgrammeRegistryBelowFloor("reviewStages", stages, floors.minReviewStages);
        }
        if (terms.policyDocHash == bytes32(0)) revert ProgrammeRegistryInvalidTerm("policyDocHash");
    }
}
