import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';

/**
 * The databases the storage tests run on: a real SQLite file always, and a real PostgreSQL when
 * TEST_DATABASE_URL is set. Each test file gets its own fresh database (a temp file, or a new
 * PostgreSQL database created from TEST_DATABASE_URL and dropped afterwards).
 * In CI (CI=true) a missing TEST_DATABASE_URL is an error, never a silent skip.
 */
export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** Creates a fresh, empty database and returns its config and a function that removes it. */
  create(): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }>;
}

export const postgresSkipReason: string | undefined = process.env.TEST_DATABASE_URL
  ? undefined
  : 'PostgreSQL tests skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)';

if (postgresSkipReason && process.env.CI) {
  throw new Error(`CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI`);
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'hallway-test-'));
    return {
      config: { kind: 'sqlite', filename: join(dir, 'test.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: TestDatabase = {
  name: 'postgres',
  async create() {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `hallway_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      config: { kind: 'postgres', url: url.toString() },
      drop: async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  },
};

/** SQLite, plus PostgreSQL when configured. Use with `for (const database of testDatabases)`. */
export const testDatabases: readonly TestDatabase[] = postgresSkipReason ? [sqlite] : [sqlite, postgres];
export { sqlite as sqliteDatabase, postgres as postgresDatabase };
