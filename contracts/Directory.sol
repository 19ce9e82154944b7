// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Guarded} from "./governance/Guarded.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {RegionCode} from "./libraries/RegionCode.sol";

/// @title Directory
/// @notice The province's offices (bureau, civil affairs, reviewing department, treasury, bank, each
/// bound to a region) and the one account that holds each.
contract Directory is IDirectory, Guarded {
    mapping(address account => Office) private _officeOf;
    mapping(bytes32 officeKey => address) private _holderOf;
    mapping(address account => bool) private _retired;

    constructor(address authority) Guarded(authority) {}

    /// @inheritdoc IDirectory
    function bindOffice(address account, Office calldata office) external restricted whenNotPaused {
        if (account == address(0)) revert DirectoryZeroAccount();
        if (office.kind == OfficeKind.None || (office.kind != OfficeKind.Reviewer && office.department != 0)) {
            revert DirectoryInvalidOffice(office.kind, office.department);
        }
        if (!RegionCode.isValid(office.region)) revert DirectoryInvalidRegion(office.region);
        Office memory held = _officeOf[account];
        if (held.kind != OfficeKind.None) revert DirectoryAccountAlreadyBound(account, held);
        if (_retired[account]) revert DirectoryAccountRetired(account);
        bytes32 key = _key(office.kind, office.department, office.region);
        address previous = _holderOf[key];
        if (previous != address(0)) _vacate(previous);
        _officeOf[account] = office;
        _holderOf[key] = account;
        emit OfficeBound(account, office.kind, office.department, office.region, previous);
    }

    /// @inheritdoc IDirectory
    function unbindOffice(address account) external restricted whenNotPaused {
        if (_officeOf[account].kind == OfficeKind.None) revert DirectoryNotBound(account);
        _vacate(account);
    }

    /// @inheritdoc IDirectory
    function officeOf(address account) external view returns (Office memory) {
        return _officeOf[account];
    }

    /// @inheritdoc IDirectory
    function holderOf(Office calldata office) external view returns (address) {
        return _holderOf[_key(office.kind, office.department, office.region)];
    }

    /// @inheritdoc IDirectory
    function bureauOf(uint64 region) external view returns (address) {
        return _holderOf[_key(OfficeKind.Bureau, 0, region)];
    }

    /// @inheritdoc IDirectory
    function covers(address account, OfficeKind kind, uint64 region) external view returns (bool) {
        Office storage office = _officeOf[account];
        return office.kind == kind && kind != OfficeKind.None && RegionCode.isValid(region)
            && RegionCode.covers(office.region, region);
    }

    /// @inheritdoc IDirectory
    function isRetired(address account) external view returns (bool) {
        return _retired[account];
    }

    function _vacate(address account) private {
        Office memory office = _officeOf[account];
        delete _holderOf[_key(office.kind, office.department, office.region)];
        delete _officeOf[account];
        _retired[account] = true;
        emit OfficeVacated(account, office.kind, office.department, office.region);
    }

    function _key(OfficeKind kind, uint8 department, uint64 region) private pure returns (bytes32) {
        return keccak256(abi.encode(kind, department, region));
    }
}
