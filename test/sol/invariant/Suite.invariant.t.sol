// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IBudgetLedger} from "../../../contracts/interfaces/IBudgetLedger.sol";
import {IDirectory} from "../../../contracts/interfaces/IDirectory.sol";
import {IDisbursement} from "../../../contracts/interfaces/IDisbursement.sol";
import {IHouseholdRegistry} from "../../../contracts/interfaces/IHouseholdRegistry.sol";
import {IRosterBook} from "../../../contracts/interfaces/IRosterBook.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

import {RosterTree} from "./RosterTree.sol";
import {Suite, SuiteDeployment} from "./SuiteDeployment.sol";
import {
    SuiteHandler,
    GhostRoster,
    GhostReversal,
    PayRecord,
    R_PAUSED,
    R_HOSTILE,
    R_DOUBLE_PAY,
    R_LINE_HELD,
    R_NOT_PAYABLE,
    R_SUBMITTER_DISBURSES,
    R_HOUSEHOLD,
    R_NOT_OFFICE,
    R_OUT_OF_ORDER,
    R_REBIND,
    R_ABOVE_STAGE,
    R_REGION,
    C_LEDGER,
    N_CONTRACTS,
    G_TOWN_A,
    N_REASONS,
    N_REGIONS,
    N_ACTORS
} from "./SuiteHandler.sol";

/// @title Invariants of the whole suite
/// @notice The fuzzer calls only `SuiteHandler`, which acts as every role and as hostile actors
/// (the outsider, a bureau acting for another region, a submitter approving or disbursing its own
/// roster, an account holding no stage office of the roster, a treasury or bank of another county, an
/// account with a role but another office, a civil-affairs office acting outside its subtree, a
/// requester approving its own reversal, a stage approving out of order, an account bound twice)
/// and keeps a ghost model. Each invariant below reads the suite itself and compares it with the
/// rules of docs/spec.md and with the model.
/// @dev Every invariant runs with `failOnRevert = true`: the handler catches every call to the suite,
/// so a revert can only come from the handler itself (a model bug) and must not pass silently.
/// Runs and depth come from the project's profile (48 x 40; `FUZZ_PROFILE=deep`: 512 x 200).
/// Run with every file of this directory, `npx hardhat test solidity test/sol/invariant/*.sol` (the task
/// takes files, not a directory): Hardhat writes artifacts only for the files it is given, and the fuzzer
/// must find the handler's artifact, so after editing SuiteHandler.sol, passing this file alone fails
/// with "[targetSelectors] address does not have an associated contract".
contract SuiteInvariantTest is Test {
    Suite internal s;
    SuiteHandler internal handler;
    uint64 internal pid;
    bytes4[] internal actions;
    uint256 dbgPausedSteps;
    uint256 dbgLedgerPausedSteps;

    function setUp() public {
        s = SuiteDeployment.deploy(address(this));
        SuiteDeployment.wire(s);
        handler = new SuiteHandler(s);
        for (uint256 i = 0; i < N_ACTORS; ++i) {
            address a = handler.actor(i);
            uint256 mask = handler.roleMask(a);
            for (uint64 role = 1; role <= Roles.SUITE; ++role) {
                if ((mask >> role) & 1 == 1) s.manager.grantRole(role, a, 0);
            }
        }
        handler.bootstrap();
        pid = handler.pid();

        bytes4[] memory selectors = new bytes4[](29);
        selectors[0] = SuiteHandler.fund.selector;
        selectors[1] = SuiteHandler.allocate.selector;
        selectors[2] = SuiteHandler.reclaim.selector;
        selectors[3] = SuiteHandler.registerHouseholds.selector;
        selectors[4] = SuiteHandler.suspendHousehold.selector;
        selectors[5] = SuiteHandler.reinstateHousehold.selector;
        selectors[6] = SuiteHandler.submitRoster.selector;
        selectors[7] = SuiteHandler.withdrawRoster.selector;
        selectors[8] = SuiteHandler.approveRoster.selector;
        selectors[9] = SuiteHandler.approveRosterBySig.selector;
        selectors[10] = SuiteHandler.rejectRoster.selector;
        selectors[11] = SuiteHandler.objectToLine.selector;
        selectors[12] = SuiteHandler.resolveObjection.selector;
        selectors[13] = SuiteHandler.closeRoster.selector;
        selectors[14] = SuiteHandler.recordPayouts.selector;
        selectors[15] = SuiteHandler.confirmPayouts.selector;
        selectors[16] = SuiteHandler.returnPayouts.selector;
        selectors[17] = SuiteHandler.requestReversal.selector;
        selectors[18] = SuiteHandler.approveReversal.selector;
        selectors[19] = SuiteHandler.rejectReversal.selector;
        selectors[20] = SuiteHandler.warp.selector;
        selectors[21] = SuiteHandler.pause.selector;
        selectors[22] = SuiteHandler.unpause.selector;
        selectors[23] = SuiteHandler.rotateBureau.selector;
        selectors[24] = SuiteHandler.amendProgramme.selector;
        selectors[25] = SuiteHandler.attack.selector;
        selectors[26] = SuiteHandler.recordRecovery.selector;
        selectors[27] = SuiteHandler.confirmClose.selector;
        selectors[28] = SuiteHandler.listLines.selector;
        actions = selectors;
        targetContract(address(handler));
        targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // =============================================================================================
    // Invariants
    // =============================================================================================

    /// @notice received = allocatedOut + reserved + paid + available in every region; paid ≤ received;
    /// every bucket equals the ghost model's.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_moneyIsConservedInEveryRegion() public view {
        for (uint8 g = 0; g < N_REGIONS; ++g) {
            IBudgetLedger.Balance memory b = s.ledger.balanceOf(pid, handler.regionCode(g));
            assertEq(
                uint256(b.received),
                uint256(b.allocatedOut) + b.reserved + b.paid + b.available,
                "received = allocatedOut + reserved + paid + available"
            );
            assertLe(b.paid, b.received, "region paid <= received");
            IBudgetLedger.Balance memory m = handler.ghostBalance(g);
            assertEq(b.parent, m.parent, "parent = model");
            assertEq(b.received, m.received, "received = model");
            assertEq(b.allocatedOut, m.allocatedOut, "allocatedOut = model");
            assertEq(b.reserved, m.reserved, "reserved = model");
            assertEq(b.paid, m.paid, "paid = model");
            assertEq(b.available, m.available, "available = model");
            assertEq(b.returned, m.returned, "returned = model");
            assertEq(b.reversed, m.reversed, "reversed = model");
        }
    }

    /// @notice The tree and the programme totals add up: the children's received sum to the parent's
    /// allocatedOut; totals.funded = the root's received; each total = the sum over regions; each
    /// equals the ghost sums of the money moved by each kind of action; a region's reserved is the sum
    /// of its rosters' remaining reservations.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_budgetTreeAndTotalsAddUp() public view {
        IBudgetLedger.Balance[] memory b = new IBudgetLedger.Balance[](N_REGIONS);
        uint256[] memory childrenReceived = new uint256[](N_REGIONS);
        uint256 reserved;
        uint256 paid;
        uint256 available;
        uint256 returned;
        uint256 reversed;
        uint256 allocatedOut;
        for (uint8 g = 0; g < N_REGIONS; ++g) {
            b[g] = s.ledger.balanceOf(pid, handler.regionCode(g));
            reserved += b[g].reserved;
            paid += b[g].paid;
            available += b[g].available;
            returned += b[g].returned;
            reversed += b[g].reversed;
            allocatedOut += b[g].allocatedOut;
        }
        for (uint8 g = 0; g < N_REGIONS; ++g) {
            if (b[g].parent == 0) continue;
            uint8 p = _regionIndex(b[g].parent);
            assertLt(p, N_REGIONS, "parent is a region of the tree");
            childrenReceived[p] += b[g].received;
        }
        for (uint8 g = 0; g < N_REGIONS; ++g) {
            assertEq(childrenReceived[g], b[g].allocatedOut, "children's received = parent's allocatedOut");
        }
        assertEq(b[0].parent, 0, "the root has no parent");

        IBudgetLedger.Totals memory t = s.ledger.totalsOf(pid);
        assertEq(t.funded, b[0].received, "funded = root received");
        assertEq(t.reserved, reserved, "totals.reserved = sum of regions");
        assertEq(t.paid, paid, "totals.paid = sum of regions");
        assertEq(t.returned, returned, "totals.returned = sum of regions");
        assertEq(t.reversed, reversed, "totals.reversed = sum of regions");
        assertEq(uint256(t.funded), uint256(t.reserved) + t.paid + available, "funded = reserved + paid + available");

        // The ghost sums of what each kind of action moved.
        assertEq(t.funded, handler.sumFunded(), "funded = sum of fundings");
        assertEq(allocatedOut, handler.sumAllocated() - handler.sumReclaimed(), "allocatedOut = allocations - reclaims");
        assertEq(
            t.reserved,
            handler.sumReserved() - handler.sumReleased() - handler.sumExcluded() - handler.sumPaidGross(),
            "reserved = reservations - releases - exclusions - payouts"
        );
        assertEq(
            t.paid,
            handler.sumPaidGross() - handler.sumReturned() - handler.sumReversed(),
            "paid = payouts - returns - reversals"
        );
        assertEq(t.returned, handler.sumReturned(), "returned = sum of returns");
        assertEq(t.reversed, handler.sumReversed(), "reversed = sum of reversals");
        IBudgetLedger.Totals memory m = handler.ghostTotals();
        assertEq(abi.encode(t), abi.encode(m), "totals = model");

        // A region's reserved bucket is exactly its rosters' remaining reservations.
        uint256[] memory remaining = new uint256[](N_REGIONS);
        uint64 count = s.rosters.rosterCount();
        for (uint64 id = 1; id <= count; ++id) {
            IRosterBook.Roster memory r = s.rosters.roster(id);
            remaining[_regionIndex(r.region)] += r.total - r.paid - r.excluded - r.released;
        }
        for (uint8 g = 0; g < N_REGIONS; ++g) assertEq(remaining[g], b[g].reserved, "reserved = rosters' remaining");
    }

    /// @notice paid ≤ approved ≤ allocated: each roster's paid + excluded + released ≤ total (its
    /// reservation, which came out of the region's budget); an ended roster reserves nothing; a roster
    /// pays only after full sign-off; its paid is the sum of the lines paid; every field = the model.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_rostersNeverPayMoreThanApproved() public view {
        uint64 count = s.rosters.rosterCount();
        assertEq(count, handler.rosterCount(), "roster count = model");
        for (uint64 id = 1; id <= count; ++id) {
            IRosterBook.Roster memory r = s.rosters.roster(id);
            GhostRoster memory g = handler.ghostRoster(id);
            assertLe(uint256(r.paid) + r.excluded + r.released, r.total, "paid + excluded + released <= total");
            IRosterBook.RosterState state = s.rosters.rosterState(id);
            if (
                state == IRosterBook.RosterState.Rejected || state == IRosterBook.RosterState.Withdrawn
                    || state == IRosterBook.RosterState.Closed
            ) {
                assertEq(uint256(r.paid) + r.excluded + r.released, r.total, "an ended roster reserves nothing");
            }
            uint256 full = handler.fullApprovals(r.reviewStages);
            if (r.paid != 0) {
                assertTrue(r.approvedAt != 0 && r.approvals == full, "paid only after sign-off");
            }
            // Approvals name stages of the roster only; stages that run in order approve as a prefix.
            assertEq(r.approvals & ~full, 0, "approvals are of the roster's stages");
            if (r.reviewStages >> 255 == 1) {
                assertEq(r.approvals & (r.approvals + 1), 0, "ordered stages approve in order");
            }
            assertEq(r.approvedAt != 0, r.approvals == full, "signed off exactly when every stage approved");
            // Each stage's office is the one the roster names as reviewing it.
            for (uint256 i = 0; (full >> i) & 1 == 1; ++i) {
                address holder = handler.stageHolder(id, i);
                if (holder == address(0)) continue;
                (uint8 stage, uint8 department) = s.rosters.reviewingStage(id, holder);
                assertEq(stage, i, "reviewingStage = model");
                assertEq(department, uint8(r.reviewStages >> (16 * i)), "stage department = model");
            }
            uint256 linesPaid = 0;
            for (uint32 i = 0; i < r.lineCount; ++i) {
                if (s.disbursement.lineStatus(id, i) != IDisbursement.LineStatus.Unpaid) linesPaid += g.amount[i];
            }
            assertEq(linesPaid, r.paid, "roster paid = sum of its paid lines");
            assertEq(uint8(state), uint8(handler.ghostState(id)), "state = model");
            assertEq(r.region, handler.regionCode(g.region), "region = model");
            assertEq(r.submitter, g.submitter, "submitter = model");
            assertEq(r.lineCount, g.n, "lineCount = model");
            assertEq(r.root, g.root, "root = model");
            assertEq(r.total, g.total, "total = model");
            assertEq(r.reviewStages, g.stages, "review stages = model (snapshot)");
            assertEq(r.publicityPeriod, g.publicity, "publicity = model (snapshot)");
            assertEq(r.approvals, g.approvals, "approvals = model");
            assertEq(r.approvedAt, g.approvedAt, "approvedAt = model");
            assertEq(uint8(r.ending), g.ending, "ending = model");
            assertEq(r.paid, g.paid, "paid = model");
            assertEq(r.excluded, g.excluded, "excluded = model");
            assertEq(r.released, g.released, "released = model");
            assertEq(r.openObjections, g.openObjections, "open objections = model");
            assertEq(r.excludedLines, g.excludedLines, "excluded lines = model");
            assertEq(
                s.rosters.payoutTerms(id).anyLineHeld, g.openObjections != 0 || g.excludedLines != 0, "any line held = model"
            );
            assertEq(s.disbursement.batchCount(id), g.batchCount, "batch count = model");
        }
    }

    /// @notice No household holds two payouts in the programme: across all rosters, at most one line
    /// per household is Paid, Confirmed or reversed awaiting the bank's recovery (the money is still on
    /// its card); that count is the model's, and isHouseholdPaid agrees, word by word of the register.
    /// Suspensions are the model's.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_noHouseholdHoldsTwoPayouts() public view {
        assertEq(handler.forbiddenMask() & R_DOUBLE_PAY, 0, handler.lastForbidden());
        // Every id the handler names lies in a block opened or in the next one.
        uint256 blocks = s.households.blockCount();
        uint256[] memory live = new uint256[](256 * (blocks + 1));
        uint64 count = s.rosters.rosterCount();
        for (uint64 id = 1; id <= count; ++id) {
            GhostRoster memory g = handler.ghostRoster(id);
            for (uint32 i = 0; i < g.n; ++i) {
                IDisbursement.LineStatus st = s.disbursement.lineStatus(id, i);
                if (
                    st == IDisbursement.LineStatus.Paid || st == IDisbursement.LineStatus.Confirmed
                        || st == IDisbursement.LineStatus.ReversalPendingRecovery
                ) ++live[g.household[i]];
            }
        }
        for (uint64 id = 1; id <= count; ++id) {
            GhostRoster memory g = handler.ghostRoster(id);
            for (uint32 i = 0; i < g.n; ++i) {
                uint64 h = g.household[i];
                assertLe(live[h], 1, "a household holds at most one payout in the programme");
                assertEq(live[h], handler.livePayouts(h), "live payouts = model");
            }
        }
        for (uint256 w = 0; w <= blocks; ++w) {
            uint256 paid = 0;
            for (uint256 b = 0; b < 256; ++b) {
                if (live[256 * w + b] == 1) paid |= uint256(1) << b;
            }
            assertEq(s.disbursement.paidHouseholdsWord(pid, w), paid, "isHouseholdPaid = model");
            assertEq(s.households.suspendedWord(w), handler.suspendedWordModel(w), "suspension = model");
        }
        assertEq(s.households.householdCount(), handler.hhCount(), "household count = model");
    }

    /// @notice Households keep the regions they were registered in, in the model's blocks: the register's
    /// blocks (region and fill) are the model's, the last id of each block has the block's region and the
    /// id past its fill none, and every household a roster names has the model's region (the handler
    /// checks each household's id and region as it registers it). No office acted on a household outside
    /// its subtree, and every household paid on a roster lies in the roster's region or below it.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_householdsStayInTheirRegions() public view {
        assertEq(handler.forbiddenMask() & R_REGION, 0, handler.lastForbidden());
        uint256 blocks = s.households.blockCount();
        assertEq(blocks, handler.blockCountModel(), "block count = model");
        for (uint256 b = 0; b <= blocks; ++b) {
            (uint64 region, uint256 filled) = s.households.blockOf(b);
            (uint64 modelRegion, uint256 modelFilled) = handler.blockOfModel(b);
            assertEq(region, modelRegion, "block region = model");
            assertEq(filled, modelFilled, "block fill = model");
            uint64 next = uint64(256 * b + filled);
            if (filled != 0) assertEq(s.households.regionOf(next - 1), region, "a block's last id has its region");
            if (filled < 256) assertEq(s.households.regionOf(next), 0, "no region past a block's fill");
        }
        assertEq(s.households.regionOf(0), 0, "id 0 is no household");
        uint64 count = s.rosters.rosterCount();
        for (uint64 id = 1; id <= count; ++id) {
            GhostRoster memory g = handler.ghostRoster(id);
            uint64 rosterRegion = handler.regionCode(g.region);
            for (uint32 i = 0; i < g.n; ++i) {
                uint64 region = s.households.regionOf(g.household[i]);
                assertEq(region, handler.regionOfModel(g.household[i]), "household region = model");
                if (s.disbursement.lineStatus(id, i) == IDisbursement.LineStatus.Unpaid) continue;
                assertTrue(region != 0, "a paid household is registered");
                assertTrue(handler.regionCovers(rosterRegion, region), "a paid household lies in the roster's region");
            }
        }
    }

    /// @notice A frozen or excluded line is never paid: no line that is held has a payment status, no
    /// line was held when it was paid, and holds and statuses are the model's.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_heldLinesAreNeverPaid() public view {
        assertEq(handler.forbiddenMask() & R_LINE_HELD, 0, handler.lastForbidden());
        uint64 count = s.rosters.rosterCount();
        for (uint64 id = 1; id <= count; ++id) {
            GhostRoster memory g = handler.ghostRoster(id);
            for (uint32 i = 0; i < g.n; ++i) {
                IRosterBook.LineHold hold = s.rosters.lineHold(id, i);
                IDisbursement.LineStatus st = s.disbursement.lineStatus(id, i);
                if (hold != IRosterBook.LineHold.None) {
                    assertEq(uint8(st), uint8(IDisbursement.LineStatus.Unpaid), "a held line is never paid");
                }
                PayRecord memory rec = handler.payRecord(id, i);
                if (rec.exists) assertEq(rec.holdAtPay, uint8(IRosterBook.LineHold.None), "not held when paid");
                assertEq(uint8(hold), g.hold[i], "hold = model");
                assertEq(uint8(st), g.status[i], "status = model");
            }
            // Lines past the roster's count never move.
            assertEq(uint8(s.rosters.lineHold(id, g.n)), 0, "no hold past the last line");
            assertEq(uint8(s.disbursement.lineStatus(id, g.n)), 0, "no payout past the last line");
        }
    }

    /// @notice Every paid line had full sign-off and an elapsed publicity period at the moment it was
    /// paid (what RosterBook said in the block of the payout), by someone other than the submitter, to
    /// an active household that held no payout in the programme.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_paidLinesHadSignOffAndPublicity() public view {
        assertEq(
            handler.forbiddenMask() & (R_NOT_PAYABLE | R_SUBMITTER_DISBURSES | R_HOUSEHOLD), 0, handler.lastForbidden()
        );
        uint64 count = s.rosters.rosterCount();
        for (uint64 id = 1; id <= count; ++id) {
            uint32 n = s.rosters.roster(id).lineCount;
            for (uint32 i = 0; i < n; ++i) {
                if (s.disbursement.lineStatus(id, i) == IDisbursement.LineStatus.Unpaid) continue;
                PayRecord memory rec = handler.payRecord(id, i);
                assertTrue(rec.exists, "a paid line has a payout record");
                assertEq(rec.stateAtPay, uint8(IRosterBook.RosterState.Payable), "roster Payable when paid");
                assertTrue(
                    rec.stagesAtPay != 0 && rec.approvalsAtPay == handler.fullApprovals(rec.stagesAtPay),
                    "full sign-off when paid"
                );
                assertTrue(rec.approvedAtAtPay != 0, "signed off before paid");
                assertGe(uint256(rec.paidAt), uint256(rec.approvedAtAtPay) + rec.publicityAtPay, "publicity over when paid");
                assertTrue(rec.payer != rec.submitter, "not paid by the submitter");
                assertEq(
                    rec.householdStatusAtPay, uint8(IHouseholdRegistry.HouseholdStatus.Active), "household active when paid"
                );
                assertFalse(rec.householdPaidBefore, "household held no payout when paid");
            }
        }
    }

    /// @notice Nothing moves while paused: no write that touches a paused contract ever succeeded, the
    /// state of every paused contract is exactly what it was when it was paused, and was still that
    /// when it was unpaused (ledger totals and balances included).
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_nothingMovesWhilePaused() public view {
        assertEq(handler.forbiddenMask() & R_PAUSED, 0, handler.lastForbidden());
        assertEq(handler.movedWhilePaused(), 0, "a contract changed between its pause and its unpause");
        uint256 mask = handler.pausedMask();
        address[7] memory contracts = [
            address(s.directory),
            address(s.programmes),
            address(s.households),
            address(s.ledger),
            address(s.rosters),
            address(s.disbursement),
            address(s.lines)
        ];
        for (uint256 c = 0; c < N_CONTRACTS; ++c) {
            bool paused = (mask >> c) & 1 == 1;
            assertEq(Pausable(contracts[c]).paused(), paused, "paused = model");
            if (paused) assertEq(handler.digestOf(c), handler.pausedDigest(c), "a paused contract's state moved");
        }
        if ((mask >> C_LEDGER) & 1 == 1) {
            // Spelled out for the ledger: its totals are those of the moment it was paused.
            assertEq(abi.encode(s.ledger.totalsOf(pid)), abi.encode(handler.ghostTotals()), "ledger totals frozen");
        }
    }

    /// @notice A roster's lines are on chain before its sign-off starts. Every roster past AwaitingLines
    /// (other than one withdrawn before its seal) has every line listed on RosterLines, adding up to its
    /// total, nothing left to list, and was sealed with the root of the model's lines; a roster awaiting
    /// lines has some still to come, no approval, no hold and no payout. How far each listing has come
    /// (lines, amount, the hash of the frontier they left) is the model's. A roster neither withdrawn nor
    /// rejected is the latest of its root (rosterOfRoot): the same list never stands twice.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_rostersAreSealedByTheirOwnLines() public view {
        uint64 count = s.rosters.rosterCount();
        for (uint64 id = 1; id <= count; ++id) {
            IRosterBook.Roster memory r = s.rosters.roster(id);
            GhostRoster memory g = handler.ghostRoster(id);
            IRosterBook.RosterState state = s.rosters.rosterState(id);
            (uint32 lines, uint128 amount, bytes32 frontierHash) = s.lines.listing(id);
            assertEq(r.listed, g.listed, "sealed = model");
            assertEq(lines, g.linesListed, "lines listed = model");
            assertEq(amount, g.amountListed, "amount listed = model");
            uint256 sum = 0;
            for (uint256 i = 0; i < lines; ++i) sum += g.amount[i];
            assertEq(amount, sum, "amount listed = the sum of the lines listed");
            assertEq(
                frontierHash,
                keccak256(abi.encodePacked(handler.frontierOfModel(id, lines))),
                "frontier hash = that of the frontier the lines listed left"
            );
            bool withdrawnUnsealed = state == IRosterBook.RosterState.Withdrawn && !g.listed;
            if (state != IRosterBook.RosterState.AwaitingLines && !withdrawnUnsealed) {
                assertTrue(r.listed, "past AwaitingLines only by the seal");
                assertEq(lines, r.lineCount, "a sealed roster has every line listed");
                assertEq(amount, r.total, "a sealed roster's lines add up to its total");
                assertEq(frontierHash, keccak256(""), "a sealed roster has nothing left to list");
            }
            if (r.listed) {
                bytes32[] memory leaves = new bytes32[](g.n);
                for (uint256 i = 0; i < g.n; ++i) leaves[i] = RosterTree.leaf(uint32(i), g.household[i], g.amount[i]);
                assertEq(r.root, RosterTree.build(leaves)[0], "a sealed roster's root is its lines' root");
                assertEq(r.root, g.root, "a sealed roster's root = model");
            }
            if (state == IRosterBook.RosterState.AwaitingLines) {
                assertFalse(r.listed, "awaiting lines: not sealed");
                assertLt(lines, r.lineCount, "awaiting lines: some still to come");
                assertEq(r.approvals, 0, "no approval before the seal");
                assertEq(r.approvedAt, 0, "no sign-off before the seal");
                assertEq(uint256(r.openObjections) + r.excludedLines, 0, "no hold before the seal");
                assertEq(uint256(r.paid) + r.excluded + r.released, 0, "nothing paid or released before the seal");
            }
            if (r.ending != IRosterBook.Ending.Withdrawn && r.ending != IRosterBook.Ending.Rejected) {
                assertEq(s.rosters.rosterOfRoot(pid, r.root), id, "a standing roster is the latest of its root");
            }
            assertEq(s.rosters.rosterOfRoot(pid, r.root), handler.rosterOfRootModel(r.root), "rosterOfRoot = model");
        }
    }

    /// @notice No hostile call ever succeeded: nothing by the outsider or by an actor lacking the role,
    /// no bureau acting for another region, no submitter reviewing or disbursing its own roster, no
    /// account without the office the call needs (a stage office of the roster, a treasury or bank
    /// covering its region), no reviewer of its own reversal request, no account bound to a second
    /// office or bound again once retired, no forged proof, batch, seal or argument. The Directory's
    /// offices are the model's: each account holds at most one, each office one account, and a retired
    /// account none.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_noHostileCallSucceeds() public view {
        assertEq(handler.forbiddenMask() & R_HOSTILE, 0, handler.lastForbidden());
        for (uint8 g = 0; g < N_REGIONS; ++g) {
            assertEq(s.directory.bureauOf(handler.regionCode(g)), handler.bureauModel(g), "bureau = model");
        }
        uint256 accounts = handler.accountCount();
        for (uint256 i = 0; i < accounts; ++i) {
            address a = handler.accountAt(i);
            IDirectory.Office memory o = s.directory.officeOf(a);
            assertEq(abi.encode(o), abi.encode(handler.officeOfModel(a)), "office = model");
            bool retired = s.directory.isRetired(a);
            assertEq(retired, handler.retiredModel(a), "retired = model");
            if (o.kind != IDirectory.OfficeKind.None) {
                assertFalse(retired, "a retired account holds no office");
                assertEq(s.directory.holderOf(o), a, "an account's office is held by it");
            }
        }
        uint256 offices = handler.officeCount();
        for (uint256 i = 0; i < offices; ++i) {
            IDirectory.Office memory o = handler.officeAt(i);
            address holder = s.directory.holderOf(o);
            assertEq(holder, handler.holderOfModel(o), "holder = model");
            if (holder != address(0)) {
                assertEq(abi.encode(s.directory.officeOf(holder)), abi.encode(o), "holder's office");
            }
        }
        address outsider = handler.actor(0);
        for (uint64 role = 0; role <= Roles.SUITE; ++role) {
            (bool member,) = s.manager.hasRole(role, outsider);
            assertFalse(member, "the outsider holds no role");
        }
    }

    /// @notice The suite and the rules agree on every call: no call the rules forbid succeeded (for any
    /// reason) and no call they allow reverted. Reversals are the model's.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_everyOutcomeFollowsTheRules() public view {
        assertEq(handler.forbiddenCount(), 0, handler.lastForbidden());
        if (handler.unexpectedCount() != 0) {
            assertTrue(
                false,
                string.concat(
                    "an allowed call reverted: ", handler.lastUnexpected(), " ", vm.toString(handler.lastUnexpectedError())
                )
            );
        }
        uint256 count = s.disbursement.reversalCount();
        assertEq(count, handler.reversalCount(), "reversal count = model");
        for (uint256 id = 1; id <= count; ++id) {
            IDisbursement.Reversal memory v = s.disbursement.reversal(id);
            GhostReversal memory m = handler.ghostReversal(id);
            assertEq(v.rosterId, m.rosterId, "reversal roster = model");
            assertEq(v.lineIndex, m.line, "reversal line = model");
            assertEq(v.household, m.household, "reversal household = model");
            assertEq(v.amount, m.amount, "reversal amount = model");
            assertEq(v.requester, m.requester, "reversal requester = model");
            assertEq(uint8(v.status), m.status, "reversal status = model");
            if (v.status == IDisbursement.ReversalStatus.Approved) {
                assertEq(
                    uint8(s.disbursement.lineStatus(v.rosterId, v.lineIndex)),
                    uint8(IDisbursement.LineStatus.ReversalPendingRecovery),
                    "an approved reversal's line awaits the bank's recovery"
                );
            }
            if (v.status == IDisbursement.ReversalStatus.Recovered) {
                assertEq(
                    uint8(s.disbursement.lineStatus(v.rosterId, v.lineIndex)),
                    uint8(IDisbursement.LineStatus.Reversed),
                    "a recovered reversal's line is Reversed"
                );
            }
        }
    }

    // =============================================================================================
    // Unit tests of the harness itself
    // =============================================================================================

    /// @notice The deployment wires exactly the table of src/roles.ts.
    function test_wiring_matchesRolesTable() public view {
        (address[] memory targets, string[] memory signatures, uint64[] memory roles) = SuiteDeployment.table(s);
        for (uint256 i = 0; i < targets.length; ++i) {
            bytes4 selector = bytes4(keccak256(bytes(signatures[i])));
            assertEq(s.manager.getTargetFunctionRole(targets[i], selector), roles[i], signatures[i]);
        }
        (bool rb,) = s.manager.hasRole(Roles.SUITE, address(s.rosters));
        (bool rl,) = s.manager.hasRole(Roles.SUITE, address(s.lines));
        (bool db,) = s.manager.hasRole(Roles.SUITE, address(s.disbursement));
        assertTrue(rb && rl && db, "SUITE granted to RosterBook, RosterLines and Disbursement");
    }

    /// @notice The Solidity tree equals @openzeppelin/merkle-tree's StandardMerkleTree (sortLeaves: false)
    /// for the lines (0,7,1000) (1,3,150000) (2,31,1) (3,12,42424); values computed with the JS library.
    function test_rosterTree_matchesStandardMerkleTree() public pure {
        bytes32[] memory all = new bytes32[](4);
        all[0] = RosterTree.leaf(0, 7, 1000);
        all[1] = RosterTree.leaf(1, 3, 150000);
        all[2] = RosterTree.leaf(2, 31, 1);
        all[3] = RosterTree.leaf(3, 12, 42424);
        bytes32[4] memory roots = [
            bytes32(0xe7f4845e62ae3eeb2a3a6ded7ef5f798c6c02287ca0d8b6ed1fcf1fb0c254f68),
            0x114946af48c1a0bd797da5ef5eb35c08d21451d13c97ae957beb139a11664c75,
            0x5f013c26803d1db0c3ebd60b685fc0bd7cd8e511b484bad00d77e8aa71f3e732,
            0x302b3af25de1235c73d62159a35aecbec926dd7846dc72779df5c6c373f9fd37
        ];
        for (uint256 n = 1; n <= 4; ++n) {
            bytes32[] memory leaves = new bytes32[](n);
            for (uint256 i = 0; i < n; ++i) leaves[i] = all[i];
            assertEq(RosterTree.build(leaves)[0], roots[n - 1], "root");
        }
        bytes32[] memory tree = RosterTree.build(all);
        // getMultiProof([1, 3])
        (uint32[] memory lines, bytes32[] memory mLeaves, bytes32[] memory proof, bool[] memory flags) =
            RosterTree.multiProof(tree, 0xA);
        assertEq(lines.length, 2);
        assertEq(lines[0], 1);
        assertEq(lines[1], 3);
        assertEq(mLeaves[0], all[1]);
        assertEq(mLeaves[1], all[3]);
        assertEq(proof.length, 2);
        assertEq(proof[0], bytes32(0xe7f4845e62ae3eeb2a3a6ded7ef5f798c6c02287ca0d8b6ed1fcf1fb0c254f68));
        assertEq(proof[1], bytes32(0x43426cbc364a8feca77ee3f2ea9a31f21302c743b0b6b0e5856d22719aa16c7c));
        assertEq(flags.length, 3);
        assertTrue(!flags[0] && !flags[1] && flags[2], "flags");
        // getProof(2)
        bytes32[] memory single = RosterTree.proof(tree, 2);
        assertEq(single.length, 2);
        assertEq(single[0], bytes32(0xd44ee011bcf0453a5559c36f374bd38eae3049ab32f71f3a7a7b2ee9f5539b72));
        assertEq(single[1], bytes32(0x114946af48c1a0bd797da5ef5eb35c08d21451d13c97ae957beb139a11664c75));
        // A one-leaf multiproof is the sibling path with every flag false.
        (,, bytes32[] memory oneProof, bool[] memory oneFlags) = RosterTree.multiProof(tree, 0x4);
        assertEq(keccak256(abi.encode(oneProof)), keccak256(abi.encode(single)));
        assertEq(oneFlags.length, 2);
        assertTrue(!oneFlags[0] && !oneFlags[1], "one-leaf flags");
        // getMultiProof([0, 2]) of the first three lines
        bytes32[] memory three = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) three[i] = all[i];
        (,, bytes32[] memory p3, bool[] memory f3) = RosterTree.multiProof(RosterTree.build(three), 0x5);
        assertEq(p3.length, 1);
        assertEq(p3[0], bytes32(0x3275ba6c6a536f035879520ee59ef7493ddd6112fc8f83338de72e8f83e3b85d));
        assertTrue(f3.length == 2 && !f3[0] && f3[1], "flags of [0, 2]");
    }

    /// @notice The bootstrap leaves five rosters in every early state (one with a line of three listed)
    /// and a consistent model.
    function test_bootstrap_leavesRostersInEveryEarlyState() public view {
        assertEq(uint8(s.rosters.rosterState(1)), uint8(IRosterBook.RosterState.Payable));
        assertEq(uint8(s.rosters.rosterState(2)), uint8(IRosterBook.RosterState.Payable));
        assertEq(uint8(s.rosters.rosterState(3)), uint8(IRosterBook.RosterState.InPublicity));
        assertEq(uint8(s.rosters.rosterState(4)), uint8(IRosterBook.RosterState.AwaitingSignOff));
        assertEq(uint8(s.rosters.rosterState(5)), uint8(IRosterBook.RosterState.AwaitingLines));
        (uint32 listed,, bytes32 frontierHash) = s.lines.listing(5);
        assertEq(listed, 1, "roster 5: one line listed");
        assertTrue(frontierHash != keccak256(""), "roster 5: a frontier to resume from");
        for (uint64 id = 1; id <= 4; ++id) {
            (listed,,) = s.lines.listing(id);
            assertEq(listed, s.rosters.roster(id).lineCount, "rosters 1-4: every line listed");
        }
        assertEq(s.households.householdCount(), 278);
        assertEq(s.households.blockCount(), 4);
        (, uint256 filled) = s.households.blockOf(0);
        assertEq(filled, 255, "town A's first block nearly full");
        invariant_moneyIsConservedInEveryRegion();
        invariant_budgetTreeAndTotalsAddUp();
        invariant_rostersNeverPayMoreThanApproved();
        invariant_noHouseholdHoldsTwoPayouts();
        invariant_householdsStayInTheirRegions();
        invariant_rostersAreSealedByTheirOwnLines();
        invariant_noHostileCallSucceeds();
        invariant_everyOutcomeFollowsTheRules();
    }

    /// @notice A long deterministic random walk through the handler reaches every action's success
    /// path (so no invariant holds only because the handler does nothing) and keeps every invariant.
    function test_randomWalk_reachesEveryActionA() public { _walk("walkA", 3000); }
    function test_randomWalk_reachesEveryActionB() public { _walk("walkB", 3000); }
    function test_randomWalk_reachesEveryActionC() public { _walk("walkC", 3000); }
    function test_randomWalk_reachesEveryAction() public { _walk("walk", 3000); }
    function _walk(string memory salt, uint256 steps) internal {
        for (uint256 step = 0; step < steps; ++step) {
            uint256 seed = uint256(keccak256(abi.encode(salt, step)));
            bytes4 selector = actions[seed % actions.length];
            uint256[6] memory w;
            for (uint256 k = 0; k < 6; ++k) w[k] = uint256(keccak256(abi.encode(seed, k)));
            if (selector == SuiteHandler.resolveObjection.selector) w[3] &= 1; // a bool
            (bool ok,) = address(handler).call(abi.encodePacked(selector, w[0], w[1], w[2], w[3], w[4], w[5]));
            assertTrue(ok, "a handler action reverted");
            if (step % 100 == 99) _checkAll();
            if ((handler.pausedMask() >> 4) & 1 == 1) ++dbgPausedSteps;
            if ((handler.pausedMask() >> 3) & 1 == 1) ++dbgLedgerPausedSteps;
        }
        _checkAll();
        // About half of the calls went through the AccessManager's execute.
        assertGt(handler.routedCount(), handler.callCount() / 3, "too few calls routed through the manager");
        string[] memory names = handler.actionNames();
        // Every kind of forbidden call was attempted (and, by the invariants checked above, reverted).
        for (uint256 b = 0; b < N_REASONS; ++b) {
            assertGt(handler.attemptedForbidden(b), 0, string.concat("no forbidden call of reason bit ", vm.toString(b)));
        }
        // The office and region rules each stopped a call on their own: no other rule can have made it revert.
        uint256[5] memory alone =
            [_bit(R_NOT_OFFICE), _bit(R_OUT_OF_ORDER), _bit(R_REBIND), _bit(R_ABOVE_STAGE), _bit(R_REGION)];
        for (uint256 k = 0; k < alone.length; ++k) {
            string memory what = string.concat("no call forbidden by reason bit ", vm.toString(alone[k]), " alone", handler.callSummary(), " resumed ", vm.toString(handler.resumedChunks()), " sealedResumed ", vm.toString(handler.sealedByResumedChunk()), " dup ", vm.toString(handler.duplicatesTried()), " again ", vm.toString(handler.listsSubmittedAgain()), " rosters ", vm.toString(handler.rosterCount()));
            if (handler.attemptedAlone(alone[k]) == 0) emit log_string(what);
            emit log_string(string.concat("paused steps ", vm.toString(dbgPausedSteps), " ledger ", vm.toString(dbgLedgerPausedSteps), " sub ", handler.dbgSubmit()));
        }
        for (uint256 i = 0; i < names.length; ++i) {
            if (handler.tried(names[i]) == 0) emit log_string(string.concat(names[i], " never tried"));
            if (i + 1 < names.length && handler.succeeded(names[i]) == 0) emit log_string(string.concat(names[i], " never succeeded"));
        }
        // Lines were listed in chunks resumed from a frontier, and such a chunk sealed a roster; the same list
        // was submitted while its roster stood (and refused).
        assertGt(handler.resumedChunks(), 0, "no chunk of lines resumed from a frontier");
        assertGt(handler.sealedByResumedChunk(), 0, "no roster sealed by a resumed chunk");
        assertGt(handler.duplicatesTried(), 0, "no list submitted twice");
        // The register filled a block and went on in another (town A's first block, which the bootstrap
        // nearly filled), and a payout read a word of the register past the first.
        (, uint256 filled) = s.households.blockOf(0);
        assertEq(filled, 256, "town A's first block never filled");
        bool reopened = false;
        for (uint256 b = 1; b < s.households.blockCount(); ++b) {
            (uint64 region,) = s.households.blockOf(b);
            if (region == handler.regionCode(G_TOWN_A)) reopened = true;
        }
        assertTrue(reopened, "town A never opened a second block");
        bool paidPastFirstBlock = false;
        for (uint64 id = 1; id <= s.rosters.rosterCount(); ++id) {
            GhostRoster memory g = handler.ghostRoster(id);
            for (uint32 i = 0; i < g.n; ++i) {
                if (g.batchOf[i] != 0 && g.household[i] >= 256) paidPastFirstBlock = true;
            }
        }
        assertTrue(paidPastFirstBlock, "no household past the first block paid");
    }

    function _checkAll() internal view {
        invariant_moneyIsConservedInEveryRegion();
        invariant_budgetTreeAndTotalsAddUp();
        invariant_rostersNeverPayMoreThanApproved();
        invariant_noHouseholdHoldsTwoPayouts();
        invariant_householdsStayInTheirRegions();
        invariant_heldLinesAreNeverPaid();
        invariant_paidLinesHadSignOffAndPublicity();
        invariant_nothingMovesWhilePaused();
        invariant_rostersAreSealedByTheirOwnLines();
        invariant_noHostileCallSucceeds();
        invariant_everyOutcomeFollowsTheRules();
    }

    function _bit(uint256 reason) internal pure returns (uint256 b) {
        while (reason >> b > 1) ++b;
    }

    function _regionIndex(uint64 code) internal view returns (uint8) {
        for (uint8 g = 0; g < N_REGIONS; ++g) if (handler.regionCode(g) == code) return g;
        return type(uint8).max;
    }
}
