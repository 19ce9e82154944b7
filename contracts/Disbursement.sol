// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {Guarded} from "./governance/Guarded.sol";
import {IBudgetLedger} from "./interfaces/IBudgetLedger.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IDisbursement} from "./interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "./interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "./interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "./interfaces/IRosterBook.sol";
import {BitWords} from "./libraries/BitWords.sol";
import {LinePacking} from "./libraries/LinePacking.sol";
import {LineTree} from "./libraries/LineTree.sol";
import {RegionCode} from "./libraries/RegionCode.sol";
import {Line} from "./types/Line.sol";

/// @title Disbursement
/// @notice Payouts, bank settlement and reversals of roster lines.
/// @dev Gas design. A payout writes one "paid" bit per line (256 lines per storage word) and one
/// "paid in this programme" bit per household (256 households per word), so consecutive lines and
/// households registered together share words. Settlement writes a two-bit outcome per line (128 per
/// word). Loops keep the word they are working on in a local variable and write it back once when
/// they move to another word. One multiproof proves a whole batch against the roster root.
contract Disbursement is IDisbursement, Guarded {
    using BitWords for mapping(uint256 => uint256);

    /// @dev Settlement outcome of a paid line (two bits). Reversed: a reversal was approved; the line
    /// is LineStatus.Reversed only once the bank records the recovery, ReversalPendingRecovery until then.
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
    /// @dev One bit per household id: holds a payout in the programme. Set by the payout; cleared when
    /// the bank returns the line or records the recovery of its reversal (not at the reversal's
    /// approval: the money is still on the household's card until then).
    mapping(uint64 programmeId => mapping(uint256 word => uint256 bits)) private _paidHouseholds;
    /// @dev keccak256 of each payout batch's packed lines, by roster and batch id.
    mapping(uint64 rosterId => mapping(uint32 batchId => bytes32)) private _batchHashes;
    mapping(uint64 rosterId => uint32) private _batchCount;
    mapping(uint256 reversalId => Reversal) private _reversals;
    /// @dev The latest reversal of each line, if any.
    mapping(uint64 rosterId => mapping(uint32 lineIndex => uint256 reversalId)) private _reversalOf;
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
    function recordPayouts(uint64 rosterId, uint256[] calldata packedLines, bytes32[] calldata proof)
        external
        restricted
        whenNotPaused
    {
        if (packedLines.length == 0) revert DisbursementBadBatch();
        IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rosterId);
        // A treasury office: never the roster's submitter, which holds a bureau office for life.
        _office(IDirectory.OfficeKind.Treasury, terms.region);
        uint256 total = _markPaid(rosterId, terms, packedLines);
        if (!LineTree.verify(terms.root, terms.lineCount, packedLines, proof)) revert DisbursementInvalidProof(rosterId);
        bytes32 hash = keccak256(abi.encodePacked(packedLines));
        uint128 amount = SafeCast.toUint128(total);
        uint32 batchId = ++_batchCount[rosterId];
        _batchHashes[rosterId][batchId] = hash;
        emit PayoutBatchRecorded(rosterId, batchId, hash, uint32(packedLines.length), amount);
        // Checks that the roster is payable and that the batch fits its reservation; moves the money.
        ROSTERS.recordPaid(rosterId, uint32(packedLines.length), amount);
    }

    // ---------------------------------------------------------------- settlement

    /// @inheritdoc IDisbursement
    function confirmPayouts(uint64 rosterId, uint32[] calldata lineIndices, bytes32[] calldata bankRefHashes)
        external
        restricted
        whenNotPaused
    {
        if (lineIndices.length == 0 || lineIndices.length != bankRefHashes.length) revert DisbursementBadBatch();
        _office(IDirectory.OfficeKind.Bank, ROSTERS.payoutTerms(rosterId).region);
        mapping(uint256 => uint256) storage paidLines = _paidLines[rosterId];
        mapping(uint256 => uint256) storage outcomes = _outcomes[rosterId];
        (uint256 paidAt, uint256 paidBits) = (NO_WORD, 0);
        (uint256 outcomeAt, uint256 outcomeBits) = (NO_WORD, 0);
        for (uint256 i = 0; i < lineIndices.length; ++i) {
            uint32 index = lineIndices[i];
            uint256 paidWord = BitWords.wordOfBit(index);
            uint256 outcomeWord = BitWords.wordOfPair(index);
            if (paidWord != paidAt) (paidAt, paidBits) = (paidWord, paidLines[paidWord]);
            if (outcomeWord != outcomeAt) {
                if (outcomeAt != NO_WORD) outcomes[outcomeAt] = outcomeBits;
                (outcomeAt, outcomeBits) = (outcomeWord, outcomes[outcomeWord]);
            }
            outcomeBits = _settle(index, paidBits, outcomeBits, Outcome.Confirmed);
            bytes32 bankRef = bankRefHashes[i];
            if (bankRef == bytes32(0)) revert DisbursementZeroBankReference(index);
            emit PayoutConfirmed(rosterId, index, bankRef);
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
        IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rosterId);
        _office(IDirectory.OfficeKind.Bank, terms.region);
        _checkBatch(rosterId, batch);
        uint256 total = 0;
        for (uint256 i = 0; i < lines.length; ++i) {
            Line calldata line = lines[i];
            _checkInBatch(batch, positions[i], line);
            if (bankRefHashes[i] == bytes32(0)) revert DisbursementZeroBankReference(line.index);
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
        address requester = _office(IDirectory.OfficeKind.Treasury, ROSTERS.payoutTerms(rosterId).region);
        _checkBatch(rosterId, batch);
        _checkInBatch(batch, position, line);
        _expectReversible(rosterId, line.index);
        uint256 latest = _reversalOf[rosterId][line.index];
        if (latest != 0 && _reversals[latest].status == ReversalStatus.Pending) {
            revert DisbursementReversalPending(line.index, latest);
        }
        reversalId = ++_reversalCount;
        _reversalOf[rosterId][line.index] = reversalId;
        _reversals[reversalId] = Reversal(
            rosterId, line.index, line.household, line.amount, requester, ReversalStatus.Pending, reasonHash
        );
        emit ReversalRequested(reversalId, rosterId, line.household, line.index, line.amount, requester, reasonHash);
    }

    /// @inheritdoc IDisbursement
    function approveReversal(uint256 reversalId) external restricted whenNotPaused {
        Reversal storage rev = _pendingReversal(reversalId);
        (address approver, uint8 department) = _reviewer(rev);
        rev.status = ReversalStatus.Approved;
        // The line was Confirmed at the request, and a confirmed line stays so until reversed;
        // `_setOutcome` checks it again (`_expectReversible`) so that the rule does not rest on that.
        _setOutcome(rev.rosterId, rev.lineIndex, Outcome.Reversed);
        // The money is still on the household's card: nothing is refunded and the household keeps its
        // payout in the programme until the bank records the recovery.
        emit ReversalApproved(reversalId, rev.rosterId, department, approver);
    }

    /// @inheritdoc IDisbursement
    function recordRecoveries(uint256[] calldata reversalIds, bytes32[] calldata bankRefHashes)
        external
        restricted
        whenNotPaused
    {
        if (reversalIds.length == 0 || reversalIds.length != bankRefHashes.length) revert DisbursementBadBatch();
        for (uint256 i = 0; i < reversalIds.length; ++i) {
            uint256 reversalId = reversalIds[i];
            Reversal storage rev = _reversals[reversalId];
            if (rev.status != ReversalStatus.Approved) revert DisbursementNotAwaitingRecovery(reversalId, rev.status);
            if (bankRefHashes[i] == bytes32(0)) revert DisbursementZeroBankReference(rev.lineIndex);
            IRosterBook.PayoutTerms memory terms = ROSTERS.payoutTerms(rev.rosterId);
            _office(IDirectory.OfficeKind.Bank, terms.region);
            rev.status = ReversalStatus.Recovered;
            // The household may be paid again in this programme, through a new line.
            _clearHouseholdPaid(terms.programmeId, rev.household);
            emit ReversalRecovered(reversalId, rev.rosterId, rev.household, rev.lineIndex, rev.amount, bankRefHashes[i]);
            LEDGER.refund(terms.programmeId, terms.region, rev.amount, IBudgetLedger.RefundKind.Reversed);
        }
    }

    /// @inheritdoc IDisbursement
    function rejectReversal(uint256 reversalId, bytes32 reasonHash) external restricted whenNotPaused {
        Reversal storage rev = _pendingReversal(reversalId);
        (address approver, uint8 department) = _reviewer(rev);
        rev.status = ReversalStatus.Rejected;
        emit ReversalRejected(reversalId, rev.rosterId, department, approver, reasonHash);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDisbursement
    function lineStatus(uint64 rosterId, uint32 lineIndex) public view returns (LineStatus) {
        if (!_paidLines[rosterId].isSet(lineIndex)) return LineStatus.Unpaid;
        Outcome outcome = Outcome(_outcomes[rosterId].pair(lineIndex));
        if (outcome == Outcome.Pending) return LineStatus.Paid;
        if (outcome == Outcome.Confirmed) return LineStatus.Confirmed;
        if (outcome == Outcome.Returned) return LineStatus.Returned;
        return _reversals[_reversalOf[rosterId][lineIndex]].status == ReversalStatus.Recovered
            ? LineStatus.Reversed
            : LineStatus.ReversalPendingRecovery;
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
        return _paidHouseholds[programmeId].isSet(household);
    }

    /// @inheritdoc IDisbursement
    function reversal(uint256 reversalId) external view returns (Reversal memory) {
        return _reversals[reversalId];
    }

    /// @inheritdoc IDisbursement
    function reversalOf(uint64 rosterId, uint32 lineIndex) external view returns (uint256) {
        return _reversalOf[rosterId][lineIndex];
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

    /// @dev What the payout loop reads but never changes, and the two results it writes back at the
    /// end (`total`, `stoppedAt`), in memory, so that what it changes fits the stack. In memory every
    /// field of a struct takes a word of its own, in declaration order: field `k` is at `c + 0x20 * k`.
    /// The assembly in `_markPaid` reads and writes them at the offsets named below (`CTX_…`): keep
    /// the fields and the offsets in the same order (test/sol/PayoutLoop.t.sol checks them).
    struct LoopContext {
        uint256 rosterId;
        uint256 lineCount;
        uint256 cap;
        uint256 rosterRegion;
        uint256 paidLinesSlot; // the roster's mapping(uint256 => uint256) in _paidLines
        uint256 paidHouseholdsSlot; // the programme's mapping in _paidHouseholds
        address rosters;
        address households;
        bytes32 payoutRecordedTopic;
        bytes32 holdWordSelector;
        bytes32 payoutWordSelector;
        uint256 total; // the batch's sum, written by the loop
        uint256 stoppedAt; // the position of the line that broke a rule; the batch length if none
        bool anyLineHeld; // false if no line of the roster is frozen or excluded (no hold to read)
        uint256 regionUnit; // RegionCode.unitOf(rosterRegion)
    }

    // The memory offset of each field of LoopContext, for the assembly in `_markPaid`.
    uint256 internal constant CTX_ROSTER_ID = 0x00;
    uint256 internal constant CTX_LINE_COUNT = 0x20;
    uint256 internal constant CTX_CAP = 0x40;
    uint256 internal constant CTX_ROSTER_REGION = 0x60;
    uint256 internal constant CTX_PAID_LINES_SLOT = 0x80;
    uint256 internal constant CTX_PAID_HOUSEHOLDS_SLOT = 0xa0;
    uint256 internal constant CTX_ROSTERS = 0xc0;
    uint256 internal constant CTX_HOUSEHOLDS = 0xe0;
    uint256 internal constant CTX_PAYOUT_RECORDED_TOPIC = 0x100;
    uint256 internal constant CTX_HOLD_WORD_SELECTOR = 0x120;
    uint256 internal constant CTX_PAYOUT_WORD_SELECTOR = 0x140;
    uint256 internal constant CTX_TOTAL = 0x160;
    uint256 internal constant CTX_STOPPED_AT = 0x180;
    uint256 internal constant CTX_ANY_LINE_HELD = 0x1a0;
    uint256 internal constant CTX_REGION_UNIT = 0x1c0;

    /// @dev Unpaid → Paid for each line, after every check on the line and its household; emits
    /// PayoutRecorded for each and returns the batch's total. Also checks what LineTree.verify
    /// assumes: indices strictly ascending and below the line count.
    ///
    /// The rules, for each line, in the order `_revertForLine` reports them: the packed word is clean;
    /// the index is above the previous line's and below the line count; the amount is between one fen
    /// and the cap; the line is unpaid and not held (frozen or excluded by an objection); the household
    /// is registered, belongs to the roster's region or below it, is not suspended, and holds no payout
    /// in the programme (nor earlier in this batch).
    ///
    /// Note: the loop is assembly because it is the hot path: written in Solidity it cost about 1,100
    /// gas more per line (each calldata or memory array access is a bounds-checking helper call, and
    /// its working set did not fit the stack, so the compiler moved variables to memory), which put a
    /// payout line over its gas budget. It keeps one word of each bitmap in a variable, loads a word
    /// when a line needs another and stores the old one when it moves on. Its arithmetic cannot
    /// overflow: indices are below 2^32, amounts below 2^128, and a batch has fewer than 2^32 lines.
    /// When a line breaks a rule the loop stops, and `_revertForLine`, in plain Solidity, finds which
    /// rule and reverts with its error. The fuzz tests of test/sol/PayoutLoop.t.sol hold it to a
    /// plain-Solidity reference of the loop, and the invariant handler's model holds the payout to
    /// every rule.
    // solhint-disable-next-line function-max-lines
    function _markPaid(uint64 rosterId, IRosterBook.PayoutTerms memory terms, uint256[] calldata packedLines)
        internal
        returns (uint256 total)
    {
        LoopContext memory c;
        c.rosterId = rosterId;
        c.lineCount = terms.lineCount;
        c.cap = PROGRAMMES.householdCap(terms.programmeId);
        c.rosterRegion = terms.region;
        c.regionUnit = RegionCode.unitOf(terms.region);
        mapping(uint256 => uint256) storage paidLines = _paidLines[rosterId];
        mapping(uint256 => uint256) storage paidHouseholds = _paidHouseholds[terms.programmeId];
        c.rosters = address(ROSTERS);
        c.households = address(HOUSEHOLDS);
        c.payoutRecordedTopic = PayoutRecorded.selector;
        c.holdWordSelector = IRosterBook.holdWord.selector;
        c.payoutWordSelector = IHouseholdRegistry.payoutWord.selector;
        c.anyLineHeld = terms.anyLineHeld;
        // The assembly below is this loop in plain Solidity, but for how it reaches storage and the
        // registries: it keeps one word of each bitmap, reads holds and households once per word
        // (`holdWord`, `payoutWord`), and writes each paid-lines and paid-households word once, when it
        // moves to another word or after the last line; after a line that broke a rule it writes
        // nothing more (`_revertForLine` then reverts). test/sol/PayoutLoopReference.sol is this loop,
        // with each rule's error where it stops, and test/sol/PayoutLoop.t.sol holds the two equal.
        //     uint256 i = 0;
        //     for (uint256 lowest = 0; i < packedLines.length; ++i) {
        //         uint256 packed = packedLines[i];
        //         uint256 index = packed >> 192; // dirty top bits make it 2^32 or more: out of range
        //         uint64 household = uint64(packed >> 128);
        //         uint128 amount = uint128(packed);
        //         if (index < lowest || index >= c.lineCount || amount == 0 || amount > c.cap) break;
        //         lowest = index + 1;
        //         if (_paidLines[rosterId].isSet(index)) break;
        //         if (c.anyLineHeld && BitWords.pairIn(ROSTERS.holdWord(rosterId, index >> 7), index) != 0) break;
        //         (uint256 suspended, uint64 region, uint256 filled) = HOUSEHOLDS.payoutWord(household >> 8);
        //         if (region / c.regionUnit * c.regionUnit != c.rosterRegion) filled = 0; // outside the subtree
        //         if (household == 0 || household % 256 >= filled || BitWords.bitIn(suspended, household)) break;
        //         if (_paidHouseholds[terms.programmeId].isSet(household)) break;
        //         _paidLines[rosterId].set(index);
        //         _paidHouseholds[terms.programmeId].set(household);
        //         c.total += amount;
        //         emit PayoutRecorded(rosterId, household, uint32(index), amount);
        //     }
        //     c.stoppedAt = i;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(add(c, CTX_PAID_LINES_SLOT), paidLines.slot)
            mstore(add(c, CTX_PAID_HOUSEHOLDS_SLOT), paidHouseholds.slot)
            // A registry's one-word answer to `selector(first, second)`; reverts as the registry did.
            function readWord(target, selector, first, second) -> answer {
                let p := mload(0x40)
                mstore(p, selector)
                mstore(add(p, 0x04), first)
                mstore(add(p, 0x24), second)
                if iszero(staticcall(gas(), target, p, 0x44, 0x00, 0x20)) {
                    returndatacopy(p, 0x00, returndatasize())
                    revert(p, returndatasize())
                }
                if lt(returndatasize(), 0x20) { revert(0x00, 0x00) }
                answer := mload(0x00)
            }
            // The households of word `word` that no line of this roster may pay: the suspended ones,
            // those not registered (ids past the block's fill, and id 0), and all of them when the
            // block's region lies outside the roster's subtree (`covers` as in RegionCode.unitOf).
            function blockedBits(target, selector, word, context) -> bits {
                let p := mload(0x40)
                mstore(p, selector)
                mstore(add(p, 0x04), word)
                if iszero(staticcall(gas(), target, p, 0x24, p, 0x60)) {
                    returndatacopy(p, 0x00, returndatasize())
                    revert(p, returndatasize())
                }
                if lt(returndatasize(), 0x60) { revert(0x00, 0x00) }
                let unit := mload(add(context, CTX_REGION_UNIT))
                let filled := mul(
                    mload(add(p, 0x40)),
                    eq(mul(div(mload(add(p, 0x20)), unit), unit), mload(add(context, CTX_ROSTER_REGION)))
                )
                // `not(2^filled - 1)`: the ids from the fill on (none when the block is full).
                bits := or(or(mload(p), not(sub(shl(filled, 1), 1))), iszero(word))
            }
            // The storage slot of `map[key]`, for a mapping(uint256 => uint256) at `mapSlot`.
            function entry(mapSlot, key) -> slot {
                mstore(0x00, key)
                mstore(0x20, mapSlot)
                slot := keccak256(0x00, 0x40)
            }

            let line := packedLines.offset
            let end := add(line, shl(5, packedLines.length))
            let lowest := 0
            let sum := 0
            // The word held of each bitmap (not(0): none yet) and its bits. A hold word covers 128
            // lines and a paid-lines word 256, so the paid-lines word can change only with the hold
            // word. The households blocked (see `blockedBits`) and the paid-households bitmap share
            // their layout and their word.
            let holdAt := not(0)
            let holdBits := 0
            let lineBits := 0
            let householdAt := not(0)
            let blocked := 0
            let paidBits := 0
            // Fields of a line: index `shr(192, packed)` (dirty top bits make it at least 2^32, above
            // any line count), household `and(shr(128, packed), 2^64 - 1)`, amount `and(packed, 2^128 - 1)`.
            for {} lt(line, end) { line := add(line, 0x20) } {
                let packed := calldataload(line)
                // `x - 1 < limit` is `1 <= x <= limit`: zero wraps around to the largest word.
                if or(
                    or(lt(shr(192, packed), lowest), iszero(lt(shr(192, packed), mload(add(c, CTX_LINE_COUNT))))),
                    iszero(lt(sub(and(packed, 0xffffffffffffffffffffffffffffffff), 1), mload(add(c, CTX_CAP))))
                ) { break }
                lowest := add(shr(192, packed), 1)

                if iszero(eq(shr(199, packed), holdAt)) {
                    if iszero(eq(shr(200, packed), shr(1, holdAt))) {
                        if iszero(eq(holdAt, not(0))) {
                            sstore(entry(mload(add(c, CTX_PAID_LINES_SLOT)), shr(1, holdAt)), lineBits)
                        }
                        lineBits := sload(entry(mload(add(c, CTX_PAID_LINES_SLOT)), shr(200, packed)))
                    }
                    holdAt := shr(199, packed)
                    if mload(add(c, CTX_ANY_LINE_HELD)) {
                        holdBits := readWord(
                            mload(add(c, CTX_ROSTERS)),
                            mload(add(c, CTX_HOLD_WORD_SELECTOR)),
                            mload(add(c, CTX_ROSTER_ID)),
                            holdAt
                        )
                    }
                }
                let bit := shl(and(shr(192, packed), 0xff), 1)
                if or(and(lineBits, bit), and(shr(shl(1, and(shr(192, packed), 127)), holdBits), 3)) { break }
                lineBits := or(lineBits, bit)

                if iszero(eq(and(shr(136, packed), 0xffffffffffffff), householdAt)) {
                    if iszero(eq(householdAt, not(0))) {
                        sstore(entry(mload(add(c, CTX_PAID_HOUSEHOLDS_SLOT)), householdAt), paidBits)
                    }
                    householdAt := and(shr(136, packed), 0xffffffffffffff)
                    blocked := blockedBits(
                        mload(add(c, CTX_HOUSEHOLDS)), mload(add(c, CTX_PAYOUT_WORD_SELECTOR)), householdAt, c
                    )
                    paidBits := sload(entry(mload(add(c, CTX_PAID_HOUSEHOLDS_SLOT)), householdAt))
                }
                bit := shl(and(shr(128, packed), 0xff), 1)
                if and(or(blocked, paidBits), bit) { break }
                paidBits := or(paidBits, bit)

                sum := add(sum, and(packed, 0xffffffffffffffffffffffffffffffff))
                mstore(0x00, shr(192, packed))
                mstore(0x20, and(packed, 0xffffffffffffffffffffffffffffffff))
                log3(
                    0x00,
                    0x40,
                    mload(add(c, CTX_PAYOUT_RECORDED_TOPIC)),
                    mload(add(c, CTX_ROSTER_ID)),
                    and(shr(128, packed), 0xffffffffffffffff)
                )
            }
            mstore(add(c, CTX_TOTAL), sum)
            mstore(add(c, CTX_STOPPED_AT), shr(5, sub(line, packedLines.offset)))
            if eq(line, end) {
                sstore(entry(mload(add(c, CTX_PAID_LINES_SLOT)), shr(1, holdAt)), lineBits)
                sstore(entry(mload(add(c, CTX_PAID_HOUSEHOLDS_SLOT)), householdAt), paidBits)
            }
        }
        if (c.stoppedAt < packedLines.length) _revertForLine(c, terms.programmeId, packedLines, c.stoppedAt);
        return c.total;
    }

    /// @dev Reverts with the error of the first rule that line `position` of the batch breaks (the
    /// cold path of `_markPaid`, in plain Solidity).
    function _revertForLine(
        LoopContext memory c,
        uint64 programmeId,
        uint256[] calldata packedLines,
        uint256 position
    ) private view {
        (uint32 index, uint64 household, uint128 amount) = LinePacking.unpack(packedLines[position]);
        if (position > 0 && index <= uint32(packedLines[position - 1] >> 192)) revert DisbursementLinesNotAscending(index);
        if (index >= c.lineCount) revert DisbursementLineOutOfRange(index, uint32(c.lineCount));
        if (amount == 0 || amount > c.cap) revert DisbursementAmountOutOfRange(index, amount, uint128(c.cap));
        uint64 rosterId = uint64(c.rosterId);
        LineStatus status = lineStatus(rosterId, index);
        if (status != LineStatus.Unpaid) revert DisbursementWrongLineStatus(index, LineStatus.Unpaid, status);
        if (ROSTERS.lineHold(rosterId, index) != IRosterBook.LineHold.None) revert DisbursementLineHeld(index);
        uint64 householdRegion = HOUSEHOLDS.regionOf(household);
        if (householdRegion == 0) revert DisbursementUnknownHousehold(household);
        if (!RegionCode.covers(uint64(c.rosterRegion), householdRegion)) {
            revert DisbursementHouseholdOutsideRegion(household, householdRegion, uint64(c.rosterRegion));
        }
        if (BitWords.bitIn(HOUSEHOLDS.suspendedWord(BitWords.wordOfBit(household)), household)) {
            revert DisbursementHouseholdSuspended(household);
        }
        // The loop stopped here, and only the last rule is left: the household holds a payout in the
        // programme from an earlier batch, or from an earlier line of this one.
        revert DisbursementHouseholdAlreadyPaid(household, programmeId);
    }

    /// @dev Pending → `to` for a paid line, on the cached words; returns the new outcome word.
    function _settle(uint32 index, uint256 paidBits, uint256 outcomeBits, Outcome to) private pure returns (uint256) {
        bool paid = BitWords.bitIn(paidBits, index);
        Outcome current = Outcome(BitWords.pairIn(outcomeBits, index));
        if (!paid || current != Outcome.Pending) {
            revert DisbursementWrongLineStatus(index, LineStatus.Paid, _statusOf(paid, current));
        }
        return BitWords.withPair(outcomeBits, index, uint8(to));
    }

    /// @dev Moves a paid line's outcome to `to` (Returned from Pending; Reversed from Confirmed).
    function _setOutcome(uint64 rosterId, uint32 index, Outcome to) private {
        if (to == Outcome.Reversed) {
            _expectReversible(rosterId, index);
            _outcomes[rosterId].setPair(index, uint8(to));
        } else {
            uint256 word = BitWords.wordOfPair(index);
            uint256 paidBits = _paidLines[rosterId][BitWords.wordOfBit(index)];
            _outcomes[rosterId][word] = _settle(index, paidBits, _outcomes[rosterId][word], to);
        }
    }

    function _clearHouseholdPaid(uint64 programmeId, uint64 household) private {
        _paidHouseholds[programmeId].clear(household);
    }

    function _expectReversible(uint64 rosterId, uint32 lineIndex) private view {
        LineStatus current = lineStatus(rosterId, lineIndex);
        if (current != LineStatus.Confirmed) revert DisbursementNotReversible(lineIndex, current);
    }

    /// @dev Reverts unless `batch` is a payout batch recorded for `rosterId`, lines and all.
    function _checkBatch(uint64 rosterId, PaidBatch calldata batch) private view {
        bytes32 stored = _batchHashes[rosterId][batch.batchId];
        if (stored == bytes32(0) || keccak256(abi.encodePacked(batch.packedLines)) != stored) {
            revert DisbursementUnknownBatch(rosterId, batch.batchId);
        }
    }

    /// @dev Reverts unless `line` is the line at `position` of a checked batch.
    function _checkInBatch(PaidBatch calldata batch, uint32 position, Line calldata line) private pure {
        if (
            position >= batch.packedLines.length
                || batch.packedLines[position] != LinePacking.pack(line.index, line.household, line.amount)
        ) {
            revert DisbursementLineNotInBatch(line.index, position);
        }
    }

    function _statusOf(bool paid, Outcome outcome) private pure returns (LineStatus) {
        if (!paid) return LineStatus.Unpaid;
        return LineStatus(uint8(outcome) + 1);
    }


    function _pendingReversal(uint256 reversalId) private view returns (Reversal storage rev) {
        rev = _reversals[reversalId];
        if (rev.status != ReversalStatus.Pending) revert DisbursementReversalNotPending(reversalId);
    }

    /// @dev The caller as a reviewer of the reversal's roster: the caller and the department of the
    /// stage office it holds, as RosterBook's `_reviewer` names the reviewers of its own functions,
    /// asked of RosterBook (`reviewingStage`), which alone decides who reviews a roster. It is neither
    /// the requester (a treasury office) nor the submitter (a bureau office): one account holds one
    /// office, for life.
    function _reviewer(Reversal storage rev) private view returns (address approver, uint8 department) {
        approver = _actor();
        (, department) = ROSTERS.reviewingStage(rev.rosterId, approver);
    }

    /// @dev The caller, who must hold an office of `kind` whose subtree contains `region`.
    function _office(IDirectory.OfficeKind kind, uint64 region) private view returns (address actor) {
        actor = _actor();
        if (!DIRECTORY.covers(actor, kind, region)) revert DisbursementNotOffice(actor, kind, region);
    }
}
