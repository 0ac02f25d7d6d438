import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { createCommunity, updateCommunity } from '../../../modules/events/community.actions.js';
import { getCommunityForEditing, listManagedCommunities } from '../../../modules/events/community.queries.js';
import { createEvent, updateEvent } from '../../../modules/events/event.actions.js';
import { publishEvent, unpublishEvent } from '../../../modules/schedule/publication.actions.js';
import { setEventHosts } from '../../../modules/events/host.actions.js';
import { getEventForEditing, listEventsForActor } from '../../../modules/program/backoffice.queries.js';
import { cancelEvent } from '../../../modules/registration/event-cancel.actions.js';
import { registrationContext } from '../../../modules/registration/rsvp.queries.js';
import { manageRoute } from './route.js';
import {
  CancelEventBody,
  CancelledEventSchema,
  CommunityBody,
  CommunityPatchBody,
  CommunityRecordSchema,
  EventCreateBody,
  EventForEditingSchema,
  EventListItemSchema,
  EventPatchBody,
  EventRecordSchema,
  HostRecordSchema,
  HostsBody,
  listOf,
  one,
} from './schemas.js';

const WRITE_ERRORS = [400, 403, 404, 409, 413, 415, 422] as const;

/** Communities the token's owner runs: list, create, read, change. */
export async function communityRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  manageRoute(app, {
    method: 'GET',
    url: '/communities',
    operationId: 'listManagedCommunities',
    summary: 'Communities you run',
    description: 'Communities in which the token’s owner is an owner or organizer (all for administrators), by name.',
    ok: { status: 200, schema: listOf(CommunityRecordSchema, 'The communities.') },
    errors: [],
    handler: async (_request, _reply, { actor }) => ({ data: await listManagedCommunities(db, actor) }),
  });

  manageRoute(app, {
    method: 'GET',
    url: '/communities/:communityId',
    params: ['communityId'],
    operationId: 'getManagedCommunity',
    summary: 'One community',
    description: 'Owners and organizers of the community.',
    ok: { status: 200, schema: one(CommunityRecordSchema, 'The community.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: await getCommunityForEditing(db, actor, ids.communityId!) }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/communities',
    operationId: 'createCommunity',
    summary: 'Create a community',
    description: 'Creates a community; the token’s owner becomes its owner and may then create events in it.',
    body: CommunityBody,
    ok: { status: 201, schema: one(CommunityRecordSchema, 'The new community.') },
    errors: [400, 403, 409, 413, 415, 422],
    handler: async (request, reply, { actor }) => {
      const community = await createCommunity(ctx, actor, request.body, ctx.config);
      reply.header('Location', `/api/v1/manage/communities/${community.id}`);
      return { data: community };
    },
  });

  manageRoute(app, {
    method: 'PATCH',
    url: '/communities/:communityId',
    params: ['communityId'],
    operationId: 'updateCommunity',
    summary: 'Change a community',
    description: 'Owners and organizers of the community.',
    body: CommunityPatchBody,
    ok: { status: 200, schema: one(CommunityRecordSchema, 'The community as changed.') },
    errors: WRITE_ERRORS,
    handler: async (request, _reply, { actor, ids }) => ({ data: await updateCommunity(ctx, actor, ids.communityId!, request.body) }),
  });
}

/** Events: list, create, read, change, publish/unpublish, cancel, hosts. */
export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  const rctx = await registrationContext(db, ctx.config, ctx.clock);
  manageRoute(app, {
    method: 'GET',
    url: '/events',
    operationId: 'listManagedEvents',
    summary: 'Events you can manage',
    description: 'Events whose back office the token’s owner may open (organizers and track managers), drafts included, latest first.',
    ok: { status: 200, schema: listOf(EventListItemSchema, 'The events.') },
    errors: [],
    handler: async (_request, _reply, { actor }) => ({ data: await listEventsForActor(db, actor) }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events',
    operationId: 'createEvent',
    summary: 'Create an event',
    description: 'Creates a draft event in a community the token’s owner organises. Publish it with …/publish.',
    body: EventCreateBody,
    ok: { status: 201, schema: one(EventRecordSchema, 'The new event (a draft).') },
    errors: WRITE_ERRORS,
    handler: async (request, reply, { actor }) => {
      const event = await createEvent(ctx, actor, request.body);
      reply.header('Location', `/api/v1/manage/events/${event.id}`);
      return { data: event };
    },
  });

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId',
    params: ['eventId'],
    operationId: 'getManagedEvent',
    summary: 'One event, for editing',
    description:
      'The event (drafts too) with its community, days, hosts, rooms, tracks, sponsors and what the token’s owner may change. Organizers and track managers.',
    ok: { status: 200, schema: one(EventForEditingSchema, 'The event for editing.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => {
      const e = await getEventForEditing(db, actor, ids.eventId!);
      return {
        data: {
          event: e.event,
          community: e.community,
          days: e.days,
          hosts: e.hosts,
          rooms: e.rooms,
          tracks: e.tracks,
          sponsors: e.sponsors,
          permissions: e.permissions,
        },
      };
    },
  });

  manageRoute(app, {
    method: 'PATCH',
    url: '/events/:eventId',
    params: ['eventId'],
    operationId: 'updateEvent',
    summary: 'Change an event',
    description: 'Organizers. Absent fields are kept; when timeZone changes, sessions keep their local wall-clock times.',
    body: EventPatchBody,
    ok: { status: 200, schema: one(EventRecordSchema, 'The event as changed.') },
    errors: WRITE_ERRORS,
    handler: async (request, _reply, { actor, ids }) => ({ data: await updateEvent(ctx, actor, ids.eventId!, request.body) }),
  });

  for (const [name, action] of [
    ['publish', publishEvent],
    ['unpublish', unpublishEvent],
  ] as const) {
    manageRoute(app, {
      method: 'POST',
      url: `/events/:eventId/${name}`,
      params: ['eventId'],
      operationId: `${name}Event`,
      summary: name === 'publish' ? 'Publish an event' : 'Unpublish an event',
      description:
        name === 'publish'
          ? 'Organizers. The draft appears on public pages, in the public API and in exports. EVENT_TRANSITION_INVALID (409) when already published.'
          : 'Organizers. The event goes back to draft and disappears from public pages and the public API. EVENT_TRANSITION_INVALID (409) when a draft.',
      ok: { status: 200, schema: one(EventRecordSchema, 'The event.') },
      errors: [400, 403, 404, 409],
      handler: async (_request, _reply, { actor, ids }) => ({ data: await action(ctx, actor, ids.eventId!) }),
    });
  }

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/cancel',
    params: ['eventId'],
    operationId: 'cancelEvent',
    summary: 'Cancel an event',
    description:
      'Organizers. Final: the public pages and API show the event as cancelled with the reason, RSVPs and sign-ups are refused (EVENT_CANCELLED), reminders stop, and everyone going or waitlisted gets one e-mail. A second call answers EVENT_ALREADY_CANCELLED (409) and mails nobody; a missing or blank reason VALIDATION_FAILED (422, path `reason`).',
    body: CancelEventBody,
    ok: { status: 200, schema: one(CancelledEventSchema, 'The cancelled event and how many people were mailed.') },
    errors: WRITE_ERRORS,
    handler: async (request, _reply, { actor, ids }) => ({ data: await cancelEvent(db, rctx, actor, ids.eventId!, request.body) }),
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/hosts',
    params: ['eventId'],
    operationId: 'setEventHosts',
    summary: 'Replace the hosts',
    description: 'Organizers. The whole ordered list of hosts shown on the event page.',
    body: HostsBody,
    ok: { status: 200, schema: listOf(HostRecordSchema, 'The hosts.') },
    errors: WRITE_ERRORS,
    handler: async (request, _reply, { actor, ids }) => ({ data: await setEventHosts(ctx, actor, ids.eventId!, request.body) }),
  });
}
