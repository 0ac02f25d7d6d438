import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { getInterestCounts } from '../../modules/agenda/agenda.queries.js';
import { eventOf } from './shared.js';

/**
 *   GET /events/:slug/interest.json   { counts: { <session code>: <stars> } } of a published event
 *                                     that shows interest counts publicly; 404 otherwise
 *
 * Public session and schedule pages are cached per event version, and starring does not bump
 * the version, so they never carry the numbers: when the event shows them, the pages carry empty
 * `data-interest` slots that assets/interest.js fills from here. No cookie is read (organizers
 * see the counts in the back office); the answer is `no-store` because every star changes it.
 * Sessions nobody starred are absent (0).
 */
export async function interestRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/interest.json', { schema: { hide: true } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const interest = await getInterestCounts(ctx.db, null, head.id);
    if (!interest)
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'This event does not show interest counts.', status: 404, problems: [] } });
    const counts: Record<string, number> = {};
    for (const s of snap.sessions) {
      const n = interest.counts.get(s.id);
      if (n) counts[s.code] = n;
    }
    return reply.send({ counts });
  });
}
