/**
 * Opening the index database and guarding what it belongs to. A database is made for one chain and
 * one deployment of the suite: its meta table records the chain id, the contract addresses and the
 * last block indexed, and a database made for another chain or deployment is refused rather than
 * silently mixed.
 */
import type { SuiteAddresses } from "../suite.js";
import { SCHEMA, SCHEMA_VERSION } from "./schema.js";
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from "./sqlite.js";

export type Row = Record<string, SQLOutputValue>;

/** What a database is for: checked on every open against the chain and deployment in use. */
export interface IndexIdentity {
  chainId: bigint;
  addresses: SuiteAddresses;
}

/** Where the index stands. */
export interface IndexHead {
  /** The last block whose logs are all stored; -1 before the first run. */
  block: number;
  hash: string | undefined;
  /** The block's timestamp (seconds), the audits' "now". */
  time: number | undefined;
}

function canonicalAddresses(addresses: SuiteAddresses): string {
  const entries = Object.entries(addresses)
    .map(([key, value]) => [key, String(value).toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export class IndexDatabase {
  readonly db: DatabaseSync;

  private constructor(readonly file: string) {
    // readBigInts: every INTEGER comes back as a bigint, so sums of fen never lose precision.
    this.db = new DatabaseSync(file, { readBigInts: true, timeout: 5_000 });
    // WAL: readers (another audit task) are not blocked while an update writes. synchronous=NORMAL is
    // safe in WAL mode (a crash may lose the last transactions, never corrupt the file), and a lost
    // transaction carries its own last-block marker, so the next run simply indexes that range again.
    this.db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;",
    );
    this.db.exec(SCHEMA);
  }

  static open(file: string): IndexDatabase {
    return new IndexDatabase(file);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /**
   * A statement compiled once per SQL text and kept: a service answering hundreds of requests a second
   * asks the same few questions (the head, a household's lines) over and over. Bounded, for callers
   * that build SQL text from filters.
   */
  private prepared(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= 256) this.statements.clear();
      this.statements.set(sql, (statement = this.db.prepare(sql)));
    }
    return statement;
  }
  private readonly statements = new Map<string, StatementSync>();

  all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.prepared(sql).all(...params);
  }

  get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.prepared(sql).get(...params);
  }

  /** Runs a statement that writes (inside the caller's transaction, where it must be atomic with others). */
  run(sql: string, ...params: SQLInputValue[]): void {
    this.prepared(sql).run(...params);
  }

  meta(key: string): string | undefined {
    const row = this.prepared("SELECT value FROM meta WHERE key = ?").get(key);
    return row ? String(row.value) : undefined;
  }

  setMeta(key: string, value: string): void {
    this.prepared(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(key, value);
  }

  /** Runs `body` in one transaction: all of it is stored, or none of it. */
  transaction<T>(body: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Records the identity of a new database, or checks an existing one against it. A database made
   * for another chain or deployment is refused: its rows would be mixed with this one's.
   */
  bind(identity: IndexIdentity): void {
    const chainId = identity.chainId.toString();
    const addresses = canonicalAddresses(identity.addresses);
    const storedChain = this.meta("chain_id");
    if (storedChain === undefined) {
      this.transaction(() => {
        this.setMeta("schema_version", SCHEMA_VERSION);
        this.setMeta("chain_id", chainId);
        this.setMeta("addresses", addresses);
        this.setMeta("last_block", "-1");
      });
      return;
    }
    const version = this.meta("schema_version");
    if (version !== SCHEMA_VERSION) {
      throw new Error(
        `${this.file} was written by index schema ${version ?? "(unknown)"}, this tool uses ${SCHEMA_VERSION}: index into a new --db file`,
      );
    }
    if (storedChain !== chainId) {
      throw new Error(
        `${this.file} holds the index of chain ${storedChain}, not of chain ${chainId} (the network you are connected to): use another --db file`,
      );
    }
    if (this.meta("addresses") !== addresses) {
      const stored = JSON.parse(this.meta("addresses") ?? "{}") as Record<string, string>;
      const differing = Object.keys({ ...stored, ...identity.addresses })
        .filter(
          (k) => stored[k] !== (identity.addresses as unknown as Record<string, string | undefined>)[k]?.toLowerCase(),
        )
        .map(
          (k) =>
            `${k} ${stored[k] ?? "(none)"} here, ${(identity.addresses as unknown as Record<string, string | undefined>)[k] ?? "(none)"} in the deployment`,
        );
      throw new Error(
        `${this.file} holds the index of another deployment of the suite (${differing.join("; ")}): use another --db file`,
      );
    }
  }

  identity(): { chainId: bigint; addresses: SuiteAddresses } | undefined {
    const chainId = this.meta("chain_id");
    const addresses = this.meta("addresses");
    if (chainId === undefined || addresses === undefined) return undefined;
    return { chainId: BigInt(chainId), addresses: JSON.parse(addresses) as SuiteAddresses };
  }

  head(): IndexHead {
    const time = this.meta("last_block_time");
    return {
      block: Number(this.meta("last_block") ?? "-1"),
      hash: this.meta("last_block_hash"),
      time: time === undefined ? undefined : Number(time),
    };
  }
}
