// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IDirectory
/// @notice Who acts for whom: the finance bureau account of each region and the account of each
/// reviewing department. An account holds at most one binding, so one key can never act both as a
/// region's bureau and as a department, nor for two departments (separation of duties).
/// @dev Changes are made by the GOVERNOR role, which is granted with an execution delay: every
/// change is scheduled on the AccessManager (evented) before it takes effect.
interface IDirectory {
    /// @dev What an account is bound to.
    enum BindingKind {
        None,
        Bureau,
        Department
    }

    /// @dev A binding: a region code for a bureau, a department id for a department.
    struct Binding {
        BindingKind kind;
        uint64 id;
    }

    /// @dev Emitted when the bureau account of `region` changed (`account` zero: unbound).
    event RegionBureauSet(uint64 indexed region, address indexed previous, address indexed account);

    /// @dev Emitted when the account of `department` changed (`account` zero: unbound).
    event DepartmentSet(uint8 indexed department, address indexed previous, address indexed account);

    /// @dev `region` is not a 12-digit division code.
    error DirectoryInvalidRegion(uint64 region);

    /// @dev `account` already acts for another region or department; unbind it there first.
    error DirectoryAccountAlreadyBound(address account, BindingKind kind, uint64 id);

    /// @notice Binds `account` as the finance bureau of `region` (zero address: unbind).
    function setRegionBureau(uint64 region, address account) external;

    /// @notice Binds `account` as the signing account of reviewing department `department` (zero: unbind).
    function setDepartment(uint8 department, address account) external;

    /// @notice The bureau account of `region`, or zero.
    function bureauOf(uint64 region) external view returns (address);

    /// @notice The account of `department`, or zero.
    function departmentAccount(uint8 department) external view returns (address);

    /// @notice What `account` is bound to.
    function bindingOf(address account) external view returns (Binding memory);
}
