import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { getPublishedRecap, listPublishedRecaps, listPublishedRecapsWithMarkdown } from '../../modules/agenda/recap.queries.js';
import { attrText, paths } from '../components/html.js';
import { formatDayLong } from '../components/time-format.js';
import { Page } from '../layouts/page.js';
import { sendEventHtml } from '../public/respond.js';
import { recapBodyHtml, recapsAtom } from './recap-render.js';
import { attendeePaths, cachedSnapshots, eventOf } from './shared.js';

/**
 * Public routes, cached per event version like every public page (publishing, unpublishing,
 * editing or deleting a published recap bumps the version, see recap.actions.ts, and so does
 * the author changing their name, see privacy/display-name.actions.ts):
 *   GET /events/:slug/recaps               the event's published recaps
 *   GET /events/:slug/recaps/:recapSlug    one recap (Markdown rendered and sanitised; headings
 *                                          carry the ids its table of contents links to)
 *   GET /events/:slug/recaps.atom          Atom 1.0 feed of the published recaps, full content
 */
export async function publicRecapRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/recaps', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const e = snap.event;
    return sendEventHtml(ctx, request, reply, head, async () => {
      const recaps = await listPublishedRecaps(ctx.db, head.id);
      return Page({
        title: `Recaps · ${e.title}`,
        eventNav: { slug: e.slug, title: e.title, current: 'session' },
        children: (
          <>
            <header class="page-head">
              <h1>
                Recaps <span class="page-head-event" safe>{`· ${e.title}`}</span>
              </h1>
              <p>
                What attendees wrote about the event. <a href={attrText(attendeePaths.recapsAtom(e.slug))}>Atom feed</a> ·{' '}
                <a href={attrText(attendeePaths.newRecap(e.slug))}>Write your own recap</a>
              </p>
            </header>
            {recaps.length === 0 ? (
              <p class="empty">No recaps yet.</p>
            ) : (
              <ul class="recap-list">
                {recaps.map((r) => (
                  <li>
                    <h2>
                      <a href={attrText(attendeePaths.recap(e.slug, r.slug ?? ''))} safe>
                        {r.title}
                      </a>
                    </h2>
                    <p class="hint" safe>{`By ${r.authorName}${r.publishedAt ? ` · ${formatDayLong(r.publishedAt.slice(0, 10))}` : ''}`}</p>
                    {r.summary ? <p safe>{r.summary}</p> : ''}
                  </li>
                ))}
              </ul>
            )}
          </>
        ),
      });
    });
  });

  app.get<{ Params: { slug: string; recapSlug: string } }>('/events/:slug/recaps/:recapSlug', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const e = snap.event;
    const { recap, markdown } = await getPublishedRecap(ctx.db, head.id, request.params.recapSlug, cachedSnapshots(ctx, head));
    return sendEventHtml(ctx, request, reply, head, () => {
      const safeBody = recapBodyHtml(recap.title, markdown);
      return Page({
        title: `${recap.title} · ${e.title}`,
        eventNav: { slug: e.slug, title: e.title, current: 'session' },
        children: (
          <article class="recap">
            <header class="page-head">
              <p class="eyebrow">
                <a href={attrText(attendeePaths.recaps(e.slug))}>Recaps</a>
              </p>
              <h1 safe>{recap.title}</h1>
              <p class="hint" safe>{`By ${recap.authorName}${recap.publishedAt ? ` · ${formatDayLong(recap.publishedAt.slice(0, 10))}` : ''}`}</p>
            </header>
            <div class="prose recap-body">{safeBody}</div>
            <p class="back">
              <a href={attrText(paths.schedule(e.slug))}>← Schedule</a> · <a href={attrText(attendeePaths.recaps(e.slug))}>All recaps</a>
            </p>
          </article>
        ),
      });
    });
  });

  app.get<{ Params: { slug: string } }>('/events/:slug/recaps.atom', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const base = ctx.config.baseUrl.replace(/\/$/, '');
    return ctx.responses.send(
      request,
      reply,
      { scope: `e${head.id}-recaps-atom`, version: head.version, contentType: 'application/atom+xml; charset=utf-8', lastModified: head.updatedAt },
      async () =>
        recapsAtom({
          eventTitle: snap.event.title,
          feedUrl: base + attendeePaths.recapsAtom(snap.event.slug),
          listUrl: base + attendeePaths.recaps(snap.event.slug),
          updatedAt: head.updatedAt,
          recaps: await listPublishedRecapsWithMarkdown(ctx.db, head.id, cachedSnapshots(ctx, head)),
          permalink: (slug) => base + attendeePaths.recap(snap.event.slug, slug),
        }),
    );
  });
}
