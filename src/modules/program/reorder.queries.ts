import type { Trx } from '../events/event-write.queries.js';

/**
 * Moves one row of an event's ordered list (rooms, tracks, sponsors) one step or to a 0-based
 * position (clamped), renumbering the list 0…n-1 in the caller's transaction.
 * Returns the row's new position.
 */
export async function reorder(
  trx: Trx,
  table: 'rooms' | 'tracks' | 'sponsors',
  eventId: number,
  id: number,
  move: { direction?: 'up' | 'down' | undefined; position?: number | null | undefined },
): Promise<number> {
  const rows = await trx.selectFrom(table).select(['id', 'position']).where('event_id', '=', eventId).orderBy('position').orderBy('id').execute();
  const order = rows.map((r) => r.id);
  const from = order.indexOf(id);
  if (from < 0) return -1;
  const wanted = move.direction === 'up' ? from - 1 : move.direction === 'down' ? from + 1 : (move.position ?? from);
  const to = Math.max(0, Math.min(order.length - 1, wanted));
  order.splice(from, 1);
  order.splice(to, 0, id);
  const was = new Map(rows.map((r) => [r.id, r.position]));
  for (const [position, rowId] of order.entries()) {
    if (was.get(rowId) !== position) await trx.updateTable(table).set({ position }).where('id', '=', rowId).execute();
  }
  return to;
}
