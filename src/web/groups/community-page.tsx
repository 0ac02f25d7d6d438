import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { loadCommunityPage, type CommunityPageData, type CommunityPageEvent } from '../../modules/events/community-page.queries.js';
import { EventCard, upcomingAndPast } from '../components/event-bits.js';
import { plural } from '../components/html.js';
import { renderMarkdown } from '../components/markdown.js';
import { Page } from '../layouts/page.js';
import { groupPaths } from './paths.js';

/*
 * GET /communities/:slug — a community's (meetup group's) public page: description, organizers,
 * member count, upcoming events (soonest first) and past ones (latest first), and a Join/Leave
 * button. Like the home page it is the same for everyone: its data is read on every request
 * (four indexed reads) and the rendered HTML is cached under a digest of everything it shows
 * (community fields, each event's id and version, the member count, the organizers, today's
 * date in each event's zone), so it is never stale — the member count included — and a
 * changed community or event gives a new ETag. Being cached for everyone it cannot carry a
 * CSRF token or know who is asking: the button is a GET form to the private confirm page
 * (/communities/:slug/membership), which shows the real Join or Leave form.
 */
export async function communityPageRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/communities/:slug', { schema: { hide: true } }, async (request, reply) => {
    const data = await loadCommunityPage(ctx.db, request.params.slug);
    const split = upcomingAndPast(data.events, ctx.clock.now());
    const c = data.community;
    const digest = createHash('sha1')
      .update(JSON.stringify([c, data.memberCount, data.organizers, split.upcoming.map(key), split.past.map(key)]))
      .digest('base64url')
      .slice(0, 12);
    const lastModified = data.events.reduce((m, e) => (e.updatedAt > m ? e.updatedAt : m), '');
    return ctx.responses.send(
      request,
      reply,
      { scope: `community${c.id}-${digest}`, version: 0, contentType: 'text/html; charset=utf-8', lastModified: lastModified || undefined },
      () => renderCommunityPage(data, split),
    );
  });
}

const key = (e: CommunityPageEvent) => `${e.id}:${e.version}`;

/** Upcoming until the event's last day has passed in its own zone. */
function renderCommunityPage(data: CommunityPageData, split: { upcoming: CommunityPageEvent[]; past: CommunityPageEvent[] }): string {
  const c = data.community;
  const safeDescription = renderMarkdown(c.description);
  return Page({
    title: c.name,
    description: `${c.name}: upcoming and past events.`,
    children: (
      <>
        <header class="page-head">
          <h1 safe>{c.name}</h1>
          <p class="lede" safe>
            {`${plural(data.memberCount, 'member')}${data.organizers.length ? ` · organized by ${data.organizers.join(', ')}` : ''}`}
          </p>
          <form method="get" action={groupPaths.membership(c.slug)} class="group-join-form">
            <button type="submit">Join this group</button>
            <span class="hint"> Already a member? The same button lets you leave.</span>
          </form>
        </header>
        {safeDescription ? <div class="prose community-description">{safeDescription}</div> : ''}
        <section aria-labelledby="upcoming">
          <h2 id="upcoming">Upcoming events</h2>
          {split.upcoming.length ? (
            <ul class="event-cards">
              {split.upcoming.map((e) => (
                <EventCard event={e} level="h3" />
              ))}
            </ul>
          ) : (
            <p class="empty">Nothing planned yet.</p>
          )}
        </section>
        <section aria-labelledby="past">
          <h2 id="past">Past events</h2>
          {split.past.length ? (
            <ul class="event-cards event-cards-past">
              {split.past.map((e) => (
                <EventCard event={e} level="h3" />
              ))}
            </ul>
          ) : (
            <p class="empty">No past events yet.</p>
          )}
        </section>
      </>
    ),
  });
}
