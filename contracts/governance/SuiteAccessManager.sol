// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title SuiteAccessManager
/// @notice The suite's single authority: roles, grant delays, execution delays, scheduled operations
/// and the emergency stop (`setTargetClosed`), all evented by OpenZeppelin's AccessManager.
/// @dev Deployed as is; this contract exists so that the build produces its artifact.
contract SuiteAccessManager is AccessManager {
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
