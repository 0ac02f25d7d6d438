import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { ScheduleErrors } from '../../modules/schedule/schedule.errors.js';
import type { ProgramSnapshot, Session, Speaker } from '../../modules/schedule/snapshot.js';
import { paths, safeUrl } from '../components/html.js';
import { renderMarkdown } from '../components/markdown.js';
import { isCancelled, isService, kindClass, kindLabel } from '../components/session-bits.js';
import { SpeakerCard } from '../components/speaker-card.js';
import { trackClass } from '../components/stylesheets.js';
import { formatDayLong, formatSessionWhen, LocalClock } from '../components/time-format.js';
import { Page, type LiveMark } from '../layouts/page.js';
import { liveMarkOf, loadPublishedEvent, sendEventHtml } from './respond.js';
import { listRecapsMentioningSession, type RecapListItem } from '../../modules/agenda/recap.queries.js';
import { interestSlotHtml, starButtonHtml, starFormHtml, starrable } from '../components/star-button.js';
import { attendeePaths } from '../attendee/shared.js';

/**
 * GET /events/:slug/sessions/:code — one programme item with its abstract, speakers and links,
 * its star button and the published recaps that mention it (publishing a recap bumps the event
 * version, so the cached page follows). When the event shows interest counts, an empty
 * "N interested" slot is filled by assets/interest.js (stars never bump the version); the
 * speakers' "Add slides or video" link leads to their private links page.
 */
export async function sessionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    const session = snap.sessionByCode.get(request.params.code);
    if (!session) throw ScheduleErrors.sessionNotFound(request.params.code);
    return sendEventHtml(ctx, request, reply, head, async () =>
      renderSessionPage(snap, session, await listRecapsMentioningSession(ctx.db, session.id), await liveMarkOf(ctx, head)),
    );
  });
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "English", "Brazilian Portuguese"; the code itself when Intl does not know it. */
export function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const LINK_LABELS: Record<string, string> = {
  slides: 'Slides',
  video: 'Video',
  recording: 'Recording',
  code: 'Code',
  website: 'Website',
  other: 'Link',
};

export function renderSessionPage(snap: ProgramSnapshot, s: Session, recaps: readonly RecapListItem[] = [], live?: LiveMark): string {
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const cancelled = isCancelled(s);
  const track = s.trackId === null ? undefined : snap.trackById.get(s.trackId);
  const room = s.roomId === null ? undefined : snap.roomById.get(s.roomId);
  const roomLabel: string = room ? room.name : isService(s) ? 'Everywhere' : 'To be announced';
  const sponsor = s.sponsorId === null ? undefined : snap.sponsorById.get(s.sponsorId);
  const sponsorUrl = safeUrl(sponsor?.url);
  const speakers = s.speakerIds.map((id) => snap.speakerById.get(id)).filter((sp): sp is Speaker => sp !== undefined);
  const links = s.links.filter((l) => safeUrl(l.url));
  const safeAbstract = renderMarkdown(s.abstract);
  const safeStarForm =
    !isService(s) && starrable(s, false) ? starFormHtml(e.slug, paths.session(e.slug, s.code)) + starButtonHtml(s, false) + interestSlotHtml(e, s) : '';

  return Page({
    title: `${s.title} · ${e.title}`,
    description: s.subtitle || undefined,
    eventNav: { slug: e.slug, title: e.title, current: 'session' },
    styles: track ? [paths.theme(e.slug, e.version)] : [],
    scripts: e.showInterestCounts ? ['/assets/agenda.js', '/assets/interest.js'] : ['/assets/agenda.js'],
    live,
    children: (
      <article class={`session-page ${kindClass(s.kind)}${track ? ` ${trackClass(track)} has-track` : ''}`}>
        <header class="page-head">
          <p class="eyebrow">
            <span class={`badge ${kindClass(s.kind)}`} safe>
              {kindLabel(s.kind)}
            </span>
            {cancelled ? <span class="badge badge-cancelled">Cancelled</span> : ''}
            {track ? (
              <span class="track">
                <span class="dot" aria-hidden="true"></span>
                <span safe>{track.name}</span>
              </span>
            ) : (
              ''
            )}
          </p>
          <h1>{cancelled ? <s safe>{s.title}</s> : <span safe>{s.title}</span>}</h1>
          {s.subtitle ? (
            <p class="subtitle" safe>
              {s.subtitle}
            </p>
          ) : (
            ''
          )}
          {cancelled ? (
            <p class="notice notice-cancelled">
              <strong>Cancelled.</strong> This session will not take place as scheduled.
            </p>
          ) : (
            ''
          )}
        </header>

        {isService(s) ? (
          ''
        ) : (
          <div class="session-actions">
            {safeStarForm}
            <a href={attendeePaths.notes(e.slug, s.code)}>Your notes</a>
            <a href={attendeePaths.feedback(e.slug, s.code)}>Give feedback</a>
            {s.speakerIds.length > 0 ? <a href={attendeePaths.links(e.slug, s.code)}>Speaker? Add slides or video</a> : ''}
          </div>
        )}

        <dl class="facts">
          <div>
            <dt>When</dt>
            <dd safe>{formatSessionWhen(clock, s.startsAt, s.endsAt)}</dd>
          </div>
          <div>
            <dt>Room</dt>
            <dd safe>{roomLabel}</dd>
          </div>
          {track ? (
            <div>
              <dt>Track</dt>
              <dd>
                <span class="track">
                  <span class="dot" aria-hidden="true"></span>
                  <span safe>{track.name}</span>
                </span>
              </dd>
            </div>
          ) : (
            ''
          )}
          {isService(s) ? (
            ''
          ) : (
            <div>
              <dt>Language</dt>
              <dd safe>{languageName(s.language)}</dd>
            </div>
          )}
          {s.level ? (
            <div>
              <dt>Level</dt>
              <dd safe>{s.level.charAt(0).toUpperCase() + s.level.slice(1)}</dd>
            </div>
          ) : (
            ''
          )}
          {sponsor ? (
            <div>
              <dt>Sponsored by</dt>
              <dd>
                {sponsorUrl ? (
                  <a href={sponsorUrl} rel="noopener" safe>
                    {sponsor.name}
                  </a>
                ) : (
                  <span safe>{sponsor.name}</span>
                )}
              </dd>
            </div>
          ) : (
            ''
          )}
        </dl>

        {safeAbstract ? (
          <section class="prose" aria-labelledby="abstract">
            <h2 id="abstract">Abstract</h2>
            {safeAbstract}
          </section>
        ) : (
          ''
        )}

        {links.length > 0 ? (
          <section aria-labelledby="links">
            <h2 id="links">Links</h2>
            <ul class="link-list">
              {links.map((l) => (
                <li>
                  <a href={safeUrl(l.url)!} rel="noopener" safe>
                    {l.title || LINK_LABELS[l.kind] || 'Link'}
                  </a>{' '}
                  {/* The kind only when the title does not already say it ("Slides", not "Slides (Slides)"). */}
                  {l.title && l.title.toLowerCase() !== (LINK_LABELS[l.kind] ?? l.kind).toLowerCase() ? (
                    <span class="link-kind" safe>
                      {`(${LINK_LABELS[l.kind] ?? l.kind})`}
                    </span>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}

        {speakers.length > 0 ? (
          <section aria-labelledby="speakers">
            <h2 id="speakers">{speakers.length === 1 ? 'Speaker' : 'Speakers'}</h2>
            <ul class="speaker-cards">
              {speakers.map((sp) => (
                <SpeakerCard eventSlug={e.slug} speaker={sp} />
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}

        {recaps.length > 0 ? (
          <section aria-labelledby="recaps">
            <h2 id="recaps">Recaps mentioning this session</h2>
            <ul class="link-list">
              {recaps.map((r) => (
                <li>
                  <a href={attendeePaths.recap(e.slug, r.slug ?? '')} safe>
                    {r.title}
                  </a>{' '}
                  <span class="link-kind" safe>{`by ${r.authorName}`}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}

        <p class="back">
          <a href={paths.schedule(e.slug, { day: s.day })} safe>
            {`← ${e.kind === 'meetup' ? 'Agenda' : 'Schedule'} for ${formatDayLong(s.day)}`}
          </a>
        </p>
      </article>
    ),
  });
}
