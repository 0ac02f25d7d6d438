import type { Kysely } from 'kysely';

/*
 * Frozen history: meetup groups and event series (issue 5). A community is the group; people
 * join and leave it (community_members). An event series is a template plus a recurrence rule
 * in a community; each generated occurrence is an ordinary event, recorded in
 * series_occurrences so that re-running the generation never makes the same date twice, even
 * after the occurrence's event was cancelled or deleted (its event_id then becomes null).
 * Instants are text in the one UTC form (YYYY-MM-DDTHH:MM:SSZ), local dates YYYY-MM-DD, local
 * times HH:MM, flags integers, JSON lists text.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await db.schema
    .createTable('community_members')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('community_members_pk', ['community_id', 'user_id'])
    .execute();
  await db.schema.createIndex('community_members_user_idx').on('community_members').column('user_id').execute();

  await id(db.schema.createTable('event_series'))
    .addColumn('community_id', 'integer', (c: any) => c.notNull().references('communities.id').onDelete('cascade'))
    // Occurrence slugs are this slug plus the local date (cloud-native-lisbon-2027-03-09).
    .addColumn('slug', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    // Template of each occurrence. `title_pattern` may hold {n}, {date} and {month}.
    .addColumn('title_pattern', 'text', (c: any) => c.notNull())
    .addColumn('kind', 'text', (c: any) => c.notNull().defaultTo('meetup'))
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('venue_name', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('venue_address', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('venue_url', 'text')
    .addColumn('capacity', 'integer')
    .addColumn('time_zone', 'text', (c: any) => c.notNull())
    // Local wall-clock times HH:MM in time_zone; an end before the start ends the next day.
    .addColumn('start_time', 'text', (c: any) => c.notNull())
    .addColumn('end_time', 'text', (c: any) => c.notNull())
    // JSON array of { kind, title, offsetMinutes, durationMinutes } (offset from start_time).
    .addColumn('agenda', 'text', (c: any) => c.notNull().defaultTo('[]'))
    // Recurrence: 'monthly' (ordinal weekday of each month, ordinal -1 = last) or 'weekly'
    // (every interval_weeks weeks on weekday); weekday is ISO (1 = Monday … 7 = Sunday).
    .addColumn('frequency', 'text', (c: any) => c.notNull())
    .addColumn('weekday', 'integer', (c: any) => c.notNull())
    .addColumn('ordinal', 'integer')
    .addColumn('interval_weeks', 'integer')
    .addColumn('starts_on', 'text', (c: any) => c.notNull())
    // Until a date or for a number of occurrences (at least one of the two).
    .addColumn('ends_on', 'text')
    .addColumn('occurrence_count', 'integer')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('event_series_community_idx').on('event_series').column('community_id').execute();

  await id(db.schema.createTable('series_occurrences'))
    .addColumn('series_id', 'integer', (c: any) => c.notNull().references('event_series.id').onDelete('cascade'))
    .addColumn('occurrence_date', 'text', (c: any) => c.notNull())
    // null once the event was deleted: the date stays taken, so it is not generated again.
    .addColumn('event_id', 'integer', (c: any) => c.references('events.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('series_occurrences_series_date_uq', ['series_id', 'occurrence_date'])
    .execute();
  await db.schema.createIndex('series_occurrences_event_idx').on('series_occurrences').column('event_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['series_occurrences', 'event_series', 'community_members']) await db.schema.dropTable(t).execute();
}
