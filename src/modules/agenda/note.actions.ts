import type { Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Actor } from '../accounts/actor.js';
import { isUniqueViolation } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { AgendaErrors } from './agenda.errors.js';
import { loadEventSession, loadPublishedEvent, requireActor } from './agenda.queries.js';
import { NoteSchema } from './agenda.schemas.js';
import type { SessionNoteRow } from './agenda.table.js';

/*
 * Private notes: one per person and session, Markdown, with a separate Q&A part. Every read and
 * write names the owner in its WHERE clause, so another person's note is never found (404).
 *
 * Concurrency for save-as-you-type: the editor sends the `revision` it started from; a save
 * over a newer revision (another tab, another device) answers NOTE_CONFLICT instead of losing
 * text. A revision counter rather than updated_at, because two saves within one second share a
 * stored updated_at (second precision). Without `revision` (a plain form) the last write wins.
 */

export interface Note {
  readonly id: number;
  readonly eventId: number;
  readonly sessionId: number;
  readonly body: string;
  readonly qa: string;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function toNote(r: SessionNoteRow): Note {
  return {
    id: r.id,
    eventId: r.event_id,
    sessionId: r.session_id,
    body: r.body,
    qa: r.qa,
    revision: r.revision,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Creates or replaces the actor's note on a session of a published event. Input
 * `{ body, qa, revision? }`; `revision` 0 means "I saw no note".
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404), SESSION_NOT_FOUND (404),
 *   VALIDATION_FAILED (422), NOTE_CONFLICT (409: the note moved past `revision`).
 */
export async function saveNote(db: Db, actor: Actor | null, eventId: number, sessionId: number, input: unknown, clock: Clock = systemClock): Promise<Note> {
  const me = requireActor(actor);
  const data = parseInput(NoteSchema, input);
  await loadPublishedEvent(db, eventId);
  await loadEventSession(db, eventId, sessionId);
  const expected = data.revision ?? null;
  const now = clock.instant();
  for (let attempt = 0; ; attempt++) {
    const current = await db.selectFrom('session_notes').selectAll().where('user_id', '=', me.userId).where('session_id', '=', sessionId).executeTakeFirst();
    if (!current) {
      if (expected !== null && expected !== 0) throw AgendaErrors.noteConflict(0);
      try {
        const row = await db
          .insertInto('session_notes')
          .values({ user_id: me.userId, event_id: eventId, session_id: sessionId, body: data.body, qa: data.qa, revision: 1, created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toNote(row);
      } catch (err) {
        // Two first saves at once: the loser reads the winner's note and goes round again.
        if (isUniqueViolation(err) && attempt === 0) continue;
        throw err;
      }
    }
    if (expected !== null && expected !== current.revision) throw AgendaErrors.noteConflict(current.revision);
    // Compare-and-set on the revision read, so a save that raced this one is not overwritten.
    const row = await db
      .updateTable('session_notes')
      .set({ body: data.body, qa: data.qa, revision: current.revision + 1, updated_at: now })
      .where('id', '=', current.id)
      .where('revision', '=', current.revision)
      .returningAll()
      .executeTakeFirst();
    if (row) return toNote(row);
    if (expected !== null || attempt > 3) {
      const latest = await db.selectFrom('session_notes').select('revision').where('id', '=', current.id).executeTakeFirst();
      throw AgendaErrors.noteConflict(latest?.revision ?? current.revision);
    }
  }
}

/** The actor's note on a session, or null. @throws UNAUTHENTICATED (401). */
export async function getMyNote(db: Db, actor: Actor | null, sessionId: number): Promise<Note | null> {
  const me = requireActor(actor);
  const row = await db.selectFrom('session_notes').selectAll().where('user_id', '=', me.userId).where('session_id', '=', sessionId).executeTakeFirst();
  return row ? toNote(row) : null;
}

/**
 * A note by id, only the actor's own.
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404: no such note, or someone else's).
 */
export async function getNote(db: Db, actor: Actor | null, noteId: number): Promise<Note> {
  const me = requireActor(actor);
  const row = await db.selectFrom('session_notes').selectAll().where('id', '=', noteId).where('user_id', '=', me.userId).executeTakeFirst();
  if (!row) throw AgendaErrors.notFound('note');
  return toNote(row);
}

export interface NoteWithSession extends Note {
  readonly sessionTitle: string;
  readonly sessionCode: string;
  readonly startsAt: string;
}

/** The actor's notes in an event, in programme order. @throws UNAUTHENTICATED (401). */
export async function listMyNotes(db: Db, actor: Actor | null, eventId: number): Promise<NoteWithSession[]> {
  const me = requireActor(actor);
  const rows = await db
    .selectFrom('session_notes')
    .innerJoin('sessions', 'sessions.id', 'session_notes.session_id')
    .selectAll('session_notes')
    .select(['sessions.title as session_title', 'sessions.code as session_code', 'sessions.starts_at as session_starts_at'])
    .where('session_notes.user_id', '=', me.userId)
    .where('session_notes.event_id', '=', eventId)
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .execute();
  return rows.map((r) => ({ ...toNote(r), sessionTitle: r.session_title, sessionCode: r.session_code, startsAt: r.session_starts_at }));
}

/**
 * Deletes the actor's note on a session.
 * @throws UNAUTHENTICATED (401), NOT_FOUND (404: no such note of the actor's).
 */
export async function deleteNote(db: Db, actor: Actor | null, sessionId: number): Promise<void> {
  const me = requireActor(actor);
  const r = await db.deleteFrom('session_notes').where('user_id', '=', me.userId).where('session_id', '=', sessionId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw AgendaErrors.notFound('note');
}
