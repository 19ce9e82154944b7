// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ISuiteAccessManager
/// @notice What the suite's AccessManager adds to OpenZeppelin's: it tells a target, during
/// `execute`, which account called `execute`.
/// @dev A call routed through `AccessManager.execute` (immediately, or after `schedule`) reaches the
/// target with the manager as `msg.sender`. A target that checks "the caller is not the submitter" or
/// records "the objector" against `msg.sender` would then see the manager, not the account, and an
/// account holding two roles could dodge a separation-of-duties rule by routing one of its calls. The
/// suite's contracts therefore attribute every call to `Guarded._actor()`: `msg.sender`, or, when that
/// is the manager, the account whose `execute` is running.
interface ISuiteAccessManager {
    /// @notice The account whose `execute` call is running (zero when none is).
    /// Note: only meaningful to the target of that `execute`, during the call.
    function executingAccount() external view returns (address);
}
