// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {QuietTest} from "./QuietBound.sol";

import {BudgetLedger} from "../../contracts/BudgetLedger.sol";
import {Directory} from "../../contracts/Directory.sol";
import {ProgrammeRegistry} from "../../contracts/ProgrammeRegistry.sol";
import {SuiteAccessManager} from "../../contracts/governance/SuiteAccessManager.sol";
import {Guarded} from "../../contracts/governance/Guarded.sol";
import {IProgrammeRegistry} from "../../contracts/interfaces/IProgrammeRegistry.sol";
import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";

/// @dev Deploys the AccessManager, Directory, ProgrammeRegistry and BudgetLedger and wires their
/// function roles as src/roles.ts does. The test contract is the AccessManager's admin and holds
/// GOVERNOR without an execution delay (acceptable in unit tests; production grants it delayed).
abstract contract SuiteFixture is QuietTest {
    // Made-up but well-formed region codes.
    uint64 internal constant CITY = 110100000000;
    uint64 internal constant COUNTY = 110101000000;
    uint64 internal constant TOWNSHIP_A = 110101001000;
    uint64 internal constant TOWNSHIP_B = 110101002000;
    uint64 internal constant VILLAGE_A1 = 110101001001;
    uint64 internal constant VILLAGE_B1 = 110101002001;
    uint64 internal constant OTHER_COUNTY = 110102000000;

    uint128 internal constant CEILING = 100_000_000; // 1,000,000.00 yuan in fen
    uint128 internal constant CAP = 200_000;
    uint32 internal constant PUBLICITY = 7 days;
    /// @dev Three stages, any order: departments 0, 1 and 2, each at county level (3).
    uint256 internal constant REVIEW_STAGES = 0x0302_0301_0300;
    bytes32 internal constant EARMARK = keccak256("earmark:low-income-2026");
    uint32 internal constant PERIOD = 2026;

    SuiteAccessManager internal manager;
    Directory internal directory;
    ProgrammeRegistry internal programmes;
    BudgetLedger internal ledger;

    address internal governor;
    address internal guardian;
    address internal programmeAdmin;
    address internal cityBureau;
    address internal countyBureau;
    address internal townshipABureau;
    address internal townshipBBureau;
    address internal strayBureau; // holds BUREAU but is bound to no region
    address internal suite;
    address internal outsider;

    function _deploySuite() internal {
        governor = address(this);
        guardian = makeAddr("guardian");
        programmeAdmin = makeAddr("programmeAdmin");
        cityBureau = makeAddr("cityBureau");
        countyBureau = makeAddr("countyBureau");
        townshipABureau = makeAddr("townshipABureau");
        townshipBBureau = makeAddr("townshipBBureau");
        strayBureau = makeAddr("strayBureau");
        suite = makeAddr("suite");
        outsider = makeAddr("outsider");

        manager = new SuiteAccessManager(address(this));
        directory = new Directory(address(manager));
        programmes = new ProgrammeRegistry(address(manager), IProgrammeRegistry.StatutoryFloors(1 days, 1));
        ledger = new BudgetLedger(address(manager), programmes, directory);

        // Directory
        manager.setTargetFunctionRole(
            address(directory),
            _sels(Directory.bindOffice.selector, Directory.unbindOffice.selector),
            Roles.GOVERNOR
        );
        _wirePause(address(directory));
        // ProgrammeRegistry
        manager.setTargetFunctionRole(
            address(programmes), _sels(ProgrammeRegistry.createProgramme.selector), Roles.PROGRAMME_ADMIN
        );
        manager.setTargetFunctionRole(
            address(programmes), _sels(ProgrammeRegistry.amendProgramme.selector), Roles.GOVERNOR
        );
        _wirePause(address(programmes));
        // BudgetLedger
        manager.setTargetFunctionRole(
            address(ledger), _sels(BudgetLedger.fundProgramme.selector), Roles.PROGRAMME_ADMIN
        );
        manager.setTargetFunctionRole(
            address(ledger), _sels(BudgetLedger.allocate.selector, BudgetLedger.reclaim.selector), Roles.BUREAU
        );
        bytes4[] memory suiteSels = new bytes4[](4);
        suiteSels[0] = BudgetLedger.reserve.selector;
        suiteSels[1] = BudgetLedger.release.selector;
        suiteSels[2] = BudgetLedger.pay.selector;
        suiteSels[3] = BudgetLedger.refund.selector;
        manager.setTargetFunctionRole(address(ledger), suiteSels, Roles.SUITE);
        _wirePause(address(ledger));

        manager.grantRole(Roles.GOVERNOR, governor, 0);
        manager.grantRole(Roles.GUARDIAN, guardian, 0);
        manager.grantRole(Roles.PROGRAMME_ADMIN, programmeAdmin, 0);
        manager.grantRole(Roles.BUREAU, cityBureau, 0);
        manager.grantRole(Roles.BUREAU, countyBureau, 0);
        manager.grantRole(Roles.BUREAU, townshipABureau, 0);
        manager.grantRole(Roles.BUREAU, townshipBBureau, 0);
        manager.grantRole(Roles.BUREAU, strayBureau, 0);
        manager.grantRole(Roles.SUITE, suite, 0);
    }

    function _bindBureaus() internal {
        _bind(cityBureau, IDirectory.OfficeKind.Bureau, 0, CITY);
        _bind(countyBureau, IDirectory.OfficeKind.Bureau, 0, COUNTY);
        _bind(townshipABureau, IDirectory.OfficeKind.Bureau, 0, TOWNSHIP_A);
        _bind(townshipBBureau, IDirectory.OfficeKind.Bureau, 0, TOWNSHIP_B);
    }

    function _bind(address account, IDirectory.OfficeKind kind, uint8 department, uint64 region) internal {
        directory.bindOffice(account, IDirectory.Office(kind, department, region));
    }

    function _wirePause(address target) internal {
        manager.setTargetFunctionRole(target, _sels(Guarded.pause.selector, Guarded.unpause.selector), Roles.GUARDIAN);
    }

    function _sels(bytes4 a) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](1);
        s[0] = a;
    }

    function _sels(bytes4 a, bytes4 b) internal pure returns (bytes4[] memory s) {
        s = new bytes4[](2);
        s[0] = a;
        s[1] = b;
    }

    function _terms() internal pure returns (IProgrammeRegistry.Terms memory) {
        return IProgrammeRegistry.Terms({
            budgetCeiling: CEILING,
            householdCap: CAP,
            publicityPeriod: PUBLICITY,
            payoutPeriod: 30 days,
            reviewStages: REVIEW_STAGES,
            policyDocHash: keccak256("policy document v1"),
            policyURI: "https://policy.example/low-income-2026.pdf"
        });
    }

    function _createProgramme(bytes32 earmark, uint32 period, uint64 root, IProgrammeRegistry.Terms memory terms)
        internal
        returns (uint64 id)
    {
        vm.prank(programmeAdmin);
        id = programmes.createProgramme(earmark, period, root, terms);
    }

    function _assertOffice(address account, IDirectory.OfficeKind kind, uint8 department, uint64 region) internal view {
        IDirectory.Office memory o = directory.officeOf(account);
        assertEq(uint8(o.kind), uint8(kind), "office kind");
        assertEq(o.department, department, "office department");
        assertEq(o.region, region, "office region");
    }
}
