import { sql, type Kysely } from 'kysely';

/*
 * Frozen history: what the public sees moves apart from the draft (issue 13).
 *
 * events.version moves with every change, the draft programme's included (the editor, the live
 * channel and the back office follow it). events.public_version is the version of the last change
 * the public could see: public caches, ETags and webhooks follow it, so moving a session in the
 * draft of a released programme no longer tells webhook endpoints "schedule.changed" or throws
 * away every visitor's cached schedule. public_updated_at is that change's instant (null: as
 * updated_at, for events not changed since this migration).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('events')
    .addColumn('public_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('events').addColumn('public_updated_at', 'text').execute();
  await sql`update events set public_version = version, public_updated_at = updated_at`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('public_updated_at').execute();
  await db.schema.alterTable('events').dropColumn('public_version').execute();
}
