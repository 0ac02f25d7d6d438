import type { Actor } from '../accounts/actor.js';
import { canEditSession, canViewBackOffice } from '../accounts/account.policy.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { ensureAllowed, scopeOf, type Trx } from '../events/event-write.queries.js';
import { ProgramErrors } from './program.errors.js';
import type { SessionRecord } from './records.js';
import { nextSessionStatus, type SessionTransition } from './session.js';
import { assertRoomFree, assertSpeakersFree, span } from './session-rules.queries.js';
import { findSessionRecord } from './session.queries.js';
import { withEventWrite } from '../events/event-write.js';
import type { ModuleContext } from '../context.js';

/**
 * confirmed → cancelled. The session stays on the programme (shown as cancelled, keeping its
 * room and time) but no longer occupies its room or its speakers, so another session may take
 * the slot. Organizers, or a track manager for a session in their tracks.
 * Side effects, in one transaction: status, sequence bump, event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), SESSION_TRANSITION_INVALID (409: already cancelled).
 */
export function cancelSession(ctx: ModuleContext, actor: Actor | null, eventId: number, sessionId: number): Promise<SessionRecord> {
  return transition(ctx, actor, eventId, sessionId, 'cancel');
}

/**
 * cancelled → confirmed, if its room and speakers are still free at its time.
 * Side effects, in one transaction: status, sequence bump, event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), SESSION_TRANSITION_INVALID (409: not cancelled),
 *   SESSION_ROOM_CONFLICT (409), SPEAKER_DOUBLE_BOOKED (409).
 */
export function restoreSession(ctx: ModuleContext, actor: Actor | null, eventId: number, sessionId: number): Promise<SessionRecord> {
  return transition(ctx, actor, eventId, sessionId, 'restore');
}

/**
 * Removes a session for good, with its speaker list and links (speaker profiles stay). Meant for
 * mistakes: a session people may have seen should be cancelled instead, so calendars learn of it.
 * Same permission as editing the session.
 * Side effects, in one transaction: sessions row (and its speakers/links) deleted, event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export async function deleteSession(ctx: ModuleContext, actor: Actor | null, eventId: number, sessionId: number): Promise<void> {
  await withEventWrite(ctx, actor, eventId, CHANGE_PROGRAMME, async ({ trx, event, audit }) => {
    const session = await findEditable(trx, actor, event, sessionId, 'delete this session');
    await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    audit({
      action: 'session.deleted',
      entityType: 'session',
      entityId: sessionId,
      summary: `Deleted "${session.title}" (${session.code}, ${span(session.startsAt, session.endsAt, event.time_zone)})`,
    });
  });
}

async function transition(ctx: ModuleContext, actor: Actor | null, eventId: number, sessionId: number, name: SessionTransition): Promise<SessionRecord> {
  return withEventWrite(ctx, actor, eventId, CHANGE_PROGRAMME, async ({ trx, event, now, audit, draftOnly }) => {
    // The public sees a session's status as released: cancelling is told by the next release.
    draftOnly();
    const session = await findEditable(trx, actor, event, sessionId, `${name} this session`);
    const next = nextSessionStatus(session.status, name);
    if (!next) throw ProgramErrors.transitionInvalid(name, session.status);
    if (next === 'confirmed') {
      const placement = { id: session.id, roomId: session.roomId, startsAt: session.startsAt, endsAt: session.endsAt };
      await assertRoomFree(trx, event, placement);
      await assertSpeakersFree(trx, event, placement, session.speakerIds);
    }
    await trx
      .updateTable('sessions')
      .set((eb) => ({ status: next, updated_at: now, sequence: eb('sequence', '+', 1) }))
      .where('id', '=', sessionId)
      .execute();
    audit({
      action: name === 'cancel' ? 'session.cancelled' : 'session.restored',
      entityType: 'session',
      entityId: sessionId,
      summary: `${name === 'cancel' ? 'Cancelled' : 'Restored'} "${session.title}" (${span(session.startsAt, session.endsAt, event.time_zone)})`,
    });
    return (await findSessionRecord(trx, event, sessionId))!;
  });
}

const CHANGE_PROGRAMME = { may: canViewBackOffice, what: 'change the programme of this event' };

/** Finds the session in the (locked) event and checks the actor may edit it. */
async function findEditable(trx: Trx, actor: Actor | null, event: EventRow, sessionId: number, what: string): Promise<SessionRecord> {
  const session = await findSessionRecord(trx, event, sessionId);
  if (!session) throw EventErrors.notFound('session', sessionId);
  ensureAllowed(canEditSession(actor, scopeOf(event), session), what);
  return session;
}
