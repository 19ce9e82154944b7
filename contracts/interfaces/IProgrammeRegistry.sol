// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IProgrammeRegistry
/// @notice Subsidy programmes: earmark code (专款专用), fiscal period, root region, budget ceiling,
/// per-household cap, publicity period, payout period, review stages and policy document. A programme's
/// identity (earmark, period, root region) never changes; its terms change only by an amendment
/// made by the GOVERNOR role, which is delayed and evented through the AccessManager.
///
/// Statutory floors: a deployment-wide minimum publicity period and minimum number of review
/// stages. A programme is created or amended only at or above them; the floors themselves change
/// only by the GOVERNOR role (delayed, evented). Raising a floor does not touch programmes already
/// created: it applies at their next amendment.
interface IProgrammeRegistry {
    /// @dev Terms that an amendment may change.
    struct Terms {
        /// Most that may be funded into the programme, in fen. An amendment below what is already
        /// funded stops further funding and takes nothing back.
        uint128 budgetCeiling;
        /// Most that one household may be paid by one line, in fen.
        uint128 householdCap;
        /// Seconds a roster stays in publicity (公示) after its last approval.
        uint32 publicityPeriod;
        /// Seconds after publicity ends by which every approved, unheld line must be paid (the duty to
        /// pay): a line still unpaid then is Overdue.
        uint32 payoutPeriod;
        /// The review stages every roster passes (会签, 村级采集—乡镇审核—县级审批): which department's
        /// office, at which level above or at the roster's region, approves; and whether in order.
        /// Packed as described in ReviewStages.
        uint256 reviewStages;
        /// Hash of the policy document.
        bytes32 policyDocHash;
        /// Where the policy document is published.
        string policyURI;
    }

    /// @dev Deployment-wide minimums that every programme's terms must meet.
    struct StatutoryFloors {
        /// Shortest publicity period (公示), in seconds.
        uint32 minPublicityPeriod;
        /// Fewest review stages every roster must pass.
        uint8 minReviewStages;
    }

    /// @dev A programme as stored.
    struct Programme {
        bytes32 earmarkCode;
        uint32 fiscalPeriod;
        uint64 rootRegion;
        uint40 createdAt;
        Terms terms;
    }

    /// @dev Emitted when programme `programmeId` was created.
    event ProgrammeCreated(
        uint64 indexed programmeId,
        bytes32 indexed earmarkCode,
        uint64 indexed rootRegion,
        uint32 fiscalPeriod,
        Terms terms
    );

    /// @dev Emitted when the terms of programme `programmeId` were amended; `terms` are the new terms.
    event ProgrammeAmended(uint64 indexed programmeId, Terms terms);

    /// @dev Emitted when the statutory floors were set (at deployment, then by governance).
    event StatutoryFloorsSet(uint32 minPublicityPeriod, uint8 minReviewStages);

    /// @dev No programme has id `programmeId`.
    error ProgrammeRegistryUnknownProgramme(uint64 programmeId);

    /// @dev A programme with this earmark code and fiscal period exists already.
    error ProgrammeRegistryDuplicate(bytes32 earmarkCode, uint32 fiscalPeriod, uint64 existingId);

    /// @dev `rootRegion` is not a 12-digit division code.
    error ProgrammeRegistryInvalidRegion(uint64 rootRegion);

    /// @dev A term is out of range; `field` names it.
    error ProgrammeRegistryInvalidTerm(string field);

    /// @dev `field` is `value`, below the statutory floor `floor` (publicity in seconds, stages counted).
    error ProgrammeRegistryBelowFloor(string field, uint256 value, uint256 floor);

    /// @dev The floors themselves are out of range: a publicity floor of zero or above the longest
    /// publicity period, or a stage floor of zero or above the most stages a programme can have.
    error ProgrammeRegistryInvalidFloors(uint32 minPublicityPeriod, uint8 minReviewStages);

    /// @notice Creates a programme. Reverts if one with the same earmark and period exists.
    /// @return programmeId The new programme's id (ids start at 1).
    function createProgramme(
        bytes32 earmarkCode,
        uint32 fiscalPeriod,
        uint64 rootRegion,
        Terms calldata terms
    ) external returns (uint64 programmeId);

    /// @notice Replaces the amendable terms of `programmeId`. Rosters already submitted keep the
    /// review stages, publicity and payout periods they were submitted under; the cap applies to every payout.
    function amendProgramme(uint64 programmeId, Terms calldata terms) external;

    /// @notice Sets the statutory floors (GOVERNOR, delayed). Programmes already created keep their
    /// terms until amended.
    function setStatutoryFloors(StatutoryFloors calldata floors) external;

    /// @notice The statutory floors in force.
    function statutoryFloors() external view returns (StatutoryFloors memory);

    /// @notice Programme `programmeId`; reverts if unknown.
    function programme(uint64 programmeId) external view returns (Programme memory);

    /// @notice Number of programmes (the highest id).
    function programmeCount() external view returns (uint64);

    /// @notice The per-household cap of `programmeId` in fen; reverts if unknown.
    function householdCap(uint64 programmeId) external view returns (uint128);

    /// @notice The terms a roster snapshots at submission: the cap, the publicity and payout periods
    /// and the review stages (three storage words, where `programme` reads the whole record).
    /// Reverts for an unknown programme.
    function rosterTerms(uint64 programmeId)
        external
        view
        returns (uint128 householdCap, uint32 publicityPeriod, uint32 payoutPeriod, uint256 reviewStages);
}
