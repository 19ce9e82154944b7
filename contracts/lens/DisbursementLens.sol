// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IBudgetLedger} from "../interfaces/IBudgetLedger.sol";
import {IDisbursement} from "../interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "../interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "../interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "../interfaces/IRosterBook.sol";

/// @title DisbursementLens
/// @notice Read-only views that join the suite's contracts for explorers, scripts and the resident
/// page: programme totals, region balances, roster and line state, and a household's standing by
/// commitment. Holds no state and changes none.
contract DisbursementLens {
    /// @dev A programme with its money totals.
    struct ProgrammeView {
        IProgrammeRegistry.Programme programme;
        IBudgetLedger.Totals totals;
    }

    /// @dev A roster with its derived state.
    struct RosterView {
        IRosterBook.Roster roster;
        IRosterBook.RosterState state;
    }

    /// @dev One line: its objection hold and its payment status.
    struct LineView {
        IRosterBook.LineHold hold;
        IDisbursement.LineStatus status;
    }

    /// @dev The bitmaps `words` reads, and what its `key` is for each: a roster id (PaidLines,
    /// Outcomes, Holds), a programme id (PaidHouseholds), or nothing (Suspended, HouseholdBlocks).
    /// HouseholdBlocks is not a bitmap but the block of the same 256 households: its region in the
    /// low 64 bits and its fill above them (`HouseholdRegistry.blockOf`).
    enum Bitmap {
        PaidLines,
        Outcomes,
        Holds,
        PaidHouseholds,
        Suspended,
        HouseholdBlocks
    }

    /// @dev A household's standing, by commitment, in one programme.
    struct HouseholdView {
        uint64 household;
        IHouseholdRegistry.HouseholdStatus status;
        bool paidInProgramme;
    }

    IProgrammeRegistry public immutable PROGRAMMES;
    IHouseholdRegistry public immutable HOUSEHOLDS;
    IBudgetLedger public immutable LEDGER;
    IRosterBook public immutable ROSTERS;
    IDisbursement public immutable DISBURSEMENT;

    constructor(
        IProgrammeRegistry programmes,
        IHouseholdRegistry households,
        IBudgetLedger ledger,
        IRosterBook rosters,
        IDisbursement disbursement
    ) {
        PROGRAMMES = programmes;
        HOUSEHOLDS = households;
        LEDGER = ledger;
        ROSTERS = rosters;
        DISBURSEMENT = disbursement;
    }

    /// @notice Programme terms and money totals.
    function programmeView(uint64 programmeId) external view returns (ProgrammeView memory) {
        return ProgrammeView(PROGRAMMES.programme(programmeId), LEDGER.totalsOf(programmeId));
    }

    /// @notice The balance of `region` in `programmeId`.
    function regionBalance(uint64 programmeId, uint64 region) external view returns (IBudgetLedger.Balance memory) {
        return LEDGER.balanceOf(programmeId, region);
    }

    /// @notice A roster and its state.
    function rosterView(uint64 rosterId) external view returns (RosterView memory) {
        return RosterView(ROSTERS.roster(rosterId), ROSTERS.rosterState(rosterId));
    }

    /// @notice The state of one line, by roster and index.
    function lineView(uint64 rosterId, uint32 lineIndex) external view returns (LineView memory) {
        return LineView(ROSTERS.lineHold(rosterId, lineIndex), DISBURSEMENT.lineStatus(rosterId, lineIndex));
    }

    /// @notice Whether a line is Overdue: its roster is payable and past its payout deadline, and the
    /// line is neither paid nor held by an objection (the duty to pay, derived from stored facts).
    function isLineOverdue(uint64 rosterId, uint32 lineIndex) external view returns (bool) {
        if (ROSTERS.rosterState(rosterId) != IRosterBook.RosterState.Payable) return false;
        if (block.timestamp <= ROSTERS.payoutDeadline(rosterId)) return false;
        return ROSTERS.lineHold(rosterId, lineIndex) == IRosterBook.LineHold.None
            && DISBURSEMENT.lineStatus(rosterId, lineIndex) == IDisbursement.LineStatus.Unpaid;
    }

    /// @notice Many words of one bitmap in one call, for tools that plan the payout or settlement of
    /// thousands of lines (a word holds 256 paid bits, 128 outcomes or holds, or 256 households).
    /// `values[i]` is word `indices[i]`, as `paidLinesWord`, `outcomesWord`, `holdWord`,
    /// `paidHouseholdsWord` or `suspendedWord` returns it (or block `indices[i]`, packed).
    function words(Bitmap bitmap, uint64 key, uint256[] calldata indices) external view returns (uint256[] memory values) {
        values = new uint256[](indices.length);
        for (uint256 i = 0; i < indices.length; ++i) {
            uint256 w = indices[i];
            if (bitmap == Bitmap.PaidLines) values[i] = DISBURSEMENT.paidLinesWord(key, w);
            else if (bitmap == Bitmap.Outcomes) values[i] = DISBURSEMENT.outcomesWord(key, w);
            else if (bitmap == Bitmap.Holds) values[i] = ROSTERS.holdWord(key, w);
            else if (bitmap == Bitmap.PaidHouseholds) values[i] = DISBURSEMENT.paidHouseholdsWord(key, w);
            else if (bitmap == Bitmap.Suspended) values[i] = HOUSEHOLDS.suspendedWord(w);
            else values[i] = _packedBlock(w);
        }
    }

    function _packedBlock(uint256 blockId) private view returns (uint256) {
        (uint64 region, uint256 filled) = HOUSEHOLDS.blockOf(blockId);
        return uint256(region) | (filled << 64);
    }

    /// @notice A household's standing by commitment: its id (0 if unregistered), its status, and
    /// whether it holds a payout in `programmeId`. Its individual lines are in the PayoutRecorded
    /// events indexed by household id.
    function householdView(bytes32 commitment, uint64 programmeId) external view returns (HouseholdView memory v) {
        v.household = HOUSEHOLDS.householdIdOf(commitment);
        v.status = HOUSEHOLDS.statusOf(v.household);
        v.paidInProgramme = v.household != 0 && DISBURSEMENT.isHouseholdPaid(programmeId, v.household);
    }
}
