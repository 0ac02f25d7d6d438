import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { eventStateOf, nextEventState, type EventTransition } from '../events/event.js';
import { EventErrors } from '../events/event.errors.js';
import { withEventWrite } from '../events/event-write.js';
import { toEventRecord, type EventRecord } from '../events/records.js';
import { releaseDraftIn } from './release.actions.js';
import { findLatestRelease } from './release.queries.js';

/*
 * Publishing is the schedule's business: an event goes public with its first release, so these
 * live beside the releases (the events module, lower in the module order, cannot release).
 */

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
