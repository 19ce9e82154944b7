// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IDirectory
/// @notice The offices of the province and the account that holds each. An office is a duty bound to
/// a region: the finance bureau of a region, the civil-affairs office of a region, the office of a
/// reviewing department at a region, the treasury (disbursing office) of a region, the agent bank of a
/// region. An office acts for its region and every region below it (its subtree); the bureau acts for
/// its own region only (it allocates to the bureaus below it).
///
/// One account holds one office, for life: an account is bound once, and once unbound (or replaced)
/// it is retired and never bound again. So no key ever holds two duties, at once or one after the
/// other, and a roster's submitter, reviewers, treasury and bank are necessarily different keys.
/// @dev Binding and unbinding are GOVERNOR functions, granted with an execution delay: every change
/// is scheduled on the AccessManager (evented) before it takes effect. Province governance binds every
/// office; docs/spec.md §2.2 says why not each level for the level below.
interface IDirectory {
    /// @dev The kinds of office.
    enum OfficeKind {
        None,
        Bureau,
        CivilAffairs,
        Reviewer,
        Treasury,
        Bank
    }

    /// @dev An office: its kind, its reviewing department (reviewing offices only; zero otherwise)
    /// and its region (a 12-digit division code).
    struct Office {
        OfficeKind kind;
        uint8 department;
        uint64 region;
    }

    /// @dev Emitted when `account` took up `office`, replacing `previous` (zero: the office was vacant).
    event OfficeBound(
        address indexed account, OfficeKind indexed kind, uint8 department, uint64 indexed region, address previous
    );

    /// @dev Emitted when `account` left its office (unbound or replaced); it is retired.
    event OfficeVacated(address indexed account, OfficeKind indexed kind, uint8 department, uint64 indexed region);

    /// @dev `region` is not a 12-digit division code.
    error DirectoryInvalidRegion(uint64 region);

    /// @dev The office's kind is None, or a department is named for an office that is not a reviewing one.
    error DirectoryInvalidOffice(OfficeKind kind, uint8 department);

    /// @dev The zero address cannot hold an office.
    error DirectoryZeroAccount();

    /// @dev `account` already holds `office`; an account holds one office.
    error DirectoryAccountAlreadyBound(address account, Office office);

    /// @dev `account` held an office before; an account is never bound twice.
    error DirectoryAccountRetired(address account);

    /// @dev `account` holds no office.
    error DirectoryNotBound(address account);

    /// @notice Binds `account` to `office`. The office's previous holder, if any, is vacated and retired.
    function bindOffice(address account, Office calldata office) external;

    /// @notice Vacates the office of `account`, which is retired.
    function unbindOffice(address account) external;

    /// @notice The office `account` holds (kind None: none).
    function officeOf(address account) external view returns (Office memory);

    /// @notice The account holding `office`, or zero.
    function holderOf(Office calldata office) external view returns (address);

    /// @notice The bureau account of `region`, or zero.
    function bureauOf(uint64 region) external view returns (address);

    /// @notice Whether `account` holds an office of `kind` whose subtree contains `region`. The
    /// treasury, agent bank and reviewing offices act by this test; a bureau's duties (allocating,
    /// submitting, closing) are checked against its own region only, with `bureauOf`.
    function covers(address account, OfficeKind kind, uint64 region) external view returns (bool);

    /// @notice Whether `account` held an office and left it.
    function isRetired(address account) external view returns (bool);
}
