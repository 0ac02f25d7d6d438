import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { listSessionsForEditing } from '../../../modules/program/backoffice.queries.js';
import { cancelSession, deleteSession, restoreSession } from '../../../modules/program/session-state.actions.js';
import { createSession, updateSession } from '../../../modules/program/session.actions.js';
import { manageRoute } from './route.js';
import { SessionFilterSchema } from '../../../modules/program/session.schemas.js';
import { listOf, one, SessionBody, SessionPatchBody, SessionRecordSchema } from './schemas.js';

/** Sessions: list (drafts and cancelled included), add, change, cancel/restore, delete. */
export async function sessionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/sessions',
    params: ['eventId'],
    query: SessionFilterSchema,
    operationId: 'listManagedSessions',
    summary: 'Sessions, for editing',
    description: 'The sessions the token’s owner may edit, cancelled ones included, by start: all for organizers, those of their tracks for track managers.',
    ok: { status: 200, schema: listOf(SessionRecordSchema, 'The sessions.') },
    errors: [400, 403, 404, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await listSessionsForEditing(db, actor, ids.eventId!, request.query ?? {}) }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/sessions',
    params: ['eventId'],
    operationId: 'createSession',
    summary: 'Add a session',
    description:
      'Organizers; track managers only in one of their tracks. Refused with SESSION_ROOM_CONFLICT or SPEAKER_DOUBLE_BOOKED (409) for an overlap, SESSION_OUTSIDE_DATES (422) outside the event’s days.',
    body: SessionBody,
    ok: { status: 201, schema: one(SessionRecordSchema, 'The new session.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, reply, { actor, ids }) => {
      const session = await createSession(ctx, actor, ids.eventId!, request.body);
      reply.header('Location', `/api/v1/manage/events/${ids.eventId}/sessions/${session.id}`);
      return { data: session };
    },
  });

  manageRoute(app, {
    method: 'PATCH',
    url: '/events/:eventId/sessions/:sessionId',
    params: ['eventId', 'sessionId'],
    operationId: 'updateSession',
    summary: 'Change a session',
    description:
      'As for adding; a track manager must keep the session in one of their tracks. Absent fields are kept; speakerIds and links replace the whole list.',
    body: SessionPatchBody,
    ok: { status: 200, schema: one(SessionRecordSchema, 'The session as changed.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await updateSession(ctx, actor, ids.eventId!, ids.sessionId!, request.body) }),
  });

  for (const [name, action] of [
    ['cancel', cancelSession],
    ['restore', restoreSession],
  ] as const) {
    manageRoute(app, {
      method: 'POST',
      url: `/events/:eventId/sessions/:sessionId/${name}`,
      params: ['eventId', 'sessionId'],
      operationId: `${name}Session`,
      summary: name === 'cancel' ? 'Cancel a session' : 'Restore a cancelled session',
      description:
        name === 'cancel'
          ? 'It stays on the programme, shown as cancelled, and frees its room and speakers. SESSION_TRANSITION_INVALID (409) when already cancelled.'
          : 'If its room and speakers are still free (else SESSION_ROOM_CONFLICT / SPEAKER_DOUBLE_BOOKED, 409). SESSION_TRANSITION_INVALID (409) when not cancelled.',
      ok: { status: 200, schema: one(SessionRecordSchema, 'The session.') },
      errors: [400, 403, 404, 409],
      handler: async (_request, _reply, { actor, ids }) => ({ data: await action(ctx, actor, ids.eventId!, ids.sessionId!) }),
    });
  }

  manageRoute(app, {
    method: 'DELETE',
    url: '/events/:eventId/sessions/:sessionId',
    params: ['eventId', 'sessionId'],
    operationId: 'deleteSession',
    summary: 'Delete a session',
    description: 'For mistakes: a session people may have seen should be cancelled instead, so calendars learn of it.',
    ok: { status: 204 },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => deleteSession(ctx, actor, ids.eventId!, ids.sessionId!),
  });
}
