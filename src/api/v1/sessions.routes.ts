import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Problem } from '../../lib/domain-error.js';
import type { SessionKind } from '../../modules/program/session.js';
import { ScheduleErrors } from '../../modules/schedule/schedule.errors.js';
import type { ProgramSnapshot } from '../../modules/schedule/snapshot.js';
import { ApiErrors } from './api.errors.js';
import { sendEventJson } from './respond.js';
import { SessionParams, SessionQuery, EventParams, SessionSchema, commonResponses, listOf, one } from './schemas.js';
import { sessionsJson, toSessionJson, type SessionJson } from './serializers.js';

export interface SessionFilters {
  day?: string;
  room?: string;
  track?: string;
  kind?: SessionKind;
}

/**
 * The predicate for a session list query, or VALIDATION_FAILED naming each parameter that names a
 * day, room or track the event does not have (a typo answers 422, never a silently empty list).
 */
export function sessionFilter(s: ProgramSnapshot, q: SessionFilters): (x: SessionJson) => boolean {
  const problems: Problem[] = [];
  if (q.day !== undefined && !s.days.includes(q.day)) {
    problems.push({ path: 'querystring.day', message: `"${q.day}" is not a day of this event (${s.event.startDate} to ${s.event.endDate})` });
  }
  if (q.room !== undefined && !s.rooms.some((r) => r.name === q.room)) {
    problems.push({ path: 'querystring.room', message: `unknown room "${q.room}"` });
  }
  // The slug the web pages use (?track=platform), or the name the session JSON shows.
  const track = q.track === undefined ? undefined : (s.tracks.find((t) => t.slug === q.track) ?? s.tracks.find((t) => t.name === q.track));
  if (q.track !== undefined && !track) {
    problems.push({
      path: 'querystring.track',
      message: `unknown track "${q.track}" (give its slug or name: ${s.tracks.map((t) => t.slug).join(', ') || 'this event has no tracks'})`,
    });
  }
  if (problems.length > 0) throw ApiErrors.invalid(problems);
  return (x) =>
    (q.day === undefined || x.day === q.day) &&
    (q.room === undefined || x.room === q.room) &&
    (track === undefined || x.track === track.name) &&
    (q.kind === undefined || x.kind === q.kind);
}

/** The session list (with filters) and one session. */
export async function sessionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = ctx.config.baseUrl;

  app.get<{ Params: { slug: string }; Querystring: SessionFilters }>(
    '/events/:slug/sessions',
    {
      schema: {
        tags: ['sessions'],
        operationId: 'listSessions',
        summary: 'Sessions',
        description: 'Sessions by start time, then room order; cancelled sessions are included with status "cancelled". Filters combine with AND.',
        params: EventParams,
        querystring: SessionQuery,
        response: { 200: listOf(SessionSchema, 'Sessions.'), ...commonResponses },
      },
    },
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      const snap = await ctx.snapshots.snapshot(head);
      const keep = sessionFilter(snap, request.query);
      return sendEventJson(ctx, request, reply, head, () => ({ data: sessionsJson(snap, base).filter(keep) }));
    },
  );

  app.get<{ Params: { slug: string; code: string } }>(
    '/events/:slug/sessions/:code',
    {
      schema: {
        tags: ['sessions'],
        operationId: 'getSession',
        summary: 'One session',
        params: SessionParams,
        response: { 200: one(SessionSchema, 'The session.'), ...commonResponses },
      },
    },
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      const snap = await ctx.snapshots.snapshot(head);
      const session = snap.sessionByCode.get(request.params.code);
      if (!session) throw ScheduleErrors.sessionNotFound(request.params.code);
      return sendEventJson(ctx, request, reply, head, () => ({ data: toSessionJson(snap, session, base) }));
    },
  );
}
