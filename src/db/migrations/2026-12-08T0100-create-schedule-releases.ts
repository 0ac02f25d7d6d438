import { sql, type Kysely } from 'kysely';

/*
 * Frozen history: the draft programme and its released versions (issue 13).
 *
 * Edits to sessions change the draft. An organizer releases the draft as a named, immutable
 * version: schedule_releases (one row per release, numbered 1, 2, … per event) and
 * release_sessions (where each session was, who spoke and whether it was cancelled, as
 * released). Public pages, API, exports, webhooks and iCal show the sessions of the event's
 * latest release at their released place; titles and abstracts stay live, as in pretalx.
 * release_changes is the changelog of each release against the one before, written once.
 *
 * sessions.placed: 0 for a session taken off the grid (it keeps its last room and time so
 * putting it back is one move, but the editor lists it as unplaced and releases leave it out).
 *
 * Events published before this migration become "released version 1" of what is public now,
 * so nothing visible changes.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await db.schema
    .alterTable('sessions')
    .addColumn('placed', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await id(db.schema.createTable('schedule_releases'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    // 1, 2, … per event, in release order.
    .addColumn('number', 'integer', (c: any) => c.notNull())
    // What organizers called it ("1.0", "Friday fix"); unique in the event. Shown as frab <version>.
    .addColumn('name', 'text', (c: any) => c.notNull())
    // Public comment shown in the changelog.
    .addColumn('comment', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('released_at', 'text', (c: any) => c.notNull())
    .addColumn('released_by', 'integer', (c: any) => c.references('users.id').onDelete('set null'))
    // Who released it as shown in the back office (a user's name or an operator label).
    .addColumn('released_by_label', 'text', (c: any) => c.notNull().defaultTo(''))
    // Speaker mails: sent (queued in the outbox) | held (organizer chose not to) | none (nobody to tell).
    .addColumn('notifications', 'text', (c: any) => c.notNull().defaultTo('none'))
    .addColumn('change_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('schedule_releases_number_uq').on('schedule_releases').columns(['event_id', 'number']).unique().execute();
  await db.schema.createIndex('schedule_releases_name_uq').on('schedule_releases').columns(['event_id', 'name']).unique().execute();

  await db.schema
    .createTable('release_sessions')
    .addColumn('release_id', 'integer', (c) => c.notNull().references('schedule_releases.id').onDelete('cascade'))
    // No foreign key: a release outlives a session deleted later (the changelog still names it).
    .addColumn('session_id', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('room_id', 'integer')
    .addColumn('room_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    // JSON array of speaker ids in speaking order.
    .addColumn('speaker_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('release_sessions_pk', ['release_id', 'session_id'])
    .execute();

  await id(db.schema.createTable('release_changes'))
    .addColumn('release_id', 'integer', (c: any) => c.notNull().references('schedule_releases.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c: any) => c.notNull())
    .addColumn('code', 'text', (c: any) => c.notNull())
    .addColumn('title', 'text', (c: any) => c.notNull())
    // new | moved | room | cancelled | restored | removed | speakers
    .addColumn('kind', 'text', (c: any) => c.notNull())
    // JSON: { from?: {roomName, startsAt, endsAt}, to?: {…}, speakersBefore?: [], speakersAfter?: [] }
    .addColumn('details', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('release_changes_release_idx').on('release_changes').columns(['release_id', 'id']).execute();

  // Published events: what is public now becomes release 1.
  const published = await db.selectFrom('events').select(['id', 'updated_at']).where('published', '=', 1).execute();
  for (const e of published) {
    const release = await db
      .insertInto('schedule_releases')
      .values({ event_id: e.id, number: 1, name: '1', comment: '', released_at: e.updated_at, released_by_label: 'Hallway upgrade', notifications: 'none' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into release_sessions (release_id, session_id, code, title, status, room_id, room_name, starts_at, ends_at, speaker_ids)
      select ${release.id}, s.id, s.code, s.title, s.status, s.room_id, coalesce(r.name, ''), s.starts_at, s.ends_at, '[]'
      from sessions s left join rooms r on r.id = s.room_id where s.event_id = ${e.id}`.execute(db);
    const links = await db
      .selectFrom('session_speakers')
      .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
      .select(['session_speakers.session_id', 'session_speakers.speaker_id'])
      .where('sessions.event_id', '=', e.id)
      .orderBy('session_speakers.session_id')
      .orderBy('session_speakers.position')
      .execute();
    const bySession = new Map<number, number[]>();
    for (const l of links) bySession.set(l.session_id, [...(bySession.get(l.session_id) ?? []), l.speaker_id]);
    for (const [sessionId, ids] of bySession) {
      await db
        .updateTable('release_sessions')
        .set({ speaker_ids: JSON.stringify(ids) })
        .where('release_id', '=', release.id)
        .where('session_id', '=', sessionId)
        .execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('release_changes').execute();
  await db.schema.dropTable('release_sessions').execute();
  await db.schema.dropTable('schedule_releases').execute();
  await db.schema.alterTable('sessions').dropColumn('placed').execute();
}
