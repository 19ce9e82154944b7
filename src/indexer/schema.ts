/**
 * The index database: one raw table of every decoded event, and typed tables for what the audits
 * query at scale. Every event row is keyed by (block, log_index), the position of the log in the
 * chain, and inserted with INSERT OR IGNORE: indexing a range twice never counts an event twice.
 * Tables are WITHOUT ROWID with that key, so rows are stored in chain order and a range's bulk
 * insert appends at the end of the B-tree.
 *
 * Money and ids are SQLite INTEGERs (64-bit signed). Amounts on chain are uint128, but every
 * amount in the suite is bounded by what was funded (fundProgramme is capped by the programme's
 * ceiling) and every id is a counter from 1; the indexer refuses, by name, any value that would
 * not fit instead of storing it wrongly (see store.ts). Hashes and addresses are lowercase hex text.
 */

export const SCHEMA_VERSION = "6";

/** Columns shared by every event table: where the log is, and the transaction that emitted it. */
const AT = "block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx TEXT NOT NULL";
const KEY = "PRIMARY KEY (block, log_index)";

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Headers of the blocks that hold events (and of each range's last block): time for traces and ages.
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, time INTEGER NOT NULL, hash TEXT NOT NULL);

-- Who sent each transaction that emitted a suite event: the disburser of a payout batch and the
-- resolver of an objection are not in the events themselves.
CREATE TABLE IF NOT EXISTS txs (hash TEXT PRIMARY KEY, block INTEGER NOT NULL, sender TEXT NOT NULL) WITHOUT ROWID;

-- Every log of the suite's contracts. args: the decoded arguments as JSON (integers as decimal
-- strings); for a log no interface decodes, name is NULL and args holds its topics and data.
CREATE TABLE IF NOT EXISTS events (${AT}, contract TEXT NOT NULL, address TEXT NOT NULL, name TEXT, args TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
-- Looked up by transaction ("what else happened in it"); not by name: the typed tables serve that,
-- and every extra index on this, the largest table, slows the cold index.
CREATE INDEX IF NOT EXISTS events_tx ON events (tx);

-- What the indexer's own checks found (batch hashes, batch totals); reported by every audit.
CREATE TABLE IF NOT EXISTS issues (${AT}, kind TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (block, log_index, kind)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS programmes (${AT}, programme_id INTEGER NOT NULL, earmark TEXT NOT NULL, fiscal_period INTEGER NOT NULL, root_region INTEGER NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS programmes_id ON programmes (programme_id);

-- Terms at creation and after each amendment; the cap in force at a payout is the latest row before it.
CREATE TABLE IF NOT EXISTS programme_terms (${AT}, programme_id INTEGER NOT NULL, kind TEXT NOT NULL, budget_ceiling INTEGER NOT NULL, household_cap INTEGER NOT NULL, publicity_period INTEGER NOT NULL, payout_period INTEGER NOT NULL, review_stages TEXT NOT NULL, policy_doc_hash TEXT NOT NULL, policy_uri TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS programme_terms_programme ON programme_terms (programme_id, block, log_index);

-- BudgetLedger moves, one row per event. region: the root (funded), from (allocated), parent
-- (reclaimed) or the region moved in; other_region: to (allocated) or child (reclaimed).
CREATE TABLE IF NOT EXISTS ledger_moves (${AT}, programme_id INTEGER NOT NULL, kind TEXT NOT NULL, region INTEGER NOT NULL, other_region INTEGER, amount INTEGER NOT NULL, account TEXT, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ledger_moves_programme ON ledger_moves (programme_id, kind, region);

CREATE TABLE IF NOT EXISTS households (${AT}, household INTEGER NOT NULL, commitment TEXT NOT NULL, attestation_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS households_id ON households (household);
CREATE INDEX IF NOT EXISTS households_commitment ON households (commitment);

-- A household's region is its block's: household h is in block h / 256 (HouseholdBlockOpened).
CREATE TABLE IF NOT EXISTS household_blocks (${AT}, block_id INTEGER NOT NULL, region INTEGER NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS household_blocks_id ON household_blocks (block_id);

CREATE TABLE IF NOT EXISTS suspensions (${AT}, household INTEGER NOT NULL, commitment TEXT NOT NULL, suspended INTEGER NOT NULL, reason INTEGER, reason_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS suspensions_household ON suspensions (household);

CREATE TABLE IF NOT EXISTS offices (${AT}, event TEXT NOT NULL, account TEXT NOT NULL, kind INTEGER NOT NULL, department INTEGER NOT NULL, region INTEGER NOT NULL, previous TEXT, ${KEY}) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS role_grants (${AT}, kind TEXT NOT NULL, role_id TEXT NOT NULL, account TEXT NOT NULL, delay INTEGER, since INTEGER, new_member INTEGER, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS role_grants_account ON role_grants (account);

CREATE TABLE IF NOT EXISTS pauses (${AT}, contract TEXT NOT NULL, account TEXT NOT NULL, paused INTEGER NOT NULL, ${KEY}) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS rosters (${AT}, roster_id INTEGER NOT NULL, programme_id INTEGER NOT NULL, region INTEGER NOT NULL, submitter TEXT NOT NULL, root TEXT NOT NULL, line_count INTEGER NOT NULL, total INTEGER NOT NULL, document_hash TEXT NOT NULL, document_uri TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS rosters_id ON rosters (roster_id);
CREATE INDEX IF NOT EXISTS rosters_programme ON rosters (programme_id, region);

-- Department decisions on rosters: approvals (by transaction or relayed seal) and rejections.
CREATE TABLE IF NOT EXISTS approvals (${AT}, roster_id INTEGER NOT NULL, stage INTEGER, department INTEGER NOT NULL, approver TEXT NOT NULL, decision TEXT NOT NULL, signed INTEGER, reason_hash TEXT, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS approvals_roster ON approvals (roster_id);

-- signed_off (publicity starts), withdrawn, rejected, closed (released = what went back to the region).
-- kind: rejected, signed_off (publicity_ends_at, payout_deadline), withdrawn, close_requested (lines
-- still owed, reason), lines_dropped (lines dropped at a co-signed closing, reason), closed (released).
CREATE TABLE IF NOT EXISTS roster_endings (${AT}, roster_id INTEGER NOT NULL, kind TEXT NOT NULL, publicity_ends_at INTEGER, payout_deadline INTEGER, lines INTEGER, released INTEGER, reason_hash TEXT, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS roster_endings_roster ON roster_endings (roster_id);

CREATE TABLE IF NOT EXISTS objections (${AT}, roster_id INTEGER NOT NULL, line_index INTEGER NOT NULL, objector TEXT NOT NULL, evidence_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS objections_line ON objections (roster_id, line_index);

CREATE TABLE IF NOT EXISTS resolutions (${AT}, roster_id INTEGER NOT NULL, line_index INTEGER NOT NULL, household INTEGER NOT NULL, upheld INTEGER NOT NULL, department INTEGER NOT NULL, amount INTEGER NOT NULL, reason_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS resolutions_line ON resolutions (roster_id, line_index);
CREATE INDEX IF NOT EXISTS resolutions_household ON resolutions (household);

-- Every line of every roster as listed on chain (RosterLines.LineListed), from submission on.
CREATE TABLE IF NOT EXISTS roster_lines (${AT}, roster_id INTEGER NOT NULL, line_index INTEGER NOT NULL, household INTEGER NOT NULL, amount INTEGER NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS roster_lines_line ON roster_lines (roster_id, line_index, amount);
CREATE INDEX IF NOT EXISTS roster_lines_household ON roster_lines (household);

-- When each roster's lines were all on chain, matching its declared root and total (RosterBook.RosterSealed).
CREATE TABLE IF NOT EXISTS roster_seals (${AT}, roster_id INTEGER NOT NULL, root TEXT NOT NULL, total INTEGER NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS roster_seals_roster ON roster_seals (roster_id);

CREATE TABLE IF NOT EXISTS roster_paid (${AT}, roster_id INTEGER NOT NULL, programme_id INTEGER NOT NULL, region INTEGER NOT NULL, amount INTEGER NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS roster_paid_roster ON roster_paid (roster_id);

-- One row per paid line. batch_id comes from the PayoutBatchRecorded event of the same transaction.
CREATE TABLE IF NOT EXISTS payouts (${AT}, roster_id INTEGER NOT NULL, line_index INTEGER NOT NULL, household INTEGER NOT NULL, amount INTEGER NOT NULL, batch_id INTEGER, ${KEY}) WITHOUT ROWID;
-- payouts_line_amount carries the amount, so that the sums per roster (reconcile, the indexer's
-- own checks) read the index alone, never the table: at 10^6 lines, 40 ms a sum instead of 250 ms.
-- It replaces an index of (roster_id, line_index), dropped from files that still have it.
DROP INDEX IF EXISTS payouts_line;
CREATE INDEX IF NOT EXISTS payouts_line_amount ON payouts (roster_id, line_index, amount);
CREATE INDEX IF NOT EXISTS payouts_household ON payouts (household);

-- hash_ok: the batch hash equals keccak256 of its packed lines, rebuilt from the PayoutRecorded logs.
CREATE TABLE IF NOT EXISTS batches (${AT}, roster_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, batch_hash TEXT NOT NULL, line_count INTEGER NOT NULL, amount INTEGER NOT NULL, hash_ok INTEGER NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batches_roster ON batches (roster_id, batch_id);

CREATE TABLE IF NOT EXISTS confirmations (${AT}, roster_id INTEGER NOT NULL, line_index INTEGER NOT NULL, bank_ref_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS confirmations_line ON confirmations (roster_id, line_index);

CREATE TABLE IF NOT EXISTS returns (${AT}, roster_id INTEGER NOT NULL, household INTEGER NOT NULL, programme_id INTEGER NOT NULL, line_index INTEGER NOT NULL, amount INTEGER NOT NULL, bank_ref_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS returns_line ON returns (roster_id, line_index);
CREATE INDEX IF NOT EXISTS returns_household ON returns (household);

-- Reversal requests; their decisions are in reversal_decisions.
CREATE TABLE IF NOT EXISTS reversals (${AT}, reversal_id INTEGER NOT NULL, roster_id INTEGER NOT NULL, household INTEGER NOT NULL, line_index INTEGER NOT NULL, amount INTEGER NOT NULL, requester TEXT NOT NULL, reason_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS reversals_id ON reversals (reversal_id);
CREATE INDEX IF NOT EXISTS reversals_line ON reversals (roster_id, line_index);
CREATE INDEX IF NOT EXISTS reversals_household ON reversals (household);

CREATE TABLE IF NOT EXISTS reversal_decisions (${AT}, reversal_id INTEGER NOT NULL, roster_id INTEGER NOT NULL, department INTEGER NOT NULL, approver TEXT NOT NULL, approved INTEGER NOT NULL, reason_hash TEXT, ${KEY}) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS reversal_decisions_id ON reversal_decisions (reversal_id);

-- The bank's recoveries of approved reversals: only these put a reversed line's money back.
CREATE TABLE IF NOT EXISTS recoveries (${AT}, reversal_id INTEGER NOT NULL, roster_id INTEGER NOT NULL, household INTEGER NOT NULL, line_index INTEGER NOT NULL, amount INTEGER NOT NULL, bank_ref_hash TEXT NOT NULL, ${KEY}) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS recoveries_id ON recoveries (reversal_id);
CREATE INDEX IF NOT EXISTS recoveries_line ON recoveries (roster_id, line_index);

-- The payout lines, bank confirmations and returns of each roster, summed per Beijing day (kind:
-- paid, confirmed, returned), added in the transaction that stores each range (line-sums.ts): the
-- pages, the reconciliation and the indexer's own check read these few rows, not the millions they
-- sum. updated_block: the last block of the range that changed the row.
CREATE TABLE IF NOT EXISTS line_sums (roster_id INTEGER NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, lines INTEGER NOT NULL, amount INTEGER NOT NULL, updated_block INTEGER NOT NULL, PRIMARY KEY (roster_id, day, kind)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS line_sums_updated ON line_sums (updated_block);
`;

/** The tables `audit export` may write, in the order the docs list them. */
export const EXPORTABLE_TABLES = [
  "payouts",
  "batches",
  "confirmations",
  "returns",
  "reversals",
  "reversal_decisions",
  "recoveries",
  "rosters",
  "approvals",
  "roster_endings",
  "objections",
  "resolutions",
  "roster_paid",
  "ledger_moves",
  "programmes",
  "programme_terms",
  "households",
  "suspensions",
  "offices",
  "role_grants",
  "pauses",
  "issues",
  "events",
  "txs",
  "blocks",
] as const;

export type ExportableTable = (typeof EXPORTABLE_TABLES)[number];
