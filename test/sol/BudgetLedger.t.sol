// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {BudgetLedger} from "../../contracts/BudgetLedger.sol";
import {Directory} from "../../contracts/Directory.sol";
import {ProgrammeRegistry} from "../../contracts/ProgrammeRegistry.sol";
import {Guarded} from "../../contracts/governance/Guarded.sol";
import {IBudgetLedger} from "../../contracts/interfaces/IBudgetLedger.sol";
import {IProgrammeRegistry} from "../../contracts/interfaces/IProgrammeRegistry.sol";

import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {SuiteFixture} from "./SuiteFixture.sol";

contract BudgetLedgerTest is SuiteFixture {
    uint64 internal pid;

    function setUp() public {
        _deploySuite();
        _bindBureaus();
        pid = _createProgramme(EARMARK, PERIOD, COUNTY, _terms());
    }

    // ---------------------------------------------------------------- helpers

    function _fund(uint128 amount) internal {
        vm.prank(programmeAdmin);
        ledger.fundProgramme(pid, amount);
    }

    function _allocate(address bureau, uint64 from, uint64 to, uint128 amount) internal {
        vm.prank(bureau);
        ledger.allocate(pid, from, to, amount);
    }

    function _reserve(uint64 region, uint128 amount) internal {
        vm.prank(suite);
        ledger.reserve(pid, region, amount);
    }

    function _pay(uint64 region, uint128 amount) internal {
        vm.prank(suite);
        ledger.pay(pid, region, amount);
    }

    function _bal(uint64 region) internal view returns (IBudgetLedger.Balance memory) {
        return ledger.balanceOf(pid, region);
    }

    function _assertBalance(
        uint64 region,
        uint128 received,
        uint128 allocatedOut,
        uint128 reserved,
        uint128 paid,
        uint128 available
    ) internal view {
        IBudgetLedger.Balance memory b = _bal(region);
        assertEq(b.received, received, "received");
        assertEq(b.allocatedOut, allocatedOut, "allocatedOut");
        assertEq(b.reserved, reserved, "reserved");
        assertEq(b.paid, paid, "paid");
        assertEq(b.available, available, "available");
        assertEq(b.received, b.allocatedOut + b.reserved + b.paid + b.available, "conservation");
    }

    // ---------------------------------------------------------------- wiring

    function test_roles_selectorsMatchRolesTable() public pure {
        assertEq(BudgetLedger.fundProgramme.selector, bytes4(keccak256("fundProgramme(uint64,uint128)")));
        assertEq(BudgetLedger.allocate.selector, bytes4(keccak256("allocate(uint64,uint64,uint64,uint128)")));
        assertEq(BudgetLedger.reclaim.selector, bytes4(keccak256("reclaim(uint64,uint64,uint64,uint128)")));
        assertEq(BudgetLedger.reserve.selector, bytes4(keccak256("reserve(uint64,uint64,uint128)")));
        assertEq(BudgetLedger.release.selector, bytes4(keccak256("release(uint64,uint64,uint128)")));
        assertEq(BudgetLedger.pay.selector, bytes4(keccak256("pay(uint64,uint64,uint128)")));
        assertEq(BudgetLedger.refund.selector, bytes4(keccak256("refund(uint64,uint64,uint128,uint8)")));
        assertEq(Guarded.pause.selector, bytes4(keccak256("pause()")));
        assertEq(Guarded.unpause.selector, bytes4(keccak256("unpause()")));
        assertEq(Directory.bindOffice.selector, bytes4(keccak256("bindOffice(address,(uint8,uint8,uint64))")));
        assertEq(Directory.unbindOffice.selector, bytes4(keccak256("unbindOffice(address)")));
        assertEq(
            ProgrammeRegistry.createProgramme.selector,
            bytes4(keccak256("createProgramme(bytes32,uint32,uint64,(uint128,uint128,uint32,uint32,uint256,bytes32,string))"))
        );
        assertEq(
            ProgrammeRegistry.amendProgramme.selector,
            bytes4(keccak256("amendProgramme(uint64,(uint128,uint128,uint32,uint32,uint256,bytes32,string))"))
        );
    }

    function test_constructor_setsDependencies() public view {
        assertEq(address(ledger.PROGRAMMES()), address(programmes));
        assertEq(address(ledger.DIRECTORY()), address(directory));
        assertEq(ledger.authority(), address(manager));
    }

    // ---------------------------------------------------------------- fundProgramme

    function test_fundProgramme_creditsRootAndTotals() public {
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.ProgrammeFunded(pid, COUNTY, programmeAdmin, 40_000_000);
        _fund(40_000_000);

        _assertBalance(COUNTY, 40_000_000, 0, 0, 0, 40_000_000);
        assertEq(_bal(COUNTY).parent, 0);
        IBudgetLedger.Totals memory t = ledger.totalsOf(pid);
        assertEq(t.funded, 40_000_000);
        assertEq(t.reserved, 0);
        assertEq(t.paid, 0);
    }

    function test_fundProgramme_upToCeiling() public {
        _fund(CEILING - 1);
        _fund(1);
        assertEq(ledger.totalsOf(pid).funded, CEILING);
        _assertBalance(COUNTY, CEILING, 0, 0, 0, CEILING);
    }

    function test_fundProgramme_revertsWhen_ceilingExceeded() public {
        _fund(CEILING - 10);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerCeilingExceeded.selector, pid, CEILING - 10, 11, CEILING)
        );
        vm.prank(programmeAdmin);
        ledger.fundProgramme(pid, 11);
        // State unchanged; exactly the rest still fits.
        assertEq(ledger.totalsOf(pid).funded, CEILING - 10);
        _fund(10);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerCeilingExceeded.selector, pid, CEILING, 1, CEILING)
        );
        vm.prank(programmeAdmin);
        ledger.fundProgramme(pid, 1);
    }

    function test_fundProgramme_revertsWhen_ceilingExceededAtOnce() public {
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerCeilingExceeded.selector, pid, 0, CEILING + 1, CEILING)
        );
        vm.prank(programmeAdmin);
        ledger.fundProgramme(pid, CEILING + 1);
    }

    function test_fundProgramme_revertsWhen_hugeAmountWouldOverflow() public {
        _fund(1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerCeilingExceeded.selector, pid, 1, type(uint128).max - 1, CEILING
            )
        );
        vm.prank(programmeAdmin);
        ledger.fundProgramme(pid, type(uint128).max - 1);
    }

    function test_fundProgramme_revertsWhen_zeroAmount() public {
        vm.expectRevert(IBudgetLedger.BudgetLedgerZeroAmount.selector);
        vm.prank(programmeAdmin);
        ledger.fundProgramme(pid, 0);
    }

    function test_fundProgramme_revertsWhen_unknownProgramme() public {
        vm.expectRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryUnknownProgramme.selector, uint64(99))
        );
        vm.prank(programmeAdmin);
        ledger.fundProgramme(99, 1);
    }

    function test_fundProgramme_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, countyBureau));
        vm.prank(countyBureau);
        ledger.fundProgramme(pid, 1);
    }

    function test_fundProgramme_followsAmendedCeiling() public {
        _fund(CEILING);
        IProgrammeRegistry.Terms memory t = _terms();
        t.budgetCeiling = CEILING + 500;
        programmes.amendProgramme(pid, t); // governor
        _fund(500);
        assertEq(ledger.totalsOf(pid).funded, CEILING + 500);
    }

    function test_fundProgramme_revertsWhen_ceilingAmendedBelowFunded() public {
        _fund(60_000_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 10_000_000);
        IProgrammeRegistry.Terms memory t = _terms();
        t.budgetCeiling = 50_000_000;
        programmes.amendProgramme(pid, t); // governor
        // Further funding stops; nothing already funded is taken back.
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerCeilingExceeded.selector, pid, 60_000_000, 1, uint128(50_000_000)
            )
        );
        vm.prank(programmeAdmin);
        ledger.fundProgramme(pid, 1);
        assertEq(ledger.totalsOf(pid).funded, 60_000_000);
        _assertBalance(COUNTY, 60_000_000, 10_000_000, 0, 0, 50_000_000);
        // The money already funded keeps moving.
        _allocate(countyBureau, COUNTY, TOWNSHIP_B, 50_000_000);
        _assertBalance(COUNTY, 60_000_000, 60_000_000, 0, 0, 0);
    }

    function testFuzz_fundProgramme_neverExceedsCeiling(uint128 a, uint128 b) public {
        a = uint128(bound(a, 1, CEILING));
        _fund(a);
        b = uint128(bound(b, 1, type(uint128).max - a));
        if (a + b > CEILING) {
            vm.expectRevert(
                abi.encodeWithSelector(IBudgetLedger.BudgetLedgerCeilingExceeded.selector, pid, a, b, CEILING)
            );
            vm.prank(programmeAdmin);
            ledger.fundProgramme(pid, b);
            assertEq(ledger.totalsOf(pid).funded, a);
        } else {
            _fund(b);
            assertEq(ledger.totalsOf(pid).funded, a + b);
        }
        assertLe(ledger.totalsOf(pid).funded, CEILING);
        assertEq(_bal(COUNTY).received, ledger.totalsOf(pid).funded);
    }

    function test_fundProgramme_neverExceedsCeiling() public {
        testFuzz_fundProgramme_neverExceedsCeiling(CEILING, 1);
    }

    // ---------------------------------------------------------------- allocate

    function test_allocate_movesBudgetToChild() public {
        _fund(1_000_000);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.BudgetAllocated(pid, COUNTY, TOWNSHIP_A, 300_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 300_000);

        _assertBalance(COUNTY, 1_000_000, 300_000, 0, 0, 700_000);
        _assertBalance(TOWNSHIP_A, 300_000, 0, 0, 0, 300_000);
        assertEq(_bal(TOWNSHIP_A).parent, COUNTY);
        assertEq(ledger.totalsOf(pid).funded, 1_000_000);
    }

    function test_allocate_twiceToSameChildAccumulates() public {
        _fund(1_000_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 100);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 200);
        _assertBalance(COUNTY, 1_000_000, 300, 0, 0, 999_700);
        _assertBalance(TOWNSHIP_A, 300, 0, 0, 0, 300);
    }

    function test_allocate_downTwoLevels() public {
        _fund(1_000_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 1000);
        _allocate(townshipABureau, TOWNSHIP_A, VILLAGE_A1, 400);
        _assertBalance(TOWNSHIP_A, 1000, 400, 0, 0, 600);
        _assertBalance(VILLAGE_A1, 400, 0, 0, 0, 400);
        assertEq(_bal(VILLAGE_A1).parent, TOWNSHIP_A);
    }

    function test_allocate_skippingALevel() public {
        _fund(1_000_000);
        _allocate(countyBureau, COUNTY, VILLAGE_B1, 500);
        _assertBalance(VILLAGE_B1, 500, 0, 0, 0, 500);
        assertEq(_bal(VILLAGE_B1).parent, COUNTY);
    }

    function test_allocate_revertsWhen_callerIsNotFromBureau() public {
        _fund(1_000_000);
        // A bureau of another region (the child itself).
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotRegionBureau.selector, townshipABureau, COUNTY)
        );
        _allocate(townshipABureau, COUNTY, TOWNSHIP_A, 1);
        // A BUREAU role holder bound to no region.
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotRegionBureau.selector, strayBureau, COUNTY)
        );
        _allocate(strayBureau, COUNTY, TOWNSHIP_A, 1);
    }

    function test_allocate_revertsWhen_regionHasNoBureau() public {
        _fund(1_000_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_B, 10);
        // Township B's bureau is unbound: neither its former account nor anyone else may allocate from it.
        directory.unbindOffice(townshipBBureau);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotRegionBureau.selector, townshipBBureau, TOWNSHIP_B)
        );
        _allocate(townshipBBureau, TOWNSHIP_B, VILLAGE_B1, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotRegionBureau.selector, strayBureau, TOWNSHIP_B)
        );
        _allocate(strayBureau, TOWNSHIP_B, VILLAGE_B1, 1);
        // Binding a new account gives it the region's powers.
        _bind(strayBureau, IDirectory.OfficeKind.Bureau, 0, TOWNSHIP_B);
        _allocate(strayBureau, TOWNSHIP_B, VILLAGE_B1, 4);
        _assertBalance(TOWNSHIP_B, 10, 4, 0, 0, 6);
    }

    function test_allocate_revertsWhen_callerLacksRole() public {
        _fund(1_000_000);
        // Bound in the Directory but without the BUREAU role.
        address unroled = makeAddr("unroledBureau");
        _bind(unroled, IDirectory.OfficeKind.Bureau, 0, OTHER_COUNTY);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, unroled));
        vm.prank(unroled);
        ledger.allocate(pid, OTHER_COUNTY, 110102001000, 1);

        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        ledger.allocate(pid, COUNTY, TOWNSHIP_A, 1);
    }

    function test_allocate_revertsWhen_toIsNotDescendant() public {
        _fund(1_000_000);
        // Another county.
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotDescendant.selector, COUNTY, OTHER_COUNTY)
        );
        _allocate(countyBureau, COUNTY, OTHER_COUNTY, 1);
        // Upwards.
        vm.expectRevert(abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotDescendant.selector, COUNTY, CITY));
        _allocate(countyBureau, COUNTY, CITY, 1);
        // A township of another county.
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotDescendant.selector, COUNTY, uint64(110102001000))
        );
        _allocate(countyBureau, COUNTY, 110102001000, 1);
        // Sideways, between townships.
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 100);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotDescendant.selector, TOWNSHIP_A, TOWNSHIP_B)
        );
        _allocate(townshipABureau, TOWNSHIP_A, TOWNSHIP_B, 1);
        // Into a village of the other township.
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotDescendant.selector, TOWNSHIP_A, VILLAGE_B1)
        );
        _allocate(townshipABureau, TOWNSHIP_A, VILLAGE_B1, 1);
    }

    function test_allocate_revertsWhen_toIsSelf() public {
        _fund(1_000_000);
        vm.expectRevert(abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotDescendant.selector, COUNTY, COUNTY));
        _allocate(countyBureau, COUNTY, COUNTY, 1);
    }

    function test_allocate_revertsWhen_toIsRoot() public {
        _fund(1_000_000);
        // The city is an ancestor of the root, so the root is its descendant: still refused.
        vm.expectRevert(abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotDescendant.selector, CITY, COUNTY));
        _allocate(cityBureau, CITY, COUNTY, 1);
        _assertBalance(COUNTY, 1_000_000, 0, 0, 0, 1_000_000);
        assertEq(_bal(COUNTY).parent, 0);
    }

    function test_allocate_revertsWhen_fromHasNothingOutsideTheTree() public {
        _fund(1_000_000);
        // The city is above the root and never received anything.
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, CITY, uint128(0), uint128(1)
            )
        );
        _allocate(cityBureau, CITY, TOWNSHIP_A, 1);
        assertEq(_bal(TOWNSHIP_A).parent, 0, "failed allocation set a parent");
    }

    function test_allocate_revertsWhen_childHasAnotherParent() public {
        _fund(1_000_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 1000);
        // County gives straight to the village: the county becomes its parent.
        _allocate(countyBureau, COUNTY, VILLAGE_A1, 10);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerWrongParent.selector, VILLAGE_A1, COUNTY, TOWNSHIP_A)
        );
        _allocate(townshipABureau, TOWNSHIP_A, VILLAGE_A1, 10);
    }

    function test_allocate_revertsWhen_childHasAnotherParentTheOtherWay() public {
        _fund(1_000_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 1000);
        _allocate(townshipABureau, TOWNSHIP_A, VILLAGE_A1, 10);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerWrongParent.selector, VILLAGE_A1, TOWNSHIP_A, COUNTY)
        );
        _allocate(countyBureau, COUNTY, VILLAGE_A1, 10);
    }

    function test_allocate_parentStaysAfterFullReclaim() public {
        _fund(1_000_000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 1000);
        _allocate(townshipABureau, TOWNSHIP_A, VILLAGE_A1, 10);
        vm.prank(townshipABureau);
        ledger.reclaim(pid, TOWNSHIP_A, VILLAGE_A1, 10);
        assertEq(_bal(VILLAGE_A1).parent, TOWNSHIP_A);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerWrongParent.selector, VILLAGE_A1, TOWNSHIP_A, COUNTY)
        );
        _allocate(countyBureau, COUNTY, VILLAGE_A1, 10);
    }

    function test_allocate_revertsWhen_insufficientAvailable() public {
        _fund(1000);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, COUNTY, uint128(1000), uint128(1001)
            )
        );
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 1001);
        assertEq(_bal(TOWNSHIP_A).parent, 0, "failed allocation set a parent");
        // Reserved money is not available either.
        _reserve(COUNTY, 600);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, COUNTY, uint128(400), uint128(401)
            )
        );
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 401);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 400);
        _assertBalance(COUNTY, 1000, 400, 600, 0, 0);
    }

    function test_allocate_revertsWhen_zeroAmount() public {
        _fund(1000);
        vm.expectRevert(IBudgetLedger.BudgetLedgerZeroAmount.selector);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 0);
    }

    function test_allocate_revertsWhen_unknownProgramme() public {
        vm.expectRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryUnknownProgramme.selector, uint64(7))
        );
        vm.prank(countyBureau);
        ledger.allocate(7, COUNTY, TOWNSHIP_A, 1);
    }

    function test_allocate_isPerProgramme() public {
        uint64 other = _createProgramme(keccak256("earmark:other"), PERIOD, COUNTY, _terms());
        _fund(1000);
        // Programme `other` has no funds at the county.
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, other, COUNTY, uint128(0), uint128(1)
            )
        );
        vm.prank(countyBureau);
        ledger.allocate(other, COUNTY, TOWNSHIP_A, 1);
        // A parent in one programme does not bind the child in another.
        _allocate(countyBureau, COUNTY, VILLAGE_A1, 10);
        vm.prank(programmeAdmin);
        ledger.fundProgramme(other, 100);
        vm.prank(countyBureau);
        ledger.allocate(other, COUNTY, TOWNSHIP_A, 50);
        vm.prank(townshipABureau);
        ledger.allocate(other, TOWNSHIP_A, VILLAGE_A1, 5);
        assertEq(ledger.balanceOf(other, VILLAGE_A1).parent, TOWNSHIP_A);
        assertEq(_bal(VILLAGE_A1).parent, COUNTY);
    }

    // ---------------------------------------------------------------- reclaim

    function test_reclaim_returnsBudgetToParent() public {
        _fund(1000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 600);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.BudgetReclaimed(pid, COUNTY, TOWNSHIP_A, 250);
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 250);
        _assertBalance(COUNTY, 1000, 350, 0, 0, 650);
        _assertBalance(TOWNSHIP_A, 350, 0, 0, 0, 350);
    }

    function test_reclaim_revertsWhen_callerIsNotParentBureau() public {
        _fund(1000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 600);
        // The child's own bureau cannot push money up.
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerNotRegionBureau.selector, townshipABureau, COUNTY)
        );
        vm.prank(townshipABureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 1);
    }

    function test_reclaim_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, suite));
        vm.prank(suite);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 1);
    }

    function test_reclaim_revertsWhen_notTheChildsParent() public {
        _fund(1000);
        // Never allocated: the child has no parent.
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerWrongParent.selector, TOWNSHIP_A, uint64(0), COUNTY)
        );
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 1);
        // The village's parent is the township, not the county.
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 600);
        _allocate(townshipABureau, TOWNSHIP_A, VILLAGE_A1, 100);
        vm.expectRevert(
            abi.encodeWithSelector(IBudgetLedger.BudgetLedgerWrongParent.selector, VILLAGE_A1, TOWNSHIP_A, COUNTY)
        );
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, VILLAGE_A1, 1);
    }

    function test_reclaim_revertsWhen_insufficientAvailable() public {
        _fund(1000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 600);
        _reserve(TOWNSHIP_A, 500);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, TOWNSHIP_A, uint128(100), uint128(101)
            )
        );
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 101);
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 100);
        _assertBalance(TOWNSHIP_A, 500, 0, 500, 0, 0);
        _assertBalance(COUNTY, 1000, 500, 0, 0, 500);
    }

    function test_reclaim_revertsWhen_moneyWasAllocatedFurtherDown() public {
        _fund(1000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 600);
        _allocate(townshipABureau, TOWNSHIP_A, VILLAGE_A1, 600);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, TOWNSHIP_A, uint128(0), uint128(1)
            )
        );
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 1);
    }

    function test_reclaim_revertsWhen_zeroAmount() public {
        _fund(1000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 600);
        vm.expectRevert(IBudgetLedger.BudgetLedgerZeroAmount.selector);
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 0);
    }

    // ---------------------------------------------------------------- reserve / release / pay / refund

    function test_reserve_movesAvailableToReserved() public {
        _fund(1000);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.FundsReserved(pid, COUNTY, 300);
        _reserve(COUNTY, 300);
        _assertBalance(COUNTY, 1000, 0, 300, 0, 700);
        assertEq(ledger.totalsOf(pid).reserved, 300);
    }

    function test_reserve_revertsWhen_insufficientAvailable() public {
        _fund(1000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 100);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, TOWNSHIP_A, uint128(100), uint128(101)
            )
        );
        _reserve(TOWNSHIP_A, 101);
        // A region outside the tree has nothing.
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, TOWNSHIP_B, uint128(0), uint128(1)
            )
        );
        _reserve(TOWNSHIP_B, 1);
    }

    function test_reserve_revertsWhen_callerLacksRole() public {
        _fund(1000);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, countyBureau));
        vm.prank(countyBureau);
        ledger.reserve(pid, COUNTY, 1);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, programmeAdmin));
        vm.prank(programmeAdmin);
        ledger.reserve(pid, COUNTY, 1);
    }

    function test_release_movesReservedToAvailable() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.FundsReleased(pid, COUNTY, 120);
        vm.prank(suite);
        ledger.release(pid, COUNTY, 120);
        _assertBalance(COUNTY, 1000, 0, 180, 0, 820);
        assertEq(ledger.totalsOf(pid).reserved, 180);
    }

    function test_release_revertsWhen_insufficientReserved() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientBalance.selector, pid, COUNTY, uint128(300), uint128(301)
            )
        );
        vm.prank(suite);
        ledger.release(pid, COUNTY, 301);
    }

    function test_release_revertsWhen_callerLacksRole() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        ledger.release(pid, COUNTY, 1);
    }

    function test_pay_movesReservedToPaid() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.FundsPaid(pid, COUNTY, 200);
        _pay(COUNTY, 200);
        _assertBalance(COUNTY, 1000, 0, 100, 200, 700);
        IBudgetLedger.Totals memory t = ledger.totalsOf(pid);
        assertEq(t.reserved, 100);
        assertEq(t.paid, 200);
    }

    function test_pay_revertsWhen_insufficientReserved() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientBalance.selector, pid, COUNTY, uint128(300), uint128(301)
            )
        );
        _pay(COUNTY, 301);
        // Available money cannot be paid without a reservation.
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientBalance.selector, pid, TOWNSHIP_A, uint128(0), uint128(1)
            )
        );
        _pay(TOWNSHIP_A, 1);
    }

    function test_pay_revertsWhen_callerLacksRole() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, countyBureau));
        vm.prank(countyBureau);
        ledger.pay(pid, COUNTY, 1);
    }

    function test_refund_returnedMovesPaidToAvailable() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        _pay(COUNTY, 300);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.FundsRefunded(pid, COUNTY, IBudgetLedger.RefundKind.Returned, 100);
        vm.prank(suite);
        ledger.refund(pid, COUNTY, 100, IBudgetLedger.RefundKind.Returned);
        _assertBalance(COUNTY, 1000, 0, 0, 200, 800);
        IBudgetLedger.Balance memory b = _bal(COUNTY);
        assertEq(b.returned, 100);
        assertEq(b.reversed, 0);
        IBudgetLedger.Totals memory t = ledger.totalsOf(pid);
        assertEq(t.paid, 200);
        assertEq(t.returned, 100);
        assertEq(t.reversed, 0);
    }

    function test_refund_reversedMovesPaidToAvailable() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        _pay(COUNTY, 300);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.FundsRefunded(pid, COUNTY, IBudgetLedger.RefundKind.Reversed, 300);
        vm.prank(suite);
        ledger.refund(pid, COUNTY, 300, IBudgetLedger.RefundKind.Reversed);
        _assertBalance(COUNTY, 1000, 0, 0, 0, 1000);
        IBudgetLedger.Balance memory b = _bal(COUNTY);
        assertEq(b.returned, 0);
        assertEq(b.reversed, 300);
        IBudgetLedger.Totals memory t = ledger.totalsOf(pid);
        assertEq(t.paid, 0);
        assertEq(t.returned, 0);
        assertEq(t.reversed, 300);
    }

    function test_refund_revertsWhen_insufficientPaid() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        _pay(COUNTY, 100);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientBalance.selector, pid, COUNTY, uint128(100), uint128(101)
            )
        );
        vm.prank(suite);
        ledger.refund(pid, COUNTY, 101, IBudgetLedger.RefundKind.Returned);
        vm.expectRevert(
            abi.encodeWithSelector(
                IBudgetLedger.BudgetLedgerInsufficientBalance.selector, pid, COUNTY, uint128(100), uint128(101)
            )
        );
        vm.prank(suite);
        ledger.refund(pid, COUNTY, 101, IBudgetLedger.RefundKind.Reversed);
    }

    function test_refund_revertsWhen_kindOutOfRange() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        _pay(COUNTY, 100);
        vm.prank(suite);
        (bool ok,) = address(ledger).call(
            abi.encodeWithSelector(BudgetLedger.refund.selector, pid, COUNTY, uint128(1), uint8(2))
        );
        assertFalse(ok);
        assertEq(_bal(COUNTY).paid, 100);
    }

    function test_refund_revertsWhen_callerLacksRole() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        _pay(COUNTY, 100);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, countyBureau));
        vm.prank(countyBureau);
        ledger.refund(pid, COUNTY, 1, IBudgetLedger.RefundKind.Returned);
    }

    /// @dev Documents current behaviour: the suite-only moves do not reject a zero amount (unlike
    /// fund/allocate/reclaim); they change nothing but still emit an event.
    function test_suiteMoves_acceptZeroAmountAsNoOp() public {
        _fund(1000);
        _reserve(COUNTY, 300);
        _pay(COUNTY, 100);
        vm.startPrank(suite);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit IBudgetLedger.FundsReserved(pid, COUNTY, 0);
        ledger.reserve(pid, COUNTY, 0);
        ledger.release(pid, COUNTY, 0);
        ledger.pay(pid, COUNTY, 0);
        ledger.refund(pid, COUNTY, 0, IBudgetLedger.RefundKind.Returned);
        vm.stopPrank();
        _assertBalance(COUNTY, 1000, 0, 200, 100, 700);
    }

    // ---------------------------------------------------------------- pause

    function test_pause_blocksEveryWriteButNotViews() public {
        _fund(1000);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 500);
        _reserve(TOWNSHIP_A, 200);
        _pay(TOWNSHIP_A, 100);

        vm.prank(guardian);
        ledger.pause();
        assertTrue(ledger.paused());

        vm.expectRevert(Pausable.EnforcedPause.selector);
        _fund(1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        _allocate(countyBureau, COUNTY, TOWNSHIP_A, 1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(countyBureau);
        ledger.reclaim(pid, COUNTY, TOWNSHIP_A, 1);
        vm.startPrank(suite);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        ledger.reserve(pid, TOWNSHIP_A, 1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        ledger.release(pid, TOWNSHIP_A, 1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        ledger.pay(pid, TOWNSHIP_A, 1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        ledger.refund(pid, TOWNSHIP_A, 1, IBudgetLedger.RefundKind.Returned);
        vm.stopPrank();

        // Views keep working.
        _assertBalance(TOWNSHIP_A, 500, 0, 100, 100, 300);
        assertEq(ledger.totalsOf(pid).funded, 1000);

        vm.prank(guardian);
        ledger.unpause();
        _pay(TOWNSHIP_A, 100);
        _assertBalance(TOWNSHIP_A, 500, 0, 0, 200, 300);
    }

    function test_pause_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, programmeAdmin));
        vm.prank(programmeAdmin);
        ledger.pause();
        vm.prank(guardian);
        ledger.pause();
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, suite));
        vm.prank(suite);
        ledger.unpause();
    }

    // ---------------------------------------------------------------- conservation under random operations

    uint256 internal constant STEPS = 40;

    /// @dev Expected state, kept independently of the ledger.
    struct Model {
        uint128[3] received;
        uint128[3] allocatedOut;
        uint128[3] reserved;
        uint128[3] paid;
        uint128[3] available;
        uint128[3] returned;
        uint128[3] reversed;
        uint128 funded;
    }

    function _region(uint256 i) internal pure returns (uint64) {
        return i == 0 ? COUNTY : i == 1 ? TOWNSHIP_A : TOWNSHIP_B;
    }

    function _bureauOfTownship(uint256 i) internal view returns (address) {
        return i == 1 ? townshipABureau : townshipBBureau;
    }

    /// @dev Runs a bounded random sequence of ledger operations on county → {township A, township B}.
    /// Each step picks an operation, a region and an amount from `seed`; a step whose amount cannot be
    /// feasible is skipped, and one step in eight asks for one fen too many and must revert with the
    /// matching error without changing anything.
    function testFuzz_operations_conserveBudget(uint256 seed) public {
        Model memory m;
        for (uint256 step = 0; step < STEPS; step++) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 op = r % 8;
            uint256 ri = (r >> 8) % 3;
            bool overshoot = (r >> 16) % 8 == 0;
            uint256 raw = r >> 32;
            _step(m, op, ri, overshoot, raw);
            _checkInvariants(m);
        }
    }

    function test_operations_conserveBudget() public {
        testFuzz_operations_conserveBudget(0);
        // Fresh programme for a second sequence on the same deployment.
        pid = _createProgramme(keccak256("earmark:second"), PERIOD, COUNTY, _terms());
        testFuzz_operations_conserveBudget(42);
    }

    function _step(Model memory m, uint256 op, uint256 ri, bool overshoot, uint256 raw) internal {
        uint64 region = _region(ri);
        if (op == 0) {
            // fund the root
            uint128 room = CEILING - m.funded;
            if (overshoot) {
                uint128 bad = room + 1;
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IBudgetLedger.BudgetLedgerCeilingExceeded.selector, pid, m.funded, bad, CEILING
                    )
                );
                _fund(bad);
                return;
            }
            if (room == 0) return;
            uint128 a = uint128(bound(raw, 1, room));
            _fund(a);
            m.funded += a;
            m.received[0] += a;
            m.available[0] += a;
        } else if (op == 1 || op == 2) {
            // allocate county → township (op 1), reclaim township → county (op 2)
            uint256 ti = ri == 0 ? 1 : ri;
            uint64 township = _region(ti);
            uint256 src = op == 1 ? 0 : ti;
            uint256 dst = op == 1 ? ti : 0;
            uint128 have = m.available[src];
            if (overshoot) {
                // Reclaim from a township that never received anything fails on its parent first.
                if (op == 2 && m.received[ti] == 0 && _bal(township).parent == 0) {
                    vm.expectRevert(
                        abi.encodeWithSelector(
                            IBudgetLedger.BudgetLedgerWrongParent.selector, township, uint64(0), COUNTY
                        )
                    );
                } else {
                    vm.expectRevert(
                        abi.encodeWithSelector(
                            IBudgetLedger.BudgetLedgerInsufficientAvailable.selector,
                            pid,
                            _region(src),
                            have,
                            have + 1
                        )
                    );
                }
                vm.prank(countyBureau);
                if (op == 1) ledger.allocate(pid, COUNTY, township, have + 1);
                else ledger.reclaim(pid, COUNTY, township, have + 1);
                return;
            }
            if (have == 0) return;
            uint128 a = uint128(bound(raw, 1, have));
            vm.prank(countyBureau);
            if (op == 1) ledger.allocate(pid, COUNTY, township, a);
            else ledger.reclaim(pid, COUNTY, township, a);
            m.available[src] -= a;
            m.available[dst] += a;
            if (op == 1) {
                m.allocatedOut[0] += a;
                m.received[ti] += a;
            } else {
                m.allocatedOut[0] -= a;
                m.received[ti] -= a;
            }
        } else if (op == 3) {
            // reserve
            uint128 have = m.available[ri];
            if (overshoot) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IBudgetLedger.BudgetLedgerInsufficientAvailable.selector, pid, region, have, have + 1
                    )
                );
                _reserve(region, have + 1);
                return;
            }
            if (have == 0) return;
            uint128 a = uint128(bound(raw, 1, have));
            _reserve(region, a);
            m.available[ri] -= a;
            m.reserved[ri] += a;
        } else if (op == 4 || op == 5) {
            // release (op 4) or pay (op 5)
            uint128 have = m.reserved[ri];
            if (overshoot) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IBudgetLedger.BudgetLedgerInsufficientBalance.selector, pid, region, have, have + 1
                    )
                );
                vm.prank(suite);
                if (op == 4) ledger.release(pid, region, have + 1);
                else ledger.pay(pid, region, have + 1);
                return;
            }
            if (have == 0) return;
            uint128 a = uint128(bound(raw, 1, have));
            vm.prank(suite);
            if (op == 4) ledger.release(pid, region, a);
            else ledger.pay(pid, region, a);
            m.reserved[ri] -= a;
            if (op == 4) m.available[ri] += a;
            else m.paid[ri] += a;
        } else {
            // refund: Returned (op 6) or Reversed (op 7)
            IBudgetLedger.RefundKind kind =
                op == 6 ? IBudgetLedger.RefundKind.Returned : IBudgetLedger.RefundKind.Reversed;
            uint128 have = m.paid[ri];
            if (overshoot) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IBudgetLedger.BudgetLedgerInsufficientBalance.selector, pid, region, have, have + 1
                    )
                );
                vm.prank(suite);
                ledger.refund(pid, region, have + 1, kind);
                return;
            }
            if (have == 0) return;
            uint128 a = uint128(bound(raw, 1, have));
            vm.prank(suite);
            ledger.refund(pid, region, a, kind);
            m.paid[ri] -= a;
            m.available[ri] += a;
            if (op == 6) m.returned[ri] += a;
            else m.reversed[ri] += a;
        }
    }

    function _checkInvariants(Model memory m) internal view {
        IBudgetLedger.Balance[3] memory b;
        for (uint256 i = 0; i < 3; i++) {
            b[i] = _bal(_region(i));
            // The conservation identity, per region.
            assertEq(b[i].received, b[i].allocatedOut + b[i].reserved + b[i].paid + b[i].available, "identity");
            // And the ledger agrees with the independent model.
            assertEq(b[i].received, m.received[i], "model received");
            assertEq(b[i].allocatedOut, m.allocatedOut[i], "model allocatedOut");
            assertEq(b[i].reserved, m.reserved[i], "model reserved");
            assertEq(b[i].paid, m.paid[i], "model paid");
            assertEq(b[i].available, m.available[i], "model available");
            assertEq(b[i].returned, m.returned[i], "model returned");
            assertEq(b[i].reversed, m.reversed[i], "model reversed");
        }
        assertEq(b[0].parent, 0, "root has a parent");
        if (b[1].received != 0) assertEq(b[1].parent, COUNTY, "township A parent");
        if (b[2].received != 0) assertEq(b[2].parent, COUNTY, "township B parent");
        assertEq(b[1].allocatedOut, 0);
        assertEq(b[2].allocatedOut, 0);
        // Children's received adds up to the parent's allocatedOut.
        assertEq(uint256(b[1].received) + b[2].received, b[0].allocatedOut, "tree");

        IBudgetLedger.Totals memory t = ledger.totalsOf(pid);
        assertEq(t.funded, b[0].received, "funded == root received");
        assertEq(t.funded, m.funded, "model funded");
        assertLe(t.funded, CEILING, "ceiling");
        assertEq(uint256(t.reserved), uint256(b[0].reserved) + b[1].reserved + b[2].reserved, "totals reserved");
        assertEq(uint256(t.paid), uint256(b[0].paid) + b[1].paid + b[2].paid, "totals paid");
        assertEq(uint256(t.returned), uint256(b[0].returned) + b[1].returned + b[2].returned, "totals returned");
        assertEq(uint256(t.reversed), uint256(b[0].reversed) + b[1].reversed + b[2].reversed, "totals reversed");
        // Money is never created: everything in the tree came from funding.
        uint256 inTree;
        for (uint256 i = 0; i < 3; i++) {
            inTree += uint256(b[i].reserved) + b[i].paid + b[i].available;
        }
        assertEq(inTree, t.funded, "tree holds exactly what was funded");
    }
}
