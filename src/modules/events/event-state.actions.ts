import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { eventStateOf, nextEventState, type EventTransition } from './event.js';
import { EventErrors } from './event.errors.js';
import type { EventRow } from './event.table.js';
import { withEventWrite, writeEventIn, type WriteTx } from './event-write.js';
import { toEventRecord, type EventRecord } from './records.js';
import { releaseDraftIn } from '../releases/release.actions.js';
import { findLatestRelease } from '../releases/release.queries.js';

/**
 * draft → published: the event appears on public pages, in the API and in exports. An event
 * never released has its draft released as the first version (speaker mails held).
 * Side effects, in one transaction: events.published = 1, the first release, version bump, audit rows.
 * @throws FORBIDDEN (403), NOT_FOUND (404), EVENT_TRANSITION_INVALID (409: already published).
 */
export function publishEvent(ctx: ModuleContext, actor: Actor | null, eventId: number): Promise<EventRecord> {
  return transition(ctx, actor, eventId, 'publish');
}

/**
 * published → draft: the event disappears from public pages and the API (they answer
 * EVENT_NOT_FOUND); the back office keeps it.
 * Side effects, in one transaction: events.published = 0, version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), EVENT_TRANSITION_INVALID (409: already a draft).
 */
export function unpublishEvent(ctx: ModuleContext, actor: Actor | null, eventId: number): Promise<EventRecord> {
  return transition(ctx, actor, eventId, 'unpublish');
}

async function transition(ctx: ModuleContext, actor: Actor | null, eventId: number, name: EventTransition): Promise<EventRecord> {
  return withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: `${name} this event` }, async (w) => {
    const { trx, event: before, audit } = w;
    const state = eventStateOf(before.published);
    const next = nextEventState(state, name);
    if (!next) throw EventErrors.transitionInvalid(name, state);
    const row = await trx
      .updateTable('events')
      .set({ published: next === 'published' ? 1 : 0 })
      .where('id', '=', eventId)
      .returningAll()
      .executeTakeFirstOrThrow();
    // Publishing an event that was never released releases its draft as the first version (the
    // speakers' mails held: the organizer sends them from the releases page when ready).
    if (name === 'publish' && !(await findLatestRelease(trx, eventId))) await releaseDraftIn(w, actor, { name: '', comment: '', mails: 'hold' });
    audit({
      action: `event.${name}ed`,
      entityType: 'event',
      entityId: eventId,
      summary: name === 'publish' ? `Published "${row.title}"` : `Unpublished "${row.title}" (back to draft)`,
    });
    return toEventRecord(row);
  });
}

/**
 * not cancelled → cancelled, as one step of the caller's transaction: registration's cancelEvent
 * (the only caller) also mails everyone going or waitlisted in the same transaction, so the
 * state and the mails commit together. The version bump of the write path invalidates every
 * cached public page, snapshot and ETag of the event. Each confirmed session's sequence goes up
 * so calendars that subscribed to it take the CANCELLED status of the iCal export.
 * Side effects, in order (writeEventIn): version bump, events.cancelled_at + cancellation_reason,
 * sessions' sequence, audit row. Returns the row as cancelled.
 * @throws FORBIDDEN (403), NOT_FOUND (404), EVENT_ALREADY_CANCELLED (409).
 */
export async function markEventCancelled(tx: WriteTx, actor: Actor | null, eventId: number, reason: string): Promise<EventRow> {
  return writeEventIn(tx, actor, eventId, { may: canManageEvent, what: 'cancel this event' }, async ({ trx, event: before, now, audit }) => {
    if (before.cancelled_at) throw EventErrors.alreadyCancelled(before.title, before.cancelled_at);
    const row = await trx
      .updateTable('events')
      .set({ cancelled_at: now, cancellation_reason: reason })
      .where('id', '=', eventId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('sessions')
      .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: now }))
      .where('event_id', '=', eventId)
      .where('status', '=', 'confirmed')
      .execute();
    audit({ action: 'event.cancelled', entityType: 'event', entityId: eventId, summary: `Cancelled "${row.title}" (${row.start_date}): ${reason}` });
    return row;
  });
}
