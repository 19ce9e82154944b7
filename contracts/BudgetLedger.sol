// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;


import {Guarded} from "./governance/Guarded.sol";
import {IBudgetLedger} from "./interfaces/IBudgetLedger.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IProgrammeRegistry} from "./interfaces/IProgrammeRegistry.sol";
import {RegionBureau} from "./libraries/RegionBureau.sol";
import {RegionCode} from "./libraries/RegionCode.sol";

/// @title BudgetLedger
/// @notice The budget tree per programme and region; see IBudgetLedger for the conservation identity.
/// @dev Every function but funding moves an amount between two buckets (or between a parent and a
/// child) and checks the source bucket first, so the identity holds after every call; funding adds
/// to the root's `received` and `available` alike, up to the ceiling. Checked arithmetic
/// everywhere: an overflow reverts rather than wraps.
contract BudgetLedger is IBudgetLedger, Guarded {
    IProgrammeRegistry public immutable PROGRAMMES;
    IDirectory public immutable DIRECTORY;

    mapping(uint64 programmeId => mapping(uint64 region => Balance)) private _balances;
    mapping(uint64 programmeId => Totals) private _totals;

    constructor(address authority, IProgrammeRegistry programmes, IDirectory directory) Guarded(authority) {
        PROGRAMMES = programmes;
        DIRECTORY = directory;
    }

    /// @inheritdoc IBudgetLedger
    function fundProgramme(uint64 programmeId, uint128 amount) external restricted whenNotPaused {
        _nonZero(amount);
        IProgrammeRegistry.Programme memory p = PROGRAMMES.programme(programmeId);
        Totals storage t = _totals[programmeId];
        if (t.funded + amount > p.terms.budgetCeiling) {
            revert BudgetLedgerCeilingExceeded(programmeId, t.funded, amount, p.terms.budgetCeiling);
        }
        t.funded += amount;
        Balance storage root = _balances[programmeId][p.rootRegion];
        root.received += amount;
        root.available += amount;
        emit ProgrammeFunded(programmeId, p.rootRegion, _actor(), amount);
    }

    /// @inheritdoc IBudgetLedger
    function allocate(uint64 programmeId, uint64 from, uint64 to, uint128 amount) external restricted whenNotPaused {
        _nonZero(amount);
        _onlyBureauOf(from);
        uint64 rootRegion = PROGRAMMES.programme(programmeId).rootRegion;
        if (to == rootRegion || !RegionCode.isAncestor(from, to)) revert BudgetLedgerNotDescendant(from, to);
        Balance storage child = _balances[programmeId][to];
        if (child.parent == 0) child.parent = from;
        else if (child.parent != from) revert BudgetLedgerWrongParent(to, child.parent, from);

        Balance storage parent = _balances[programmeId][from];
        _takeAvailable(programmeId, from, parent, amount);
        parent.allocatedOut += amount;
        child.received += amount;
        child.available += amount;
        emit BudgetAllocated(programmeId, from, to, amount);
    }

    /// @inheritdoc IBudgetLedger
    function reclaim(uint64 programmeId, uint64 parent, uint64 child, uint128 amount) external restricted whenNotPaused {
        _nonZero(amount);
        _onlyBureauOf(parent);
        Balance storage c = _balances[programmeId][child];
        if (c.parent != parent) revert BudgetLedgerWrongParent(child, c.parent, parent);
        _takeAvailable(programmeId, child, c, amount);
        c.received -= amount;
        Balance storage p = _balances[programmeId][parent];
        p.allocatedOut -= amount;
        p.available += amount;
        emit BudgetReclaimed(programmeId, parent, child, amount);
    }

    /// @inheritdoc IBudgetLedger
    function reserve(uint64 programmeId, uint64 region, uint128 amount) external restricted whenNotPaused {
        Balance storage b = _balances[programmeId][region];
        _takeAvailable(programmeId, region, b, amount);
        b.reserved += amount;
        _totals[programmeId].reserved += amount;
        emit FundsReserved(programmeId, region, amount);
    }

    /// @inheritdoc IBudgetLedger
    function release(uint64 programmeId, uint64 region, uint128 amount) external restricted whenNotPaused {
        Balance storage b = _balances[programmeId][region];
        _takeReserved(programmeId, region, b, amount);
        b.available += amount;
        emit FundsReleased(programmeId, region, amount);
    }

    /// @inheritdoc IBudgetLedger
    function pay(uint64 programmeId, uint64 region, uint128 amount) external restricted whenNotPaused {
        Balance storage b = _balances[programmeId][region];
        _takeReserved(programmeId, region, b, amount);
        b.paid += amount;
        _totals[programmeId].paid += amount;
        emit FundsPaid(programmeId, region, amount);
    }

    /// @inheritdoc IBudgetLedger
    function refund(uint64 programmeId, uint64 region, uint128 amount, RefundKind kind) external restricted whenNotPaused {
        Balance storage b = _balances[programmeId][region];
        if (b.paid < amount) revert BudgetLedgerInsufficientBalance(programmeId, region, b.paid, amount);
        b.paid -= amount;
        b.available += amount;
        Totals storage t = _totals[programmeId];
        t.paid -= amount;
        if (kind == RefundKind.Returned) {
            b.returned += amount;
            t.returned += amount;
        } else {
            b.reversed += amount;
            t.reversed += amount;
        }
        emit FundsRefunded(programmeId, region, kind, amount);
    }

    /// @inheritdoc IBudgetLedger
    function balanceOf(uint64 programmeId, uint64 region) external view returns (Balance memory) {
        return _balances[programmeId][region];
    }

    /// @inheritdoc IBudgetLedger
    function totalsOf(uint64 programmeId) external view returns (Totals memory) {
        return _totals[programmeId];
    }

    function _takeAvailable(uint64 programmeId, uint64 region, Balance storage b, uint128 amount) private {
        if (b.available < amount) revert BudgetLedgerInsufficientAvailable(programmeId, region, b.available, amount);
        b.available -= amount;
    }

    function _takeReserved(uint64 programmeId, uint64 region, Balance storage b, uint128 amount) private {
        if (b.reserved < amount) revert BudgetLedgerInsufficientBalance(programmeId, region, b.reserved, amount);
        b.reserved -= amount;
        _totals[programmeId].reserved -= amount;
    }

    /// @dev Reverts unless the caller is the bureau of `region` (RegionBureau).
    function _onlyBureauOf(uint64 region) private view {
        address actor = _actor();
        if (!RegionBureau.isHeldBy(DIRECTORY, region, actor)) revert BudgetLedgerNotRegionBureau(actor, region);
    }

    function _nonZero(uint128 amount) private pure {
        if (amount == 0) revert BudgetLedgerZeroAmount();
    }
}
