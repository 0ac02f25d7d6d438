import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canViewBackOffice } from '../accounts/account.policy.js';
import type { EventRow } from '../events/event.table.js';
import { latestReleaseId } from '../schedule/release.queries.js';
import type { SignupStatus } from './session-signup.actions.js';

/*
 * Reads the registration pages need besides the actions' own results (no lock; never written
 * through): the event row, a volunteer's events, its ticket types with the seats each holds,
 * and the sessions that take sign-ups with the person's place in each.
 */

/** The event row by id (drafts included; the caller checks permissions or `published`). */
export function findEventRow(db: Db, eventId: number): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
}

/** An event whose door the actor works without opening its back office (a volunteer grant). */
export interface CheckInEvent {
  readonly id: number;
  readonly title: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly cancelled: boolean;
}

/**
 * The events the actor checks people in at only as a volunteer (by an event or community grant),
 * soonest first; events whose back office they may open are listed there instead. One query.
 */
export async function listCheckInOnlyEvents(db: Db, actor: Actor): Promise<CheckInEvent[]> {
  const grants = actor.grants.filter((g) => g.role === 'volunteer');
  const eventIds = grants.filter((g) => g.scope === 'event').map((g) => g.scopeId);
  const communityIds = grants.filter((g) => g.scope === 'community').map((g) => g.scopeId);
  if (eventIds.length === 0 && communityIds.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .select(['id', 'community_id', 'title', 'start_date', 'end_date', 'cancelled_at'])
    .where((eb) => eb.or([...(eventIds.length ? [eb('id', 'in', eventIds)] : []), ...(communityIds.length ? [eb('community_id', 'in', communityIds)] : [])]))
    .orderBy('start_date')
    .orderBy('id')
    .execute();
  return rows
    .filter((r) => !canViewBackOffice(actor, { eventId: r.id, communityId: r.community_id }))
    .map((r) => ({ id: r.id, title: r.title, startDate: r.start_date, endDate: r.end_date, cancelled: r.cancelled_at !== null }));
}

export interface TicketTypeView {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  /** Seats of this type; null = no quota of its own. */
  readonly quota: number | null;
  /** Seats held by going RSVPs of this type (attendees + guests). */
  readonly taken: number;
}

/** The event's ticket types in their order, with the seats each holds. */
export async function listTicketTypes(db: Db, eventId: number): Promise<TicketTypeView[]> {
  const types = await db
    .selectFrom('ticket_types')
    .select(['id', 'name', 'description', 'quota'])
    .where('event_id', '=', eventId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  if (types.length === 0) return [];
  const taken = await db
    .selectFrom('rsvps')
    .select((eb) => ['ticket_type_id', eb.fn.sum<number>(eb('guests', '+', 1)).as('seats')])
    .where('event_id', '=', eventId)
    .where('status', '=', 'going')
    .groupBy('ticket_type_id')
    .execute();
  const by = new Map(taken.map((t) => [t.ticket_type_id, Number(t.seats)]));
  return types.map((t) => ({ ...t, taken: by.get(t.id) ?? 0 }));
}

export interface SignupSessionView {
  readonly sessionId: number;
  readonly code: string;
  readonly title: string;
  readonly startsAt: string;
  readonly endsAt: string;
  /** Own capacity, else the room's; null = unlimited. */
  readonly capacity: number | null;
  readonly going: number;
  readonly waitlisted: number;
  /** The person's sign-up, or null (never signed up, or no person asked). */
  readonly mine: { readonly status: SignupStatus; readonly waitlistPosition: number | null } | null;
}

/**
 * The event's confirmed sessions that take sign-ups as attendees see them (in the latest release,
 * at their released times; none before the first release), by start time, with counts and (for
 * `userId`) the person's status and waitlist position. Three queries whatever the number of sessions.
 */
export async function listSignupSessions(db: Db, eventId: number, userId: number | null, onlySessionId?: number): Promise<SignupSessionView[]> {
  let q = db
    .selectFrom('signup_sessions')
    .innerJoin('sessions', 'sessions.id', 'signup_sessions.session_id')
    .innerJoin('release_sessions as rs', 'rs.session_id', 'sessions.id')
    .leftJoin('rooms', 'rooms.id', 'rs.room_id')
    .select(['sessions.id', 'sessions.code', 'sessions.title', 'rs.starts_at', 'rs.ends_at', 'signup_sessions.capacity', 'rooms.capacity as room_capacity'])
    .where('rs.release_id', '=', latestReleaseId(db, eventId))
    .where('signup_sessions.event_id', '=', eventId)
    .where('rs.status', '=', 'confirmed');
  if (onlySessionId !== undefined) q = q.where('sessions.id', '=', onlySessionId);
  const sessions = await q.orderBy('rs.starts_at').orderBy('sessions.id').execute();
  if (sessions.length === 0) return [];
  const signups = await db
    .selectFrom('session_signups')
    .select(['session_id', 'user_id', 'status', 'waitlist_seq'])
    .where('event_id', '=', eventId)
    .where(
      'session_id',
      'in',
      sessions.map((s) => s.id),
    )
    .where('status', 'in', ['going', 'waitlisted', ...(userId === null ? [] : ['cancelled'])])
    .execute();
  return sessions.map((s) => {
    const of = signups.filter((r) => r.session_id === s.id);
    const waiting = of.filter((r) => r.status === 'waitlisted').sort((a, b) => a.waitlist_seq! - b.waitlist_seq!);
    const m = userId === null ? undefined : of.find((r) => r.user_id === userId);
    return {
      sessionId: s.id,
      code: s.code,
      title: s.title,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      capacity: s.capacity ?? s.room_capacity ?? null,
      going: of.filter((r) => r.status === 'going').length,
      waitlisted: waiting.length,
      mine: m ? { status: m.status as SignupStatus, waitlistPosition: m.status === 'waitlisted' ? waiting.indexOf(m) + 1 : null } : null,
    };
  });
}
