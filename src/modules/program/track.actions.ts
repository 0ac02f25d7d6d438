import { slugify } from '../../lib/slug.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { EventErrors } from '../events/event.errors.js';
import { assertNameFree, definedOnly, uniqueAs, nextPosition, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { TrackSchema, UpdateTrackSchema } from './program.schemas.js';
import { toTrackRecord, type TrackRecord } from './records.js';
import { withEventWrite } from '../events/event-write.js';
import type { ModuleContext } from '../context.js';

const EDIT_TRACKS = { may: canManageEvent, what: 'edit the tracks of this event' };

/**
 * Adds a track (its slug made from the name) at the end of the event's track list.
 * Side effects, in one transaction: tracks row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), NAME_TAKEN (409).
 */
export async function createTrack(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<TrackRecord> {
  const data = parseInput(TrackSchema, input);
  return uniqueAs(
    () => EventErrors.nameTaken('track', data.name),
    () =>
      withEventWrite(ctx, actor, eventId, EDIT_TRACKS, async ({ trx, audit }) => {
        await assertNameFree(trx, 'tracks', eventId, data.name, null);
        const row = await trx
          .insertInto('tracks')
          .values({ event_id: eventId, ...data, slug: slugify(data.name), position: await nextPosition(trx, 'tracks', eventId) })
          .returningAll()
          .executeTakeFirstOrThrow();
        audit({ action: 'track.created', entityType: 'track', entityId: row.id, summary: `Added track "${row.name}" (${row.color})` });
        return toTrackRecord(row);
      }),
  );
}

/**
 * Changes a track's name (and so its slug), colour or description; absent fields are kept.
 * Side effects, in one transaction: tracks row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: also a track of another event), NAME_TAKEN (409).
 */
export async function updateTrack(ctx: ModuleContext, actor: Actor | null, eventId: number, trackId: number, input: unknown): Promise<TrackRecord> {
  const data = definedOnly(parseInput(UpdateTrackSchema, input));
  return uniqueAs(
    () => EventErrors.nameTaken('track', data.name ?? ''),
    () =>
      withEventWrite(ctx, actor, eventId, EDIT_TRACKS, async ({ trx, audit }) => {
        const before = await findTrack(trx, eventId, trackId);
        if (data.name !== undefined && data.name !== before.name) await assertNameFree(trx, 'tracks', eventId, data.name, trackId);
        const values = data.name === undefined ? data : { ...data, slug: slugify(data.name) };
        const row = Object.keys(values).length
          ? await trx.updateTable('tracks').set(values).where('id', '=', trackId).returningAll().executeTakeFirstOrThrow()
          : before;
        const renamed = row.name !== before.name ? ` (was "${before.name}")` : '';
        audit({ action: 'track.updated', entityType: 'track', entityId: trackId, summary: `Updated track "${row.name}"${renamed}` });
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
export async function deleteTrack(ctx: ModuleContext, actor: Actor | null, eventId: number, trackId: number): Promise<void> {
  await withEventWrite(ctx, actor, eventId, EDIT_TRACKS, async ({ trx, now, audit }) => {
    const track = await findTrack(trx, eventId, trackId);
    const cleared = await trx
      .updateTable('sessions')
      .set((eb) => ({ track_id: null, sequence: eb('sequence', '+', 1), updated_at: now }))
      .where('track_id', '=', trackId)
      .executeTakeFirst();
    await trx.deleteFrom('tracks').where('id', '=', trackId).execute();
    const n = Number(cleared.numUpdatedRows);
    audit({
      action: 'track.deleted',
      entityType: 'track',
      entityId: trackId,
      summary: `Removed track "${track.name}"${n ? `; ${n} session${n === 1 ? ' is' : 's are'} now without a track` : ''}`,
    });
  });
}

async function findTrack(trx: Trx, eventId: number, trackId: number) {
  const row = await trx.selectFrom('tracks').selectAll().where('id', '=', trackId).where('event_id', '=', eventId).executeTakeFirst();
  if (!row) throw EventErrors.notFound('track', trackId);
  return row;
}
