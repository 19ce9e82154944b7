// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Disbursement} from "../../contracts/Disbursement.sol";
import {IBudgetLedger} from "../../contracts/interfaces/IBudgetLedger.sol";
import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {IHouseholdRegistry} from "../../contracts/interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "../../contracts/interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "../../contracts/interfaces/IRosterBook.sol";
import {BitWords} from "../../contracts/libraries/BitWords.sol";

/// @notice What the payout loop reads of the other contracts, in one contract that a test sets at
/// will: the programme's cap (ProgrammeRegistry.householdCap), the roster's line holds
/// (RosterBook.holdWord, lineHold), and the household blocks and suspensions
/// (HouseholdRegistry.payoutWord, regionOf, suspendedWord). Each view answers from the same stored
/// facts, the way the real contract does, so that the word views and the per-household or per-line
/// views always agree.
contract PayoutWorld {
    using BitWords for mapping(uint256 => uint256);

    uint128 private _cap;
    mapping(uint64 rosterId => mapping(uint256 word => uint256 bits)) private _holds;
    /// @dev Block `b`: its region in the low 64 bits, its fill above them (as HouseholdRegistry).
    mapping(uint256 blockId => uint256 packed) private _blocks;
    mapping(uint256 word => uint256 bits) private _suspended;

    function setCap(uint128 cap) external {
        _cap = cap;
    }

    function setHold(uint64 rosterId, uint32 lineIndex, IRosterBook.LineHold hold) external {
        _holds[rosterId].setPair(lineIndex, uint8(hold));
    }

    function setBlock(uint256 blockId, uint64 region, uint256 filled) external {
        _blocks[blockId] = uint256(region) | (filled << 64);
    }

    function setSuspendedWord(uint256 word, uint256 bits) external {
        _suspended[word] = bits;
    }

    function suspend(uint64 household) external {
        _suspended.set(household);
    }

    // ProgrammeRegistry

    function householdCap(uint64) external view returns (uint128) {
        return _cap;
    }

    // RosterBook

    function holdWord(uint64 rosterId, uint256 word) external view returns (uint256) {
        return _holds[rosterId][word];
    }

    function lineHold(uint64 rosterId, uint32 lineIndex) external view returns (IRosterBook.LineHold) {
        return IRosterBook.LineHold(_holds[rosterId].pair(lineIndex));
    }

    // HouseholdRegistry

    function payoutWord(uint256 word) external view returns (uint256 suspendedBits, uint64 region, uint256 filled) {
        uint256 packed = _blocks[word];
        return (_suspended[word], uint64(packed), packed >> 64);
    }

    function regionOf(uint64 household) external view returns (uint64) {
        if (household == 0) return 0;
        uint256 packed = _blocks[household / 256];
        if (household % 256 >= packed >> 64) return 0;
        return uint64(packed);
    }

    function suspendedWord(uint256 word) external view returns (uint256) {
        return _suspended[word];
    }
}

/// @notice Disbursement with its payout loop (`_markPaid`, the assembly, and `_revertForLine` after
/// it) callable on its own, reading `world` for the programme, the roster's holds and the households.
/// For PayoutLoop.t.sol, which runs it beside PayoutLoopReference.
contract DisbursementHarness is Disbursement {
    constructor(PayoutWorld world)
        Disbursement(
            address(world),
            IProgrammeRegistry(address(world)),
            IHouseholdRegistry(address(world)),
            IDirectory(address(0)),
            IRosterBook(address(world)),
            IBudgetLedger(address(0))
        )
    {}

    /// @dev `_markPaid` as `recordPayouts` runs it, before the proof and the accounting.
    function markPaid(uint64 rosterId, IRosterBook.PayoutTerms calldata terms, uint256[] calldata packedLines)
        external
        returns (uint256 total)
    {
        return _markPaid(rosterId, terms, packedLines);
    }

    /// @dev A LoopContext whose fields hold 1, 2, 3, … in declaration order (`anyLineHeld`: true),
    /// read back at the `CTX_…` offsets the assembly uses, in the same order.
    function contextAtOffsets() external pure returns (uint256[15] memory read) {
        LoopContext memory c = LoopContext({
            rosterId: 1,
            lineCount: 2,
            cap: 3,
            rosterRegion: 4,
            paidLinesSlot: 5,
            paidHouseholdsSlot: 6,
            rosters: address(7),
            households: address(8),
            payoutRecordedTopic: bytes32(uint256(9)),
            holdWordSelector: bytes32(uint256(10)),
            payoutWordSelector: bytes32(uint256(11)),
            total: 12,
            stoppedAt: 13,
            anyLineHeld: true,
            regionUnit: 15
        });
        uint256[15] memory offsets = [
            CTX_ROSTER_ID,
            CTX_LINE_COUNT,
            CTX_CAP,
            CTX_ROSTER_REGION,
            CTX_PAID_LINES_SLOT,
            CTX_PAID_HOUSEHOLDS_SLOT,
            CTX_ROSTERS,
            CTX_HOUSEHOLDS,
            CTX_PAYOUT_RECORDED_TOPIC,
            CTX_HOLD_WORD_SELECTOR,
            CTX_PAYOUT_WORD_SELECTOR,
            CTX_TOTAL,
            CTX_STOPPED_AT,
            CTX_ANY_LINE_HELD,
            CTX_REGION_UNIT
        ];
        for (uint256 k = 0; k < offsets.length; ++k) {
            uint256 offset = offsets[k];
            uint256 value;
            assembly ("memory-safe") {
                value := mload(add(c, offset))
            }
            read[k] = value;
        }
    }
}
