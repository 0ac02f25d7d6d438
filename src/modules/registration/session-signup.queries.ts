import type { Trx } from '../events/event-write.queries.js';
import { latestReleaseId } from '../schedule/release.queries.js';
import { freeSeats } from './registration.js';
import { queueSessionMail } from './registration-mail.js';
import type { LockedRegistration, RegistrationContext } from './rsvp.queries.js';

/*
 * Session sign-ups, the steps shared by the sign-up actions and the RSVP actions (cancelling the
 * event RSVP gives up its session seats). Always under the event lock taken by the caller.
 */

export interface SignupSession {
  readonly sessionId: number;
  readonly title: string;
  readonly startsAt: string;
  readonly endsAt: string;
  /** Own capacity, else the room's; null = unlimited. */
  readonly capacity: number | null;
}

/**
 * The session if it takes sign-ups (of this event), with its effective capacity. Attendees see
 * the `released` session (in the latest release, at its released time and room, confirmed there):
 * a session only in the organizers' draft takes no sign-ups yet. Organizers configure sign-ups on
 * the `draft`.
 */
export async function findSignupSession(trx: Trx, eventId: number, sessionId: number, as: 'released' | 'draft' = 'released'): Promise<SignupSession | null> {
  const base = trx
    .selectFrom('signup_sessions')
    .innerJoin('sessions', 'sessions.id', 'signup_sessions.session_id')
    .where('signup_sessions.session_id', '=', sessionId)
    .where('signup_sessions.event_id', '=', eventId);
  const r = await (as === 'draft'
    ? base
        .leftJoin('rooms', 'rooms.id', 'sessions.room_id')
        .select([
          'sessions.id',
          'sessions.title',
          'sessions.starts_at',
          'sessions.ends_at',
          'sessions.status',
          'signup_sessions.capacity',
          'rooms.capacity as room_capacity',
        ])
    : base
        .innerJoin('release_sessions as rs', 'rs.session_id', 'sessions.id')
        .leftJoin('rooms', 'rooms.id', 'rs.room_id')
        .where('rs.release_id', '=', latestReleaseId(trx, eventId))
        .select(['sessions.id', 'sessions.title', 'rs.starts_at', 'rs.ends_at', 'rs.status', 'signup_sessions.capacity', 'rooms.capacity as room_capacity'])
  ).executeTakeFirst();
  if (r?.status !== 'confirmed') return null;
  return { sessionId: r.id, title: r.title, startsAt: r.starts_at, endsAt: r.ends_at, capacity: r.capacity ?? r.room_capacity ?? null };
}

/** Going sign-ups of a session. */
export async function sessionGoing(trx: Trx, sessionId: number): Promise<number> {
  const r = await trx
    .selectFrom('session_signups')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'going')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Promotes the session's waitlist in arrival order into its free seats (each exactly once: the
 * UPDATE requires status 'waitlisted'); mails each promoted person except `arrivingId`.
 * Returns the promoted sign-up ids.
 */
export async function fillSession(
  trx: Trx,
  ctx: RegistrationContext,
  locked: LockedRegistration,
  session: SignupSession,
  arrivingId: number | null = null,
): Promise<number[]> {
  const free = freeSeats(session.capacity, await sessionGoing(trx, session.sessionId));
  if (free <= 0) return [];
  let q = trx
    .selectFrom('session_signups')
    .innerJoin('users', 'users.id', 'session_signups.user_id')
    .select(['session_signups.id', 'users.email', 'users.display_name'])
    .where('session_id', '=', session.sessionId)
    .where('status', '=', 'waitlisted')
    .orderBy('waitlist_seq');
  if (free !== Number.POSITIVE_INFINITY) q = q.limit(free);
  const next = await q.execute();
  const promoted: number[] = [];
  for (const p of next) {
    const res = await trx
      .updateTable('session_signups')
      .set({ status: 'going', waitlist_seq: null, promoted_at: p.id === arrivingId ? null : locked.now, updated_at: locked.now })
      .where('id', '=', p.id)
      .where('status', '=', 'waitlisted')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) continue;
    promoted.push(p.id);
    if (p.id !== arrivingId) {
      await queueSessionMail(trx, ctx, {
        to: p.email,
        name: p.display_name,
        event: locked.event,
        sessionTitle: session.title,
        startsAt: session.startsAt,
        kind: 'promoted',
      });
    }
  }
  return promoted;
}

/** Cancels every active sign-up of a person in the event (their RSVP ended) and refills those sessions. */
export async function cancelSignupsOf(trx: Trx, ctx: RegistrationContext, locked: LockedRegistration, userId: number): Promise<void> {
  const active = await trx
    .selectFrom('session_signups')
    .select(['id', 'session_id', 'status'])
    .where('event_id', '=', locked.event.id)
    .where('user_id', '=', userId)
    .where('status', 'in', ['going', 'waitlisted'])
    .execute();
  if (active.length === 0) return;
  await trx
    .updateTable('session_signups')
    .set({ status: 'cancelled', waitlist_seq: null, updated_at: locked.now })
    .where(
      'id',
      'in',
      active.map((a) => a.id),
    )
    .execute();
  for (const a of active) {
    if (a.status !== 'going') continue;
    const s = await findSignupSession(trx, locked.event.id, a.session_id);
    if (s) await fillSession(trx, ctx, locked, s);
  }
}
