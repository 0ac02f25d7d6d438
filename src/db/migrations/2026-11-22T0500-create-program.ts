import type { Kysely } from 'kysely';

/*
 * Frozen history: this file must keep working as the application changes, so it imports nothing
 * from src/modules and spells out every column. Instants are stored as text in one fixed UTC form
 * (YYYY-MM-DDTHH:MM:SSZ) so both SQLite and PostgreSQL compare and sort them the same way and the
 * application sees the same values from both; each event also stores its IANA time zone.
 * Flags are integers (0/1) for the same reason.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await id(db.schema.createTable('communities'))
    .addColumn('slug', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('url', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('events'))
    .addColumn('community_id', 'integer', (c: any) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c: any) => c.notNull().unique())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('acronym', 'text', (c: any) => c.notNull())
    .addColumn('time_zone', 'text', (c: any) => c.notNull())
    .addColumn('start_date', 'text', (c: any) => c.notNull())
    .addColumn('end_date', 'text', (c: any) => c.notNull())
    .addColumn('day_change', 'text', (c: any) => c.notNull().defaultTo('04:00'))
    .addColumn('venue_name', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('venue_address', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('venue_url', 'text')
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('code_of_conduct_url', 'text')
    .addColumn('url', 'text')
    .addColumn('capacity', 'integer')
    .addColumn('published', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('events_community_idx').on('events').column('community_id').execute();

  await id(db.schema.createTable('event_hosts'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('event_hosts_event_idx').on('event_hosts').column('event_id').execute();

  await id(db.schema.createTable('rooms'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('capacity', 'integer')
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .addUniqueConstraint('rooms_event_name_uq', ['event_id', 'name'])
    .execute();

  await id(db.schema.createTable('tracks'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('slug', 'text', (c: any) => c.notNull())
    .addColumn('color', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .addUniqueConstraint('tracks_event_name_uq', ['event_id', 'name'])
    .execute();

  await id(db.schema.createTable('speakers'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('code', 'text', (c: any) => c.notNull())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('job_title', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('company', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('bio', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('avatar_url', 'text')
    .addColumn('handles', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .addUniqueConstraint('speakers_event_code_uq', ['event_id', 'code'])
    .execute();

  await id(db.schema.createTable('sponsors'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('level', 'text', (c: any) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('logo_url', 'text')
    .addColumn('contribution', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .addUniqueConstraint('sponsors_event_name_uq', ['event_id', 'name'])
    .execute();

  await id(db.schema.createTable('sessions'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('code', 'text', (c: any) => c.notNull())
    .addColumn('guid', 'text', (c: any) => c.notNull().unique())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('confirmed'))
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('subtitle', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('abstract', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c: any) => c.notNull().defaultTo('en'))
    .addColumn('level', 'text')
    .addColumn('track_id', 'integer', (c: any) => c.references('tracks.id').onDelete('set null'))
    .addColumn('room_id', 'integer', (c: any) => c.references('rooms.id').onDelete('set null'))
    .addColumn('sponsor_id', 'integer', (c: any) => c.references('sponsors.id').onDelete('set null'))
    .addColumn('starts_at', 'text', (c: any) => c.notNull())
    .addColumn('ends_at', 'text', (c: any) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c: any) => c.notNull())
    .addColumn('sequence', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('sessions_event_code_uq', ['event_id', 'code'])
    .execute();
  await db.schema.createIndex('sessions_event_start_idx').on('sessions').columns(['event_id', 'starts_at']).execute();
  await db.schema.createIndex('sessions_room_idx').on('sessions').column('room_id').execute();

  await db.schema
    .createTable('session_speakers')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('speaker_id', 'integer', (c) => c.notNull().references('speakers.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_speakers_pk', ['session_id', 'speaker_id'])
    .execute();
  await db.schema.createIndex('session_speakers_speaker_idx').on('session_speakers').column('speaker_id').execute();

  await id(db.schema.createTable('session_links'))
    .addColumn('session_id', 'integer', (c: any) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('url', 'text', (c: any) => c.notNull())
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('session_links_session_idx').on('session_links').column('session_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['session_links', 'session_speakers', 'sessions', 'sponsors', 'speakers', 'tracks', 'rooms', 'event_hosts', 'events', 'communities']) {
    await db.schema.dropTable(t).execute();
  }
}
