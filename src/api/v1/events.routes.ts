import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../http/context.js';
import { toEventDocument } from '../../modules/schedule/event-document.js';
import { listEvents } from '../../modules/schedule/snapshot.queries.js';
import { JSON_TYPE, sendEventJson, serializeOk } from './respond.js';
import {
  DaySchema,
  EventDetailSchema,
  EventDocumentJsonSchema,
  EventParams,
  EventSummarySchema,
  RoomSchema,
  SponsorSchema,
  TrackSchema,
  commonResponses,
  listOf,
  one,
} from './schemas.js';
import { toDaysJson, toEventDetailJson, toEventSummaryJson, toRoomJson, toSponsorJson, toTrackJson } from './serializers.js';

type EventRoute = { Params: { slug: string } };

/** /events, one event, and the event's days, rooms, tracks, sponsors and whole document. */
export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = ctx.config.baseUrl;

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        operationId: 'listEvents',
        summary: 'Published events',
        description: 'Every published event, earliest first.',
        response: { 200: listOf(EventSummarySchema, 'Published events.'), 304: commonResponses[304] },
      },
    },
    async (request, reply) => {
      const rows = await listEvents(ctx.db);
      // Not one event's version: the list is current exactly as long as every listed row is.
      const fingerprint = createHash('sha1').update(JSON.stringify(rows)).digest('base64url').slice(0, 16);
      const lastModified = rows.reduce((m, r) => (r.updatedAt > m ? r.updatedAt : m), '');
      return ctx.responses.send(
        request,
        reply,
        { scope: `api-events-${fingerprint}`, version: 0, contentType: JSON_TYPE, ...(lastModified ? { lastModified } : {}) },
        () => serializeOk(reply, { data: rows.map((r) => toEventSummaryJson(r, base)) }),
      );
    },
  );

  const eventScoped = (operationId: string, summary: string, description: string, ok: z.ZodType) => ({
    schema: { tags: ['events'], operationId, summary, description, params: EventParams, response: { 200: ok, ...commonResponses } },
  });

  app.get<EventRoute>(
    '/events/:slug',
    eventScoped(
      'getEvent',
      'One event',
      'The event (the `event` object of the event document) with its community, counts and links.',
      one(EventDetailSchema, 'The event.'),
    ),
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => ({ data: toEventDetailJson(await ctx.snapshots.snapshot(head), base) }));
    },
  );

  app.get<EventRoute>(
    '/events/:slug/days',
    eventScoped(
      'listDays',
      'Programme days',
      'Every day from the start to the end date, with the span and number of its sessions.',
      listOf(DaySchema, 'Programme days.'),
    ),
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => ({ data: toDaysJson(await ctx.snapshots.snapshot(head)) }));
    },
  );

  app.get<EventRoute>(
    '/events/:slug/rooms',
    eventScoped('listRooms', 'Rooms', 'Rooms in display order.', listOf(RoomSchema, 'Rooms.')),
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => ({ data: (await ctx.snapshots.snapshot(head)).rooms.map(toRoomJson) }));
    },
  );

  app.get<EventRoute>(
    '/events/:slug/tracks',
    eventScoped('listTracks', 'Tracks', 'Tracks in display order.', listOf(TrackSchema, 'Tracks.')),
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => ({ data: (await ctx.snapshots.snapshot(head)).tracks.map(toTrackJson) }));
    },
  );

  app.get<EventRoute>(
    '/events/:slug/sponsors',
    eventScoped('listSponsors', 'Sponsors', 'Sponsors in display order.', listOf(SponsorSchema, 'Sponsors.')),
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => ({ data: (await ctx.snapshots.snapshot(head)).sponsors.map(toSponsorJson) }));
    },
  );

  app.get<EventRoute>(
    '/events/:slug/export',
    eventScoped(
      'exportEvent',
      'Whole-event document',
      'The event document (format hallway-event/1): what `hallway event export` writes and `hallway event import` reads. Not wrapped in `data`.',
      EventDocumentJsonSchema,
    ),
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => toEventDocument(await ctx.snapshots.snapshot(head)));
    },
  );
}
