import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { auditEventChange, ensureAllowed, scopeOf } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { latestReleaseId } from '../schedule/release.queries.js';
import { RegistrationErrors } from './registration.errors.js';
import { canManageRegistration } from './registration.policy.js';
import { SessionSignupConfigSchema } from './registration.schemas.js';
import { findRsvp, inRegistrationTransaction, lockRegistration, type LockedRegistration, type RegistrationContext } from './rsvp.queries.js';
import { fillSession, findSignupSession, sessionGoing, type SignupSession } from './session-signup.queries.js';

/*
 * Sign-up for sessions (workshops) with their own capacity and waitlist: the same guarantees as
 * event RSVPs (same event lock), plus: a person holds (or waits for) a place in at most one of
 * any set of overlapping sessions, unless the organizer allows overlaps.
 */

export type SignupStatus = 'going' | 'waitlisted' | 'cancelled';

export interface SignupView {
  readonly id: number;
  readonly sessionId: number;
  readonly userId: number;
  readonly status: SignupStatus;
  /** 1-based, arrival order; null unless waitlisted. */
  readonly waitlistPosition: number | null;
}

function ensureEventTakesChanges(locked: LockedRegistration): void {
  if (locked.event.cancelled_at) throw RegistrationErrors.eventCancelled(locked.event.title);
  if (locked.now >= locked.span.endsAt) throw RegistrationErrors.eventPast(locked.event.title);
}

/**
 * Makes a session take sign-ups (`enabled`, with `capacity`; blank = the room's) or stop taking
 * them (every sign-up is then cancelled). Raising the capacity promotes from its waitlist;
 * lowering it below the people going is refused (cancel or move people first).
 * Side effects: signup_sessions row, promotions and their mails, audit row.
 * @throws VALIDATION_FAILED, FORBIDDEN, NOT_FOUND (session), RSVP_CAPACITY_BELOW_CONFIRMED.
 */
export async function configureSessionSignup(
  db: Db,
  ctx: RegistrationContext,
  actor: Actor | null,
  eventId: number,
  sessionId: number,
  input: unknown,
): Promise<SignupSession | null> {
  const data = parseInput(SessionSignupConfigSchema, input);
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockRegistration(trx, ctx, eventId, { includeDrafts: true });
    ensureAllowed(canManageRegistration(actor, scopeOf(locked.event)), 'change sign-ups of this event');
    const session = await trx.selectFrom('sessions').select(['id', 'title']).where('id', '=', sessionId).where('event_id', '=', eventId).executeTakeFirst();
    if (!session) throw EventErrors.notFound('session', sessionId);
    if (!data.enabled) {
      await trx.deleteFrom('signup_sessions').where('session_id', '=', sessionId).execute();
      await trx
        .updateTable('session_signups')
        .set({ status: 'cancelled', waitlist_seq: null, updated_at: locked.now })
        .where('session_id', '=', sessionId)
        .where('status', '!=', 'cancelled')
        .execute();
      await auditEventChange(trx, actor, locked.event, {
        at: ctx.clock.instant(),
        action: 'signup.disabled',
        entityType: 'session',
        entityId: sessionId,
        summary: `Sign-up for "${session.title}" turned off`,
      });
      return null;
    }
    const before = await findSignupSession(trx, eventId, sessionId, 'draft');
    if (before) await trx.updateTable('signup_sessions').set({ capacity: data.capacity }).where('session_id', '=', sessionId).execute();
    else
      await trx.insertInto('signup_sessions').values({ session_id: sessionId, event_id: eventId, capacity: data.capacity, created_at: locked.now }).execute();
    const after = (await findSignupSession(trx, eventId, sessionId, 'draft'))!;
    const going = await sessionGoing(trx, sessionId);
    if (after.capacity !== null && going > after.capacity) {
      throw RegistrationErrors.capacityBelowConfirmed(after.capacity, going, [
        { path: 'capacity', message: `${going} people are signed up; cancel some first` },
      ]);
    }
    await fillSession(trx, ctx, locked, after);
    await auditEventChange(trx, actor, locked.event, {
      at: ctx.clock.instant(),
      action: 'signup.configured',
      entityType: 'session',
      entityId: sessionId,
      summary: `Sign-up for "${session.title}": ${after.capacity === null ? 'unlimited' : `${after.capacity} seats`}`,
    });
    return after;
  });
}

/**
 * Signs the person up for a session: going if a seat is free (and nobody waits), else on its
 * waitlist. Idempotent: an active sign-up is returned unchanged.
 * Side effects: session_signups row, mails of people promoted.
 * @throws FORBIDDEN (not signed in), EVENT_NOT_FOUND, EVENT_CANCELLED, EVENT_PAST,
 *   SIGNUP_NOT_OFFERED (404-ish 409: no such session or it takes no sign-ups), RSVP_REQUIRED,
 *   SIGNUP_OVERLAP (409: problems name the overlapping sessions).
 */
export async function signUpForSession(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, sessionId: number): Promise<SignupView> {
  if (!actor) throw EventErrors.forbidden('sign up without signing in');
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockRegistration(trx, ctx, eventId);
    ensureEventTakesChanges(locked);
    const session = await findSignupSession(trx, eventId, sessionId);
    if (!session) throw RegistrationErrors.signupNotOffered();
    const rsvp = await findRsvp(trx, eventId, actor.userId);
    if (rsvp?.status !== 'going') throw RegistrationErrors.rsvpRequired();
    const existing = await trx
      .selectFrom('session_signups')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    if (existing && existing.status !== 'cancelled') return view(trx, existing);
    if (!locked.settings.allowSessionOverlap) {
      const clashes = await trx
        .selectFrom('session_signups')
        .innerJoin('sessions', 'sessions.id', 'session_signups.session_id')
        .innerJoin('release_sessions as rs', 'rs.session_id', 'session_signups.session_id')
        .select(['sessions.title', 'session_signups.status'])
        .where('rs.release_id', '=', latestReleaseId(trx, eventId))
        .where('session_signups.event_id', '=', eventId)
        .where('session_signups.user_id', '=', actor.userId)
        .where('session_signups.status', 'in', ['going', 'waitlisted'])
        .where('session_signups.session_id', '!=', sessionId)
        .where('rs.starts_at', '<', session.endsAt)
        .where('rs.ends_at', '>', session.startsAt)
        .execute();
      if (clashes.length)
        throw RegistrationErrors.signupOverlap(
          clashes.map((c) => ({
            path: 'sessionId',
            message: `you are ${c.status === 'going' ? 'signed up for' : 'on the waitlist of'} "${c.title}" at the same time`,
          })),
        );
    }
    const seq = (
      await trx
        .updateTable('signup_sessions')
        .set((eb) => ({ waitlist_seq: eb('waitlist_seq', '+', 1) }))
        .where('session_id', '=', sessionId)
        .returning('waitlist_seq')
        .executeTakeFirstOrThrow()
    ).waitlist_seq;
    const row = existing
      ? await trx
          .updateTable('session_signups')
          .set({ status: 'waitlisted', waitlist_seq: seq, promoted_at: null, updated_at: locked.now })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('session_signups')
          .values({
            session_id: sessionId,
            event_id: eventId,
            user_id: actor.userId,
            status: 'waitlisted',
            waitlist_seq: seq,
            created_at: locked.now,
            updated_at: locked.now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await fillSession(trx, ctx, locked, session, row.id);
    return view(trx, await trx.selectFrom('session_signups').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow());
  });
}

/**
 * Gives up a session seat (or waitlist place); the seat goes to the session's waitlist at once.
 * Cancelling again changes nothing. @throws FORBIDDEN, EVENT_NOT_FOUND, EVENT_PAST, RSVP_NOT_FOUND (never signed up).
 */
export async function cancelSessionSignup(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, sessionId: number): Promise<SignupView> {
  if (!actor) throw EventErrors.forbidden('cancel a sign-up without signing in');
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockRegistration(trx, ctx, eventId);
    if (locked.now >= locked.span.endsAt) throw RegistrationErrors.eventPast(locked.event.title);
    const existing = await trx
      .selectFrom('session_signups')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('user_id', '=', actor.userId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (!existing) throw RegistrationErrors.notFound();
    if (existing.status === 'cancelled') return view(trx, existing);
    const row = await trx
      .updateTable('session_signups')
      .set({ status: 'cancelled', waitlist_seq: null, updated_at: locked.now })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const session = await findSignupSession(trx, eventId, sessionId);
    if (session && existing.status === 'going') await fillSession(trx, ctx, locked, session);
    return view(trx, row);
  });
}

async function view(
  trx: Parameters<typeof findSignupSession>[0],
  r: { id: number; session_id: number; user_id: number; status: string; waitlist_seq: number | null },
): Promise<SignupView> {
  let position: number | null = null;
  if (r.status === 'waitlisted' && r.waitlist_seq !== null) {
    const c = await trx
      .selectFrom('session_signups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', r.session_id)
      .where('status', '=', 'waitlisted')
      .where('waitlist_seq', '<=', r.waitlist_seq)
      .executeTakeFirstOrThrow();
    position = Number(c.n);
  }
  return { id: r.id, sessionId: r.session_id, userId: r.user_id, status: r.status as SignupStatus, waitlistPosition: position };
}
