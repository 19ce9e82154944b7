// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;


import {Guarded} from "./governance/Guarded.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {RegionCode} from "./libraries/RegionCode.sol";

/// @title Directory
/// @notice Binds regions to their finance bureau accounts and departments to their accounts.
contract Directory is IDirectory, Guarded {
    mapping(uint64 region => address) private _bureauOf;
    mapping(uint8 department => address) private _departmentAccount;
    mapping(address account => Binding) private _bindingOf;

    constructor(address authority) Guarded(authority) {}

    /// @inheritdoc IDirectory
    function setRegionBureau(uint64 region, address account) external restricted whenNotPaused {
        if (!RegionCode.isValid(region)) revert DirectoryInvalidRegion(region);
        address previous = _bureauOf[region];
        _rebind(previous, account, Binding(BindingKind.Bureau, region));
        _bureauOf[region] = account;
        emit RegionBureauSet(region, previous, account);
    }

    /// @inheritdoc IDirectory
    function setDepartment(uint8 department, address account) external restricted whenNotPaused {
        address previous = _departmentAccount[department];
        _rebind(previous, account, Binding(BindingKind.Department, department));
        _departmentAccount[department] = account;
        emit DepartmentSet(department, previous, account);
    }

    /// @inheritdoc IDirectory
    function bureauOf(uint64 region) external view returns (address) {
        return _bureauOf[region];
    }

    /// @inheritdoc IDirectory
    function departmentAccount(uint8 department) external view returns (address) {
        return _departmentAccount[department];
    }

    /// @inheritdoc IDirectory
    function bindingOf(address account) external view returns (Binding memory) {
        return _bindingOf[account];
    }

    /// @dev Moves `binding` from `previous` to `account`, keeping one binding per account.
    function _rebind(address previous, address account, Binding memory binding) private {
        if (previous != address(0)) delete _bindingOf[previous];
        if (account == address(0)) return;
        Binding memory existing = _bindingOf[account];
        if (existing.kind != BindingKind.None) {
            revert DirectoryAccountAlreadyBound(account, existing.kind, existing.id);
        }
        _bindingOf[account] = binding;
    }
}
