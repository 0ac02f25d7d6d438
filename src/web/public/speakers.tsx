import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { ScheduleErrors } from '../../modules/schedule/schedule.errors.js';
import type { ProgramSnapshot, Speaker } from '../../modules/schedule/snapshot.js';
import { HANDLE_KINDS, HANDLE_LABELS, handleLabel, handleUrl } from '../../modules/speakers/speaker.js';
import { paths, plural, safeUrl } from '../components/html.js';
import { renderMarkdown } from '../components/markdown.js';
import { isCancelled, kindLabel } from '../components/session-bits.js';
import { affiliation, Avatar, SpeakerCard } from '../components/speaker-card.js';
import { formatDayMedium, LocalClock, zoneCaption } from '../components/time-format.js';
import { Page } from '../layouts/page.js';
import { loadPublishedEvent, sendEventHtml } from './respond.js';

/**
 * GET /events/:slug/speakers (everyone with at least one session, alphabetically) and
 * GET /events/:slug/speakers/:code (bio, profiles, sessions). A speaker without sessions is
 * not public.
 */
export async function speakerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/speakers', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    return sendEventHtml(ctx, request, reply, head, () => renderSpeakersPage(snap));
  });
  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/speakers/:code', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
    const speaker = snap.speakerByCode.get(request.params.code);
    if (!speaker || !(snap.sessionsBySpeaker.get(speaker.id)?.length ?? 0)) throw ScheduleErrors.speakerNotFound(request.params.code);
    return sendEventHtml(ctx, request, reply, head, () => renderSpeakerPage(snap, speaker));
  });
}

const collator = new Intl.Collator('en', { sensitivity: 'base' });

/** Speakers with at least one session, sorted by name. */
export function publicSpeakers(snap: ProgramSnapshot): Speaker[] {
  return snap.speakers.filter((s) => (snap.sessionsBySpeaker.get(s.id)?.length ?? 0) > 0).sort((a, b) => collator.compare(a.name, b.name));
}

export function renderSpeakersPage(snap: ProgramSnapshot): string {
  const e = snap.event;
  const speakers = publicSpeakers(snap);
  return Page({
    title: `Speakers · ${e.title}`,
    eventNav: { slug: e.slug, title: e.title, current: 'speakers' },
    scripts: ['/assets/agenda.js'],
    children: (
      <>
        <header class="page-head">
          <h1>
            Speakers <span class="page-head-event" safe>{`· ${e.title}`}</span>
          </h1>
          <p class="lede" safe>
            {plural(speakers.length, 'speaker')}
          </p>
        </header>
        {speakers.length === 0 ? (
          <p class="empty">No speakers have been announced yet.</p>
        ) : (
          <ul class="speaker-cards speaker-grid">
            {speakers.map((sp) => (
              <SpeakerCard eventSlug={e.slug} speaker={sp} note={plural(snap.sessionsBySpeaker.get(sp.id)?.length ?? 0, 'session')} />
            ))}
          </ul>
        )}
      </>
    ),
  });
}

export function renderSpeakerPage(snap: ProgramSnapshot, sp: Speaker): string {
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const aff = affiliation(sp);
  const safeBio = renderMarkdown(sp.bio);
  const sessions = snap.sessionsBySpeaker.get(sp.id) ?? [];
  const handles = HANDLE_KINDS.filter((k) => sp.handles[k])
    .map((k) => ({ kind: k, url: safeUrl(handleUrl(k, sp.handles[k]!)), label: handleLabel(k, sp.handles[k]!) }))
    .filter((h) => h.url);
  return Page({
    title: `${sp.name} · ${e.title}`,
    description: aff || undefined,
    eventNav: { slug: e.slug, title: e.title, current: 'speaker' },
    scripts: ['/assets/agenda.js'],
    children: (
      <article class="speaker-page">
        <header class="speaker-head">
          <Avatar speaker={sp} size="large" />
          <div>
            <h1 safe>{sp.name}</h1>
            {aff ? (
              <p class="lede" safe>
                {aff}
              </p>
            ) : (
              ''
            )}
            {handles.length > 0 ? (
              <ul class="handles" aria-label="Profiles">
                {handles.map((h) => (
                  <li>
                    <a href={h.url!} rel="me noopener">
                      <span class="handle-kind" safe>
                        {HANDLE_LABELS[h.kind]}
                      </span>{' '}
                      <span safe>{h.label}</span>
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              ''
            )}
          </div>
        </header>
        {safeBio ? (
          <section class="prose" aria-labelledby="bio">
            <h2 id="bio">About</h2>
            {safeBio}
          </section>
        ) : (
          ''
        )}
        <section aria-labelledby="talks">
          <h2 id="talks">{sessions.length === 1 ? 'Session' : 'Sessions'}</h2>
          <p class="zone-note">
            Times in <span safe>{zoneCaption(e.timeZone, e.startDate)}</span>
          </p>
          <ul class="session-list">
            {sessions.map((s) => {
              const a = clock.at(s.startsAt);
              const b = clock.at(s.endsAt);
              const room = s.roomId === null ? undefined : snap.roomById.get(s.roomId)?.name;
              return (
                <li class={isCancelled(s) ? 'is-cancelled' : undefined}>
                  <a class="session-link" href={paths.session(e.slug, s.code)}>
                    {isCancelled(s) ? <s safe>{s.title}</s> : <span safe>{s.title}</span>}
                  </a>
                  <p class="session-when">
                    <span safe>{formatDayMedium(a.date)}</span>,{' '}
                    <time datetime={a.datetime} safe>
                      {a.hhmm}
                    </time>
                    –
                    <time datetime={b.datetime} safe>
                      {b.hhmm}
                    </time>
                    {room ? <span safe>{` · ${room}`}</span> : ''} · <span safe>{kindLabel(s.kind)}</span>
                    {isCancelled(s) ? <span class="badge badge-cancelled">Cancelled</span> : ''}
                  </p>
                </li>
              );
            })}
          </ul>
        </section>
      </article>
    ),
  });
}
