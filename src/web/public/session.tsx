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
import { Page } from '../layouts/page.js';
import { loadPublishedEvent, sendEventHtml } from './respond.js';

/** GET /events/:slug/sessions/:code — one programme item with its abstract, speakers and links. */
export async function sessionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    const session = snap.sessionByCode.get(request.params.code);
    if (!session) throw ScheduleErrors.sessionNotFound(request.params.code);
    return sendEventHtml(ctx, request, reply, head, () => renderSessionPage(snap, session));
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

export function renderSessionPage(snap: ProgramSnapshot, s: Session): string {
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

  return Page({
    title: `${s.title} · ${e.title}`,
    description: s.subtitle || undefined,
    eventNav: { slug: e.slug, title: e.title, current: 'session' },
    styles: track ? [paths.theme(e.slug, e.version)] : [],
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
                  <span class="link-kind" safe>
                    {`(${LINK_LABELS[l.kind] ?? l.kind})`}
                  </span>
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

        <p class="back">
          <a href={paths.schedule(e.slug, { day: s.day })} safe>
            {`← ${e.kind === 'meetup' ? 'Agenda' : 'Schedule'} for ${formatDayLong(s.day)}`}
          </a>
        </p>
      </article>
    ),
  });
}
