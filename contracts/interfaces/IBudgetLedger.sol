// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IBudgetLedger
/// @notice The budget tree of every programme, per administrative region, in fen.
///
/// For each programme and region, at every moment:
///
///     received = allocatedOut + reserved + paid + available
///
/// `received` comes from the parent region (or, at the root, from funding); `allocatedOut` went down
/// to child regions; `reserved` is held by rosters awaiting payout; `paid` is paid out and not
/// returned or reversed; `available` may be allocated or reserved. Money only moves between these
/// buckets, or between a parent's `allocatedOut` and a child's `received`: it is never created
/// (except by funding the root, up to the programme's ceiling) and never lost.
/// `returned` and `reversed` count, cumulatively, what flowed back from `paid` to `available`.
interface IBudgetLedger {
    /// @dev Why paid money came back.
    enum RefundKind {
        Returned,
        Reversed
    }

    /// @dev One region's balance in one programme. Fields are ordered for storage: each payout batch
    /// moves `reserved` to `paid`, which then share one slot, as do `received` and `available`.
    struct Balance {
        uint64 parent;
        uint128 allocatedOut;
        uint128 received;
        uint128 available;
        uint128 reserved;
        uint128 paid;
        uint128 returned;
        uint128 reversed;
    }

    /// @dev Programme-wide totals. Fields are ordered for storage: `reserved` and `paid`, which every
    /// payout batch changes, share one slot.
    struct Totals {
        uint128 reserved;
        uint128 paid;
        uint128 funded;
        uint128 returned;
        uint128 reversed;
    }

    /// @dev Emitted when `amount` was funded into the root region of `programmeId`.
    event ProgrammeFunded(uint64 indexed programmeId, uint64 indexed region, address indexed by, uint128 amount);

    /// @dev Emitted when `amount` was allocated from region `from` to its descendant `to`.
    event BudgetAllocated(uint64 indexed programmeId, uint64 indexed from, uint64 indexed to, uint128 amount);

    /// @dev Emitted when `amount` unused by `child` was taken back by its parent `parent`.
    event BudgetReclaimed(uint64 indexed programmeId, uint64 indexed parent, uint64 indexed child, uint128 amount);

    /// @dev Emitted when a roster reserved `amount` of the region's available budget.
    event FundsReserved(uint64 indexed programmeId, uint64 indexed region, uint128 amount);

    /// @dev Emitted when `amount` of a reservation went back to the region's available budget.
    event FundsReleased(uint64 indexed programmeId, uint64 indexed region, uint128 amount);

    /// @dev Emitted when `amount` of a reservation was paid out.
    event FundsPaid(uint64 indexed programmeId, uint64 indexed region, uint128 amount);

    /// @dev Emitted when `amount` of paid money came back to the region's available budget.
    event FundsRefunded(uint64 indexed programmeId, uint64 indexed region, RefundKind kind, uint128 amount);

    /// @dev Funding would take the programme past its budget ceiling.
    error BudgetLedgerCeilingExceeded(uint64 programmeId, uint128 funded, uint128 amount, uint128 ceiling);

    /// @dev `region` has `available` fen available, less than the `amount` asked for.
    error BudgetLedgerInsufficientAvailable(uint64 programmeId, uint64 region, uint128 available, uint128 amount);

    /// @dev `region`'s bucket holds `held` fen, less than the `amount` to move out of it.
    error BudgetLedgerInsufficientBalance(uint64 programmeId, uint64 region, uint128 held, uint128 amount);

    /// @dev The caller is not the bureau bound to `region` in the Directory.
    error BudgetLedgerNotRegionBureau(address caller, uint64 region);

    /// @dev `to` is not a descendant of `from` in the division hierarchy, or is the programme's root.
    error BudgetLedgerNotDescendant(uint64 from, uint64 to);

    /// @dev `child` already receives its budget from `parent`, not from `from`.
    error BudgetLedgerWrongParent(uint64 child, uint64 parent, uint64 from);

    /// @dev Amounts must be positive.
    error BudgetLedgerZeroAmount();

    /// @notice Funds the root region of `programmeId` with `amount` (up to the budget ceiling).
    function fundProgramme(uint64 programmeId, uint128 amount) external;

    /// @notice Allocates `amount` of `from`'s available budget to its descendant region `to`.
    /// The caller must be `from`'s bureau. A region has one parent per programme: the first
    /// region that allocates to it.
    function allocate(uint64 programmeId, uint64 from, uint64 to, uint128 amount) external;

    /// @notice Takes back `amount` of `child`'s available budget to its parent `parent`.
    /// The caller must be `parent`'s bureau.
    function reclaim(uint64 programmeId, uint64 parent, uint64 child, uint128 amount) external;

    /// @notice available → reserved. Suite contracts only (roster submission).
    function reserve(uint64 programmeId, uint64 region, uint128 amount) external;

    /// @notice reserved → available. Suite contracts only (rejection, withdrawal, exclusion, closing).
    function release(uint64 programmeId, uint64 region, uint128 amount) external;

    /// @notice reserved → paid. Suite contracts only (payouts).
    function pay(uint64 programmeId, uint64 region, uint128 amount) external;

    /// @notice paid → available. Suite contracts only (bank returns, reversals).
    function refund(uint64 programmeId, uint64 region, uint128 amount, RefundKind kind) external;

    /// @notice The balance of `region` in `programmeId`.
    function balanceOf(uint64 programmeId, uint64 region) external view returns (Balance memory);

    /// @notice The totals of `programmeId`.
    function totalsOf(uint64 programmeId) external view returns (Totals memory);
}
