// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Line} from "../types/Line.sol";

/// @title IRosterBook
/// @notice Payout rosters: submission (the total is reserved from the region's budget), joint
/// sign-off (会签) by the reviewing office of every review stage of its programme (ordered or not),
/// by transaction or by EIP-712 signature relayed by anyone, publicity (公示) with objections to single lines, and closing.
/// A roster is submitted with its declared Merkle root, line count, total and the hash of the published
/// list; its lines then reach the chain through RosterLines, which builds the root and the total from
/// them and seals the roster (`seal`) only if they equal the declared ones. Sign-off starts at the seal.
///
/// Roster states, derived from stored facts:
/// AwaitingLines → (sealed) AwaitingSignOff → (all approved) InPublicity → (period elapsed) Payable →
/// (bureau closes) Closed; AwaitingLines or AwaitingSignOff → Withdrawn (the region's bureau withdraws
/// it); AwaitingSignOff → Rejected (a stage office rejects).
///
/// The duty to pay: a roster carries its programme's payout period from submission. After publicity
/// plus that period (`payoutDeadline`), every approved, unheld line still unpaid is Overdue
/// (`overdueLines`). A bureau closes a roster that would drop payable, unheld lines only with a reason
/// and a reviewing office's co-signature (`closeRoster` requests, `confirmClose` closes), and the
/// closing names how many lines it dropped.
interface IRosterBook {
    /// @dev Roster states; see the contract notice.
    enum RosterState {
        None,
        AwaitingSignOff,
        Rejected,
        Withdrawn,
        InPublicity,
        Payable,
        Closed,
        AwaitingLines
    }

    /// @dev How a roster ended, if it did.
    enum Ending {
        None,
        Rejected,
        Withdrawn,
        Closed
    }

    /// @dev Objection hold on a line.
    enum LineHold {
        None,
        Frozen,
        Excluded
    }

    /// @dev What a bureau submits.
    struct Submission {
        uint64 programmeId;
        uint64 region;
        bytes32 root;
        uint32 lineCount;
        uint128 total;
        bytes32 documentHash;
        string documentURI;
    }

    /// @dev A roster as stored. `paid + excluded + released <= total`; the rest is still reserved.
    /// `openObjections` lines are frozen and `excludedLines` excluded: a roster with neither holds no line.
    struct Roster {
        uint64 programmeId;
        uint64 region;
        uint32 lineCount;
        uint32 publicityPeriod;
        uint32 openObjections;
        uint32 excludedLines;
        address submitter;
        uint40 submittedAt;
        uint40 approvedAt;
        uint40 endedAt;
        Ending ending;
        /// Seconds after publicity by which every line must be paid (the programme's, at submission).
        uint32 payoutPeriod;
        /// Lines paid so far (returned and reversed lines stay counted: they were paid).
        uint32 paidLines;
        /// Set when RosterLines listed every line and their root and total matched: the roster is sealed (`seal`).
        bool listed;
        bytes32 root;
        bytes32 documentHash;
        /// The programme's review stages at submission (packed as in ReviewStages).
        uint256 reviewStages;
        /// Bit `i` set: stage `i` approved.
        uint256 approvals;
        uint128 total;
        uint128 paid;
        uint128 excluded;
        uint128 released;
        /// The reason the bureau gave for closing while lines were still payable (zero if it did not
        /// ask): while the roster is Payable, a non-zero reason means the closing awaits a department's
        /// `confirmClose`.
        bytes32 closeReasonHash;
    }

    /// @dev What the Disbursement contract needs of a roster to pay its lines. `anyLineHeld`: some
    /// line is frozen or excluded, so that each line's hold must be read (`holdWord`).
    struct PayoutTerms {
        uint64 programmeId;
        uint64 region;
        uint32 lineCount;
        bytes32 root;
        bool anyLineHeld;
    }

    /// @dev What RosterLines needs of a roster to list its lines.
    struct ListingTerms {
        uint64 programmeId;
        uint64 region;
        uint32 lineCount;
        uint128 total;
        RosterState state;
        /// Whether the roster was sealed (every line listed); it stays so after it ends.
        bool listed;
    }

    /// @dev An approval of one review stage, signed off chain by the account of that stage's office (an
    /// electronic seal).
    struct SignedApproval {
        uint8 stage;
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    /// @dev Emitted when roster `rosterId` was submitted and its total reserved.
    event RosterSubmitted(
        uint64 indexed rosterId,
        uint64 indexed programmeId,
        uint64 indexed region,
        address submitter,
        bytes32 root,
        uint32 lineCount,
        uint128 total,
        bytes32 documentHash,
        string documentURI
    );

    /// @dev Emitted when every line of the roster was listed on chain (RosterLines) and their root and
    /// total equal the declared ones: sign-off may start.
    event RosterSealed(uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, bytes32 root, uint128 total);

    /// @dev Emitted when review stage `stage`, of `department`, approved; `signed` when by EIP-712 signature.
    event RosterApproved(
        uint64 indexed rosterId,
        uint8 stage,
        uint8 indexed department,
        address indexed approver,
        bool signed,
        uint64 programmeId,
        uint64 region
    );

    /// @dev Emitted when the last required approval arrived: publicity runs until `publicityEndsAt`, and
    /// every line must be paid by `payoutDeadline`.
    event RosterSignedOff(
        uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, uint40 publicityEndsAt, uint40 payoutDeadline
    );

    /// @dev Emitted when the region's bureau asked to close a roster that still has `payableLines`
    /// payable, unheld lines: a reviewing department must confirm (`confirmClose`).
    event RosterCloseRequested(
        uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, uint32 payableLines, bytes32 reasonHash
    );

    /// @dev Emitted when department `department` co-signed closing a roster that dropped `droppedLines`
    /// payable lines, for the reason the bureau gave. `RosterClosed` follows.
    event RosterLinesDropped(
        uint64 indexed rosterId, uint8 indexed department, address indexed approver, uint32 droppedLines, bytes32 reasonHash
    );

    /// @dev Emitted when `department` rejected the roster; its reservation was released.
    event RosterRejected(
        uint64 indexed rosterId,
        uint8 indexed department,
        address indexed approver,
        bytes32 reasonHash,
        uint64 programmeId,
        uint64 region
    );

    /// @dev Emitted when the region's bureau withdrew the roster before sign-off; its reservation was released.
    event RosterWithdrawn(uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, bytes32 reasonHash);

    /// @dev Emitted when the roster was closed and `released` fen not paid went back to the region.
    event RosterClosed(uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, uint128 released);

    /// @dev Emitted when `objector` objected to line `lineIndex` during publicity; the line is frozen.
    event LineObjected(uint64 indexed rosterId, uint32 indexed lineIndex, address indexed objector, bytes32 evidenceHash);

    /// @dev Emitted when an objection was resolved: upheld (line excluded, amount released) or dismissed.
    event ObjectionResolved(
        uint64 indexed rosterId,
        uint32 indexed lineIndex,
        uint64 indexed household,
        bool upheld,
        uint8 department,
        uint128 amount,
        bytes32 reasonHash
    );

    /// @dev Emitted when `amount` of the roster's reservation was paid out (once per payout batch).
    event RosterPaid(uint64 indexed rosterId, uint64 indexed programmeId, uint64 indexed region, uint128 amount);

    /// @dev No roster has id `rosterId`.
    error RosterBookUnknownRoster(uint64 rosterId);

    /// @dev The roster is in state `actual`, not `expected`.
    error RosterBookWrongState(uint64 rosterId, RosterState expected, RosterState actual);

    /// @dev The caller is not the bureau bound to `region`.
    error RosterBookNotRegionBureau(address caller, uint64 region);


    /// @dev `account` does not hold the reviewing office of any of this roster's stages: the office of a
    /// stage's department at that stage's level, above or at the roster's region.
    error RosterBookNotReviewingOffice(address account);

    /// @dev No region at level `stageLevel` contains `region`, so that review stage could have no
    /// office: the roster's region lies above the stage's level, or its division skips that level (a
    /// township directly under a city has no county).
    error RosterBookNoStageOffice(uint64 region, uint8 stageLevel);

    /// @dev The programme's stages run in order and a stage before `stage` has not approved yet.
    error RosterBookStageOutOfOrder(uint8 stage);

    /// @dev Stage `stage` approved this roster already.
    error RosterBookAlreadyApproved(uint8 stage);

    /// @dev The signer of an approval no longer holds the REVIEWER role.
    error RosterBookSignerNotReviewer(address signer);

    /// @dev The signer of an approval does not hold the office of the stage it names.
    error RosterBookSignerNotStage(address signer, uint8 stage);

    /// @dev The signature expired at `deadline`.
    error RosterBookSignatureExpired(uint256 deadline);

    /// @dev Roster `rosterId` of programme `programmeId` has root `root` already and was not withdrawn
    /// or rejected: the same list is not submitted twice.
    error RosterBookDuplicateRoster(uint64 programmeId, bytes32 root, uint64 rosterId);

    /// @dev Every line is listed, but the lines' root or total is not the declared one: not sealed.
    error RosterBookListMismatch(uint64 rosterId, bytes32 declaredRoot, bytes32 root, uint128 declaredTotal, uint128 total);

    /// @dev The submission is malformed; `field` names what is wrong.
    error RosterBookInvalidSubmission(string field);

    /// @dev `lineIndex` is not below the roster's `lineCount`.
    error RosterBookLineOutOfRange(uint32 lineIndex, uint32 lineCount);

    /// @dev The line's hold is `actual`, not `expected`.
    error RosterBookWrongLineHold(uint32 lineIndex, LineHold expected, LineHold actual);

    /// @dev The line and proof do not belong to the roster's Merkle root.
    error RosterBookInvalidProof(uint32 lineIndex);

    /// @dev `objector` holds `open` unresolved objections on this roster already, the most one account may.
    error RosterBookTooManyObjections(address objector, uint32 open);

    /// @dev A batch of resolutions is empty, or its arrays differ in length.
    error RosterBookBadResolutionBatch();

    /// @dev Closing would drop `payableLines` payable, unheld lines: give a reason (its hash) and have a
    /// reviewing department confirm.
    error RosterBookReasonRequired(uint64 rosterId, uint32 payableLines);

    /// @dev No closing of the roster awaits a department's confirmation.
    error RosterBookNoCloseRequested(uint64 rosterId);

    /// @dev `openObjections` lines are still frozen; resolve them first.
    error RosterBookObjectionsOpen(uint64 rosterId, uint32 openObjections);

    /// @dev Paying `amount` would take the roster past its total (`remaining` fen are left).
    error RosterBookOverspent(uint64 rosterId, uint128 remaining, uint128 amount);

    /// @notice Submits a roster for the caller's region and reserves its total; its lines follow through
    /// RosterLines. The caller must be the bureau bound to `s.region` in the Directory. A roster of the
    /// programme with the same root that was not withdrawn or rejected refuses it.
    function submitRoster(Submission calldata s) external returns (uint64 rosterId);

    /// @notice Seals a roster awaiting lines: every line was listed, with this root and total, which must
    /// equal the declared ones. Suite contracts only (RosterLines).
    function seal(uint64 rosterId, bytes32 root, uint128 total) external;

    /// @notice The latest roster of programme `programmeId` submitted with root `root` (0 if none).
    function rosterOfRoot(uint64 programmeId, bytes32 root) external view returns (uint64);

    /// @notice The roster facts RosterLines needs; reverts if unknown.
    function listingTerms(uint64 rosterId) external view returns (ListingTerms memory);

    /// @notice Withdraws a roster awaiting lines or sign-off; its reservation is released. The region's
    /// current bureau only.
    function withdrawRoster(uint64 rosterId, bytes32 reasonHash) external;

    /// @notice Approves the review stage whose office the caller holds (see `reviewingStage`). When the
    /// programme's stages run in order, every earlier stage must have approved.
    function approveRoster(uint64 rosterId) external;

    /// @notice Submits approvals signed off chain by the holders of stage offices; anyone may relay
    /// them, in any order of signers. Each signature binds the roster id and root, the stage, a keyed nonce, a deadline, the chain id and this contract. Stage order, if the programme
    /// requires it, applies in the order the approvals are listed.
    function approveRosterBySig(uint64 rosterId, SignedApproval[] calldata approvals) external;

    /// @notice Rejects a roster awaiting sign-off, by the holder of one of its stage offices (in any
    /// order); its reservation is released.
    function rejectRoster(uint64 rosterId, bytes32 reasonHash) external;

    /// @notice Objects to one line during publicity; the line is frozen until resolved. Anyone may object,
    /// and may do so while the suite is paused: a pause never shortens the time residents have to object
    /// (an objection only freezes a line; it moves no money). One account holds at most
    /// `MAX_OPEN_OBJECTIONS_PER_OBJECTOR` unresolved objections per roster.
    function objectToLine(uint64 rosterId, uint32 lineIndex, bytes32 evidenceHash) external;

    /// @notice Resolves the objection on `line`, by the holder of one of the roster's stage offices: `upheld` excludes the
    /// line and releases its amount; otherwise the line becomes payable again.
    function resolveObjection(
        uint64 rosterId,
        Line calldata line,
        bytes32[] calldata proof,
        bool upheld,
        bytes32 reasonHash
    ) external;

    /// @notice Resolves many objections of one roster at once, by the holder of a stage office, with one
    /// reason: `lines[i]` proven by `proofs[i]`, upheld if `upheld[i]`. All or nothing.
    function resolveObjections(
        uint64 rosterId,
        Line[] calldata lines,
        bytes32[][] calldata proofs,
        bool[] calldata upheld,
        bytes32 reasonHash
    ) external;

    /// @notice The number of unresolved objections `objector` holds on `rosterId`.
    function openObjectionsBy(uint64 rosterId, address objector) external view returns (uint32);

    /// @notice Closes a payable roster; what it has not paid is released to the region. The region's
    /// current bureau only. If payable, unheld lines are still unpaid, this only requests the closing:
    /// `reasonHash` is required and the holder of one of the roster's stage offices must `confirmClose`.
    function closeRoster(uint64 rosterId, bytes32 reasonHash) external;

    /// @notice Co-signs a requested closing, by the holder of one of the roster's stage offices: the roster
    /// closes, dropping its unpaid lines (`RosterLinesDropped`, then `RosterClosed`).
    function confirmClose(uint64 rosterId) external;

    /// @notice Accounts `lines` lines and `amount` paid from a payable roster. Suite contracts only (Disbursement).
    function recordPaid(uint64 rosterId, uint32 lines, uint128 amount) external;

    /// @notice When every line of the roster must be paid by (0 before sign-off).
    function payoutDeadline(uint64 rosterId) external view returns (uint40);

    /// @notice Approved, unheld lines still unpaid after the payout deadline, on a roster not closed
    /// (0 before the deadline).
    function overdueLines(uint64 rosterId) external view returns (uint32);

    /// @notice Roster `rosterId`; reverts if unknown.
    function roster(uint64 rosterId) external view returns (Roster memory);

    /// @notice The roster facts a payout needs; reverts if unknown.
    function payoutTerms(uint64 rosterId) external view returns (PayoutTerms memory);

    /// @notice The current state of `rosterId` (None if unknown).
    function rosterState(uint64 rosterId) external view returns (RosterState);

    /// @notice Number of rosters (the highest id).
    function rosterCount() external view returns (uint64);

    /// @notice The objection hold on one line.
    function lineHold(uint64 rosterId, uint32 lineIndex) external view returns (LineHold);

    /// @notice 128 two-bit holds: line `word * 128 + i` at bits `2i..2i+1`.
    function holdWord(uint64 rosterId, uint256 word) external view returns (uint256);

    /// @notice The review stage of `rosterId` whose office `account` holds, and that office's department.
    /// Reverts `RosterBookNotReviewingOffice` if none. The submitter holds a bureau office, for life
    /// (IDirectory), so it never reviews its own roster.
    function reviewingStage(uint64 rosterId, address account) external view returns (uint8 stage, uint8 department);

    /// @notice The EIP-712 digest the holder of stage `stage`'s office signs to approve `rosterId`.
    function approvalDigest(uint64 rosterId, uint8 stage, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
