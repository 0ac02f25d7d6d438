import type { Kysely } from 'kysely';

/*
 * Frozen history: who may start communities, and sign-in attempts counted in the database.
 * - users.may_create_communities: a site administrator allowed this person to start communities
 *   (with COMMUNITY_CREATORS=allowed, the default). Flags are integers.
 * - auth_attempts: one row per rate-limited attempt (per client IP and form, and per account for
 *   failed passwords), so every process sharing the database counts the same attempts. Rows older
 *   than the longest window are deleted as new ones are written (created_at index).
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .alterTable('users')
    .addColumn('may_create_communities', 'integer', (c: any) => c.notNull().defaultTo(0))
    .execute();

  const table = db.schema.createTable('auth_attempts');
  await (pg ? table.addColumn('id', 'serial', (c: any) => c.primaryKey()) : table.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()))
    // What is counted and for whom: "sign_in:ip:203.0.113.7", "sign_in:account:<sha-256 of the address>".
    .addColumn('bucket', 'text', (c: any) => c.notNull())
    // UTC with milliseconds (2027-04-15T07:15:00.123Z, Date#toISOString): sorts as text on both
    // databases, and windows and Retry-After are computed to the millisecond.
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_attempts_bucket_idx').on('auth_attempts').columns(['bucket', 'created_at']).execute();
  await db.schema.createIndex('auth_attempts_at_idx').on('auth_attempts').column('created_at').execute();
}
