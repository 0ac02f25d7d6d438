import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  type Kysely,
  type MigrationLockOptions,
  type Driver,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';

/*
 * Kysely's SQLite dialect with three changes that matter when many requests write at once
 * through the one connection a process has:
 *
 * - Transactions begin with BEGIN IMMEDIATE (all but those marked `setAccessMode('read only')`):
 *   the database write lock is taken at once, so a transaction never reads a snapshot and then
 *   fails to upgrade it to a write (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out) when
 *   another connection (another process, the CLI) wrote in between. Within a process this costs
 *   nothing: its one connection runs one transaction at a time anyway.
 * - Waiting for the connection is a FIFO queue handing the connection to the next waiter
 *   (Kysely's own mutex wakes every waiter on each release: quadratic with a thousand waiters).
 * - Prepared statements are cached by SQL text (better-sqlite3 prepares on every call
 *   otherwise); SQLite re-prepares a cached statement itself after a schema change.
 * - Migrations hold the database write lock from start to end (see SqliteMigrationAdapter).
 */

/** Statements kept per connection (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 500;

/** The better-sqlite3 database with prepared statements cached by SQL text. */
export function withStatementCache(db: SqliteDatabase & { prepare(sql: string): SqliteStatement }, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** A mutex that hands over to waiters in arrival order and wakes only the next one. */
class FifoMutex {
  #locked = false;
  #waiters: Array<() => void> = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

/** What the dialect does besides Kysely's: `beforeDestroy` runs before the connection closes. */
export interface HallwaySqliteOptions {
  readonly beforeDestroy?: () => Promise<void> | void;
}

class HallwaySqliteDriver extends SqliteDriver {
  #mutex = new FifoMutex();
  #connection: DatabaseConnection | undefined;
  readonly #options: HallwaySqliteOptions;

  constructor(config: SqliteDialectConfig, options: HallwaySqliteOptions) {
    super(config);
    this.#options = options;
  }

  override async destroy(): Promise<void> {
    await this.#options.beforeDestroy?.();
    await super.destroy();
  }

  override async init(): Promise<void> {
    await super.init();
    // The base driver keeps its one connection private: borrow it once, then queue here.
    this.#connection = await super.acquireConnection();
    await super.releaseConnection();
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection!;
  }

  override async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'));
  }
}

/** How long a migration waits for another process's migration (or long write) to finish. */
const MIGRATION_LOCK_WAIT_MS = 60_000;

/**
 * Kysely's SQLite adapter takes no migration lock (it assumes one process per file). Two Hallway
 * processes starting on a fresh file at once would then both create the same tables and one would
 * die with "table … already exists". Here the lock is a BEGIN IMMEDIATE transaction around the whole
 * run: the second process waits, then finds every migration done. SQLite's DDL is transactional,
 * and Kysely runs each migration on this connection, so they all commit together at the release.
 * A failed migration is rolled back alone by migrate.ts (a savepoint per migration), so what the
 * release commits is exactly the migrations that succeeded before it, each one whole.
 */
class SqliteMigrationAdapter extends SqliteAdapter {
  #held = false;

  override async acquireMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
    for (;;) {
      try {
        await db.executeQuery(CompiledQuery.raw('begin immediate'));
        this.#held = true;
        return;
      } catch (err) {
        // busy_timeout already waited a few seconds; a long migration elsewhere may need more.
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      }
    }
  }

  override async releaseMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    // Kysely releases in a `finally`, also when taking the lock failed.
    if (!this.#held) return;
    this.#held = false;
    await db.executeQuery(CompiledQuery.raw('commit'));
  }
}

export class HallwaySqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #options: HallwaySqliteOptions;

  constructor(config: SqliteDialectConfig, options: HallwaySqliteOptions = {}) {
    super(config);
    this.#config = config;
    this.#options = options;
  }

  override createDriver(): Driver {
    return new HallwaySqliteDriver(this.#config, this.#options);
  }

  override createAdapter(): DialectAdapter {
    return new SqliteMigrationAdapter();
  }
}
