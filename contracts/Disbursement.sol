// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {Guarded} from "./governance/Guarded.sol";
import {IBudgetLedger} from "./interfaces/IBudgetLedger.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IDisbursement} from "./interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "./interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "./interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "./interfaces/IRosterBook.sol";
import {LineLeaf} from "./libraries/LineLeaf.sol";
import {LinePacking} from "./libraries/LinePacking.sol";
import {Line} from "./types/Line.sol";

/// @title Disbursement
/// @notice Payouts, bank settlement and reversals of roster lines.
/// @dev Gas design. A payout writes one "paid" bit per line (256 lines per storage word) and one
/// "paid in this programme" bit per household (256 households per word), so consecutive lines and
/// households registered together share words. Settlement writes a two-bit outcome per line (128 per
/// word). Loops keep the word they are working on in a local variable and write it back once when
/// they move to another word. One multiproof proves a whole batch against the roster root.
contract Disbursement is IDisbursement, Guarded {
    /// @dev Settlement outcome of a paid line (two bits).
    enum Outcome {
        Pending,
        Confirmed,
        Returned,
        Reversed
    }

    IProgrammeRegistry public immutable PROGRAMMES;
    IHouseholdRegistry public immutable HOUSEHOLDS;
    IDirectory public immutable DIRECTORY;
    IRosterBook public immutable ROSTERS;
    IBudgetLedger public immutable LEDGER;

    /// @dev Marks "no word loaded yet" in the loops' one-word caches.
    uint256 private constant NO_WORD = type(uint256).max;

    /// @dev One bit per line: paid. Line `i` is bit `i % 256` of word `i / 256`.
    mapping(uint64 rosterId => mapping(uint256 word => uint256 bits)) private _paidLines;
    /// @dev Two bits per line (Outcome). Line `i` is bits `2(i % 128)..` of word `i / 128`.
    mapping(uint64 rosterId => mapping(uint256 word => uint256 bits)) private _outcomes;
    /// @dev One bit per household id: holds a payout in the programme (not returned or reversed).
    mapping(uint64 programmeId => mapping(uint256 word => uint256 bits)) private _paidHouseholds;
    /// @dev keccak256 of each payout batch's leaves, by roster and batch id.
    mapping(uint64 rosterId => mapping(uint32 batchId => bytes32)) private _batchHashes;
    mapping(uint64 rosterId => uint32) private _batchCount;
    mapping(uint256 reversalId => Reversal) private _reversals;
    /// @dev The pending reversal of each line, if any.
    mapping(uint64 rosterId => mapping(uint32 lineIndex => uint256 reversalId)) private _pendingReversalOf;
    uint256 private _reversalCount;

    constructor(
        address authority,
        IProgrammeRegistry programmes,
        IHouseholdRegistry households,
        IDirectory directory,
        IRosterBook rosters,
        IBudgetLedger ledger
    ) Guarded(authority) {
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
        uint256[] calldata packedLines,
        bytes32[] calldata proof,
        bool[] calldata proofFlags
    ) external restricted whenNotPaused {
        if (packedLines.length == 0) revert DisbursementBadBatch();
        IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rosterId);
        if (msg.sender == terms.submitter) revert DisbursementSubmitterCannotDisburse(msg.sender);
        (bytes32[] memory leaves, uint256 total) = _markPaid(rosterId, terms, packedLines);
        if (!MerkleProof.multiProofVerifyCalldata(proof, proofFlags, terms.root, leaves)) {
            revert DisbursementInvalidProof(rosterId);
        }
        uint128 amount = SafeCast.toUint128(total);
        uint32 batchId = ++_batchCount[rosterId];
        bytes32 hash = keccak256(abi.encodePacked(leaves));
        _batchHashes[rosterId][batchId] = hash;
        emit PayoutBatchRecorded(rosterId, batchId, hash, uint32(packedLines.length), amount);
        // Checks that the roster is payable and that the batch fits its reservation; moves the money.
        ROSTERS.recordPaid(rosterId, amount);
    }

    // ---------------------------------------------------------------- settlement

    /// @inheritdoc IDisbursement
    function confirmPayouts(uint64 rosterId, uint32[] calldata lineIndices, bytes32[] calldata bankRefHashes)
        external
        restricted
        whenNotPaused
    {
        if (lineIndices.length == 0 || lineIndices.length != bankRefHashes.length) revert DisbursementBadBatch();
        mapping(uint256 => uint256) storage paidLines = _paidLines[rosterId];
        mapping(uint256 => uint256) storage outcomes = _outcomes[rosterId];
        (uint256 paidAt, uint256 paidBits) = (NO_WORD, 0);
        (uint256 outcomeAt, uint256 outcomeBits) = (NO_WORD, 0);
        for (uint256 i = 0; i < lineIndices.length; ++i) {
            uint32 index = lineIndices[i];
            if (index >> 8 != paidAt) (paidAt, paidBits) = (index >> 8, paidLines[index >> 8]);
            if (index >> 7 != outcomeAt) {
                if (outcomeAt != NO_WORD) outcomes[outcomeAt] = outcomeBits;
                (outcomeAt, outcomeBits) = (index >> 7, outcomes[index >> 7]);
            }
            outcomeBits = _settle(index, paidBits, outcomeBits, Outcome.Confirmed);
            emit PayoutConfirmed(rosterId, index, bankRefHashes[i]);
        }
        outcomes[outcomeAt] = outcomeBits;
    }

    /// @inheritdoc IDisbursement
    function returnPayouts(
        uint64 rosterId,
        PaidBatch calldata batch,
        uint32[] calldata positions,
        Line[] calldata lines,
        bytes32[] calldata bankRefHashes
    ) external restricted whenNotPaused {
        if (lines.length == 0 || lines.length != bankRefHashes.length || lines.length != positions.length) {
            revert DisbursementBadBatch();
        }
        _checkBatch(rosterId, batch);
        IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rosterId);
        uint256 total = 0;
        for (uint256 i = 0; i < lines.length; ++i) {
            Line calldata line = lines[i];
            _checkInBatch(batch, positions[i], line);
            _setOutcome(rosterId, line.index, Outcome.Returned);
            // The household may be paid again in this programme, through a new line.
            _clearHouseholdPaid(terms.programmeId, line.household);
            total += line.amount;
            emit PayoutReturned(rosterId, line.household, terms.programmeId, line.index, line.amount, bankRefHashes[i]);
        }
        LEDGER.refund(terms.programmeId, terms.region, SafeCast.toUint128(total), IBudgetLedger.RefundKind.Returned);
    }

    // ---------------------------------------------------------------- reversal

    /// @inheritdoc IDisbursement
    function requestReversal(
        uint64 rosterId,
        PaidBatch calldata batch,
        uint32 position,
        Line calldata line,
        bytes32 reasonHash
    ) external restricted whenNotPaused returns (uint256 reversalId) {
        _checkBatch(rosterId, batch);
        _checkInBatch(batch, position, line);
        _expectReversible(rosterId, line.index);
        uint256 pending = _pendingReversalOf[rosterId][line.index];
        if (pending != 0) revert DisbursementReversalPending(line.index, pending);
        reversalId = ++_reversalCount;
        _pendingReversalOf[rosterId][line.index] = reversalId;
        _reversals[reversalId] = Reversal(
            rosterId, line.index, line.household, line.amount, msg.sender, ReversalStatus.Pending, reasonHash
        );
        emit ReversalRequested(reversalId, rosterId, line.household, line.index, line.amount, msg.sender, reasonHash);
    }

    /// @inheritdoc IDisbursement
    function approveReversal(uint256 reversalId) external restricted whenNotPaused {
        Reversal storage rev = _pendingReversal(reversalId);
        IRosterBook.Roster memory r = ROSTERS.roster(rev.rosterId);
        uint8 department = _reviewerDepartment(rev, r);
        rev.status = ReversalStatus.Approved;
        delete _pendingReversalOf[rev.rosterId][rev.lineIndex];
        // Checks again that the line is Paid or Confirmed: the bank may have returned it since the request.
        _setOutcome(rev.rosterId, rev.lineIndex, Outcome.Reversed);
        _clearHouseholdPaid(r.programmeId, rev.household);
        emit ReversalApproved(reversalId, rev.rosterId, department, msg.sender);
        LEDGER.refund(r.programmeId, r.region, rev.amount, IBudgetLedger.RefundKind.Reversed);
    }

    /// @inheritdoc IDisbursement
    function rejectReversal(uint256 reversalId, bytes32 reasonHash) external restricted whenNotPaused {
        Reversal storage rev = _pendingReversal(reversalId);
        uint8 department = _reviewerDepartment(rev, ROSTERS.roster(rev.rosterId));
        rev.status = ReversalStatus.Rejected;
        delete _pendingReversalOf[rev.rosterId][rev.lineIndex];
        emit ReversalRejected(reversalId, rev.rosterId, department, msg.sender, reasonHash);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDisbursement
    function lineStatus(uint64 rosterId, uint32 lineIndex) public view returns (LineStatus) {
        if ((_paidLines[rosterId][lineIndex >> 8] >> (lineIndex & 0xff)) & 1 == 0) return LineStatus.Unpaid;
        Outcome outcome = Outcome((_outcomes[rosterId][lineIndex >> 7] >> _outcomeShift(lineIndex)) & 3);
        if (outcome == Outcome.Pending) return LineStatus.Paid;
        if (outcome == Outcome.Confirmed) return LineStatus.Confirmed;
        if (outcome == Outcome.Returned) return LineStatus.Returned;
        return LineStatus.Reversed;
    }

    /// @inheritdoc IDisbursement
    function paidLinesWord(uint64 rosterId, uint256 word) external view returns (uint256) {
        return _paidLines[rosterId][word];
    }

    /// @inheritdoc IDisbursement
    function outcomesWord(uint64 rosterId, uint256 word) external view returns (uint256) {
        return _outcomes[rosterId][word];
    }

    /// @inheritdoc IDisbursement
    function paidHouseholdsWord(uint64 programmeId, uint256 word) external view returns (uint256) {
        return _paidHouseholds[programmeId][word];
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

    /// @inheritdoc IDisbursement
    function batchHash(uint64 rosterId, uint32 batchId) external view returns (bytes32) {
        return _batchHashes[rosterId][batchId];
    }

    /// @inheritdoc IDisbursement
    function batchCount(uint64 rosterId) external view returns (uint32) {
        return _batchCount[rosterId];
    }

    // ---------------------------------------------------------------- internals

    /// @dev Unpaid → Paid for each line, after every check on the line and its household.
    /// Returns the lines' leaves (for the multiproof) and their sum. The hot path: each bitmap word
    /// is loaded and stored once per run of lines that share it. Kept in one body on purpose: every
    /// helper call in this loop costs gas on every paid line.
    // solhint-disable-next-line function-max-lines
    function _markPaid(uint64 rosterId, IRosterBook.PayoutTerms memory terms, uint256[] calldata packedLines)
        private
        returns (bytes32[] memory leaves, uint256 total)
    {
        uint256 cap = PROGRAMMES.householdCap(terms.programmeId);
        uint256 householdCount = HOUSEHOLDS.householdCount();
        uint256 lineCount = terms.lineCount;
        mapping(uint256 => uint256) storage paidLines = _paidLines[rosterId];
        mapping(uint256 => uint256) storage paidHouseholds = _paidHouseholds[terms.programmeId];
        // One-word caches: the index of the word held (NO_WORD: none yet) and its bits.
        (uint256 lineAt, uint256 lineBits) = (NO_WORD, 0);
        (uint256 holdAt, uint256 holdBits) = (NO_WORD, 0);
        (uint256 householdAt, uint256 householdBits) = (NO_WORD, 0);
        (uint256 suspendedAt, uint256 suspendedBits) = (NO_WORD, 0);

        leaves = new bytes32[](packedLines.length);
        for (uint256 i = 0; i < packedLines.length; ++i) {
            (uint32 index, uint64 household, uint128 amount) = LinePacking.unpack(packedLines[i]);

            // The line: in range, within the cap, unpaid, not frozen or excluded by an objection.
            if (index >= lineCount) revert DisbursementLineOutOfRange(index, uint32(lineCount));
            if (amount == 0 || amount > cap) revert DisbursementAmountOutOfRange(index, amount, uint128(cap));
            uint256 word = index >> 8;
            if (word != lineAt) {
                if (lineAt != NO_WORD) paidLines[lineAt] = lineBits;
                (lineAt, lineBits) = (word, paidLines[word]);
            }
            uint256 bit = uint256(1) << (index & 0xff);
            if (lineBits & bit != 0) revert DisbursementWrongLineStatus(index, LineStatus.Unpaid, lineStatus(rosterId, index));
            lineBits |= bit;
            word = index >> 7;
            if (word != holdAt) (holdAt, holdBits) = (word, ROSTERS.holdWord(rosterId, word));
            if ((holdBits >> (uint256(index & 127) << 1)) & 3 != 0) revert DisbursementLineHeld(index);

            // The household: registered, not suspended, not yet paid in this programme.
            if (household == 0 || household > householdCount) revert DisbursementUnknownHousehold(household);
            word = household >> 8;
            bit = uint256(1) << (household & 0xff);
            if (word != suspendedAt) (suspendedAt, suspendedBits) = (word, HOUSEHOLDS.suspendedWord(word));
            if (suspendedBits & bit != 0) revert DisbursementHouseholdSuspended(household);
            if (word != householdAt) {
                if (householdAt != NO_WORD) paidHouseholds[householdAt] = householdBits;
                (householdAt, householdBits) = (word, paidHouseholds[word]);
            }
            if (householdBits & bit != 0) revert DisbursementHouseholdAlreadyPaid(household, terms.programmeId);
            householdBits |= bit;

            total += amount;
            leaves[i] = LineLeaf.hashOf(index, household, amount);
            emit PayoutRecorded(rosterId, household, index, amount);
        }
        paidLines[lineAt] = lineBits;
        paidHouseholds[householdAt] = householdBits;
    }

    /// @dev Pending → `to` for a paid line, on the cached words; returns the new outcome word.
    function _settle(uint32 index, uint256 paidBits, uint256 outcomeBits, Outcome to) private pure returns (uint256) {
        uint256 shift = _outcomeShift(index);
        bool paid = (paidBits >> (index & 0xff)) & 1 == 1;
        Outcome current = Outcome((outcomeBits >> shift) & 3);
        if (!paid || current != Outcome.Pending) {
            revert DisbursementWrongLineStatus(index, LineStatus.Paid, _statusOf(paid, current));
        }
        return outcomeBits | (uint256(to) << shift);
    }

    /// @dev Moves a paid line's outcome to `to` (Returned from Pending; Reversed from Pending or Confirmed).
    function _setOutcome(uint64 rosterId, uint32 index, Outcome to) private {
        uint256 paidBits = _paidLines[rosterId][index >> 8];
        uint256 outcomeBits = _outcomes[rosterId][index >> 7];
        uint256 shift = _outcomeShift(index);
        if (to == Outcome.Reversed) {
            _expectReversible(rosterId, index);
            outcomeBits &= ~(uint256(3) << shift);
            outcomeBits |= uint256(to) << shift;
        } else {
            outcomeBits = _settle(index, paidBits, outcomeBits, to);
        }
        _outcomes[rosterId][index >> 7] = outcomeBits;
    }

    function _clearHouseholdPaid(uint64 programmeId, uint64 household) private {
        _paidHouseholds[programmeId][household >> 8] &= ~(uint256(1) << (household & 0xff));
    }

    function _expectReversible(uint64 rosterId, uint32 lineIndex) private view {
        LineStatus current = lineStatus(rosterId, lineIndex);
        if (current != LineStatus.Paid && current != LineStatus.Confirmed) {
            revert DisbursementNotReversible(lineIndex, current);
        }
    }

    /// @dev Reverts unless `batch` is a payout batch recorded for `rosterId`, leaves and all.
    function _checkBatch(uint64 rosterId, PaidBatch calldata batch) private view {
        bytes32 stored = _batchHashes[rosterId][batch.batchId];
        if (stored == bytes32(0) || keccak256(abi.encodePacked(batch.leaves)) != stored) {
            revert DisbursementUnknownBatch(rosterId, batch.batchId);
        }
    }

    /// @dev Reverts unless `line` is the leaf at `position` of a checked batch.
    function _checkInBatch(PaidBatch calldata batch, uint32 position, Line calldata line) private pure {
        if (position >= batch.leaves.length || batch.leaves[position] != LineLeaf.hash(line)) {
            revert DisbursementLineNotInBatch(line.index, position);
        }
    }

    function _statusOf(bool paid, Outcome outcome) private pure returns (LineStatus) {
        if (!paid) return LineStatus.Unpaid;
        return LineStatus(uint8(outcome) + 1);
    }

    function _outcomeShift(uint32 index) private pure returns (uint256) {
        return uint256(index & 127) << 1;
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
