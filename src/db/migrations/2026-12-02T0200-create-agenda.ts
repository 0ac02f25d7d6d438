import type { Kysely } from 'kysely';

/*
 * Frozen history: the attendee's side of an event (issue 6). Starred sessions, a private calendar
 * feed per person and event (its secret stored only as a SHA-256 hash), private notes per
 * session, recaps (drafts until published, with one section per session) and session feedback.
 * Instants are text in the one UTC form (YYYY-MM-DDTHH:MM:SSZ), flags are integers.
 *
 * Every private row carries its owner's user_id and the event_id, so "mine in this event" is one
 * indexed read; deleting an account deletes them (published recaps included).
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  // Organizers always see how many people starred each session; with this flag everyone does.
  await db.schema
    .alterTable('events')
    .addColumn('show_interest_counts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('agenda_stars')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agenda_stars_pk', ['user_id', 'session_id'])
    .execute();
  await db.schema.createIndex('agenda_stars_user_event_idx').on('agenda_stars').columns(['user_id', 'event_id']).execute();
  await db.schema.createIndex('agenda_stars_event_session_idx').on('agenda_stars').columns(['event_id', 'session_id']).execute();

  // At most one live feed per person and event; regenerating replaces the row, revoking deletes it.
  await id(db.schema.createTable('agenda_feed_tokens'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addUniqueConstraint('agenda_feed_tokens_user_event_uq', ['user_id', 'event_id'])
    .execute();

  await id(db.schema.createTable('session_notes'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c: any) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('body', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('qa', 'text', (c: any) => c.notNull().defaultTo(''))
    // Optimistic concurrency for save-as-you-type: every save increases it.
    .addColumn('revision', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('session_notes_user_session_uq', ['user_id', 'session_id'])
    .execute();
  await db.schema.createIndex('session_notes_user_event_idx').on('session_notes').columns(['user_id', 'event_id']).execute();

  await id(db.schema.createTable('recaps'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('introduction', 'text', (c: any) => c.notNull().defaultTo(''))
    // draft | published
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('draft'))
    // The permalink, chosen at first publication and kept (also while unpublished).
    .addColumn('slug', 'text')
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('recaps_event_slug_uq', ['event_id', 'slug'])
    .execute();
  await db.schema.createIndex('recaps_event_status_idx').on('recaps').columns(['event_id', 'status', 'published_at']).execute();
  await db.schema.createIndex('recaps_user_event_idx').on('recaps').columns(['user_id', 'event_id']).execute();

  await id(db.schema.createTable('recap_sections'))
    .addColumn('recap_id', 'integer', (c: any) => c.notNull().references('recaps.id').onDelete('cascade'))
    // null once the session was deleted from the programme; the section keeps its text and title.
    .addColumn('session_id', 'integer', (c: any) => c.references('sessions.id').onDelete('set null'))
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('notes', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('qa', 'text', (c: any) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('recap_sections_recap_idx').on('recap_sections').columns(['recap_id', 'position']).execute();
  await db.schema.createIndex('recap_sections_session_idx').on('recap_sections').column('session_id').execute();

  await id(db.schema.createTable('session_feedback'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c: any) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('rating', 'integer', (c: any) => c.notNull())
    .addColumn('comment', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('session_feedback_user_session_uq', ['user_id', 'session_id'])
    .execute();
  await db.schema.createIndex('session_feedback_session_idx').on('session_feedback').column('session_id').execute();
  await db.schema.createIndex('session_feedback_event_idx').on('session_feedback').column('event_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['session_feedback', 'recap_sections', 'recaps', 'session_notes', 'agenda_feed_tokens', 'agenda_stars']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('events').dropColumn('show_interest_counts').execute();
}
