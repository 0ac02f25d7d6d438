import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { renderSessionsCalendar } from '../../formats/ical.js';
import { loadCalendarFeed } from '../../modules/agenda/calendar-feed.actions.js';
import { AgendaErrors } from '../../modules/agenda/agenda.errors.js';
import { cachedSnapshots } from './shared.js';

/**
 * Public routes that carry no page:
 *   GET /events/:slug/agenda/:token.ics   a person's calendar feed; no sign-in (calendar apps
 *                                         cannot), the token is the secret; revoked, replaced
 *                                         or unknown tokens are 404. Never stored by caches.
 *   GET /sw.js                            the service worker (offline schedule, session, speaker
 *                                         and my-agenda pages), served from the site root so its
 *                                         scope is the whole site
 */
export async function feedAndWorkerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string; token: string } }>('/events/:slug/agenda/:token.ics', { schema: { hide: true } }, async (request, reply) => {
    reply.header('Cache-Control', 'private, no-store');
    reply.header('Referrer-Policy', 'no-referrer');
    const head = await ctx.snapshots.publishedHead(request.params.slug).catch(() => null);
    if (!head) throw AgendaErrors.notFound('calendar feed');
    const feed = await loadCalendarFeed(ctx.db, request.params.token, cachedSnapshots(ctx, head), ctx.clock);
    if (feed.snapshot.event.id !== head.id) throw AgendaErrors.notFound('calendar feed');
    return reply.type('text/calendar; charset=utf-8').send(renderSessionsCalendar(feed.snapshot, feed.sessions, ctx.config.baseUrl, feed.name));
  });

  const workerFile = new URL('../assets/sw.js', import.meta.url);
  let worker: Promise<string> | undefined;
  app.get('/sw.js', { schema: { hide: true } }, async (_request, reply) => {
    worker ??= readFile(workerFile, 'utf8');
    reply.header('Service-Worker-Allowed', '/');
    reply.header('Cache-Control', 'no-cache');
    return reply.type('text/javascript; charset=utf-8').send(await worker);
  });
}
