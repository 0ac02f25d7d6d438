import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { listCommunities, listEvents, type EventListItem } from '../../modules/schedule/snapshot.queries.js';
import { EventCard, upcomingAndPast } from '../components/event-bits.js';
import { renderMarkdown } from '../components/markdown.js';
import { Page } from '../layouts/page.js';

type CommunityRow = Awaited<ReturnType<typeof listCommunities>>[number];

/**
 * GET / — every community with published events, its upcoming events (soonest first) and past
 * ones (latest first). An event is upcoming until its last day has passed in its own zone.
 */
export async function homeRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const [events, communities] = await Promise.all([listEvents(ctx.db), listCommunities(ctx.db)]);
    const groups = groupByCommunity(communities, events, ctx.clock.now());
    // The page depends on the events' versions, the communities and today's date: all in the tag.
    const digest = createHash('sha1')
      .update(JSON.stringify([groups.map((g) => [g.community.id, g.community.name, g.community.description, g.upcoming.map(key), g.past.map(key)])]))
      .digest('base64url')
      .slice(0, 12);
    const lastModified = events.reduce((m, e) => (e.updatedAt > m ? e.updatedAt : m), '');
    return ctx.responses.send(
      request,
      reply,
      { scope: `home-${digest}`, version: 0, contentType: 'text/html; charset=utf-8', lastModified: lastModified || undefined },
      () => renderHomePage(groups),
    );
  });
}

const key = (e: EventListItem) => `${e.id}:${e.version}`;

export interface CommunityGroup {
  community: CommunityRow;
  upcoming: EventListItem[];
  past: EventListItem[];
}

/** Communities with at least one published event, with their events split at today (each event's zone). */
export function groupByCommunity(communities: readonly CommunityRow[], events: readonly EventListItem[], now: Date): CommunityGroup[] {
  const groups: CommunityGroup[] = [];
  for (const c of communities) {
    const mine = events.filter((e) => e.communitySlug === c.slug);
    if (mine.length === 0) continue;
    groups.push({ community: c, ...upcomingAndPast(mine, now) });
  }
  return groups;
}

export function renderHomePage(groups: readonly CommunityGroup[]): string {
  return Page({
    title: 'Communities and events',
    description: 'Upcoming and past conferences and meetups.',
    children: (
      <>
        <header class="page-head">
          <h1>Communities and events</h1>
          <p class="lede">Conferences and meetups: schedules, speakers and venues.</p>
        </header>
        {groups.length === 0 ? <p class="empty">No events have been published yet.</p> : ''}
        {groups.map((g) => {
          const safeDescription = renderMarkdown(g.community.description);
          return (
            <section class="community" aria-labelledby={`c-${g.community.slug}`}>
              <h2 id={`c-${g.community.slug}`}>
                <a href={`/communities/${encodeURIComponent(g.community.slug)}`} safe>
                  {g.community.name}
                </a>
              </h2>
              {safeDescription ? <div class="prose community-description">{safeDescription}</div> : ''}
              <h3>Upcoming</h3>
              {g.upcoming.length > 0 ? (
                <ul class="event-cards">
                  {g.upcoming.map((e) => (
                    <EventCard event={e} level="h4" />
                  ))}
                </ul>
              ) : (
                <p class="empty">Nothing planned yet.</p>
              )}
              {g.past.length > 0 ? (
                <>
                  <h3>Past</h3>
                  <ul class="event-cards event-cards-past">
                    {g.past.map((e) => (
                      <EventCard event={e} level="h4" />
                    ))}
                  </ul>
                </>
              ) : (
                ''
              )}
            </section>
          );
        })}
      </>
    ),
  });
}
