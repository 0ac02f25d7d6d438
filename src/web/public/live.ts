import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { streamLiveNotices } from '../live-stream.js';

/**
 * GET /events/:slug/live[?release=N] — Server-Sent Events for the public pages of a published
 * event (unpublished and unknown events: 404): `event: release` with {"number","name","changes"}
 * whenever a new version of the programme is released, from any process. Read by assets/live.js
 * on the schedule, session, "now and next" and my-agenda pages; see ../live-stream.ts.
 */
export async function liveRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/live', { schema: { hide: true }, exposeHeadRoute: false }, async (request, reply) => {
    const head = await ctx.snapshots.publishedHead(request.params.slug);
    streamLiveNotices(ctx, request, reply, head.id, 'public');
  });
}
