import { sql } from 'kysely';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { parseInput } from '../../lib/form-fields.js';
import { AgendaErrors } from './agenda.errors.js';
import { loadEventSession, loadPublishedEvent, requireActor } from './agenda.queries.js';
import { InterestCountsSchema } from './agenda.schemas.js';
import { withEventWrite } from '../events/event-write.js';
import type { ModuleContext } from '../context.js';

export interface StarState {
  readonly sessionId: number;
  readonly starred: boolean;
}

/**
 * Stars a session of a published event for the actor. Idempotent: starring twice is one star.
 * Does not bump the event version (a star is private; public pages are not affected, except the
 * "N interested" counts, which are read uncached with getInterestCounts).
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404), SESSION_NOT_FOUND (404),
 *   SESSION_CANCELLED (409).
 */
export async function starSession(db: Db, actor: Actor | null, eventId: number, sessionId: number, clock: Clock = systemClock): Promise<StarState> {
  const me = requireActor(actor);
  await loadPublishedEvent(db, eventId);
  const session = await loadEventSession(db, eventId, sessionId);
  if (session.status === 'cancelled') throw AgendaErrors.sessionCancelled(session.title);
  await db
    .insertInto('agenda_stars')
    .values({
      user_id: me.userId,
      session_id: sessionId,
      event_id: eventId,
      created_at: clock.instant(),
      seen_starts_at: session.startsAt,
      seen_room_id: session.roomId,
      seen_status: session.status,
    })
    .onConflict((oc) => oc.columns(['user_id', 'session_id']).doNothing())
    .execute();
  return { sessionId, starred: true };
}

/**
 * The actor has seen their starred sessions of the event as they are now: "moved" and
 * "cancelled since you starred it" are cleared until the next change.
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404).
 */
export async function markAgendaChangesSeen(db: Db, actor: Actor | null, eventId: number): Promise<void> {
  const me = requireActor(actor);
  await loadPublishedEvent(db, eventId);
  // As the public sees it now: the session in the event's latest release.
  const current = (column: 'starts_at' | 'room_id' | 'status') =>
    sql<never>`(SELECT rs.${sql.ref(column)} FROM release_sessions rs WHERE rs.session_id = agenda_stars.session_id
      AND rs.release_id = (SELECT max(r.id) FROM schedule_releases r WHERE r.event_id = ${eventId}))`;
  await db
    .updateTable('agenda_stars')
    .set({ seen_starts_at: current('starts_at'), seen_room_id: current('room_id'), seen_status: current('status') })
    .where('user_id', '=', me.userId)
    .where('event_id', '=', eventId)
    .execute();
}

/**
 * Removes the actor's star from a session. Idempotent; also works for a cancelled session.
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404), SESSION_NOT_FOUND (404).
 */
export async function unstarSession(db: Db, actor: Actor | null, eventId: number, sessionId: number): Promise<StarState> {
  const me = requireActor(actor);
  await loadPublishedEvent(db, eventId);
  await loadEventSession(db, eventId, sessionId);
  await db.deleteFrom('agenda_stars').where('user_id', '=', me.userId).where('session_id', '=', sessionId).execute();
  return { sessionId, starred: false };
}

/**
 * Shows or hides "N interested" on the event's public pages (organizers always see counts).
 * Input: `{ show: boolean | 'on' }`.
 * Side effects, in one transaction: events.show_interest_counts, version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404: event), VALIDATION_FAILED (422).
 */
export async function setInterestCountsShown(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<{ show: boolean }> {
  const { show } = parseInput(InterestCountsSchema, input);
  return withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: 'change what this event shows' }, async ({ trx, audit }) => {
    await trx
      .updateTable('events')
      .set({ show_interest_counts: show ? 1 : 0 })
      .where('id', '=', eventId)
      .execute();
    audit({
      action: 'event.interest_counts',
      entityType: 'event',
      entityId: eventId,
      summary: show ? 'Interest counts shown publicly' : 'Interest counts shown to organizers only',
    });
    return { show };
  });
}
