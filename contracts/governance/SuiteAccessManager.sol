// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/// @title SuiteAccessManager
/// @notice The suite's single authority: roles, grant delays, execution delays and scheduled
/// operations, all evented by OpenZeppelin's AccessManager. (The emergency stop is the GUARDIAN's
/// pause of each contract, see Guarded: `setTargetClosed` here carries the admin's delay.)
/// @dev Deployed as is; this contract exists so that the build produces its artifact.
contract SuiteAccessManager is AccessManager {
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
