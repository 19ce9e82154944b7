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
import {RosterLines} from "../../../contracts/RosterLines.sol";
import {SuiteAccessManager} from "../../../contracts/governance/SuiteAccessManager.sol";
import {Guarded} from "../../../contracts/governance/Guarded.sol";
import {IBudgetLedger} from "../../../contracts/interfaces/IBudgetLedger.sol";
import {IDirectory} from "../../../contracts/interfaces/IDirectory.sol";
import {IDisbursement} from "../../../contracts/interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "../../../contracts/interfaces/IHouseholdRegistry.sol";
import {IProgrammeRegistry} from "../../../contracts/interfaces/IProgrammeRegistry.sol";
import {IRosterBook} from "../../../contracts/interfaces/IRosterBook.sol";
import {IRosterLines} from "../../../contracts/interfaces/IRosterLines.sol";
import {LinePacking} from "../../../contracts/libraries/LinePacking.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";
import {Line} from "../../../contracts/types/Line.sol";

import {LineTreeBuilderHarness} from "../LineTreeBuilderHarness.sol";
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
uint256 constant R_NOT_OFFICE = 1 << 7; // the caller holds no office for the call: no stage office of the roster,
// or no treasury or bank office covering the roster's region
uint256 constant R_WRONG_STATE = 1 << 8; // roster, line, household or reversal in the wrong state (lines of a roster
// not awaiting them; sign-off, objection, payout or closing of a roster whose lines are not all listed)
uint256 constant R_NOT_PAYABLE = 1 << 9; // a payout before full sign-off and the end of publicity, or after closing
uint256 constant R_DOUBLE_PAY = 1 << 10; // a line paid twice, or a household holding a payout paid again
uint256 constant R_LINE_HELD = 1 << 11; // a frozen or excluded line paid
uint256 constant R_HOUSEHOLD = 1 << 12; // an unknown or suspended household paid, or a roster line naming id 0
uint256 constant R_AMOUNT = 1 << 13; // zero, over the cap, over the ceiling, over what is available or reserved; a
// roster's lines adding up to more or less than its declared total
uint256 constant R_TAMPERED = 1 << 14; // a forged proof, batch, signature, nonce or argument; roster lines out of
// order, too many, with a frontier they did not leave, or not the declared list (another root)
uint256 constant R_REPEAT = 1 << 15; // a second approval of a stage, a second objection, a second pending reversal,
// a second roster of a list (same root) whose earlier roster was neither withdrawn nor rejected
uint256 constant R_OUT_OF_ORDER = 1 << 16; // a stage of ordered stages approved before an earlier one
uint256 constant R_REBIND = 1 << 17; // an account bound to a second office, or bound again once retired
uint256 constant R_ABOVE_STAGE = 1 << 18; // a roster whose region lies above the level of one of its stages
uint256 constant R_REGION = 1 << 19; // a household outside the call's region: registered under no valid code or
// outside the caller's civil-affairs office, suspended or reinstated by an office not covering its region,
// or paid on a roster whose region does not cover it
uint256 constant N_REASONS = 20;

// Calls that hostile actors make; any success of one of these is a breach of access control or of
// the separation of duties.
uint256 constant R_HOSTILE = R_NO_ROLE | R_OUTSIDER | R_WRONG_BUREAU | R_SUBMITTER_REVIEWS | R_SUBMITTER_DISBURSES
    | R_REVIEWER_CONFLICT | R_NOT_OFFICE | R_TAMPERED | R_REBIND;

// The seven writing contracts, as bit positions of `pausedMask`.
uint256 constant C_DIRECTORY = 0;
uint256 constant C_PROGRAMMES = 1;
uint256 constant C_HOUSEHOLDS = 2;
uint256 constant C_LEDGER = 3;
uint256 constant C_ROSTERS = 4;
uint256 constant C_DISBURSEMENT = 5;
uint256 constant C_LINES = 6; // RosterLines
uint256 constant N_CONTRACTS = 7;

// Regions of the budget tree (indices into `regionCode`).
uint8 constant G_COUNTY = 0; // the programme's root region
uint8 constant G_TOWN_A = 1;
uint8 constant G_TOWN_B = 2;
uint8 constant G_TOWN_C = 3;
uint8 constant G_VILLAGE_A = 4; // under town A
uint8 constant G_VILLAGE_B = 5; // under town B; no bureau
uint8 constant G_OTHER = 6; // a township of another county: not in the programme's tree
uint8 constant N_REGIONS = 7;
/// @dev The county of G_OTHER: its treasury and bank hold offices there and nowhere in the programme's tree.
uint64 constant OTHER_COUNTY = 110102000000;

// Administrative levels (RegionCode), written out.
uint8 constant L_COUNTY = 3;
uint8 constant L_TOWNSHIP = 4;

// Actors (indices into `actors`) and the one office each holds (Directory: one office per account).
uint256 constant A_OUTSIDER = 0; // holds no role and no office
uint256 constant A_RESIDENT = 1; // holds nothing; objects and relays seals (both PUBLIC)
uint256 constant A_GUARDIAN = 2;
uint256 constant A_GOVERNOR = 3;
uint256 constant A_PROGRAMME_ADMIN = 4;
uint256 constant A_CIVIL_AFFAIRS = 5; // civil-affairs office of the county
uint256 constant A_DISBURSER = 6; // treasury of the county: pays every roster of the programme
uint256 constant A_BANK = 7; // agent bank of the county
uint256 constant A_BUREAU_COUNTY = 8;
uint256 constant A_BUREAU_A = 9;
uint256 constant A_BUREAU_B = 10;
uint256 constant A_BUREAU_C = 11; // also holds REVIEWER and DISBURSER, but its one office is the bureau: both refused
uint256 constant A_BUREAU_VILLAGE_A = 12;
uint256 constant A_BUREAU_OTHER = 13; // bureau of a region outside the tree
uint256 constant A_BUREAU_A_NEXT = 14; // town A's first key after rotation (later ones are made on the way)
uint256 constant A_BUREAU_B_NEXT = 15; // town B's first key after rotation
uint256 constant A_DEPT_0 = 16; // reviewing office of department 0 at the county
uint256 constant A_DEPT_1 = 17; // department 1 at the county; also holds DISBURSER, but no treasury office: refused
uint256 constant A_DEPT_2_A = 18; // department 2 at town A (a township-level stage)
uint256 constant A_DEPT_3 = 19; // department 3 at the county, no stage at first; also holds CIVIL_AFFAIRS, but no civil-affairs office: refused
uint256 constant A_DEPT_2_B = 20; // department 2 at town B
uint256 constant A_DEPT_2_C = 21; // department 2 at town C
uint256 constant A_TREASURY_OTHER = 22; // treasury of the other county: refused on every roster of the programme
uint256 constant A_BANK_OTHER = 23; // agent bank of the other county: likewise
uint256 constant A_CIVIL_AFFAIRS_B = 24; // a second civil-affairs office, of town A: acts on town A's subtree only,
// and confirms a reinstatement the county's proposed (or proposes one the county confirms)
uint256 constant N_ACTORS = 25;
uint256 constant N_REVIEWERS = 6; // the holders of reviewing offices, in `reviewers`

uint256 constant MAX_ROSTERS = 40;
uint256 constant MAX_REVERSALS = 40;
/// @dev The most households a run registers, the bootstrap's 278 included (town A's first block nearly full):
/// enough for town A to fill that block and open another, few enough that no other region outgrows its first.
uint64 constant MAX_HOUSEHOLDS = 320;
/// @dev Ids per block of the register (HouseholdRegistry's BLOCK_SIZE): block b holds ids 256b ... 256b + 255.
uint256 constant BLOCK_SIZE = 256;

/// @dev What the handler believes about a roster, and the lines it was built from (the declared root is
/// their tree's: a roster's lines are always the ones the handler submitted it with).
struct GhostRoster {
    uint8 region; // index into regionCode
    uint8 n; // line count (1..4)
    address submitter;
    uint128 total;
    uint256 stages; // the programme's review stages at submission (packed as in ReviewStages)
    uint32 publicity;
    uint40 submittedAt;
    uint256 approvals; // bit i: stage i approved
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
    bool closeRequested; // the bureau asked to close while lines were owed; a stage office must confirm
    bool listed; // every line listed on RosterLines and the roster sealed (RosterBook `listed`); stays set once withdrawn
    uint8 linesListed; // lines RosterLines holds so far (in index order from 0)
    uint128 amountListed; // their amounts' sum
}

/// @dev What the suite itself said about a line just before the call that paid it succeeded.
struct PayRecord {
    bool exists;
    uint8 stateAtPay; // RosterBook.rosterState
    uint256 approvalsAtPay;
    uint256 stagesAtPay;
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
    RosterLines internal immutable rosterLines;
    Disbursement internal immutable disbursement;
    /// @dev LineTreeBuilder behind external calls: the frontier a bureau sends with a roster's next lines.
    LineTreeBuilderHarness internal immutable builder;

    uint128 public constant INITIAL_CEILING = 100_000_000;
    uint128 public constant INITIAL_CAP = 200_000;
    uint32 public constant INITIAL_PUBLICITY = 3 days;
    uint256 public constant ORDERED = uint256(1) << 255;
    /// @dev In order: department 2 at the roster's township reviews, then departments 0 and 1 at the county
    /// (乡镇审核—县级审批). Department 3 is in no stage at first.
    uint256 public constant INITIAL_STAGES = ORDERED | 0x0301_0300_0402;
    bytes32 public constant EARMARK = keccak256("earmark:invariant-suite");

    uint64 public pid;
    bool internal bootstrapped;

    // ---------------------------------------------------------------- actors and offices (model)
    /// @dev The AccessManager's admin (the test), which grants the roles of keys made during the run.
    address internal immutable admin;
    address[N_ACTORS] public actors;
    mapping(address => uint256) internal keyOf;
    mapping(address => uint256) public roleMask; // bit r: holds role r (granted with no delay)
    /// @dev Every account the handler knows: the actors, then the bureau keys made by rotations.
    address[] internal accounts;
    /// @dev The Directory as the rules make it: the office of each account, the holder of each office
    /// (by `_officeKey`), the accounts retired, and every office ever bound.
    mapping(address => IDirectory.Office) internal officeModel;
    mapping(bytes32 => address) internal holderModel;
    mapping(address => bool) public retiredModel;
    IDirectory.Office[] internal offices;
    mapping(bytes32 => bool) internal knownOffice;
    address[N_REGIONS] public bureauModel;
    /// @dev The key each rotation of town A's or town B's bureau binds next (never bound before).
    address[N_REGIONS] internal nextBureau;
    uint256 internal freshKeys;
    /// @dev The holders of reviewing offices (the only accounts whose seals can ever count).
    address[N_REVIEWERS] internal reviewers;
    uint64[N_REGIONS] public regionCode;

    // ---------------------------------------------------------------- programme terms (model)
    uint128 public ceiling;
    uint128 public cap;
    uint32 public publicity;
    uint256 public stages;

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
    /// @dev The register as the rules make it: the ids in the order registered (the n-th registration's
    /// commitment and person are `_commitment(n)` and `_person(n)`), each household's region, and the
    /// blocks of 256 ids: opened in order, each of one region, which fills its open block before it opens
    /// the next free one (block 0 starts with id 0 taken).
    uint64[] internal householdIds;
    mapping(uint64 => uint64) public regionOfModel; // 0: not registered
    uint256 public blockCountModel;
    mapping(uint256 => uint64) internal blockRegionModel;
    mapping(uint256 => uint256) internal blockFillModel;
    mapping(uint64 => uint256) internal openBlockModel; // by region: its open block, plus one (0: none)
    uint256 internal householdCursor;
    /// @dev Suspended households, one bit each, in the register's words (word w: ids 256w ... 256w + 255).
    mapping(uint256 => uint256) public suspendedWordModel;
    /// @dev Suspended as deceased, and who proposed reinstating it (a second account must confirm).
    mapping(uint64 => bool) internal deceasedModel;
    mapping(uint64 => address) internal proposerModel;
    mapping(uint64 => uint256) public livePayouts; // Paid or Confirmed lines held by the household
    uint64 public rosterCount;
    mapping(uint64 => GhostRoster) internal gr;
    /// @dev The latest roster submitted with each root (RosterBook.rosterOfRoot; one programme).
    mapping(bytes32 => uint64) public rosterOfRootModel;
    /// @dev Lines listed after a first chunk (resumed from a frontier), and rosters sealed by such a chunk.
    uint256 public resumedChunks;
    uint256 public sealedByResumedChunk;
    /// @dev Submissions of a list whose latest roster stands (refused), and of one whose latest roster was
    /// withdrawn or rejected (allowed).
    uint256 public duplicatesTried;
    string public dbgOoo;
    string public dbgSubmit;
    uint256 public listsSubmittedAgain;
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
    /// @dev By reason bit: forbidden calls tried for that reason alone, so that their revert is that rule's doing.
    mapping(uint256 => uint256) public attemptedAlone;

    constructor(Suite memory s) {
        manager = s.manager;
        directory = s.directory;
        programmes = s.programmes;
        households = s.households;
        ledger = s.ledger;
        rosters = s.rosters;
        rosterLines = s.lines;
        disbursement = s.disbursement;
        builder = new LineTreeBuilderHarness();
        admin = msg.sender;

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
        _actor(A_DEPT_2_A, "dept2TownA", _r(Roles.REVIEWER));
        _actor(A_DEPT_3, "dept3", _r(Roles.REVIEWER) | _r(Roles.CIVIL_AFFAIRS));
        _actor(A_DEPT_2_B, "dept2TownB", _r(Roles.REVIEWER));
        _actor(A_DEPT_2_C, "dept2TownC", _r(Roles.REVIEWER));
        _actor(A_TREASURY_OTHER, "treasuryOtherCounty", _r(Roles.DISBURSER));
        _actor(A_BANK_OTHER, "bankOtherCounty", _r(Roles.BANK));
        _actor(A_CIVIL_AFFAIRS_B, "civilAffairsTownA", _r(Roles.CIVIL_AFFAIRS));
        reviewers = [
            actors[A_DEPT_0],
            actors[A_DEPT_1],
            actors[A_DEPT_2_A],
            actors[A_DEPT_2_B],
            actors[A_DEPT_2_C],
            actors[A_DEPT_3]
        ];
        nextBureau[G_TOWN_A] = actors[A_BUREAU_A_NEXT];
        nextBureau[G_TOWN_B] = actors[A_BUREAU_B_NEXT];
    }

    function _actor(uint256 i, string memory name, uint256 roles) private {
        actors[i] = _account(name, roles);
    }

    function _account(string memory name, uint256 roles) private returns (address a) {
        uint256 key;
        (a, key) = _addrAndKey(name);
        keyOf[a] = key;
        roleMask[a] = roles;
        accounts.push(a);
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
    // Bootstrap: offices, the programme, 278 households, funding, allocation and four rosters in
    // different states. Run once from the test's setUp, through the same actions the fuzzer calls,
    // so that the ghost model follows. The test must have granted every actor its roles.
    // =============================================================================================

    function bootstrap() external {
        require(!bootstrapped, "bootstrapped");
        bootstrapped = true;
        IDirectory.OfficeKind bureau = IDirectory.OfficeKind.Bureau;
        IDirectory.OfficeKind reviewer = IDirectory.OfficeKind.Reviewer;
        uint64 county = regionCode[G_COUNTY];
        _bootstrapBind(A_BUREAU_COUNTY, bureau, 0, county);
        _bootstrapBind(A_BUREAU_A, bureau, 0, regionCode[G_TOWN_A]);
        _bootstrapBind(A_BUREAU_B, bureau, 0, regionCode[G_TOWN_B]);
        _bootstrapBind(A_BUREAU_C, bureau, 0, regionCode[G_TOWN_C]);
        _bootstrapBind(A_BUREAU_VILLAGE_A, bureau, 0, regionCode[G_VILLAGE_A]);
        _bootstrapBind(A_BUREAU_OTHER, bureau, 0, regionCode[G_OTHER]);
        _bootstrapBind(A_CIVIL_AFFAIRS, IDirectory.OfficeKind.CivilAffairs, 0, county);
        _bootstrapBind(A_CIVIL_AFFAIRS_B, IDirectory.OfficeKind.CivilAffairs, 0, regionCode[G_TOWN_A]);
        _bootstrapBind(A_DISBURSER, IDirectory.OfficeKind.Treasury, 0, county);
        _bootstrapBind(A_BANK, IDirectory.OfficeKind.Bank, 0, county);
        _bootstrapBind(A_TREASURY_OTHER, IDirectory.OfficeKind.Treasury, 0, OTHER_COUNTY);
        _bootstrapBind(A_BANK_OTHER, IDirectory.OfficeKind.Bank, 0, OTHER_COUNTY);
        _bootstrapBind(A_DEPT_0, reviewer, 0, county);
        _bootstrapBind(A_DEPT_1, reviewer, 1, county);
        _bootstrapBind(A_DEPT_2_A, reviewer, 2, regionCode[G_TOWN_A]);
        _bootstrapBind(A_DEPT_2_B, reviewer, 2, regionCode[G_TOWN_B]);
        _bootstrapBind(A_DEPT_2_C, reviewer, 2, regionCode[G_TOWN_C]);
        _bootstrapBind(A_DEPT_3, reviewer, 3, county);

        ceiling = INITIAL_CEILING;
        cap = INITIAL_CAP;
        publicity = INITIAL_PUBLICITY;
        stages = INITIAL_STAGES;
        vm.prank(actors[A_PROGRAMME_ADMIN]);
        pid = programmes.createProgramme(EARMARK, 2026, regionCode[G_COUNTY], _terms());

        // 8 households in each of towns A, B and C and village A (blocks 0-3; the bootstrap rosters pay the
        // first of each), then town A's block 0 filled to 255 ids of 256, so that the run's first town A
        // registration fills it (and a batch of two or three opens another block midway); then money down
        // the tree.
        uint8[4] memory first = [G_TOWN_A, G_TOWN_B, G_TOWN_C, G_VILLAGE_A];
        for (uint256 i = 0; i < 4; ++i) _must(_register(0, 8, 2, regionCode[first[i]]), "register");
        for (uint256 i = 0; i < 6; ++i) _must(_register(0, 41, 2, regionCode[G_TOWN_A]), "register town A");
        _must(_fund(0, 30_000_000), "fund");
        _must(_allocate(0, G_COUNTY, G_TOWN_A, 6_000_000), "allocate A");
        _must(_allocate(0, G_COUNTY, G_TOWN_B, 6_000_000), "allocate B");
        _must(_allocate(0, G_COUNTY, G_TOWN_C, 6_000_000), "allocate C");
        _must(_allocate(0, G_TOWN_A, G_VILLAGE_A, 1_000_000), "allocate village A");

        // Roster 1 (town A, 3 lines): signed off by transaction, publicity over: Payable. Lines name households
        // by the order they were registered in (below, byte i: the line's).
        uint64 r1 = _submit(0, G_TOWN_A, 3, 0x030201, 0, 0);
        _must(r1 == 1, "roster 1");
        for (uint256 i = 0; i < 3; ++i) _must(_approve(0, r1, _stageHolder(gr[r1], i)), "approve 1");
        // Roster 2 (town B, 3 lines): signed off by seals. Its last line names a household of village A,
        // outside town B: never payable on this roster, so that payouts meet the region rule from the start.
        uint64 r2 = _submit(0, G_TOWN_B, 3, 0x1a0a09, 0, 0);
        _must(r2 == 2, "roster 2");
        _must(_approveBySig(r2, 0), "seal 2");
        vm.warp(block.timestamp + INITIAL_PUBLICITY + 1);
        vm.roll(block.number + 1);
        // Roster 3 (town C, 4 lines) signed off, in publicity; roster 4 (village A, 1 line) awaiting
        // sign-off (a county roster lies above the township stage). Each roster's lines are listed on
        // RosterLines in one transaction right after it is submitted, which seals it.
        uint64 r3 = _submit(0, G_TOWN_C, 4, 0x14131211, 0, 0);
        _must(r3 == 3, "roster 3");
        _must(_approveBySig(r3, 0), "seal 3");
        uint64 r4 = _submit(0, G_VILLAGE_A, 1, 0x19, 0, 0);
        _must(r4 == 4, "roster 4");
        // Roster 5 (town A, 3 lines): its first line listed, the other two still to come (a bureau resumes
        // from the frontier that line left): awaiting lines.
        uint64 r5 = _submit(0, G_TOWN_A, 3, 0x060504, 0, LIST_FIRST_CHUNK << 192);
        _must(r5 == 5 && gr[r5].linesListed == 1 && !gr[r5].listed, "roster 5");
        _must(unexpectedCount == 0 && forbiddenCount == 0, "bootstrap outcomes");
    }

    function _bootstrapBind(uint256 a, IDirectory.OfficeKind kind, uint8 department, uint64 region) private {
        IDirectory.Office memory office = IDirectory.Office(kind, department, region);
        vm.prank(actors[A_GOVERNOR]);
        directory.bindOffice(actors[a], office);
        _modelBind(actors[a], office);
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
            reviewStages: stages,
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

    /// @notice CIVIL_AFFAIRS registers 1-3 households of one region (sometimes a duplicate or zero
    /// commitment, or a person registered already under a new commitment: a second identity). The region
    /// is mostly one the rosters pay; sometimes one outside the caller's office, or no region at all.
    function registerHouseholds(uint256 actorSeed, uint256 count, uint256 badSeed, uint256 regionSeed) external {
        _register(actorSeed, bound(count, 1, 3), badSeed, _registrationRegion(regionSeed));
    }

    function _register(uint256 actorSeed, uint256 count, uint256 badSeed, uint64 region) private returns (bool) {
        uint64 registered = hhCount();
        if (registered + count > MAX_HOUSEHOLDS) return false;
        address caller = _pick(actorSeed, _civilAffairsFor(actorSeed), actors[A_DEPT_3]);
        uint256 reasons = _paused(_c(C_HOUSEHOLDS)) | _role(caller, Roles.CIVIL_AFFAIRS) | _civilAffairs(caller);
        reasons |= _isCode(region) ? _outsideOffice(caller, region) : R_REGION;
        bytes32[] memory commitments = new bytes32[](count);
        bytes32[] memory people = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            commitments[i] = _commitment(registered + 1 + i);
            people[i] = _person(registered + 1 + i);
        }
        uint256 bad = _b(badSeed, 0, 8);
        if (bad == 0 && registered > 0) {
            commitments[count - 1] = _commitment(1 + _b(badSeed, 8, registered)); // already registered
            reasons |= R_TAMPERED;
        } else if (bad == 1) {
            commitments[0] = bytes32(0);
            reasons |= R_TAMPERED;
        } else if (bad == 3 && registered > 0) {
            people[count - 1] = _person(1 + _b(badSeed, 8, registered)); // a registered person, a new commitment
            reasons |= R_TAMPERED;
        }
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(
            address(households),
            abi.encodeCall(households.registerHouseholds, (region, commitments, people, keccak256("attestation")))
        );
        if (!_outcome("registerHouseholds", ok, reasons, err)) return ok;
        for (uint256 i = 0; i < count; ++i) {
            uint64 id = _nextIdModel(region);
            householdIds.push(id);
            regionOfModel[id] = region;
            if (households.householdIdOf(commitments[i]) != id || households.regionOf(id) != region) {
                _unexpected("registerHouseholds: an id or its region is not the model's");
            }
        }
        return true;
    }

    /// @dev A registration's region: mostly a township or village the rosters pay (town A, the busiest,
    /// most often), sometimes the county or village B; one time in eight the other county's township
    /// (outside every civil-affairs office of the run) or no region (zero, two digits, thirteen digits).
    function _registrationRegion(uint256 seed) private view returns (uint64) {
        uint256 k = _b(seed, 0, 32);
        if (k < 9) return regionCode[G_TOWN_A];
        if (k < 15) return regionCode[G_TOWN_B];
        if (k < 21) return regionCode[G_TOWN_C];
        if (k < 26) return regionCode[G_VILLAGE_A];
        if (k == 26) return regionCode[G_COUNTY];
        if (k == 27) return regionCode[G_VILLAGE_B];
        uint64[4] memory outside = [regionCode[G_OTHER], 0, 99, 1_000_000_000_000];
        return outside[k - 28];
    }

    /// @dev The id the register gives `region`'s next household: the next of the region's open block; when
    /// it has none, or that block is full, the first of the next block opened (id 1 for block 0).
    function _nextIdModel(uint64 region) private returns (uint64) {
        uint256 open = openBlockModel[region];
        if (open == 0 || blockFillModel[open - 1] == BLOCK_SIZE) {
            open = ++blockCountModel;
            openBlockModel[region] = open;
            blockRegionModel[open - 1] = region;
            if (open == 1) blockFillModel[0] = 1; // id 0 is never a household
        }
        return uint64((open - 1) * BLOCK_SIZE + blockFillModel[open - 1]++);
    }

    function _commitment(uint256 n) private pure returns (bytes32) {
        return keccak256(abi.encode("household", n));
    }

    function _person(uint256 n) private pure returns (bytes32) {
        return keccak256(abi.encode("person", n));
    }

    /// @notice CIVIL_AFFAIRS suspends a household (ids include 0 and unregistered ones). Town A's office
    /// acts on town A's subtree only.
    function suspendHousehold(uint256 actorSeed, uint256 householdSeed, uint256 reason) external {
        uint64 h = _someHousehold(householdSeed);
        address caller = _pick(actorSeed, _civilAffairsFor(actorSeed), actors[A_DEPT_3]);
        uint64 region = regionOfModel[h];
        uint256 reasons = _paused(_c(C_HOUSEHOLDS)) | _role(caller, Roles.CIVIL_AFFAIRS) | _civilAffairs(caller);
        if (region != 0) reasons |= _outsideOffice(caller, region);
        if (region == 0 || _isSuspended(h)) reasons |= R_WRONG_STATE;
        IHouseholdRegistry.SuspensionReason why = IHouseholdRegistry.SuspensionReason(bound(reason, 0, 3));
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(households), abi.encodeCall(households.suspendHousehold, (h, why, keccak256("why"))));
        if (!_outcome("suspendHousehold", ok, reasons, err)) return;
        _setSuspended(h, true);
        deceasedModel[h] = why == IHouseholdRegistry.SuspensionReason.Deceased;
    }

    /// @notice CIVIL_AFFAIRS reinstates a household (mostly a suspended one). A household suspended as
    /// deceased takes two different civil-affairs accounts: the first proposes, the second reinstates;
    /// the proposer confirming its own proposal is forbidden. Both must cover the household's region:
    /// outside town A's subtree, town A's office neither proposes nor confirms.
    function reinstateHousehold(uint256 actorSeed, uint256 householdSeed) external {
        uint64 h = _someHousehold(householdSeed);
        if (_b(householdSeed, 128, 4) != 0) {
            uint256 n = householdIds.length;
            uint256 start = _b(householdSeed, 136, n);
            for (uint256 k = 0; k < n; ++k) {
                uint64 c = householdIds[(start + k) % n];
                if (_isSuspended(c)) {
                    h = c;
                    break;
                }
            }
        }
        address office = _b(actorSeed, 64, 2) == 0 ? actors[A_CIVIL_AFFAIRS] : actors[A_CIVIL_AFFAIRS_B];
        address caller = _pick(actorSeed, office, actors[A_DEPT_3]);
        uint64 region = regionOfModel[h];
        uint256 reasons = _paused(_c(C_HOUSEHOLDS)) | _role(caller, Roles.CIVIL_AFFAIRS) | _civilAffairs(caller);
        if (region != 0) reasons |= _outsideOffice(caller, region);
        if (region == 0 || !_isSuspended(h)) reasons |= R_WRONG_STATE;
        else if (deceasedModel[h] && proposerModel[h] == caller) reasons |= R_REPEAT; // one key cannot undo a death
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(households), abi.encodeCall(households.reinstateHousehold, (h, keccak256("back"))));
        if (!_outcome("reinstateHousehold", ok, reasons, err)) return;
        if (deceasedModel[h] && proposerModel[h] == address(0)) {
            proposerModel[h] = caller; // proposed; still suspended
            return;
        }
        _setSuspended(h, false);
        deceasedModel[h] = false;
        proposerModel[h] = address(0);
    }

    /// @dev The county's civil-affairs office mostly; town A's one time in eight.
    function _civilAffairsFor(uint256 seed) private view returns (address) {
        return _b(seed, 64, 8) == 1 ? actors[A_CIVIL_AFFAIRS_B] : actors[A_CIVIL_AFFAIRS];
    }

    /// @dev A household for the register's writes: mostly one a roster's line names (so that suspensions
    /// meet payouts), otherwise any registered one; one time in sixteen an id that is mostly no household's.
    function _someHousehold(uint256 seed) private view returns (uint64) {
        uint256 k = _b(seed, 0, 16);
        if (k == 0) return _strayId(seed >> 8);
        if (k < 8 && rosterCount != 0) {
            GhostRoster storage r = gr[uint64(1 + _b(seed, 8, rosterCount))];
            return r.household[_b(seed, 40, r.n)];
        }
        return householdIds[_b(seed, 8, householdIds.length)];
    }

    /// @dev Id 0, the id past a block's fill (a household's after all when the block is full and the next
    /// one opened), or an id of the first block not opened. Below 256 * (blockCount + 1), as every id the
    /// handler names.
    function _strayId(uint256 seed) private view returns (uint64) {
        uint256 k = _b(seed, 0, 3);
        if (k == 0) return 0;
        if (k == 1) {
            uint256 b = _b(seed, 8, blockCountModel);
            return uint64(b * BLOCK_SIZE + blockFillModel[b]);
        }
        return uint64(blockCountModel * BLOCK_SIZE + _b(seed, 16, BLOCK_SIZE));
    }

    function _isSuspended(uint64 h) private view returns (bool) {
        return (suspendedWordModel[h / BLOCK_SIZE] >> (h % BLOCK_SIZE)) & 1 == 1;
    }

    function _setSuspended(uint64 h, bool suspended) private {
        uint256 bit = uint256(1) << (h % BLOCK_SIZE);
        if (suspended) suspendedWordModel[h / BLOCK_SIZE] |= bit;
        else suspendedWordModel[h / BLOCK_SIZE] &= ~bit;
    }

    // =============================================================================================
    // Actions: rosters
    // =============================================================================================

    /// @notice A bureau submits a roster of 1-4 lines, then lists them on RosterLines. Households are mostly
    /// of the roster's region or below it, sometimes of another region or unregistered (perhaps id 0: the
    /// lines are then refused); the declared total is usually the sum of the lines, sometimes more or less
    /// (the lines are then refused: the roster stays awaiting lines until withdrawn) or out of range. One
    /// time in sixteen the lines are an earlier roster's: the same list again, refused unless that roster
    /// was withdrawn or rejected.
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

    /// @dev Listing modes after a submission (`_b(totalSeed, 192, 16)`): below LIST_TWO_CHUNKS every line in
    /// one transaction; LIST_TWO_CHUNKS and the next, in two transactions in a row (the second resuming from
    /// the frontier the first left); LIST_FIRST_CHUNK, the first chunk only; above it, none yet (the bureau
    /// lists them later: `listLines`).
    uint256 internal constant LIST_TWO_CHUNKS = 12;
    uint256 internal constant LIST_FIRST_CHUNK = 14;

    /// @dev Households: by byte i of `householdSeed`, mostly the next of the roster's subtree, sometimes any
    /// household (perhaps of another region) or a stray id, drawn from its 32-bit group i above bit 64; when
    /// `amountSeed` is zero (the bootstrap), the byte-i-th household registered (id 0 for a zero byte).
    /// Amounts: 40-bit groups of `amountSeed` (mod cap, plus 1), or fixed in the bootstrap. After a successful
    /// submission, the lines go to RosterLines as `totalSeed` says (see LIST_TWO_CHUNKS), by the region's
    /// bureau but one time in sixteen (`actorSeed` from bit 96), where a chunk splits them at line
    /// `1 + _b(totalSeed, 208, n - 1)`.
    function _submit(uint256 actorSeed, uint8 g, uint8 n, uint256 householdSeed, uint256 amountSeed, uint256 totalSeed)
        private
        returns (uint64 id)
    {
        if (rosterCount >= MAX_ROSTERS) return 0;
        uint64[4] memory hh;
        uint128[4] memory amt;
        uint256 sum = 0;
        if (amountSeed != 0 && _b(householdSeed, 224, 16) == 1) {
            // An earlier roster's list again: same lines, same root.
            GhostRoster storage earlier = gr[uint64(1 + _b(householdSeed, 232, rosterCount))];
            (n, hh, amt) = (earlier.n, earlier.household, earlier.amount);
            for (uint256 i = 0; i < n; ++i) sum += amt[i];
        } else {
            for (uint256 i = 0; i < n; ++i) {
                uint8 hb = uint8(householdSeed >> (8 * i));
                uint256 pickSeed = householdSeed >> (64 + 32 * i);
                if (amountSeed == 0) {
                    hh[i] = hb == 0 ? 0 : householdIds[hb - 1]; // fixed lines (bootstrap; the fuzzer may pass zero too)
                } else if (hb >= 64) {
                    hh[i] = _freshHousehold(regionCode[g]);
                } else if (hb >= 16) {
                    hh[i] = householdIds[_b(pickSeed, 0, householdIds.length)]; // any household, of any region
                } else {
                    hh[i] = _strayId(pickSeed); // mostly no household (id 0 one time in three)
                }
                uint256 range = _b(amountSeed, 160 + 8 * i, 4) == 0 ? cap : cap / 2;
                amt[i] = amountSeed == 0 ? uint128(10_000 * (i + 1)) : uint128(1 + _b(amountSeed & ((uint256(1) << (40 * i + 40)) - 1), 40 * i, range));
                sum += amt[i];
            }
            if (_b(amountSeed, 200, 16) == 15) {
                sum = sum - amt[0] + cap + 1; // one line above the cap: refused by RosterLines as long as the cap stays
                amt[0] = cap + 1;
            }
        }
        uint256 total = sum;
        uint256 mode = _b(totalSeed, 0, 10);
        // A total other than the lines' sum leaves the roster awaiting lines for good: half as often as
        // before the lines reached the chain, so that most rosters go on to sign-off and payout.
        if (mode >= 6 && mode <= 8 && _b(totalSeed, 224, 2) == 0) mode = 0;
        if (mode == 6 || mode == 7) {
            total = sum + 1 + _b(totalSeed, 8, 100_000); // more than the lines: the last chunk is refused, never sealed
        } else if (mode == 8) {
            uint256 less = _b(totalSeed, 8, sum);
            total = sum - less < n ? n : sum - less; // less than the lines (or equal): refused once past the total
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
        // Every stage needs its office at or above the roster's region (a county roster has no township office).
        if (_level(regionCode[g]) < _deepestLevel(stages)) reasons |= R_ABOVE_STAGE;
        // The same list again, while its latest roster stands (neither withdrawn nor rejected).
        uint64 latest = rosterOfRootModel[root];
        if (
            !zeroRoot && latest != 0 && gr[latest].ending != uint8(IRosterBook.Ending.Withdrawn)
                && gr[latest].ending != uint8(IRosterBook.Ending.Rejected)
        ) {
            reasons |= R_REPEAT;
            ++duplicatesTried;
        }
        for (uint256 bb = 0; bb < 20; ++bb) if ((reasons >> bb) & 1 == 1) dbgSubmit = string.concat(dbgSubmit, vm.toString(bb), ",");
        dbgSubmit = string.concat(dbgSubmit, ";");
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(rosters), abi.encodeCall(rosters.submitRoster, (sub)));
        if (!_outcome("submitRoster", ok, reasons, err)) return 0;
        if (latest != 0) ++listsSubmittedAgain;

        id = ++rosterCount;
        rosterOfRootModel[root] = id;
        GhostRoster storage r = gr[id];
        r.region = g;
        r.n = n;
        r.submitter = caller;
        r.total = uint128(total);
        r.stages = stages;
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

        // The lines follow, from the region's bureau (mostly).
        uint256 listing = _b(totalSeed, 192, 16);
        if (listing > LIST_FIRST_CHUNK) return id;
        // Listing follows submission at once, so that most rosters reach sign-off: the bureau but one time in 16.
        address lister = _b(actorSeed, 96, 16) == 15 ? actors[_b(actorSeed, 104, N_ACTORS)] : bureauModel[g];
        if (listing < LIST_TWO_CHUNKS || n == 1) {
            _listChunk(id, lister, n, 0);
            return id;
        }
        uint256 split = 1 + _b(totalSeed, 208, n - 1);
        if (_listChunk(id, lister, split, 0) && listing < LIST_FIRST_CHUNK) _listChunk(id, lister, n - split, 0);
    }

    /// @notice The region's bureau lists the lines of a roster awaiting them, from where its listing stands
    /// (resuming from the frontier the lines listed so far left): the rest in one transaction, in two in a
    /// row, or only a first chunk. Sometimes the roster awaits no lines (sealed, withdrawn); one time in
    /// eight the (last) chunk is forged (see `_listChunk`).
    function listLines(uint256 actorSeed, uint256 rosterSeed, uint256 chunkSeed) external {
        // Mostly a roster whose lines can seal it (the bureau finishes what a pause, a wrong key or a
        // deferral left undone); otherwise any awaiting lines, or any.
        uint64 id = _b(rosterSeed, 64, 4) != 0 ? _pickRosterWith(rosterSeed, _sealable) : 0;
        if (id == 0) id = _pickRoster(rosterSeed, IRosterBook.RosterState.AwaitingLines);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        address caller = _pick(actorSeed, bureauModel[r.region], r.submitter);
        uint256 tamper = _b(chunkSeed, 0, 8) == 0 ? 1 + _b(chunkSeed, 8, 7) : 0;
        uint256 rest = r.n - r.linesListed;
        uint256 how = _b(chunkSeed, 16, 3);
        if (rest < 2 || how == 0) {
            _listChunk(id, caller, rest == 0 ? 1 : rest, tamper);
            return;
        }
        uint256 first = 1 + _b(chunkSeed, 24, rest - 1);
        if (how == 2) {
            _listChunk(id, caller, first, tamper);
            return;
        }
        if (_listChunk(id, caller, first, 0)) _listChunk(id, caller, rest - first, tamper);
    }

    /// @dev A chunk of lines as the handler sends it to RosterLines, and what makes it wrong.
    struct Chunk {
        uint256 listed; // lines RosterLines holds before it
        uint256 count; // lines sent
        uint256 first; // the index the chunk says its first line has
        bytes records; // RosterLines' 16-byte records (household, amount), one per line
        bytes32[] frontier;
        uint256 sum; // their amounts
        bool invalidLine; // a line names household 0, pays nothing or more than the cap
        bool otherList; // a line is not the model's: the lines' root is not the declared one
        uint256 reasons; // why the chunk's content is refused
    }

    /// @dev Sends the next `count` lines of roster `id` (from `linesListed`, with the frontier the lines
    /// before them left, computed by LineTreeBuilder in the harness) as `caller`. `tamper`: 0 honest; 1 a
    /// frontier the lines listed did not leave; 2 the chunk starts one line early or late (with that
    /// position's frontier); 3 one line too many; 4 no line; 5 in the last chunk, a line naming another
    /// household (the lines' root is not the declared one; otherwise honest); 6 a record cut short (one
    /// byte more than whole records); 7 half a record more (eight bytes). Returns whether the chunk was
    /// listed. (A record carries no index, so an index out of order or twice cannot be sent at all.)
    function _listChunk(uint64 id, address caller, uint256 count, uint256 tamper) private returns (bool) {
        GhostRoster storage r = gr[id];
        Chunk memory c = _chunk(r, count, tamper);
        bool last = c.listed + c.count == r.n;
        uint256 listedAmount = r.amountListed + c.sum;
        uint256 reasons = c.reasons;
        if (listedAmount > r.total) reasons |= R_AMOUNT; // past the declared total
        if (last && listedAmount < r.total) reasons |= R_AMOUNT; // short of it: the seal refuses
        if (last && c.otherList) reasons |= R_TAMPERED; // not the declared root: the seal refuses
        if (_state(id) != IRosterBook.RosterState.AwaitingLines) reasons |= R_WRONG_STATE;
        // The last line seals the roster: RosterBook must be running too.
        reasons |= _paused(_c(C_LINES) | (last ? _c(C_ROSTERS) : 0)) | _role(caller, Roles.BUREAU)
            | _bureau(caller, r.region);

        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(rosterLines), abi.encodeCall(rosterLines.submitLines, (id, uint32(c.first), c.records, c.frontier)));
        if (!ok && reasons != 0 && reasons & ~(R_AMOUNT | R_HOUSEHOLD) == 0) {
            // Refused for its lines alone: the error names why, as RosterLines checks them (each line in turn,
            // then the running sum, then the seal).
            bytes4 expected = c.invalidLine
                ? IRosterLines.RosterLinesInvalidLine.selector
                : listedAmount > r.total ? IRosterLines.RosterLinesOverTotal.selector : IRosterBook.RosterBookListMismatch.selector;
            if (err.length < 4 || bytes4(err) != expected) {
                _unexpected("submitLines: refused with another error than its lines' own");
                lastUnexpectedError = err;
            }
        }
        if (!_outcome(c.listed == 0 ? "submitLines" : "submitLinesResumed", ok, reasons, err)) return false;
        if (c.listed != 0) ++resumedChunks;
        r.linesListed = uint8(c.listed + c.count);
        r.amountListed = uint128(listedAmount);
        if (last) {
            r.listed = true;
            if (c.listed != 0) ++sealedByResumedChunk;
        }
        return true;
    }

    /// @dev The chunk `_listChunk` sends (see there), and the reasons its content alone gives to refuse it.
    function _chunk(GhostRoster storage r, uint256 count, uint256 tamper) private view returns (Chunk memory c) {
        c.listed = r.linesListed;
        uint256 from = c.listed;
        if (tamper == 2) {
            from = c.listed == 0 || (c.listed < r.n - 1 && count % 2 == 1) ? c.listed + 1 : c.listed - 1;
            c.reasons |= R_TAMPERED;
        }
        if (tamper == 3) ++count;
        if (tamper == 4) count = 0;
        c.count = count;
        // Lines `from` ... `from + count - 1` (past the last line: a made-up one).
        c.first = from;
        for (uint256 k = 0; k < count; ++k) {
            uint256 i = from + k;
            uint64 h = i < r.n ? r.household[i] : 1;
            uint128 a = i < r.n ? r.amount[i] : 1;
            if (tamper == 5 && k + 1 == count && from + count == r.n) {
                h += 1; // another household: the same amount, another leaf
                c.otherList = true;
            }
            if (h == 0) c.reasons |= R_HOUSEHOLD;
            if (a == 0 || a > cap) c.reasons |= R_AMOUNT;
            if (h == 0 || a == 0 || a > cap) c.invalidLine = true;
            c.records = bytes.concat(c.records, bytes8(h), bytes8(uint64(a)));
            c.sum += a;
        }
        if (tamper == 6) {
            c.records = bytes.concat(c.records, bytes1(0x01));
            c.reasons |= R_TAMPERED;
        }
        if (tamper == 7) {
            c.records = bytes.concat(c.records, bytes8(uint64(1)));
            c.reasons |= R_TAMPERED;
        }
        if (count == 0 || c.listed + count > r.n) c.reasons |= R_TAMPERED; // no line, or past the line count
        c.frontier = _frontierOf(r, from);
        if (tamper == 1) {
            if (c.frontier.length == 0) {
                c.frontier = new bytes32[](2);
                (c.frontier[0], c.frontier[1]) = (bytes32(uint256(2 * r.n - 2)), keccak256("not a frontier"));
            } else {
                c.frontier[c.frontier.length - 1] ^= bytes32(uint256(1));
            }
            c.reasons |= R_TAMPERED;
        }
    }

    /// @dev Whether roster `id` awaits lines that would seal it: each names a household and pays 1 to the cap
    /// fen, and they add up to its total.
    function _sealable(uint64 id) private view returns (bool) {
        GhostRoster storage r = gr[id];
        if (_state(id) != IRosterBook.RosterState.AwaitingLines) return false;
        uint256 sum = 0;
        for (uint256 i = 0; i < r.n; ++i) {
            if (r.household[i] == 0 || r.amount[i] == 0 || r.amount[i] > cap) return false;
            sum += r.amount[i];
        }
        return sum == r.total;
    }

    /// @dev The frontier the first `k` lines of `r` leave (empty for none and for all).
    function _frontierOf(GhostRoster storage r, uint256 k) private view returns (bytes32[] memory) {
        if (k == 0 || k >= r.n) return new bytes32[](0);
        bytes32[] memory leaves = new bytes32[](k);
        for (uint256 i = 0; i < k; ++i) leaves[i] = RosterTree.leaf(uint32(i), r.household[i], r.amount[i]);
        return builder.frontierAfter(r.n, leaves);
    }

    /// @notice The frontier the first `k` lines of roster `id` leave, by the model's lines.
    function frontierOfModel(uint64 id, uint256 k) external view returns (bytes32[] memory) {
        return _frontierOf(gr[id], k);
    }

    /// @dev The next household of `region`'s subtree from the cursor: households in turn, so that lines reach
    /// ones holding no payout yet (any household when the subtree has none).
    function _freshHousehold(uint64 region) private returns (uint64 h) {
        uint256 n = householdIds.length;
        for (uint256 k = 0; k < n; ++k) {
            h = householdIds[householdCursor++ % n];
            if (regionCovers(region, regionOfModel[h])) return h;
        }
    }

    /// @notice The region's current bureau withdraws a roster awaiting sign-off, or still awaiting its lines
    /// (half the time preferred: one whose lines never add up to its total holds its reservation until then).
    function withdrawRoster(uint256 actorSeed, uint256 rosterSeed) external {
        if (_b(rosterSeed, 0, 3) != 0) return; // rarer than approvals, so that rosters live on
        IRosterBook.RosterState want = _b(rosterSeed, 2, 2) == 0
            ? IRosterBook.RosterState.AwaitingLines
            : IRosterBook.RosterState.AwaitingSignOff;
        uint64 id = _pickRoster(rosterSeed >> 8, want);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        address caller = _pick(actorSeed, bureauModel[r.region], r.submitter);
        uint256 reasons =
            _paused(_c(C_ROSTERS) | _c(C_LEDGER)) | _role(caller, Roles.BUREAU) | _bureau(caller, r.region);
        IRosterBook.RosterState state = _state(id);
        if (state != IRosterBook.RosterState.AwaitingSignOff && state != IRosterBook.RosterState.AwaitingLines) {
            reasons |= R_WRONG_STATE;
        }
        vm.prank(caller);
        (bool ok, bytes memory err) =
            _call(address(rosters), abi.encodeCall(rosters.withdrawRoster, (id, keccak256("withdrawn"))));
        if (!_outcome("withdrawRoster", ok, reasons, err)) return;
        r.ending = uint8(IRosterBook.Ending.Withdrawn);
        _releaseRest(r);
    }

    /// @notice A stage office approves by transaction: mostly the holder of a stage not yet approved (the
    /// next one, three times out of four, when the stages run in order; otherwise any, possibly out of order).
    function approveRoster(uint256 actorSeed, uint256 rosterSeed) external {
        uint64 id = _pickRoster(rosterSeed, IRosterBook.RosterState.AwaitingSignOff);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        _approve(actorSeed, id, _pick(actorSeed, _stageHolder(r, _missingStage(r, actorSeed >> 64)), r.submitter));
    }

    function _approve(uint256, uint64 id, address caller) private returns (bool) {
        GhostRoster storage r = gr[id];
        uint256 reasons = _paused(_c(C_ROSTERS)) | _role(caller, Roles.REVIEWER) | _reviewer(caller, r);
        if (_state(id) != IRosterBook.RosterState.AwaitingSignOff) reasons |= R_WRONG_STATE;
        (bool found, uint8 stage) = _reviewingStage(caller, r);
        if (found) reasons |= _stageReasons(r.stages, r.approvals, stage);
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(rosters), abi.encodeCall(rosters.approveRoster, (id)));
        if (!_outcome("approveRoster", ok, reasons, err)) return ok;
        _recordApproval(r, stage);
        return true;
    }

    /// @notice A relayer submits EIP-712 seals of the holders of the missing stages; variants forge them.
    function approveRosterBySig(uint256 rosterSeed, uint256 variant) external {
        uint64 id = _pickRoster(rosterSeed, IRosterBook.RosterState.AwaitingSignOff);
        if (id == 0) return;
        _approveBySig(id, variant);
    }

    /// @dev variant (bounded to 0-7): 0-4 honest (the holders of every missing stage, or of a subset, listed in
    /// stage order or sometimes backwards: signers need no order, but stages that run in order then fail);
    /// 5 expired; 6 a hostile signer added (the submitter, a reviewing office with perhaps no stage of this
    /// roster, bureau C, which holds REVIEWER, the outsider); 7 a seal claiming another stage, a seal with a
    /// nonce out of sequence, or the first seal repeated with the signer's next nonce.
    function _approveBySig(uint64 id, uint256 variant) private returns (bool) {
        GhostRoster storage r = gr[id];
        uint256 kind = _b(variant, 0, 8);
        uint256 reasons = _paused(_c(C_ROSTERS));
        if (_state(id) != IRosterBook.RosterState.AwaitingSignOff) reasons |= R_WRONG_STATE;

        address[] memory signers = new address[](10);
        uint8[] memory claimed = new uint8[](10);
        uint256 count = 0;
        uint256 pickMask = kind <= 2 ? type(uint256).max : (variant >> 8) | 1;
        uint256 seen = 0;
        uint256 n = _stageCount(r.stages);
        for (uint256 i = 0; i < n; ++i) {
            if ((r.approvals >> i) & 1 == 1) continue;
            if ((pickMask >> seen++) & 1 == 0) continue;
            address holder = _stageHolder(r, i);
            if (holder == address(0)) continue; // a vacant office seals nothing
            signers[count] = holder;
            claimed[count++] = uint8(i);
        }
        if (_b(variant, 40, 4) == 1) {
            for (uint256 i = 0; i < count / 2; ++i) {
                (signers[i], signers[count - 1 - i]) = (signers[count - 1 - i], signers[i]);
                (claimed[i], claimed[count - 1 - i]) = (claimed[count - 1 - i], claimed[i]);
            }
        }
        if (kind == 5 && count == 0) kind = 6;
        if (kind == 6) {
            address hostile = _hostileSigner(r, variant >> 16);
            (bool found, uint8 stage) = _reviewingStage(hostile, r);
            signers[count] = hostile;
            claimed[count++] = found ? stage : uint8(_b(variant, 24, 3));
        }
        bool skipNonce = false;
        if (kind == 7 && count > 0) {
            uint256 how = _b(variant, 32, 3);
            if (how == 0) {
                claimed[0] = uint8((claimed[0] + 1 + _b(variant, 24, 7)) % 8); // the seal claims another stage
                reasons |= R_TAMPERED;
            } else if (how == 1) {
                skipNonce = true; // the first seal skips a nonce of its signer's sequence
                reasons |= R_TAMPERED;
            } else {
                (signers[count], claimed[count]) = (signers[0], claimed[0]); // a stage sealed twice
                ++count;
            }
        }
        if (count == 0) return false;

        // Seal by seal, in the order listed: what the contract checks, as the rules state them.
        uint256 approvals = r.approvals;
        for (uint256 i = 0; i < count; ++i) {
            address signer = signers[i];
            reasons |= _role(signer, Roles.REVIEWER) | _reviewer(signer, r);
            (bool found, uint8 stage) = _reviewingStage(signer, r);
            if (!found) continue;
            if (stage != claimed[i]) {
                reasons |= R_TAMPERED; // the signer holds another stage's office
                continue;
            }
            reasons |= _stageReasons(r.stages, approvals, stage);
            approvals |= uint256(1) << stage;
        }
        uint256 deadline = kind == 5 ? block.timestamp - 1 : block.timestamp + 1 days;
        if (kind == 5) reasons |= R_TAMPERED;
        IRosterBook.SignedApproval[] memory seals = new IRosterBook.SignedApproval[](count);
        for (uint256 i = 0; i < count; ++i) {
            uint256 seq = sigSeq[signers[i]][id] + (skipNonce && i == 0 ? 1 : 0);
            for (uint256 j = 0; j < i; ++j) if (signers[j] == signers[i]) ++seq; // its earlier seals in this batch
            uint256 nonce = (uint256(id) << 64) | seq;
            bytes32 digest = rosters.approvalDigest(id, claimed[i], nonce, deadline);
            (uint8 v, bytes32 sr, bytes32 ss) = vm.sign(keyOf[signers[i]], digest);
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

    /// @dev A signer that should not count: the submitter, a reviewing office (department 3 at the county, or
    /// department 2 of any township: it may hold a stage of this roster after all), bureau C (holds
    /// REVIEWER, but its office is the bureau), the outsider.
    function _hostileSigner(GhostRoster storage r, uint256 seed) private view returns (address) {
        uint256 who = _b(seed, 0, 5);
        if (who == 0) return r.submitter;
        if (who == 1) return actors[A_DEPT_3];
        if (who == 2) return reviewers[2 + _b(seed, 8, 3)];
        if (who == 3) return actors[A_BUREAU_C];
        return actors[A_OUTSIDER];
    }

    /// @dev Why approving `stage` now fails, given the stages approved: approved already, or an earlier
    /// stage of stages that run in order not yet approved.
    function _stageReasons(uint256 stages_, uint256 approvals, uint8 stage) private pure returns (uint256) {
        if ((approvals >> stage) & 1 == 1) return R_REPEAT;
        if (_isOrdered(stages_) && approvals != (uint256(1) << stage) - 1) return R_OUT_OF_ORDER;
        return 0;
    }

    function _recordApproval(GhostRoster storage r, uint8 stage) private {
        r.approvals |= uint256(1) << stage;
        if (r.approvals == fullApprovals(r.stages)) r.approvedAt = uint40(block.timestamp);
    }

    /// @notice The holder of a stage office of the roster rejects it while it awaits sign-off (in any order).
    function rejectRoster(uint256 actorSeed, uint256 rosterSeed) external {
        if (_b(rosterSeed, 0, 3) != 0) return;
        uint64 id = _pickRoster(rosterSeed >> 8, IRosterBook.RosterState.AwaitingSignOff);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        address caller = _pick(actorSeed, _anyStageHolder(r, actorSeed >> 64), r.submitter);
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

    /// @notice A stage office of the roster upholds or dismisses an objection, proving the line (sometimes forged).
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
        address caller = _pick(actorSeed, _anyStageHolder(r, actorSeed >> 64), r.submitter);
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

    /// @notice A stage office of the roster co-signs a requested closing (sometimes the submitter tries, or
    /// an account holding no stage office of the roster, or there is no request).
    function confirmClose(uint256 actorSeed, uint256 rosterSeed) external {
        uint64 id = _pickRosterWith(rosterSeed, _hasCloseRequest);
        if (id == 0) id = _pickRoster(rosterSeed >> 8, IRosterBook.RosterState.Payable);
        if (id == 0) return;
        GhostRoster storage r = gr[id];
        uint128 rest = _remaining(r);
        address caller = _pick(actorSeed, _anyStageHolder(r, actorSeed >> 64), r.submitter);
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

    /// @notice The county's treasury records the payout of one line, a subset, or the whole roster, with a
    /// multiproof. Sometimes the submitter tries, or a DISBURSER without the office (the other county's
    /// treasury, dept1, bureau C); sometimes a line is forged.
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
            | _role(caller, Roles.DISBURSER) | _office(caller, IDirectory.OfficeKind.Treasury, r.region);
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
            uint64 householdRegion = regionOfModel[h];
            if (householdRegion == 0 || _isSuspended(h)) reasons |= R_HOUSEHOLD;
            if (householdRegion != 0 && !regionCovers(regionCode[r.region], householdRegion)) reasons |= R_REGION;
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
                stagesAtPay: onChain.reviewStages,
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

    /// @notice The county's bank confirms paid lines (sometimes lines that are not Paid; sometimes the
    /// disburser or the other county's bank tries).
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
        address caller = _pick(actorSeed, _bankFor(actorSeed >> 64), actors[A_DISBURSER]);
        uint256 reasons = _paused(_c(C_DISBURSEMENT)) | _role(caller, Roles.BANK)
            | _office(caller, IDirectory.OfficeKind.Bank, r.region);
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
        address caller = _pick(actorSeed, _bankFor(actorSeed >> 64), actors[A_DISBURSER]);
        reasons |= _paused(_c(C_DISBURSEMENT) | _c(C_LEDGER)) | _role(caller, Roles.BANK)
            | _office(caller, IDirectory.OfficeKind.Bank, r.region);
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

    /// @notice The county's treasury requests the reversal of a paid line (legal only for a line the bank
    /// confirmed); sometimes dept1 or the other county's treasury, which hold DISBURSER but not the office.
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
            l.household ^= 1; // another household (lines name id 0 too): not the paid leaf
            reasons |= R_TAMPERED;
        }
        uint256 who = _b(actorSeed, 64, 8);
        address legit = who == 0 ? actors[A_DEPT_1] : who == 1 ? actors[A_TREASURY_OTHER] : actors[A_DISBURSER];
        address caller = _pick(actorSeed, legit, actors[A_BANK]);
        reasons |= _paused(_c(C_DISBURSEMENT)) | _role(caller, Roles.DISBURSER)
            | _office(caller, IDirectory.OfficeKind.Treasury, r.region);
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

    /// @notice A stage office of the roster approves a pending reversal (sometimes its requester or the
    /// submitter tries).
    function approveReversal(uint256 actorSeed, uint256 reversalSeed) external {
        _reviewReversal(actorSeed, reversalSeed, true);
    }

    /// @notice A stage office of the roster rejects a pending reversal.
    function rejectReversal(uint256 actorSeed, uint256 reversalSeed) external {
        _reviewReversal(actorSeed, reversalSeed, false);
    }

    function _reviewReversal(uint256 actorSeed, uint256 reversalSeed, bool approve) private {
        if (reversalCount == 0) return;
        uint256 rid = _pickReversal(reversalSeed, IDisbursement.ReversalStatus.Pending);
        GhostReversal storage v = grev[rid];
        GhostRoster storage r = gr[v.rosterId];
        address legit = _anyStageHolder(r, actorSeed >> 64);
        address special = _b(actorSeed, 128, 2) == 0 ? v.requester : r.submitter;
        address caller = _pick(actorSeed, legit, special);
        uint256 reasons = _paused(_c(C_DISBURSEMENT)) | _role(caller, Roles.REVIEWER);
        if (v.status != uint8(IDisbursement.ReversalStatus.Pending)) reasons |= R_WRONG_STATE;
        if (caller == v.requester || caller == r.submitter) reasons |= R_REVIEWER_CONFLICT;
        (bool found,) = _reviewingStage(caller, r);
        if (!found) reasons |= R_NOT_OFFICE;
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

    /// @notice The county's bank records the recovery of a reversal (sometimes one not approved, a zero
    /// reference, or the disburser or the other county's bank tries).
    function recordRecovery(uint256 actorSeed, uint256 reversalSeed, uint256 refSeed) external {
        if (reversalCount == 0) return;
        uint256 rid = _pickReversal(reversalSeed, IDisbursement.ReversalStatus.Approved);
        GhostReversal storage v = grev[rid];
        GhostRoster storage r = gr[v.rosterId];
        address caller = _pick(actorSeed, _bankFor(actorSeed >> 64), actors[A_DISBURSER]);
        uint256 reasons = _paused(_c(C_DISBURSEMENT) | _c(C_LEDGER)) | _role(caller, Roles.BANK)
            | _office(caller, IDirectory.OfficeKind.Bank, r.region);
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
        uint256 which = _b(targetSeed, 0, 3 * (N_CONTRACTS + 1));
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
        uint256 which = _b(targetSeed, 0, N_CONTRACTS + 2);
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

    /// @notice GOVERNOR rotates town A's or town B's bureau: binds a key never bound before to the region's
    /// Bureau office, which vacates and retires the old key (the new one takes over the region's rosters), or
    /// sometimes vacates the office. Variants try what the Directory must refuse: binding a retired key or
    /// one that holds an office (an account holds one office, once), the zero address, a malformed office,
    /// or unbinding a key that holds none.
    function rotateBureau(uint256 actorSeed, uint256 regionSeed) external {
        uint8 g = _b(regionSeed, 0, 2) == 0 ? G_TOWN_A : G_TOWN_B;
        uint256 variant = _b(regionSeed, 8, 16);
        address caller = _pick(actorSeed, actors[A_GOVERNOR], address(0));
        uint256 reasons = _paused(_c(C_DIRECTORY)) | _role(caller, Roles.GOVERNOR);
        bool ok;
        bytes memory err;
        if (variant < 2) {
            // The office is vacated; when it is vacant already, a key that holds nothing is named.
            address holder = bureauModel[g];
            if (holder == address(0)) holder = _retiredOr(regionSeed >> 64, actors[A_OUTSIDER]);
            if (officeModel[holder].kind == IDirectory.OfficeKind.None) reasons |= R_WRONG_STATE;
            vm.prank(caller);
            (ok, err) = _call(address(directory), abi.encodeCall(directory.unbindOffice, (holder)));
            if (!_outcome("unbindOffice", ok, reasons, err)) return;
            _modelUnbind(holder);
            return;
        }
        IDirectory.Office memory office = IDirectory.Office(IDirectory.OfficeKind.Bureau, 0, regionCode[g]);
        address account;
        if (variant == 2) {
            account = _retiredOr(regionSeed >> 64, actors[A_DEPT_0]); // a retired key (or a bound one)
        } else if (variant == 3) {
            account = _boundAccount(regionSeed >> 64); // holds an office: perhaps this very one
        } else if (variant == 4) {
            account = address(0);
        } else {
            account = _nextBureau(g);
            if (variant == 5) {
                uint256 how = _b(regionSeed, 32, 3);
                if (how == 0) office.kind = IDirectory.OfficeKind.None;
                else if (how == 1) office.department = 2; // only a reviewing office names a department
                else office.region = 99_999_999_999; // eleven digits: no region
                reasons |= R_TAMPERED;
            }
        }
        if (account == address(0)) reasons |= R_TAMPERED;
        else if (officeModel[account].kind != IDirectory.OfficeKind.None || retiredModel[account]) reasons |= R_REBIND;
        vm.prank(caller);
        (ok, err) = _call(address(directory), abi.encodeCall(directory.bindOffice, (account, office)));
        if (!_outcome("bindOffice", ok, reasons, err)) return;
        _modelBind(account, office);
    }

    /// @dev The key the next rotation of `g`'s bureau binds: one never bound, holding BUREAU (granted by the
    /// AccessManager's admin when the handler makes it).
    function _nextBureau(uint8 g) private returns (address account) {
        account = nextBureau[g];
        if (officeModel[account].kind == IDirectory.OfficeKind.None && !retiredModel[account]) return account;
        string memory name = string.concat(g == G_TOWN_A ? "bureauTownA-" : "bureauTownB-", vm.toString(++freshKeys));
        account = _account(name, _r(Roles.BUREAU));
        vm.prank(admin);
        manager.grantRole(Roles.BUREAU, account, 0);
        nextBureau[g] = account;
    }

    /// @dev A retired account from a seeded start, or `fallbackAccount` if none is.
    function _retiredOr(uint256 seed, address fallbackAccount) private view returns (address) {
        uint256 n = accounts.length;
        uint256 start = _b(seed, 0, n);
        for (uint256 k = 0; k < n; ++k) {
            address a = accounts[(start + k) % n];
            if (retiredModel[a]) return a;
        }
        return fallbackAccount;
    }

    /// @dev An account that holds an office, from a seeded start.
    function _boundAccount(uint256 seed) private view returns (address) {
        uint256 n = accounts.length;
        uint256 start = _b(seed, 0, n);
        for (uint256 k = 0; k < n; ++k) {
            address a = accounts[(start + k) % n];
            if (officeModel[a].kind != IDirectory.OfficeKind.None) return a;
        }
        return actors[A_DEPT_0];
    }

    /// @notice GOVERNOR amends the terms: ceiling (possibly below what is funded), cap, publicity period,
    /// review stages (possibly in order, possibly including department 3, which no roster required before,
    /// possibly malformed).
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
        uint128 newCeiling = ceilings[_b(termsSeed, 0, 8)];
        uint128 newCap = caps[_b(termsSeed, 8, 3)];
        uint32 newPublicity = periods[_b(termsSeed, 16, 3)];
        (uint256 newStages, bool validStages) = _stageSet(termsSeed >> 24);
        if (_b(termsSeed, 64, 16) == 0) newPublicity = 0; // invalid
        address caller = _pick(actorSeed, actors[A_GOVERNOR], address(0));
        uint256 reasons = _paused(_c(C_PROGRAMMES)) | _role(caller, Roles.GOVERNOR);
        if (newCeiling == 0 || newCap > newCeiling || newPublicity == 0 || !validStages) reasons |= R_TAMPERED;
        IProgrammeRegistry.Terms memory t = IProgrammeRegistry.Terms({
            budgetCeiling: newCeiling,
            householdCap: newCap,
            publicityPeriod: newPublicity,
            payoutPeriod: 30 days,
            reviewStages: newStages,
            policyDocHash: keccak256("policy v2"),
            policyURI: "https://policy.example/invariant-v2.pdf"
        });
        vm.prank(caller);
        (bool ok, bytes memory err) = _call(address(programmes), abi.encodeCall(programmes.amendProgramme, (pid, t)));
        if (!_outcome("amendProgramme", ok, reasons, err)) return;
        (ceiling, cap, publicity, stages) = (newCeiling, newCap, newPublicity, newStages);
    }

    /// @dev The stage sets amendments choose from, each stage (department, level), `ORDERED` when they run
    /// in order; and malformed words that ProgrammeRegistry must refuse (`valid` false).
    function _stageSet(uint256 seed) private pure returns (uint256 set, bool valid) {
        uint256 c0 = _st(0, L_COUNTY);
        uint256 c1 = _st(1, L_COUNTY);
        uint256 c3 = _st(3, L_COUNTY);
        uint256 t2 = _st(2, L_TOWNSHIP);
        uint256 k = _b(seed, 0, 8);
        if (k == 0) return (ORDERED | t2 | c0 << 16 | c1 << 32, true); // the initial stages
        if (k == 1) return (ORDERED | c0 | c1 << 16 | t2 << 32, true); // the county first, then the township
        if (k == 2) return (c0 | c1 << 16 | t2 << 32, true); // the same stages in any order
        if (k == 3) return (c0 | c1 << 16, true); // the county only: county rosters too
        if (k == 4) return (ORDERED | c0 | c3 << 16 | c1 << 32, true); // department 3 too, in order
        if (k == 5) return (c1 | t2 << 16 | c3 << 32, true); // department 0 no longer, any order
        if (k == 6) return (c0, true); // one stage
        uint256 m = _b(seed, 8, 5);
        if (m == 0) return (ORDERED, false); // no stage
        if (m == 1) return (c0 | c0 << 16, false); // one stage twice
        if (m == 2) return (c0 | _st(1, 6) << 16, false); // a level below the village
        if (m == 3) return (c0 | uint256(1) << 16, false); // a department after the last stage
        return (c0 | uint256(1) << 200, false); // a stray bit
    }

    function _st(uint8 department, uint8 lvl) private pure returns (uint256) {
        return (uint256(lvl) << 8) | department;
    }

    /// @notice The outsider (no role) tries a restricted write, with arguments that would be valid for the
    /// rightful caller; or any actor tries one of the functions only the suite's own contracts may call.
    function attack(uint256 actorSeed, uint256 which, uint256 argSeed) external {
        uint256 n = bound(which, 0, 29);
        address caller = actors[A_OUTSIDER];
        if (n >= 22 && n != 28) caller = actors[bound(actorSeed, 0, N_ACTORS - 1)]; // nobody holds SUITE
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
            return (
                address(households),
                abi.encodeCall(households.registerHouseholds, (regionCode[G_TOWN_A], c, c, bytes32(0)))
            );
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
        if (n == 20) {
            if (_b(seed, 8, 2) == 0) {
                return (address(directory), abi.encodeCall(directory.unbindOffice, (bureauModel[1])));
            }
            IDirectory.Office memory office = IDirectory.Office(IDirectory.OfficeKind.Bureau, 0, regionCode[1]);
            return (address(directory), abi.encodeCall(directory.bindOffice, (actors[A_OUTSIDER], office)));
        }
        if (n == 21) return (address(programmes), abi.encodeCall(programmes.amendProgramme, (pid, _terms())));
        // The SUITE-only moves, by anyone: nobody but RosterBook, RosterLines and Disbursement holds SUITE.
        if (n == 22) return (address(ledger), abi.encodeCall(ledger.reserve, (pid, region, 1)));
        if (n == 23) return (address(ledger), abi.encodeCall(ledger.release, (pid, region, 1)));
        if (n == 24) return (address(ledger), abi.encodeCall(ledger.pay, (pid, region, 1)));
        if (n == 25) {
            return (address(ledger), abi.encodeCall(ledger.refund, (pid, region, 1, IBudgetLedger.RefundKind.Returned)));
        }
        if (n == 26) return (address(rosters), abi.encodeCall(rosters.recordPaid, (id, 1, 1)));
        if (n == 28) {
            // The roster's next lines, honest but for the caller (the outsider).
            uint256 first = r.linesListed < r.n ? r.linesListed : 0;
            bytes memory records;
            for (uint256 i = first; i < r.n; ++i) records = bytes.concat(records, bytes8(r.household[i]), bytes8(uint64(r.amount[i])));
            return (address(rosterLines), abi.encodeCall(rosterLines.submitLines, (id, uint32(first), records, _frontierOf(r, first))));
        }
        if (n == 29) {
            // Sealing a roster with its own root and total, by anyone but RosterLines.
            return (address(rosters), abi.encodeCall(rosters.seal, (id, r.root, r.total)));
        }
        return (address(manager), abi.encodeCall(manager.grantRole, (Roles.DISBURSER, actors[A_OUTSIDER], 0)));
    }

    // =============================================================================================
    // Model helpers
    // =============================================================================================

    function _outcome(string memory action, bool ok, uint256 reasons, bytes memory err) private returns (bool) {
        ++tried[action];
        for (uint256 b = 0; reasons >> b != 0; ++b) {
            if ((reasons >> b) & 1 == 0) continue;
            ++attemptedForbidden[b];
            if (reasons == uint256(1) << b) ++attemptedAlone[b];
        }
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

    /// @dev The register's writes need a civil-affairs office (the role alone is refused).
    function _civilAffairs(address caller) private view returns (uint256) {
        return officeModel[caller].kind == IDirectory.OfficeKind.CivilAffairs ? 0 : R_NOT_OFFICE;
    }

    /// @dev A civil-affairs office acts on the households of its own subtree only (a caller holding no such
    /// office is refused by `_civilAffairs` already).
    function _outsideOffice(address caller, uint64 region) private view returns (uint256) {
        IDirectory.Office memory o = officeModel[caller];
        return o.kind == IDirectory.OfficeKind.CivilAffairs && !regionCovers(o.region, region) ? R_REGION : 0;
    }

    function _bureau(address caller, uint8 g) private view returns (uint256) {
        return bureauModel[g] == caller && caller != address(0) ? 0 : R_WRONG_BUREAU;
    }

    /// @dev The roster checks of a reviewer: not the submitter, holding the office of one of its stages.
    function _reviewer(address caller, GhostRoster storage r) private view returns (uint256 reasons) {
        if (caller == r.submitter) reasons |= R_SUBMITTER_REVIEWS;
        (bool found,) = _reviewingStage(caller, r);
        if (!found) reasons |= R_NOT_OFFICE;
    }

    /// @dev Whether `caller` holds an office of `kind` at the region of `g` or above it (Disbursement's
    /// treasury and bank checks).
    function _office(address caller, IDirectory.OfficeKind kind, uint8 g) private view returns (uint256) {
        IDirectory.Office memory o = officeModel[caller];
        bool covers = o.kind == kind && kind != IDirectory.OfficeKind.None
            && _regionAt(regionCode[g], _level(o.region)) == o.region;
        return covers ? 0 : R_NOT_OFFICE;
    }

    /// @dev Legit actor most of the time; the special (hostile) one sometimes; any actor otherwise.
    function _pick(uint256 seed, address legit, address special) private view returns (address) {
        uint256 k = _b(seed, 0, 16);
        if (k < 12 && legit != address(0)) return legit;
        if (k < 14 && special != address(0)) return special;
        return actors[_b(seed, 8, N_ACTORS)];
    }

    // ---------------------------------------------------------------- review stages (model)

    /// @dev The number of stages: those before the first of level zero.
    function _stageCount(uint256 set) private pure returns (uint256 n) {
        while (n < 8 && (set >> (16 * n + 8)) & 0xff != 0) ++n;
    }

    function _stage(uint256 set, uint256 i) private pure returns (uint8 department, uint8 lvl) {
        return (uint8(set >> (16 * i)), uint8(set >> (16 * i + 8)));
    }

    function _isOrdered(uint256 set) private pure returns (bool) {
        return set & ORDERED != 0;
    }

    function _deepestLevel(uint256 set) private pure returns (uint8 deepest) {
        for (uint256 i = 0; i < _stageCount(set); ++i) {
            (, uint8 lvl) = _stage(set, i);
            if (lvl > deepest) deepest = lvl;
        }
    }

    /// @notice The approvals of a roster of stages `set` once every stage has approved.
    function fullApprovals(uint256 set) public pure returns (uint256) {
        return (uint256(1) << _stageCount(set)) - 1;
    }

    /// @dev The holder of stage `i`'s office for roster `r`: the reviewing office of the stage's department
    /// at the region of the stage's level that contains the roster's region (zero: vacant).
    function _stageHolder(GhostRoster storage r, uint256 i) private view returns (address) {
        (uint8 department, uint8 lvl) = _stage(r.stages, i);
        uint64 region = _regionAt(regionCode[r.region], lvl);
        return holderModel[_officeKey(IDirectory.Office(IDirectory.OfficeKind.Reviewer, department, region))];
    }

    /// @notice The holder of stage `i`'s office for roster `id`, as the model has it.
    function stageHolder(uint64 id, uint256 i) external view returns (address) {
        return _stageHolder(gr[id], i);
    }

    /// @dev The stage of `r` whose office `account` holds, if any.
    function _reviewingStage(address account, GhostRoster storage r) private view returns (bool found, uint8 stage) {
        if (account == address(0)) return (false, 0);
        uint256 n = _stageCount(r.stages);
        for (uint256 i = 0; i < n; ++i) {
            if (_stageHolder(r, i) == account) return (true, uint8(i));
        }
    }

    /// @dev A stage of `r` not yet approved: the first, three times out of four, when the stages run in
    /// order; otherwise the first from a seeded start (stage `start` when every stage approved).
    function _missingStage(GhostRoster storage r, uint256 seed) private view returns (uint256) {
        uint256 n = _stageCount(r.stages);
        uint256 start = _isOrdered(r.stages) && _b(seed, 8, 4) != 0 ? 0 : _b(seed, 0, n);
        for (uint256 k = 0; k < n; ++k) {
            uint256 i = (start + k) % n;
            if ((r.approvals >> i) & 1 == 0) return i;
        }
        return start;
    }

    /// @dev The holder of a seeded stage of `r` (rejecting, resolving and co-signing need any stage, in any order).
    function _anyStageHolder(GhostRoster storage r, uint256 seed) private view returns (address) {
        return _stageHolder(r, _b(seed, 0, _stageCount(r.stages)));
    }

    // ---------------------------------------------------------------- offices (model)

    /// @dev The level of a 12-digit code from its trailing zero groups: 1 province, 2 city, 3 county,
    /// 4 township, 5 village.
    function _level(uint64 code) private pure returns (uint8) {
        if (code % 1e10 == 0) return 1;
        if (code % 1e8 == 0) return 2;
        if (code % 1e6 == 0) return 3;
        if (code % 1e3 == 0) return 4;
        return 5;
    }

    /// @dev The region at level `lvl` that contains `code` (`code` itself at its own level); zero when
    /// `lvl` lies below `code`.
    function _regionAt(uint64 code, uint8 lvl) private pure returns (uint64) {
        if (lvl == 0 || lvl > _level(code)) return 0;
        uint64[5] memory units = [uint64(1e10), 1e8, 1e6, 1e3, 1];
        return code - code % units[lvl - 1];
    }

    /// @notice Whether `ancestor` is `code` itself or one of its ancestors (RegionCode.covers, from the level
    /// arithmetic above): an office of `ancestor`, or a roster of it, acts for a household of `code`. False for
    /// `code` zero (no household).
    function regionCovers(uint64 ancestor, uint64 code) public pure returns (bool) {
        return _regionAt(code, _level(ancestor)) == ancestor;
    }

    /// @dev Whether `code` has twelve digits (a region; its leading digit not zero).
    function _isCode(uint64 code) private pure returns (bool) {
        return code >= 100_000_000_000 && code <= 999_999_999_999;
    }

    function _officeKey(IDirectory.Office memory office) private pure returns (bytes32) {
        return keccak256(abi.encode(office.kind, office.department, office.region));
    }

    /// @dev `account` takes up `office`; its previous holder is vacated and retired.
    function _modelBind(address account, IDirectory.Office memory office) private {
        bytes32 key = _officeKey(office);
        address previous = holderModel[key];
        if (previous != address(0)) _modelUnbind(previous);
        if (!knownOffice[key]) {
            knownOffice[key] = true;
            offices.push(office);
        }
        officeModel[account] = office;
        holderModel[key] = account;
        uint8 g = _regionIndex(office.region);
        if (office.kind == IDirectory.OfficeKind.Bureau && g != type(uint8).max) bureauModel[g] = account;
    }

    /// @dev `account` leaves its office, retired for good.
    function _modelUnbind(address account) private {
        IDirectory.Office memory office = officeModel[account];
        delete holderModel[_officeKey(office)];
        delete officeModel[account];
        retiredModel[account] = true;
        uint8 g = _regionIndex(office.region);
        if (office.kind == IDirectory.OfficeKind.Bureau && g != type(uint8).max) bureauModel[g] = address(0);
    }

    /// @notice The office `account` holds, as the model has it.
    function officeOfModel(address account) external view returns (IDirectory.Office memory) {
        return officeModel[account];
    }

    /// @notice The holder of `office`, as the model has it.
    function holderOfModel(IDirectory.Office calldata office) external view returns (address) {
        return holderModel[_officeKey(office)];
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function accountAt(uint256 i) external view returns (address) {
        return accounts[i];
    }

    function officeCount() external view returns (uint256) {
        return offices.length;
    }

    function officeAt(uint256 i) external view returns (IDirectory.Office memory) {
        return offices[i];
    }

    // ---------------------------------------------------------------- payout offices

    /// @dev The county's treasury mostly; sometimes an account holding DISBURSER but not that office: the
    /// other county's treasury, dept1 (a reviewing office), town C's bureau.
    function _disburserFor(GhostRoster storage, uint256 seed) private view returns (address) {
        uint256 k = _b(seed, 0, 8);
        if (k == 5) return actors[A_TREASURY_OTHER];
        if (k == 6) return actors[A_DEPT_1];
        if (k == 7) return actors[A_BUREAU_C];
        return actors[A_DISBURSER];
    }

    /// @dev The county's bank mostly; sometimes the other county's, which holds BANK but no office here.
    function _bankFor(uint256 seed) private view returns (address) {
        return _b(seed, 0, 8) == 0 ? actors[A_BANK_OTHER] : actors[A_BANK];
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

    /// @dev Lines the model says can be paid now (unpaid, not held, household of the roster's subtree, active
    /// and not holding a payout).
    function _payableLines(GhostRoster storage r) private view returns (uint256 mask) {
        for (uint256 i = 0; i < r.n; ++i) {
            uint64 h = r.household[i];
            if (
                r.status[i] == uint8(IDisbursement.LineStatus.Unpaid) && r.hold[i] == uint8(IRosterBook.LineHold.None)
                    && regionCovers(regionCode[r.region], regionOfModel[h]) && !_isSuspended(h) && livePayouts[h] == 0
                    && r.amount[i] <= cap && r.amount[i] <= _remaining(r)
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

    /// @dev The roster's state by the rules of section 4.1, from the model: AwaitingLines until every line is
    /// listed and the roster sealed.
    function _state(uint64 id) private view returns (IRosterBook.RosterState) {
        GhostRoster storage r = gr[id];
        if (r.submittedAt == 0) return IRosterBook.RosterState.None;
        if (r.ending == uint8(IRosterBook.Ending.Rejected)) return IRosterBook.RosterState.Rejected;
        if (r.ending == uint8(IRosterBook.Ending.Withdrawn)) return IRosterBook.RosterState.Withdrawn;
        if (r.ending == uint8(IRosterBook.Ending.Closed)) return IRosterBook.RosterState.Closed;
        if (r.approvedAt == 0) {
            return r.listed ? IRosterBook.RosterState.AwaitingSignOff : IRosterBook.RosterState.AwaitingLines;
        }
        if (block.timestamp < uint256(r.approvedAt) + r.publicity) return IRosterBook.RosterState.InPublicity;
        return IRosterBook.RosterState.Payable;
    }

    function _contract(uint256 c) private view returns (address) {
        if (c == C_DIRECTORY) return address(directory);
        if (c == C_PROGRAMMES) return address(programmes);
        if (c == C_HOUSEHOLDS) return address(households);
        if (c == C_LEDGER) return address(ledger);
        if (c == C_ROSTERS) return address(rosters);
        if (c == C_LINES) return address(rosterLines);
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
            for (uint256 i = 0; i < offices.length; ++i) d = keccak256(abi.encode(d, directory.holderOf(offices[i])));
            // Accounts that never held an office add nothing, so that a key made while the Directory is
            // paused leaves the digest as it was.
            for (uint256 i = 0; i < accounts.length; ++i) {
                address a = accounts[i];
                IDirectory.Office memory o = directory.officeOf(a);
                bool retired = directory.isRetired(a);
                if (o.kind != IDirectory.OfficeKind.None || retired) d = keccak256(abi.encode(d, a, o, retired));
            }
        } else if (c == C_PROGRAMMES) {
            d = keccak256(abi.encode(programmes.programmeCount(), programmes.programme(pid)));
        } else if (c == C_HOUSEHOLDS) {
            uint256 blocks = households.blockCount();
            d = keccak256(abi.encode(households.householdCount(), blocks));
            for (uint256 w = 0; w < blocks; ++w) {
                (uint64 region, uint256 filled) = households.blockOf(w);
                d = keccak256(abi.encode(d, region, filled, households.suspendedWord(w), households.deceasedWord(w)));
            }
        } else if (c == C_LEDGER) {
            d = keccak256(abi.encode(ledger.totalsOf(pid)));
            for (uint256 g = 0; g < N_REGIONS; ++g) d = keccak256(abi.encode(d, ledger.balanceOf(pid, regionCode[g])));
        } else if (c == C_ROSTERS) {
            uint64 count = rosters.rosterCount();
            d = keccak256(abi.encode(count));
            for (uint64 id = 1; id <= count; ++id) {
                d = keccak256(abi.encode(d, rosters.roster(id), rosters.holdWord(id, 0)));
                for (uint256 k = 0; k < N_REVIEWERS; ++k) {
                    d = keccak256(abi.encode(d, rosters.nonces(reviewers[k], uint192(id))));
                }
            }
        } else if (c == C_LINES) {
            // Every roster id the handler can ever create (RosterBook's count moves while RosterLines is paused).
            for (uint64 id = 1; id <= MAX_ROSTERS; ++id) {
                (uint32 listedLines, uint128 amount, bytes32 frontierHash) = rosterLines.listing(id);
                d = keccak256(abi.encode(d, listedLines, amount, frontierHash));
            }
        } else {
            uint256 count = disbursement.reversalCount();
            d = keccak256(abi.encode(count));
            // The words of every block opened (only registered households are ever paid), those with a payout
            // only: the register opens blocks while Disbursement alone is paused.
            uint256 blocks = households.blockCount();
            for (uint256 w = 0; w < blocks; ++w) {
                uint256 paid = disbursement.paidHouseholdsWord(pid, w);
                if (paid != 0) d = keccak256(abi.encode(d, w, paid));
            }
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

    /// @notice The number of households registered, as the model has it.
    function hhCount() public view returns (uint64) {
        return uint64(householdIds.length);
    }

    /// @notice Block `b`'s region and how many of its ids are taken (id 0 in block 0 counts), as the model has it.
    function blockOfModel(uint256 b) external view returns (uint64 region, uint256 filled) {
        return (blockRegionModel[b], blockFillModel[b]);
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
        string[32] memory list = [
            "fundProgramme",
            "allocate",
            "reclaim",
            "registerHouseholds",
            "suspendHousehold",
            "reinstateHousehold",
            "submitRoster",
            "submitLines",
            "submitLinesResumed",
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
            "bindOffice",
            "unbindOffice",
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
