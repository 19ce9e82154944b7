// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {ISuiteAccessManager} from "../interfaces/ISuiteAccessManager.sol";

/// @title SuiteAccessManager
/// @notice The suite's single authority: roles, grant delays, execution delays and scheduled
/// operations, all evented by OpenZeppelin's AccessManager. (The emergency stop is the GUARDIAN's
/// pause of each contract, see Guarded: `setTargetClosed` here carries the admin's delay.)
/// It adds one thing: while `execute` runs, `executingAccount()` names the account that called it,
/// so that a target attributes a routed call to that account and not to the manager.
contract SuiteAccessManager is AccessManager, ISuiteAccessManager {
    /// @dev The caller of the `execute` now running; transient, so it never outlives the transaction.
    address private transient _executingAccount;

    constructor(address initialAdmin) AccessManager(initialAdmin) {}

    /// @inheritdoc AccessManager
    /// @dev Remembers the caller for the duration of the call, restoring the outer one afterwards (an
    /// `execute` nested inside a target's call); `multicall` reaches here by delegatecall, so the
    /// caller is still the account.
    function execute(address target, bytes calldata data) public payable override returns (uint32 nonce) {
        address outer = _executingAccount;
        _executingAccount = _msgSender();
        nonce = super.execute(target, data);
        _executingAccount = outer;
    }

    /// @inheritdoc ISuiteAccessManager
    function executingAccount() external view returns (address) {
        return _executingAccount;
    }
}
