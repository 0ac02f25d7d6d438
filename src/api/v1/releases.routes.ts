import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../http/context.js';
import type { Placement, ReleaseChange } from '../../modules/schedule/release.js';
import { listReleasesWithChanges, type ReleaseWithChanges } from '../../modules/schedule/release.queries.js';
import type { ProgramSnapshot, Session } from '../../modules/schedule/snapshot.js';
import { sendEventJson } from './respond.js';
import { commonResponses, EventParams, listOf, type ReleaseChangeSchema, ReleaseSchema } from './schemas.js';
import { localIso } from './serializers.js';

/**
 * GET /events/:slug/releases: the public changelog of a published event as JSON (what
 * /events/<slug>/changelog shows), newest first, cached per event version like the other reads.
 */
export async function releaseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = ctx.config.baseUrl;
  app.get<{ Params: { slug: string } }>(
    '/events/:slug/releases',
    {
      schema: {
        tags: ['events'],
        operationId: 'listEventReleases',
        summary: 'Programme releases (changelog)',
        description:
          'Every released version of the programme, newest first, with the organizers’ comment and what changed: sessions new, moved (from → to), moved to another room, cancelled, back on the programme, removed, or with other speakers. Times carry the event’s offset.',
        params: EventParams,
        response: { 200: listOf(ReleaseSchema, 'The releases.'), ...commonResponses },
      },
    },
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => {
        const snap = await ctx.snapshots.snapshot(head);
        const releases = await listReleasesWithChanges(ctx.db, head.id);
        // Sessions of the public programme, by id (the changelog keeps ids; codes and titles are today's).
        const sessions = new Map(snap.sessions.map((s) => [s.id, s]));
        return { data: releases.map((r, i) => toReleaseJson({ snap, sessions, base }, r, i === 0)) };
      });
    },
  );
}

interface Public {
  readonly snap: ProgramSnapshot;
  readonly sessions: ReadonlyMap<number, Session>;
  readonly base: string;
}

function toReleaseJson(p: Public, r: ReleaseWithChanges, current: boolean): z.infer<typeof ReleaseSchema> {
  return { name: r.name, number: r.number, comment: r.comment, releasedAt: r.releasedAt, current, changes: r.changes.map((c) => toChangeJson(p, c)) };
}

function toChangeJson({ snap, sessions, base }: Public, c: ReleaseChange): z.infer<typeof ReleaseChangeSchema> {
  const e = snap.event;
  const now = sessions.get(c.sessionId);
  const place = (p: Placement | undefined) =>
    p ? { room: p.roomName || null, start: localIso(p.startsAt, e.timeZone), end: localIso(p.endsAt, e.timeZone) } : null;
  return {
    kind: c.kind,
    session: {
      code: now?.code ?? c.code,
      title: now?.title ?? c.title,
      url: now ? `${base}/events/${encodeURIComponent(e.slug)}/sessions/${encodeURIComponent(now.code)}` : null,
    },
    from: place(c.from),
    to: place(c.to),
    speakers: c.speakersAfter ? c.speakersAfter.map((id) => snap.speakerById.get(id)?.name ?? 'a speaker no longer listed') : null,
  };
}
