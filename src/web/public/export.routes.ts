import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { sendJsonError, toErrorBody } from '../../http/errors.js';
import { ScheduleErrors } from '../../modules/schedule/schedule.errors.js';
import { EXPORT_FORMATS, ICAL_CONTENT_TYPE } from '../../formats/export-formats.js';
import { renderSessionCalendar } from '../../formats/ical.js';

/**
 * Public schedule exports of published events:
 *   GET /events/:slug/schedule.xml   frab schedule XML
 *   GET /events/:slug/schedule.json  C3VOC schedule JSON
 *   GET /events/:slug/schedule.ics   iCalendar, every session
 *   GET /events/:slug/sessionize.json  the same in Sessionize's "All" JSON shape
 *   GET /events/:slug/sessions/:code.ics  iCalendar, one session
 * Each is rendered once per event version and then served from the response cache, with an ETag
 * naming the version (304 for If-None-Match) and Last-Modified. Unknown or unpublished events
 * are 404 EVENT_NOT_FOUND, unknown sessions 404 SESSION_NOT_FOUND.
 */
export async function exportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The app's handler answers JSON only under /api/; a client asking for schedule.json gets its
  // error as JSON too. Everything else goes on to the app's handler (an HTML error page).
  app.setErrorHandler(async (err, request, reply) => {
    if (request.url.split('?')[0]!.endsWith('.json')) return sendJsonError(reply, toErrorBody(err, request));
    throw err;
  });

  for (const format of EXPORT_FORMATS) {
    app.get<{ Params: { slug: string } }>(`/events/:slug/${format.file}`, { schema: { hide: true } }, async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      if (format.download) reply.header('Content-Disposition', `inline; filename="${head.slug}.${format.extension}"`);
      return ctx.responses.send(
        request,
        reply,
        { scope: `x-e${head.id}`, version: head.version, contentType: format.contentType, lastModified: head.updatedAt },
        // Cached as bytes: a cache hit then sends them without encoding a megabyte of text again.
        async () => Buffer.from(format.render(await ctx.snapshots.snapshot(head), ctx.config.baseUrl)),
      );
    });
  }

  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code.ics', { schema: { hide: true } }, async (request, reply) => {
    const head = await ctx.snapshots.publishedHead(request.params.slug);
    const snap = await ctx.snapshots.snapshot(head);
    const session = snap.sessionByCode.get(request.params.code);
    if (!session) throw ScheduleErrors.sessionNotFound(request.params.code);
    reply.header('Content-Disposition', `inline; filename="${head.slug}-${session.code}.ics"`);
    return ctx.responses.send(
      request,
      reply,
      { scope: `x-e${head.id}`, version: head.version, contentType: ICAL_CONTENT_TYPE, lastModified: head.updatedAt },
      () => renderSessionCalendar(snap, session, ctx.config.baseUrl),
    );
  });
}
