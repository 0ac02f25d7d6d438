import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Db } from './database.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Loads src/db/migrations/*.ts in name order; names are timestamps, so order is history. */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
    const out: Record<string, Migration> = {};
    for (const file of files) {
      out[file.replace(/\.(ts|js)$/, '')] = whole((await import(pathToFileURL(join(MIGRATIONS_DIR, file)).href)) as Migration);
    }
    return out;
  }
}

/**
 * The migration applied whole or not at all. Migrations run inside one transaction on both
 * databases (PostgreSQL: Kysely's; SQLite: the migration lock in sqlite-driver.ts); a savepoint
 * around each one undoes a failed migration's half-done changes before the error goes up, so
 * SQLite never commits half a migration.
 */
function whole(migration: Migration): Migration {
  return {
    ...migration,
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was, not today's schema
    async up(db: Kysely<any>) {
      await sql`savepoint migration`.execute(db);
      try {
        await migration.up(db);
      } catch (err) {
        await sql`rollback to savepoint migration`.execute(db);
        throw err;
      } finally {
        await sql`release savepoint migration`.execute(db);
      }
    },
  };
}

/** Brings the schema up to date. Throws with the failing migration's name and cause. */
export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider() });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return results;
}

/** The names of every migration this version of Hallway has, in order (a backup made by a newer one has more). */
export async function knownMigrations(): Promise<string[]> {
  return Object.keys(await new FolderMigrationProvider().getMigrations());
}
