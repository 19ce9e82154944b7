// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {NoncesKeyed} from "@openzeppelin/contracts/utils/NoncesKeyed.sol";

import {Guarded} from "./governance/Guarded.sol";
import {IBudgetLedger} from "./interfaces/IBudgetLedger.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IProgrammeRegistry} from "./interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "./interfaces/IRosterBook.sol";
import {BitWords} from "./libraries/BitWords.sol";
import {LineLeaf} from "./libraries/LineLeaf.sol";
import {RegionBureau} from "./libraries/RegionBureau.sol";
import {ReviewStages} from "./libraries/ReviewStages.sol";
import {Roles} from "./libraries/Roles.sol";
import {Line} from "./types/Line.sol";

/// @title RosterBook
/// @notice Roster submission, joint sign-off, publicity with objections, and closing.
/// @dev Nonces are keyed (`NoncesKeyed`): a reviewing office may keep one sequence per roster (key =
/// roster id), so seals for different rosters can be relayed in any order.
contract RosterBook is IRosterBook, Guarded, EIP712, NoncesKeyed {
    using BitWords for mapping(uint256 => uint256);

    /// @dev EIP-712 type of an off-chain approval.
    bytes32 public constant APPROVAL_TYPEHASH = keccak256(
        "RosterApproval(uint64 rosterId,bytes32 root,uint8 stage,uint256 nonce,uint256 deadline)"
    );

    /// @dev Most unresolved objections one account may hold on one roster: enough for a village
    /// committee's objections, too few for one key to freeze a roster of thousands of lines. Accounts
    /// are permissioned on a consortium chain, so the bound binds a known sender.
    uint32 public constant MAX_OPEN_OBJECTIONS_PER_OBJECTOR = 20;

    IProgrammeRegistry public immutable PROGRAMMES;
    IDirectory public immutable DIRECTORY;
    IBudgetLedger public immutable LEDGER;

    uint64 private _rosterCount;
    mapping(uint64 rosterId => Roster) private _rosters;
    /// @dev Two bits per line (LineHold), 128 lines per word.
    mapping(uint64 rosterId => mapping(uint256 word => uint256 bits)) private _holds;
    /// @dev Who objected to each frozen line, and how many unresolved objections each account holds.
    mapping(uint64 rosterId => mapping(uint32 lineIndex => address objector)) private _objectorOf;
    mapping(uint64 rosterId => mapping(address objector => uint32 open)) private _openBy;
    /// @dev The roster of each root, per programme: the same list is not submitted twice.
    mapping(uint64 programmeId => mapping(bytes32 root => uint64 rosterId)) private _rosterByRoot;

    constructor(address authority, IProgrammeRegistry programmes, IDirectory directory, IBudgetLedger ledger)
        Guarded(authority)
        EIP712("RosterBook", "1")
    {
        PROGRAMMES = programmes;
        DIRECTORY = directory;
        LEDGER = ledger;
    }

    // ---------------------------------------------------------------- submission

    /// @inheritdoc IRosterBook
    function submitRoster(Submission calldata s) external restricted whenNotPaused returns (uint64 rosterId) {
        address submitter = _onlyBureauOf(s.region);
        (uint128 cap, uint32 publicityPeriod, uint32 payoutPeriod, uint256 reviewStages) =
            PROGRAMMES.rosterTerms(s.programmeId);
        if (s.root == bytes32(0)) revert RosterBookInvalidSubmission("root");
        if (s.lineCount == 0) revert RosterBookInvalidSubmission("lineCount");
        // Every line pays at least one fen and at most the cap.
        if (s.total < s.lineCount || s.total > uint256(s.lineCount) * cap) {
            revert RosterBookInvalidSubmission("total");
        }
        if (s.documentHash == bytes32(0)) revert RosterBookInvalidSubmission("documentHash");
        // Every stage needs an office at or above the roster's region.
        uint8 missing = ReviewStages.levelWithoutOffice(reviewStages, s.region);
        if (missing != 0) revert RosterBookNoStageOffice(s.region, missing);
        // The same list twice would reserve its money twice; once withdrawn or rejected, it may come again.
        uint64 earlier = _rosterByRoot[s.programmeId][s.root];
        if (earlier != 0) {
            Ending ending = _rosters[earlier].ending;
            if (ending != Ending.Withdrawn && ending != Ending.Rejected) {
                revert RosterBookDuplicateRoster(s.programmeId, s.root, earlier);
            }
        }

        rosterId = ++_rosterCount;
        _rosterByRoot[s.programmeId][s.root] = rosterId;
        Roster storage r = _rosters[rosterId];
        r.programmeId = s.programmeId;
        r.region = s.region;
        r.lineCount = s.lineCount;
        r.publicityPeriod = publicityPeriod;
        r.payoutPeriod = payoutPeriod;
        r.submitter = submitter;
        r.submittedAt = uint40(block.timestamp);
        r.root = s.root;
        r.documentHash = s.documentHash;
        r.reviewStages = reviewStages;
        r.total = s.total;

        emit RosterSubmitted(
            rosterId, s.programmeId, s.region, submitter, s.root, s.lineCount, s.total, s.documentHash, s.documentURI
        );
        LEDGER.reserve(s.programmeId, s.region, s.total);
    }

    /// @inheritdoc IRosterBook
    function seal(uint64 rosterId, bytes32 root, uint128 total) external restricted whenNotPaused {
        Roster storage r = _rosterIn(rosterId, RosterState.AwaitingLines);
        if (root != r.root || total != r.total) revert RosterBookListMismatch(rosterId, r.root, root, r.total, total);
        r.listed = true;
        emit RosterSealed(rosterId, r.programmeId, r.region, root, total);
    }

    /// @inheritdoc IRosterBook
    function withdrawRoster(uint64 rosterId, bytes32 reasonHash) external restricted whenNotPaused {
        Roster storage r = _roster(rosterId);
        RosterState state = _state(r);
        if (state != RosterState.AwaitingSignOff && state != RosterState.AwaitingLines) {
            revert RosterBookWrongState(rosterId, RosterState.AwaitingSignOff, state);
        }
        _onlyBureauOf(r.region);
        _end(r, Ending.Withdrawn);
        emit RosterWithdrawn(rosterId, r.programmeId, r.region, reasonHash);
        _releaseRemaining(r);
    }

    // ---------------------------------------------------------------- sign-off

    /// @inheritdoc IRosterBook
    function approveRoster(uint64 rosterId) external restricted whenNotPaused {
        Roster storage r = _rosterIn(rosterId, RosterState.AwaitingSignOff);
        (address approver, uint8 stage, uint8 department) = _reviewer(r);
        _approve(rosterId, r, approver, stage, department, false);
    }

    /// @inheritdoc IRosterBook
    function approveRosterBySig(uint64 rosterId, SignedApproval[] calldata approvals) external restricted whenNotPaused {
        Roster storage r = _rosterIn(rosterId, RosterState.AwaitingSignOff);
        // Each signer holds one stage office of this roster and a stage approves once: a copy of a seal
        // is refused by its used nonce, a second seal of an approved stage by `_approve`
        // (RosterBookAlreadyApproved).
        for (uint256 i = 0; i < approvals.length; ++i) {
            SignedApproval calldata a = approvals[i];
            if (block.timestamp > a.deadline) revert RosterBookSignatureExpired(a.deadline);
            bytes32 digest = _approvalDigest(rosterId, r.root, a.stage, a.nonce, a.deadline);
            // ECDSA.recover rejects malleable (high-s) and malformed signatures.
            address signer = ECDSA.recover(digest, a.signature);
            (uint8 stage, uint8 department) = _reviewingStage(r, signer);
            if (stage != a.stage) revert RosterBookSignerNotStage(signer, a.stage);
            // A seal counts only while its signer still holds the reviewer role: revoking the role
            // (or its binding) voids the seals it has handed out.
            (bool isReviewer,) = IAccessManager(authority()).hasRole(Roles.REVIEWER, signer);
            if (!isReviewer) revert RosterBookSignerNotReviewer(signer);
            _useCheckedNonce(signer, a.nonce);
            _approve(rosterId, r, signer, stage, department, true);
            // The last approval moves the roster to publicity; further approvals would be for stages
            // already counted, which `_approve` rejects.
        }
    }

    /// @inheritdoc IRosterBook
    function rejectRoster(uint64 rosterId, bytes32 reasonHash) external restricted whenNotPaused {
        Roster storage r = _rosterIn(rosterId, RosterState.AwaitingSignOff);
        (address approver,, uint8 department) = _reviewer(r);
        _end(r, Ending.Rejected);
        emit RosterRejected(rosterId, department, approver, reasonHash, r.programmeId, r.region);
        _releaseRemaining(r);
    }

    // ---------------------------------------------------------------- publicity

    /// @inheritdoc IRosterBook
    /// @dev Deliberately not `whenNotPaused`: see the interface.
    function objectToLine(uint64 rosterId, uint32 lineIndex, bytes32 evidenceHash) external restricted {
        Roster storage r = _rosterIn(rosterId, RosterState.InPublicity);
        if (lineIndex >= r.lineCount) revert RosterBookLineOutOfRange(lineIndex, r.lineCount);
        address objector = _actor();
        uint32 open = _openBy[rosterId][objector];
        if (open >= MAX_OPEN_OBJECTIONS_PER_OBJECTOR) revert RosterBookTooManyObjections(objector, open);
        _moveHold(rosterId, lineIndex, LineHold.None, LineHold.Frozen);
        ++r.openObjections;
        _openBy[rosterId][objector] = open + 1;
        _objectorOf[rosterId][lineIndex] = objector;
        emit LineObjected(rosterId, lineIndex, objector, evidenceHash);
    }

    /// @inheritdoc IRosterBook
    function resolveObjection(
        uint64 rosterId,
        Line calldata line,
        bytes32[] calldata proof,
        bool upheld,
        bytes32 reasonHash
    ) external restricted whenNotPaused {
        Roster storage r = _roster(rosterId);
        (,, uint8 department) = _reviewer(r);
        uint128 released = _resolve(rosterId, r, department, line, proof, upheld, reasonHash);
        if (released != 0) LEDGER.release(r.programmeId, r.region, released);
    }

    /// @inheritdoc IRosterBook
    function resolveObjections(
        uint64 rosterId,
        Line[] calldata lines,
        bytes32[][] calldata proofs,
        bool[] calldata upheld,
        bytes32 reasonHash
    ) external restricted whenNotPaused {
        if (lines.length == 0 || lines.length != proofs.length || lines.length != upheld.length) {
            revert RosterBookBadResolutionBatch();
        }
        Roster storage r = _roster(rosterId);
        (,, uint8 department) = _reviewer(r);
        uint128 released = 0;
        for (uint256 i = 0; i < lines.length; ++i) {
            released += _resolve(rosterId, r, department, lines[i], proofs[i], upheld[i], reasonHash);
        }
        if (released != 0) LEDGER.release(r.programmeId, r.region, released);
    }

    // ---------------------------------------------------------------- payout accounting and closing

    /// @inheritdoc IRosterBook
    function recordPaid(uint64 rosterId, uint32 lines, uint128 amount) external restricted whenNotPaused {
        Roster storage r = _rosterIn(rosterId, RosterState.Payable);
        uint128 remaining = _remaining(r);
        if (amount > remaining) revert RosterBookOverspent(rosterId, remaining, amount);
        r.paid += amount;
        r.paidLines += lines;
        emit RosterPaid(rosterId, r.programmeId, r.region, amount);
        LEDGER.pay(r.programmeId, r.region, amount);
    }

    /// @inheritdoc IRosterBook
    function closeRoster(uint64 rosterId, bytes32 reasonHash) external restricted whenNotPaused {
        Roster storage r = _rosterIn(rosterId, RosterState.Payable);
        _onlyBureauOf(r.region);
        if (r.openObjections != 0) revert RosterBookObjectionsOpen(rosterId, r.openObjections);
        uint32 payable_ = _payableLines(r);
        if (payable_ == 0) return _close(rosterId, r);
        // Lines would be dropped: the duty to pay is waived only with a reason and a co-signature.
        if (reasonHash == bytes32(0)) revert RosterBookReasonRequired(rosterId, payable_);
        r.closeReasonHash = reasonHash;
        emit RosterCloseRequested(rosterId, r.programmeId, r.region, payable_, reasonHash);
    }

    /// @inheritdoc IRosterBook
    function confirmClose(uint64 rosterId) external restricted whenNotPaused {
        Roster storage r = _rosterIn(rosterId, RosterState.Payable);
        if (r.closeReasonHash == bytes32(0)) revert RosterBookNoCloseRequested(rosterId);
        (address approver,, uint8 department) = _reviewer(r);
        if (r.openObjections != 0) revert RosterBookObjectionsOpen(rosterId, r.openObjections);
        emit RosterLinesDropped(rosterId, department, approver, _payableLines(r), r.closeReasonHash);
        _close(rosterId, r);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRosterBook
    function payoutDeadline(uint64 rosterId) public view returns (uint40) {
        Roster storage r = _roster(rosterId);
        if (r.approvedAt == 0) return 0;
        return r.approvedAt + r.publicityPeriod + r.payoutPeriod;
    }

    /// @inheritdoc IRosterBook
    function overdueLines(uint64 rosterId) external view returns (uint32) {
        Roster storage r = _roster(rosterId);
        if (_state(r) != RosterState.Payable || block.timestamp <= payoutDeadline(rosterId)) return 0;
        return _payableLines(r);
    }

    /// @inheritdoc IRosterBook
    function roster(uint64 rosterId) external view returns (Roster memory) {
        return _roster(rosterId);
    }

    /// @inheritdoc IRosterBook
    function rosterOfRoot(uint64 programmeId, bytes32 root) external view returns (uint64) {
        return _rosterByRoot[programmeId][root];
    }

    /// @inheritdoc IRosterBook
    function listingTerms(uint64 rosterId) external view returns (ListingTerms memory) {
        Roster storage r = _roster(rosterId);
        return ListingTerms(r.programmeId, r.region, r.lineCount, r.total, _state(r), r.listed);
    }

    /// @inheritdoc IRosterBook
    function payoutTerms(uint64 rosterId) external view returns (PayoutTerms memory) {
        Roster storage r = _roster(rosterId);
        return PayoutTerms(r.programmeId, r.region, r.lineCount, r.root, r.openObjections != 0 || r.excludedLines != 0);
    }

    /// @inheritdoc IRosterBook
    function rosterState(uint64 rosterId) public view returns (RosterState) {
        return _state(_rosters[rosterId]);
    }

    /// @inheritdoc IRosterBook
    function rosterCount() external view returns (uint64) {
        return _rosterCount;
    }

    /// @inheritdoc IRosterBook
    function lineHold(uint64 rosterId, uint32 lineIndex) public view returns (LineHold) {
        return LineHold(_holds[rosterId].pair(lineIndex));
    }

    /// @inheritdoc IRosterBook
    function openObjectionsBy(uint64 rosterId, address objector) external view returns (uint32) {
        return _openBy[rosterId][objector];
    }

    /// @inheritdoc IRosterBook
    function holdWord(uint64 rosterId, uint256 word) external view returns (uint256) {
        return _holds[rosterId][word];
    }

    /// @inheritdoc IRosterBook
    function reviewingStage(uint64 rosterId, address account) external view returns (uint8 stage, uint8 department) {
        return _reviewingStage(_roster(rosterId), account);
    }

    /// @inheritdoc IRosterBook
    function approvalDigest(uint64 rosterId, uint8 stage, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _approvalDigest(rosterId, _roster(rosterId).root, stage, nonce, deadline);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Resolves the objection on `line`: the line becomes Excluded (upheld) or payable again, and its
    /// objector's count drops. Returns what an upheld objection releases (the caller releases it).
    function _resolve(
        uint64 rosterId,
        Roster storage r,
        uint8 department,
        Line calldata line,
        bytes32[] calldata proof,
        bool upheld,
        bytes32 reasonHash
    ) private returns (uint128 released) {
        if (!LineLeaf.verify(line, proof, r.root)) revert RosterBookInvalidProof(line.index);
        _moveHold(rosterId, line.index, LineHold.Frozen, upheld ? LineHold.Excluded : LineHold.None);
        --r.openObjections;
        address objector = _objectorOf[rosterId][line.index];
        --_openBy[rosterId][objector];
        delete _objectorOf[rosterId][line.index];
        if (upheld) {
            ++r.excludedLines;
            // A sealed roster's lines add up to its total (RosterLines), so this releases the line's
            // amount; the bound keeps the release within what the roster still reserves regardless.
            uint128 remaining = _remaining(r);
            released = line.amount < remaining ? line.amount : remaining;
            r.excluded += released;
        }
        emit ObjectionResolved(rosterId, line.index, line.household, upheld, department, released, reasonHash);
    }

    function _approve(uint64 rosterId, Roster storage r, address approver, uint8 stage, uint8 department, bool signed)
        private
    {
        uint256 approvals = r.approvals;
        uint256 bit = uint256(1) << stage;
        if (approvals & bit != 0) revert RosterBookAlreadyApproved(stage);
        uint256 stages = r.reviewStages;
        if (ReviewStages.isOrdered(stages) && approvals != bit - 1) revert RosterBookStageOutOfOrder(stage);
        approvals |= bit;
        r.approvals = approvals;
        emit RosterApproved(rosterId, stage, department, approver, signed, r.programmeId, r.region);
        if (approvals == (uint256(1) << ReviewStages.count(stages)) - 1) {
            r.approvedAt = uint40(block.timestamp);
            uint40 publicityEndsAt = uint40(block.timestamp) + r.publicityPeriod;
            emit RosterSignedOff(rosterId, r.programmeId, r.region, publicityEndsAt, publicityEndsAt + r.payoutPeriod);
        }
    }

    /// @dev Reverts unless the caller is the bureau currently bound to `region` (RegionBureau: so
    /// that a rotated key hands its rosters over to the new key); returns the caller.
    function _onlyBureauOf(uint64 region) private view returns (address actor) {
        actor = _actor();
        if (!RegionBureau.isHeldBy(DIRECTORY, region, actor)) revert RosterBookNotRegionBureau(actor, region);
    }

    /// @dev The caller as a reviewer of this roster: the caller, the stage whose office it holds and
    /// that office's department (`_reviewingStage`). Every review function of the suite names its
    /// reviewer so: Disbursement's `_reviewer` asks the same of this contract, through `reviewingStage`.
    function _reviewer(Roster storage r) private view returns (address account, uint8 stage, uint8 department) {
        account = _actor();
        (stage, department) = _reviewingStage(r, account);
    }

    /// @dev The stage whose office `account` holds for this roster (the office of the stage's
    /// department at the stage's level, above or at the roster's region), and its department. The
    /// submitter holds a bureau office for life, so it never reviews its own roster.
    function _reviewingStage(Roster storage r, address account) private view returns (uint8 stage, uint8 department) {
        IDirectory.Office memory office = DIRECTORY.officeOf(account);
        bool found = false;
        if (office.kind == IDirectory.OfficeKind.Reviewer) {
            (found, stage) = ReviewStages.stageOf(r.reviewStages, office.department, office.region, r.region);
        }
        if (!found) revert RosterBookNotReviewingOffice(account);
        return (stage, office.department);
    }

    function _approvalDigest(uint64 rosterId, bytes32 root, uint8 stage, uint256 nonce, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(APPROVAL_TYPEHASH, rosterId, root, stage, nonce, deadline)));
    }

    function _moveHold(uint64 rosterId, uint32 lineIndex, LineHold from, LineHold to) private {
        LineHold actual = lineHold(rosterId, lineIndex);
        if (actual != from) revert RosterBookWrongLineHold(lineIndex, from, actual);
        _holds[rosterId].setPair(lineIndex, uint8(to));
    }

    /// @dev Closes a payable roster: what it has not paid goes back to the region.
    function _close(uint64 rosterId, Roster storage r) private {
        _end(r, Ending.Closed);
        emit RosterClosed(rosterId, r.programmeId, r.region, _remaining(r));
        _releaseRemaining(r);
    }

    /// @dev Lines neither paid, excluded nor frozen: those the roster still owes.
    function _payableLines(Roster storage r) private view returns (uint32) {
        return r.lineCount - r.paidLines - r.excludedLines - r.openObjections;
    }

    function _end(Roster storage r, Ending ending) private {
        r.ending = ending;
        r.endedAt = uint40(block.timestamp);
    }

    /// @dev Releases everything the roster still reserves back to the region.
    function _releaseRemaining(Roster storage r) private {
        uint128 remaining = _remaining(r);
        if (remaining == 0) return;
        r.released += remaining;
        LEDGER.release(r.programmeId, r.region, remaining);
    }

    function _remaining(Roster storage r) private view returns (uint128) {
        return r.total - r.paid - r.excluded - r.released;
    }

    function _roster(uint64 rosterId) private view returns (Roster storage r) {
        r = _rosters[rosterId];
        if (r.submittedAt == 0) revert RosterBookUnknownRoster(rosterId);
    }

    function _rosterIn(uint64 rosterId, RosterState expected) private view returns (Roster storage r) {
        r = _roster(rosterId);
        RosterState actual = _state(r);
        if (actual != expected) revert RosterBookWrongState(rosterId, expected, actual);
    }

    function _state(Roster storage r) private view returns (RosterState) {
        if (r.submittedAt == 0) return RosterState.None;
        Ending ending = r.ending;
        if (ending == Ending.Rejected) return RosterState.Rejected;
        if (ending == Ending.Withdrawn) return RosterState.Withdrawn;
        if (ending == Ending.Closed) return RosterState.Closed;
        if (r.approvedAt == 0) return r.listed ? RosterState.AwaitingSignOff : RosterState.AwaitingLines;
        if (block.timestamp < uint256(r.approvedAt) + r.publicityPeriod) return RosterState.InPublicity;
        return RosterState.Payable;
    }
}
