// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDirectory} from "../interfaces/IDirectory.sol";

/// @title RegionBureau
/// @notice Who may act as a region's finance bureau (allocate and reclaim its budget; submit, list,
/// withdraw and close its rosters): the account the Directory binds to the region's bureau office
/// now, `IDirectory.bureauOf(region)`. Not any bureau whose region covers it (`IDirectory.covers`):
/// a bureau acts for its own region only, and allocates to the bureaus below. Not the roster's
/// submitter either: when the office passes to a new key, the new key takes over the region's
/// budget and rosters, and the old key, retired, can do nothing.
/// @dev The rule in one place for BudgetLedger, RosterBook and RosterLines; each reverts with its
/// own error (`…NotRegionBureau(caller, region)`), which its interface documents.
library RegionBureau {
    /// @dev Whether `account` holds the bureau office of `region` in `directory`.
    function isHeldBy(IDirectory directory, uint64 region, address account) internal view returns (bool) {
        return directory.bureauOf(region) == account;
    }
}
