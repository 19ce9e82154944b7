// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {RegionCode} from "../../contracts/libraries/RegionCode.sol";

import {SuiteFixture} from "./SuiteFixture.sol";

contract DirectoryTest is SuiteFixture {
    address internal alice;
    address internal bob;
    address internal carol;

    uint64 internal constant PROVINCE = 110000000000;

    uint8 internal constant DEPT_CIVIL = 0;
    uint8 internal constant DEPT_RURAL = 1;
    uint8 internal constant DEPT_FINANCE = 2;

    /// @dev The kinds an office may have (None excluded).
    uint8 internal constant KINDS = 5;

    function setUp() public {
        _deploySuite();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
    }

    // ---------------------------------------------------------------- helpers

    function _office(IDirectory.OfficeKind kind, uint8 department, uint64 region)
        internal
        pure
        returns (IDirectory.Office memory)
    {
        return IDirectory.Office(kind, department, region);
    }

    /// @dev Kind `i` of the five real kinds, 0-based: Bureau, CivilAffairs, Reviewer, Treasury, Bank.
    function _kind(uint256 i) internal pure returns (IDirectory.OfficeKind) {
        return IDirectory.OfficeKind(uint8(i % KINDS) + 1);
    }

    /// @dev A well-formed office from fuzz input: a real kind, a department only for a reviewer, a
    /// 12-digit region.
    function _validOffice(uint8 kindSeed, uint8 department, uint64 region)
        internal
        pure
        returns (IDirectory.Office memory o)
    {
        o.kind = _kind(kindSeed);
        o.department = o.kind == IDirectory.OfficeKind.Reviewer ? department : 0;
        o.region = uint64(bound(region, RegionCode.MIN, RegionCode.MAX));
    }

    function _expectAlreadyBound(address account, IDirectory.Office memory held) internal {
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryAccountAlreadyBound.selector, account, held));
    }

    function _expectRetired(address account) internal {
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryAccountRetired.selector, account));
    }

    function _expectBound(address account, IDirectory.Office memory o, address previous) internal {
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.OfficeBound(account, o.kind, o.department, o.region, previous);
    }

    function _expectVacated(address account, IDirectory.Office memory o) internal {
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.OfficeVacated(account, o.kind, o.department, o.region);
    }

    function _assertOffice(address account, IDirectory.Office memory o) internal view {
        _assertOffice(account, o.kind, o.department, o.region);
    }

    function _assertNoOffice(address account) internal view {
        _assertOffice(account, IDirectory.OfficeKind.None, 0, 0);
    }

    /// @dev `account` holds `o`, seen from every view: officeOf, holderOf, not retired.
    function _assertHolds(address account, IDirectory.Office memory o) internal view {
        _assertOffice(account, o);
        assertEq(directory.holderOf(o), account, "holderOf");
        assertFalse(directory.isRetired(account), "holder retired");
        if (o.kind == IDirectory.OfficeKind.Bureau) assertEq(directory.bureauOf(o.region), account, "bureauOf");
    }

    // ---------------------------------------------------------------- bindOffice

    function test_bindOffice_bindsAndEmits() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        _expectBound(alice, o, address(0));
        directory.bindOffice(alice, o);

        _assertHolds(alice, o);
        assertEq(directory.bureauOf(COUNTY), alice);
        // Nothing else changed.
        assertEq(directory.bureauOf(TOWNSHIP_A), address(0));
        assertEq(directory.bureauOf(CITY), address(0));
        _assertNoOffice(bob);
        assertFalse(directory.isRetired(bob));
    }

    function test_bindOffice_bindsEveryKind() public {
        for (uint256 i = 0; i < KINDS; ++i) {
            address account = address(uint160(0xA000 + i));
            IDirectory.OfficeKind kind = _kind(i);
            uint8 department = kind == IDirectory.OfficeKind.Reviewer ? DEPT_FINANCE : 0;
            IDirectory.Office memory o = _office(kind, department, COUNTY);
            _expectBound(account, o, address(0));
            directory.bindOffice(account, o);
            _assertHolds(account, o);
        }
        // Five kinds at one region are five offices: each still held by its own account.
        for (uint256 i = 0; i < KINDS; ++i) {
            IDirectory.OfficeKind kind = _kind(i);
            uint8 department = kind == IDirectory.OfficeKind.Reviewer ? DEPT_FINANCE : 0;
            _assertHolds(address(uint160(0xA000 + i)), _office(kind, department, COUNTY));
        }
        // Only the Bureau is the region's bureau.
        assertEq(directory.bureauOf(COUNTY), address(uint160(0xA000)));
    }

    function test_bindOffice_acceptsEveryLevel() public {
        uint64[5] memory regions = [PROVINCE, CITY, COUNTY, TOWNSHIP_A, VILLAGE_A1];
        for (uint256 i = 0; i < regions.length; ++i) {
            address account = address(uint160(0xC000 + i));
            IDirectory.Office memory o = _office(IDirectory.OfficeKind.Treasury, 0, regions[i]);
            directory.bindOffice(account, o);
            _assertHolds(account, o);
        }
    }

    function test_bindOffice_reviewerDepartmentsAreDistinctOffices() public {
        IDirectory.Office memory civil = _office(IDirectory.OfficeKind.Reviewer, DEPT_CIVIL, COUNTY);
        IDirectory.Office memory rural = _office(IDirectory.OfficeKind.Reviewer, DEPT_RURAL, COUNTY);
        IDirectory.Office memory last = _office(IDirectory.OfficeKind.Reviewer, 255, COUNTY);
        directory.bindOffice(alice, civil);
        _expectBound(bob, rural, address(0)); // not a replacement of alice
        directory.bindOffice(bob, rural);
        directory.bindOffice(carol, last);
        _assertHolds(alice, civil);
        _assertHolds(bob, rural);
        _assertHolds(carol, last);
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.Reviewer, DEPT_FINANCE, COUNTY)), address(0));
        // The same department at another region is another office.
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.Reviewer, DEPT_CIVIL, TOWNSHIP_A)), address(0));
    }

    function testFuzz_bindOffice_bindsAnyValidOffice(address account, uint8 kindSeed, uint8 department, uint64 region)
        public
    {
        vm.assume(account != address(0));
        IDirectory.Office memory o = _validOffice(kindSeed, department, region);
        _expectBound(account, o, address(0));
        directory.bindOffice(account, o);
        _assertHolds(account, o);
    }

    function test_bindOffice_bindsAnyValidOffice() public {
        testFuzz_bindOffice_bindsAnyValidOffice(carol, 2, 7, VILLAGE_B1); // a reviewer of department 7
    }

    // ---------------------------------------------------------------- replacement

    function test_bindOffice_replacesHolder_vacatesAndRetiresPrevious() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        directory.bindOffice(alice, o);

        _expectVacated(alice, o);
        _expectBound(bob, o, alice);
        directory.bindOffice(bob, o);

        _assertHolds(bob, o);
        _assertNoOffice(alice);
        assertTrue(directory.isRetired(alice));
        assertFalse(directory.isRetired(bob));

        // And again: bob is replaced by carol, carol's event names bob.
        _expectVacated(bob, o);
        _expectBound(carol, o, bob);
        directory.bindOffice(carol, o);
        _assertHolds(carol, o);
        _assertNoOffice(bob);
        assertTrue(directory.isRetired(bob));
    }

    function test_bindOffice_replacesReviewerOfItsDepartmentOnly() public {
        IDirectory.Office memory civil = _office(IDirectory.OfficeKind.Reviewer, DEPT_CIVIL, COUNTY);
        IDirectory.Office memory rural = _office(IDirectory.OfficeKind.Reviewer, DEPT_RURAL, COUNTY);
        directory.bindOffice(alice, civil);
        directory.bindOffice(bob, rural);

        _expectVacated(alice, civil);
        _expectBound(carol, civil, alice);
        directory.bindOffice(carol, civil);
        _assertHolds(carol, civil);
        _assertHolds(bob, rural);
        assertTrue(directory.isRetired(alice));
    }

    function test_bindOffice_previousIsZeroAfterUnbind() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bank, 0, COUNTY);
        directory.bindOffice(alice, o);
        directory.unbindOffice(alice);
        // The office is vacant: binding it replaces no one.
        _expectBound(bob, o, address(0));
        directory.bindOffice(bob, o);
        _assertHolds(bob, o);
        assertTrue(directory.isRetired(alice));
    }

    // ---------------------------------------------------------------- one office per account

    function test_bindOffice_revertsWhen_accountHoldsAnotherOffice() public {
        IDirectory.Office memory held = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        directory.bindOffice(alice, held);
        // Any other office, of any kind, here or elsewhere.
        for (uint256 i = 0; i < KINDS; ++i) {
            IDirectory.OfficeKind kind = _kind(i);
            uint8 department = kind == IDirectory.OfficeKind.Reviewer ? DEPT_RURAL : 0;
            IDirectory.Office memory other = _office(kind, department, TOWNSHIP_A);
            _expectAlreadyBound(alice, held);
            directory.bindOffice(alice, other);
            assertEq(directory.holderOf(other), address(0));
            if (kind != IDirectory.OfficeKind.Bureau) {
                other.region = COUNTY;
                _expectAlreadyBound(alice, held);
                directory.bindOffice(alice, other);
                assertEq(directory.holderOf(other), address(0));
            }
        }
        _assertHolds(alice, held);
    }

    function test_bindOffice_revertsWhen_reviewerTakesAnotherDepartment() public {
        IDirectory.Office memory held = _office(IDirectory.OfficeKind.Reviewer, DEPT_CIVIL, COUNTY);
        directory.bindOffice(alice, held);
        IDirectory.Office memory other = _office(IDirectory.OfficeKind.Reviewer, DEPT_RURAL, COUNTY);
        _expectAlreadyBound(alice, held);
        directory.bindOffice(alice, other);
        assertEq(directory.holderOf(other), address(0));
        _assertHolds(alice, held);
    }

    function test_bindOffice_revertsWhen_accountHoldsTheSameOffice() public {
        // Binding the holder again is not a replacement: she is neither vacated nor retired.
        IDirectory.Office memory held = _office(IDirectory.OfficeKind.Treasury, 0, COUNTY);
        directory.bindOffice(alice, held);
        _expectAlreadyBound(alice, held);
        directory.bindOffice(alice, held);
        _assertHolds(alice, held);
    }

    function test_bindOffice_revertsWhen_newAccountBoundElsewhere_keepsPrevious() public {
        IDirectory.Office memory county = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        IDirectory.Office memory township = _office(IDirectory.OfficeKind.Bureau, 0, TOWNSHIP_A);
        directory.bindOffice(alice, county);
        directory.bindOffice(bob, township);
        // Replacing alice by bob (bound elsewhere) fails and leaves alice in place, not retired.
        _expectAlreadyBound(bob, township);
        directory.bindOffice(bob, county);
        _assertHolds(alice, county);
        _assertHolds(bob, township);
    }

    function testFuzz_bindOffice_revertsWhen_accountHoldsAnOffice(
        uint8 heldKind,
        uint8 heldDepartment,
        uint64 heldRegion,
        uint8 kindSeed,
        uint8 department,
        uint64 region
    ) public {
        IDirectory.Office memory held = _validOffice(heldKind, heldDepartment, heldRegion);
        IDirectory.Office memory other = _validOffice(kindSeed, department, region);
        directory.bindOffice(alice, held);
        _expectAlreadyBound(alice, held);
        directory.bindOffice(alice, other);
        _assertHolds(alice, held);
    }

    function test_bindOffice_revertsWhen_accountHoldsAnOffice() public {
        testFuzz_bindOffice_revertsWhen_accountHoldsAnOffice(4, 0, COUNTY, 3, 0, COUNTY); // bank → treasury
        setUp();
        testFuzz_bindOffice_revertsWhen_accountHoldsAnOffice(0, 0, TOWNSHIP_B, 0, 0, TOWNSHIP_B); // same office
    }

    // ---------------------------------------------------------------- retirement

    function test_bindOffice_revertsWhen_accountRetiredByUnbind() public {
        IDirectory.Office memory held = _office(IDirectory.OfficeKind.CivilAffairs, 0, TOWNSHIP_A);
        directory.bindOffice(alice, held);
        directory.unbindOffice(alice);
        assertTrue(directory.isRetired(alice));

        // Not the same office (vacant now), nor any other.
        _expectRetired(alice);
        directory.bindOffice(alice, held);
        for (uint256 i = 0; i < KINDS; ++i) {
            IDirectory.OfficeKind kind = _kind(i);
            uint8 department = kind == IDirectory.OfficeKind.Reviewer ? DEPT_RURAL : 0;
            _expectRetired(alice);
            directory.bindOffice(alice, _office(kind, department, COUNTY));
        }
        _assertNoOffice(alice);
        assertEq(directory.holderOf(held), address(0));
        assertEq(directory.bureauOf(COUNTY), address(0));
    }

    function test_bindOffice_revertsWhen_accountRetiredByReplacement() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Reviewer, DEPT_FINANCE, COUNTY);
        directory.bindOffice(alice, o);
        directory.bindOffice(bob, o);

        // Not back into her old office (bob keeps it), nor into a vacant one.
        _expectRetired(alice);
        directory.bindOffice(alice, o);
        _assertHolds(bob, o);
        for (uint256 i = 0; i < KINDS; ++i) {
            IDirectory.OfficeKind kind = _kind(i);
            uint8 department = kind == IDirectory.OfficeKind.Reviewer ? DEPT_CIVIL : 0;
            _expectRetired(alice);
            directory.bindOffice(alice, _office(kind, department, OTHER_COUNTY));
        }
        _assertNoOffice(alice);
    }

    function test_bindOffice_revertsWhen_retiredAccountWouldReplaceItsReplacement() public {
        // alice → bob → (alice again?): refused, bob stays and is not retired.
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, CITY);
        directory.bindOffice(alice, o);
        directory.bindOffice(bob, o);
        directory.unbindOffice(bob);
        _expectRetired(alice);
        directory.bindOffice(alice, o);
        _expectRetired(bob);
        directory.bindOffice(bob, o);
        assertEq(directory.bureauOf(CITY), address(0));
        directory.bindOffice(carol, o);
        _assertHolds(carol, o);
    }

    function testFuzz_bindOffice_revertsWhen_retired(
        uint8 heldKind,
        uint8 heldDepartment,
        uint64 heldRegion,
        uint8 kindSeed,
        uint8 department,
        uint64 region,
        bool byReplacement
    ) public {
        IDirectory.Office memory held = _validOffice(heldKind, heldDepartment, heldRegion);
        IDirectory.Office memory next = _validOffice(kindSeed, department, region);
        directory.bindOffice(alice, held);
        if (byReplacement) directory.bindOffice(bob, held);
        else directory.unbindOffice(alice);
        assertTrue(directory.isRetired(alice));
        _expectRetired(alice);
        directory.bindOffice(alice, next);
        _assertNoOffice(alice);
        assertEq(directory.holderOf(held), byReplacement ? bob : address(0));
    }

    function test_bindOffice_revertsWhen_retired() public {
        testFuzz_bindOffice_revertsWhen_retired(0, 0, COUNTY, 0, 0, COUNTY, false);
        setUp();
        testFuzz_bindOffice_revertsWhen_retired(2, DEPT_RURAL, COUNTY, 2, DEPT_RURAL, COUNTY, true);
    }

    // ---------------------------------------------------------------- malformed offices

    function test_bindOffice_revertsWhen_zeroAccount() public {
        for (uint256 i = 0; i < KINDS; ++i) {
            IDirectory.Office memory o = _office(_kind(i), 0, COUNTY);
            vm.expectRevert(IDirectory.DirectoryZeroAccount.selector);
            directory.bindOffice(address(0), o);
            assertEq(directory.holderOf(o), address(0));
        }
        _assertNoOffice(address(0));
    }

    function test_bindOffice_revertsWhen_kindNone() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDirectory.DirectoryInvalidOffice.selector, IDirectory.OfficeKind.None, 0)
        );
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.None, 0, COUNTY));
        vm.expectRevert(
            abi.encodeWithSelector(IDirectory.DirectoryInvalidOffice.selector, IDirectory.OfficeKind.None, 3)
        );
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.None, 3, COUNTY));
        _assertNoOffice(alice);
        assertFalse(directory.isRetired(alice));
    }

    function test_bindOffice_revertsWhen_kindOutOfRange() public {
        // An enum value past Bank does not decode: the call fails before any state changes.
        (bool ok,) = address(directory).call(
            abi.encodeWithSelector(directory.bindOffice.selector, alice, uint8(KINDS) + 1, uint8(0), COUNTY)
        );
        assertFalse(ok);
        _assertNoOffice(alice);
    }

    function test_bindOffice_revertsWhen_departmentOnNonReviewer() public {
        uint8[3] memory departments = [uint8(1), 2, 255];
        for (uint256 i = 0; i < KINDS; ++i) {
            IDirectory.OfficeKind kind = _kind(i);
            if (kind == IDirectory.OfficeKind.Reviewer) continue;
            for (uint256 d = 0; d < departments.length; ++d) {
                vm.expectRevert(
                    abi.encodeWithSelector(IDirectory.DirectoryInvalidOffice.selector, kind, departments[d])
                );
                directory.bindOffice(alice, _office(kind, departments[d], COUNTY));
            }
            // With department zero the same office binds.
            address account = address(uint160(0xD000 + i));
            directory.bindOffice(account, _office(kind, 0, COUNTY));
            _assertHolds(account, _office(kind, 0, COUNTY));
        }
        _assertNoOffice(alice);
    }

    function testFuzz_bindOffice_revertsWhen_departmentOnNonReviewer(uint8 kindSeed, uint8 department, uint64 region)
        public
    {
        IDirectory.OfficeKind kind = _kind(kindSeed);
        vm.assume(kind != IDirectory.OfficeKind.Reviewer);
        department = uint8(bound(department, 1, type(uint8).max));
        region = uint64(bound(region, RegionCode.MIN, RegionCode.MAX));
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryInvalidOffice.selector, kind, department));
        directory.bindOffice(alice, _office(kind, department, region));
        _assertNoOffice(alice);
    }

    function test_bindOffice_revertsWhen_departmentOnNonReviewer_concrete() public {
        testFuzz_bindOffice_revertsWhen_departmentOnNonReviewer(0, 1, COUNTY); // bureau
        testFuzz_bindOffice_revertsWhen_departmentOnNonReviewer(4, 9, VILLAGE_A1); // bank
    }

    function test_bindOffice_revertsWhen_regionInvalid() public {
        uint64[5] memory bad = [uint64(0), 99_999_999_999, 11_010_100_100, 1_000_000_000_000, type(uint64).max];
        for (uint256 i = 0; i < bad.length; i++) {
            for (uint256 k = 0; k < KINDS; ++k) {
                vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryInvalidRegion.selector, bad[i]));
                directory.bindOffice(alice, _office(_kind(k), 0, bad[i]));
            }
        }
        _assertNoOffice(alice);
        assertFalse(directory.isRetired(alice));
    }

    function testFuzz_bindOffice_revertsWhen_regionInvalid(uint64 region, uint8 kindSeed, uint8 department) public {
        if (region >= RegionCode.MIN && region <= RegionCode.MAX) region = region % RegionCode.MIN;
        IDirectory.Office memory o = _validOffice(kindSeed, department, 0);
        o.region = region;
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryInvalidRegion.selector, region));
        directory.bindOffice(alice, o);
        _assertNoOffice(alice);
    }

    function test_bindOffice_revertsWhen_regionInvalid_concrete() public {
        testFuzz_bindOffice_revertsWhen_regionInvalid(11_010_100_000, 2, DEPT_FINANCE);
        testFuzz_bindOffice_revertsWhen_regionInvalid(1_101_010_000_000, 0, 0);
    }

    // ---------------------------------------------------------------- bindOffice: access and pause

    function test_bindOffice_revertsWhen_callerLacksRole() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        address[3] memory callers = [outsider, countyBureau, guardian]; // countyBureau holds BUREAU
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, callers[i]));
            vm.prank(callers[i]);
            directory.bindOffice(callers[i], o);
        }
        assertEq(directory.bureauOf(COUNTY), address(0));
        _assertNoOffice(countyBureau);
    }

    function test_bindOffice_revertsWhen_paused() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        vm.prank(guardian);
        directory.pause();
        assertTrue(directory.paused());
        vm.expectRevert(Pausable.EnforcedPause.selector);
        directory.bindOffice(alice, o);
        vm.prank(guardian);
        directory.unpause();
        directory.bindOffice(alice, o);
        _assertHolds(alice, o);
    }

    // ---------------------------------------------------------------- unbindOffice

    function test_unbindOffice_vacatesAndRetires() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        directory.bindOffice(alice, o);
        _expectVacated(alice, o);
        directory.unbindOffice(alice);

        _assertNoOffice(alice);
        assertEq(directory.holderOf(o), address(0));
        assertEq(directory.bureauOf(COUNTY), address(0));
        assertTrue(directory.isRetired(alice));
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.Bureau, COUNTY));
    }

    function test_unbindOffice_leavesOtherOfficesAlone() public {
        IDirectory.Office memory a = _office(IDirectory.OfficeKind.Reviewer, DEPT_CIVIL, COUNTY);
        IDirectory.Office memory b = _office(IDirectory.OfficeKind.Reviewer, DEPT_RURAL, COUNTY);
        IDirectory.Office memory c = _office(IDirectory.OfficeKind.Treasury, 0, COUNTY);
        directory.bindOffice(alice, a);
        directory.bindOffice(bob, b);
        directory.bindOffice(carol, c);
        directory.unbindOffice(bob);
        _assertHolds(alice, a);
        _assertHolds(carol, c);
        assertEq(directory.holderOf(b), address(0));
        assertTrue(directory.isRetired(bob));
    }

    function test_unbindOffice_revertsWhen_notBound() public {
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryNotBound.selector, bob));
        directory.unbindOffice(bob);
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryNotBound.selector, address(0)));
        directory.unbindOffice(address(0));
        // A failed unbind retires no one.
        assertFalse(directory.isRetired(bob));
    }

    function test_unbindOffice_revertsWhen_alreadyUnbound() public {
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.Bank, 0, COUNTY));
        directory.unbindOffice(alice);
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryNotBound.selector, alice));
        directory.unbindOffice(alice);
    }

    function test_unbindOffice_revertsWhen_replaced() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bank, 0, COUNTY);
        directory.bindOffice(alice, o);
        directory.bindOffice(bob, o);
        // alice left her office when bob took it: unbinding her cannot vacate bob's office.
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryNotBound.selector, alice));
        directory.unbindOffice(alice);
        _assertHolds(bob, o);
    }

    function test_unbindOffice_revertsWhen_callerLacksRole() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        directory.bindOffice(alice, o);
        address[3] memory callers = [outsider, alice, guardian];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, callers[i]));
            vm.prank(callers[i]);
            directory.unbindOffice(alice);
        }
        _assertHolds(alice, o);
    }

    function test_unbindOffice_revertsWhen_paused() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        directory.bindOffice(alice, o);
        vm.prank(guardian);
        directory.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        directory.unbindOffice(alice);
        _assertHolds(alice, o);
        vm.prank(guardian);
        directory.unpause();
        directory.unbindOffice(alice);
        assertTrue(directory.isRetired(alice));
    }

    function test_pause_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        directory.pause();
        assertFalse(directory.paused());
    }

    // ---------------------------------------------------------------- views

    function test_views_unboundAccount() public view {
        _assertNoOffice(alice);
        assertFalse(directory.isRetired(alice));
        assertEq(directory.bureauOf(COUNTY), address(0));
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.Bureau, 0, COUNTY)), address(0));
        // The None "office" has no holder, even for an unbound account's default (None, 0, 0).
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.None, 0, 0)), address(0));
    }

    function test_views_bureauOfIsTheBureauHolder() public {
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.CivilAffairs, 0, COUNTY));
        directory.bindOffice(bob, _office(IDirectory.OfficeKind.Treasury, 0, COUNTY));
        // Another kind at the region is not its bureau.
        assertEq(directory.bureauOf(COUNTY), address(0));
        directory.bindOffice(carol, _office(IDirectory.OfficeKind.Bureau, 0, COUNTY));
        assertEq(directory.bureauOf(COUNTY), carol);
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.Bureau, 0, COUNTY)), carol);
        // A region's bureau is not the bureau of the regions above or below it.
        assertEq(directory.bureauOf(TOWNSHIP_A), address(0));
        assertEq(directory.bureauOf(CITY), address(0));
        // An invalid region has no bureau.
        assertEq(directory.bureauOf(0), address(0));
    }

    function test_views_holderOfKeysOnEveryField() public {
        IDirectory.Office memory o = _office(IDirectory.OfficeKind.Reviewer, DEPT_RURAL, COUNTY);
        directory.bindOffice(alice, o);
        assertEq(directory.holderOf(o), alice);
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.Reviewer, DEPT_CIVIL, COUNTY)), address(0));
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.Reviewer, DEPT_RURAL, TOWNSHIP_A)), address(0));
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.Treasury, DEPT_RURAL, COUNTY)), address(0));
        assertEq(directory.holderOf(_office(IDirectory.OfficeKind.CivilAffairs, 0, COUNTY)), address(0));
    }

    // ---------------------------------------------------------------- covers

    function test_covers_ownRegionAndDescendants() public {
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.Treasury, 0, COUNTY));
        uint64[5] memory inside = [COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A1, VILLAGE_B1];
        for (uint256 i = 0; i < inside.length; ++i) {
            assertTrue(directory.covers(alice, IDirectory.OfficeKind.Treasury, inside[i]));
        }
    }

    function test_covers_falseOutsideTheSubtree() public {
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.CivilAffairs, 0, TOWNSHIP_A));
        assertTrue(directory.covers(alice, IDirectory.OfficeKind.CivilAffairs, TOWNSHIP_A));
        assertTrue(directory.covers(alice, IDirectory.OfficeKind.CivilAffairs, VILLAGE_A1));
        // Ancestors, a sibling, a sibling's village, another county, another province.
        uint64[7] memory outside =
            [PROVINCE, CITY, COUNTY, TOWNSHIP_B, VILLAGE_B1, OTHER_COUNTY, uint64(120000000000)];
        for (uint256 i = 0; i < outside.length; ++i) {
            assertFalse(directory.covers(alice, IDirectory.OfficeKind.CivilAffairs, outside[i]));
        }
        // A village of another county whose lower digits match alice's township.
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.CivilAffairs, 110102001001));
    }

    function test_covers_bureauCoversItsSubtreeToo() public {
        // covers() is the same rule for every kind: the bureau's narrower duty is bureauOf's.
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.Bureau, 0, COUNTY));
        assertTrue(directory.covers(alice, IDirectory.OfficeKind.Bureau, COUNTY));
        assertTrue(directory.covers(alice, IDirectory.OfficeKind.Bureau, TOWNSHIP_A));
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.Bureau, OTHER_COUNTY));
    }

    function test_covers_falseForOtherKinds() public {
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.Bank, 0, COUNTY));
        for (uint256 i = 0; i < KINDS; ++i) {
            IDirectory.OfficeKind kind = _kind(i);
            assertEq(directory.covers(alice, kind, TOWNSHIP_A), kind == IDirectory.OfficeKind.Bank);
            assertEq(directory.covers(alice, kind, COUNTY), kind == IDirectory.OfficeKind.Bank);
        }
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.None, COUNTY));
    }

    function test_covers_reviewerIgnoresDepartment() public {
        // covers() asks about a kind; which department a reviewer serves is officeOf's.
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.Reviewer, DEPT_FINANCE, COUNTY));
        assertTrue(directory.covers(alice, IDirectory.OfficeKind.Reviewer, VILLAGE_A1));
    }

    function test_covers_falseForUnboundAccount() public view {
        for (uint256 i = 0; i < KINDS; ++i) {
            assertFalse(directory.covers(alice, _kind(i), COUNTY));
            assertFalse(directory.covers(alice, _kind(i), VILLAGE_A1));
        }
        // An unbound account's office is (None, 0, 0): it covers nothing, not even as None.
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.None, COUNTY));
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.None, PROVINCE));
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.None, 0));
        assertFalse(directory.covers(address(0), IDirectory.OfficeKind.None, 0));
    }

    function test_covers_falseForRetiredAccount() public {
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.Treasury, 0, COUNTY));
        directory.bindOffice(bob, _office(IDirectory.OfficeKind.Bank, 0, COUNTY));
        assertTrue(directory.covers(alice, IDirectory.OfficeKind.Treasury, TOWNSHIP_A));
        assertTrue(directory.covers(bob, IDirectory.OfficeKind.Bank, TOWNSHIP_A));

        directory.unbindOffice(alice); // retired by unbind
        directory.bindOffice(carol, _office(IDirectory.OfficeKind.Bank, 0, COUNTY)); // bob retired by replacement

        assertFalse(directory.covers(alice, IDirectory.OfficeKind.Treasury, TOWNSHIP_A));
        assertFalse(directory.covers(alice, IDirectory.OfficeKind.Treasury, COUNTY));
        assertFalse(directory.covers(bob, IDirectory.OfficeKind.Bank, TOWNSHIP_A));
        assertFalse(directory.covers(bob, IDirectory.OfficeKind.Bank, COUNTY));
        assertTrue(directory.covers(carol, IDirectory.OfficeKind.Bank, TOWNSHIP_A));
        for (uint256 i = 0; i <= KINDS; ++i) {
            assertFalse(directory.covers(alice, IDirectory.OfficeKind(i), COUNTY));
            assertFalse(directory.covers(bob, IDirectory.OfficeKind(i), COUNTY));
        }
    }

    function test_covers_falseForInvalidRegion() public {
        directory.bindOffice(alice, _office(IDirectory.OfficeKind.Treasury, 0, PROVINCE));
        uint64[6] memory bad =
            [uint64(0), 11_000_000_000, 99_999_999_999, 1_000_000_000_000, 1_100_000_000_000, type(uint64).max];
        for (uint256 i = 0; i < bad.length; ++i) {
            assertFalse(directory.covers(alice, IDirectory.OfficeKind.Treasury, bad[i]));
        }
        assertTrue(directory.covers(alice, IDirectory.OfficeKind.Treasury, VILLAGE_A1));
    }

    /// @dev Independent model: an office at `officeRegion` (level with place value `unit`) covers the
    /// 12-digit codes that share its digits above `unit`, and nothing else.
    function testFuzz_covers_matchesModel(
        uint8 kindSeed,
        uint8 queryKindSeed,
        uint64 officeSeed,
        uint8 lvl,
        uint64 offset,
        uint64 region,
        uint8 regionChoice
    ) public {
        IDirectory.OfficeKind kind = _kind(kindSeed);
        lvl = uint8(bound(lvl, 1, 5));
        uint64 unit = lvl == 1 ? 1e10 : lvl == 2 ? 1e8 : lvl == 3 ? 1e6 : lvl == 4 ? 1e3 : 1;
        uint64 officeRegion = uint64(bound(officeSeed, RegionCode.MIN, RegionCode.MAX)) / unit * unit;
        directory.bindOffice(alice, _office(kind, kind == IDirectory.OfficeKind.Reviewer ? 9 : 0, officeRegion));

        // A third of the queries fall inside the subtree, the rest anywhere (valid or not).
        if (regionChoice % 3 == 0) region = officeRegion + offset % unit;
        IDirectory.OfficeKind queryKind = IDirectory.OfficeKind(queryKindSeed % (KINDS + 1));

        bool valid = region >= RegionCode.MIN && region <= RegionCode.MAX;
        bool expected = queryKind == kind && valid && region >= officeRegion && region - officeRegion < unit;
        assertEq(directory.covers(alice, queryKind, region), expected);
    }

    function test_covers_matchesModel() public {
        testFuzz_covers_matchesModel(3, 4, COUNTY, 3, 1_001, 0, 0); // treasury, a village of its county
        setUp();
        testFuzz_covers_matchesModel(3, 4, COUNTY, 3, 0, OTHER_COUNTY, 1); // another county
        setUp();
        testFuzz_covers_matchesModel(3, 3, COUNTY, 3, 1_001, 0, 0); // asked as another kind
    }

    // ---------------------------------------------------------------- bindings under random changes

    uint256 internal constant ACCOUNTS = 6;
    uint256 internal constant SLOTS = 6;

    /// @dev Account `i`; `i == ACCOUNTS` is the zero address.
    function _account(uint256 i) internal pure returns (address) {
        return i == ACCOUNTS ? address(0) : address(uint160(0xB000 + i));
    }

    /// @dev Six offices: two bureaus, two reviewers of one region, a treasury and a bank.
    function _slotOffice(uint256 s) internal pure returns (IDirectory.Office memory) {
        if (s == 0) return _office(IDirectory.OfficeKind.Bureau, 0, COUNTY);
        if (s == 1) return _office(IDirectory.OfficeKind.Bureau, 0, TOWNSHIP_A);
        if (s == 2) return _office(IDirectory.OfficeKind.Reviewer, DEPT_CIVIL, COUNTY);
        if (s == 3) return _office(IDirectory.OfficeKind.Reviewer, DEPT_RURAL, COUNTY);
        if (s == 4) return _office(IDirectory.OfficeKind.Treasury, 0, COUNTY);
        return _office(IDirectory.OfficeKind.Bank, 0, TOWNSHIP_A);
    }

    /// @dev Random bind/unbind steps over six offices and six accounts (and the zero address),
    /// against a model of holders and retired accounts: every refusal is the expected error, every
    /// success the expected events, and the views match the model after each step.
    function testFuzz_offices_matchModel(uint256 seed) public {
        address[SLOTS] memory holder; // model: slot → account
        bool[ACCOUNTS] memory retired; // model: account index → retired
        for (uint256 step = 0; step < 40; step++) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 slot = r % SLOTS;
            uint256 ai = (r >> 8) % (ACCOUNTS + 1);
            address account = _account(ai);
            uint256 held = type(uint256).max; // the slot the account holds, per the model
            for (uint256 s = 0; s < SLOTS; s++) {
                if (account != address(0) && holder[s] == account) held = s;
            }

            if ((r >> 16) % 4 == 0) {
                // unbind
                if (held == type(uint256).max) {
                    vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryNotBound.selector, account));
                } else {
                    _expectVacated(account, _slotOffice(held));
                    holder[held] = address(0);
                    retired[ai] = true;
                }
                directory.unbindOffice(account);
            } else {
                // bind
                IDirectory.Office memory o = _slotOffice(slot);
                if (account == address(0)) {
                    vm.expectRevert(IDirectory.DirectoryZeroAccount.selector);
                } else if (held != type(uint256).max) {
                    _expectAlreadyBound(account, _slotOffice(held));
                } else if (retired[ai]) {
                    _expectRetired(account);
                } else {
                    address previous = holder[slot];
                    if (previous != address(0)) {
                        _expectVacated(previous, o);
                        retired[uint160(previous) - 0xB000] = true;
                    }
                    _expectBound(account, o, previous);
                    holder[slot] = account;
                }
                directory.bindOffice(account, o);
            }

            // The Directory matches the model, both ways.
            for (uint256 s = 0; s < SLOTS; s++) {
                IDirectory.Office memory o = _slotOffice(s);
                assertEq(directory.holderOf(o), holder[s], "holder");
                if (holder[s] != address(0)) _assertHolds(holder[s], o);
            }
            assertEq(directory.bureauOf(COUNTY), holder[0], "bureau of county");
            assertEq(directory.bureauOf(TOWNSHIP_A), holder[1], "bureau of township");
            for (uint256 a = 0; a < ACCOUNTS; a++) {
                assertEq(directory.isRetired(_account(a)), retired[a], "retired");
                bool holds;
                for (uint256 s = 0; s < SLOTS; s++) {
                    if (holder[s] == _account(a)) holds = true;
                }
                if (!holds) _assertNoOffice(_account(a));
                // A retired account holds nothing.
                if (retired[a]) assertFalse(holds, "retired holder");
            }
        }
    }

    function test_offices_matchModel() public {
        // One sequence per fresh deployment: the model starts empty.
        testFuzz_offices_matchModel(7);
        setUp();
        testFuzz_offices_matchModel(2026);
    }
}
