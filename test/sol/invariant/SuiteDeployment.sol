// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BudgetLedger} from "../../../contracts/BudgetLedger.sol";
import {Directory} from "../../../contracts/Directory.sol";
import {Disbursement} from "../../../contracts/Disbursement.sol";
import {HouseholdRegistry} from "../../../contracts/HouseholdRegistry.sol";
import {ProgrammeRegistry} from "../../../contracts/ProgrammeRegistry.sol";
import {IHouseholdRegistry} from "../../../contracts/interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "../../../contracts/interfaces/IProgrammeRegistry.sol";
import {RosterBook} from "../../../contracts/RosterBook.sol";
import {RosterLines} from "../../../contracts/RosterLines.sol";
import {SuiteAccessManager} from "../../../contracts/governance/SuiteAccessManager.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @dev The deployed suite, passed to the handler.
struct Suite {
    SuiteAccessManager manager;
    Directory directory;
    ProgrammeRegistry programmes;
    HouseholdRegistry households;
    BudgetLedger ledger;
    RosterBook rosters;
    RosterLines lines;
    Disbursement disbursement;
}

/// @dev Deploys the whole suite with `admin` as the AccessManager's admin and wires every function role
/// exactly as the table in src/roles.ts (copied here as signature strings, so that a selector that
/// drifts from the table fails `test_wiring_matchesRolesTable`). Grants SUITE to RosterBook,
/// RosterLines and Disbursement, as the Ignition module does. Grants no other role: the caller grants the actors'.
library SuiteDeployment {
    uint64 internal constant PUBLIC = type(uint64).max;

    function deploy(address admin) internal returns (Suite memory s) {
        s.manager = new SuiteAccessManager(admin);
        s.directory = new Directory(address(s.manager));
        // Floors low enough for the handler's amendments (1 day, one review stage) to pass.
        s.programmes = new ProgrammeRegistry(address(s.manager), IProgrammeRegistry.StatutoryFloors(1 days, 1));
        s.households = new HouseholdRegistry(address(s.manager), s.directory, IHouseholdRegistry(address(0)));
        s.ledger = new BudgetLedger(address(s.manager), s.programmes, s.directory);
        s.rosters = new RosterBook(address(s.manager), s.programmes, s.directory, s.ledger);
        s.lines = new RosterLines(address(s.manager), s.rosters, s.programmes, s.directory);
        s.disbursement = new Disbursement(
            address(s.manager), s.programmes, s.households, s.directory, s.rosters, s.ledger
        );
    }

    /// @dev Every row of src/roles.ts FUNCTION_ROLES: (target, signature, role).
    function table(Suite memory s)
        internal
        pure
        returns (address[] memory targets, string[] memory signatures, uint64[] memory roles)
    {
        targets = new address[](51);
        signatures = new string[](51);
        roles = new uint64[](51);
        uint256 k = 0;
        address t = address(s.directory);
        (targets[k], signatures[k], roles[k++]) = (t, "bindOffice(address,(uint8,uint8,uint64))", Roles.GOVERNOR);
        (targets[k], signatures[k], roles[k++]) = (t, "unbindOffice(address)", Roles.GOVERNOR);
        (targets[k], signatures[k], roles[k++]) = (t, "pause()", Roles.GUARDIAN);
        (targets[k], signatures[k], roles[k++]) = (t, "unpause()", Roles.GUARDIAN);
        t = address(s.programmes);
        (targets[k], signatures[k], roles[k++]) = (
            t, "createProgramme(bytes32,uint32,uint64,(uint128,uint128,uint32,uint32,uint256,bytes32,string))", Roles.PROGRAMME_ADMIN
        );
        (targets[k], signatures[k], roles[k++]) =
            (t, "amendProgramme(uint64,(uint128,uint128,uint32,uint32,uint256,bytes32,string))", Roles.GOVERNOR);
        (targets[k], signatures[k], roles[k++]) = (t, "setStatutoryFloors((uint32,uint8))", Roles.GOVERNOR);
        (targets[k], signatures[k], roles[k++]) = (t, "pause()", Roles.GUARDIAN);
        (targets[k], signatures[k], roles[k++]) = (t, "unpause()", Roles.GUARDIAN);
        t = address(s.households);
        (targets[k], signatures[k], roles[k++]) =
            (t, "registerHouseholds(uint64,bytes32[],bytes32[],bytes32)", Roles.CIVIL_AFFAIRS);
        (targets[k], signatures[k], roles[k++]) =
            (t, "replaceCommitment(uint64,bytes32,bytes32,bytes32)", Roles.CIVIL_AFFAIRS);
        (targets[k], signatures[k], roles[k++]) = (t, "importHouseholds(bytes32[])", Roles.CIVIL_AFFAIRS);
        (targets[k], signatures[k], roles[k++]) = (t, "suspendHousehold(uint64,uint8,bytes32)", Roles.CIVIL_AFFAIRS);
        (targets[k], signatures[k], roles[k++]) = (t, "reinstateHousehold(uint64,bytes32)", Roles.CIVIL_AFFAIRS);
        (targets[k], signatures[k], roles[k++]) = (t, "pause()", Roles.GUARDIAN);
        (targets[k], signatures[k], roles[k++]) = (t, "unpause()", Roles.GUARDIAN);
        t = address(s.ledger);
        (targets[k], signatures[k], roles[k++]) = (t, "fundProgramme(uint64,uint128)", Roles.PROGRAMME_ADMIN);
        (targets[k], signatures[k], roles[k++]) = (t, "allocate(uint64,uint64,uint64,uint128)", Roles.BUREAU);
        (targets[k], signatures[k], roles[k++]) = (t, "reclaim(uint64,uint64,uint64,uint128)", Roles.BUREAU);
        (targets[k], signatures[k], roles[k++]) = (t, "reserve(uint64,uint64,uint128)", Roles.SUITE);
        (targets[k], signatures[k], roles[k++]) = (t, "release(uint64,uint64,uint128)", Roles.SUITE);
        (targets[k], signatures[k], roles[k++]) = (t, "pay(uint64,uint64,uint128)", Roles.SUITE);
        (targets[k], signatures[k], roles[k++]) = (t, "refund(uint64,uint64,uint128,uint8)", Roles.SUITE);
        (targets[k], signatures[k], roles[k++]) = (t, "pause()", Roles.GUARDIAN);
        (targets[k], signatures[k], roles[k++]) = (t, "unpause()", Roles.GUARDIAN);
        t = address(s.rosters);
        (targets[k], signatures[k], roles[k++]) =
            (t, "submitRoster((uint64,uint64,bytes32,uint32,uint128,bytes32,string))", Roles.BUREAU);
        (targets[k], signatures[k], roles[k++]) = (t, "withdrawRoster(uint64,bytes32)", Roles.BUREAU);
        (targets[k], signatures[k], roles[k++]) = (t, "closeRoster(uint64,bytes32)", Roles.BUREAU);
        (targets[k], signatures[k], roles[k++]) = (t, "confirmClose(uint64)", Roles.REVIEWER);
        (targets[k], signatures[k], roles[k++]) = (t, "approveRoster(uint64)", Roles.REVIEWER);
        (targets[k], signatures[k], roles[k++]) = (t, "rejectRoster(uint64,bytes32)", Roles.REVIEWER);
        (targets[k], signatures[k], roles[k++]) =
            (t, "resolveObjection(uint64,(uint32,uint64,uint128),bytes32[],bool,bytes32)", Roles.REVIEWER);
        (targets[k], signatures[k], roles[k++]) =
            (t, "resolveObjections(uint64,(uint32,uint64,uint128)[],bytes32[][],bool[],bytes32)", Roles.REVIEWER);
        (targets[k], signatures[k], roles[k++]) =
            (t, "approveRosterBySig(uint64,(uint8,uint256,uint256,bytes)[])", PUBLIC);
        (targets[k], signatures[k], roles[k++]) = (t, "objectToLine(uint64,uint32,bytes32)", PUBLIC);
        (targets[k], signatures[k], roles[k++]) = (t, "recordPaid(uint64,uint32,uint128)", Roles.SUITE);
        (targets[k], signatures[k], roles[k++]) = (t, "seal(uint64,bytes32,uint128)", Roles.SUITE);
        (targets[k], signatures[k], roles[k++]) = (t, "pause()", Roles.GUARDIAN);
        (targets[k], signatures[k], roles[k++]) = (t, "unpause()", Roles.GUARDIAN);
        t = address(s.lines);
        (targets[k], signatures[k], roles[k++]) = (t, "submitLines(uint64,uint32,bytes,bytes32[])", Roles.BUREAU);
        (targets[k], signatures[k], roles[k++]) = (t, "pause()", Roles.GUARDIAN);
        (targets[k], signatures[k], roles[k++]) = (t, "unpause()", Roles.GUARDIAN);
        t = address(s.disbursement);
        (targets[k], signatures[k], roles[k++]) =
            (t, "recordPayouts(uint64,uint256[],bytes32[])", Roles.DISBURSER);
        (targets[k], signatures[k], roles[k++]) = (
            t, "requestReversal(uint64,(uint32,uint256[]),uint32,(uint32,uint64,uint128),bytes32)", Roles.DISBURSER
        );
        (targets[k], signatures[k], roles[k++]) = (t, "confirmPayouts(uint64,uint32[],bytes32[])", Roles.BANK);
        (targets[k], signatures[k], roles[k++]) = (
            t, "returnPayouts(uint64,(uint32,uint256[]),uint32[],(uint32,uint64,uint128)[],bytes32[])", Roles.BANK
        );
        (targets[k], signatures[k], roles[k++]) = (t, "recordRecoveries(uint256[],bytes32[])", Roles.BANK);
        (targets[k], signatures[k], roles[k++]) = (t, "approveReversal(uint256)", Roles.REVIEWER);
        (targets[k], signatures[k], roles[k++]) = (t, "rejectReversal(uint256,bytes32)", Roles.REVIEWER);
        (targets[k], signatures[k], roles[k++]) = (t, "pause()", Roles.GUARDIAN);
        (targets[k], signatures[k], roles[k++]) = (t, "unpause()", Roles.GUARDIAN);
        assert(k == 51);
    }

    /// @dev Wires the table; the caller must be the AccessManager's admin.
    function wire(Suite memory s) internal {
        (address[] memory targets, string[] memory signatures, uint64[] memory roles) = table(s);
        for (uint256 i = 0; i < targets.length; ++i) {
            bytes4[] memory selector = new bytes4[](1);
            selector[0] = bytes4(keccak256(bytes(signatures[i])));
            s.manager.setTargetFunctionRole(targets[i], selector, roles[i]);
        }
        s.manager.grantRole(Roles.SUITE, address(s.rosters), 0);
        s.manager.grantRole(Roles.SUITE, address(s.lines), 0);
        s.manager.grantRole(Roles.SUITE, address(s.disbursement), 0);
    }
}
