import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../../http/context.js';
import type { Actor } from '../../../modules/accounts/actor.js';
import { createSponsor, deleteSponsor, updateSponsor } from '../../../modules/events/sponsor.actions.js';
import { createRoom, deleteRoom, updateRoom } from '../../../modules/program/room.actions.js';
import { createTrack, deleteTrack, updateTrack } from '../../../modules/program/track.actions.js';
import { manageRoute } from './route.js';
import type { ModuleContext } from '../../../modules/context.js';
import {
  one,
  RoomBody,
  RoomPatchBody,
  RoomRecordSchema,
  SponsorBody,
  SponsorPatchBody,
  SponsorRecordSchema,
  TrackBody,
  TrackPatchBody,
  TrackRecordSchema,
} from './schemas.js';

type Schema = z.ZodType;

interface Resource<R extends { id: number }> {
  /** URL segment and operationId noun: rooms/Room. */
  readonly plural: string;
  readonly noun: string;
  readonly idParam: string;
  readonly record: Schema;
  readonly body: Schema;
  readonly patchBody: Schema;
  readonly deleteNote: string;
  create(ctx: ModuleContext, actor: Actor, eventId: number, input: unknown): Promise<R>;
  update(ctx: ModuleContext, actor: Actor, eventId: number, id: number, input: unknown): Promise<R>;
  remove(ctx: ModuleContext, actor: Actor, eventId: number, id: number): Promise<void>;
}

/** Rooms, tracks and sponsors: organizers add (201), change and delete (204) them. */
export async function programRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  resource(app, ctx, {
    plural: 'rooms',
    noun: 'Room',
    idParam: 'roomId',
    record: RoomRecordSchema,
    body: RoomBody,
    patchBody: RoomPatchBody,
    deleteNote: 'ROOM_IN_USE (409) while confirmed sessions are in it; cancelled ones lose their room.',
    create: createRoom,
    update: updateRoom,
    remove: deleteRoom,
  });
  resource(app, ctx, {
    plural: 'tracks',
    noun: 'Track',
    idParam: 'trackId',
    record: TrackRecordSchema,
    body: TrackBody,
    patchBody: TrackPatchBody,
    deleteNote: 'Its sessions stay, without a track.',
    create: createTrack,
    update: updateTrack,
    remove: deleteTrack,
  });
  resource(app, ctx, {
    plural: 'sponsors',
    noun: 'Sponsor',
    idParam: 'sponsorId',
    record: SponsorRecordSchema,
    body: SponsorBody,
    patchBody: SponsorPatchBody,
    deleteNote: 'Sessions it sponsored stay, without a sponsor.',
    create: createSponsor,
    update: updateSponsor,
    remove: deleteSponsor,
  });
}

function resource<R extends { id: number }>(app: FastifyInstance, ctx: ModuleContext, r: Resource<R>): void {
  const lower = r.noun.toLowerCase();
  manageRoute(app, {
    method: 'POST',
    url: `/events/:eventId/${r.plural}`,
    params: ['eventId'],
    operationId: `create${r.noun}`,
    summary: `Add a ${lower}`,
    description: `Organizers. Added at the end of the list; NAME_TAKEN (409) when the event has a ${lower} of that name.`,
    body: r.body,
    ok: { status: 201, schema: one(r.record, `The new ${lower}.`) },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, reply, { actor, ids }) => {
      const created = await r.create(ctx, actor, ids.eventId!, request.body);
      reply.header('Location', `/api/v1/manage/events/${ids.eventId}/${r.plural}/${created.id}`);
      return { data: created };
    },
  });
  manageRoute(app, {
    method: 'PATCH',
    url: `/events/:eventId/${r.plural}/:${r.idParam}`,
    params: ['eventId', r.idParam],
    operationId: `update${r.noun}`,
    summary: `Change a ${lower}`,
    description: 'Organizers. Absent fields are kept.',
    body: r.patchBody,
    ok: { status: 200, schema: one(r.record, `The ${lower} as changed.`) },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await r.update(ctx, actor, ids.eventId!, ids[r.idParam]!, request.body) }),
  });
  manageRoute(app, {
    method: 'DELETE',
    url: `/events/:eventId/${r.plural}/:${r.idParam}`,
    params: ['eventId', r.idParam],
    operationId: `delete${r.noun}`,
    summary: `Delete a ${lower}`,
    description: `Organizers. ${r.deleteNote}`,
    ok: { status: 204 },
    errors: [400, 403, 404, 409],
    handler: async (_request, _reply, { actor, ids }) => r.remove(ctx, actor, ids.eventId!, ids[r.idParam]!),
  });
}
