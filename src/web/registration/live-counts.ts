import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { getSeatCounts } from '../../modules/registration/rsvp.queries.js';

/**
 *   GET /events/:slug/rsvp/counts.json   { capacity, seatsLeft, waitlisted } of a published event
 *
 * The public event page is cached for everyone and never shows seat counts; its script
 * (assets/rsvp-counts.js) reads them here. No cookie is read and nothing personal is sent, but
 * the answer is `no-store`: counts change with every RSVP.
 */
export async function liveCountsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/rsvp/counts.json', async (request, reply) => {
    const head = await ctx.snapshots.publishedHead(request.params.slug);
    const c = await getSeatCounts(ctx.db, head.id);
    return reply.header('Cache-Control', 'no-store').send({ capacity: c.capacity, seatsLeft: c.seatsFree, waitlisted: c.waitlisted });
  });
}
