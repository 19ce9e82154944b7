// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IHouseholdRegistry
/// @notice The household register. A household is known on chain only by its commitment (derived
/// off chain from its resident ID number and a secret query code; see docs/spec.md) and by the
/// dense id assigned at registration, which roster lines use. Registration is on the attestation of
/// the civil-affairs department; a suspended household is never paid.
interface IHouseholdRegistry {
    /// @dev Why a household was suspended.
    enum SuspensionReason {
        Deceased,
        MovedAway,
        Ineligible,
        Other
    }

    /// @dev Where a household stands.
    enum HouseholdStatus {
        Unregistered,
        Active,
        Suspended
    }

    /// @dev Emitted for each registered household; `attestationHash` is the civil-affairs attestation.
    event HouseholdRegistered(uint64 indexed household, bytes32 indexed commitment, bytes32 attestationHash);

    /// @dev Emitted when a household was suspended.
    event HouseholdSuspended(
        uint64 indexed household,
        bytes32 indexed commitment,
        SuspensionReason reason,
        bytes32 reasonHash
    );

    /// @dev Emitted when a suspended household was reinstated.
    event HouseholdReinstated(uint64 indexed household, bytes32 indexed commitment, bytes32 reasonHash);

    /// @dev `commitment` is registered already as `household`.
    error HouseholdRegistryAlreadyRegistered(bytes32 commitment, uint64 household);

    /// @dev The zero commitment cannot be registered.
    error HouseholdRegistryZeroCommitment();

    /// @dev No household has id `household`.
    error HouseholdRegistryUnknownHousehold(uint64 household);

    /// @dev The household's status is `actual`, not the `expected` one for this action.
    error HouseholdRegistryWrongStatus(uint64 household, HouseholdStatus expected, HouseholdStatus actual);

    /// @notice Registers `commitments` in order; ids are assigned consecutively.
    /// @return firstId The id of the first commitment.
    function registerHouseholds(bytes32[] calldata commitments, bytes32 attestationHash)
        external
        returns (uint64 firstId);

    /// @notice Suspends an active household.
    function suspendHousehold(uint64 household, SuspensionReason reason, bytes32 reasonHash) external;

    /// @notice Reinstates a suspended household.
    function reinstateHousehold(uint64 household, bytes32 reasonHash) external;

    /// @notice The id of `commitment`, or 0 if it is not registered.
    function householdIdOf(bytes32 commitment) external view returns (uint64);

    /// @notice The commitment of `household`; reverts if unknown.
    function commitmentOf(uint64 household) external view returns (bytes32);

    /// @notice The number of registered households (ids run from 1 to this number).
    function householdCount() external view returns (uint64);

    /// @notice The status of `household`.
    function statusOf(uint64 household) external view returns (HouseholdStatus);

    /// @notice 256 suspension bits: bit `i` is household `word * 256 + i`.
    function suspendedWord(uint256 word) external view returns (uint256);
}
