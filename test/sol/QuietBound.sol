// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {StdUtils} from "forge-std/StdUtils.sol";
import {Test} from "forge-std/Test.sol";

/// @notice forge-std's `bound` without its console log, so that fuzz output stays readable: for the
/// invariant handler (beside `CommonBase`).
abstract contract QuietBound is StdUtils {
    function bound(uint256 x, uint256 min, uint256 max) internal pure virtual override returns (uint256) {
        return _bound(x, min, max);
    }
}

/// @notice `Test` with QuietBound's `bound`: the base of every Solidity test.
abstract contract QuietTest is Test, QuietBound {
    function bound(uint256 x, uint256 min, uint256 max) internal pure override(StdUtils, QuietBound) returns (uint256) {
        return QuietBound.bound(x, min, max);
    }
}
