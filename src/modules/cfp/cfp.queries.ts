import type { Db } from '../../db/database.js';
import type { EventRow } from '../events/event.table.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import type { CfpFormat, CfpSettings } from './cfp.js';
import type { CfpSettingsRow } from './cfp.table.js';

/** Reads of the call itself: its settings, by event id or by the event's public slug. */

export function toCfpSettings(r: CfpSettingsRow): CfpSettings {
  return {
    eventId: r.event_id,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    closedAt: r.closed_at,
    callText: r.call_text,
    formats: JSON.parse(r.formats) as CfpFormat[],
  };
}

/** The event's call, or null when none is set up. */
export async function getCfpSettings(db: DbOrTrx, eventId: number): Promise<CfpSettings | null> {
  const row = await db.selectFrom('cfp_settings').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  return row ? toCfpSettings(row) : null;
}

/** The event that has `slug` and its call (null when the event has no call). */
export async function findCfpBySlug(db: Db, slug: string): Promise<{ event: EventRow; cfp: CfpSettings } | null> {
  const event = await db.selectFrom('events').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!event) return null;
  const cfp = await getCfpSettings(db, event.id);
  return cfp ? { event, cfp } : null;
}

/** The event whose call or proposals a page or route shows (undefined when there is none). */
export async function findCfpEvent(db: DbOrTrx, eventId: number): Promise<EventRow | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
}

/** The tracks a proposal may name, in the event's order. */
export async function listCfpTracks(db: DbOrTrx, eventId: number): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('tracks').select(['id', 'name']).where('event_id', '=', eventId).orderBy('position').orderBy('id').execute();
}
