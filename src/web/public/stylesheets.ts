import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { eventThemeCss, GRID_CSS, GRID_CSS_ETAG } from '../components/stylesheets.js';
import { loadPublishedEvent } from './respond.js';

/**
 * The generated stylesheets that stand in for inline styles under the CSP:
 * GET /assets/grid.css (placement classes, the same for every event, built once at startup) and
 * GET /events/:slug/theme.css (the event's track colours, cached by event version).
 */
export async function stylesheetRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/assets/grid.css', { schema: { hide: true } }, async (request, reply) => {
    reply.header('ETag', GRID_CSS_ETAG).header('Cache-Control', 'public, max-age=604800').type('text/css; charset=utf-8');
    const inm = request.headers['if-none-match'];
    if (inm?.split(',').some((t) => t.trim().replace(/^W\//, '') === GRID_CSS_ETAG)) return reply.code(304).send();
    return reply.send(GRID_CSS);
  });
  app.get<{ Params: { slug: string } }>('/events/:slug/theme.css', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    return ctx.responses.send(
      request,
      reply,
      { scope: `e${head.id}`, version: head.version, contentType: 'text/css; charset=utf-8', lastModified: head.updatedAt },
      () => eventThemeCss(snap),
    );
  });
}
