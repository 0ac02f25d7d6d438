import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { ProgramSnapshot } from '../../modules/schedule/snapshot.js';
import { CancelledNotice, ZoneNote } from '../components/event-bits.js';
import { paths } from '../components/html.js';
import { renderScheduleGrid } from '../components/schedule-grid.js';
import { GRID_CSS_URL } from '../components/stylesheets.js';
import { renderAgenda, renderScheduleList } from '../components/schedule-list.js';
import { formatDayLong, formatDayShort, LocalClock, programmeToday } from '../components/time-format.js';
import { starFormHtml } from '../components/star-button.js';
import { Page } from '../layouts/page.js';
import { WebErrors } from '../web.errors.js';
import { loadPublishedEvent, sendEventHtml } from './respond.js';

type View = 'grid' | 'list';

/**
 * GET /events/:slug/schedule[?day=YYYY-MM-DD][&view=list]: a conference day as a grid of rooms
 * by time (or a list), a meetup as its agenda. Without ?day, the first day, or today while the
 * event is running.
 */
export async function scheduleRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string }; Querystring: { day?: string; view?: string } }>(
    '/events/:slug/schedule',
    { schema: { hide: true } },
    async (request, reply) => {
      const { head, snap } = await loadPublishedEvent(ctx, request.params.slug);
      const { day: dayParam, view: viewParam } = request.query;
      if (viewParam !== undefined && viewParam !== 'grid' && viewParam !== 'list') throw WebErrors.viewUnknown(String(viewParam));
      if (dayParam !== undefined && !snap.days.includes(String(dayParam))) throw WebErrors.dayNotFound(String(dayParam));
      const day = dayParam ?? defaultDay(snap);
      const view: View = viewParam === 'list' ? 'list' : 'grid';
      // The default day depends on today's date, so it is part of the cache scope.
      return sendEventHtml(ctx, request, reply, head, () => renderSchedulePage(snap, day, view), dayParam ? '' : `d${day}`);
    },
  );
}

/** Today's programme day while the event runs, else its first day. */
export function defaultDay(snap: ProgramSnapshot): string {
  const today = programmeToday(snap.event.timeZone, snap.event.dayChange);
  return snap.days.includes(today) ? today : (snap.days[0] ?? snap.event.startDate);
}

export function renderSchedulePage(snap: ProgramSnapshot, day: string, view: View): string {
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const meetup = e.kind === 'meetup';
  const heading = meetup ? 'Agenda' : 'Schedule';
  const safeStarForm = starFormHtml(e.slug, meetup ? paths.schedule(e.slug) : paths.schedule(e.slug, view === 'list' ? { day, view } : { day }));
  return Page({
    title: `${heading} · ${e.title}`,
    eventNav: { slug: e.slug, title: e.title, current: 'schedule' },
    styles: snap.tracks.length > 0 ? [GRID_CSS_URL, paths.theme(e.slug, e.version)] : [GRID_CSS_URL],
    scripts: e.showInterestCounts ? ['/assets/app.js', '/assets/agenda.js', '/assets/interest.js'] : ['/assets/app.js', '/assets/agenda.js'],
    mainClass: meetup || view === 'list' ? undefined : 'wide',
    children: (
      <>
        <header class="page-head">
          <h1>
            {heading} <span class="page-head-event" safe>{`· ${e.title}`}</span>
          </h1>
          <ZoneNote zone={e.timeZone} date={day} />
          <CancelledNotice event={e} reason={false} />
          <p class="page-links">
            <a href={`${paths.event(e.slug)}/my-agenda`}>My agenda</a> · <a href={`${paths.event(e.slug)}/now`}>Now and next</a> ·{' '}
            <a href={`${paths.event(e.slug)}/recaps`}>Recaps</a>
          </p>
        </header>
        {safeStarForm}
        {meetup ? meetupBody(snap, clock) : conferenceBody(snap, day, view, clock)}
      </>
    ),
  });
}

function meetupBody(snap: ProgramSnapshot, clock: LocalClock): JSX.Element {
  const days = snap.days.filter((d) => (snap.sessionsByDay.get(d)?.length ?? 0) > 0);
  if (days.length === 0) return <p class="empty">The agenda has not been published yet.</p>;
  return (
    <>
      {days.map((d) => {
        const safeAgenda = renderAgenda(snap, snap.sessionsByDay.get(d) ?? [], clock);
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

function conferenceBody(snap: ProgramSnapshot, day: string, view: View, clock: LocalClock): JSX.Element {
  const e = snap.event;
  const sessions = snap.sessionsByDay.get(day) ?? [];
  const grid = view === 'grid' && sessions.length > 0 ? renderScheduleGrid(snap, day, clock) : undefined;
  const safeBody = grid ? grid.html : renderScheduleList(snap, sessions, clock);
  const displaced = grid?.displaced ?? [];
  return (
    <>
      <div class="schedule-controls">
        <nav class="day-switcher" aria-label="Days">
          <ul>
            {snap.days.map((d) => (
              <li>
                <a href={paths.schedule(e.slug, { day: d, view })} aria-current={d === day ? 'page' : undefined}>
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
              <a href={paths.schedule(e.slug, { day, view: 'grid' })} aria-current={view === 'grid' ? 'page' : undefined}>
                Grid
              </a>
            </li>
            <li>
              <a href={paths.schedule(e.slug, { day, view: 'list' })} aria-current={view === 'list' ? 'page' : undefined}>
                List
              </a>
            </li>
          </ul>
        </nav>
      </div>
      <h2 id="day-heading" class="day-heading" safe>
        {formatDayLong(day)}
      </h2>
      {sessions.length === 0 ? <p class="empty">Nothing is scheduled on this day.</p> : ''}
      {view === 'grid' && !grid && sessions.length > 0 ? <p class="note">This day is shown as a list: its sessions do not fit a grid of rooms.</p> : ''}
      {grid ? (
        <>
          <p class="phone-hint">
            The grid scrolls sideways. On a small screen the <a href={paths.schedule(e.slug, { day, view: 'list' })}>list view</a> is easier
            to read.
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
