// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title NaivePayouts (benchmark baseline)
/// @notice The design a payout ledger usually starts from: a struct stored per payout and a mapping
/// to refuse a second payout to a household. Same checks on the line (not paid twice, household not
/// paid twice in the programme, amount within the cap) and the same event, no Merkle proof.
/// @dev Not part of the product; deployed only by scripts/bench/gas.ts.
contract NaivePayouts {
    struct Payout {
        uint64 household;
        uint128 amount;
        uint40 paidAt;
        uint8 status;
    }

    struct Line {
        uint32 index;
        uint64 household;
        uint128 amount;
    }

    uint128 public immutable CAP;
    mapping(uint64 rosterId => mapping(uint32 index => Payout)) public payouts;
    mapping(uint64 programmeId => mapping(uint64 household => bool)) public householdPaid;

    event PayoutRecorded(uint64 indexed rosterId, uint64 indexed household, uint32 lineIndex, uint128 amount);

    error NaiveAlreadyPaid(uint32 index);
    error NaiveHouseholdPaid(uint64 household);
    error NaiveAmount(uint128 amount);

    constructor(uint128 cap) {
        CAP = cap;
    }

    function recordPayouts(uint64 programmeId, uint64 rosterId, Line[] calldata lines) external {
        for (uint256 i = 0; i < lines.length; ++i) {
            Line calldata line = lines[i];
            if (payouts[rosterId][line.index].status != 0) revert NaiveAlreadyPaid(line.index);
            if (householdPaid[programmeId][line.household]) revert NaiveHouseholdPaid(line.household);
            if (line.amount == 0 || line.amount > CAP) revert NaiveAmount(line.amount);
            payouts[rosterId][line.index] = Payout(line.household, line.amount, uint40(block.timestamp), 1);
            householdPaid[programmeId][line.household] = true;
            emit PayoutRecorded(rosterId, line.household, line.index, line.amount);
        }
    }
}
