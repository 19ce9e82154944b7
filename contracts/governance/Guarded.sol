// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ISuiteAccessManager} from "../interfaces/ISuiteAccessManager.sol";

/// @title Guarded
/// @notice Base of every writing contract of the suite: functions are gated by the suite's
/// AccessManager (`restricted`), and the GUARDIAN role can stop and restart the contract's writes
/// without delay. Pausing all seven writing contracts (one transaction through the AccessManager's
/// `multicall` of `execute`) stops every write of the suite.
/// @dev The AccessManager's own `setTargetClosed` is admin-only and carries the admin's execution
/// delay, so it cannot serve as an emergency stop; this pause can, and it leaves every view working.
/// Note: a write must carry both `restricted` and `whenNotPaused`, and must attribute its call to
/// `_actor()`, never to `msg.sender`: see ISuiteAccessManager.
abstract contract Guarded is AccessManaged, Pausable {
    /// @dev The AccessManager called this contract outside an `execute` (it has no account to name).
    error GuardedUnattributedCall();

    constructor(address authority) AccessManaged(authority) {}

    /// @notice Stops every write of this contract (GUARDIAN). Emits `Paused`.
    function pause() external restricted {
        _pause();
    }

    /// @notice Restarts the writes of this contract (GUARDIAN). Emits `Unpaused`.
    function unpause() external restricted {
        _unpause();
    }

    /// @dev The account this call acts for: `msg.sender`, or, for a call routed through the
    /// AccessManager's `execute`, the account that called `execute`. Every separation-of-duties check
    /// and every recorded actor (submitter, objector, requester, approver) uses it, so that routing a
    /// call through the manager never dodges a rule.
    function _actor() internal view returns (address actor) {
        actor = msg.sender;
        if (actor == authority()) {
            actor = ISuiteAccessManager(actor).executingAccount();
            if (actor == address(0)) revert GuardedUnattributedCall();
        }
    }
}
