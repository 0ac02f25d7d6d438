import type { Db } from '../../db/database.js';
import { latestReleaseId } from '../schedule/release.queries.js';
import type { RsvpStatus } from './registration.js';
import type { SignupStatus } from './session-signup.actions.js';

/*
 * "My events": every event a person answered, with where they stand (going with guests, their
 * place on the waitlist, not going, cancelled) and their session sign-ups, so the way back to a
 * ticket or a waitlist place never depends on finding an old mail. Three queries, plus one per
 * event with sign-ups and one per sign-up waiting (a person has a handful).
 */

export interface MyEventSignup {
  readonly sessionCode: string;
  readonly title: string;
  /** As released (what attendees see). */
  readonly startsAt: string;
  readonly status: SignupStatus;
  readonly waitlistPosition: number | null;
}

export interface MyEvent {
  readonly slug: string;
  readonly title: string;
  readonly kind: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly timeZone: string;
  readonly venueName: string | null;
  readonly cancelled: boolean;
  readonly status: RsvpStatus;
  readonly guests: number;
  /** 1-based place in line; null unless waitlisted. */
  readonly waitlistPosition: number | null;
  readonly checkedIn: boolean;
  readonly signups: readonly MyEventSignup[];
}

/** The person's RSVPs to published events, soonest first, with their sign-ups. */
export async function listMyEvents(db: Db, userId: number): Promise<MyEvent[]> {
  const rows = await db
    .selectFrom('rsvps')
    .innerJoin('events', 'events.id', 'rsvps.event_id')
    .select([
      'rsvps.event_id',
      'rsvps.status',
      'rsvps.guests',
      'rsvps.waitlist_seq',
      'rsvps.checked_in_at',
      'events.slug',
      'events.title',
      'events.kind',
      'events.start_date',
      'events.end_date',
      'events.time_zone',
      'events.venue_name',
      'events.cancelled_at',
    ])
    .where('rsvps.user_id', '=', userId)
    .where('events.published', '=', 1)
    .orderBy('events.start_date')
    .orderBy('events.id')
    .execute();
  if (rows.length === 0) return [];
  const eventIds = rows.map((r) => r.event_id);
  const [ahead, signups] = await Promise.all([
    // Place in line: the waitlisted RSVPs of the event that arrived before (or with) mine.
    db
      .selectFrom('rsvps as mine')
      .innerJoin('rsvps as other', (j) => j.onRef('other.event_id', '=', 'mine.event_id').onRef('other.waitlist_seq', '<=', 'mine.waitlist_seq'))
      .select(['mine.event_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('mine.user_id', '=', userId)
      .where('mine.status', '=', 'waitlisted')
      .where('other.status', '=', 'waitlisted')
      .groupBy('mine.event_id')
      .execute(),
    db
      .selectFrom('session_signups as s')
      .innerJoin('sessions', 'sessions.id', 's.session_id')
      .select(['s.event_id', 's.session_id', 's.status', 's.waitlist_seq', 'sessions.code', 'sessions.title', 'sessions.starts_at'])
      .where('s.user_id', '=', userId)
      .where('s.event_id', 'in', eventIds)
      .where('s.status', 'in', ['going', 'waitlisted'])
      .orderBy('sessions.starts_at')
      .execute(),
  ]);
  const releasedStart = new Map<number, string>();
  for (const eventId of new Set(signups.map((s) => s.event_id))) {
    const released = await db
      .selectFrom('release_sessions')
      .select(['session_id', 'starts_at'])
      .where('release_id', '=', latestReleaseId(db, eventId))
      .where(
        'session_id',
        'in',
        signups.filter((s) => s.event_id === eventId).map((s) => s.session_id),
      )
      .execute();
    for (const r of released) releasedStart.set(r.session_id, r.starts_at);
  }
  const signupPositions = new Map<number, number>();
  for (const s of signups.filter((x) => x.status === 'waitlisted' && x.waitlist_seq !== null)) {
    const r = await db
      .selectFrom('session_signups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', s.session_id)
      .where('status', '=', 'waitlisted')
      .where('waitlist_seq', '<=', s.waitlist_seq)
      .executeTakeFirstOrThrow();
    signupPositions.set(s.session_id, Number(r.n));
  }
  const place = new Map(ahead.map((a) => [a.event_id, Number(a.n)]));
  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    kind: r.kind,
    startDate: r.start_date,
    endDate: r.end_date,
    timeZone: r.time_zone,
    venueName: r.venue_name,
    cancelled: r.cancelled_at !== null,
    status: r.status as RsvpStatus,
    guests: r.guests,
    waitlistPosition: r.status === 'waitlisted' ? (place.get(r.event_id) ?? null) : null,
    checkedIn: r.checked_in_at !== null,
    signups: signups
      .filter((s) => s.event_id === r.event_id && releasedStart.has(s.session_id))
      .map((s) => ({
        sessionCode: s.code,
        title: s.title,
        startsAt: releasedStart.get(s.session_id)!,
        status: s.status as SignupStatus,
        waitlistPosition: signupPositions.get(s.session_id) ?? null,
      })),
  }));
}
