import type { Db } from '../../db/database.js';
import { storedInstant } from '../../lib/clock.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { ensureAllowed } from '../events/event-write.queries.js';
import type { DomainError } from '../../lib/domain-error.js';
import { parseInput } from '../../lib/form-fields.js';
import { AgendaErrors } from './agenda.errors.js';
import { canGiveFeedback, canReadEventFeedback, canReadSessionFeedback } from './agenda.policy.js';
import { isAttendee, loadEventSession, loadPublishedEvent, requireActor, scopeOfEvent } from './agenda.queries.js';
import { FeedbackSchema } from './agenda.schemas.js';

/*
 * Session feedback: a 1–5 rating and a comment for the speakers, one per attendee and session
 * (a second submit replaces the first). Speakers and organizers see aggregates and the
 * comments, never who wrote them.
 */

export interface Feedback {
  readonly sessionId: number;
  readonly rating: number;
  readonly comment: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Gives (or changes) the actor's feedback on a session. Refused before the session starts
 * (`now` is injectable for tests), for a cancelled session, and from anyone who is not an
 * attendee (see isAttendee); a speaker may not rate their own session (FORBIDDEN).
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404), SESSION_NOT_FOUND (404),
 *   VALIDATION_FAILED (422: rating 1–5, comment ≤ 5,000), SESSION_CANCELLED (409),
 *   FEEDBACK_TOO_EARLY (409), FEEDBACK_NOT_ATTENDEE (403), FORBIDDEN (403: own session).
 */
export async function submitFeedback(db: Db, actor: Actor | null, eventId: number, sessionId: number, input: unknown, now: Date): Promise<Feedback> {
  const me = requireActor(actor);
  const data = parseInput(FeedbackSchema, input);
  const refused = await feedbackRefusal(db, me, eventId, sessionId, now);
  if (refused) throw refused;
  const ts = storedInstant(now);
  const row = await db
    .insertInto('session_feedback')
    .values({ user_id: me.userId, event_id: eventId, session_id: sessionId, rating: data.rating, comment: data.comment, created_at: ts, updated_at: ts })
    .onConflict((oc) => oc.columns(['user_id', 'session_id']).doUpdateSet({ rating: data.rating, comment: data.comment, updated_at: ts }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { sessionId, rating: row.rating, comment: row.comment, createdAt: row.created_at, updatedAt: row.updated_at };
}

/**
 * Why the person may not give feedback on the session now (the error submitFeedback would throw),
 * or null when they may: the feedback page asks this first, so nobody fills in a form that is
 * then refused. @throws EVENT_NOT_FOUND (404), SESSION_NOT_FOUND (404).
 */
export async function feedbackRefusal(db: Db, me: Actor, eventId: number, sessionId: number, now: Date): Promise<DomainError | null> {
  await loadPublishedEvent(db, eventId);
  const session = await loadEventSession(db, eventId, sessionId);
  if (session.status === 'cancelled') return AgendaErrors.sessionCancelled(session.title);
  if (now.getTime() < Date.parse(session.startsAt)) return AgendaErrors.feedbackTooEarly(session.title);
  if (session.speakerUserIds.includes(me.userId)) return EventErrors.forbidden('rate your own session');
  if (!canGiveFeedback(me, session, await isAttendee(db, me.userId, session))) return AgendaErrors.feedbackNotAttendee();
  return null;
}

/** The actor's own feedback on a session (to prefill the form), or null. @throws UNAUTHENTICATED (401). */
export async function getMyFeedback(db: Db, actor: Actor | null, sessionId: number): Promise<Feedback | null> {
  const me = requireActor(actor);
  const row = await db.selectFrom('session_feedback').selectAll().where('user_id', '=', me.userId).where('session_id', '=', sessionId).executeTakeFirst();
  return row ? { sessionId, rating: row.rating, comment: row.comment, createdAt: row.created_at, updatedAt: row.updated_at } : null;
}

export interface FeedbackSummary {
  readonly sessionId: number;
  readonly count: number;
  /** Mean rating rounded to two decimals; null without feedback. */
  readonly average: number | null;
  /** How many gave 1, 2, 3, 4 and 5 (index 0 is rating 1). */
  readonly distribution: readonly [number, number, number, number, number];
  /** Non-blank comments, newest first, without names. */
  readonly comments: readonly { rating: number; comment: string; updatedAt: string }[];
}

/**
 * The aggregate feedback of a session, for its speakers (profiles linked to their account)
 * and its organizers.
 * @throws EVENT_NOT_FOUND (404), SESSION_NOT_FOUND (404), FORBIDDEN (403).
 */
export async function getSessionFeedbackSummary(db: Db, actor: Actor | null, eventId: number, sessionId: number): Promise<FeedbackSummary> {
  const event = await loadPublishedEvent(db, eventId);
  const session = await loadEventSession(db, eventId, sessionId);
  ensureAllowed(canReadSessionFeedback(actor, scopeOfEvent(event), session), "see this session's feedback");
  const rows = await db
    .selectFrom('session_feedback')
    .select(['rating', 'comment', 'updated_at'])
    .where('session_id', '=', sessionId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return summarize(sessionId, rows);
}

/**
 * Count and average per session of the event (sessions without feedback are absent), for the
 * organizers' overview.
 * @throws EVENT_NOT_FOUND (404), FORBIDDEN (403).
 */
export async function listEventFeedbackSummaries(
  db: Db,
  actor: Actor | null,
  eventId: number,
): Promise<Array<Omit<FeedbackSummary, 'comments'> & { commentCount: number }>> {
  const event = await loadPublishedEvent(db, eventId);
  ensureAllowed(canReadEventFeedback(actor, scopeOfEvent(event)), "see this event's feedback");
  const rows = await db
    .selectFrom('session_feedback')
    .innerJoin('sessions', 'sessions.id', 'session_feedback.session_id')
    .select(['session_feedback.session_id', 'session_feedback.rating', 'session_feedback.comment', 'session_feedback.updated_at'])
    .where('session_feedback.event_id', '=', eventId)
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .execute();
  const bySession = new Map<number, typeof rows>();
  for (const r of rows) {
    const list = bySession.get(r.session_id);
    if (list) list.push(r);
    else bySession.set(r.session_id, [r]);
  }
  return [...bySession].map(([id, list]) => {
    const { comments, ...rest } = summarize(id, list);
    return { ...rest, commentCount: comments.length };
  });
}

function summarize(sessionId: number, rows: readonly { rating: number; comment: string; updated_at: string }[]): FeedbackSummary {
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let sum = 0;
  for (const r of rows) {
    distribution[r.rating - 1]! += 1;
    sum += r.rating;
  }
  return {
    sessionId,
    count: rows.length,
    average: rows.length ? Math.round((sum / rows.length) * 100) / 100 : null,
    distribution,
    comments: rows.filter((r) => r.comment.trim() !== '').map((r) => ({ rating: r.rating, comment: r.comment, updatedAt: r.updated_at })),
  };
}
