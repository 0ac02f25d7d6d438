import type { Kysely } from 'kysely';

/*
 * Frozen history: what the schedule editor needs besides the sessions (issue 13).
 *
 * schedule_blockers: internal blockers, "this room is unavailable" (set-up, cleaning, a
 * sponsor's private meeting). Organizers see them in the schedule editor only: they are never
 * part of the programme, a release, an export or a public page. room_id null: every room.
 *
 * availability: time windows in which something or someone is available. Whose windows a row is:
 *   room_id set                      the room's opening hours;
 *   speaker_id set                   a speaker profile without an account (organizers enter them);
 *   user_id set                      a person (speakers state them on their proposal; their
 *                                    speaker profiles in the event follow them);
 *   all three null                   the event's own hours (the venue is open).
 * Having no window means "no restriction". Instants are stored UTC text like every other.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await id(db.schema.createTable('schedule_blockers'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('room_id', 'integer', (c: any) => c.references('rooms.id').onDelete('cascade'))
    .addColumn('title', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'text', (c: any) => c.notNull())
    .addColumn('ends_at', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('schedule_blockers_event_idx').on('schedule_blockers').columns(['event_id', 'starts_at']).execute();

  await id(db.schema.createTable('availability'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('room_id', 'integer', (c: any) => c.references('rooms.id').onDelete('cascade'))
    .addColumn('speaker_id', 'integer', (c: any) => c.references('speakers.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c: any) => c.references('users.id').onDelete('cascade'))
    .addColumn('starts_at', 'text', (c: any) => c.notNull())
    .addColumn('ends_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('availability_event_idx').on('availability').columns(['event_id', 'starts_at']).execute();
  await db.schema.createIndex('availability_user_idx').on('availability').columns(['user_id', 'event_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('availability').execute();
  await db.schema.dropTable('schedule_blockers').execute();
}
