import type { Db } from '../../db/database.js';
import { slugify } from '../../lib/slug.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import {
  assertNameFree,
  auditEventChange,
  definedOnly,
  ensureAllowed,
  lockEventForWrite,
  uniqueAs,
  nextPosition,
  nowInstant,
  scopeOf,
  type Trx,
} from '../events/event-write.queries.js';
import { parseInput } from '../events/fields.schemas.js';
import { TrackSchema, UpdateTrackSchema } from './program.schemas.js';
import { toTrackRecord, type TrackRecord } from './records.js';

/**
 * Adds a track (its slug made from the name) at the end of the event's track list.
 * Side effects, in one transaction: tracks row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), NAME_TAKEN (409).
 */
export async function createTrack(db: Db, actor: Actor | null, eventId: number, input: unknown): Promise<TrackRecord> {
  const data = parseInput(TrackSchema, input);
  return uniqueAs(() => EventErrors.nameTaken('track', data.name), () =>
    db.transaction().execute(async (trx) => {
      const event = await open(trx, actor, eventId);
      await assertNameFree(trx, 'tracks', eventId, data.name, null);
      const row = await trx
        .insertInto('tracks')
        .values({ event_id: eventId, ...data, slug: slugify(data.name), position: await nextPosition(trx, 'tracks', eventId) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await auditEventChange(trx, actor, event, { action: 'track.created', entityType: 'track', entityId: row.id, summary: `Added track "${row.name}" (${row.color})` });
      return toTrackRecord(row);
    }),
  );
}

/**
 * Changes a track's name (and so its slug), colour or description; absent fields are kept.
 * Side effects, in one transaction: tracks row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: also a track of another event), NAME_TAKEN (409).
 */
export async function updateTrack(db: Db, actor: Actor | null, eventId: number, trackId: number, input: unknown): Promise<TrackRecord> {
  const data = definedOnly(parseInput(UpdateTrackSchema, input));
  return uniqueAs(() => EventErrors.nameTaken('track', data.name ?? ''), () =>
    db.transaction().execute(async (trx) => {
      const event = await open(trx, actor, eventId);
      const before = await findTrack(trx, eventId, trackId);
      if (data.name !== undefined && data.name !== before.name) await assertNameFree(trx, 'tracks', eventId, data.name, trackId);
      const values = data.name === undefined ? data : { ...data, slug: slugify(data.name) };
      const row = Object.keys(values).length ? await trx.updateTable('tracks').set(values).where('id', '=', trackId).returningAll().executeTakeFirstOrThrow() : before;
      const renamed = row.name !== before.name ? ` (was "${before.name}")` : '';
      await auditEventChange(trx, actor, event, { action: 'track.updated', entityType: 'track', entityId: trackId, summary: `Updated track "${row.name}"${renamed}` });
      return toTrackRecord(row);
    }),
  );
}

/**
 * Removes a track; its sessions stay, without a track (their sequence is bumped). Track managers
 * of that track can no longer edit those sessions.
 * Side effects, in one transaction: tracks row deleted, sessions' track cleared, event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export async function deleteTrack(db: Db, actor: Actor | null, eventId: number, trackId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const event = await open(trx, actor, eventId);
    const track = await findTrack(trx, eventId, trackId);
    const cleared = await trx
      .updateTable('sessions')
      .set((eb) => ({ track_id: null, sequence: eb('sequence', '+', 1), updated_at: nowInstant() }))
      .where('track_id', '=', trackId)
      .executeTakeFirst();
    await trx.deleteFrom('tracks').where('id', '=', trackId).execute();
    const n = Number(cleared.numUpdatedRows);
    await auditEventChange(trx, actor, event, {
      action: 'track.deleted',
      entityType: 'track',
      entityId: trackId,
      summary: `Removed track "${track.name}"${n ? `; ${n} session${n === 1 ? ' is' : 's are'} now without a track` : ''}`,
    });
  });
}

async function open(trx: Trx, actor: Actor | null, eventId: number): Promise<EventRow> {
  const event = await lockEventForWrite(trx, eventId);
  ensureAllowed(canManageEvent(actor, scopeOf(event)), 'edit the tracks of this event');
  return event;
}

async function findTrack(trx: Trx, eventId: number, trackId: number) {
  const row = await trx.selectFrom('tracks').selectAll().where('id', '=', trackId).where('event_id', '=', eventId).executeTakeFirst();
  if (!row) throw EventErrors.notFound('track', trackId);
  return row;
}
