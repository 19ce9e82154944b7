// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IProgrammeRegistry} from "../../contracts/interfaces/IProgrammeRegistry.sol";

import {ReviewStages} from "../../contracts/libraries/ReviewStages.sol";
import {SuiteFixture} from "./SuiteFixture.sol";

contract ProgrammeRegistryTest is SuiteFixture {
    function setUp() public {
        _deploySuite();
        vm.warp(1_767_225_600); // 2026-01-01
    }

    function _expectInvalidTerm(string memory field) internal {
        vm.expectRevert(abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, field));
    }

    function _assertTerms(IProgrammeRegistry.Terms memory a, IProgrammeRegistry.Terms memory b) internal pure {
        assertEq(a.budgetCeiling, b.budgetCeiling, "budgetCeiling");
        assertEq(a.householdCap, b.householdCap, "householdCap");
        assertEq(a.publicityPeriod, b.publicityPeriod, "publicityPeriod");
        assertEq(a.payoutPeriod, b.payoutPeriod, "payoutPeriod");
        assertEq(a.reviewStages, b.reviewStages, "reviewStages");
        assertEq(a.policyDocHash, b.policyDocHash, "policyDocHash");
        assertEq(a.policyURI, b.policyURI, "policyURI");
    }

    /// @dev Creates a programme expecting it to revert with `err` (called as the programme admin).
    function _createExpectingRevert(
        bytes memory err,
        bytes32 earmark,
        uint32 period,
        uint64 root,
        IProgrammeRegistry.Terms memory terms
    ) internal {
        vm.expectRevert(err);
        vm.prank(programmeAdmin);
        programmes.createProgramme(earmark, period, root, terms);
    }

    // ---------------------------------------------------------------- createProgramme

    function test_createProgramme_storesProgrammeAndEmits() public {
        IProgrammeRegistry.Terms memory terms = _terms();
        vm.expectEmit(true, true, true, true, address(programmes));
        emit IProgrammeRegistry.ProgrammeCreated(1, EARMARK, COUNTY, PERIOD, terms);
        uint64 id = _createProgramme(EARMARK, PERIOD, COUNTY, terms);

        assertEq(id, 1);
        assertEq(programmes.programmeCount(), 1);
        IProgrammeRegistry.Programme memory p = programmes.programme(id);
        assertEq(p.earmarkCode, EARMARK);
        assertEq(p.fiscalPeriod, PERIOD);
        assertEq(p.rootRegion, COUNTY);
        assertEq(p.createdAt, block.timestamp);
        _assertTerms(p.terms, terms);
        assertEq(programmes.householdCap(id), CAP);
    }

    function test_createProgramme_idsIncrement() public {
        assertEq(programmes.programmeCount(), 0);
        assertEq(_createProgramme(EARMARK, PERIOD, COUNTY, _terms()), 1);
        // Same earmark, another period; same period, another earmark: both distinct programmes.
        assertEq(_createProgramme(EARMARK, PERIOD + 1, COUNTY, _terms()), 2);
        assertEq(_createProgramme(keccak256("earmark:other"), PERIOD, OTHER_COUNTY, _terms()), 3);
        assertEq(programmes.programmeCount(), 3);
        assertEq(programmes.programme(2).fiscalPeriod, PERIOD + 1);
        assertEq(programmes.programme(3).rootRegion, OTHER_COUNTY);
    }

    function test_createProgramme_acceptsBoundaryTerms() public {
        IProgrammeRegistry.Terms memory t = _terms();
        t.householdCap = t.budgetCeiling; // cap equal to the ceiling
        t.publicityPeriod = programmes.MAX_PUBLICITY_PERIOD(); // longest period
        t.reviewStages = (uint256(1) << 255) | 0x0100; // one stage (department 0, province), ordered
        t.policyURI = "";
        uint64 id = _createProgramme(EARMARK, PERIOD, COUNTY, t);
        _assertTerms(programmes.programme(id).terms, t);
        assertEq(programmes.MAX_PUBLICITY_PERIOD(), 90 days);
    }

    function test_createProgramme_acceptsAnyValidRootLevel() public {
        assertEq(_createProgramme(EARMARK, 1, 110000000000, _terms()), 1); // province
        assertEq(_createProgramme(EARMARK, 2, TOWNSHIP_A, _terms()), 2);
        assertEq(_createProgramme(EARMARK, 3, VILLAGE_A1, _terms()), 3);
    }

    function test_createProgramme_revertsWhen_earmarkCodeZero() public {
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "earmarkCode"),
            bytes32(0),
            PERIOD,
            COUNTY,
            _terms()
        );
    }

    function test_createProgramme_revertsWhen_fiscalPeriodZero() public {
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "fiscalPeriod"),
            EARMARK,
            0,
            COUNTY,
            _terms()
        );
    }

    function test_createProgramme_revertsWhen_rootRegionInvalid() public {
        uint64[4] memory bad = [uint64(0), 99_999_999_999, 1_000_000_000_000, type(uint64).max];
        for (uint256 i = 0; i < bad.length; i++) {
            _createExpectingRevert(
                abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidRegion.selector, bad[i]),
                EARMARK,
                PERIOD,
                bad[i],
                _terms()
            );
        }
        assertEq(programmes.programmeCount(), 0);
    }

    function testFuzz_createProgramme_revertsWhen_rootRegionInvalid(uint64 root) public {
        if (root >= 1e11 && root < 1e12) root = root % 1e11; // force an out-of-range code
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidRegion.selector, root),
            EARMARK,
            PERIOD,
            root,
            _terms()
        );
    }

    function test_createProgramme_revertsWhen_rootRegionInvalid_concrete() public {
        testFuzz_createProgramme_revertsWhen_rootRegionInvalid(11_010_100_000);
    }

    function test_createProgramme_revertsWhen_duplicate() public {
        _createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        // Same earmark and period, even with another root region and other terms.
        IProgrammeRegistry.Terms memory t = _terms();
        t.budgetCeiling = 5 * CEILING;
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryDuplicate.selector, EARMARK, PERIOD, uint64(1)),
            EARMARK,
            PERIOD,
            OTHER_COUNTY,
            t
        );
        // The id is the existing programme's, also for later ones.
        _createProgramme(EARMARK, PERIOD + 1, COUNTY, _terms());
        _createExpectingRevert(
            abi.encodeWithSelector(
                IProgrammeRegistry.ProgrammeRegistryDuplicate.selector, EARMARK, PERIOD + 1, uint64(2)
            ),
            EARMARK,
            PERIOD + 1,
            COUNTY,
            _terms()
        );
        assertEq(programmes.programmeCount(), 2);
    }

    function test_createProgramme_revertsWhen_budgetCeilingZero() public {
        IProgrammeRegistry.Terms memory t = _terms();
        t.budgetCeiling = 0;
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "budgetCeiling"),
            EARMARK,
            PERIOD,
            COUNTY,
            t
        );
    }

    function test_createProgramme_revertsWhen_householdCapZero() public {
        IProgrammeRegistry.Terms memory t = _terms();
        t.householdCap = 0;
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "householdCap"),
            EARMARK,
            PERIOD,
            COUNTY,
            t
        );
    }

    function test_createProgramme_revertsWhen_householdCapAboveCeiling() public {
        IProgrammeRegistry.Terms memory t = _terms();
        t.householdCap = t.budgetCeiling + 1;
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "householdCap"),
            EARMARK,
            PERIOD,
            COUNTY,
            t
        );
    }

    function test_createProgramme_revertsWhen_publicityPeriodZero() public {
        IProgrammeRegistry.Terms memory t = _terms();
        t.publicityPeriod = 0;
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "publicityPeriod"),
            EARMARK,
            PERIOD,
            COUNTY,
            t
        );
    }

    function test_createProgramme_revertsWhen_publicityPeriodTooLong() public {
        IProgrammeRegistry.Terms memory t = _terms();
        t.publicityPeriod = 90 days + 1;
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "publicityPeriod"),
            EARMARK,
            PERIOD,
            COUNTY,
            t
        );
        // Milliseconds typed for seconds (7 days).
        t.publicityPeriod = 7 days * 1000;
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "publicityPeriod"),
            EARMARK,
            PERIOD,
            COUNTY,
            t
        );
    }

    function test_createProgramme_revertsWhen_reviewStagesMalformed() public {
        uint256[7] memory bad = [
            uint256(0), // no stage
            0x0001, // a department without a level
            0x0600, // level 6 is no level
            0x0300_0000, // a gap: stage 0 empty, stage 1 set
            0x0302_0302, // the same stage twice
            0x0300 | (uint256(1) << 200), // a stray bit
            0x0300 | (uint256(0x05) << 128) // a department byte after the eighth stage
        ];
        for (uint256 i = 0; i < bad.length; ++i) {
            IProgrammeRegistry.Terms memory t = _terms();
            t.reviewStages = bad[i];
            _createExpectingRevert(
                abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "reviewStages"),
                EARMARK,
                PERIOD,
                COUNTY,
                t
            );
        }
        assertEq(programmes.programmeCount(), 0);
    }

    function test_createProgramme_revertsWhen_policyDocHashZero() public {
        IProgrammeRegistry.Terms memory t = _terms();
        t.policyDocHash = bytes32(0);
        _createExpectingRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, "policyDocHash"),
            EARMARK,
            PERIOD,
            COUNTY,
            t
        );
    }

    function test_createProgramme_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        programmes.createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        // The governor amends but does not create.
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, governor));
        programmes.createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        assertEq(programmes.programmeCount(), 0);
    }

    function test_createProgramme_revertsWhen_paused() public {
        vm.prank(guardian);
        programmes.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(programmeAdmin);
        programmes.createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        vm.prank(guardian);
        programmes.unpause();
        assertEq(_createProgramme(EARMARK, PERIOD, COUNTY, _terms()), 1);
    }

    function testFuzz_createProgramme_validatesTerms(
        uint128 ceiling,
        uint128 cap,
        uint32 publicity,
        uint256 stages,
        bytes32 docHash
    ) public {
        IProgrammeRegistry.Terms memory t = IProgrammeRegistry.Terms({
            budgetCeiling: ceiling,
            householdCap: cap,
            publicityPeriod: publicity,
            payoutPeriod: 30 days,
            reviewStages: stages,
            policyDocHash: docHash,
            policyURI: "ipfs://policy"
        });
        string memory field;
        if (ceiling == 0) field = "budgetCeiling";
        else if (cap == 0 || cap > ceiling) field = "householdCap";
        else if (publicity == 0 || publicity > 90 days) field = "publicityPeriod";
        else if (!ReviewStages.isValid(stages)) field = "reviewStages";
        else if (docHash == bytes32(0)) field = "policyDocHash";

        if (bytes(field).length != 0) {
            _createExpectingRevert(
                abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryInvalidTerm.selector, field),
                EARMARK,
                PERIOD,
                COUNTY,
                t
            );
            assertEq(programmes.programmeCount(), 0);
        } else if (publicity < 1 days) {
            // The fixture's statutory floor: one day of publicity (and one stage, met by any valid set).
            _createExpectingRevert(
                abi.encodeWithSelector(
                    IProgrammeRegistry.ProgrammeRegistryBelowFloor.selector, "publicityPeriod", publicity, 1 days
                ),
                EARMARK,
                PERIOD,
                COUNTY,
                t
            );
            assertEq(programmes.programmeCount(), 0);
        } else {
            uint64 id = _createProgramme(EARMARK, PERIOD, COUNTY, t);
            _assertTerms(programmes.programme(id).terms, t);
            assertEq(programmes.householdCap(id), cap);
        }
    }

    function test_createProgramme_validatesTerms() public {
        testFuzz_createProgramme_validatesTerms(CEILING, CEILING + 1, PUBLICITY, 0x0300, keccak256("doc"));
        testFuzz_createProgramme_validatesTerms(CEILING, CAP, PUBLICITY, 0x0300, keccak256("doc"));
    }

    // ---------------------------------------------------------------- amendProgramme

    function test_amendProgramme_replacesTermsAndEmits() public {
        uint64 id = _createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        uint40 createdAt = programmes.programme(id).createdAt;
        vm.warp(block.timestamp + 1 days);

        IProgrammeRegistry.Terms memory t = IProgrammeRegistry.Terms({
            budgetCeiling: 2 * CEILING,
            householdCap: 300_000,
            publicityPeriod: 10 days,
            payoutPeriod: 30 days,
            reviewStages: 0x0401_0300,
            policyDocHash: keccak256("policy document v2"),
            policyURI: "https://policy.example/low-income-2026-v2.pdf"
        });
        vm.expectEmit(true, true, true, true, address(programmes));
        emit IProgrammeRegistry.ProgrammeAmended(id, t);
        programmes.amendProgramme(id, t); // governor

        IProgrammeRegistry.Programme memory p = programmes.programme(id);
        _assertTerms(p.terms, t);
        assertEq(programmes.householdCap(id), 300_000);
        // Identity unchanged.
        assertEq(p.earmarkCode, EARMARK);
        assertEq(p.fiscalPeriod, PERIOD);
        assertEq(p.rootRegion, COUNTY);
        assertEq(p.createdAt, createdAt);
        assertEq(programmes.programmeCount(), 1);
    }

    function test_amendProgramme_revertsWhen_unknownProgramme() public {
        vm.expectRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryUnknownProgramme.selector, uint64(0))
        );
        programmes.amendProgramme(0, _terms());
        _createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        vm.expectRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryUnknownProgramme.selector, uint64(2))
        );
        programmes.amendProgramme(2, _terms());
    }

    function test_amendProgramme_revertsWhen_termInvalid() public {
        uint64 id = _createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        IProgrammeRegistry.Terms memory t;

        t = _terms();
        t.budgetCeiling = 0;
        _expectInvalidTerm("budgetCeiling");
        programmes.amendProgramme(id, t);

        t = _terms();
        t.householdCap = 0;
        _expectInvalidTerm("householdCap");
        programmes.amendProgramme(id, t);

        t = _terms();
        t.householdCap = t.budgetCeiling + 1;
        _expectInvalidTerm("householdCap");
        programmes.amendProgramme(id, t);

        t = _terms();
        t.publicityPeriod = 0;
        _expectInvalidTerm("publicityPeriod");
        programmes.amendProgramme(id, t);

        t = _terms();
        t.publicityPeriod = 90 days + 1;
        _expectInvalidTerm("publicityPeriod");
        programmes.amendProgramme(id, t);

        t = _terms();
        t.reviewStages = 0;
        _expectInvalidTerm("reviewStages");
        programmes.amendProgramme(id, t);

        t = _terms();
        t.policyDocHash = bytes32(0);
        _expectInvalidTerm("policyDocHash");
        programmes.amendProgramme(id, t);

        _assertTerms(programmes.programme(id).terms, _terms());
    }

    function test_amendProgramme_revertsWhen_callerLacksRole() public {
        uint64 id = _createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        // The programme admin creates but does not amend.
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, programmeAdmin));
        vm.prank(programmeAdmin);
        programmes.amendProgramme(id, _terms());
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, outsider));
        vm.prank(outsider);
        programmes.amendProgramme(id, _terms());
    }

    function test_amendProgramme_revertsWhen_paused() public {
        uint64 id = _createProgramme(EARMARK, PERIOD, COUNTY, _terms());
        vm.prank(guardian);
        programmes.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        programmes.amendProgramme(id, _terms());
        // Views keep working while paused.
        assertEq(programmes.householdCap(id), CAP);
    }

    // ---------------------------------------------------------------- views

    function test_programme_revertsWhen_unknownProgramme() public {
        vm.expectRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryUnknownProgramme.selector, uint64(1))
        );
        programmes.programme(1);
        vm.expectRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryUnknownProgramme.selector, uint64(0))
        );
        programmes.programme(0);
    }

    function test_householdCap_revertsWhen_unknownProgramme() public {
        vm.expectRevert(
            abi.encodeWithSelector(IProgrammeRegistry.ProgrammeRegistryUnknownProgramme.selector, uint64(3))
        );
        programmes.householdCap(3);
    }

    function test_pause_revertsWhen_callerLacksRole() public {
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, governor));
        programmes.pause();
        vm.expectRevert(abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, programmeAdmin));
        vm.prank(programmeAdmin);
        programmes.pause();
        assertFalse(programmes.paused());
    }
}
