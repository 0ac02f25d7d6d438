import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { EventErrors } from './event.errors.js';
import type { EventRow } from './event.table.js';
import { writeEventIn, type WriteTx } from './event-write.js';

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
