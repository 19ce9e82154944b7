// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Roles
/// @notice Role ids used with the suite's AccessManager. `ADMIN_ROLE` (0) and `PUBLIC_ROLE`
/// (type(uint64).max) are the AccessManager's own. Which function needs which role is wired at
/// deployment (see `src/roles.ts` and the Ignition module) and documented in docs/spec.md.
library Roles {
    /// @dev Amends programmes, sets the statutory floors, and binds and unbinds the Directory's
    /// offices; granted with an execution delay, so every change is scheduled (and evented) before
    /// it takes effect.
    uint64 internal constant GOVERNOR = 1;
    /// @dev Emergency stop: may pause and unpause each writing contract of the suite (see Guarded),
    /// without delay; pausing all seven stops every write.
    uint64 internal constant GUARDIAN = 2;
    /// @dev Creates programmes and funds their root region.
    uint64 internal constant PROGRAMME_ADMIN = 3;
    /// @dev A region's finance bureau: allocates and reclaims budget; submits rosters, lists their
    /// lines, withdraws and closes them.
    uint64 internal constant BUREAU = 4;
    /// @dev A reviewing department: signs off or rejects rosters, resolves objections, confirms a
    /// closing that drops lines, approves or rejects reversals.
    uint64 internal constant REVIEWER = 5;
    /// @dev The civil-affairs department: registers, suspends and reinstates households.
    uint64 internal constant CIVIL_AFFAIRS = 6;
    /// @dev Records payouts and requests reversals.
    uint64 internal constant DISBURSER = 7;
    /// @dev The settlement bank: confirms or returns payouts, and records reversals' recoveries.
    uint64 internal constant BANK = 8;
    /// @dev The suite's own contracts, for the calls they make to each other.
    uint64 internal constant SUITE = 9;
}
