import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import { createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/**
 * The databases the storage tests run on: a real SQLite file always, and a real PostgreSQL when
 * TEST_DATABASE_URL is set. Each test file gets its own fresh database (a temp file, or a new
 * PostgreSQL database created from TEST_DATABASE_URL and dropped afterwards).
 * In CI (CI=true) a missing TEST_DATABASE_URL is an error, never a silent skip.
 *
 * `create({ migrated: true })` gives a database already migrated to the latest schema, copied
 * from a template migrated once (a SQLite file in the temp folder; a PostgreSQL template database,
 * `CREATE DATABASE … TEMPLATE`): running the migrations costs ~0.1 s per SQLite file and ~2-3 s
 * per PostgreSQL database, and the tests make hundreds. Templates are named after a hash of the
 * migration files, so a changed or added migration makes a new one.
 */
export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** Creates a fresh database (empty, or `migrated`) and returns its config and a function that removes it (PostgreSQL under test/run.mjs: when the run ends). */
  create(options?: { migrated?: boolean }): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }>;
}

export const postgresSkipReason: string | undefined = process.env.TEST_DATABASE_URL
  ? undefined
  : 'PostgreSQL tests skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)';

if (postgresSkipReason && process.env.CI) {
  throw new Error(`CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI`);
}

/** A short hash of the migration files (names and contents): the templates' version. */
function migrationsHash(): string {
  const dir = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(dir, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 12);
}

/** Opens `config`, migrates it to the latest schema and closes it. */
async function migrate(config: DatabaseConfig): Promise<void> {
  const db = createDb(config);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

let sqliteTemplate: string | undefined;

/** The migrated SQLite template file, shared by the test processes (built once, renamed into place whole). */
async function sqliteTemplateFile(): Promise<string> {
  if (sqliteTemplate) return sqliteTemplate;
  const file = join(tmpdir(), `hallway-test-template-${migrationsHash()}.sqlite`);
  if (!existsSync(file)) {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-template-'));
    try {
      const built = join(dir, 'template.sqlite');
      await migrate({ kind: 'sqlite', filename: built });
      // Everything into the main file, so copying that one file copies the whole database.
      const check = new SQLite(built);
      check.pragma('wal_checkpoint(TRUNCATE)');
      check.close();
      renameSync(built, file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return (sqliteTemplate = file);
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-test-'));
    const filename = join(dir, 'test.sqlite');
    if (options.migrated) copyFileSync(await sqliteTemplateFile(), filename);
    return {
      config: { kind: 'sqlite', filename },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** Runs `fn` with a client connected to TEST_DATABASE_URL (the database that creates and drops the others). */
async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL! });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

let postgresTemplate: Promise<string> | undefined;

/**
 * The migrated PostgreSQL template database. Test processes running side by side take an
 * advisory lock, so one builds it (under another name, renamed when complete) while the others wait.
 */
function postgresTemplateName(): Promise<string> {
  return (postgresTemplate ??= withAdmin(async (admin) => {
    const name = `hallway_tpl_${migrationsHash()}`;
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `hallway_tb_${randomBytes(6).toString('hex')}`;
        await admin.query(`CREATE DATABASE ${building}`);
        try {
          await migrate({ kind: 'postgres', url: urlOf(building) });
          await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
        } catch (err) {
          await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
          throw err;
        }
        // Nobody connects to it, so copies never find it busy.
        await admin.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
    return name;
  }));
}

/**
 * Set by test/run.mjs: the run's databases are named after it and the runner drops them all when
 * the test files are done, side by side. Each DROP DATABASE makes PostgreSQL take a checkpoint
 * at once (every dirty page of every database written and fsynced) and waits for it; dropped one
 * by one as each test file finished, they cost a few hundred checkpoints per run, each one
 * holding up the file that dropped and slowing down the ones writing meanwhile.
 */
const run = process.env.HALLWAY_TEST_RUN;

const postgres: TestDatabase = {
  name: 'postgres',
  async create(options = {}) {
    const name = `hallway_t_${run ? `${run}_` : ''}${randomBytes(6).toString('hex')}`;
    const template = options.migrated ? ` TEMPLATE ${await postgresTemplateName()}` : '';
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}${template}`));
    return {
      config: { kind: 'postgres', url: urlOf(name) },
      drop: run ? async () => {} : () => withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
    };
  },
};

/** SQLite, plus PostgreSQL when configured. Use with `for (const database of testDatabases)`. */
export const testDatabases: readonly TestDatabase[] = postgresSkipReason ? [sqlite] : [sqlite, postgres];
export { sqlite as sqliteDatabase, postgres as postgresDatabase };
