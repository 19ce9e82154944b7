// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title MerkleDistributor (benchmark baseline): Uniswap-style claims, one Merkle proof per line,
/// a claimed-bitmap, a token transfer per claim. `claimMany` loops claims so that batches of the
/// same sizes as ours can be measured in one transaction.
contract MerkleDistributor {
    using SafeERC20 for IERC20;

    struct Claim {
        uint256 index;
        address account;
        uint256 amount;
        bytes32[] proof;
    }

    IERC20 public immutable TOKEN;
    bytes32 public immutable ROOT;
    mapping(uint256 word => uint256 bits) private _claimed;

    event Claimed(uint256 index, address account, uint256 amount);

    error DistributorAlreadyClaimed(uint256 index);
    error DistributorInvalidProof(uint256 index);

    constructor(IERC20 token, bytes32 root) {
        TOKEN = token;
        ROOT = root;
    }

    function claimMany(Claim[] calldata claims) external {
        for (uint256 i = 0; i < claims.length; ++i) {
            Claim calldata c = claims[i];
            uint256 bit = uint256(1) << (c.index & 0xff);
            if (_claimed[c.index >> 8] & bit != 0) revert DistributorAlreadyClaimed(c.index);
            bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(c.index, c.account, c.amount))));
            if (!MerkleProof.verifyCalldata(c.proof, ROOT, leaf)) revert DistributorInvalidProof(c.index);
            _claimed[c.index >> 8] |= bit;
            TOKEN.safeTransfer(c.account, c.amount);
            emit Claimed(c.index, c.account, c.amount);
        }
    }
}
