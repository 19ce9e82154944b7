// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";

import {SuiteFixture} from "./SuiteFixture.sol";

contract DirectoryTest is SuiteFixture {
    address internal alice;
    address internal bob;
    address internal carol;

    uint8 internal constant DEPT_CIVIL = 0;
    uint8 internal constant DEPT_RURAL = 1;
    uint8 internal constant DEPT_FINANCE = 2;

    function setUp() public {
        _deploySuite();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        carol = makeAddr("carol");
    }

    function _expectAlreadyBound(address account, IDirectory.BindingKind kind, uint64 id) internal {
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryAccountAlreadyBound.selector, account, kind, id));
    }

    // ---------------------------------------------------------------- setRegionBureau

    function test_setRegionBureau_bindsAndEmits() public {
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.RegionBureauSet(COUNTY, address(0), alice);
        directory.setRegionBureau(COUNTY, alice);

        assertEq(directory.bureauOf(COUNTY), alice);
        _assertBinding(alice, IDirectory.BindingKind.Bureau, COUNTY);
        assertEq(directory.bureauOf(TOWNSHIP_A), address(0));
        _assertBinding(bob, IDirectory.BindingKind.None, 0);
    }

    function test_setRegionBureau_acceptsEveryLevel() public {
        directory.setRegionBureau(110000000000, alice);
        directory.setRegionBureau(CITY, bob);
        directory.setRegionBureau(VILLAGE_A1, carol);
        _assertBinding(alice, IDirectory.BindingKind.Bureau, 110000000000);
        _assertBinding(bob, IDirectory.BindingKind.Bureau, CITY);
        _assertBinding(carol, IDirectory.BindingKind.Bureau, VILLAGE_A1);
    }

    function test_setRegionBureau_revertsWhen_regionInvalid() public {
        uint64[4] memory bad = [uint64(0), 99_999_999_999, 1_000_000_000_000, type(uint64).max];
        for (uint256 i = 0; i < bad.length; i++) {
            vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryInvalidRegion.selector, bad[i]));
            directory.setRegionBureau(bad[i], alice);
        }
        _assertBinding(alice, IDirectory.BindingKind.None, 0);
    }

    function testFuzz_setRegionBureau_revertsWhen_regionInvalid(uint64 region, address account) public {
        if (region >= 1e11 && region < 1e12) region = region % 1e11;
        vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryInvalidRegion.selector, region));
        directory.setRegionBureau(region, account);
    }

    function test_setRegionBureau_revertsWhen_regionInvalid_concrete() public {
        testFuzz_setRegionBureau_revertsWhen_regionInvalid(11_010_100_000, alice);
    }

    function testFuzz_setRegionBureau_bindsValidRegion(uint64 region, address account) public {
        region = uint64(bound(region, 1e11, 1e12 - 1));
        vm.assume(account != address(0));
        directory.setRegionBureau(region, account);
        assertEq(directory.bureauOf(region), account);
        _assertBinding(account, IDirectory.BindingKind.Bureau, region);
    }

    function test_setRegionBureau_bindsValidRegion() public {
        testFuzz_setRegionBureau_bindsValidRegion(TOWNSHIP_B, carol);
    }

    function test_setRegionBureau_rebindingFreesPreviousAccount() public {
        directory.setRegionBureau(COUNTY, alice);
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.RegionBureauSet(COUNTY, alice, bob);
        directory.setRegionBureau(COUNTY, bob);

        assertEq(directory.bureauOf(COUNTY), bob);
        _assertBinding(bob, IDirectory.BindingKind.Bureau, COUNTY);
        _assertBinding(alice, IDirectory.BindingKind.None, 0);
        // Alice is free again: as another region's bureau, or as a department.
        directory.setRegionBureau(TOWNSHIP_A, alice);
        _assertBinding(alice, IDirectory.BindingKind.Bureau, TOWNSHIP_A);
        directory.setRegionBureau(TOWNSHIP_A, address(0));
        directory.setDepartment(DEPT_RURAL, alice);
        _assertBinding(alice, IDirectory.BindingKind.Department, DEPT_RURAL);
    }

    function test_setRegionBureau_unbindWithZeroAddress() public {
        directory.setRegionBureau(COUNTY, alice);
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.RegionBureauSet(COUNTY, alice, address(0));
        directory.setRegionBureau(COUNTY, address(0));
        assertEq(directory.bureauOf(COUNTY), address(0));
        _assertBinding(alice, IDirectory.BindingKind.None, 0);
        _assertBinding(address(0), IDirectory.BindingKind.None, 0);
        // Unbinding an unbound region is harmless.
        directory.setRegionBureau(COUNTY, address(0));
        assertEq(directory.bureauOf(COUNTY), address(0));
    }

    function test_setRegionBureau_sameAccountAgainIsAllowed() public {
        directory.setRegionBureau(COUNTY, alice);
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.RegionBureauSet(COUNTY, alice, alice);
        directory.setRegionBureau(COUNTY, alice);
        assertEq(directory.bureauOf(COUNTY), alice);
        _assertBinding(alice, IDirectory.BindingKind.Bureau, COUNTY);
    }

    function test_setRegionBureau_revertsWhen_accountIsBureauElsewhere() public {
        directory.setRegionBureau(COUNTY, alice);
        _expectAlreadyBound(alice, IDirectory.BindingKind.Bureau, COUNTY);
        directory.setRegionBureau(TOWNSHIP_A, alice);
        assertEq(directory.bureauOf(TOWNSHIP_A), address(0));
        _assertBinding(alice, IDirectory.BindingKind.Bureau, COUNTY);
    }

    function test_setRegionBureau_revertsWhen_accountIsDepartment() public {
        directory.setDepartment(DEPT_FINANCE, alice);
        _expectAlreadyBound(alice, IDirectory.BindingKind.Department, DEPT_FINANCE);
        directory.setRegionBureau(COUNTY, alice);
        assertEq(directory.bureauOf(COUNTY), address(0));
    }

    function test_setRegionBureau_revertsWhen_newAccountBoundButKeepsPrevious() public {
        directory.setRegionBureau(COUNTY, alice);
        directory.setRegionBureau(TOWNSHIP_A, bob);
        // Replacing alice by bob (bound elsewhere) fails and leaves alice in place.
        _expectAlreadyBound(bob, IDirectory.BindingKind.Bureau, TOWNSHIP_A);
        directory.setRegionBureau(COUNTY, bob);
        assertEq(directory.bureauOf(COUNTY), alice);
        _assertBinding(alice, IDirectory.BindingKind.Bureau, COUNTY);
        _assertBinding(bob, IDirectory.BindingKind.Bureau, TOWNSHIP_A);
    }

    function test_setRegionBureau_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        directory.setRegionBureau(COUNTY, alice);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, countyBureau));
        vm.prank(countyBureau);
        directory.setRegionBureau(COUNTY, countyBureau);
        assertEq(directory.bureauOf(COUNTY), address(0));
    }

    function test_setRegionBureau_revertsWhen_paused() public {
        vm.prank(guardian);
        directory.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        directory.setRegionBureau(COUNTY, alice);
        vm.prank(guardian);
        directory.unpause();
        directory.setRegionBureau(COUNTY, alice);
        assertEq(directory.bureauOf(COUNTY), alice);
    }

    // ---------------------------------------------------------------- setDepartment

    function test_setDepartment_bindsAndEmits() public {
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.DepartmentSet(DEPT_CIVIL, address(0), alice);
        directory.setDepartment(DEPT_CIVIL, alice);
        assertEq(directory.departmentAccount(DEPT_CIVIL), alice);
        _assertBinding(alice, IDirectory.BindingKind.Department, DEPT_CIVIL);
        assertEq(directory.departmentAccount(DEPT_RURAL), address(0));

        directory.setDepartment(255, bob);
        assertEq(directory.departmentAccount(255), bob);
        _assertBinding(bob, IDirectory.BindingKind.Department, 255);
    }

    function test_setDepartment_rebindingFreesPreviousAccount() public {
        directory.setDepartment(DEPT_RURAL, alice);
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.DepartmentSet(DEPT_RURAL, alice, bob);
        directory.setDepartment(DEPT_RURAL, bob);
        assertEq(directory.departmentAccount(DEPT_RURAL), bob);
        _assertBinding(bob, IDirectory.BindingKind.Department, DEPT_RURAL);
        _assertBinding(alice, IDirectory.BindingKind.None, 0);
        // Alice is free: she may now act for another department or a region.
        directory.setDepartment(DEPT_FINANCE, alice);
        _assertBinding(alice, IDirectory.BindingKind.Department, DEPT_FINANCE);
    }

    function test_setDepartment_unbindWithZeroAddress() public {
        directory.setDepartment(DEPT_RURAL, alice);
        vm.expectEmit(true, true, true, true, address(directory));
        emit IDirectory.DepartmentSet(DEPT_RURAL, alice, address(0));
        directory.setDepartment(DEPT_RURAL, address(0));
        assertEq(directory.departmentAccount(DEPT_RURAL), address(0));
        _assertBinding(alice, IDirectory.BindingKind.None, 0);
        directory.setRegionBureau(COUNTY, alice);
        _assertBinding(alice, IDirectory.BindingKind.Bureau, COUNTY);
    }

    function test_setDepartment_sameAccountAgainIsAllowed() public {
        directory.setDepartment(DEPT_RURAL, alice);
        directory.setDepartment(DEPT_RURAL, alice);
        assertEq(directory.departmentAccount(DEPT_RURAL), alice);
        _assertBinding(alice, IDirectory.BindingKind.Department, DEPT_RURAL);
    }

    function test_setDepartment_revertsWhen_accountIsBureau() public {
        directory.setRegionBureau(COUNTY, alice);
        _expectAlreadyBound(alice, IDirectory.BindingKind.Bureau, COUNTY);
        directory.setDepartment(DEPT_CIVIL, alice);
        assertEq(directory.departmentAccount(DEPT_CIVIL), address(0));
        _assertBinding(alice, IDirectory.BindingKind.Bureau, COUNTY);
    }

    function test_setDepartment_revertsWhen_accountIsOtherDepartment() public {
        directory.setDepartment(DEPT_CIVIL, alice);
        _expectAlreadyBound(alice, IDirectory.BindingKind.Department, DEPT_CIVIL);
        directory.setDepartment(DEPT_RURAL, alice);
        assertEq(directory.departmentAccount(DEPT_RURAL), address(0));
        _assertBinding(alice, IDirectory.BindingKind.Department, DEPT_CIVIL);
    }

    function test_setDepartment_revertsWhen_formerDepartmentAccountIsNowBureau() public {
        // Unbinding frees the account, binding it as a bureau takes it again: it cannot go back.
        directory.setDepartment(DEPT_RURAL, alice);
        directory.setDepartment(DEPT_RURAL, address(0));
        directory.setRegionBureau(COUNTY, alice);
        _expectAlreadyBound(alice, IDirectory.BindingKind.Bureau, COUNTY);
        directory.setDepartment(DEPT_RURAL, alice);
    }

    function test_setDepartment_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        directory.setDepartment(DEPT_CIVIL, alice);
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, guardian));
        vm.prank(guardian);
        directory.setDepartment(DEPT_CIVIL, alice);
        assertEq(directory.departmentAccount(DEPT_CIVIL), address(0));
    }

    function test_setDepartment_revertsWhen_paused() public {
        vm.prank(guardian);
        directory.pause();
        assertTrue(directory.paused());
        vm.expectRevert(Pausable.EnforcedPause.selector);
        directory.setDepartment(DEPT_CIVIL, alice);
    }

    function test_pause_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        directory.pause();
        assertFalse(directory.paused());
    }

    // ---------------------------------------------------------------- one binding per account, under random changes

    uint256 internal constant ACCOUNTS = 4;
    uint256 internal constant SLOTS = 6; // 3 regions + 3 departments

    function _account(uint256 i) internal pure returns (address) {
        // i == ACCOUNTS means "unbind".
        return i == ACCOUNTS ? address(0) : address(uint160(0xB000 + i));
    }

    function _slotRegion(uint256 s) internal pure returns (uint64) {
        return s == 0 ? COUNTY : s == 1 ? TOWNSHIP_A : TOWNSHIP_B;
    }

    /// @dev Random bind/unbind steps over 3 regions, 3 departments and 4 accounts, against a model:
    /// a step that would give an account a second binding must revert with its current binding.
    function testFuzz_bindings_oneBindingPerAccount(uint256 seed) public {
        address[SLOTS] memory holder; // model: slot → account
        for (uint256 step = 0; step < 30; step++) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 slot = r % SLOTS;
            address account = _account((r >> 8) % (ACCOUNTS + 1));

            // Where the account is bound now, per the model (ignoring `slot` itself: it is freed first).
            uint256 current = type(uint256).max;
            if (account != address(0)) {
                for (uint256 s = 0; s < SLOTS; s++) {
                    if (s != slot && holder[s] == account) current = s;
                }
            }
            if (current != type(uint256).max) {
                _expectAlreadyBound(
                    account,
                    current < 3 ? IDirectory.BindingKind.Bureau : IDirectory.BindingKind.Department,
                    current < 3 ? _slotRegion(current) : uint64(current - 3)
                );
            } else {
                holder[slot] = account;
            }
            if (slot < 3) directory.setRegionBureau(_slotRegion(slot), account);
            else directory.setDepartment(uint8(slot - 3), account);

            // The Directory matches the model, both ways.
            for (uint256 s = 0; s < SLOTS; s++) {
                address h = s < 3 ? directory.bureauOf(_slotRegion(s)) : directory.departmentAccount(uint8(s - 3));
                assertEq(h, holder[s], "holder");
                if (h != address(0)) {
                    _assertBinding(
                        h,
                        s < 3 ? IDirectory.BindingKind.Bureau : IDirectory.BindingKind.Department,
                        s < 3 ? _slotRegion(s) : uint64(s - 3)
                    );
                }
            }
            for (uint256 a = 0; a < ACCOUNTS; a++) {
                bool held;
                for (uint256 s = 0; s < SLOTS; s++) {
                    if (holder[s] == _account(a)) held = true;
                }
                if (!held) _assertBinding(_account(a), IDirectory.BindingKind.None, 0);
            }
        }
    }

    function test_bindings_oneBindingPerAccount() public {
        // One sequence per fresh deployment: the model starts empty.
        testFuzz_bindings_oneBindingPerAccount(7);
    }
}
