import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { getCfpSettings } from '../../modules/cfp/cfp.queries.js';
import { findInterestPoll } from '../../modules/interest/interest.queries.js';
import { HOST_ROLE_LABELS, SPONSOR_LEVELS, type HostRole } from '../../modules/events/event.js';
import type { ProgramSnapshot, Sponsor } from '../../modules/schedule/snapshot.js';
import { CancelledNotice, EventDates, EventKindBadge, ZoneNote } from '../components/event-bits.js';
import { paths, plural, safeUrl } from '../components/html.js';
import { renderMarkdown } from '../components/markdown.js';
import { isCancelled, isService } from '../components/session-bits.js';
import { Page } from '../layouts/page.js';
import { loadPublishedEvent, sendEventHtml } from './respond.js';

/** GET /events/:slug — what, when, where, who: the event's front page. */
export async function eventRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    // Setting up or removing a call bumps the event's version, so a cached page shows its link exactly while one exists.
    // The interest poll likewise (its settings bump the version); a closing time that passes leaves the
    // link until the next change, and the poll page then says it is closed.
    return sendEventHtml(ctx, request, reply, head, async () => {
      const poll = await findInterestPoll(ctx.db, head.id);
      const pollOpen = poll?.status === 'open' && (poll.closesAt === null || poll.closesAt > ctx.clock.instant());
      return renderEventPage(snap, { hasCfp: (await getCfpSettings(ctx.db, head.id)) !== null, pollOpen });
    });
  });
}

/** Counts shown on the event page: talks and the like (no breaks, nothing cancelled), speakers who speak, rooms. */
export function eventCounts(snap: ProgramSnapshot): { sessions: number; speakers: number; rooms: number } {
  let sessions = 0;
  for (const s of snap.sessions) if (!isService(s) && !isCancelled(s)) sessions++;
  const speakers = snap.speakers.filter((sp) => (snap.sessionsBySpeaker.get(sp.id)?.length ?? 0) > 0).length;
  return { sessions, speakers, rooms: snap.rooms.length };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function renderEventPage(snap: ProgramSnapshot, extras: { hasCfp?: boolean; pollOpen?: boolean } = {}): string {
  const e = snap.event;
  const counts = eventCounts(snap);
  const safeDescription = renderMarkdown(e.description);
  const venueUrl = safeUrl(e.venue.url);
  const mapQuery = [e.venue.name, e.venue.address].filter(Boolean).join(', ');
  const sponsorsByLevel = new Map<string, Sponsor[]>();
  for (const s of snap.sponsors) sponsorsByLevel.set(s.level, [...(sponsorsByLevel.get(s.level) ?? []), s]);
  const levels = [...SPONSOR_LEVELS, ...[...sponsorsByLevel.keys()].filter((l) => !(SPONSOR_LEVELS as readonly string[]).includes(l))];

  return Page({
    title: e.title,
    description: `${e.title}: ${e.venue.name}`,
    eventNav: { slug: e.slug, title: e.title, current: 'event' },
    scripts: ['/assets/rsvp-counts.js'],
    children: (
      <>
        <header class="event-hero">
          <p class="eyebrow">
            <EventKindBadge kind={e.kind} /> <span safe>{snap.community.name}</span>
          </p>
          <h1 safe>{e.title}</h1>
          <p class="event-when">
            <EventDates startDate={e.startDate} endDate={e.endDate} />
          </p>
          <ZoneNote zone={e.timeZone} date={e.startDate} />
          <CancelledNotice event={e} reason />
          {e.cancelledAt ? '' : <p class="rsvp-live" data-counts={`${paths.event(e.slug)}/rsvp/counts.json`} aria-live="polite" hidden></p>}
          <div class="event-actions">
            {e.cancelledAt ? (
              ''
            ) : (
              <a class="button" href={`${paths.event(e.slug)}/rsvp`}>
                {e.kind === 'meetup' ? 'RSVP' : 'Register'}
              </a>
            )}
            <a class="button" href={paths.schedule(e.slug)}>
              {e.kind === 'meetup' ? 'See the agenda' : 'See the schedule'}
            </a>
            <a class="button button-secondary" href={paths.speakers(e.slug)}>
              Speakers
            </a>
            {extras.pollOpen && !e.cancelledAt ? (
              <a class="button button-secondary" href={paths.interestPoll(e.slug)}>
                What do you want to see?
              </a>
            ) : (
              ''
            )}
            {extras.hasCfp && !e.cancelledAt ? (
              <a class="button button-secondary" href={`${paths.event(e.slug)}/cfp`}>
                Call for proposals
              </a>
            ) : (
              ''
            )}
          </div>
        </header>

        <dl class="stats">
          <div>
            <dt>Sessions</dt>
            <dd safe>{plural(counts.sessions, 'session')}</dd>
          </div>
          <div>
            <dt>Speakers</dt>
            <dd safe>{plural(counts.speakers, 'speaker')}</dd>
          </div>
          <div>
            <dt>Rooms</dt>
            <dd safe>{plural(counts.rooms, 'room')}</dd>
          </div>
          {e.capacity !== null ? (
            <div>
              <dt>Capacity</dt>
              <dd safe>{plural(e.capacity, 'seat')}</dd>
            </div>
          ) : (
            ''
          )}
        </dl>

        <div class="event-columns">
          <div class="event-main">
            {safeDescription ? (
              <section class="prose" aria-labelledby="about">
                <h2 id="about">About</h2>
                {safeDescription}
              </section>
            ) : (
              ''
            )}
            {snap.sponsors.length > 0 ? (
              <section aria-labelledby="sponsors">
                <h2 id="sponsors">Sponsors</h2>
                {levels
                  .filter((l) => sponsorsByLevel.has(l))
                  .map((level) => (
                    <section class="sponsor-level">
                      <h3 safe>{capitalise(level)}</h3>
                      <ul class="sponsor-list">
                        {sponsorsByLevel.get(level)!.map((s) => {
                          const url = safeUrl(s.url);
                          return (
                            <li class="sponsor">
                              {url ? (
                                <a href={url} rel="noopener" class="sponsor-name" safe>
                                  {s.name}
                                </a>
                              ) : (
                                <span class="sponsor-name" safe>
                                  {s.name}
                                </span>
                              )}
                              {s.contribution ? (
                                <span class="sponsor-contribution" safe>
                                  {s.contribution}
                                </span>
                              ) : (
                                ''
                              )}
                            </li>
                          );
                        })}
                      </ul>
                    </section>
                  ))}
              </section>
            ) : (
              ''
            )}
          </div>

          <aside class="event-side" aria-label="Practical information">
            <section class="card" aria-labelledby="venue">
              <h2 id="venue">Venue</h2>
              {e.venue.name ? (
                <p class="venue-name" safe>
                  {e.venue.name}
                </p>
              ) : (
                <p>To be announced</p>
              )}
              {e.venue.address ? (
                <address class="venue-address" safe>
                  {e.venue.address}
                </address>
              ) : (
                ''
              )}
              <p class="venue-links">
                {venueUrl ? (
                  <a href={venueUrl} rel="noopener">
                    Venue website
                  </a>
                ) : (
                  ''
                )}
                {venueUrl && mapQuery ? ' · ' : ''}
                {mapQuery ? (
                  <a href={`https://www.openstreetmap.org/search?query=${encodeURIComponent(mapQuery)}`} rel="noopener">
                    Map
                  </a>
                ) : (
                  ''
                )}
              </p>
            </section>
            {e.hosts.length > 0 ? (
              <section class="card" aria-labelledby="hosts">
                <h2 id="hosts">Organised by</h2>
                <ul class="host-list">
                  {e.hosts.map((h) => {
                    const url = safeUrl(h.url);
                    const role = (HOST_ROLE_LABELS as Record<string, string | undefined>)[h.role as HostRole] ?? h.role;
                    return (
                      <li>
                        {url ? (
                          <a href={url} rel="noopener" safe>
                            {h.name}
                          </a>
                        ) : (
                          <span safe>{h.name}</span>
                        )}{' '}
                        <span class="host-role" safe>
                          {role}
                        </span>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ) : (
              ''
            )}
            <section class="card" aria-labelledby="links">
              <h2 id="links">Good to know</h2>
              <ul class="link-list">
                {safeUrl(e.codeOfConductUrl) ? (
                  <li>
                    <a href={safeUrl(e.codeOfConductUrl)!} rel="noopener">
                      Code of conduct
                    </a>
                  </li>
                ) : (
                  ''
                )}
                {safeUrl(e.url) ? (
                  <li>
                    <a href={safeUrl(e.url)!} rel="noopener">
                      Event website
                    </a>
                  </li>
                ) : (
                  ''
                )}
                <li>
                  <a href={paths.schedule(e.slug)}>{e.kind === 'meetup' ? 'Agenda' : 'Schedule'}</a>
                </li>
                <li>
                  <a href={paths.speakers(e.slug)}>Speakers</a>
                </li>
              </ul>
            </section>
          </aside>
        </div>
      </>
    ),
  });
}
