// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IHouseholdRegistry
/// @notice The household register. A household is known on chain only by its commitment (derived
/// off chain from its resident ID number and a secret query code; see docs/spec.md) and by the
/// id assigned at registration, which roster lines use. Registration is on the attestation of
/// the civil-affairs department; a suspended household is never paid.
///
/// Households belong to a region. Each registration names one (a township, usually, or any region
/// inside the registering civil-affairs office's own), and only an office whose region covers a
/// household's region registers, suspends, reinstates or re-commits it. Ids come in blocks of 256
/// (block `b` holds ids `256b … 256b + 255`, the same words as the suspension bitmap; id 0 is
/// never used), and every block belongs to one region: a region fills its open block, then opens
/// the next free one. So a roster's payout checks that a household lies in the roster's subtree
/// with one read per 256 ids (`payoutWord`), and the ids of one region's households are dense
/// within its blocks.
///
/// One person, one household, deployment-wide: each registration carries a person tag, a keyed hash
/// of the person's normalised ID number (HMAC-SHA256 under a deduplication key that only the
/// registering office holds; see docs/privacy.md). The register refuses a second household for a tag
/// it holds, so that a person registered once cannot be registered again under another commitment
/// (another bureau secret, another township). Without the key, a tag cannot be linked to an ID number.
/// A household's commitment may be replaced (a deliberate rotation of the bureau secret) only for the
/// same person, proven by the same tag.
///
/// Successor suites: a register deployed with a predecessor takes over the predecessor's households,
/// in id order and with the same ids, commitments, person tags and suspensions, each copied from the
/// predecessor and checked against it on chain (`importHouseholds`), and only from a predecessor whose
/// writes are paused (frozen). It registers households of its own only once the copy is complete,
/// and copies nothing after that. Programmes already running stay on the suite they started in.
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

    /// @dev Emitted for each registered household; `attestationHash` is the civil-affairs attestation,
    /// `personTag` the person's keyed tag.
    event HouseholdRegistered(
        uint64 indexed household, bytes32 indexed commitment, bytes32 attestationHash, bytes32 personTag
    );

    /// @dev Emitted when a household's commitment was replaced (the bureau secret was rotated): the
    /// household, its id, status and payouts are unchanged; residents need their new query codes.
    event CommitmentReplaced(
        uint64 indexed household, bytes32 indexed previous, bytes32 indexed commitment, bytes32 reasonHash
    );

    /// @dev Emitted when the check of the bureau secret that `region`'s commitments are derived with
    /// was set (or, at a deliberate rotation of the secret, replaced: `previous` is the old check).
    /// The check is a one-way keyed hash of the secret (HMAC-SHA256 of a fixed text): it tells a
    /// tool whether the secret it holds is the region's, and nothing else.
    event SecretCheckSet(uint64 indexed region, bytes32 check, bytes32 previous);

    /// @dev Emitted when a household was suspended.
    event HouseholdSuspended(
        uint64 indexed household,
        bytes32 indexed commitment,
        SuspensionReason reason,
        bytes32 reasonHash
    );

    /// @dev Emitted when `proposer` asked to reinstate a household suspended as deceased: another
    /// civil-affairs office must confirm (`reinstateHousehold` again) before it is payable.
    event ReinstatementProposed(uint64 indexed household, address indexed proposer, bytes32 reasonHash);

    /// @dev Emitted when block `blockId` (ids `256 * blockId …`) was opened for the households of `region`.
    event HouseholdBlockOpened(uint256 indexed blockId, uint64 indexed region);

    /// @dev Emitted for each household copied from the predecessor register, under the same id.
    event HouseholdImported(uint64 indexed household, bytes32 indexed commitment, bytes32 personTag, HouseholdStatus status);

    /// @dev Emitted when a suspended household was reinstated.
    event HouseholdReinstated(uint64 indexed household, bytes32 indexed commitment, bytes32 reasonHash);

    /// @dev `commitment` is registered already as `household`.
    error HouseholdRegistryAlreadyRegistered(bytes32 commitment, uint64 household);

    /// @dev The zero commitment cannot be registered.
    error HouseholdRegistryZeroCommitment();

    /// @dev The person with `personTag` is registered already, as `household` (under another commitment:
    /// a different bureau secret, or another township). One person holds one household.
    error HouseholdRegistryPersonAlreadyRegistered(bytes32 personTag, uint64 household);

    /// @dev A person tag is zero.
    error HouseholdRegistryZeroPersonTag();

    /// @dev `personTag` is not the tag `household` was registered with: a commitment is replaced only
    /// for the same person.
    error HouseholdRegistryNotSamePerson(uint64 household, bytes32 personTag);

    /// @dev This register has no predecessor to import from.
    error HouseholdRegistryNoPredecessor();

    /// @dev The predecessor register is not paused: only a frozen register is copied.
    error HouseholdRegistryPredecessorNotFrozen();

    /// @dev Households of the predecessor are still to import (`imported` of `predecessorCount`):
    /// registration waits until the copy is complete.
    error HouseholdRegistryImportIncomplete(uint64 imported, uint64 predecessorCount);

    /// @dev This register has registered households of its own (or the batch goes past the predecessor's
    /// last household): nothing more is imported.
    error HouseholdRegistryImportClosed(uint64 imported);

    /// @dev The commitments and person tags differ in number.
    error HouseholdRegistryLengthMismatch(uint256 commitments, uint256 personTags);

    /// @dev No household has id `household`.
    error HouseholdRegistryUnknownHousehold(uint64 household);

    /// @dev A household suspended as deceased is reinstated by two different civil-affairs offices;
    /// `proposer`'s office proposed it and cannot also confirm it, by the same account or by a new key
    /// bound to the same office.
    error HouseholdRegistrySecondOfficeRequired(uint64 household, address proposer);

    /// @dev `account` holds no civil-affairs office in the Directory (the CIVIL_AFFAIRS role alone is
    /// not enough: the office says who is accountable for the register's changes).
    error HouseholdRegistryNotCivilAffairsOffice(address account);

    /// @dev A secret check must not be zero (zero means "none set").
    error HouseholdRegistryZeroSecretCheck();

    /// @dev `region` is not a 12-digit administrative division code.
    error HouseholdRegistryInvalidRegion(uint64 region);

    /// @dev `account`'s civil-affairs office, of `officeRegion`, does not cover `region` (the region
    /// named for a registration, or the region a household belongs to): an office acts only on
    /// households of its own subtree.
    error HouseholdRegistryOutsideOffice(address account, uint64 officeRegion, uint64 region);

    /// @dev The household's status is `actual`, not the `expected` one for this action.
    error HouseholdRegistryWrongStatus(uint64 household, HouseholdStatus expected, HouseholdStatus actual);

    /// @notice Registers `commitments` in order as households of `region`, `personTags[i]` being the
    /// tag of the person of `commitments[i]`; ids are the next free ones of the region's blocks
    /// (consecutive within a block). The caller's civil-affairs office must cover `region`. Reverts,
    /// registering nothing, if a commitment or a person is registered already (or twice in the batch).
    /// @return firstId The id of the first commitment.
    function registerHouseholds(
        uint64 region,
        bytes32[] calldata commitments,
        bytes32[] calldata personTags,
        bytes32 attestationHash
    ) external returns (uint64 firstId);

    /// @notice Sets the check of the bureau secret `region`'s household commitments are derived with
    /// (or replaces it, at a deliberate rotation of the secret). The caller's civil-affairs office must
    /// cover `region`. Tools compare it with the secret they hold before deriving any commitment.
    function setSecretCheck(uint64 region, bytes32 check) external;

    /// @notice The check of `region`'s bureau secret, or zero if none was set.
    function secretCheckOf(uint64 region) external view returns (bytes32);

    /// @notice Copies the predecessor's next households in id order, one per person tag, keeping their
    /// ids and regions: each tag must be the predecessor's tag of that household; the commitment,
    /// region and suspension (and a deceased suspension) are read from the predecessor, which must
    /// be paused.
    /// @return imported The number of households imported so far.
    function importHouseholds(bytes32[] calldata personTags) external returns (uint64 imported);

    /// @notice The predecessor register (zero for a first suite) and how many of its households were imported.
    function importState() external view returns (address predecessor, uint64 imported);

    /// @notice Replaces the commitment of `household` (a deliberate rotation of the bureau secret).
    /// `personTag` must be the tag the household was registered with; the new commitment must be new.
    function replaceCommitment(uint64 household, bytes32 commitment, bytes32 personTag, bytes32 reasonHash) external;

    /// @notice Suspends an active household.
    function suspendHousehold(uint64 household, SuspensionReason reason, bytes32 reasonHash) external;

    /// @notice Reinstates a suspended household. A household suspended as deceased needs two calls by
    /// two different civil-affairs offices (not merely two accounts: a new key bound to the proposing
    /// office cannot confirm): the first proposes (`ReinstatementProposed`), the second reinstates.
    /// Paying the dead is the commonest fraud, so one key cannot undo a death.
    function reinstateHousehold(uint64 household, bytes32 reasonHash) external;

    /// @notice Who proposed reinstating `household` (suspended as deceased), or zero.
    function reinstatementProposer(uint64 household) external view returns (address);

    /// @notice The id of `commitment`, or 0 if it is not registered.
    function householdIdOf(bytes32 commitment) external view returns (uint64);

    /// @notice The household of the person with `personTag`, or 0 if none.
    function householdOfPerson(bytes32 personTag) external view returns (uint64);

    /// @notice The commitment of `household`; reverts if unknown.
    function commitmentOf(uint64 household) external view returns (bytes32);

    /// @notice The number of registered households.
    function householdCount() external view returns (uint64);

    /// @notice The region `household` belongs to, or 0 if it is not registered.
    function regionOf(uint64 household) external view returns (uint64);

    /// @notice The number of blocks opened: ids lie below `256 * blockCount()`.
    function blockCount() external view returns (uint256);

    /// @notice Block `blockId`'s region and how many of its 256 ids are taken (`filled`; id 0, in
    /// block 0, counts as taken): ids `256 * blockId + i` for `i < filled` are registered.
    /// Zero for a block not opened.
    function blockOf(uint256 blockId) external view returns (uint64 region, uint256 filled);

    /// @notice What a payout reads once per 256 ids: the suspension bits of word `word` and its
    /// block's region and fill (`suspendedWord` and `blockOf` in one call).
    function payoutWord(uint256 word) external view returns (uint256 suspendedBits, uint64 region, uint256 filled);

    /// @notice The status of `household`.
    function statusOf(uint64 household) external view returns (HouseholdStatus);

    /// @notice 256 suspension bits: bit `i` is household `word * 256 + i`.
    function suspendedWord(uint256 word) external view returns (uint256);

    /// @notice 256 "suspended as deceased" bits: bit `i` is household `word * 256 + i`.
    function deceasedWord(uint256 word) external view returns (uint256);
}
