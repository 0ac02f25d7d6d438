import type { Problem } from '../../lib/domain-error.js';
import { localLabel } from '../events/event-dates.js';
import type { Trx } from '../events/event-write.queries.js';
import type { LinkRecord } from './records.js';
import { ProgramErrors } from './program.errors.js';

/*
 * The programme's rules that need the database, run inside the action's transaction after the
 * event is locked (so no other writer can slip a session in between the check and the write).
 */

/** Where and when a session would be, as the conflict checks see it. */
export interface Placement {
  /** The session itself when editing (never conflicts with itself); null when creating. */
  readonly id: number | null;
  readonly roomId: number | null;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface References {
  readonly roomId?: number | null;
  readonly trackId?: number | null;
  readonly sponsorId?: number | null;
  readonly speakerIds?: readonly number[];
}

/**
 * Problems for ids that are not rooms, tracks, sponsors or speakers of this event (an id from
 * another event is "not of this event", never used). Paths: roomId, trackId, sponsorId, speakerIds[i].
 */
export async function referenceProblems(trx: Trx, eventId: number, refs: References): Promise<Problem[]> {
  const problems: Problem[] = [];
  const owned = async (table: 'rooms' | 'tracks' | 'sponsors', id: number | null | undefined, path: string, what: string) => {
    if (id === null || id === undefined) return;
    const row = await trx.selectFrom(table).select('id').where('id', '=', id).where('event_id', '=', eventId).executeTakeFirst();
    if (!row) problems.push({ path, message: `#${id} is not a ${what} of this event` });
  };
  await owned('rooms', refs.roomId, 'roomId', 'room');
  await owned('tracks', refs.trackId, 'trackId', 'track');
  await owned('sponsors', refs.sponsorId, 'sponsorId', 'sponsor');
  if (refs.speakerIds?.length) {
    const rows = await trx
      .selectFrom('speakers')
      .select('id')
      .where('event_id', '=', eventId)
      .where('id', 'in', [...refs.speakerIds])
      .execute();
    const known = new Set(rows.map((r) => r.id));
    refs.speakerIds.forEach((id, i) => {
      if (!known.has(id)) problems.push({ path: `speakerIds[${i}]`, message: `#${id} is not a speaker of this event` });
    });
  }
  return problems;
}

/**
 * @throws SESSION_ROOM_CONFLICT (409) when another confirmed session of the event on the grid
 *   (placed; an unplaced one keeps its last room and time but occupies nothing) is in the same
 *   room at an overlapping time; each problem (path `roomId`) names it and its local time.
 */
export async function assertRoomFree(trx: Trx, event: { id: number; time_zone: string }, p: Placement): Promise<void> {
  if (p.roomId === null) return;
  let q = trx
    .selectFrom('sessions')
    .innerJoin('rooms', 'rooms.id', 'sessions.room_id')
    .select(['sessions.title', 'sessions.starts_at', 'sessions.ends_at', 'rooms.name as room'])
    .where('sessions.event_id', '=', event.id)
    .where('sessions.room_id', '=', p.roomId)
    .where('sessions.status', '=', 'confirmed')
    .where('sessions.placed', '=', 1)
    .where('sessions.starts_at', '<', p.endsAt)
    .where('sessions.ends_at', '>', p.startsAt);
  if (p.id !== null) q = q.where('sessions.id', '!=', p.id);
  const clashes = await q.orderBy('sessions.starts_at').execute();
  if (clashes.length === 0) return;
  throw ProgramErrors.roomConflict(
    clashes.map((c) => ({ path: 'roomId', message: `${c.room} is taken by "${c.title}" (${span(c.starts_at, c.ends_at, event.time_zone)})` })),
  );
}

/**
 * @throws SPEAKER_DOUBLE_BOOKED (409) when one of `speakerIds` is in another confirmed session of
 *   the event on the grid (placed) at an overlapping time; problems are at `speakerIds[i]` (index in `allSpeakerIds`).
 */
export async function assertSpeakersFree(
  trx: Trx,
  event: { id: number; time_zone: string },
  p: Placement,
  speakerIds: readonly number[],
  allSpeakerIds: readonly number[] = speakerIds,
): Promise<void> {
  if (speakerIds.length === 0) return;
  let q = trx
    .selectFrom('session_speakers')
    .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
    .innerJoin('speakers', 'speakers.id', 'session_speakers.speaker_id')
    .select(['speakers.id as speakerId', 'speakers.name', 'sessions.title', 'sessions.starts_at', 'sessions.ends_at'])
    .where('sessions.event_id', '=', event.id)
    .where('session_speakers.speaker_id', 'in', [...speakerIds])
    .where('sessions.status', '=', 'confirmed')
    .where('sessions.placed', '=', 1)
    .where('sessions.starts_at', '<', p.endsAt)
    .where('sessions.ends_at', '>', p.startsAt);
  if (p.id !== null) q = q.where('sessions.id', '!=', p.id);
  const clashes = await q.orderBy('sessions.starts_at').execute();
  if (clashes.length === 0) return;
  throw ProgramErrors.speakerDoubleBooked(
    clashes.map((c) => ({
      path: `speakerIds[${allSpeakerIds.indexOf(c.speakerId)}]`,
      message: `${c.name} is also in "${c.title}" (${span(c.starts_at, c.ends_at, event.time_zone)})`,
    })),
  );
}

/** `base`, or `base-2`, `base-3`… : the first session code not yet used in the event. */
export async function uniqueSessionCode(trx: Trx, eventId: number, base: string): Promise<string> {
  const rows = await trx
    .selectFrom('sessions')
    .select('code')
    .where('event_id', '=', eventId)
    .where((eb) => eb.or([eb('code', '=', base), eb('code', 'like', `${base}-%`)]))
    .execute();
  const used = new Set(rows.map((r) => r.code));
  let code = base;
  for (let n = 2; used.has(code); n++) code = `${base}-${n}`;
  return code;
}

/** Replaces a session's speakers (in order) and links (in order). */
export async function writeSessionPeople(trx: Trx, sessionId: number, speakerIds: readonly number[] | undefined, links: readonly LinkRecord[] | undefined) {
  if (speakerIds) {
    await trx.deleteFrom('session_speakers').where('session_id', '=', sessionId).execute();
    if (speakerIds.length) {
      await trx
        .insertInto('session_speakers')
        .values(speakerIds.map((speaker_id, position) => ({ session_id: sessionId, speaker_id, position })))
        .execute();
    }
  }
  if (links) {
    await trx.deleteFrom('session_links').where('session_id', '=', sessionId).execute();
    if (links.length) {
      await trx
        .insertInto('session_links')
        .values(links.map((l, position) => ({ session_id: sessionId, kind: l.kind, title: l.title, url: l.url, position })))
        .execute();
    }
  }
}

/** `2027-04-15 09:15–10:00` in the event's zone. */
export function span(startsAt: string, endsAt: string, zone: string): string {
  const a = localLabel(startsAt, zone);
  const b = localLabel(endsAt, zone);
  return `${a}–${b.slice(0, 10) === a.slice(0, 10) ? b.slice(11) : b}`;
}
