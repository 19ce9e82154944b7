// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;


import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Guarded} from "./governance/Guarded.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IHouseholdRegistry} from "./interfaces/IHouseholdRegistry.sol";
import {BitWords} from "./libraries/BitWords.sol";
import {RegionCode} from "./libraries/RegionCode.sol";

/// @title HouseholdRegistry
/// @notice The household register: commitments, person tags, regions (one per block of 256 ids) and a
/// suspension bitmap.
contract HouseholdRegistry is IHouseholdRegistry, Guarded {
    using BitWords for mapping(uint256 => uint256);

    /// @dev Ids per block: a block is one word of the suspension bitmap.
    uint256 private constant BLOCK_SIZE = 256;

    mapping(uint64 household => bytes32 commitment) private _commitments;
    mapping(bytes32 commitment => uint64 household) private _idOf;
    mapping(bytes32 personTag => uint64 household) private _householdOfPerson;
    mapping(uint256 word => uint256 bits) private _suspended;
    /// @dev One bit per household: suspended as deceased (reinstated only by two accounts).
    mapping(uint256 word => uint256 bits) private _deceased;
    /// @dev Block `b`: its region in the low 64 bits, the number of its ids taken above them.
    mapping(uint256 blockId => uint256 packed) private _blocks;
    /// @dev The block a region registers into next, plus one (zero: none open).
    mapping(uint64 region => uint256 blockPlusOne) private _openBlock;
    uint64 private _householdCount;
    uint64 private _blockCount;
    /// @dev Who proposed reinstating a household suspended as deceased, and the region of its
    /// civil-affairs office: the confirmation must come from another office, not the same office
    /// under a new key.
    struct Proposal {
        address proposer;
        uint64 officeRegion;
    }

    mapping(uint64 household => Proposal) private _reinstatementProposal;
    mapping(uint64 region => bytes32 check) private _secretChecks;

    /// @dev The register this one takes over (zero: none), how many of its households were copied,
    /// and the id after the last one copied.
    IHouseholdRegistry public immutable PREDECESSOR;
    uint64 private _imported;
    uint64 private _importCursor;
    /// @dev Where the civil-affairs offices are bound: every write needs one, covering the household.
    IDirectory public immutable DIRECTORY;

    constructor(address authority, IDirectory directory, IHouseholdRegistry predecessor) Guarded(authority) {
        DIRECTORY = directory;
        PREDECESSOR = predecessor;
    }

    /// @inheritdoc IHouseholdRegistry
    function registerHouseholds(
        uint64 region,
        bytes32[] calldata commitments,
        bytes32[] calldata personTags,
        bytes32 attestationHash
    ) external restricted whenNotPaused returns (uint64 firstId) {
        if (!RegionCode.isValid(region)) revert HouseholdRegistryInvalidRegion(region);
        _civilAffairsOffice(region);
        if (commitments.length != personTags.length) {
            revert HouseholdRegistryLengthMismatch(commitments.length, personTags.length);
        }
        // Until this register has households of its own, the predecessor's must all be copied first;
        // after that the predecessor no longer matters (a later registration there is not copied).
        if (address(PREDECESSOR) != address(0) && _householdCount == _imported) {
            uint64 predecessorCount = PREDECESSOR.householdCount();
            if (_imported < predecessorCount) revert HouseholdRegistryImportIncomplete(_imported, predecessorCount);
        }
        _householdCount += uint64(commitments.length);
        for (uint256 i = 0; i < commitments.length; ++i) {
            bytes32 commitment = commitments[i];
            bytes32 personTag = personTags[i];
            _expectNewCommitment(commitment);
            if (personTag == bytes32(0)) revert HouseholdRegistryZeroPersonTag();
            uint64 holder = _householdOfPerson[personTag];
            if (holder != 0) revert HouseholdRegistryPersonAlreadyRegistered(personTag, holder);
            uint64 id = _nextId(region);
            if (i == 0) firstId = id;
            _commitments[id] = commitment;
            _idOf[commitment] = id;
            _householdOfPerson[personTag] = id;
            emit HouseholdRegistered(id, commitment, attestationHash, personTag);
        }
    }

    /// @inheritdoc IHouseholdRegistry
    function setSecretCheck(uint64 region, bytes32 check) external restricted whenNotPaused {
        if (!RegionCode.isValid(region)) revert HouseholdRegistryInvalidRegion(region);
        if (check == bytes32(0)) revert HouseholdRegistryZeroSecretCheck();
        _civilAffairsOffice(region);
        bytes32 previous = _secretChecks[region];
        _secretChecks[region] = check;
        emit SecretCheckSet(region, check, previous);
    }

    /// @inheritdoc IHouseholdRegistry
    function secretCheckOf(uint64 region) external view returns (bytes32) {
        return _secretChecks[region];
    }

    /// @inheritdoc IHouseholdRegistry
    function importHouseholds(bytes32[] calldata personTags) external restricted whenNotPaused returns (uint64 imported) {
        (address actor, uint64 officeRegion) = _civilAffairsOffice();
        IHouseholdRegistry predecessor = PREDECESSOR;
        if (address(predecessor) == address(0)) revert HouseholdRegistryNoPredecessor();
        if (!Pausable(address(predecessor)).paused()) revert HouseholdRegistryPredecessorNotFrozen();
        imported = _imported;
        // Ids must stay those of the predecessor: nothing is copied once this register has its own.
        if (_householdCount != imported || imported + personTags.length > predecessor.householdCount()) {
            revert HouseholdRegistryImportClosed(imported);
        }
        uint256 id = _importCursor == 0 ? 1 : _importCursor;
        uint256 blockId = type(uint256).max;
        uint64 region;
        uint256 filled;
        for (uint256 i = 0; i < personTags.length; ++i) {
            // The next id the predecessor holds: past a block's last one, the next block's first.
            while (true) {
                if (id / BLOCK_SIZE != blockId) {
                    blockId = id / BLOCK_SIZE;
                    (region, filled) = predecessor.blockOf(blockId);
                    if (filled == 0) revert HouseholdRegistryImportClosed(imported);
                    // Copying is registering: the office must cover each block's region.
                    _expectCovers(actor, officeRegion, region);
                }
                if (id % BLOCK_SIZE < filled) break;
                id = (blockId + 1) * BLOCK_SIZE;
            }
            if (blockId >= _blockCount) {
                _blockCount = uint64(blockId + 1);
                emit HouseholdBlockOpened(blockId, region);
            }
            // The block's fill grows with the copy, so that an id not yet copied is not registered here.
            _blocks[blockId] = uint256(region) | ((id % BLOCK_SIZE + 1) << 64);
            _copy(predecessor, uint64(id), personTags[i]);
            ++imported;
            ++id;
        }
        _imported = imported;
        _householdCount = imported;
        _importCursor = uint64(id);
    }

    /// @dev Copies household `household` of the predecessor, whose person tag must be `personTag`.
    function _copy(IHouseholdRegistry predecessor, uint64 household, bytes32 personTag) private {
        if (personTag == bytes32(0) || predecessor.householdOfPerson(personTag) != household) {
            revert HouseholdRegistryNotSamePerson(household, personTag);
        }
        bytes32 commitment = predecessor.commitmentOf(household);
        _commitments[household] = commitment;
        _idOf[commitment] = household;
        _householdOfPerson[personTag] = household;
        HouseholdStatus status = predecessor.statusOf(household);
        if (status == HouseholdStatus.Suspended) {
            _suspended.set(household);
            if (BitWords.bitIn(predecessor.deceasedWord(BitWords.wordOfBit(household)), household)) _deceased.set(household);
        }
        emit HouseholdImported(household, commitment, personTag, status);
    }

    /// @inheritdoc IHouseholdRegistry
    function importState() external view returns (address predecessor, uint64 imported) {
        return (address(PREDECESSOR), _imported);
    }

    /// @inheritdoc IHouseholdRegistry
    function replaceCommitment(uint64 household, bytes32 commitment, bytes32 personTag, bytes32 reasonHash)
        external
        restricted
        whenNotPaused
    {
        _officeOver(household);
        if (personTag == bytes32(0) || _householdOfPerson[personTag] != household) {
            revert HouseholdRegistryNotSamePerson(household, personTag);
        }
        _expectNewCommitment(commitment);
        bytes32 previous = _commitments[household];
        delete _idOf[previous];
        _idOf[commitment] = household;
        _commitments[household] = commitment;
        emit CommitmentReplaced(household, previous, commitment, reasonHash);
    }

    /// @inheritdoc IHouseholdRegistry
    function suspendHousehold(uint64 household, SuspensionReason reason, bytes32 reasonHash) external restricted whenNotPaused {
        _officeOver(household);
        _expectStatus(household, HouseholdStatus.Active);
        _suspended.set(household);
        if (reason == SuspensionReason.Deceased) _deceased.set(household);
        emit HouseholdSuspended(household, _commitments[household], reason, reasonHash);
    }

    /// @inheritdoc IHouseholdRegistry
    function reinstateHousehold(uint64 household, bytes32 reasonHash) external restricted whenNotPaused {
        (address actor, uint64 officeRegion) = _officeOver(household);
        _expectStatus(household, HouseholdStatus.Suspended);
        if (_deceased.isSet(household)) {
            Proposal memory proposal = _reinstatementProposal[household];
            if (proposal.proposer == address(0)) {
                _reinstatementProposal[household] = Proposal(actor, officeRegion);
                emit ReinstatementProposed(household, actor, reasonHash);
                return;
            }
            // One civil-affairs office per region: the same region is the same office, even under a
            // new key (and the same account always holds the same office).
            if (proposal.officeRegion == officeRegion) {
                revert HouseholdRegistrySecondOfficeRequired(household, proposal.proposer);
            }
            delete _reinstatementProposal[household];
            _deceased.clear(household);
        }
        _suspended.clear(household);
        emit HouseholdReinstated(household, _commitments[household], reasonHash);
    }

    /// @inheritdoc IHouseholdRegistry
    function reinstatementProposer(uint64 household) external view returns (address) {
        return _reinstatementProposal[household].proposer;
    }

    /// @inheritdoc IHouseholdRegistry
    function householdIdOf(bytes32 commitment) external view returns (uint64) {
        return _idOf[commitment];
    }

    /// @inheritdoc IHouseholdRegistry
    function householdOfPerson(bytes32 personTag) external view returns (uint64) {
        return _householdOfPerson[personTag];
    }

    /// @inheritdoc IHouseholdRegistry
    function commitmentOf(uint64 household) external view returns (bytes32) {
        if (regionOf(household) == 0) revert HouseholdRegistryUnknownHousehold(household);
        return _commitments[household];
    }

    /// @inheritdoc IHouseholdRegistry
    function householdCount() external view returns (uint64) {
        return _householdCount;
    }

    /// @inheritdoc IHouseholdRegistry
    function regionOf(uint64 household) public view returns (uint64) {
        if (household == 0) return 0;
        uint256 packed = _blocks[household / BLOCK_SIZE];
        if (household % BLOCK_SIZE >= packed >> 64) return 0;
        return uint64(packed);
    }

    /// @inheritdoc IHouseholdRegistry
    function blockCount() external view returns (uint256) {
        return _blockCount;
    }

    /// @inheritdoc IHouseholdRegistry
    function blockOf(uint256 blockId) public view returns (uint64 region, uint256 filled) {
        uint256 packed = _blocks[blockId];
        return (uint64(packed), packed >> 64);
    }

    /// @inheritdoc IHouseholdRegistry
    function payoutWord(uint256 word) external view returns (uint256 suspendedBits, uint64 region, uint256 filled) {
        (region, filled) = blockOf(word);
        return (_suspended[word], region, filled);
    }

    /// @inheritdoc IHouseholdRegistry
    function statusOf(uint64 household) public view returns (HouseholdStatus) {
        if (regionOf(household) == 0) return HouseholdStatus.Unregistered;
        return _suspended.isSet(household) ? HouseholdStatus.Suspended : HouseholdStatus.Active;
    }

    /// @inheritdoc IHouseholdRegistry
    function suspendedWord(uint256 word) external view returns (uint256) {
        return _suspended[word];
    }

    /// @inheritdoc IHouseholdRegistry
    function deceasedWord(uint256 word) external view returns (uint256) {
        return _deceased[word];
    }

    /// @dev The next id of `region`: the next of its open block, or the first of a newly opened one.
    function _nextId(uint64 region) private returns (uint64) {
        uint256 blockPlusOne = _openBlock[region];
        uint256 filled = blockPlusOne == 0 ? BLOCK_SIZE : _blocks[blockPlusOne - 1] >> 64;
        if (filled == BLOCK_SIZE) {
            uint64 opened = _blockCount;
            _blockCount = opened + 1;
            blockPlusOne = uint256(opened) + 1;
            _openBlock[region] = blockPlusOne;
            // Id 0 is never a household: block 0 starts with it taken.
            filled = opened == 0 ? 1 : 0;
            emit HouseholdBlockOpened(opened, region);
        }
        _blocks[blockPlusOne - 1] = uint256(region) | ((filled + 1) << 64);
        return uint64((blockPlusOne - 1) * BLOCK_SIZE + filled);
    }

    /// @dev The caller, who must hold a civil-affairs office covering `region`; two different offices
    /// (an account holds one office, for life) reinstate a household suspended as deceased.
    function _civilAffairsOffice(uint64 region) private view returns (address actor, uint64 officeRegion) {
        (actor, officeRegion) = _civilAffairsOffice();
        _expectCovers(actor, officeRegion, region);
    }

    /// @dev The caller's civil-affairs office, which must cover registered `household`'s region.
    function _officeOver(uint64 household) private view returns (address actor, uint64 officeRegion) {
        (actor, officeRegion) = _civilAffairsOffice();
        uint64 region = regionOf(household);
        if (region == 0) revert HouseholdRegistryUnknownHousehold(household);
        _expectCovers(actor, officeRegion, region);
    }

    /// @dev An office of `officeRegion` acts only on households of its subtree.
    function _expectCovers(address actor, uint64 officeRegion, uint64 region) private pure {
        if (!RegionCode.covers(officeRegion, region)) revert HouseholdRegistryOutsideOffice(actor, officeRegion, region);
    }

    /// @dev The caller, who must hold a civil-affairs office, and its region.
    function _civilAffairsOffice() private view returns (address actor, uint64 officeRegion) {
        actor = _actor();
        IDirectory.Office memory office = DIRECTORY.officeOf(actor);
        if (office.kind != IDirectory.OfficeKind.CivilAffairs) revert HouseholdRegistryNotCivilAffairsOffice(actor);
        return (actor, office.region);
    }

    function _expectNewCommitment(bytes32 commitment) private view {
        if (commitment == bytes32(0)) revert HouseholdRegistryZeroCommitment();
        uint64 existing = _idOf[commitment];
        if (existing != 0) revert HouseholdRegistryAlreadyRegistered(commitment, existing);
    }

    function _expectStatus(uint64 household, HouseholdStatus expected) private view {
        HouseholdStatus actual = statusOf(household);
        if (actual == HouseholdStatus.Unregistered) revert HouseholdRegistryUnknownHousehold(household);
        if (actual != expected) revert HouseholdRegistryWrongStatus(household, expected, actual);
    }
}
