// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title Disperse (benchmark baseline): a Disperse-style batch ERC-20 transfer, one transfer per
/// line to a household account. No dedupe, no cap, no approvals: the floor of "just send the money".
contract Disperse {
    using SafeERC20 for IERC20;

    function disperseToken(IERC20 token, address[] calldata recipients, uint256[] calldata values) external {
        for (uint256 i = 0; i < recipients.length; ++i) {
            token.safeTransferFrom(msg.sender, recipients[i], values[i]);
        }
    }
}
