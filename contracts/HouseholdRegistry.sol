// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;


import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Guarded} from "./governance/Guarded.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IHouseholdRegistry} from "./interfaces/IHouseholdRegistry.sol";
import {BitWords} from "./libraries/BitWords.sol";

/// @title HouseholdRegistry
/// @notice The household register: commitments, person tags, dense ids and a suspension bitmap.
contract HouseholdRegistry is IHouseholdRegistry, Guarded {
    using BitWords for mapping(uint256 => uint256);

    /// @dev `_commitments[id - 1]` is the commitment of household `id`.
    bytes32[] private _commitments;
    mapping(bytes32 commitment => uint64 household) private _idOf;
    mapping(bytes32 personTag => uint64 household) private _householdOfPerson;
    mapping(uint256 word => uint256 bits) private _suspended;
    /// @dev One bit per household: suspended as deceased (reinstated only by two accounts).
    mapping(uint256 word => uint256 bits) private _deceased;
    /// @dev Who proposed reinstating a household suspended as deceased, and the region of its
    /// civil-affairs office: the confirmation must come from another office, not the same office
    /// under a new key.
    struct Proposal {
        address proposer;
        uint64 officeRegion;
    }

    mapping(uint64 household => Proposal) private _reinstatementProposal;

    /// @dev The register this one takes over (zero: none), and how many of its households were copied.
    IHouseholdRegistry public immutable PREDECESSOR;
    uint64 private _imported;
    /// @dev Where the civil-affairs offices are bound: every write needs one.
    IDirectory public immutable DIRECTORY;

    constructor(address authority, IDirectory directory, IHouseholdRegistry predecessor) Guarded(authority) {
        DIRECTORY = directory;
        PREDECESSOR = predecessor;
    }

    /// @inheritdoc IHouseholdRegistry
    function registerHouseholds(bytes32[] calldata commitments, bytes32[] calldata personTags, bytes32 attestationHash)
        external
        restricted
        whenNotPaused
        returns (uint64 firstId)
    {
        _civilAffairsOffice();
        if (commitments.length != personTags.length) {
            revert HouseholdRegistryLengthMismatch(commitments.length, personTags.length);
        }
        // Until this register has households of its own, the predecessor's must all be copied first;
        // after that the predecessor no longer matters (a later registration there is not copied).
        if (address(PREDECESSOR) != address(0) && _commitments.length == _imported) {
            uint64 predecessorCount = PREDECESSOR.householdCount();
            if (_imported < predecessorCount) revert HouseholdRegistryImportIncomplete(_imported, predecessorCount);
        }
        firstId = uint64(_commitments.length + 1);
        for (uint256 i = 0; i < commitments.length; ++i) {
            bytes32 commitment = commitments[i];
            bytes32 personTag = personTags[i];
            _expectNewCommitment(commitment);
            if (personTag == bytes32(0)) revert HouseholdRegistryZeroPersonTag();
            uint64 holder = _householdOfPerson[personTag];
            if (holder != 0) revert HouseholdRegistryPersonAlreadyRegistered(personTag, holder);
            _commitments.push(commitment);
            uint64 id = uint64(_commitments.length);
            _idOf[commitment] = id;
            _householdOfPerson[personTag] = id;
            emit HouseholdRegistered(id, commitment, attestationHash, personTag);
        }
    }

    /// @inheritdoc IHouseholdRegistry
    function importHouseholds(bytes32[] calldata personTags) external restricted whenNotPaused returns (uint64 imported) {
        _civilAffairsOffice();
        IHouseholdRegistry predecessor = PREDECESSOR;
        if (address(predecessor) == address(0)) revert HouseholdRegistryNoPredecessor();
        if (!Pausable(address(predecessor)).paused()) revert HouseholdRegistryPredecessorNotFrozen();
        imported = _imported;
        // Ids must stay those of the predecessor: nothing is copied once this register has its own.
        if (_commitments.length != imported || imported + personTags.length > predecessor.householdCount()) {
            revert HouseholdRegistryImportClosed(imported);
        }
        for (uint256 i = 0; i < personTags.length; ++i) {
            uint64 id = ++imported;
            bytes32 personTag = personTags[i];
            if (personTag == bytes32(0) || predecessor.householdOfPerson(personTag) != id) {
                revert HouseholdRegistryNotSamePerson(id, personTag);
            }
            bytes32 commitment = predecessor.commitmentOf(id);
            _commitments.push(commitment);
            _idOf[commitment] = id;
            _householdOfPerson[personTag] = id;
            HouseholdStatus status = predecessor.statusOf(id);
            if (status == HouseholdStatus.Suspended) {
                _suspended.set(id);
                if (BitWords.bitIn(predecessor.deceasedWord(BitWords.wordOfBit(id)), id)) _deceased.set(id);
            }
            emit HouseholdImported(id, commitment, personTag, status);
        }
        _imported = imported;
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
        _civilAffairsOffice();
        if (household == 0 || household > _commitments.length) revert HouseholdRegistryUnknownHousehold(household);
        if (personTag == bytes32(0) || _householdOfPerson[personTag] != household) {
            revert HouseholdRegistryNotSamePerson(household, personTag);
        }
        _expectNewCommitment(commitment);
        bytes32 previous = _commitments[household - 1];
        delete _idOf[previous];
        _idOf[commitment] = household;
        _commitments[household - 1] = commitment;
        emit CommitmentReplaced(household, previous, commitment, reasonHash);
    }

    /// @inheritdoc IHouseholdRegistry
    function suspendHousehold(uint64 household, SuspensionReason reason, bytes32 reasonHash) external restricted whenNotPaused {
        _civilAffairsOffice();
        _expectStatus(household, HouseholdStatus.Active);
        _suspended.set(household);
        if (reason == SuspensionReason.Deceased) _deceased.set(household);
        emit HouseholdSuspended(household, _commitments[household - 1], reason, reasonHash);
    }

    /// @inheritdoc IHouseholdRegistry
    function reinstateHousehold(uint64 household, bytes32 reasonHash) external restricted whenNotPaused {
        (address actor, uint64 officeRegion) = _civilAffairsOffice();
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
        emit HouseholdReinstated(household, _commitments[household - 1], reasonHash);
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
        if (household == 0 || household > _commitments.length) revert HouseholdRegistryUnknownHousehold(household);
        return _commitments[household - 1];
    }

    /// @inheritdoc IHouseholdRegistry
    function householdCount() external view returns (uint64) {
        return uint64(_commitments.length);
    }

    /// @inheritdoc IHouseholdRegistry
    function statusOf(uint64 household) public view returns (HouseholdStatus) {
        if (household == 0 || household > _commitments.length) return HouseholdStatus.Unregistered;
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

    /// @dev The caller, who must hold a civil-affairs office. Households are not yet bound to a region,
    /// so any civil-affairs office acts on the whole register; two different offices (an account
    /// holds one office, for life) reinstate a household suspended as deceased.
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
        if (household == 0 || household > _commitments.length) revert HouseholdRegistryUnknownHousehold(household);
        HouseholdStatus actual = statusOf(household);
        if (actual != expected) revert HouseholdRegistryWrongStatus(household, expected, actual);
    }

}
