// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IDisbursement} from "../../contracts/interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "../../contracts/interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "../../contracts/interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "../../contracts/interfaces/IRosterBook.sol";
import {BitWords} from "../../contracts/libraries/BitWords.sol";
import {LinePacking} from "../../contracts/libraries/LinePacking.sol";
import {RegionCode} from "../../contracts/libraries/RegionCode.sol";

/// @notice The payout loop of Disbursement (`_markPaid`, with `_revertForLine` for its errors) in plain
/// Solidity, one line at a time and one rule at a time: the same rules in the same order, the same
/// errors, the same bits set in the same two bitmaps (laid out as Disbursement's `_paidLines` and
/// `_paidHouseholds`) and the same PayoutRecorded events. It reads the registries per line and per
/// household (`lineHold`, `regionOf`, `suspendedWord`), where the assembly reads them per word
/// (`holdWord`, `payoutWord`), and tests coverage with RegionCode.covers, where the assembly divides
/// by the region's unit. It keeps no settlement outcomes: a paid line here is Paid.
/// For PayoutLoop.t.sol, which runs it beside the assembly on the same batches.
contract PayoutLoopReference {
    using BitWords for mapping(uint256 => uint256);

    IProgrammeRegistry public immutable PROGRAMMES;
    IHouseholdRegistry public immutable HOUSEHOLDS;
    IRosterBook public immutable ROSTERS;

    mapping(uint64 rosterId => mapping(uint256 word => uint256 bits)) private _paidLines;
    mapping(uint64 programmeId => mapping(uint256 word => uint256 bits)) private _paidHouseholds;

    constructor(IProgrammeRegistry programmes, IHouseholdRegistry households, IRosterBook rosters) {
        PROGRAMMES = programmes;
        HOUSEHOLDS = households;
        ROSTERS = rosters;
    }

    /// @dev Unpaid → Paid for each line of `packedLines`, or the error of the first rule the first
    /// failing line breaks; returns the batch's total.
    function markPaid(uint64 rosterId, IRosterBook.PayoutTerms calldata terms, uint256[] calldata packedLines)
        external
        returns (uint256 total)
    {
        uint128 cap = PROGRAMMES.householdCap(terms.programmeId);
        for (uint256 i = 0; i < packedLines.length; ++i) {
            uint256 packed = packedLines[i];
            // The packed word is clean.
            if (packed >> 224 != 0) revert LinePacking.LinePackingDirtyBits(packed);
            uint32 index = uint32(packed >> 192);
            uint64 household = uint64(packed >> 128);
            uint128 amount = uint128(packed);
            // The index is above the previous line's and below the line count.
            if (i > 0 && index <= uint32(packedLines[i - 1] >> 192)) {
                revert IDisbursement.DisbursementLinesNotAscending(index);
            }
            if (index >= terms.lineCount) revert IDisbursement.DisbursementLineOutOfRange(index, terms.lineCount);
            // The amount is between one fen and the cap.
            if (amount == 0 || amount > cap) revert IDisbursement.DisbursementAmountOutOfRange(index, amount, cap);
            // The line is unpaid and not held.
            if (_paidLines[rosterId].isSet(index)) {
                revert IDisbursement.DisbursementWrongLineStatus(
                    index, IDisbursement.LineStatus.Unpaid, IDisbursement.LineStatus.Paid
                );
            }
            if (terms.anyLineHeld && ROSTERS.lineHold(rosterId, index) != IRosterBook.LineHold.None) {
                revert IDisbursement.DisbursementLineHeld(index);
            }
            // The household is registered, in the roster's subtree, not suspended, and holds no payout
            // in the programme (from an earlier batch or an earlier line of this one).
            uint64 region = HOUSEHOLDS.regionOf(household);
            if (region == 0) revert IDisbursement.DisbursementUnknownHousehold(household);
            if (!RegionCode.covers(terms.region, region)) {
                revert IDisbursement.DisbursementHouseholdOutsideRegion(household, region, terms.region);
            }
            if (BitWords.bitIn(HOUSEHOLDS.suspendedWord(BitWords.wordOfBit(household)), household)) {
                revert IDisbursement.DisbursementHouseholdSuspended(household);
            }
            if (_paidHouseholds[terms.programmeId].isSet(household)) {
                revert IDisbursement.DisbursementHouseholdAlreadyPaid(household, terms.programmeId);
            }
            _paidLines[rosterId].set(index);
            _paidHouseholds[terms.programmeId].set(household);
            total += amount;
            emit IDisbursement.PayoutRecorded(rosterId, household, index, amount);
        }
    }

    /// @dev As Disbursement.paidLinesWord.
    function paidLinesWord(uint64 rosterId, uint256 word) external view returns (uint256) {
        return _paidLines[rosterId][word];
    }

    /// @dev As Disbursement.paidHouseholdsWord.
    function paidHouseholdsWord(uint64 programmeId, uint256 word) external view returns (uint256) {
        return _paidHouseholds[programmeId][word];
    }
}
