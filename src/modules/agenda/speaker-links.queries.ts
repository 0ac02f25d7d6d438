import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { canEditSessionLinks } from './agenda.policy.js';
import { loadDraftSession, loadPublishedEvent, requireActor, scopeOfEvent, type AgendaSession } from './agenda.queries.js';

/*
 * Reads behind the speakers' "slides and video" page: which sessions a person speaks at, and
 * whether they may edit one session's links (the same predicate as addSessionLink).
 */

/** A session the person speaks at, for their account page. */
export interface MySpeakerSession {
  readonly eventSlug: string;
  readonly eventTitle: string;
  readonly sessionCode: string;
  readonly sessionTitle: string;
  readonly startsAt: string;
  readonly status: string;
  readonly linkCount: number;
}

/**
 * The sessions of published events whose speaker profiles are linked to the actor's account,
 * newest event first, then by start time. Two queries (sessions, then their link counts).
 * @throws UNAUTHENTICATED (401).
 */
export async function listMySpeakerSessions(db: Db, actor: Actor | null): Promise<MySpeakerSession[]> {
  const me = requireActor(actor);
  const rows = await db
    .selectFrom('speakers')
    .innerJoin('session_speakers', 'session_speakers.speaker_id', 'speakers.id')
    .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
    .innerJoin('events', 'events.id', 'sessions.event_id')
    .select([
      'sessions.id',
      'sessions.code',
      'sessions.title',
      'sessions.starts_at',
      'sessions.status',
      'events.slug',
      'events.title as event_title',
      'events.start_date',
    ])
    .where('speakers.user_id', '=', me.userId)
    .where('events.published', '=', 1)
    .orderBy('events.start_date', 'desc')
    .orderBy('events.id', 'desc')
    .orderBy('sessions.starts_at')
    .orderBy('sessions.id')
    .execute();
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.id))];
  const counts = await db
    .selectFrom('session_links')
    .select((eb) => ['session_id', eb.fn.countAll<number>().as('n')])
    .where('session_id', 'in', ids)
    .groupBy('session_id')
    .execute();
  const countOf = new Map(counts.map((c) => [c.session_id, Number(c.n)]));
  const seen = new Set<number>();
  return rows
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({
      eventSlug: r.slug,
      eventTitle: r.event_title,
      sessionCode: r.code,
      sessionTitle: r.title,
      startsAt: r.starts_at,
      status: r.status,
      linkCount: countOf.get(r.id) ?? 0,
    }));
}

/**
 * A session of a published event whose links the actor may edit (its speakers, organizers, the
 * track's managers).
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404), SESSION_NOT_FOUND (404), FORBIDDEN (403).
 */
export async function getSessionForLinkEditing(db: Db, actor: Actor | null, eventId: number, sessionId: number): Promise<AgendaSession> {
  requireActor(actor);
  const event = await loadPublishedEvent(db, eventId);
  const session = await loadDraftSession(db, eventId, sessionId);
  if (!canEditSessionLinks(actor, scopeOfEvent(event), session)) throw EventErrors.forbidden("change the links of someone else's session");
  return session;
}
