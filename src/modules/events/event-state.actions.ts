import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { recordAudit } from '../accounts/audit.queries.js';
import { eventStateOf, nextEventState, type EventTransition } from './event.js';
import { EventErrors } from './event.errors.js';
import { ensureAllowed, lockEventForWrite, scopeOf } from './event-write.queries.js';
import { toEventRecord, type EventRecord } from './records.js';

/**
 * draft → published: the event appears on public pages, in the API and in exports.
 * Side effects, in one transaction: events.published = 1, version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), EVENT_TRANSITION_INVALID (409: already published).
 */
export function publishEvent(db: Db, actor: Actor | null, eventId: number): Promise<EventRecord> {
  return transition(db, actor, eventId, 'publish');
}

/**
 * published → draft: the event disappears from public pages and the API (they answer
 * EVENT_NOT_FOUND); the back office keeps it.
 * Side effects, in one transaction: events.published = 0, version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), EVENT_TRANSITION_INVALID (409: already a draft).
 */
export function unpublishEvent(db: Db, actor: Actor | null, eventId: number): Promise<EventRecord> {
  return transition(db, actor, eventId, 'unpublish');
}

async function transition(db: Db, actor: Actor | null, eventId: number, name: EventTransition): Promise<EventRecord> {
  return db.transaction().execute(async (trx) => {
    const before = await lockEventForWrite(trx, eventId);
    ensureAllowed(canManageEvent(actor, scopeOf(before)), `${name} this event`);
    const state = eventStateOf(before.published);
    const next = nextEventState(state, name);
    if (!next) throw EventErrors.transitionInvalid(name, state);
    const row = await trx
      .updateTable('events')
      .set({ published: next === 'published' ? 1 : 0 })
      .where('id', '=', eventId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      communityId: row.community_id,
      eventId,
      action: `event.${name}ed`,
      entityType: 'event',
      entityId: eventId,
      summary: name === 'publish' ? `Published "${row.title}"` : `Unpublished "${row.title}" (back to draft)`,
    });
    return toEventRecord(row);
  });
}
