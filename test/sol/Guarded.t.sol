// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {SuiteAccessManager} from "../../contracts/governance/SuiteAccessManager.sol";
import {Guarded} from "../../contracts/governance/Guarded.sol";

import {QuietTest} from "./QuietBound.sol";

/// @dev A Guarded contract that reports whom its restricted function acts for.
contract ActorProbe is Guarded {
    event Acted(address actor);

    constructor(address authority) Guarded(authority) {}

    function act() external restricted {
        emit Acted(_actor());
    }
}

/// @dev An authority that lets every call through and names no executing account: it stands for a
/// manager that calls a target outside `execute`.
contract OpenAuthority {
    function canCall(address, address, bytes4) external pure returns (bool, uint32) {
        return (true, 0);
    }

    function executingAccount() external pure returns (address) {
        return address(0);
    }

    function call(address target, bytes calldata data) external {
        (bool ok, bytes memory answer) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(answer, 0x20), mload(answer))
            }
        }
    }
}

contract GuardedTest is QuietTest {
    SuiteAccessManager internal manager;
    ActorProbe internal probe;
    address internal alice = makeAddr("alice");

    uint64 internal constant ROLE = 42;

    function setUp() public {
        manager = new SuiteAccessManager(address(this));
        probe = new ActorProbe(address(manager));
        bytes4[] memory selectors = new bytes4[](1);
        selectors[0] = ActorProbe.act.selector;
        manager.setTargetFunctionRole(address(probe), selectors, ROLE);
        manager.grantRole(ROLE, alice, 0);
    }

    function test_actor_isTheCaller_whenDirect() public {
        vm.expectEmit(address(probe));
        emit ActorProbe.Acted(alice);
        vm.prank(alice);
        probe.act();
    }

    function test_actor_isTheExecutingAccount_whenRoutedThroughExecute() public {
        vm.expectEmit(address(probe));
        emit ActorProbe.Acted(alice);
        vm.prank(alice);
        manager.execute(address(probe), abi.encodeCall(ActorProbe.act, ()));
        // The account is forgotten once `execute` returns.
        assertEq(manager.executingAccount(), address(0));
    }

    function test_actor_isTheExecutingAccount_whenScheduledThenExecuted() public {
        address bob = makeAddr("bob");
        manager.grantRole(ROLE, bob, 1 days);
        bytes memory data = abi.encodeCall(ActorProbe.act, ());
        vm.prank(bob);
        manager.schedule(address(probe), data, uint48(block.timestamp + 1 days));
        vm.warp(block.timestamp + 1 days);
        vm.expectEmit(address(probe));
        emit ActorProbe.Acted(bob);
        vm.prank(bob);
        manager.execute(address(probe), data);
    }

    function test_actor_revertsWhen_authorityCallsOutsideExecute() public {
        OpenAuthority open = new OpenAuthority();
        ActorProbe orphan = new ActorProbe(address(open));
        vm.expectRevert(Guarded.GuardedUnattributedCall.selector);
        open.call(address(orphan), abi.encodeCall(ActorProbe.act, ()));
        // Any other caller is itself the actor.
        vm.expectEmit(address(orphan));
        emit ActorProbe.Acted(alice);
        vm.prank(alice);
        orphan.act();
    }
}
