import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { EventErrors } from '../events/event.errors.js';
import { assertNameFree, definedOnly, uniqueAs, nextPosition, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { ProgramErrors } from './program.errors.js';
import { MoveRoomSchema, RoomSchema, UpdateRoomSchema } from './program.schemas.js';
import { toRoomRecord, type RoomRecord } from './records.js';
import { reorder } from './reorder.queries.js';
import { span } from './session-rules.queries.js';
import { withEventWrite } from '../events/event-write.js';
import type { ModuleContext } from '../context.js';

const EDIT_ROOMS = { may: canManageEvent, what: 'edit the rooms of this event' };

/**
 * Adds a room at the end of the event's room order (rightmost column of the schedule grid).
 * Side effects, in one transaction: rooms row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), NAME_TAKEN (409).
 */
export async function createRoom(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<RoomRecord> {
  const data = parseInput(RoomSchema, input);
  return uniqueAs(
    () => EventErrors.nameTaken('room', data.name),
    () =>
      withEventWrite(ctx, actor, eventId, EDIT_ROOMS, async ({ trx, audit }) => {
        await assertNameFree(trx, 'rooms', eventId, data.name, null);
        const row = await trx
          .insertInto('rooms')
          .values({ event_id: eventId, ...data, position: await nextPosition(trx, 'rooms', eventId) })
          .returningAll()
          .executeTakeFirstOrThrow();
        audit({ action: 'room.created', entityType: 'room', entityId: row.id, summary: `Added room "${row.name}"` });
        return toRoomRecord(row);
      }),
  );
}

/**
 * Changes a room's name, description or capacity (absent fields are kept). A rename bumps the
 * sequence of the room's sessions, whose calendar entries name the room.
 * Side effects, in one transaction: rooms row, sessions' sequence on rename, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: also a room of another event), NAME_TAKEN (409).
 */
export async function updateRoom(ctx: ModuleContext, actor: Actor | null, eventId: number, roomId: number, input: unknown): Promise<RoomRecord> {
  const data = definedOnly(parseInput(UpdateRoomSchema, input));
  return uniqueAs(
    () => EventErrors.nameTaken('room', data.name ?? ''),
    () =>
      withEventWrite(ctx, actor, eventId, EDIT_ROOMS, async ({ trx, now, audit }) => {
        const before = await findRoom(trx, eventId, roomId);
        if (data.name !== undefined && data.name !== before.name) {
          await assertNameFree(trx, 'rooms', eventId, data.name, roomId);
          await trx
            .updateTable('sessions')
            .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: now }))
            .where('room_id', '=', roomId)
            .execute();
        }
        const row = Object.keys(data).length
          ? await trx.updateTable('rooms').set(data).where('id', '=', roomId).returningAll().executeTakeFirstOrThrow()
          : before;
        const renamed = row.name !== before.name ? ` (was "${before.name}")` : '';
        audit({ action: 'room.updated', entityType: 'room', entityId: roomId, summary: `Updated room "${row.name}"${renamed}` });
        return toRoomRecord(row);
      }),
  );
}

/**
 * Removes a room that no confirmed session uses; cancelled sessions in it lose their room.
 * Side effects, in one transaction: rooms row deleted, cancelled sessions' room cleared (sequence bump), event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404), ROOM_IN_USE (409: one problem per confirmed session, naming it and its time).
 */
export async function deleteRoom(ctx: ModuleContext, actor: Actor | null, eventId: number, roomId: number): Promise<void> {
  await withEventWrite(ctx, actor, eventId, EDIT_ROOMS, async ({ trx, event, now, audit }) => {
    const room = await findRoom(trx, eventId, roomId);
    const used = await trx
      .selectFrom('sessions')
      .select(['id', 'code', 'title', 'starts_at', 'ends_at'])
      .where('room_id', '=', roomId)
      .where('status', '=', 'confirmed')
      .orderBy('starts_at')
      .execute();
    if (used.length) {
      throw ProgramErrors.roomInUse(
        room.name,
        used.map((s) => ({ path: 'sessions', message: `"${s.title}" (${s.code}, ${span(s.starts_at, s.ends_at, event.time_zone)})` })),
      );
    }
    await trx
      .updateTable('sessions')
      .set((eb) => ({ room_id: null, sequence: eb('sequence', '+', 1), updated_at: now }))
      .where('room_id', '=', roomId)
      .execute();
    await trx.deleteFrom('rooms').where('id', '=', roomId).execute();
    audit({ action: 'room.deleted', entityType: 'room', entityId: roomId, summary: `Removed room "${room.name}"` });
  });
}

/**
 * Moves a room one step up/down or to a 0-based position in the room order (the schedule grid's
 * column order); positions are renumbered 0…n-1.
 * Side effects, in one transaction: rooms positions, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404).
 * @returns the event's rooms in their new order.
 */
export async function moveRoom(ctx: ModuleContext, actor: Actor | null, eventId: number, roomId: number, input: unknown): Promise<RoomRecord[]> {
  const move = parseInput(MoveRoomSchema, input);
  return withEventWrite(ctx, actor, eventId, EDIT_ROOMS, async ({ trx, audit }) => {
    const room = await findRoom(trx, eventId, roomId);
    const position = await reorder(trx, 'rooms', eventId, roomId, move);
    audit({
      action: 'room.moved',
      entityType: 'room',
      entityId: roomId,
      summary: `Moved room "${room.name}" to position ${position + 1}`,
    });
    const rows = await trx.selectFrom('rooms').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id').execute();
    return rows.map(toRoomRecord);
  });
}

async function findRoom(trx: Trx, eventId: number, roomId: number) {
  const row = await trx.selectFrom('rooms').selectAll().where('id', '=', roomId).where('event_id', '=', eventId).executeTakeFirst();
  if (!row) throw EventErrors.notFound('room', roomId);
  return row;
}
