import type { Kysely } from 'kysely';

/*
 * Frozen history: the interest poll (issue 14). Attendees tick the talks they want to see before
 * (or after) the programme exists; the optimizer reads every voter's picks.
 *
 * interest_polls: one per event once an organizer set it up (no row: no poll). status open |
 *   closed; scope accepted | review (also proposals still in review); intro text; closes_at, an
 *   optional UTC instant after which the poll takes no more picks.
 * interest_voters: one per signed-in person and event (user_id, deleted with the account), or one
 *   per anonymous visitor (token_hash: SHA-256 of the secret in their private link; the secret
 *   itself is never stored).
 * interest_picks: a voter's wanted talks. A talk that is a session is stored by session_id, and
 *   by proposal_id too when the session came from a proposal; a talk that is still a proposal is
 *   stored by proposal_id, so when it becomes a session later (proposals.session_id) the pick
 *   follows it. A deleted session leaves the proposal's picks (session_id set null).
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await db.schema
    .createTable('interest_polls')
    .addColumn('event_id', 'integer', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('accepted'))
    .addColumn('intro', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('closes_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('interest_voters'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c: any) => c.references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('interest_voters_event_user_uq', ['event_id', 'user_id'])
    .addUniqueConstraint('interest_voters_token_uq', ['token_hash'])
    .execute();
  await db.schema.createIndex('interest_voters_user_idx').on('interest_voters').column('user_id').execute();

  await db.schema
    .createTable('interest_picks')
    .addColumn('voter_id', 'integer', (c) => c.notNull().references('interest_voters.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c) => c.references('sessions.id').onDelete('set null'))
    .addColumn('proposal_id', 'integer', (c) => c.references('proposals.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('interest_picks_voter_session_uq', ['voter_id', 'session_id'])
    .addUniqueConstraint('interest_picks_voter_proposal_uq', ['voter_id', 'proposal_id'])
    .execute();
  await db.schema.createIndex('interest_picks_session_idx').on('interest_picks').column('session_id').execute();
  await db.schema.createIndex('interest_picks_proposal_idx').on('interest_picks').column('proposal_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('interest_picks').execute();
  await db.schema.dropTable('interest_voters').execute();
  await db.schema.dropTable('interest_polls').execute();
}
