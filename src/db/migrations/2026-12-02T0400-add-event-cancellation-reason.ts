import type { Kysely } from 'kysely';

/*
 * Frozen history: why an event was called off. Set together with events.cancelled_at by the one
 * cancellation action and shown publicly on the event page, so attendees learn the reason.
 * Events cancelled before this migration keep a null reason.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('cancellation_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('cancellation_reason').execute();
}
