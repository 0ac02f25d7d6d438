import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { RoomRecord } from '../../modules/program/records.js';
import { createRoom, deleteRoom, moveRoom, updateRoom } from '../../modules/program/room.actions.js';
import { TextField, type FormState } from '../components/form.js';
import { itemPages } from './item-pages.js';

/*
 * Rooms, in the order of the schedule grid's columns (organizers): list + add form, edit form,
 * delete (ROOM_IN_USE lists the sessions in the way) and up/down, served by item-pages.tsx under
 * /manage/events/:id/rooms.
 */
export async function roomPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await itemPages<RoomRecord>(app, ctx, {
    section: 'rooms',
    noun: 'room',
    title: 'Rooms',
    lede: <p class="lede">The order here is the order of the schedule grid's columns.</p>,
    empty: 'No rooms yet.',
    caption: 'Rooms in grid order',
    labels: { name: 'Name', capacity: 'Capacity', description: 'Description' },
    items: (ed) => ed.rooms,
    Fields: RoomFields,
    columns: [{ header: 'Capacity', cell: (r) => <td safe>{r.capacity === null ? '—' : String(r.capacity)}</td> }],
    create: createRoom,
    update: updateRoom,
    remove: deleteRoom,
    move: moveRoom,
  });
}

function RoomFields(p: { state: FormState; item?: RoomRecord }): JSX.Element {
  return (
    <>
      <TextField name="name" label="Name" state={p.state} fallback={p.item?.name} required />
      <TextField name="capacity" type="number" min="1" label="Capacity" hint="Seats; optional." state={p.state} fallback={p.item?.capacity} />
      <TextField name="description" label="Description" hint="Optional, e.g. floor or directions." state={p.state} fallback={p.item?.description} />
    </>
  );
}
