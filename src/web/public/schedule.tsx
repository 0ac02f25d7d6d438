import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { SERVICE_KINDS } from '../../modules/program/session.js';
import type { ProgramSnapshot, Session, Track } from '../../modules/schedule/snapshot.js';
import { CancelledNotice, ZoneNote } from '../components/event-bits.js';
import { paths } from '../components/html.js';
import { renderScheduleGrid } from '../components/schedule-grid.js';
import { GRID_CSS_URL } from '../components/stylesheets.js';
import { renderAgenda, renderScheduleList } from '../components/schedule-list.js';
import { formatDayLong, formatDayShort, LocalClock, programmeToday } from '../components/time-format.js';
import { starFormHtml } from '../components/star-button.js';
import { Page, type LiveMark } from '../layouts/page.js';
import { WebErrors } from '../web.errors.js';
import { liveMarkOf, loadPublishedEvent, sendEventHtml } from './respond.js';

type View = 'grid' | 'list';

/**
 * GET /events/:slug/schedule[?day=YYYY-MM-DD][&view=list][&track=<slug>]: a conference day as a
 * grid of rooms by time (or a list), a meetup as its agenda. Without ?day, the first day, or today
 * while the event is running. ?track shows one track's sessions (and everyone's breaks) in the
 * rooms they use: a 60-room day becomes one devroom's grid.
 */
export async function scheduleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string }; Querystring: { day?: string; view?: string; track?: string } }>(
    '/events/:slug/schedule',
    { schema: { hide: true } },
    async (request, reply) => {
      const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
      const { day: dayParam, view: viewParam, track: trackParam } = request.query;
      if (viewParam !== undefined && viewParam !== 'grid' && viewParam !== 'list') throw WebErrors.viewUnknown(String(viewParam));
      if (dayParam !== undefined && !snap.days.includes(String(dayParam))) throw WebErrors.dayNotFound(String(dayParam));
      // An empty ?track= is the filter form's "All tracks".
      const track = trackParam ? snap.tracks.find((t) => t.slug === String(trackParam)) : undefined;
      if (trackParam && !track) throw WebErrors.trackNotFound(String(trackParam));
      const day = dayParam ?? defaultDay(snap, ctx.clock.now());
      const view: View = viewParam === 'list' ? 'list' : 'grid';
      // The default day depends on today's date, so it is part of the cache scope.
      return sendEventHtml(
        ctx,
        request,
        reply,
        head,
        async () => renderSchedulePage(snap, day, view, track, await liveMarkOf(ctx, head)),
        dayParam ? '' : `d${day}`,
      );
    },
  );
}

/** The programme day of `now` while the event runs, else its first day. */
export function defaultDay(snap: ProgramSnapshot, now: Date): string {
  const today = programmeToday(snap.event.timeZone, snap.event.dayChange, now);
  return snap.days.includes(today) ? today : (snap.days[0] ?? snap.event.startDate);
}

/** The sessions of one track, with the breaks, meals and socials everyone shares. */
function ofTrack(sessions: readonly Session[], track: Track | undefined): readonly Session[] {
  return track ? sessions.filter((s) => s.trackId === track.id || (s.trackId === null && SERVICE_KINDS.has(s.kind))) : sessions;
}

export function renderSchedulePage(snap: ProgramSnapshot, day: string, view: View, track?: Track, live?: LiveMark): string {
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const meetup = e.kind === 'meetup';
  const heading = meetup ? 'Agenda' : 'Schedule';
  const here = meetup ? { track: track?.slug } : { day, view, track: track?.slug };
  const safeStarForm = starFormHtml(e.slug, paths.schedule(e.slug, here));
  return Page({
    title: `${heading} · ${e.title}`,
    eventNav: { slug: e.slug, title: e.title, current: 'schedule' },
    feeds: [{ href: `${paths.event(e.slug)}/changelog.atom`, title: `Programme changes of ${e.title}` }],
    styles: snap.tracks.length > 0 ? [GRID_CSS_URL, paths.theme(e.slug, e.version)] : [GRID_CSS_URL],
    scripts: e.showInterestCounts ? ['/assets/app.js', '/assets/agenda.js', '/assets/interest.js'] : ['/assets/app.js', '/assets/agenda.js'],
    mainClass: meetup || view === 'list' ? undefined : 'wide',
    live,
    children: (
      <>
        <header class="page-head">
          <h1>
            {heading} <span class="page-head-event" safe>{`· ${e.title}`}</span>
            {track ? <span class="page-head-track" safe>{` · ${track.name}`}</span> : ''}
          </h1>
          <ZoneNote zone={e.timeZone} date={day} />
          <CancelledNotice event={e} reason={false} />
          <p class="page-links">
            <a href={`${paths.event(e.slug)}/my-agenda`}>My agenda</a> · <a href={`${paths.event(e.slug)}/now`}>Now and next</a> ·{' '}
            <a href={`${paths.event(e.slug)}/recaps`}>Recaps</a> · <a href={`${paths.event(e.slug)}/changelog`}>Changelog</a>
            {e.release ? <span safe>{` (version ${e.release})`}</span> : ''}
          </p>
        </header>
        {safeStarForm}
        {meetup ? meetupBody(snap, clock, track) : conferenceBody(snap, day, view, clock, track)}
      </>
    ),
  });
}

function meetupBody(snap: ProgramSnapshot, clock: LocalClock, track: Track | undefined): JSX.Element {
  const days = snap.days.filter((d) => ofTrack(snap.sessionsByDay.get(d) ?? [], track).length > 0);
  if (days.length === 0) return <p class="empty">{track ? 'Nothing in this track yet.' : 'The agenda has not been published yet.'}</p>;
  return (
    <>
      {track ? <TrackFilter snap={snap} here={{}} track={track} /> : ''}
      {days.map((d) => {
        const safeAgenda = renderAgenda(snap, ofTrack(snap.sessionsByDay.get(d) ?? [], track), clock);
        return (
          <section class="agenda-day" aria-labelledby={`day-${d}`}>
            <h2 id={`day-${d}`} safe>
              {formatDayLong(d)}
            </h2>
            {safeAgenda}
          </section>
        );
      })}
    </>
  );
}

function conferenceBody(snap: ProgramSnapshot, day: string, view: View, clock: LocalClock, track: Track | undefined): JSX.Element {
  const e = snap.event;
  const sessions = ofTrack(snap.sessionsByDay.get(day) ?? [], track);
  const t = track?.slug;
  const grid = view === 'grid' && sessions.length > 0 ? renderScheduleGrid(snap, day, clock, sessions) : undefined;
  const safeBody = grid ? grid.html : renderScheduleList(snap, sessions, clock);
  const displaced = grid?.displaced ?? [];
  return (
    <>
      <div class="schedule-controls">
        <nav class="day-switcher" aria-label="Days">
          <ul>
            {snap.days.map((d) => (
              <li>
                <a href={paths.schedule(e.slug, { day: d, view, track: t })} aria-current={d === day ? 'page' : undefined}>
                  <time datetime={d} safe>
                    {formatDayShort(d)}
                  </time>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <nav class="view-switcher" aria-label="View">
          <ul>
            <li>
              <a href={paths.schedule(e.slug, { day, view: 'grid', track: t })} aria-current={view === 'grid' ? 'page' : undefined}>
                Grid
              </a>
            </li>
            <li>
              <a href={paths.schedule(e.slug, { day, view: 'list', track: t })} aria-current={view === 'list' ? 'page' : undefined}>
                List
              </a>
            </li>
          </ul>
        </nav>
        {snap.tracks.length > 1 ? <TrackFilter snap={snap} here={{ day, view }} track={track} /> : ''}
      </div>
      <h2 id="day-heading" class="day-heading" safe>
        {formatDayLong(day)}
      </h2>
      {sessions.length === 0 ? <p class="empty">{track ? 'Nothing in this track on this day.' : 'Nothing is scheduled on this day.'}</p> : ''}
      {view === 'grid' && !grid && sessions.length > 0 ? <p class="note">This day is shown as a list: its sessions do not fit a grid of rooms.</p> : ''}
      {grid ? (
        <>
          <p class="phone-hint">
            The grid scrolls sideways. On a small screen the <a href={paths.schedule(e.slug, { day, view: 'list', track: t })}>list view</a> is easier to read.
          </p>
          <div class="grid-scroll" role="region" aria-labelledby="day-heading" tabindex="0">
            {safeBody}
          </div>
        </>
      ) : (
        safeBody
      )}
      {displaced.length > 0 ? (
        <section class="displaced" aria-labelledby="displaced">
          <h2 id="displaced">Also cancelled</h2>
          <ul>
            {displaced.map((s) => {
              const a = clock.at(s.startsAt);
              const room = s.roomId === null ? '' : (snap.roomById.get(s.roomId)?.name ?? '');
              return (
                <li>
                  <time datetime={a.datetime} safe>
                    {a.hhmm}
                  </time>{' '}
                  <s>
                    <a href={paths.session(e.slug, s.code)} safe>
                      {s.title}
                    </a>
                  </s>
                  {room ? <span safe>{` · ${room}`}</span> : ''} <span class="badge badge-cancelled">Cancelled</span>
                </li>
              );
            })}
          </ul>
        </section>
      ) : (
        ''
      )}
    </>
  );
}

/**
 * Choose a track: a GET form (works without JavaScript) that keeps the day and view, and, while
 * one track is shown, a link back to all of them.
 */
function TrackFilter({ snap, here, track }: { snap: ProgramSnapshot; here: { day?: string; view?: View }; track: Track | undefined }): JSX.Element {
  const e = snap.event;
  return (
    <form class="track-filter" method="get" action={paths.schedule(e.slug)}>
      {here.day ? <input type="hidden" name="day" value={here.day} /> : ''}
      {here.view === 'list' ? <input type="hidden" name="view" value="list" /> : ''}
      <label for="track-filter">Track</label>{' '}
      <select id="track-filter" name="track">
        <option value="" selected={!track}>
          All tracks
        </option>
        {snap.tracks.map((t) => (
          <option value={t.slug} selected={t.id === track?.id} safe>
            {t.name}
          </option>
        ))}
      </select>{' '}
      <button type="submit" class="secondary">
        Show
      </button>
      {track ? (
        <>
          {' '}
          <a href={paths.schedule(e.slug, here)}>All tracks</a>
        </>
      ) : (
        ''
      )}
    </form>
  );
}
