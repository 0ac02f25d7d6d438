import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import type { RoomRecord } from '../../modules/program/records.js';
import { createRoom, deleteRoom, moveRoom, updateRoom } from '../../modules/program/room.actions.js';
import { ButtonForm, ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { ActionError, bo, boContext, boPage, buttonAction, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Rooms, in the order of the schedule grid's columns (organizers).
 *   GET  /manage/events/:id/rooms                    list + add form
 *   POST /manage/events/:id/rooms                    add
 *   GET  /manage/events/:id/rooms/:roomId            edit form
 *   POST /manage/events/:id/rooms/:roomId            save
 *   POST /manage/events/:id/rooms/:roomId/up|down    move one step
 *   POST /manage/events/:id/rooms/:roomId/delete     delete (ROOM_IN_USE lists the sessions in the way)
 */
export async function roomPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/rooms', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return reply.type('text/html; charset=utf-8').send(renderRooms(c, ed, formState()));
  });

  app.post('/manage/events/:eventId/rooms', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => createRoom(ctx.db, c.actor, ed.event.id, body),
      (room) => ({ to: bo.event(ed.event.id, 'rooms'), notice: `Room "${room.name}" added.` }),
      (state) => renderRooms(c, ed, state),
    );
  });

  app.get('/manage/events/:eventId/rooms/:roomId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const room = findRoom(ed, idParam(request, 'roomId'));
    return reply.type('text/html; charset=utf-8').send(renderRoomForm(c, ed, room, formState()));
  });

  app.post('/manage/events/:eventId/rooms/:roomId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const room = findRoom(ed, idParam(request, 'roomId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateRoom(ctx.db, c.actor, ed.event.id, room.id, body),
      (saved) => ({ to: bo.event(ed.event.id, 'rooms'), notice: `Room "${saved.name}" saved.` }),
      (state) => renderRoomForm(c, ed, room, state),
    );
  });

  for (const direction of ['up', 'down'] as const) {
    app.post(`/manage/events/:eventId/rooms/:roomId/${direction}`, async (request, reply) => {
      const c = boContext(request, reply);
      if (!c) return reply;
      const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
      const room = findRoom(ed, idParam(request, 'roomId'));
      return buttonAction(
        reply,
        () => moveRoom(ctx.db, c.actor, ed.event.id, room.id, { direction }),
        { to: bo.event(ed.event.id, 'rooms'), notice: `Moved "${room.name}" ${direction}.` },
        (error) => renderRooms(c, ed, formState(), error),
      );
    });
  }

  app.post('/manage/events/:eventId/rooms/:roomId/delete', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const room = findRoom(ed, idParam(request, 'roomId'));
    return buttonAction(
      reply,
      () => deleteRoom(ctx.db, c.actor, ed.event.id, room.id),
      { to: bo.event(ed.event.id, 'rooms'), notice: `Room "${room.name}" deleted.` },
      (error) => renderRooms(c, ed, formState(), error),
    );
  });
}

function findRoom(ed: EventForEditing, roomId: number): RoomRecord {
  const room = ed.rooms.find((r) => r.id === roomId);
  if (!room) throw EventErrors.notFound('room', roomId);
  return room;
}

const ROOM_LABELS: Record<string, string> = { name: 'Name', capacity: 'Capacity', description: 'Description' };

function RoomFields(p: { state: FormState; room?: RoomRecord }): JSX.Element {
  return (
    <>
      <TextField name="name" label="Name" state={p.state} fallback={p.room?.name} required />
      <TextField name="capacity" type="number" min="1" label="Capacity" hint="Seats; optional." state={p.state} fallback={p.room?.capacity} />
      <TextField name="description" label="Description" hint="Optional, e.g. floor or directions." state={p.state} fallback={p.room?.description} />
    </>
  );
}

function renderRooms(c: BoContext, ed: EventForEditing, state: FormState, error?: DomainError): string {
  const id = ed.event.id;
  return boPage(c, {
    title: 'Rooms',
    event: { ed, section: 'rooms' },
    children: (
      <>
        <h1>Rooms</h1>
        <p class="lede">The order here is the order of the schedule grid's columns.</p>
        <ActionError error={error} />
        {ed.rooms.length === 0 ? (
          <p>No rooms yet.</p>
        ) : (
          <div class="bo-table-wrap">
            <table class="data-table">
              <caption class="vh">Rooms in grid order</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Room</th>
                  <th scope="col">Capacity</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {ed.rooms.map((r, i) => (
                  <tr>
                    <td safe>{String(i + 1)}</td>
                    <th scope="row">
                      <a href={bo.event(id, `rooms/${r.id}`)} safe>
                        {r.name}
                      </a>
                    </th>
                    <td safe>{r.capacity === null ? '—' : String(r.capacity)}</td>
                    <td class="bo-row-actions">
                      {i > 0 ? <ButtonForm action={bo.event(id, `rooms/${r.id}/up`)} csrf={c.csrf} label={`Move ${r.name} up`} class="secondary" /> : ''}
                      {i < ed.rooms.length - 1 ? <ButtonForm action={bo.event(id, `rooms/${r.id}/down`)} csrf={c.csrf} label={`Move ${r.name} down`} class="secondary" /> : ''}
                      <ButtonForm action={bo.event(id, `rooms/${r.id}/delete`)} csrf={c.csrf} label={`Delete ${r.name}`} class="danger" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <section class="card" aria-labelledby="add-room-h">
          <h2 id="add-room-h">Add a room</h2>
          <ErrorSummary state={state} labels={ROOM_LABELS} />
          <PostForm action={bo.event(id, 'rooms')} csrf={c.csrf}>
            <RoomFields state={state} />
            <button type="submit">Add room</button>
          </PostForm>
        </section>
      </>
    ),
  });
}

function renderRoomForm(c: BoContext, ed: EventForEditing, room: RoomRecord, state: FormState): string {
  return boPage(c, {
    title: `Room ${room.name}`,
    event: { ed, section: 'rooms' },
    children: (
      <>
        <h1 safe>{`Edit room ${room.name}`}</h1>
        <ErrorSummary state={state} labels={ROOM_LABELS} />
        <PostForm action={bo.event(ed.event.id, `rooms/${room.id}`)} csrf={c.csrf}>
          <RoomFields state={state} room={room} />
          <button type="submit">Save room</button> <a href={bo.event(ed.event.id, 'rooms')}>Cancel</a>
        </PostForm>
      </>
    ),
  });
}
