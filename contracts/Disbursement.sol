// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IBudgetLedger} from "./interfaces/IBudgetLedger.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IDisbursement} from "./interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "./interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "./interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "./interfaces/IRosterBook.sol";
import {LineLeaf} from "./libraries/LineLeaf.sol";
import {Line} from "./types/Line.sol";

/// @title Disbursement
/// @notice Payouts, bank settlement and reversals of roster lines.
/// @dev Gas design: a line's state is four bits (64 lines per storage word) and "household paid in
/// this programme" is one bit (256 households per word), so consecutive lines and households
/// registered together share words; each word is read and written once per batch through a
/// one-word cache. One multiproof proves a whole batch against the roster root.
contract Disbursement is IDisbursement, AccessManaged {
    IProgrammeRegistry public immutable PROGRAMMES;
    IHouseholdRegistry public immutable HOUSEHOLDS;
    IDirectory public immutable DIRECTORY;
    IRosterBook public immutable ROSTERS;
    IBudgetLedger public immutable LEDGER;

    /// @dev Four bits per line (LineStatus), 64 lines per word.
    mapping(uint64 rosterId => mapping(uint256 word => uint256 bits)) private _lineStatus;
    /// @dev One bit per household id: paid (and not returned or reversed) in the programme.
    mapping(uint64 programmeId => mapping(uint256 word => uint256 bits)) private _paidHouseholds;
    mapping(uint256 reversalId => Reversal) private _reversals;
    uint256 private _reversalCount;

    /// @dev A one-word cache over a bitmap: `index` is the word held in `bits` (NO_WORD: none yet).
    struct WordCache {
        uint256 index;
        uint256 bits;
    }

    uint256 private constant NO_WORD = type(uint256).max;

    constructor(
        address authority,
        IProgrammeRegistry programmes,
        IHouseholdRegistry households,
        IDirectory directory,
        IRosterBook rosters,
        IBudgetLedger ledger
    ) AccessManaged(authority) {
        PROGRAMMES = programmes;
        HOUSEHOLDS = households;
        DIRECTORY = directory;
        ROSTERS = rosters;
        LEDGER = ledger;
    }

    // ---------------------------------------------------------------- payout

    /// @inheritdoc IDisbursement
    function recordPayouts(
        uint64 rosterId,
        Line[] calldata lines,
        bytes32[] calldata proof,
        bool[] calldata proofFlags
    ) external restricted {
        if (lines.length == 0) revert DisbursementBadBatch();
        IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rosterId);
        if (msg.sender == terms.submitter) revert DisbursementSubmitterCannotDisburse(msg.sender);
        _verifyBatch(rosterId, terms.root, lines, proof, proofFlags);
        uint256 total = _markPaid(rosterId, terms, lines);
        // Checks that the roster is payable and that the batch fits its reservation; moves the money.
        // `total` is at most lines.length * cap, far below 2^128.
        ROSTERS.recordPaid(rosterId, uint128(total));
    }

    // ---------------------------------------------------------------- settlement

    /// @inheritdoc IDisbursement
    function confirmPayouts(uint64 rosterId, uint32[] calldata lineIndices, bytes32[] calldata bankRefHashes)
        external
        restricted
    {
        if (lineIndices.length == 0 || lineIndices.length != bankRefHashes.length) revert DisbursementBadBatch();
        mapping(uint256 => uint256) storage statuses = _lineStatus[rosterId];
        WordCache memory status = WordCache(NO_WORD, 0);
        for (uint256 i = 0; i < lineIndices.length; ++i) {
            uint32 index = lineIndices[i];
            _setStatus(status, statuses, index, LineStatus.Paid, LineStatus.Confirmed);
            emit PayoutConfirmed(rosterId, index, bankRefHashes[i]);
        }
        _store(status, statuses);
    }

    /// @inheritdoc IDisbursement
    function returnPayouts(
        uint64 rosterId,
        Line[] calldata lines,
        bytes32[] calldata proof,
        bool[] calldata proofFlags,
        bytes32[] calldata bankRefHashes
    ) external restricted {
        if (lines.length == 0 || lines.length != bankRefHashes.length) revert DisbursementBadBatch();
        IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rosterId);
        _verifyBatch(rosterId, terms.root, lines, proof, proofFlags);
        uint256 total = _markReturned(rosterId, terms.programmeId, lines, bankRefHashes);
        // Each returned line was paid, so `total` is at most what the region paid (checked again there).
        LEDGER.refund(terms.programmeId, terms.region, uint128(total), IBudgetLedger.RefundKind.Returned);
    }

    // ---------------------------------------------------------------- reversal

    /// @inheritdoc IDisbursement
    function requestReversal(uint64 rosterId, Line calldata line, bytes32[] calldata proof, bytes32 reasonHash)
        external
        restricted
        returns (uint256 reversalId)
    {
        IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rosterId);
        if (!LineLeaf.verify(line, proof, terms.root)) revert DisbursementInvalidProof(rosterId);
        _expectReversible(rosterId, line.index);
        reversalId = ++_reversalCount;
        _reversals[reversalId] = Reversal(
            rosterId, line.index, line.household, line.amount, msg.sender, ReversalStatus.Pending, reasonHash
        );
        emit ReversalRequested(reversalId, rosterId, line.household, line.index, line.amount, msg.sender, reasonHash);
    }

    /// @inheritdoc IDisbursement
    function approveReversal(uint256 reversalId) external restricted {
        Reversal storage rev = _pendingReversal(reversalId);
        IRosterBook.Roster memory r = ROSTERS.roster(rev.rosterId);
        uint8 department = _reviewerDepartment(rev, r);
        _expectReversible(rev.rosterId, rev.lineIndex);
        rev.status = ReversalStatus.Approved;

        mapping(uint256 => uint256) storage statuses = _lineStatus[rev.rosterId];
        WordCache memory status = WordCache(NO_WORD, 0);
        _load(status, statuses, rev.lineIndex >> 6);
        uint256 shift = uint256(rev.lineIndex & 63) << 2;
        status.bits = (status.bits & ~(uint256(0xf) << shift)) | (uint256(LineStatus.Reversed) << shift);
        _store(status, statuses);
        _paidHouseholds[r.programmeId][rev.household >> 8] &= ~(uint256(1) << (rev.household & 0xff));

        emit ReversalApproved(reversalId, rev.rosterId, department, msg.sender);
        LEDGER.refund(r.programmeId, r.region, rev.amount, IBudgetLedger.RefundKind.Reversed);
    }

    /// @inheritdoc IDisbursement
    function rejectReversal(uint256 reversalId, bytes32 reasonHash) external restricted {
        Reversal storage rev = _pendingReversal(reversalId);
        uint8 department = _reviewerDepartment(rev, ROSTERS.roster(rev.rosterId));
        rev.status = ReversalStatus.Rejected;
        emit ReversalRejected(reversalId, rev.rosterId, department, msg.sender, reasonHash);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDisbursement
    function lineStatus(uint64 rosterId, uint32 lineIndex) public view returns (LineStatus) {
        return LineStatus((_lineStatus[rosterId][lineIndex >> 6] >> (uint256(lineIndex & 63) << 2)) & 0xf);
    }

    /// @inheritdoc IDisbursement
    function isHouseholdPaid(uint64 programmeId, uint64 household) external view returns (bool) {
        return (_paidHouseholds[programmeId][household >> 8] >> (household & 0xff)) & 1 == 1;
    }

    /// @inheritdoc IDisbursement
    function reversal(uint256 reversalId) external view returns (Reversal memory) {
        return _reversals[reversalId];
    }

    /// @inheritdoc IDisbursement
    function reversalCount() external view returns (uint256) {
        return _reversalCount;
    }

    // ---------------------------------------------------------------- internals

    /// @dev Points `cache` at word `index` of `map`, writing back the word it held before.
    function _load(WordCache memory cache, mapping(uint256 => uint256) storage map, uint256 index) private {
        if (cache.index == index) return;
        _store(cache, map);
        cache.index = index;
        cache.bits = map[index];
    }

    /// @dev Writes the cached word back, if any.
    function _store(WordCache memory cache, mapping(uint256 => uint256) storage map) private {
        if (cache.index != NO_WORD) map[cache.index] = cache.bits;
    }

    /// @dev Moves one line from state `from` to `to` through the cache.
    function _setStatus(
        WordCache memory cache,
        mapping(uint256 => uint256) storage statuses,
        uint32 index,
        LineStatus from,
        LineStatus to
    ) private {
        _load(cache, statuses, index >> 6);
        uint256 shift = uint256(index & 63) << 2;
        uint256 current = (cache.bits >> shift) & 0xf;
        if (current != uint256(from)) revert DisbursementWrongLineStatus(index, from, LineStatus(current));
        cache.bits = (cache.bits & ~(uint256(0xf) << shift)) | (uint256(to) << shift);
    }

    /// @dev Reverts unless `lines` (in multiproof order) belong to the tree with root `root`.
    function _verifyBatch(
        uint64 rosterId,
        bytes32 root,
        Line[] calldata lines,
        bytes32[] calldata proof,
        bool[] calldata proofFlags
    ) private pure {
        bytes32[] memory leaves = new bytes32[](lines.length);
        for (uint256 i = 0; i < lines.length; ++i) {
            leaves[i] = LineLeaf.hash(lines[i]);
        }
        if (!MerkleProof.multiProofVerifyCalldata(proof, proofFlags, root, leaves)) {
            revert DisbursementInvalidProof(rosterId);
        }
    }

    /// @dev The facts a payout batch checks every line against.
    struct PayoutBatch {
        uint64 rosterId;
        uint64 programmeId;
        uint32 lineCount;
        uint128 cap;
        uint64 householdCount;
    }

    /// @dev Unpaid → Paid for each line, after every check on the line and its household. Returns the sum.
    function _markPaid(uint64 rosterId, IRosterBook.PayoutTerms memory terms, Line[] calldata lines)
        private
        returns (uint256 total)
    {
        PayoutBatch memory batch = PayoutBatch(
            rosterId,
            terms.programmeId,
            terms.lineCount,
            PROGRAMMES.householdCap(terms.programmeId),
            HOUSEHOLDS.householdCount()
        );
        mapping(uint256 => uint256) storage statuses = _lineStatus[rosterId];
        mapping(uint256 => uint256) storage paid = _paidHouseholds[terms.programmeId];
        WordCache memory status = WordCache(NO_WORD, 0);
        WordCache memory holds = WordCache(NO_WORD, 0);
        WordCache memory paidBits = WordCache(NO_WORD, 0);
        WordCache memory suspended = WordCache(NO_WORD, 0);
        for (uint256 i = 0; i < lines.length; ++i) {
            Line calldata line = lines[i];
            _checkLine(batch, status, holds, statuses, line);
            _checkHousehold(batch, suspended, paidBits, paid, line.household);
            total += line.amount;
            emit PayoutRecorded(rosterId, line.household, terms.programmeId, line.index, line.amount);
        }
        _store(status, statuses);
        _store(paidBits, paid);
    }

    /// @dev The line is in range, unpaid, not held by an objection, and within the cap; marks it Paid.
    function _checkLine(
        PayoutBatch memory batch,
        WordCache memory status,
        WordCache memory holds,
        mapping(uint256 => uint256) storage statuses,
        Line calldata line
    ) private {
        uint32 index = line.index;
        if (index >= batch.lineCount) revert DisbursementLineOutOfRange(index, batch.lineCount);
        if (line.amount == 0 || line.amount > batch.cap) {
            revert DisbursementAmountOutOfRange(index, line.amount, batch.cap);
        }
        _setStatus(status, statuses, index, LineStatus.Unpaid, LineStatus.Paid);
        if (holds.index != index >> 7) {
            holds.index = index >> 7;
            holds.bits = ROSTERS.holdWord(batch.rosterId, holds.index);
        }
        if ((holds.bits >> (uint256(index & 127) << 1)) & 3 != 0) revert DisbursementLineHeld(index);
    }

    /// @dev The household is registered, not suspended and not yet paid in the programme; marks it paid.
    function _checkHousehold(
        PayoutBatch memory batch,
        WordCache memory suspended,
        WordCache memory paidBits,
        mapping(uint256 => uint256) storage paid,
        uint64 household
    ) private {
        if (household == 0 || household > batch.householdCount) revert DisbursementUnknownHousehold(household);
        uint256 word = household >> 8;
        uint256 bit = uint256(1) << (household & 0xff);
        if (suspended.index != word) {
            suspended.index = word;
            suspended.bits = HOUSEHOLDS.suspendedWord(word);
        }
        if (suspended.bits & bit != 0) revert DisbursementHouseholdSuspended(household);
        _load(paidBits, paid, word);
        if (paidBits.bits & bit != 0) revert DisbursementHouseholdAlreadyPaid(household, batch.programmeId);
        paidBits.bits |= bit;
    }

    /// @dev Paid → Returned for each line; the households become payable again. Returns the sum.
    function _markReturned(
        uint64 rosterId,
        uint64 programmeId,
        Line[] calldata lines,
        bytes32[] calldata bankRefHashes
    ) private returns (uint256 total) {
        mapping(uint256 => uint256) storage statuses = _lineStatus[rosterId];
        mapping(uint256 => uint256) storage paid = _paidHouseholds[programmeId];
        WordCache memory status = WordCache(NO_WORD, 0);
        WordCache memory paidBits = WordCache(NO_WORD, 0);
        for (uint256 i = 0; i < lines.length; ++i) {
            Line calldata line = lines[i];
            _setStatus(status, statuses, line.index, LineStatus.Paid, LineStatus.Returned);
            _load(paidBits, paid, line.household >> 8);
            paidBits.bits &= ~(uint256(1) << (line.household & 0xff));
            total += line.amount;
            emit PayoutReturned(rosterId, line.household, programmeId, line.index, line.amount, bankRefHashes[i]);
        }
        _store(status, statuses);
        _store(paidBits, paid);
    }

    function _expectReversible(uint64 rosterId, uint32 lineIndex) private view {
        LineStatus current = lineStatus(rosterId, lineIndex);
        if (current != LineStatus.Paid && current != LineStatus.Confirmed) {
            revert DisbursementWrongLineStatus(lineIndex, LineStatus.Confirmed, current);
        }
    }

    function _pendingReversal(uint256 reversalId) private view returns (Reversal storage rev) {
        rev = _reversals[reversalId];
        if (rev.status != ReversalStatus.Pending) revert DisbursementReversalNotPending(reversalId);
    }

    /// @dev The department the caller reviews for: required by the roster, neither requester nor submitter.
    function _reviewerDepartment(Reversal storage rev, IRosterBook.Roster memory r) private view returns (uint8) {
        if (msg.sender == rev.requester || msg.sender == r.submitter) revert DisbursementReviewerConflict(msg.sender);
        IDirectory.Binding memory b = DIRECTORY.bindingOf(msg.sender);
        if (b.kind != IDirectory.BindingKind.Department || (r.requiredDepartments >> b.id) & 1 == 0) {
            revert DisbursementNotRequiredDepartment(msg.sender);
        }
        return uint8(b.id);
    }
}
