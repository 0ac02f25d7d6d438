import type { Db } from '../../db/database.js';
import type { Actor, EventScope } from '../accounts/actor.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import { loadProgramSnapshot } from '../schedule/snapshot.queries.js';
import type { ProgramSnapshot } from '../schedule/snapshot.js';
import { buildAgenda, changeSinceSeen, type AgendaDay, type SlotChange } from './agenda.js';
import { AgendaErrors } from './agenda.errors.js';
import { canSeeInterestCounts } from './agenda.policy.js';

/*
 * Reads of the agenda module, and the lookups its actions share. Everything private is read
 * with `user_id = actor` in the query itself, never loaded first and checked afterwards.
 */

/**
 * Where the programme comes from: by default read afresh; an adapter passes its SnapshotCache
 * (`(id) => cache.snapshot(head)`) so agenda pages share the public pages' snapshot.
 */
export type SnapshotSource = (eventId: number) => Promise<ProgramSnapshot | undefined>;

export function freshSnapshots(db: Db): SnapshotSource {
  return (eventId) => loadProgramSnapshot(db, eventId);
}

/** The signed-in actor, or UNAUTHENTICATED (401). */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw AgendaErrors.unauthenticated();
  return actor;
}

export interface AgendaEvent {
  readonly id: number;
  readonly communityId: number;
  readonly title: string;
  readonly timeZone: string;
  readonly showInterestCounts: boolean;
}

/** A published event, or EVENT_NOT_FOUND (404): drafts have no attendees. */
export async function loadPublishedEvent(db: DbOrTrx, eventId: number): Promise<AgendaEvent> {
  const e = await db
    .selectFrom('events')
    .select(['id', 'community_id', 'title', 'time_zone', 'published', 'show_interest_counts'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (e?.published !== 1) throw AgendaErrors.eventNotFound(eventId);
  return { id: e.id, communityId: e.community_id, title: e.title, timeZone: e.time_zone, showInterestCounts: e.show_interest_counts === 1 };
}

export function scopeOfEvent(e: AgendaEvent): EventScope {
  return { eventId: e.id, communityId: e.communityId };
}

export interface AgendaSession {
  readonly id: number;
  readonly eventId: number;
  readonly title: string;
  readonly status: string;
  readonly trackId: number | null;
  readonly roomId: number | null;
  readonly startsAt: string;
  readonly endsAt: string;
  /** Accounts linked to the session's speaker profiles. */
  readonly speakerUserIds: readonly number[];
}

/**
 * A public session of the event as attendees see it (in the latest release, at its released
 * place and status), or SESSION_NOT_FOUND (404), also for a session of another event or one
 * only in the organizers' draft.
 */
export async function loadEventSession(db: DbOrTrx, eventId: number, sessionId: number): Promise<AgendaSession> {
  return loadSession(db, eventId, sessionId, 'released');
}

/**
 * A session of the event as its speakers and organizers see it (the draft: also before it is
 * released), or SESSION_NOT_FOUND (404): speakers add their slides to a session before it is public.
 */
export async function loadDraftSession(db: DbOrTrx, eventId: number, sessionId: number): Promise<AgendaSession> {
  return loadSession(db, eventId, sessionId, 'draft');
}

async function loadSession(db: DbOrTrx, eventId: number, sessionId: number, as: 'released' | 'draft'): Promise<AgendaSession> {
  const s = await (as === 'draft'
    ? db
        .selectFrom('sessions')
        .select(['id', 'event_id', 'title', 'status', 'track_id', 'room_id', 'starts_at', 'ends_at'])
        .where('id', '=', sessionId)
        .where('event_id', '=', eventId)
    : db
        .selectFrom('sessions')
        .innerJoin('release_sessions as rs', 'rs.session_id', 'sessions.id')
        .select(['sessions.id', 'sessions.event_id', 'sessions.title', 'rs.status', 'sessions.track_id', 'rs.room_id', 'rs.starts_at', 'rs.ends_at'])
        .where('sessions.id', '=', sessionId)
        .where('sessions.event_id', '=', eventId)
        .where('rs.release_id', '=', (eb) =>
          eb
            .selectFrom('schedule_releases')
            .select((e) => e.fn.max('id').as('id'))
            .where('event_id', '=', eventId),
        )
  ).executeTakeFirst();
  if (!s) throw AgendaErrors.sessionNotFound(sessionId);
  const speakers = await db
    .selectFrom('session_speakers')
    .innerJoin('speakers', 'speakers.id', 'session_speakers.speaker_id')
    .select('speakers.user_id')
    .where('session_speakers.session_id', '=', sessionId)
    .where('speakers.user_id', 'is not', null)
    .execute();
  return {
    id: s.id,
    eventId: s.event_id,
    title: s.title,
    status: s.status,
    trackId: s.track_id,
    roomId: s.room_id,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    speakerUserIds: speakers.map((r) => r.user_id!),
  };
}

/** The ids of the sessions the user starred in the event (for star buttons on any page). */
export async function starredSessionIds(db: DbOrTrx, userId: number, eventId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('agenda_stars').select('session_id').where('user_id', '=', userId).where('event_id', '=', eventId).execute();
  return new Set(rows.map((r) => r.session_id));
}

/** The ids of the event's sessions the user speaks at (a speaker profile linked to their account). */
export async function speakingSessionIds(db: DbOrTrx, userId: number, eventId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('session_speakers')
    .innerJoin('speakers', 'speakers.id', 'session_speakers.speaker_id')
    .select('session_speakers.session_id')
    .where('speakers.user_id', '=', userId)
    .where('speakers.event_id', '=', eventId)
    .execute();
  return new Set(rows.map((r) => r.session_id));
}

/**
 * Whether the user attended a session, for feedback: they starred it, or they have a `going`
 * RSVP to the event or a `going` sign-up for the session (registration module, migration
 * 2026-12-02T0100). This is the one place that defines "attendee"; check-in could join it later.
 */
export async function isAttendee(db: DbOrTrx, userId: number, session: { id: number; eventId: number }): Promise<boolean> {
  const star = await db.selectFrom('agenda_stars').select('session_id').where('user_id', '=', userId).where('session_id', '=', session.id).executeTakeFirst();
  if (star) return true;
  const rsvp = await db
    .selectFrom('rsvps')
    .select('id')
    .where('user_id', '=', userId)
    .where('event_id', '=', session.eventId)
    .where('status', '=', 'going')
    .executeTakeFirst();
  if (rsvp) return true;
  const signup = await db
    .selectFrom('session_signups')
    .select('id')
    .where('user_id', '=', userId)
    .where('session_id', '=', session.id)
    .where('status', '=', 'going')
    .executeTakeFirst();
  return signup !== undefined;
}

export interface MyAgenda {
  readonly snapshot: ProgramSnapshot;
  readonly starred: ReadonlySet<number>;
  /** Starred sessions that moved or were cancelled since the person last saw them, by session id. */
  readonly changes: ReadonlyMap<number, SlotChange>;
  /** Programme days with starred sessions, in order (see buildAgenda). */
  readonly days: readonly AgendaDay[];
  /** Pairs of overlapping starred sessions (each pair counted once). */
  readonly overlapCount: number;
  /** The programme version the agenda was built from ("last updated"). */
  readonly version: number;
  readonly updatedAt: string;
}

/**
 * "My agenda": the actor's starred sessions of a published event by programme day, with
 * overlaps and free-slot suggestions.
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404).
 */
export async function getMyAgenda(db: Db, actor: Actor | null, eventId: number, snapshots: SnapshotSource = freshSnapshots(db)): Promise<MyAgenda> {
  const me = requireActor(actor);
  await loadPublishedEvent(db, eventId);
  const [snapshot, stars] = await Promise.all([
    snapshots(eventId),
    db
      .selectFrom('agenda_stars')
      .select(['session_id', 'seen_starts_at', 'seen_room_id', 'seen_status'])
      .where('user_id', '=', me.userId)
      .where('event_id', '=', eventId)
      .execute(),
  ]);
  if (!snapshot) throw AgendaErrors.eventNotFound(eventId);
  const starred = new Set(stars.map((r) => r.session_id));
  const days = buildAgenda(snapshot.sessions, starred);
  const overlapCount = days.reduce((n, d) => n + d.items.reduce((m, i) => m + i.overlapsWith.length, 0), 0) / 2;
  const byId = new Map(snapshot.sessions.map((x) => [x.id, x]));
  const changes = new Map<number, SlotChange>();
  for (const r of stars) {
    const now = byId.get(r.session_id);
    const change = now && changeSinceSeen({ startsAt: r.seen_starts_at, roomId: r.seen_room_id, status: r.seen_status }, now);
    if (change) changes.set(r.session_id, change);
  }
  return { snapshot, starred, changes, days, overlapCount, version: snapshot.event.version, updatedAt: snapshot.event.updatedAt };
}

export interface InterestCounts {
  /** Who may see these counts: everyone, or only the event's organizers. */
  readonly visibility: 'public' | 'organizers';
  /** Starred count per session id; sessions nobody starred are absent (0). */
  readonly counts: ReadonlyMap<number, number>;
}

/**
 * How many people starred each session of a published event: for organizers (and track
 * managers) always, for everyone when the event shows interest counts; otherwise null.
 * @throws EVENT_NOT_FOUND (404).
 */
export async function getInterestCounts(db: Db, actor: Actor | null, eventId: number): Promise<InterestCounts | null> {
  const event = await loadPublishedEvent(db, eventId);
  if (!canSeeInterestCounts(actor, scopeOfEvent(event), event.showInterestCounts)) return null;
  const rows = await db
    .selectFrom('agenda_stars')
    .select((eb) => ['session_id', eb.fn.countAll<number>().as('n')])
    .where('event_id', '=', eventId)
    .groupBy('session_id')
    .execute();
  return { visibility: event.showInterestCounts ? 'public' : 'organizers', counts: new Map(rows.map((r) => [r.session_id, Number(r.n)])) };
}

/** Whether the event shows "N interested" publicly (false for an unknown event). */
export async function interestCountsShown(db: DbOrTrx, eventId: number): Promise<boolean> {
  const row = await db.selectFrom('events').select('show_interest_counts').where('id', '=', eventId).executeTakeFirst();
  return row?.show_interest_counts === 1;
}
