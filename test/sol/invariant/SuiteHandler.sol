// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {QuietBound} from "../QuietBound.sol";

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {BudgetLedger} from "../../../contracts/BudgetLedger.sol";
import {Directory} from "../../../contracts/Directory.sol";
import {Disbursement} from "../../../contracts/Disbursement.sol";
import {HouseholdRegistry} from "../../../contracts/HouseholdRegistry.sol";
import {ProgrammeRegistry} from "../../../contracts/ProgrammeRegistry.sol";
import {RosterBook} from "../../../contracts/RosterBook.sol";
import {SuiteAccessManager} from "../../../contracts/governance/SuiteAccessManager.sol";
import {Guarded} from "../../../contracts/governance/Guarded.sol";
import {IBudgetLedger} from "../../../contracts/interfaces/IBudgetLedger.sol";
import {IDirectory} from "../../../contracts/interfaces/IDirectory.sol";
import {IDisbursement} from "../../../contracts/interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "../../../contracts/interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "../../../contracts/interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "../../../contracts/interfaces/IRosterBook.sol";
import {LinePacking} from "../../../contracts/libraries/LinePacking.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";
import {Line} from "../../../contracts/types/Line.sol";

import {RosterTree} from "./RosterTree.sol";
import {Suite} from "./SuiteDeployment.sol";

// ------------------------------------------------------------------------------------------------
// Why a call the handler made must fail. A call whose reason mask is zero is allowed by the rules
// (docs/spec.md); a call with any bit set is forbidden. `SuiteHandler` sets bits of
// `forbiddenMask` for every forbidden call that SUCCEEDED, and counts every allowed call that
// reverted in `unexpectedCount`.
// ------------------------------------------------------------------------------------------------
uint256 constant R_PAUSED = 1 << 0; // a contract the call writes to (directly or through another) is paused
uint256 constant R_NO_ROLE = 1 << 1; // the caller lacks the function's role
uint256 constant R_OUTSIDER = 1 << 2; // the caller is the outsider (holds nothing)
uint256 constant R_WRONG_BUREAU = 1 << 3; // a bureau acting for a region it is not bound to
uint256 constant R_SUBMITTER_REVIEWS = 1 << 4; // the roster's submitter approves, rejects or resolves
uint256 constant R_SUBMITTER_DISBURSES = 1 << 5; // the roster's submitter records its payouts
uint256 constant R_REVIEWER_CONFLICT = 1 << 6; // a reversal reviewed by its requester (or the submitter)
uint256 constant R_NOT_REQUIRED_DEPT = 1 << 7; // the reviewer is not bound to a department the roster requires
uint256 constant R_WRONG_STATE = 1 << 8; // roster, line, household or reversal in the wrong state
uint256 constant R_NOT_PAYABLE = 1 << 9; // a payout before full sign-off and the end of publicity, or after closing
uint256 constant R_DOUBLE_PAY = 1 << 10; // a line paid twice, or a household holding a payout paid again
uint256 constant R_LINE_HELD = 1 << 11; // a frozen or excluded line paid
uint256 constant R_HOUSEHOLD = 1 << 12; // an unknown or suspended household paid
uint256 constant R_AMOUNT = 1 << 13; // zero, over the cap, over the ceiling, over what is available or reserved
uint256 constant R_TAMPERED = 1 << 14; // a forged proof, batch, signature, nonce or argument
uint256 constant R_REPEAT = 1 << 15; // a second approval by a department, a second objection, a second pending reversal

// Calls that hostile actors make; any success of one of these is a breach of access control or of
// the separation of duties.
uint256 constant R_HOSTILE = R_NO_ROLE | R_OUTSIDER | R_WRONG_BUREAU | R_SUBMITTER_REVIEWS | R_SUBMITTER_DISBURSES
    | R_REVIEWER_CONFLICT | R_NOT_REQUIRED_DEPT | R_TAMPERED;

// The six writing contracts, as bit positions of `pausedMask`.
uint256 constant C_DIRECTORY = 0;
uint256 constant C_PROGRAMMES = 1;
uint256 constant C_HOUSEHOLDS = 2;
uint256 constant C_LEDGER = 3;
uint256 constant C_ROSTERS = 4;
uint256 constant C_DISBURSEMENT = 5;
uint256 constant N_CONTRACTS = 6;

// Regions of the budget tree (indices into `regionCode`).
uint8 constant G_COUNTY = 0; // the programme's root region
uint8 constant G_TOWN_A = 1;
uint8 constant G_TOWN_B = 2;
uint8 constant G_TOWN_C = 3;
uint8 constant G_VILLAGE_A = 4; // under town A
uint8 constant G_VILLAGE_B = 5; // under town B; no bureau
uint8 constant G_OTHER = 6; // a township of another county: not in the programme's tree
uint8 constant N_REGIONS = 7;

// Actors (indices into `actors`).
uint256 constant A_OUTSIDER = 0; // holds no role and no binding
uint256 constant A_RESIDENT = 1; // holds nothing; objects and relays seals (both PUBLIC)
uint256 constant A_GUARDIAN = 2;
uint256 constant A_GOVERNOR = 3;
uint256 constant A_PROGRAMME_ADMIN = 4;
uint256 constant A_CIVIL_AFFAIRS = 5;
uint256 constant A_DISBURSER = 6;
uint256 constant A_BANK = 7;
uint256 constant A_BUREAU_COUNTY = 8;
uint256 constant A_BUREAU_A = 9;
uint256 constant A_BUREAU_B = 10;
uint256 constant A_BUREAU_C = 11; // also holds REVIEWER and DISBURSER: the separation-of-duty checks must stop it
uint256 constant A_BUREAU_VILLAGE_A = 12;
uint256 constant A_BUREAU_OTHER = 13; // bureau of a region outside the tree
uint256 constant A_BUREAU_A_NEXT = 14; // town A's key after rotation
uint256 constant A_BUREAU_B_NEXT = 15; // town B's key after rotation
uint256 constant A_DEPT_0 = 16;
uint256 constant A_DEPT_1 = 17; // also holds DISBURSER: may request reversals, never review its own
uint256 constant A_DEPT_2 = 18;
uint256 constant A_DEPT_3 = 19; // a department no roster requires at first; also a second civil-affairs office
uint256 constant N_ACTORS = 20;

uint256 constant MAX_ROSTERS = 40;
uint256 constant MAX_REVERSALS = 40;
uint64 constant MAX_HOUSEHOLDS = 48;

/// @dev What the handler believes about a roster, and the lines it was built from.
struct GhostRoster {
    uint8 region; // index into regionCode
    uint8 n; // line count (1..4)
    address submitter;
    uint128 total;
    uint256 required;
    uint32 publicity;
    uint40 submittedAt;
    uint256 approvals;
    uint40 approvedAt;
    uint8 ending; // IRosterBook.Ending
    uint128 paid;
    uint128 excluded;
    uint128 released;
    uint32 openObjections;
    uint32 excludedLines;
    bytes32 root;
    bytes32 documentHash;
    uint32 batchCount;
    uint64[4] household;
    uint128[4] amount;
    uint8[4] hold; // IRosterBook.LineHold
    uint8[4] status; // IDisbursement.LineStatus
    uint8[4] batchOf; // the batch that paid the line
    uint8[5] batchMask; // lines of batch b (1..4), bit i = line i
    uint256[4] pendingReversal;
    bool closeRequested; // the bureau asked to close while lines were owed; a department must confirm
}

/// @dev What the suite itself said about a line just before the call that paid it succeeded.
struct PayRecord {
    bool exists;
    uint8 stateAtPay; // RosterBook.rosterState
    uint256 approvalsAtPay;
    uint256 requiredAtPay;
    uint40 approvedAtAtPay;
    uint32 publicityAtPay;
    uint40 paidAt;
    uint8 holdAtPay; // RosterBook.lineHold
    bool householdPaidBefore; // Disbursement.isHouseholdPaid
    uint8 householdStatusAtPay; // HouseholdRegistry.statusOf
    address payer;
    address submitter;
}

struct GhostReversal {
    uint64 rosterId;
    uint8 line;
    uint64 household;
    uint128 amount;
    address requester;
    uint8 status; // IDisbursement.ReversalStatus
}

/// @title SuiteHandler
/// @notice The only contract the invariant fuzzer calls. Each action performs one bounded call to the
/// suite, as a legitimate actor most of the time and as a hostile one otherwise, inside try/catch, and
/// keeps a ghost model of what the suite should hold. Violations are recorded, never reverted on.
contract SuiteHandler is CommonBase, QuietBound {
    SuiteAccessManager internal immutable manager;
    Directory internal immutable directory;
    ProgrammeRegistry internal immutable programmes;
    HouseholdRegistry internal immutable households;
    BudgetLedger internal immutable ledger;
    RosterBook internal immutable rosters;
    Disbursement internal immutable disbursement;

    uint128 public constant INITIAL_CEILING = 100_000_000;
    uint128 public constant INITIAL_CAP = 200_000;
    uint32 public constant INITIAL_PUBLICITY = 3 days;
    uint256 public constant INITIAL_REQUIRED = 0x7;
    bytes32 public constant EARMARK = keccak256("earmark:invariant-suite");

    uint64 public pid;
    bool internal bootstrapped;

    // ---------------------------------------------------------------- actors and bindings (model)
    address[N_ACTORS] public actors;
    uint256[N_ACTORS] internal keys;
    mapping(address => uint256) public roleMask; // bit r: holds role r (granted with no delay by the test)
    mapping(address => uint8) public bindKind; // IDirectory.BindingKind
    mapping(address => uint64) public bindId;
    address[N_REGIONS] public bureauModel;
    address[4] public deptAccount;
    uint64[N_REGIONS] public regionCode;

    // ---------------------------------------------------------------- programme terms (model)
    uint128 public ceiling;
    uint128 public cap;
    uint32 public publicity;
    uint256 public required;

    // ---------------------------------------------------------------- money (model)
    IBudgetLedger.Balance[N_REGIONS] internal bal;
    IBudgetLedger.Totals internal tot;
    // Sums of the money moved by each kind of action that succeeded.
    uint256 public sumFunded;
    uint256 public sumAllocated;
    uint256 public sumReclaimed;
    uint256 public sumReserved;
    uint256 public sumReleased; // withdraw, reject, close
    uint256 public sumExcluded; // upheld objections
    uint256 public sumPaidGross;
    uint256 public sumReturned;
    uint256 public sumReversed;

    // ---------------------------------------------------------------- households, rosters, reversals (model)
    uint64 public hhCount;
    uint64 internal householdCursor;
    mapping(uint64 => bool) public suspendedModel;
    /// @dev Suspended as deceased, and who proposed reinstating it (a second account must confirm).
    mapping(uint64 => bool) internal deceasedModel;
    mapping(uint64 => address) internal proposerModel;
    mapping(uint64 => uint256) public livePayouts; // Paid or Confirmed lines held by the household
    uint64 public rosterCount;
    mapping(uint64 => GhostRoster) internal gr;
    mapping(uint64 => mapping(uint256 => PayRecord)) internal payRec;
    mapping(address => mapping(uint64 => uint64)) internal sigSeq; // next nonce sequence per (signer, roster key)
    uint256 public reversalCount;
    mapping(uint256 => GhostReversal) internal grev;

    // ---------------------------------------------------------------- pause (model)
    uint256 public pausedMask;
    bytes32[N_CONTRACTS] public pausedDigest;
    uint256 public movedWhilePaused;

    // ---------------------------------------------------------------- outcomes
    uint256 public forbiddenMask;
    uint256 public forbiddenCount;
    string public lastForbidden;
    uint256 public unexpectedCount;
    string public lastUnexpected;
    bytes public lastUnexpectedError;
    /// @dev Calls sent by `_call`, and how many of them went through the manager's `execute`.
    uint256 public callCount;
    uint256 public routedCount;
    mapping(string => uint256) public tried;
    mapping(string => uint256) public succeeded;
    mapping(uint256 => uint256) public attemptedForbidden; // by reason bit: forbidden calls tried (all must revert)

    constructor(Suite memory s) {
        manager = s.manager;
        directory = s.directory;
        programmes = s.programmes;
        households = s.households;
        ledger = s.ledger;
        rosters = s.rosters;
        disbursement = s.disbursement;

        regionCode = [
            uint64(110101000000),
            110101001000,
            110101002000,
            110101003000,
            110101001001,
            110101002001,
            110102001000
        ];

        _actor(A_OUTSIDER, "outsider", 0);
        _actor(A_RESIDENT, "resident", 0);
        _actor(A_GUARDIAN, "guardian", _r(Roles.GUARDIAN));
        _actor(A_GOVERNOR, "governor", _r(Roles.GOVERNOR));
        _actor(A_PROGRAMME_ADMIN, "programmeAdmin", _r(Roles.PROGRAMME_ADMIN));
        _actor(A_CIVIL_AFFAIRS, "civilAffairs", _r(Roles.CIVIL_AFFAIRS));
        _actor(A_DISBURSER, "disburser", _r(Roles.DISBURSER));
        _actor(A_BANK, "bank", _r(Roles.BANK));
        _actor(A_BUREAU_COUNTY, "bureauCounty", _r(Roles.BUREAU));
        _actor(A_BUREAU_A, "bureauTownA", _r(Roles.BUREAU));
        _actor(A_BUREAU_B, "bureauTownB", _r(Roles.BUREAU));
        _actor(A_BUREAU_C, "bureauTownC", _r(Roles.BUREAU) | _r(Roles.REVIEWER) | _r(Roles.DISBURSER));
        _actor(A_BUREAU_VILLAGE_A, "bureauVillageA", _r(Roles.BUREAU));
        _actor(A_BUREAU_OTHER, "bureauOtherCounty", _r(Roles.BUREAU));
        _actor(A_BUREAU_A_NEXT, "bureauTownA-next", _r(Roles.BUREAU));
        _actor(A_BUREAU_B_NEXT, "bureauTownB-next", _r(Roles.BUREAU));
        _actor(A_DEPT_0, "dept0", _r(Roles.REVIEWER));
        _actor(A_DEPT_1, "dept1", _r(Roles.REVIEWER) | _r(Roles.DISBURSER));
        _actor(A_DEPT_2, "dept2", _r(Roles.REVIEWER));
        _actor(A_DEPT_3, "dept3", _r(Roles.REVIEWER) | _r(Roles.CIVIL_AFFAIRS));
    }

    function _actor(uint256 i, string memory name, uint256 roles) private {
        (address a, uint256 key) = _addrAndKey(name);
        actors[i] = a;
        keys[i] = key;
        roleMask[a] = roles;
        vm.label(a, name);
    }

    /// @dev The bits of fuzzed `seed` from bit `shift` up, bounded to [0, n).
    function _b(uint256 seed, uint256 shift, uint256 n) internal pure returns (uint256) {
        return bound(seed >> shift, 0, n - 1);
    }

    function _addrAndKey(string memory name) private pure returns (address a, uint256 key) {
        key = uint256(keccak256(abi.encodePacked(name)));
        a = vm.addr(key);
    }

    function _r(uint64 role) private pure returns (uint256) {
        return uint256(1) << role;
    }

    // =============================================================================================
    // Bootstrap: bindings, the programme, 32 households, funding, allocation and four rosters in
    // different states. Run once from the test's setUp, through the same actions the fuzzer calls,
    // so that the ghost model follows. The test must have granted every actor its roles.
    // =============================================================================================

    function bootstrap() external {
        require(!bootstrapped, "bootstrapped");
        bootstrapped = true;
        address governor = actors[A_GOVERNOR];
        _bindBureau(G_COUNTY, actors[A_BUREAU_COUNTY], governor);
        _bindBureau(G_TOWN_A, actors[A_BUREAU_A], governor);
        _bindBureau(G_TOWN_B, actors[A_BUREAU_B], governor);
        _bindBureau(G_TOWN_C, actors[A_BUREAU_C], governor);
        _bindBureau(G_VILLAGE_A, actors[A_BUREAU_VILLAGE_A], governor);
        _bindBureau(G_OTHER, actors[A_BUREAU_OTHER], governor);
        for (uint8 d = 0; d < 4; ++d) {
            address account = actors[A_DEPT_0 + d];
            vm.prank(governor);
            directory.setDepartment(d, account);
            deptAccount[d] = account;
            bindKind[account] = uint8(IDirectory.BindingKind.Department);
            bindId[account] = d;
        }

        ceiling = INITIAL_CEILING;
        cap = INITIAL_CAP;
        publicity = INITIAL_PUBLICITY;
        required = INITIAL_REQUIRED;
        vm.prank(actors[A_PROGRAMME_ADMIN]);
        pid = programmes.createProgramme(EARMARK, 2026, regionCode[G_COUNTY], _terms());

        // 32 households; then money down the tree.
        for (uint256 i = 0; i < 4; ++i) _must(_register(0, 8, 2), "register");
        _must(_fund(0, 30_000_000), "fund");
        _must(_allocate(0, G_COUNTY, G_TOWN_A, 6_000_000), "allocate A");
        _must(_allocate(0, G_COUNTY, G_TOWN_B, 6_000_000), "allocate B");
        _must(_allocate(0, G_COUNTY, G_TOWN_C, 6_000_000), "allocate C");
        _must(_allocate(0, G_TOWN_A, G_VILLAGE_A, 1_000_000), "allocate village A");

        // Roster 1 (town A, 3 lines): signed off by transaction, publicity over: Payable.
        uint64 r1 = _submit(0, G_TOWN_A, 3, 0x030201, 0, 0);
        _must(r1 == 1, "roster 1");
        for (uint256 d = 0; d < 3; ++d) _must(_approve(0, r1, actors[A_DEPT_0 + d]), "approve 1");
        // Roster 2 (town B, 2 lines): signed off by seals.
        uint64 r2 = _submit(0, G_TOWN_B, 2, 0x0504, 0, 0);
        _must(r2 == 2, "roster 2");
        _must(_approveBySig(r2, 0), "seal 2");
        vm.warp(block.timestamp + INITIAL_PUBLICITY + 1);
        vm.roll(block.number + 1);
        // Roster 3 (town C, 4 lines) signed off, in publicity; roster 4 (county, 1 line) awaiting sign-off.
        uint64 r3 = _submit(0, G_TOWN_C, 4, 0x09080706, 0, 0);
        _must(r3 == 3, "roster 3");
        _must(_approveBySig(r3, 0), "seal 3");
        uint64 r4 = _submit(0, G_COUNTY, 1, 0x0a, 0, 0);
        _must(r4 == 4, "roster 4");
        _must(unexpectedCount == 0 && forbiddenCount == 0, "bootstrap outcomes");
    }

    function _bindBureau(uint8 g, address account, address governor) private {
        vm.prank(governor);
        directory.setRegionBureau(regionCode[g], account);
        bureauModel[g] = account;
        bindKind[account] = uint8(IDirectory.BindingKind.Bureau);
        bindId[account] = regionCode[g];
    }

    function _must(bool ok, string memory what) private pure {
        require(ok, string.concat("bootstrap: ", what));
    }

    function _terms() private view returns (IProgrammeRegistry.Terms memory) {
        return IProgrammeRegistry.Terms({
            budgetCeiling: ceiling,
            householdCap: cap,
            publicityPeriod: publicity,
            payoutPeriod: 30 days,
            requiredDepartments: required,
            policyDocHash: keccak256("policy"),
            policyURI: "https://policy.example/invariant.pdf"
        });
    }

    // =============================================================================================
    // Actions: money
    // =============================================================================================

    /// @notice PROGRAMME_ADMIN funds the root region.
    function fund(uint256 actorSeed, uint256 amount) external {
        _fund(actorSeed, bound(amount, 0, 5_000_000));
    }

    function _fund(uint256 actorSeed, uint256 amount) private returns (bool) {
        address caller = _pick(actorSeed, actors[A_PROGRAMME_ADMIN], address(0));
        uint256 reasons = _paused(_c(C_LEDGER)) | _role(caller, Roles.PROGRAMME_ADMIN);
        if (amount == 0 || tot.funded + amount > ceiling) reasons |= R_AMOUNT;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(ledger), abi.encodeCall(ledger.fundProgramme, (pid, uint128(amount))));
        if (!_outcome("fundProgramme", ok, reasons, err)) return ok;
        IBudgetLedger.Balance storage root = bal[G_COUNTY];
        root.received += uint128(amount);
        root.available += uint128(amount);
        tot.funded += uint128(amount);
        sumFunded += amount;
        return true;
    }

    /// @notice A bureau allocates budget down the tree (mostly along valid edges).
    function allocate(uint256 actorSeed, uint256 edgeSeed, uint256 amount) external {
        (uint8 from, uint8 to) = _edge(edgeSeed);
        _allocate(actorSeed, from, to, bound(amount, 0, 2_000_000));
    }

    function _allocate(uint256 actorSeed, uint8 from, uint8 to, uint256 amount) private returns (bool) {
        address caller = _pick(actorSeed, bureauModel[from], address(0));
        uint256 reasons = _paused(_c(C_LEDGER)) | _role(caller, Roles.BUREAU) | _bureau(caller, from);
        if (amount == 0 || bal[from].available < amount) reasons |= R_AMOUNT;
        if (to == G_COUNTY || !_isAncestor(from, to)) reasons |= R_TAMPERED;
        if (bal[to].parent != 0 && bal[to].parent != regionCode[from]) reasons |= R_TAMPERED;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(
            address(ledger), abi.encodeCall(ledger.allocate, (pid, regionCode[from], regionCode[to], uint128(amount)))
        );
        if (!_outcome("allocate", ok, reasons, err)) return ok;
        if (bal[to].parent == 0) bal[to].parent = regionCode[from];
        bal[from].available -= uint128(amount);
        bal[from].allocatedOut += uint128(amount);
        bal[to].received += uint128(amount);
        bal[to].available += uint128(amount);
        sumAllocated += amount;
        return true;
    }

    /// @notice A bureau reclaims available budget from a child (sometimes naming the wrong parent).
    function reclaim(uint256 actorSeed, uint256 childSeed, uint256 amount) external {
        uint8 child = uint8(bound(childSeed, 0, N_REGIONS - 1));
        uint8 parent = _regionIndex(bal[child].parent);
        if (parent == type(uint8).max || _b(childSeed, 16, 6) == 0) parent = uint8(_b(childSeed, 24, N_REGIONS));
        amount = bound(amount, 0, uint256(bal[child].available) + 1000);
        address caller = _pick(actorSeed, bureauModel[parent], address(0));
        uint256 reasons = _paused(_c(C_LEDGER)) | _role(caller, Roles.BUREAU) | _bureau(caller, parent);
        if (amount == 0 || bal[child].available < amount) reasons |= R_AMOUNT;
        if (bal[child].parent != regionCode[parent]) reasons |= R_TAMPERED;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(
            address(ledger), abi.encodeCall(ledger.reclaim, (pid, regionCode[parent], regionCode[child], uint128(amount)))
        );
        if (!_outcome("reclaim", ok, reasons, err)) return;
        bal[child].available -= uint128(amount);
        bal[child].received -= uint128(amount);
        bal[parent].allocatedOut -= uint128(amount);
        bal[parent].available += uint128(amount);
        sumReclaimed += amount;
    }

    // =============================================================================================
    // Actions: households
    // =============================================================================================

    /// @notice CIVIL_AFFAIRS registers 1-3 households (sometimes a duplicate or zero commitment, or a
    /// person registered already under a new commitment: a second identity).
    function registerHouseholds(uint256 actorSeed, uint256 count, uint256 badSeed) external {
        _register(actorSeed, bound(count, 1, 3), badSeed);
    }

    function _register(uint256 actorSeed, uint256 count, uint256 badSeed) private returns (bool) {
        if (hhCount + count > MAX_HOUSEHOLDS) return false;
        address caller = _pick(actorSeed, actors[A_CIVIL_AFFAIRS], address(0));
        uint256 reasons = _paused(_c(C_HOUSEHOLDS)) | _role(caller, Roles.CIVIL_AFFAIRS);
        bytes32[] memory commitments = new bytes32[](count);
        bytes32[] memory people = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            commitments[i] = _commitment(hhCount + 1 + i);
            people[i] = _person(hhCount + 1 + i);
        }
        uint256 bad = _b(badSeed, 0, 8);
        if (bad == 0 && hhCount > 0) {
            commitments[count - 1] = _commitment(1 + _b(badSeed, 8, hhCount)); // already registered
            reasons |= R_TAMPERED;
        } else if (bad == 1) {
            commitments[0] = bytes32(0);
            reasons |= R_TAMPERED;
        } else if (bad == 3 && hhCount > 0) {
            people[count - 1] = _person(1 + _b(badSeed, 8, hhCount)); // a registered person, a new commitment
            reasons |= R_TAMPERED;
        }
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(
            address(households),
            abi.encodeCall(households.registerHouseholds, (commitments, people, keccak256("attestation")))
        );
        if (!_outcome("registerHouseholds", ok, reasons, err)) return ok;
        hhCount += uint64(count);
        return true;
    }

    function _commitment(uint256 id) private pure returns (bytes32) {
        return keccak256(abi.encode("household", id));
    }

    function _person(uint256 id) private pure returns (bytes32) {
        return keccak256(abi.encode("person", id));
    }

    /// @notice CIVIL_AFFAIRS suspends a household (ids include 0 and unregistered ones).
    function suspendHousehold(uint256 actorSeed, uint256 householdSeed, uint256 reason) external {
        uint64 h = uint64(bound(householdSeed, 0, hhCount + 2));
        address caller = _pick(actorSeed, actors[A_CIVIL_AFFAIRS], address(0));
        uint256 reasons = _paused(_c(C_HOUSEHOLDS)) | _role(caller, Roles.CIVIL_AFFAIRS);
        if (h == 0 || h > hhCount || suspendedModel[h]) reasons |= R_WRONG_STATE;
        IHouseholdRegistry.SuspensionReason why = IHouseholdRegistry.SuspensionReason(bound(reason, 0, 3));
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(households), abi.encodeCall(households.suspendHousehold, (h, why, keccak256("why"))));
        if (!_outcome("suspendHousehold", ok, reasons, err)) return;
        suspendedModel[h] = true;
        deceasedModel[h] = why == IHouseholdRegistry.SuspensionReason.Deceased;
    }

    /// @notice CIVIL_AFFAIRS reinstates a household (mostly a suspended one). A household suspended as
    /// deceased takes two different civil-affairs accounts: the first proposes, the second reinstates;
    /// the proposer confirming its own proposal is forbidden.
    function reinstateHousehold(uint256 actorSeed, uint256 householdSeed) external {
        uint64 h = uint64(bound(householdSeed, 0, hhCount + 2));
        if (_b(householdSeed, 128, 4) != 0) {
            for (uint64 k = 0; k < hhCount; ++k) {
                uint64 c = 1 + (h + k) % hhCount;
                if (suspendedModel[c]) {
                    h = c;
                    break;
                }
            }
        }
        address office = _b(actorSeed, 64, 2) == 0 ? actors[A_CIVIL_AFFAIRS] : actors[A_DEPT_3];
        address caller = _pick(actorSeed, office, address(0));
        uint256 reasons = _paused(_c(C_HOUSEHOLDS)) | _role(caller, Roles.CIVIL_AFFAIRS);
        if (h == 0 || h > hhCount || !suspendedModel[h]) reasons |= R_WRONG_STATE;
        else if (deceasedModel[h] && proposerModel[h] == caller) reasons |= R_REPEAT; // one key cannot undo a death
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(households), abi.encodeCall(households.reinstateHousehold, (h, keccak256("back"))));
        if (!_outcome("reinstateHousehold", ok, reasons, err)) return;
        if (deceasedModel[h] && proposerModel[h] == address(0)) {
            proposerModel[h] = caller; // proposed; still suspended
            return;
        }
        suspendedModel[h] = false;
        deceasedModel[h] = false;
        proposerModel[h] = address(0);
    }

    // =============================================================================================
    // Actions: rosters
    // =============================================================================================

    /// @notice A bureau submits a roster of 1-4 lines. Households include unregistered ids; the declared
    /// total is usually the sum of the lines, sometimes more, less or out of range.
    function submitRoster(
        uint256 actorSeed,
        uint256 regionSeed,
        uint256 lineSeed,
        uint256 householdSeed,
        uint256 amountSeed,
        uint256 totalSeed
    ) external {
        uint8 g = _b(regionSeed, 0, 8) == 0 ? uint8(_b(regionSeed, 8, N_REGIONS)) : uint8(_b(regionSeed, 8, 5));
        _submit(
            actorSeed,
            g,
            uint8(bound(lineSeed, 1, 4)),
            householdSeed,
            amountSeed,
            totalSeed
        );
    }

    /// @dev Households: byte i of `householdSeed` (mod hhCount + 4, plus 1) unless it is zero in the
    /// bootstrap; amounts: 40-bit groups of `amountSeed` (mod cap, plus 1), or fixed in the bootstrap.
    function _submit(uint256 actorSeed, uint8 g, uint8 n, uint256 householdSeed, uint256 amountSeed, uint256 totalSeed)
        private
        returns (uint64 id)
    {
        if (rosterCount >= MAX_ROSTERS) return 0;
        uint64[4] memory hh;
        uint128[4] memory amt;
        uint256 sum = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint8 hb = uint8(householdSeed >> (8 * i));
            if (amountSeed == 0) {
                hh[i] = hb; // fixed lines (bootstrap)
            } else if (hb >= 64) {
                hh[i] = 1 + (householdCursor++ % hhCount); // fresh households, in turn
            } else {
                hh[i] = uint64(1 + bound(hb, 0, hhCount + 3)); // any id, unregistered ones included
            }
            uint256 range = _b(amountSeed, 160 + 8 * i, 4) == 0 ? cap : cap / 2;
            amt[i] = amountSeed == 0 ? uint128(10_000 * (i + 1)) : uint128(1 + _b(amountSeed & ((uint256(1) << (40 * i + 40)) - 1), 40 * i, range));
            sum += amt[i];
        }
        if (_b(amountSeed, 200, 16) == 15) {
            sum = sum - amt[0] + cap + 1; // one line above the cap: unpayable as long as the cap stays
            amt[0] = cap + 1;
        }
        uint256 total = sum;
        uint256 mode = _b(totalSeed, 0, 10);
        if (mode == 6 || mode == 7) {
            total = sum + 1 + _b(totalSeed, 8, 100_000); // more than the lines: closing releases the rest
        } else if (mode == 8) {
            uint256 less = _b(totalSeed, 8, sum);
            total = sum - less < n ? n : sum - less; // less than the lines: the last payouts overspend
        } else if (mode == 9) {
            total = _b(totalSeed, 8, 2) == 0 ? n - 1 : uint256(n) * cap + 1; // invalid
        }

        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) leaves[i] = RosterTree.leaf(uint32(i), hh[i], amt[i]);
        bytes32 root = RosterTree.build(leaves)[0];
        bool zeroRoot = _b(totalSeed, 128, 32) == 31;
        IRosterBook.Submission memory sub = IRosterBook.Submission({
            programmeId: pid,
            region: regionCode[g],
            root: zeroRoot ? bytes32(0) : root,
            lineCount: n,
            total: uint128(total),
            documentHash: keccak256(abi.encode("published list", rosterCount + 1)),
            documentURI: "https://rosters.example/list.pdf"
        });

        address caller = _pick(actorSeed, bureauModel[g], address(0));
        uint256 reasons =
            _paused(_c(C_ROSTERS) | _c(C_LEDGER)) | _role(caller, Roles.BUREAU) | _bureau(caller, g);
        if (zeroRoot || total < n || total > uint256(n) * cap) reasons |= R_TAMPERED;
        if (bal[g].available < total) reasons |= R_AMOUNT;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(rosters), abi.encodeCall(rosters.submitRoster, (sub)));
        if (!_outcome("submitRoster", ok, reasons, err)) return 0;

        id = ++rosterCount;
        GhostRoster storage r = gr[id];
        r.region = g;
        r.n = n;
        r.submitter = caller;
        r.total = uint128(total);
        r.required = required;
        r.publicity = publicity;
        r.submittedAt = uint40(block.timestamp);
        r.root = root;
        r.documentHash = sub.documentHash;
        r.household = hh;
        r.amount = amt;
        bal[g].available -= uint128(total);
        bal[g].reserved += uint128(total);
        tot.reserved += uint128(total);
        sumReserved += total;
    }

    /// @notice The region's current bureau withdraws a roster awaiting sign-off.
    function withdrawRoster(uint256 actorSeed, uint256 rosterSeed) external {
        if (_b(rosterSeed, 0, 3) != 0) return; // rarer than approvals, so that rosters live on
        uint64 id = _pickRoster(rosterSeed >> 8, IRosterBook.RosterState.AwaitingSignOff);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        address caller = _pick(actorSeed, bureauModel[r.region], r.submitter);
        uint256 reasons =
            _paused(_c(C_ROSTERS) | _c(C_LEDGER)) | _role(caller, Roles.BUREAU) | _bureau(caller, r.region);
        if (_state(id) != IRosterBook.RosterState.AwaitingSignOff) reasons |= R_WRONG_STATE;
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(rosters), abi.encodeCall(rosters.withdrawRoster, (id, keccak256("withdrawn"))));
        if (!_outcome("withdrawRoster", ok, reasons, err)) return;
        r.ending = uint8(IRosterBook.Ending.Withdrawn);
        _releaseRest(r);
    }

    /// @notice A department approves by transaction (legitimately: the first required department missing).
    function approveRoster(uint256 actorSeed, uint256 rosterSeed) external {
        uint64 id = _pickRoster(rosterSeed, IRosterBook.RosterState.AwaitingSignOff);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        _approve(actorSeed, id, _pick(actorSeed, _missingDept(r, actorSeed >> 64), r.submitter));
    }

    function _approve(uint256, uint64 id, address caller) private returns (bool) {
        GhostRoster storage r = gr[id];
        uint256 reasons = _paused(_c(C_ROSTERS)) | _role(caller, Roles.REVIEWER) | _reviewer(caller, r);
        if (_state(id) != IRosterBook.RosterState.AwaitingSignOff) reasons |= R_WRONG_STATE;
        if (_isDept(caller) && (r.approvals >> bindId[caller]) & 1 == 1) reasons |= R_REPEAT;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(rosters), abi.encodeCall(rosters.approveRoster, (id)));
        if (!_outcome("approveRoster", ok, reasons, err)) return ok;
        _recordApproval(r, bindId[caller]);
        return true;
    }

    /// @notice A relayer submits EIP-712 seals of the missing departments; variants forge them.
    function approveRosterBySig(uint256 rosterSeed, uint256 variant) external {
        uint64 id = _pickRoster(rosterSeed, IRosterBook.RosterState.AwaitingSignOff);
        if (id == 0) return;
        _approveBySig(id, variant);
    }

    /// @dev variant (bounded to 0-7): 0-4 honest (all missing departments, or a subset); 5 expired; 6 a hostile signer
    /// (the submitter, a department not required, the outsider); 7 a department claiming another's bit, or a
    /// seal with a nonce out of sequence.
    function _approveBySig(uint64 id, uint256 variant) private returns (bool) {
        GhostRoster storage r = gr[id];
        uint256 kind = _b(variant, 0, 8);
        uint256 reasons = _paused(_c(C_ROSTERS));
        if (_state(id) != IRosterBook.RosterState.AwaitingSignOff) reasons |= R_WRONG_STATE;

        address[] memory signers = new address[](5);
        uint8[] memory claimed = new uint8[](5);
        uint256 count = 0;
        uint256 pickMask = kind <= 2 ? type(uint256).max : (variant >> 8) | 1;
        uint256 seen = 0;
        for (uint8 d = 0; d < 4; ++d) {
            if ((r.required >> d) & 1 == 0 || (r.approvals >> d) & 1 == 1) continue;
            if ((pickMask >> seen++) & 1 == 0) continue;
            signers[count] = deptAccount[d];
            claimed[count++] = d;
        }
        if (kind == 5 && count == 0) kind = 6;
        if (kind == 6) {
            uint256 who = _b(variant, 16, 3);
            address hostile = who == 0 ? r.submitter : who == 1 ? deptAccount[3] : actors[A_OUTSIDER];
            uint8 d = uint8(_b(variant, 24, 3));
            signers[count] = hostile;
            claimed[count++] = (hostile == deptAccount[3] && (r.required >> 3) & 1 == 0) ? 3 : d;
        }
        bool skipNonce = false;
        if (kind == 7 && count > 0) {
            if (_b(variant, 32, 2) == 0) {
                claimed[0] = uint8((claimed[0] + 1 + _b(variant, 24, 3)) % 4); // the seal claims another department
            } else {
                skipNonce = true; // the first seal skips a nonce of its signer's sequence
            }
            reasons |= R_TAMPERED;
        }
        address first = signers[0];
        if (count == 0) return false;

        // Per signer: what the contract checks, as the rules state them.
        for (uint256 i = 0; i < count; ++i) {
            address signer = signers[i];
            reasons |= _role(signer, Roles.REVIEWER) | _reviewer(signer, r);
            if (_isDept(signer) && bindId[signer] != claimed[i]) reasons |= R_TAMPERED;
            if (_isDept(signer) && (r.approvals >> bindId[signer]) & 1 == 1) reasons |= R_REPEAT;
        }
        // Sort by signer address (ascending), as the contract requires.
        for (uint256 i = 1; i < count; ++i) {
            for (uint256 j = i; j > 0 && signers[j - 1] > signers[j]; --j) {
                (signers[j - 1], signers[j]) = (signers[j], signers[j - 1]);
                (claimed[j - 1], claimed[j]) = (claimed[j], claimed[j - 1]);
            }
        }
        uint256 deadline = kind == 5 ? block.timestamp - 1 : block.timestamp + 1 days;
        if (kind == 5) reasons |= R_TAMPERED;
        IRosterBook.SignedApproval[] memory seals = new IRosterBook.SignedApproval[](count);
        for (uint256 i = 0; i < count; ++i) {
            uint256 nonce = (uint256(id) << 64) | (sigSeq[signers[i]][id] + (skipNonce && signers[i] == first ? 1 : 0));
            bytes32 digest = rosters.approvalDigest(id, claimed[i], nonce, deadline);
            (uint8 v, bytes32 sr, bytes32 ss) = vm.sign(keys[_indexOf(signers[i])], digest);
            seals[i] = IRosterBook.SignedApproval(claimed[i], nonce, deadline, abi.encodePacked(sr, ss, v));
        }

        vm.prank(actors[A_RESIDENT]);
        (bool ok, bytes memory err) = _call(address(rosters), abi.encodeCall(rosters.approveRosterBySig, (id, seals)));
        if (!_outcome("approveRosterBySig", ok, reasons, err)) return ok;
        for (uint256 i = 0; i < count; ++i) {
            ++sigSeq[signers[i]][id];
            _recordApproval(r, claimed[i]);
        }
        return true;
    }

    function _recordApproval(GhostRoster storage r, uint64 dept) private {
        r.approvals |= uint256(1) << dept;
        if (r.approvals == r.required) r.approvedAt = uint40(block.timestamp);
    }

    /// @notice A required department rejects a roster awaiting sign-off.
    function rejectRoster(uint256 actorSeed, uint256 rosterSeed) external {
        if (_b(rosterSeed, 0, 3) != 0) return;
        uint64 id = _pickRoster(rosterSeed >> 8, IRosterBook.RosterState.AwaitingSignOff);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        address caller = _pick(actorSeed, _requiredDept(r, actorSeed >> 64), r.submitter);
        uint256 reasons =
            _paused(_c(C_ROSTERS) | _c(C_LEDGER)) | _role(caller, Roles.REVIEWER) | _reviewer(caller, r);
        if (_state(id) != IRosterBook.RosterState.AwaitingSignOff) reasons |= R_WRONG_STATE;
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(rosters), abi.encodeCall(rosters.rejectRoster, (id, keccak256("rejected"))));
        if (!_outcome("rejectRoster", ok, reasons, err)) return;
        r.ending = uint8(IRosterBook.Ending.Rejected);
        _releaseRest(r);
    }

    /// @notice A resident objects to a line of a roster in publicity (index may be out of range).
    function objectToLine(uint256 actorSeed, uint256 rosterSeed, uint256 lineSeed) external {
        if (_b(lineSeed, 0, 2) == 0) return; // half as often as other actions: objections freeze lines
        uint64 id = _pickRoster(rosterSeed, IRosterBook.RosterState.InPublicity);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint32 line = uint32(bound(lineSeed >> 8, 0, r.n));
        address caller = _pick(actorSeed, actors[A_RESIDENT], address(0));
        if (caller == actors[A_OUTSIDER]) caller = actors[A_RESIDENT]; // the outsider only ever attempts restricted writes
        // Objections stay open while the suite is paused: a pause never eats a resident's time to object.
        uint256 reasons = 0;
        if (_state(id) != IRosterBook.RosterState.InPublicity) reasons |= R_WRONG_STATE;
        if (line >= r.n) reasons |= R_TAMPERED;
        else if (r.hold[line] != uint8(IRosterBook.LineHold.None)) reasons |= R_REPEAT;
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(rosters), abi.encodeCall(rosters.objectToLine, (id, line, keccak256("evidence"))));
        if (!_outcome("objectToLine", ok, reasons, err)) return;
        r.hold[line] = uint8(IRosterBook.LineHold.Frozen);
        ++r.openObjections;
        // The one write a pause lets through: the paused RosterBook's state moves by this objection only.
        if ((pausedMask >> C_ROSTERS) & 1 == 1) pausedDigest[C_ROSTERS] = digestOf(C_ROSTERS);
    }

    /// @notice A required department upholds or dismisses an objection, proving the line (sometimes forged).
    function resolveObjection(uint256 actorSeed, uint256 rosterSeed, uint256 lineSeed, bool upheld) external {
        uint64 id = _pickRosterWith(rosterSeed, _hasObjection);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint8 line = uint8(bound(lineSeed, 0, r.n - 1));
        for (uint8 k = 0; k < r.n; ++k) {
            uint8 c = uint8((line + k) % r.n);
            if (r.hold[c] == uint8(IRosterBook.LineHold.Frozen)) {
                line = c;
                break;
            }
        }
        Line memory l = Line(line, r.household[line], r.amount[line]);
        uint256 reasons = 0;
        if (_b(lineSeed, 64, 8) == 0) {
            l.amount += 1; // a forged line: the proof no longer holds
            reasons |= R_TAMPERED;
        }
        bytes32[] memory proof = RosterTree.proof(_tree(r), line);
        uint128 released = 0;
        if (upheld) {
            uint128 remaining = _remaining(r);
            released = l.amount < remaining ? l.amount : remaining;
        }
        address caller = _pick(actorSeed, _requiredDept(r, actorSeed >> 64), r.submitter);
        reasons |= _paused(_c(C_ROSTERS) | (released != 0 ? _c(C_LEDGER) : 0)) | _role(caller, Roles.REVIEWER)
            | _reviewer(caller, r);
        if (r.hold[line] != uint8(IRosterBook.LineHold.Frozen)) reasons |= R_WRONG_STATE;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(
            address(rosters), abi.encodeCall(rosters.resolveObjection, (id, l, proof, upheld, keccak256("resolved")))
        );
        if (!_outcome("resolveObjection", ok, reasons, err)) return;
        --r.openObjections;
        if (upheld) {
            ++r.excludedLines;
            r.hold[line] = uint8(IRosterBook.LineHold.Excluded);
            r.excluded += released;
            _moveReservedToAvailable(r.region, released);
            sumExcluded += released;
        } else {
            r.hold[line] = uint8(IRosterBook.LineHold.None);
        }
    }

    /// @notice The region's current bureau closes a Payable roster. With lines still owed (unpaid, not
    /// held) it only requests the closing, with a reason (sometimes none: forbidden).
    function closeRoster(uint256 actorSeed, uint256 rosterSeed) external {
        if (_b(rosterSeed, 0, 2) != 0) return;
        uint64 id = _pickRoster(rosterSeed >> 8, IRosterBook.RosterState.Payable);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint128 rest = _remaining(r);
        uint256 owed = _owedLines(r);
        bytes32 reason = _b(actorSeed, 200, 8) == 0 ? bytes32(0) : keccak256("closing with lines owed");
        address caller = _pick(actorSeed, bureauModel[r.region], r.submitter);
        uint256 reasons = _paused(_c(C_ROSTERS) | (rest != 0 && owed == 0 ? _c(C_LEDGER) : 0))
            | _role(caller, Roles.BUREAU) | _bureau(caller, r.region);
        if (_state(id) != IRosterBook.RosterState.Payable) reasons |= R_WRONG_STATE;
        if (r.openObjections != 0) reasons |= R_WRONG_STATE;
        if (owed != 0 && reason == bytes32(0)) reasons |= R_TAMPERED; // dropping lines needs a reason
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(rosters), abi.encodeCall(rosters.closeRoster, (id, reason)));
        if (!_outcome("closeRoster", ok, reasons, err)) return;
        if (owed != 0) {
            r.closeRequested = true;
            return;
        }
        r.ending = uint8(IRosterBook.Ending.Closed);
        _releaseRest(r);
    }

    /// @notice A required department co-signs a requested closing (sometimes the submitter tries, or a
    /// department the roster does not require, or there is no request).
    function confirmClose(uint256 actorSeed, uint256 rosterSeed) external {
        uint64 id = _pickRosterWith(rosterSeed, _hasCloseRequest);
        if (id == 0) id = _pickRoster(rosterSeed >> 8, IRosterBook.RosterState.Payable);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint128 rest = _remaining(r);
        address caller = _pick(actorSeed, _requiredDept(r, actorSeed >> 64), r.submitter);
        uint256 reasons = _paused(_c(C_ROSTERS) | (rest != 0 ? _c(C_LEDGER) : 0)) | _role(caller, Roles.REVIEWER)
            | _reviewer(caller, r);
        if (_state(id) != IRosterBook.RosterState.Payable || !r.closeRequested) reasons |= R_WRONG_STATE;
        if (r.openObjections != 0) reasons |= R_WRONG_STATE;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(rosters), abi.encodeCall(rosters.confirmClose, (id)));
        if (!_outcome("confirmClose", ok, reasons, err)) return;
        r.ending = uint8(IRosterBook.Ending.Closed);
        _releaseRest(r);
    }

    /// @dev A reversal id from `seed`: mostly the first one in `status` from a seeded start, else any.
    function _pickReversal(uint256 seed, IDisbursement.ReversalStatus status) private view returns (uint256 rid) {
        rid = 1 + _b(seed, 0, reversalCount);
        for (uint256 k = 0; k < reversalCount && _b(seed, 128, 4) != 0; ++k) {
            uint256 c = 1 + (rid - 1 + k) % reversalCount;
            if (grev[c].status == uint8(status)) return c;
        }
    }

    function _hasCloseRequest(uint64 id) private view returns (bool) {
        return gr[id].closeRequested && _state(id) == IRosterBook.RosterState.Payable;
    }

    /// @dev Lines the roster still owes: neither paid nor held (frozen or excluded).
    function _owedLines(GhostRoster storage r) private view returns (uint256 n) {
        for (uint256 i = 0; i < r.n; ++i) {
            if (r.status[i] == uint8(IDisbursement.LineStatus.Unpaid) && r.hold[i] == uint8(IRosterBook.LineHold.None)) ++n;
        }
    }

    // =============================================================================================
    // Actions: payout, settlement, reversal
    // =============================================================================================

    /// @notice A disburser records the payout of one line, a subset, or the whole roster, with a
    /// multiproof. Sometimes the submitter tries; sometimes a line is forged.
    function recordPayouts(uint256 actorSeed, uint256 rosterSeed, uint256 maskSeed) external {
        uint64 id = _pickRosterWith(rosterSeed, _hasPayableLine);
        if (id == 0) id = _pickRoster(rosterSeed, IRosterBook.RosterState.Payable);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint256 full = (uint256(1) << r.n) - 1;
        uint256 mode = _b(maskSeed, 0, 3);
        uint256 mask = mode == 0 ? full : mode == 1 ? uint256(1) << _b(maskSeed, 8, r.n) : 1 + _b(maskSeed, 8, full);
        if (_b(maskSeed, 64, 4) != 0) {
            uint256 open = _payableLines(r);
            if (mask & open != 0) mask &= open;
            else if (open != 0) mask = open;
            // Keep the batch within what the roster still reserves (a roster may declare less than its lines).
            uint256 room = _remaining(r);
            for (uint256 i = 0; i < r.n; ++i) {
                if ((mask >> i) & 1 == 0) continue;
                if (r.amount[i] > room && mask != uint256(1) << i) mask &= ~(uint256(1) << i);
                else room = r.amount[i] > room ? 0 : room - r.amount[i];
            }
        }
        address caller = _pick(actorSeed, _disburserFor(r, actorSeed >> 64), r.submitter);
        bool forged = _b(maskSeed, 96, 16) == 0;
        _payout(id, mask, caller, forged);
    }

    function _payout(uint64 id, uint256 mask, address caller, bool forged) private {
        GhostRoster storage r = gr[id];
        (uint32[] memory lines,, bytes32[] memory proof,) = RosterTree.multiProof(_tree(r), mask);
        uint256[] memory packed = new uint256[](lines.length);
        uint256 reasons = _paused(_c(C_DISBURSEMENT) | _c(C_ROSTERS) | _c(C_LEDGER))
            | _role(caller, Roles.DISBURSER);
        if (caller == r.submitter) reasons |= R_SUBMITTER_DISBURSES;
        if (_state(id) != IRosterBook.RosterState.Payable) reasons |= R_NOT_PAYABLE;
        uint256 sum = 0;
        for (uint256 k = 0; k < lines.length; ++k) {
            uint32 i = lines[k];
            uint64 h = r.household[i];
            uint128 a = r.amount[i];
            if (forged && k == 0) {
                a = a == 1 ? 2 : a - 1; // a forged amount: the multiproof fails
                reasons |= R_TAMPERED;
            }
            packed[k] = LinePacking.pack(i, h, a);
            sum += a;
            if (a == 0 || a > cap) reasons |= R_AMOUNT;
            if (r.status[i] != uint8(IDisbursement.LineStatus.Unpaid)) reasons |= R_DOUBLE_PAY;
            if (r.hold[i] != uint8(IRosterBook.LineHold.None)) reasons |= R_LINE_HELD;
            if (h == 0 || h > hhCount || suspendedModel[h]) reasons |= R_HOUSEHOLD;
            if (livePayouts[h] != 0) reasons |= R_DOUBLE_PAY;
            for (uint256 j = 0; j < k; ++j) {
                if (r.household[lines[j]] == h) reasons |= R_DOUBLE_PAY; // twice in one batch
            }
        }
        if (sum > _remaining(r)) reasons |= R_AMOUNT;

        // What the suite says just before the call: kept as evidence if the call succeeds.
        PayRecord[] memory evidence = _evidence(id, lines, caller);
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(disbursement), abi.encodeCall(disbursement.recordPayouts, (id, packed, proof)));
        if (ok) {
            for (uint256 k = 0; k < lines.length; ++k) payRec[id][lines[k]] = evidence[k];
        }
        if (!_outcome("recordPayouts", ok, reasons, err)) return;

        // The batch id, as the bank and the disburser learn it: the roster's batchCount after the payout.
        uint32 batchId = disbursement.batchCount(id);
        if (batchId != ++r.batchCount) _unexpected("recordPayouts: batchCount is not the model's");
        uint8 batch = uint8(batchId);
        r.batchMask[batch] = uint8(mask);
        for (uint256 k = 0; k < lines.length; ++k) {
            uint32 i = lines[k];
            r.status[i] = uint8(IDisbursement.LineStatus.Paid);
            r.batchOf[i] = batch;
            ++livePayouts[r.household[i]];
        }
        r.paid += uint128(sum);
        bal[r.region].reserved -= uint128(sum);
        bal[r.region].paid += uint128(sum);
        tot.reserved -= uint128(sum);
        tot.paid += uint128(sum);
        sumPaidGross += sum;
    }

    function _evidence(uint64 id, uint32[] memory lines, address caller) private view returns (PayRecord[] memory e) {
        IRosterBook.Roster memory onChain = rosters.roster(id);
        uint8 state = uint8(rosters.rosterState(id));
        e = new PayRecord[](lines.length);
        for (uint256 k = 0; k < lines.length; ++k) {
            uint64 h = gr[id].household[lines[k]];
            e[k] = PayRecord({
                exists: true,
                stateAtPay: state,
                approvalsAtPay: onChain.approvals,
                requiredAtPay: onChain.requiredDepartments,
                approvedAtAtPay: onChain.approvedAt,
                publicityAtPay: onChain.publicityPeriod,
                paidAt: uint40(block.timestamp),
                holdAtPay: uint8(rosters.lineHold(id, lines[k])),
                householdPaidBefore: disbursement.isHouseholdPaid(pid, h),
                householdStatusAtPay: uint8(households.statusOf(h)),
                payer: caller,
                submitter: onChain.submitter
            });
        }
    }

    /// @notice The bank confirms paid lines (sometimes lines that are not Paid; sometimes the disburser tries).
    function confirmPayouts(uint256 actorSeed, uint256 rosterSeed, uint256 maskSeed) external {
        uint64 id = _pickRosterWith(rosterSeed, _hasPaidLine);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint256 mask = 1 + _b(maskSeed, 0, (uint256(1) << r.n) - 1);
        if (_b(maskSeed, 64, 4) != 0) {
            uint256 paidLines = _linesIn(r, IDisbursement.LineStatus.Paid);
            if (mask & paidLines != 0) mask &= paidLines;
        }
        uint32[] memory lines = _maskToLines(mask);
        bytes32[] memory refs = new bytes32[](lines.length);
        address caller = _pick(actorSeed, actors[A_BANK], actors[A_DISBURSER]);
        uint256 reasons = _paused(_c(C_DISBURSEMENT)) | _role(caller, Roles.BANK);
        for (uint256 k = 0; k < lines.length; ++k) {
            refs[k] = keccak256(abi.encode("bank ref", id, lines[k]));
            if (r.status[lines[k]] != uint8(IDisbursement.LineStatus.Paid)) reasons |= R_WRONG_STATE;
        }
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(disbursement), abi.encodeCall(disbursement.confirmPayouts, (id, lines, refs)));
        if (!_outcome("confirmPayouts", ok, reasons, err)) return;
        for (uint256 k = 0; k < lines.length; ++k) r.status[lines[k]] = uint8(IDisbursement.LineStatus.Confirmed);
    }

    /// @notice The bank returns lines of one payout batch, presenting the batch (id from batchCount, its
    /// lines). Variants forge the batch id, the lines or the line.
    function returnPayouts(uint256 actorSeed, uint256 rosterSeed, uint256 lineSeed, uint256 maskSeed) external {
        uint64 id = _pickRosterWith(rosterSeed, _hasPaidLine);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint8 line = _paidLine(r, lineSeed, true);
        uint8 batch = r.batchOf[line];
        uint256 mask = (r.batchMask[batch] & ((maskSeed >> 8) | (uint256(1) << line)));
        if (mask == 0) mask = uint256(1) << line; // a line no batch paid (the roster has no batch)
        if (_b(maskSeed, 64, 4) != 0) {
            uint256 paidLines = _linesIn(r, IDisbursement.LineStatus.Paid) & r.batchMask[batch];
            if (mask & paidLines != 0) mask &= paidLines;
        }
        (IDisbursement.PaidBatch memory pb, uint256 reasons) = _batch(id, batch, _b(maskSeed, 0, 16));
        uint32[] memory lines = _maskToLines(mask);
        uint32[] memory positions = new uint32[](lines.length);
        Line[] memory ls = new Line[](lines.length);
        bytes32[] memory refs = new bytes32[](lines.length);
        uint256 sum = 0;
        for (uint256 k = 0; k < lines.length; ++k) {
            uint32 i = lines[k];
            positions[k] = _position(r.batchMask[batch], i);
            ls[k] = Line(i, r.household[i], r.amount[i]);
            refs[k] = keccak256(abi.encode("bank return", id, i));
            sum += r.amount[i];
            if (r.status[i] != uint8(IDisbursement.LineStatus.Paid)) reasons |= R_WRONG_STATE;
        }
        if (_b(maskSeed, 0, 16) == 3) {
            ls[0].amount += 1; // the line is not the leaf that was paid
            reasons |= R_TAMPERED;
        }
        address caller = _pick(actorSeed, actors[A_BANK], actors[A_DISBURSER]);
        reasons |= _paused(_c(C_DISBURSEMENT) | _c(C_LEDGER)) | _role(caller, Roles.BANK);
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(
            address(disbursement), abi.encodeCall(disbursement.returnPayouts, (id, pb, positions, ls, refs))
        );
        if (!_outcome("returnPayouts", ok, reasons, err)) return;
        for (uint256 k = 0; k < lines.length; ++k) {
            r.status[lines[k]] = uint8(IDisbursement.LineStatus.Returned);
            --livePayouts[r.household[lines[k]]];
        }
        _refund(r.region, sum, true);
    }

    /// @notice A disburser (or dept1, which also holds DISBURSER) requests the reversal of a paid line
    /// (legal only for a line the bank confirmed).
    function requestReversal(uint256 actorSeed, uint256 rosterSeed, uint256 lineSeed, uint256 forgeSeed) external {
        if (reversalCount >= MAX_REVERSALS) return;
        uint64 id = _pickRosterWith(rosterSeed, _hasLivePayout);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint8 line = _paidLine(r, lineSeed, false);
        uint8 batch = r.batchOf[line];
        (IDisbursement.PaidBatch memory pb, uint256 reasons) = _batch(id, batch, _b(forgeSeed, 0, 16));
        Line memory l = Line(line, r.household[line], r.amount[line]);
        if (_b(forgeSeed, 0, 16) == 3) {
            l.household = l.household == 1 ? 2 : l.household - 1; // another household: not the paid leaf
            reasons |= R_TAMPERED;
        }
        address legit = _b(actorSeed, 64, 2) == 0 ? actors[A_DISBURSER] : actors[A_DEPT_1];
        address caller = _pick(actorSeed, legit, actors[A_BANK]);
        reasons |= _paused(_c(C_DISBURSEMENT)) | _role(caller, Roles.DISBURSER);
        // Only a confirmed payout is reversed; the bank returns one it has not confirmed.
        if (r.status[line] != uint8(IDisbursement.LineStatus.Confirmed)) reasons |= R_WRONG_STATE;
        if (r.pendingReversal[line] != 0) reasons |= R_REPEAT;
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(
            address(disbursement),
            abi.encodeCall(disbursement.requestReversal, (id, pb, _position(r.batchMask[batch], line), l, keccak256("why")))
        );
        if (!_outcome("requestReversal", ok, reasons, err)) return;
        uint256 rid = ++reversalCount;
        grev[rid] = GhostReversal(id, line, l.household, l.amount, caller, uint8(IDisbursement.ReversalStatus.Pending));
        r.pendingReversal[line] = rid;
    }

    /// @notice A required department approves a pending reversal (sometimes its requester or the submitter tries).
    function approveReversal(uint256 actorSeed, uint256 reversalSeed) external {
        _reviewReversal(actorSeed, reversalSeed, true);
    }

    /// @notice A required department rejects a pending reversal.
    function rejectReversal(uint256 actorSeed, uint256 reversalSeed) external {
        _reviewReversal(actorSeed, reversalSeed, false);
    }

    function _reviewReversal(uint256 actorSeed, uint256 reversalSeed, bool approve) private {
        if (reversalCount == 0) return;
        uint256 rid = _pickReversal(reversalSeed, IDisbursement.ReversalStatus.Pending);
        GhostReversal storage v = grev[rid];
        GhostRoster storage r = gr[v.rosterId];
        address legit = _requiredDept(r, actorSeed >> 64);
        if (legit == v.requester) legit = _requiredDept(r, (actorSeed >> 64) + 1);
        address special = _b(actorSeed, 128, 2) == 0 ? v.requester : r.submitter;
        address caller = _pick(actorSeed, legit, special);
        uint256 reasons = _paused(_c(C_DISBURSEMENT)) | _role(caller, Roles.REVIEWER);
        if (v.status != uint8(IDisbursement.ReversalStatus.Pending)) reasons |= R_WRONG_STATE;
        if (caller == v.requester || caller == r.submitter) reasons |= R_REVIEWER_CONFLICT;
        if (!_isDept(caller) || (r.required >> bindId[caller]) & 1 == 0) reasons |= R_NOT_REQUIRED_DEPT;
        if (approve && r.status[v.line] != uint8(IDisbursement.LineStatus.Confirmed)) reasons |= R_WRONG_STATE;
        vm.prank(caller);
        (bool ok, bytes memory err) = approve
            ? _call(address(disbursement), abi.encodeCall(disbursement.approveReversal, (rid)))
            : _call(address(disbursement), abi.encodeCall(disbursement.rejectReversal, (rid, keccak256("no"))));
        if (!_outcome(approve ? "approveReversal" : "rejectReversal", ok, reasons, err)) return;
        r.pendingReversal[v.line] = 0;
        if (!approve) {
            v.status = uint8(IDisbursement.ReversalStatus.Rejected);
            return;
        }
        // Approved, the money is still on the card: nothing moves until the bank recovers it.
        v.status = uint8(IDisbursement.ReversalStatus.Approved);
        r.status[v.line] = uint8(IDisbursement.LineStatus.ReversalPendingRecovery);
    }

    /// @notice The bank records the recovery of a reversal (sometimes one not approved, a zero
    /// reference, or the disburser tries).
    function recordRecovery(uint256 actorSeed, uint256 reversalSeed, uint256 refSeed) external {
        if (reversalCount == 0) return;
        uint256 rid = _pickReversal(reversalSeed, IDisbursement.ReversalStatus.Approved);
        GhostReversal storage v = grev[rid];
        GhostRoster storage r = gr[v.rosterId];
        address caller = _pick(actorSeed, actors[A_BANK], actors[A_DISBURSER]);
        uint256 reasons = _paused(_c(C_DISBURSEMENT) | _c(C_LEDGER)) | _role(caller, Roles.BANK);
        if (v.status != uint8(IDisbursement.ReversalStatus.Approved)) reasons |= R_WRONG_STATE;
        uint256[] memory ids = new uint256[](1);
        ids[0] = rid;
        bytes32[] memory refs = new bytes32[](1);
        refs[0] = keccak256(abi.encode("bank recovery", rid));
        if (_b(refSeed, 0, 8) == 0) {
            refs[0] = bytes32(0); // no bank reference
            reasons |= R_TAMPERED;
        }
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(disbursement), abi.encodeCall(disbursement.recordRecoveries, (ids, refs)));
        if (!_outcome("recordRecoveries", ok, reasons, err)) return;
        v.status = uint8(IDisbursement.ReversalStatus.Recovered);
        r.status[v.line] = uint8(IDisbursement.LineStatus.Reversed);
        --livePayouts[v.household];
        _refund(r.region, v.amount, false);
    }

    // =============================================================================================
    // Actions: time, pause, governance, attacks
    // =============================================================================================

    /// @notice Time passes: up to 10 days, up to a day three times out of four (publicity periods are 1-7 days).
    function warp(uint256 secondsSeed, uint256 scaleSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 0, _b(scaleSeed, 0, 4) == 0 ? 10 days : 1 days));
        vm.roll(block.number + 1);
    }

    /// @notice The guardian pauses one contract, or every running one at once through the AccessManager's
    /// multicall of `execute`. Other actors try too.
    function pause(uint256 actorSeed, uint256 targetSeed) external {
        uint256 which = _b(targetSeed, 0, 24);
        if (which > N_CONTRACTS) return; // a third as frequent as unpausing, so that most calls run unpaused
        address caller = _pick(actorSeed, actors[A_GUARDIAN], address(0));
        uint256 reasons = _role(caller, Roles.GUARDIAN);
        uint256 targets;
        if (which < N_CONTRACTS) {
            targets = _c(which);
            if (pausedMask & targets != 0) reasons |= R_WRONG_STATE;
        } else {
            targets = ((uint256(1) << N_CONTRACTS) - 1) & ~pausedMask;
            if (targets == 0) return;
        }
        (bool ok, bytes memory err) = _guardianCall(caller, targets, true);
        if (!_outcome(which < N_CONTRACTS ? "pause" : "pauseAll", ok, reasons, err)) return;
        for (uint256 c = 0; c < N_CONTRACTS; ++c) {
            if ((targets >> c) & 1 == 1) pausedDigest[c] = digestOf(c);
        }
        pausedMask |= targets;
    }

    /// @notice The guardian unpauses one contract or all paused ones. The state of each contract must
    /// be exactly what it was when it was paused.
    function unpause(uint256 actorSeed, uint256 targetSeed) external {
        uint256 which = _b(targetSeed, 0, 8);
        if (which < N_CONTRACTS && pausedMask != 0 && _b(targetSeed, 8, 4) != 0) {
            while ((pausedMask >> which) & 1 == 0) which = (which + 1) % N_CONTRACTS; // a paused one
        }
        address caller = _pick(actorSeed, actors[A_GUARDIAN], address(0));
        uint256 reasons = _role(caller, Roles.GUARDIAN);
        uint256 targets;
        if (which < N_CONTRACTS) {
            targets = _c(which);
            if (pausedMask & targets == 0) reasons |= R_WRONG_STATE;
        } else {
            targets = pausedMask;
            if (targets == 0) return;
        }
        (bool ok, bytes memory err) = _guardianCall(caller, targets, false);
        if (!_outcome(which < N_CONTRACTS ? "unpause" : "unpauseAll", ok, reasons, err)) return;
        for (uint256 c = 0; c < N_CONTRACTS; ++c) {
            if ((targets >> c) & 1 == 1) {
                if (digestOf(c) != pausedDigest[c]) ++movedWhilePaused;
                pausedDigest[c] = bytes32(0);
            }
        }
        pausedMask &= ~targets;
    }

    function _guardianCall(address caller, uint256 targets, bool doPause) private returns (bool ok, bytes memory err) {
        bytes memory call = doPause ? abi.encodeCall(Guarded.pause, ()) : abi.encodeCall(Guarded.unpause, ());
        uint256 count = 0;
        for (uint256 c = 0; c < N_CONTRACTS; ++c) if ((targets >> c) & 1 == 1) ++count;
        if (count == 1) {
            for (uint256 c = 0; c < N_CONTRACTS; ++c) {
                if ((targets >> c) & 1 == 1) {
                    vm.prank(caller);
                    return _call(_contract(c), call);
                }
            }
        }
        bytes[] memory calls = new bytes[](count);
        uint256 k = 0;
        for (uint256 c = 0; c < N_CONTRACTS; ++c) {
            if ((targets >> c) & 1 == 1) calls[k++] = abi.encodeCall(AccessManager.execute, (_contract(c), call));
        }
        vm.prank(caller);
        return _call(address(manager), abi.encodeCall(manager.multicall, (calls)));
    }

    /// @notice GOVERNOR rotates town A's or town B's bureau key (the new key takes over the region's rosters).
    function rotateBureau(uint256 actorSeed, uint256 regionSeed) external {
        uint8 g = _b(regionSeed, 0, 2) == 0 ? G_TOWN_A : G_TOWN_B;
        address current = bureauModel[g];
        address first = actors[g == G_TOWN_A ? A_BUREAU_A : A_BUREAU_B];
        address next = current == first ? actors[g == G_TOWN_A ? A_BUREAU_A_NEXT : A_BUREAU_B_NEXT] : first;
        address caller = _pick(actorSeed, actors[A_GOVERNOR], address(0));
        uint256 reasons = _paused(_c(C_DIRECTORY)) | _role(caller, Roles.GOVERNOR);
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(directory), abi.encodeCall(directory.setRegionBureau, (regionCode[g], next)));
        if (!_outcome("setRegionBureau", ok, reasons, err)) return;
        bindKind[current] = 0;
        bindId[current] = 0;
        bindKind[next] = uint8(IDirectory.BindingKind.Bureau);
        bindId[next] = regionCode[g];
        bureauModel[g] = next;
    }

    /// @notice GOVERNOR amends the terms: ceiling (possibly below what is funded), cap, publicity period,
    /// required departments (possibly including the department no roster required before).
    function amendProgramme(uint256 actorSeed, uint256 termsSeed) external {
        uint128[8] memory ceilings = [
            INITIAL_CEILING,
            INITIAL_CEILING * 2,
            INITIAL_CEILING,
            INITIAL_CEILING * 2,
            INITIAL_CEILING,
            INITIAL_CEILING * 2,
            tot.funded, // stops further funding
            tot.funded / 2 // below what is funded: allowed, takes nothing back
        ];
        uint128[3] memory caps = [INITIAL_CAP, INITIAL_CAP / 2, INITIAL_CAP * 2];
        uint32[3] memory periods = [uint32(1 days), 3 days, 7 days];
        uint256[4] memory sets = [uint256(0x7), 0x3, 0xB, 0x1];
        uint128 newCeiling = ceilings[_b(termsSeed, 0, 8)];
        uint128 newCap = caps[_b(termsSeed, 8, 3)];
        uint32 newPublicity = periods[_b(termsSeed, 16, 3)];
        uint256 newRequired = sets[_b(termsSeed, 24, 4)];
        if (_b(termsSeed, 32, 16) == 0) newPublicity = 0; // invalid
        address caller = _pick(actorSeed, actors[A_GOVERNOR], address(0));
        uint256 reasons = _paused(_c(C_PROGRAMMES)) | _role(caller, Roles.GOVERNOR);
        if (newCeiling == 0 || newCap > newCeiling || newPublicity == 0) reasons |= R_TAMPERED;
        IProgrammeRegistry.Terms memory t = IProgrammeRegistry.Terms({
            budgetCeiling: newCeiling,
            householdCap: newCap,
            publicityPeriod: newPublicity,
            payoutPeriod: 30 days,
            requiredDepartments: newRequired,
            policyDocHash: keccak256("policy v2"),
            policyURI: "https://policy.example/invariant-v2.pdf"
        });
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(programmes), abi.encodeCall(programmes.amendProgramme, (pid, t)));
        if (!_outcome("amendProgramme", ok, reasons, err)) return;
        (ceiling, cap, publicity, required) = (newCeiling, newCap, newPublicity, newRequired);
    }

    /// @notice The outsider (no role) tries a restricted write, with arguments that would be valid for the
    /// rightful caller; or any actor tries one of the functions only the suite's own contracts may call.
    function attack(uint256 actorSeed, uint256 which, uint256 argSeed) external {
        uint256 n = bound(which, 0, 27);
        address caller = actors[A_OUTSIDER];
        if (n >= 22) caller = actors[bound(actorSeed, 0, N_ACTORS - 1)]; // nobody holds SUITE
        (address target, bytes memory data) = _attackCall(n, argSeed);
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(target, data);
        _outcome("attack", ok, R_NO_ROLE | (caller == actors[A_OUTSIDER] ? R_OUTSIDER : 0), err);
    }

    function _attackCall(uint256 n, uint256 seed) private view returns (address, bytes memory) {
        uint64 id = rosterCount == 0 ? 1 : uint64(1 + _b(seed, 0, rosterCount));
        GhostRoster storage r = gr[id];
        uint64 region = regionCode[r.region];
        if (n == 0) return (address(ledger), abi.encodeCall(ledger.fundProgramme, (pid, 1000)));
        if (n == 1) return (address(ledger), abi.encodeCall(ledger.allocate, (pid, regionCode[0], regionCode[1], 1)));
        if (n == 2) return (address(ledger), abi.encodeCall(ledger.reclaim, (pid, regionCode[0], regionCode[1], 1)));
        if (n == 3) {
            bytes32[] memory c = new bytes32[](1);
            c[0] = keccak256(abi.encode("intruder", seed));
            return (address(households), abi.encodeCall(households.registerHouseholds, (c, c, bytes32(0))));
        }
        if (n == 4) {
            return (
                address(households),
                abi.encodeCall(households.suspendHousehold, (1, IHouseholdRegistry.SuspensionReason.Other, 0))
            );
        }
        if (n == 5) return (address(households), abi.encodeCall(households.reinstateHousehold, (1, 0)));
        if (n == 6) {
            IRosterBook.Submission memory sub =
                IRosterBook.Submission(pid, regionCode[1], keccak256("root"), 1, 1, keccak256("doc"), "");
            return (address(rosters), abi.encodeCall(rosters.submitRoster, (sub)));
        }
        if (n == 7) return (address(rosters), abi.encodeCall(rosters.withdrawRoster, (id, 0)));
        if (n == 8) return (address(rosters), abi.encodeCall(rosters.approveRoster, (id)));
        if (n == 9) return (address(rosters), abi.encodeCall(rosters.rejectRoster, (id, 0)));
        if (n == 10) {
            uint8 line = uint8(_b(seed, 0, r.n));
            return (
                address(rosters),
                abi.encodeCall(
                    rosters.resolveObjection,
                    (id, Line(line, r.household[line], r.amount[line]), RosterTree.proof(_tree(r), line), true, 0)
                )
            );
        }
        if (n == 11) return (address(rosters), abi.encodeCall(rosters.closeRoster, (id, keccak256("why"))));
        if (n == 12) {
            (uint32[] memory lines,, bytes32[] memory proof,) = RosterTree.multiProof(_tree(r), (uint256(1) << r.n) - 1);
            uint256[] memory packed = new uint256[](lines.length);
            for (uint256 k = 0; k < lines.length; ++k) {
                packed[k] = LinePacking.pack(lines[k], r.household[lines[k]], r.amount[lines[k]]);
            }
            return (address(disbursement), abi.encodeCall(disbursement.recordPayouts, (id, packed, proof)));
        }
        if (n == 13) {
            uint32[] memory lines = new uint32[](1);
            bytes32[] memory refs = new bytes32[](1);
            return (address(disbursement), abi.encodeCall(disbursement.confirmPayouts, (id, lines, refs)));
        }
        if (n == 14 || n == 15) {
            uint8 line = _paidLine(r, seed, n == 14);
            (IDisbursement.PaidBatch memory pb,) = _batch(id, r.batchOf[line], 7);
            Line memory l = Line(line, r.household[line], r.amount[line]);
            uint32 pos = r.batchOf[line] == 0 ? 0 : _position(r.batchMask[r.batchOf[line]], line);
            if (n == 15) {
                return (address(disbursement), abi.encodeCall(disbursement.requestReversal, (id, pb, pos, l, 0)));
            }
            uint32[] memory positions = new uint32[](1);
            positions[0] = pos;
            Line[] memory ls = new Line[](1);
            ls[0] = l;
            bytes32[] memory refs = new bytes32[](1);
            return (address(disbursement), abi.encodeCall(disbursement.returnPayouts, (id, pb, positions, ls, refs)));
        }
        uint256 rid = reversalCount == 0 ? 1 : 1 + _b(seed, 0, reversalCount);
        if (n == 16) return (address(disbursement), abi.encodeCall(disbursement.approveReversal, (rid)));
        if (n == 17) return (address(disbursement), abi.encodeCall(disbursement.rejectReversal, (rid, 0)));
        if (n == 18) return (_contract(_b(seed, 0, N_CONTRACTS)), abi.encodeCall(Guarded.pause, ()));
        if (n == 19) return (_contract(_b(seed, 0, N_CONTRACTS)), abi.encodeCall(Guarded.unpause, ()));
        if (n == 20) return (address(directory), abi.encodeCall(directory.setRegionBureau, (regionCode[1], actors[A_OUTSIDER])));
        if (n == 21) return (address(programmes), abi.encodeCall(programmes.amendProgramme, (pid, _terms())));
        // The SUITE-only moves, by anyone: nobody but RosterBook and Disbursement holds SUITE.
        if (n == 22) return (address(ledger), abi.encodeCall(ledger.reserve, (pid, region, 1)));
        if (n == 23) return (address(ledger), abi.encodeCall(ledger.release, (pid, region, 1)));
        if (n == 24) return (address(ledger), abi.encodeCall(ledger.pay, (pid, region, 1)));
        if (n == 25) {
            return (address(ledger), abi.encodeCall(ledger.refund, (pid, region, 1, IBudgetLedger.RefundKind.Returned)));
        }
        if (n == 26) return (address(rosters), abi.encodeCall(rosters.recordPaid, (id, 1, 1)));
        return (address(manager), abi.encodeCall(manager.grantRole, (Roles.DISBURSER, actors[A_OUTSIDER], 0)));
    }

    // =============================================================================================
    // Model helpers
    // =============================================================================================

    function _outcome(string memory action, bool ok, uint256 reasons, bytes memory err) private returns (bool) {
        ++tried[action];
        for (uint256 b = 0; reasons >> b != 0; ++b) if ((reasons >> b) & 1 == 1) ++attemptedForbidden[b];
        if (ok) {
            if (reasons != 0) {
                forbiddenMask |= reasons;
                ++forbiddenCount;
                lastForbidden = string.concat(action, " succeeded; forbidden by reasons mask ", vm.toString(reasons));
                return false;
            }
            ++succeeded[action];
            return true;
        }
        if (reasons == 0) {
            ++unexpectedCount;
            lastUnexpected = action;
            lastUnexpectedError = err;
        }
        return false;
    }

    function _unexpected(string memory what) private {
        ++unexpectedCount;
        lastUnexpected = what;
    }

    /// @dev Sends a call the handler pranked. Every other call to a suite contract is routed through
    /// the AccessManager's `execute`, so that each rule is held both ways: a routed call must be
    /// allowed and refused exactly as a direct one (the contracts attribute it to the account).
    function _call(address target, bytes memory data) private returns (bool ok, bytes memory err) {
        if (target != address(manager) && ++callCount % 2 == 0) {
            ++routedCount;
            (ok, err) = address(manager).call(abi.encodeCall(AccessManager.execute, (target, data)));
        } else {
            (ok, err) = target.call(data);
        }
    }

    function _c(uint256 c) private pure returns (uint256) {
        return uint256(1) << c;
    }

    function _paused(uint256 deps) private view returns (uint256) {
        return pausedMask & deps != 0 ? R_PAUSED : 0;
    }

    function _role(address caller, uint64 role) private view returns (uint256) {
        uint256 reasons = (roleMask[caller] >> role) & 1 == 1 ? 0 : R_NO_ROLE;
        if (caller == actors[A_OUTSIDER]) reasons |= R_OUTSIDER;
        return reasons;
    }

    function _bureau(address caller, uint8 g) private view returns (uint256) {
        return bureauModel[g] == caller && caller != address(0) ? 0 : R_WRONG_BUREAU;
    }

    function _isDept(address a) private view returns (bool) {
        return bindKind[a] == uint8(IDirectory.BindingKind.Department);
    }

    /// @dev The roster checks of a reviewer: not the submitter, bound to a required department.
    function _reviewer(address caller, GhostRoster storage r) private view returns (uint256 reasons) {
        if (caller == r.submitter) reasons |= R_SUBMITTER_REVIEWS;
        if (!_isDept(caller) || (r.required >> bindId[caller]) & 1 == 0) reasons |= R_NOT_REQUIRED_DEPT;
    }

    /// @dev Legit actor most of the time; the special (hostile) one sometimes; any actor otherwise.
    function _pick(uint256 seed, address legit, address special) private view returns (address) {
        uint256 k = _b(seed, 0, 16);
        if (k < 12 && legit != address(0)) return legit;
        if (k < 14 && special != address(0)) return special;
        return actors[_b(seed, 8, N_ACTORS)];
    }

    function _indexOf(address a) private view returns (uint256) {
        for (uint256 i = 0; i < N_ACTORS; ++i) if (actors[i] == a) return i;
        revert("unknown actor");
    }

    function _missingDept(GhostRoster storage r, uint256 seed) private view returns (address) {
        uint256 start = _b(seed, 0, 4);
        for (uint256 k = 0; k < 4; ++k) {
            uint256 d = (start + k) % 4;
            if ((r.required >> d) & 1 == 1 && (r.approvals >> d) & 1 == 0) return deptAccount[d];
        }
        return deptAccount[start];
    }

    function _requiredDept(GhostRoster storage r, uint256 seed) private view returns (address) {
        uint256 start = _b(seed, 0, 4);
        for (uint256 k = 0; k < 4; ++k) {
            uint256 d = (start + k) % 4;
            if ((r.required >> d) & 1 == 1) return deptAccount[d];
        }
        return deptAccount[0];
    }

    /// @dev The disburser, dept1 (holds DISBURSER), or town C's bureau (holds DISBURSER; forbidden only on
    /// its own rosters).
    function _disburserFor(GhostRoster storage, uint256 seed) private view returns (address) {
        uint256 k = _b(seed, 0, 8);
        if (k == 6) return actors[A_DEPT_1];
        if (k == 7) return actors[A_BUREAU_C];
        return actors[A_DISBURSER];
    }

    function _edge(uint256 seed) private pure returns (uint8 from, uint8 to) {
        if (_b(seed, 0, 4) != 0) {
            uint8[7] memory froms = [G_COUNTY, G_COUNTY, G_COUNTY, G_COUNTY, G_COUNTY, G_TOWN_A, G_TOWN_B];
            uint8[7] memory tos = [G_TOWN_A, G_TOWN_B, G_TOWN_C, G_VILLAGE_A, G_VILLAGE_B, G_VILLAGE_A, G_VILLAGE_B];
            uint256 e = _b(seed, 8, 7);
            return (froms[e], tos[e]);
        }
        return (uint8(_b(seed, 8, N_REGIONS)), uint8(_b(seed, 16, N_REGIONS)));
    }

    /// @dev The region tree, written out (not computed with RegionCode): the county is the ancestor of
    /// its three townships and two villages, each town of its village.
    function _isAncestor(uint8 a, uint8 d) private pure returns (bool) {
        if (a == G_COUNTY) return d >= G_TOWN_A && d <= G_VILLAGE_B;
        if (a == G_TOWN_A) return d == G_VILLAGE_A;
        if (a == G_TOWN_B) return d == G_VILLAGE_B;
        return false;
    }

    function _regionIndex(uint64 code) private view returns (uint8) {
        for (uint8 g = 0; g < N_REGIONS; ++g) if (regionCode[g] == code) return g;
        return type(uint8).max;
    }

    function _remaining(GhostRoster storage r) private view returns (uint128) {
        return r.total - r.paid - r.excluded - r.released;
    }

    function _releaseRest(GhostRoster storage r) private {
        uint128 rest = _remaining(r);
        r.released += rest;
        _moveReservedToAvailable(r.region, rest);
        sumReleased += rest;
    }

    function _moveReservedToAvailable(uint8 g, uint128 amount) private {
        bal[g].reserved -= amount;
        bal[g].available += amount;
        tot.reserved -= amount;
    }

    function _refund(uint8 g, uint256 amount, bool returned) private {
        bal[g].paid -= uint128(amount);
        bal[g].available += uint128(amount);
        tot.paid -= uint128(amount);
        if (returned) {
            bal[g].returned += uint128(amount);
            tot.returned += uint128(amount);
            sumReturned += amount;
        } else {
            bal[g].reversed += uint128(amount);
            tot.reversed += uint128(amount);
            sumReversed += amount;
        }
    }

    function _tree(GhostRoster storage r) private view returns (bytes32[] memory) {
        bytes32[] memory leaves = new bytes32[](r.n);
        for (uint256 i = 0; i < r.n; ++i) leaves[i] = RosterTree.leaf(uint32(i), r.household[i], r.amount[i]);
        return RosterTree.build(leaves);
    }

    /// @dev The PaidBatch of batch `b`: its id and the lines it paid (packed), in line order. `forge`:
    /// 0 the next batch id, 1 a line dropped, 2 an unpaid line of the roster added; otherwise honest.
    function _batch(uint64 id, uint8 b, uint256 forge)
        private
        view
        returns (IDisbursement.PaidBatch memory pb, uint256 reasons)
    {
        GhostRoster storage r = gr[id];
        uint32[] memory lines = _maskToLines(r.batchMask[b]);
        uint256[] memory packed = new uint256[](lines.length + (forge == 2 ? 1 : 0));
        for (uint256 k = 0; k < lines.length; ++k) {
            packed[k] = LinePacking.pack(lines[k], r.household[lines[k]], r.amount[lines[k]]);
        }
        pb.batchId = b;
        if (b == 0) reasons |= R_WRONG_STATE; // no line of the roster has been paid
        if (forge == 0) {
            pb.batchId = b + 1;
            reasons |= R_TAMPERED;
        } else if (forge == 1 && lines.length > 1) {
            uint256[] memory fewer = new uint256[](lines.length - 1);
            for (uint256 k = 0; k + 1 < lines.length; ++k) fewer[k] = packed[k];
            packed = fewer;
            reasons |= R_TAMPERED;
        } else if (forge == 2) {
            packed[lines.length] = LinePacking.pack(uint32(r.n), 1, 1); // a line that was never paid
            reasons |= R_TAMPERED;
        }
        pb.packedLines = packed;
    }

    function _position(uint8 mask, uint32 line) private pure returns (uint32 p) {
        for (uint32 i = 0; i < line; ++i) if ((mask >> i) & 1 == 1) ++p;
    }

    function _maskToLines(uint256 mask) private pure returns (uint32[] memory lines) {
        uint256 count = 0;
        for (uint256 i = 0; i < 4; ++i) if ((mask >> i) & 1 == 1) ++count;
        lines = new uint32[](count);
        uint256 k = 0;
        for (uint32 i = 0; i < 4; ++i) if ((mask >> i) & 1 == 1) lines[k++] = i;
    }

    function _linesIn(GhostRoster storage r, IDisbursement.LineStatus s) private view returns (uint256 mask) {
        for (uint256 i = 0; i < r.n; ++i) if (r.status[i] == uint8(s)) mask |= uint256(1) << i;
    }

    /// @dev Lines the model says can be paid now (unpaid, not held, household active and not holding a payout).
    function _payableLines(GhostRoster storage r) private view returns (uint256 mask) {
        for (uint256 i = 0; i < r.n; ++i) {
            uint64 h = r.household[i];
            if (
                r.status[i] == uint8(IDisbursement.LineStatus.Unpaid) && r.hold[i] == uint8(IRosterBook.LineHold.None)
                    && h != 0 && h <= hhCount && !suspendedModel[h] && livePayouts[h] == 0 && r.amount[i] <= cap
                    && r.amount[i] <= _remaining(r)
            ) mask |= uint256(1) << i;
        }
    }

    /// @dev A line that a batch paid (Paid or Confirmed preferred; `paidOnly`: Paid preferred).
    function _paidLine(GhostRoster storage r, uint256 seed, bool paidOnly) private view returns (uint8 line) {
        line = uint8(_b(seed, 0, r.n));
        uint8 fallbackLine = type(uint8).max;
        for (uint8 k = 0; k < r.n; ++k) {
            uint8 c = uint8((line + k) % r.n);
            if (r.batchOf[c] == 0) continue;
            uint8 st = r.status[c];
            bool wanted = st == uint8(IDisbursement.LineStatus.Paid)
                || (!paidOnly && st == uint8(IDisbursement.LineStatus.Confirmed));
            if (wanted && _b(seed, 32, 4) != 0) return c;
            if (fallbackLine == type(uint8).max) fallbackLine = c;
        }
        if (fallbackLine != type(uint8).max) return fallbackLine;
    }

    function _hasObjection(uint64 id) private view returns (bool) {
        return gr[id].openObjections != 0;
    }

    function _hasPayableLine(uint64 id) private view returns (bool) {
        return _state(id) == IRosterBook.RosterState.Payable && _payableLines(gr[id]) != 0;
    }

    function _hasPaidLine(uint64 id) private view returns (bool) {
        return _linesIn(gr[id], IDisbursement.LineStatus.Paid) != 0;
    }

    function _hasLivePayout(uint64 id) private view returns (bool) {
        GhostRoster storage r = gr[id];
        return (_linesIn(r, IDisbursement.LineStatus.Paid) | _linesIn(r, IDisbursement.LineStatus.Confirmed)) != 0;
    }

    /// @dev Mostly a roster in state `want` (scanning from a random start), otherwise any roster.
    function _pickRoster(uint256 seed, IRosterBook.RosterState want) private view returns (uint64) {
        uint64 n = rosterCount;
        if (n == 0) return 0;
        uint64 start = uint64(_b(seed, 0, n));
        if (_b(seed, 128, 8) != 0) {
            for (uint64 k = 0; k < n; ++k) {
                uint64 id = 1 + (start + k) % n;
                if (_state(id) == want) return id;
            }
        }
        return 1 + start;
    }

    function _pickRosterWith(uint256 seed, function(uint64) view returns (bool) wanted) private view returns (uint64) {
        uint64 n = rosterCount;
        if (n == 0) return 0;
        uint64 start = uint64(_b(seed, 0, n));
        for (uint64 k = 0; k < n; ++k) {
            uint64 id = 1 + (start + k) % n;
            if (wanted(id)) return id;
        }
        return _b(seed, 128, 4) == 0 ? 1 + start : 0;
    }

    /// @dev The roster's state by the rules of section 4.1, from the model.
    function _state(uint64 id) private view returns (IRosterBook.RosterState) {
        GhostRoster storage r = gr[id];
        if (r.submittedAt == 0) return IRosterBook.RosterState.None;
        if (r.ending == uint8(IRosterBook.Ending.Rejected)) return IRosterBook.RosterState.Rejected;
        if (r.ending == uint8(IRosterBook.Ending.Withdrawn)) return IRosterBook.RosterState.Withdrawn;
        if (r.ending == uint8(IRosterBook.Ending.Closed)) return IRosterBook.RosterState.Closed;
        if (r.approvedAt == 0) return IRosterBook.RosterState.AwaitingSignOff;
        if (block.timestamp < uint256(r.approvedAt) + r.publicity) return IRosterBook.RosterState.InPublicity;
        return IRosterBook.RosterState.Payable;
    }

    function _contract(uint256 c) private view returns (address) {
        if (c == C_DIRECTORY) return address(directory);
        if (c == C_PROGRAMMES) return address(programmes);
        if (c == C_HOUSEHOLDS) return address(households);
        if (c == C_LEDGER) return address(ledger);
        if (c == C_ROSTERS) return address(rosters);
        return address(disbursement);
    }

    // =============================================================================================
    // Views for the invariants
    // =============================================================================================

    /// @notice A digest of everything contract `c` stores that the handler can reach (read from the
    /// contract, not from the model). While `c` is paused its digest must not change.
    function digestOf(uint256 c) public view returns (bytes32 d) {
        if (c == C_DIRECTORY) {
            for (uint256 g = 0; g < N_REGIONS; ++g) d = keccak256(abi.encode(d, directory.bureauOf(regionCode[g])));
            for (uint8 k = 0; k < 4; ++k) d = keccak256(abi.encode(d, directory.departmentAccount(k)));
            for (uint256 i = 0; i < N_ACTORS; ++i) d = keccak256(abi.encode(d, directory.bindingOf(actors[i])));
        } else if (c == C_PROGRAMMES) {
            d = keccak256(abi.encode(programmes.programmeCount(), programmes.programme(pid)));
        } else if (c == C_HOUSEHOLDS) {
            d = keccak256(abi.encode(households.householdCount(), households.suspendedWord(0)));
        } else if (c == C_LEDGER) {
            d = keccak256(abi.encode(ledger.totalsOf(pid)));
            for (uint256 g = 0; g < N_REGIONS; ++g) d = keccak256(abi.encode(d, ledger.balanceOf(pid, regionCode[g])));
        } else if (c == C_ROSTERS) {
            uint64 count = rosters.rosterCount();
            d = keccak256(abi.encode(count));
            for (uint64 id = 1; id <= count; ++id) {
                d = keccak256(abi.encode(d, rosters.roster(id), rosters.holdWord(id, 0)));
                for (uint256 k = 0; k < 4; ++k) {
                    d = keccak256(abi.encode(d, rosters.nonces(deptAccount[k], uint192(id))));
                }
            }
        } else {
            uint256 count = disbursement.reversalCount();
            d = keccak256(abi.encode(count, disbursement.paidHouseholdsWord(pid, 0)));
            for (uint256 i = 1; i <= count; ++i) d = keccak256(abi.encode(d, disbursement.reversal(i)));
            // Every roster id the handler can ever create, not the current count: that is RosterBook's
            // state, which may move while Disbursement alone is paused.
            for (uint64 id = 1; id <= MAX_ROSTERS; ++id) {
                uint32 batches = disbursement.batchCount(id);
                d = keccak256(
                    abi.encode(d, disbursement.paidLinesWord(id, 0), disbursement.outcomesWord(id, 0), batches)
                );
                for (uint32 b = 1; b <= batches; ++b) d = keccak256(abi.encode(d, disbursement.batchHash(id, b)));
            }
        }
    }

    function ghostRoster(uint64 id) external view returns (GhostRoster memory) {
        return gr[id];
    }

    function payRecord(uint64 id, uint256 line) external view returns (PayRecord memory) {
        return payRec[id][line];
    }

    function ghostReversal(uint256 rid) external view returns (GhostReversal memory) {
        return grev[rid];
    }

    function ghostBalance(uint8 g) external view returns (IBudgetLedger.Balance memory) {
        return bal[g];
    }

    function ghostTotals() external view returns (IBudgetLedger.Totals memory) {
        return tot;
    }

    function ghostState(uint64 id) external view returns (IRosterBook.RosterState) {
        return _state(id);
    }

    function actor(uint256 i) external view returns (address) {
        return actors[i];
    }

    /// @notice Every action this handler counts, by the name it counts it under; `attack` last (the
    /// one action the suite must always refuse).
    function actionNames() public pure returns (string[] memory names) {
        string[29] memory list = [
            "fundProgramme",
            "allocate",
            "reclaim",
            "registerHouseholds",
            "suspendHousehold",
            "reinstateHousehold",
            "submitRoster",
            "withdrawRoster",
            "approveRoster",
            "approveRosterBySig",
            "rejectRoster",
            "objectToLine",
            "resolveObjection",
            "closeRoster",
            "confirmClose",
            "recordPayouts",
            "confirmPayouts",
            "returnPayouts",
            "requestReversal",
            "approveReversal",
            "rejectReversal",
            "recordRecoveries",
            "pause",
            "unpause",
            "pauseAll",
            "unpauseAll",
            "setRegionBureau",
            "amendProgramme",
            "attack"
        ];
        names = new string[](list.length);
        for (uint256 i = 0; i < list.length; ++i) names[i] = list[i];
    }

    /// @notice One line per action: how many calls were tried and how many the suite accepted.
    function callSummary() external view returns (string memory out) {
        string[] memory names = actionNames();
        for (uint256 i = 0; i < names.length; ++i) {
            out = string.concat(
                out, names[i], " ", vm.toString(succeeded[names[i]]), "/", vm.toString(tried[names[i]]), "; "
            );
        }
    }
}
