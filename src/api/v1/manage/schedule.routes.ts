import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../http/context.js';
import { DomainError } from '../../../lib/domain-error.js';
import { setOpeningHours, setSpeakerAvailability } from '../../../modules/planning/availability.actions.js';
import { createBlocker, deleteBlocker } from '../../../modules/planning/blocker.actions.js';
import { loadEditorState } from '../../../modules/planning/editor.queries.js';
import { applyScheduleMove } from '../../../modules/planning/move.actions.js';
import { staleCurrent } from '../../../modules/planning/planning.errors.js';
import { textParam } from '../schemas.js';
import { one } from '../zod-schema.js';
import { manageRoute } from './route.js';
import {
  AvailabilityBody,
  BlockerBody,
  BlockerRecordSchema,
  EditorStateSchema,
  HoursBody,
  MoveBody,
  MoveConflictSchema,
  MoveOutcomeSchema,
  WindowsRecordSchema,
} from './schedule.schemas.js';

const DayQuery = z.strictObject(
  {
    day: textParam('Programme day YYYY-MM-DD; default the first.')
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2027-04-15' })
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a parameter of this route (day)' : 'must be given once') },
);

/**
 * The schedule editor's draft programme and actions (organizers; track managers for their
 * tracks), the same queries and actions as the editor page at /manage/events/:id/schedule.
 */
export async function scheduleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/schedule',
    params: ['eventId'],
    query: DayQuery,
    operationId: 'getScheduleDraft',
    summary: 'The draft programme of a day, for the schedule editor',
    description:
      'The day’s sessions on the grid, sessions off the grid, accepted proposals without a session, internal blockers and the warnings (speaker in two places or unavailable, outside the event’s or a room’s hours, room blocked or too small for the expected audience, audience conflicts), with the event `version` a move must be based on.',
    ok: { status: 200, schema: one(EditorStateSchema, 'The draft of the day.') },
    errors: [403, 404, 422],
    handler: async (request, _reply, { actor, ids }) => {
      const { day } = request.query as z.output<typeof DayQuery>;
      return { data: await loadEditorState(ctx.db, ctx.planning, actor, ids.eventId!, day) };
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/schedule/moves',
    params: ['eventId'],
    operationId: 'moveScheduleItem',
    summary: 'Place, move, resize or unschedule a session',
    description:
      'One move of the schedule editor, based on the event `version` you last read: a stale one is refused with SCHEDULE_VERSION_STALE (409) and the current state, and nothing is written. `place` takes a session off the grid (`sessionId`) or an accepted proposal (`proposalId`, which becomes a session); `move` changes `roomId` and/or `start`; `resize` changes `durationMinutes`; `unschedule` takes a session off the grid. A busy room is refused (SESSION_ROOM_CONFLICT); a speaker elsewhere at that time is refused (SPEAKER_DOUBLE_BOOKED) unless `force` is true.',
    body: MoveBody,
    ok: { status: 200, schema: one(MoveOutcomeSchema, 'What the move did, and the warnings of the session now.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    errorSchemas: { 409: MoveConflictSchema },
    handler: async (request, reply, { actor, ids }) => {
      try {
        return { data: await applyScheduleMove(ctx, actor, ids.eventId!, request.body) };
      } catch (err) {
        const current = staleCurrent(err);
        if (!current || !(err instanceof DomainError)) throw err;
        return reply.code(409).send({ error: { code: err.code, message: err.message, status: err.status, problems: err.problems }, current });
      }
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/schedule/blockers',
    params: ['eventId'],
    operationId: 'createScheduleBlocker',
    summary: 'Block a room (internal)',
    description: 'Organizers. A room (or every room, `roomId` null) unavailable for a while; shown in the editor only, never public.',
    body: BlockerBody,
    ok: { status: 201, schema: one(BlockerRecordSchema, 'The blocker.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await createBlocker(ctx, actor, ids.eventId!, request.body) }),
  });

  manageRoute(app, {
    method: 'DELETE',
    url: '/events/:eventId/schedule/blockers/:blockerId',
    params: ['eventId', 'blockerId'],
    operationId: 'deleteScheduleBlocker',
    summary: 'Remove a blocker',
    ok: { status: 204 },
    errors: [403, 404],
    handler: async (_request, _reply, { actor, ids }) => deleteBlocker(ctx, actor, ids.eventId!, ids.blockerId!),
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/schedule/hours',
    params: ['eventId'],
    operationId: 'setOpeningHours',
    summary: 'Opening hours of the event or a room',
    description: 'Organizers. Replaces the windows; sessions outside them are warned about in the editor.',
    body: HoursBody,
    ok: { status: 200, schema: one(WindowsRecordSchema, 'The windows as stored.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      await setOpeningHours(ctx, actor, ids.eventId!, request.body);
      return { data: { windows: windowsBack(request.body) } };
    },
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/speakers/:speakerId/availability',
    params: ['eventId', 'speakerId'],
    operationId: 'setSpeakerAvailability',
    summary: 'When a speaker can speak',
    description:
      'Organizers, or a track manager whose tracks hold all the speaker’s sessions. Replaces the windows (a profile linked to an account: the person’s own, which they also state on their proposal); empty: any time.',
    body: AvailabilityBody,
    ok: { status: 200, schema: one(WindowsRecordSchema, 'The windows as stored.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      await setSpeakerAvailability(ctx, actor, ids.eventId!, ids.speakerId!, request.body);
      return { data: { windows: windowsBack(request.body) } };
    },
  });
}

/** The windows of a body the action accepted, as the action read them. */
function windowsBack(body: unknown): Array<{ day: string; from: string; to: string }> {
  const parsed = AvailabilityBody.parse(body ?? {});
  return parsed.windows;
}
