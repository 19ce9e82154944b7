// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title BenchToken (benchmark baseline): a plain ERC-20 for the transfer-based baselines.
contract BenchToken is ERC20 {
    constructor(address holder, uint256 supply) ERC20("Bench yuan (fen)", "BFEN") {
        _mint(holder, supply);
    }
}
