// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Line} from "../types/Line.sol";
import {IDirectory} from "./IDirectory.sol";

/// @title IDisbursement
/// @notice Payouts, bank settlement and reversals (红字冲销) of roster lines — the hot path.
///
/// Line states: Unpaid → Paid → Confirmed (bank credited) or Returned (bank sent it back; the money
/// goes back to the region's available budget). Confirmed → ReversalPendingRecovery (a reviewed
/// reversal entry, 红字冲销) → Reversed (the agent bank recorded that it recovered the money from the
/// card; only then does the money go back to the region and may the household be paid again). A
/// payout the bank has not confirmed is not reversed: the bank returns it. Nothing is edited or
/// deleted: each step is an event. Stored facts: one "paid" bit per line (written by the payout), a
/// two-bit settlement outcome per line (Pending, Confirmed, Returned, Reversed; written by the bank
/// and by reversal approvals) and the line's latest reversal; the state is derived from them.
///
/// A payout never pays the same line twice, never pays the same household twice in one programme
/// (a programme is one earmark and one fiscal period) even across rosters and regions, never pays an
/// unregistered or suspended household, a frozen or excluded line, more than the per-household cap,
/// or more than the roster's reservation. A payout writes one bit per line and one bit per household,
/// so that a payout line costs a few thousand gas.
interface IDisbursement {
    /// @dev Line states, derived from the paid bit and the settlement outcome.
    enum LineStatus {
        Unpaid,
        Paid,
        Confirmed,
        Returned,
        Reversed,
        ReversalPendingRecovery
    }

    /// @dev Reversal states: Pending → Approved (awaiting the bank's recovery) → Recovered; or
    /// Pending → Rejected.
    enum ReversalStatus {
        None,
        Pending,
        Approved,
        Rejected,
        Recovered
    }

    /// @dev A recorded payout batch: its id and the lines it paid, packed (LinePacking), in the order
    /// it paid them. Returns and reversals prove a line against the batch that paid it (not against
    /// the roster root), so that they always refund exactly what was paid, whatever the tree holds.
    /// (RosterLines builds a roster's root from its lines, so a sealed roster's tree never holds two
    /// leaves for one index.)
    struct PaidBatch {
        uint32 batchId;
        uint256[] packedLines;
    }

    /// @dev A reversal entry: references the paid line, carries a reason, awaits a department's review.
    struct Reversal {
        uint64 rosterId;
        uint32 lineIndex;
        uint64 household;
        uint128 amount;
        address requester;
        ReversalStatus status;
        bytes32 reasonHash;
    }

    /// @dev Emitted for each paid line. The batch's programme and region are in the RosterPaid event
    /// of the same transaction (one per batch), which is indexed by both.
    event PayoutRecorded(uint64 indexed rosterId, uint64 indexed household, uint32 lineIndex, uint128 amount);

    /// @dev Emitted once per payout batch: `batchHash` is keccak256 of the batch's packed lines, in
    /// order (`keccak256(abi.encodePacked(packedLines))`).
    event PayoutBatchRecorded(
        uint64 indexed rosterId,
        uint32 indexed batchId,
        bytes32 batchHash,
        uint32 lineCount,
        uint128 amount
    );

    /// @dev Emitted for each line the bank confirmed as credited, with its bank reference hash.
    event PayoutConfirmed(uint64 indexed rosterId, uint32 indexed lineIndex, bytes32 bankRefHash);

    /// @dev Emitted for each line the bank returned; its amount went back to the region.
    event PayoutReturned(
        uint64 indexed rosterId,
        uint64 indexed household,
        uint64 indexed programmeId,
        uint32 lineIndex,
        uint128 amount,
        bytes32 bankRefHash
    );

    /// @dev Emitted when a reversal of a paid line was requested.
    event ReversalRequested(
        uint256 indexed reversalId,
        uint64 indexed rosterId,
        uint64 indexed household,
        uint32 lineIndex,
        uint128 amount,
        address requester,
        bytes32 reasonHash
    );

    /// @dev Emitted when a reversal was approved: the line is ReversalPendingRecovery until the bank
    /// records the recovery; the household still holds its payout in the programme.
    event ReversalApproved(uint256 indexed reversalId, uint64 indexed rosterId, uint8 indexed department, address approver);

    /// @dev Emitted when the bank recovered the reversed payout from the card: the line is Reversed, its
    /// amount went back to the region's available budget and the household may be paid again (through
    /// a new line).
    event ReversalRecovered(
        uint256 indexed reversalId,
        uint64 indexed rosterId,
        uint64 indexed household,
        uint32 lineIndex,
        uint128 amount,
        bytes32 bankRefHash
    );

    /// @dev Emitted when a reversal was rejected; the line is unchanged.
    event ReversalRejected(
        uint256 indexed reversalId,
        uint64 indexed rosterId,
        uint8 indexed department,
        address approver,
        bytes32 reasonHash
    );

    /// @dev The batch is empty, or its arrays differ in length.
    error DisbursementBadBatch();

    /// @dev The lines and multiproof do not belong to the roster's Merkle root.
    error DisbursementInvalidProof(uint64 rosterId);

    /// @dev `lineIndex` is not below the roster's line count.
    error DisbursementLineOutOfRange(uint32 lineIndex, uint32 lineCount);

    /// @dev The line is in state `actual`, not `expected`.
    error DisbursementWrongLineStatus(uint32 lineIndex, LineStatus expected, LineStatus actual);

    /// @dev No payout batch `batchId` of the roster has these lines.
    error DisbursementUnknownBatch(uint64 rosterId, uint32 batchId);

    /// @dev The line is not at `position` in the batch.
    error DisbursementLineNotInBatch(uint32 lineIndex, uint256 position);

    /// @dev Only a Confirmed line can be reversed (the bank returns a payout it has not confirmed);
    /// this one is `actual`.
    error DisbursementNotReversible(uint32 lineIndex, LineStatus actual);

    /// @dev A bank reference hash is zero (for line `lineIndex`, or for a recovery); the bank must name
    /// its transaction.
    error DisbursementZeroBankReference(uint32 lineIndex);

    /// @dev Reversal `reversalId` is `actual`, not Approved: there is no recovery to record.
    error DisbursementNotAwaitingRecovery(uint256 reversalId, ReversalStatus actual);

    /// @dev Reversal `reversalId` of this line is still pending.
    error DisbursementReversalPending(uint32 lineIndex, uint256 reversalId);

    /// @dev The batch's lines are not in strictly ascending index order; `lineIndex` is the first out of order.
    error DisbursementLinesNotAscending(uint32 lineIndex);

    /// @dev The line is frozen by an objection or excluded.
    error DisbursementLineHeld(uint32 lineIndex);

    /// @dev `household` is not registered.
    error DisbursementUnknownHousehold(uint64 household);

    /// @dev `household` belongs to `householdRegion`, outside the subtree of the roster's region
    /// `rosterRegion`: a roster pays only households of its own region.
    error DisbursementHouseholdOutsideRegion(uint64 household, uint64 householdRegion, uint64 rosterRegion);

    /// @dev `household` is suspended.
    error DisbursementHouseholdSuspended(uint64 household);

    /// @dev `household` was paid already in `programmeId`.
    error DisbursementHouseholdAlreadyPaid(uint64 household, uint64 programmeId);

    /// @dev The line's amount is zero or above the programme's per-household cap.
    error DisbursementAmountOutOfRange(uint32 lineIndex, uint128 amount, uint128 cap);

    /// @dev No reversal has id `reversalId`, or it is not pending.
    error DisbursementReversalNotPending(uint256 reversalId);

    /// @dev `account` does not hold an office of `kind` whose subtree contains the roster's `region`: a
    /// county's treasury pays and its agent bank settles only rosters of that county.
    error DisbursementNotOffice(address account, IDirectory.OfficeKind kind, uint64 region);

    /// @notice Records payouts of lines of a payable roster, proven by one multiproof. The caller holds
    /// the treasury office of the roster's region or of a region above it (so it is not the roster's
    /// submitter, which holds a bureau office: one account, one office, for life).
    /// @param packedLines One word per line, `index << 192 | household << 128 | amount` (see
    /// LinePacking), in strictly ascending index order. Packing keeps the calldata of the hot path at
    /// 32 bytes a line; the Merkle leaves are the usual `Line` leaves.
    /// @param proof The multiproof hashes of `StandardMerkleTree.getMultiProof` for these lines. Its
    /// proof flags are not sent: the contract derives them from the line indices (see LineTree).
    function recordPayouts(uint64 rosterId, uint256[] calldata packedLines, bytes32[] calldata proof) external;

    /// @notice Confirms that the bank credited paid lines, one bank reference hash per line. The caller
    /// holds the agent-bank office of the roster's region or of a region above it (so for returns and
    /// recoveries).
    function confirmPayouts(uint64 rosterId, uint32[] calldata lineIndices, bytes32[] calldata bankRefHashes) external;

    /// @notice Reports paid lines returned by the bank; their amounts go back to the region's budget
    /// and the households become payable again in the programme, through a new line.
    /// @param batch The payout batch that paid the lines; `positions[i]` is `lines[i]`'s place in it.
    function returnPayouts(
        uint64 rosterId,
        PaidBatch calldata batch,
        uint32[] calldata positions,
        Line[] calldata lines,
        bytes32[] calldata bankRefHashes
    ) external;

    /// @notice Requests the reversal of a confirmed line, proven against the batch that paid it, by the
    /// treasury office of the roster's region or above.
    /// One reversal per line may be pending at a time.
    function requestReversal(
        uint64 rosterId,
        PaidBatch calldata batch,
        uint32 position,
        Line calldata line,
        bytes32 reasonHash
    ) external returns (uint256 reversalId);

    /// @notice Approves a pending reversal, by the holder of one of the roster's stage offices (see
    /// IRosterBook.reviewingStage). The requester holds a treasury office and the submitter a bureau
    /// office, so neither can: one account holds one office, for life (IDirectory). The line then awaits the bank's recovery; no money moves yet.
    function approveReversal(uint256 reversalId) external;

    /// @notice Records that the bank recovered approved reversals from the households' cards, one bank
    /// reference hash each: the amounts go back to the regions and the households become payable again.
    function recordRecoveries(uint256[] calldata reversalIds, bytes32[] calldata bankRefHashes) external;

    /// @notice Rejects a pending reversal, by the holder of one of the roster's stage offices.
    function rejectReversal(uint256 reversalId, bytes32 reasonHash) external;

    /// @notice The state of one line.
    function lineStatus(uint64 rosterId, uint32 lineIndex) external view returns (LineStatus);

    /// @notice 256 "paid" bits: line `word * 256 + i` at bit `i`. Lets a resumed payout run read which
    /// lines are paid with one call per 256 lines.
    function paidLinesWord(uint64 rosterId, uint256 word) external view returns (uint256);

    /// @notice 128 two-bit settlement outcomes of paid lines (0 pending, 1 confirmed, 2 returned,
    /// 3 reversal approved): line `word * 128 + i` at bits `2i..2i+1`. With paidLinesWord, a line's
    /// status; a reversed line is Reversed once its reversal (`reversalOf`) is Recovered.
    function outcomesWord(uint64 rosterId, uint256 word) external view returns (uint256);

    /// @notice 256 "holds a payout in the programme" bits: household `word * 256 + i` at bit `i`.
    function paidHouseholdsWord(uint64 programmeId, uint256 word) external view returns (uint256);

    /// @notice Whether `household` holds a payout in `programmeId` (paid, confirmed or reversed awaiting
    /// recovery; not returned, not recovered).
    function isHouseholdPaid(uint64 programmeId, uint64 household) external view returns (bool);

    /// @notice Reversal `reversalId`.
    function reversal(uint256 reversalId) external view returns (Reversal memory);

    /// @notice The latest reversal requested for a line (0 if none).
    function reversalOf(uint64 rosterId, uint32 lineIndex) external view returns (uint256);

    /// @notice Number of reversals requested (the highest id).
    function reversalCount() external view returns (uint256);

    /// @notice The hash of payout batch `batchId` of `rosterId` (zero if none).
    function batchHash(uint64 rosterId, uint32 batchId) external view returns (bytes32);

    /// @notice Number of payout batches recorded for `rosterId` (batch ids start at 1).
    function batchCount(uint64 rosterId) external view returns (uint32);
}
