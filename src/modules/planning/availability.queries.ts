import { datesBetween } from '../../lib/time.js';
import { localDateTime } from '../events/event-dates.js';
import type { EventRow } from '../events/event.table.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import type { WindowInput } from './planning.schemas.js';

/* Reads of availability windows, for the forms that edit them. */

/** Whose windows: the event's hours, a room's, a speaker profile's (no account), or a person's. */
export type WindowOwner =
  | { readonly kind: 'event' }
  | { readonly kind: 'room'; readonly roomId: number }
  | { readonly kind: 'speaker'; readonly speakerId: number }
  | { readonly kind: 'person'; readonly userId: number };

/** The owner's windows in the event as form rows (day, from, to in the event's zone), by start. */
export async function windowsOf(db: DbOrTrx, event: Pick<EventRow, 'id' | 'time_zone'>, owner: WindowOwner): Promise<WindowInput[]> {
  let q = db.selectFrom('availability').select(['starts_at', 'ends_at']).where('event_id', '=', event.id);
  q =
    owner.kind === 'room'
      ? q.where('room_id', '=', owner.roomId)
      : owner.kind === 'speaker'
        ? q.where('speaker_id', '=', owner.speakerId)
        : owner.kind === 'person'
          ? q.where('user_id', '=', owner.userId)
          : q.where('room_id', 'is', null).where('speaker_id', 'is', null).where('user_id', 'is', null);
  const rows = await q.orderBy('starts_at').execute();
  return rows.map((r) => {
    const a = localDateTime(r.starts_at, event.time_zone);
    const b = localDateTime(r.ends_at, event.time_zone);
    return { day: a.slice(0, 10), from: a.slice(11, 16), to: b.slice(11, 16) };
  });
}

/** Whose windows a speaker profile has: the person's when it is linked to an account. */
export function ownerOfSpeaker(speaker: { id: number; userId: number | null }): WindowOwner {
  return speaker.userId !== null ? { kind: 'person', userId: speaker.userId } : { kind: 'speaker', speakerId: speaker.id };
}

/** Whether the person speaks in the event: a speaker profile of theirs, or a proposal they speak in (not withdrawn). */
export async function isSpeakerIn(db: DbOrTrx, userId: number, eventId: number): Promise<boolean> {
  const profile = await db.selectFrom('speakers').select('id').where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
  if (profile) return true;
  const proposal = await db
    .selectFrom('proposal_speakers')
    .innerJoin('proposals', 'proposals.id', 'proposal_speakers.proposal_id')
    .select('proposals.id')
    .where('proposals.event_id', '=', eventId)
    .where('proposals.state', '!=', 'withdrawn')
    .where('proposal_speakers.user_id', '=', userId)
    .where('proposal_speakers.status', '=', 'accepted')
    .executeTakeFirst();
  return proposal !== undefined;
}

/** A speaker profile's windows (the person's when it is linked to an account), as form rows. */
export async function speakerWindows(db: DbOrTrx, event: Pick<EventRow, 'id' | 'time_zone'>, speakerId: number): Promise<WindowInput[]> {
  const s = await db.selectFrom('speakers').select(['id', 'user_id']).where('id', '=', speakerId).where('event_id', '=', event.id).executeTakeFirst();
  return s ? windowsOf(db, event, ownerOfSpeaker({ id: s.id, userId: s.user_id })) : [];
}

/** The person's own windows in an event, with the event's programme days (their proposal page's form). */
export async function myAvailability(db: DbOrTrx, userId: number, eventId: number): Promise<{ days: string[]; timeZone: string; windows: WindowInput[] }> {
  const e = await db.selectFrom('events').select(['id', 'time_zone', 'start_date', 'end_date']).where('id', '=', eventId).executeTakeFirstOrThrow();
  return { days: datesBetween(e.start_date, e.end_date), timeZone: e.time_zone, windows: await windowsOf(db, e, { kind: 'person', userId }) };
}
