import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { ProgramSnapshot, Session } from '../../modules/schedule/snapshot.js';
import { attrText, paths } from '../components/html.js';
import { isService } from '../components/session-bits.js';
import { formatDayLong, LocalClock, zoneCaption } from '../components/time-format.js';
import { Page, type LiveMark } from '../layouts/page.js';
import { liveMarkOf } from '../public/respond.js';
import { AttendeeErrors } from './attendee.errors.js';
import { attendeePaths, eventOf } from './shared.js';

/**
 * GET /events/:slug/now[?at=<ISO instant>]: per room, what runs now (minutes remaining) and what
 * comes next. Computed at request time from the cached programme (not the response cache: it
 * depends on the clock), cacheable for 30 seconds; assets/now.js reloads the board every minute
 * and as soon as the programme version changes. `at` shows another moment (tests, planning).
 */
export async function nowRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string }; Querystring: { at?: string } }>('/events/:slug/now', { schema: { hide: true } }, async (request, reply) => {
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const at = request.query.at === undefined ? ctx.clock.now().getTime() : Date.parse(String(request.query.at));
    if (Number.isNaN(at)) throw AttendeeErrors.instantInvalid(String(request.query.at));
    reply.header('Cache-Control', 'public, max-age=30');
    return reply.type('text/html; charset=utf-8').send(renderNowPage(snap, at, request.query.at !== undefined, await liveMarkOf(ctx, head)));
  });
}

export interface RoomNow {
  readonly room: string;
  readonly now: Session | undefined;
  readonly next: Session | undefined;
}

/** Per room (in display order, then "Everywhere" for room-less items): the session running at `at` and the next one. */
export function nowAndNext(snap: ProgramSnapshot, at: number): RoomNow[] {
  const byRoom = new Map<number | null, Session[]>();
  for (const s of snap.sessions) {
    if (s.status !== 'confirmed') continue;
    const list = byRoom.get(s.roomId);
    if (list) list.push(s);
    else byRoom.set(s.roomId, [s]);
  }
  const pick = (list: readonly Session[]): Omit<RoomNow, 'room'> => ({
    now: list.find((s) => Date.parse(s.startsAt) <= at && at < Date.parse(s.endsAt)),
    next: list.find((s) => Date.parse(s.startsAt) > at),
  });
  const rows: RoomNow[] = snap.rooms.map((r) => ({ room: r.name, ...pick(byRoom.get(r.id) ?? []) }));
  const roomless = byRoom.get(null);
  if (roomless) rows.push({ room: 'Everywhere', ...pick(roomless) });
  return rows.filter((r) => r.now || r.next);
}

/**
 * When the next session starts, the way a person reads it: "at 10:30 (in 25 min)", "at 14:00
 * (in 3 h 20 min)", and from a day off the date ("on Thu 15 April 2027 at 09:00"), never
 * "in 185264 min".
 */
export function nextLabel(clock: LocalClock, startsAt: string, at: number): string {
  const t = clock.at(startsAt);
  const m = Math.max(0, Math.ceil((Date.parse(startsAt) - at) / 60_000));
  if (m >= 24 * 60) return `on ${formatDayLong(t.date)} at ${t.hhmm}`;
  const rest = m % 60;
  return `at ${t.hhmm} (in ${m < 60 ? `${m} min` : `${Math.floor(m / 60)} h${rest ? ` ${rest} min` : ''}`})`;
}

function renderNowPage(snap: ProgramSnapshot, at: number, fixed: boolean, live: LiveMark): string {
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const rows = nowAndNext(snap, at);
  const atText = clock.at(new Date(at).toISOString());
  const minutes = (ms: number) => Math.max(0, Math.ceil(ms / 60_000));
  return Page({
    title: `Now and next · ${e.title}`,
    eventNav: { slug: e.slug, title: e.title, current: 'session' },
    scripts: ['/assets/now.js'],
    live,
    children: (
      <>
        <header class="page-head">
          <h1>
            Now and next <span class="page-head-event" safe>{`· ${e.title}`}</span>
          </h1>
        </header>
        <div id="now-board" class="now-board" data-version={String(e.version)} data-fixed={fixed ? 'true' : undefined}>
          <p class="now-asof" safe>{`As of ${atText.hhmm} on ${atText.date}, ${zoneCaption(e.timeZone, atText.date)}.`}</p>
          {rows.length === 0 ? (
            <p class="empty">
              Nothing is running now, and nothing more is coming. See the <a href={attrText(paths.schedule(e.slug))}>schedule</a>.
            </p>
          ) : (
            <ul class="now-rooms">
              {rows.map((r) => (
                <li class="now-room">
                  <h2 safe>{r.room}</h2>
                  <p class="now-current">
                    <strong>Now:</strong>{' '}
                    {r.now ? (
                      <>
                        <SessionLink snap={snap} s={r.now} />{' '}
                        <span class="now-remaining" safe>{`(${minutes(Date.parse(r.now.endsAt) - at)} min left, until ${clock.at(r.now.endsAt).hhmm})`}</span>
                      </>
                    ) : (
                      'nothing'
                    )}
                  </p>
                  <p class="now-next">
                    <strong>Next:</strong>{' '}
                    {r.next ? (
                      <>
                        <SessionLink snap={snap} s={r.next} /> <span safe>{nextLabel(clock, r.next.startsAt, at)}</span>
                      </>
                    ) : (
                      'nothing more today'
                    )}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </div>
        <p class="back">
          <a href={attrText(paths.schedule(e.slug))}>← Schedule</a> · <a href={attrText(attendeePaths.myAgenda(e.slug))}>My agenda</a>
        </p>
      </>
    ),
  });
}

function SessionLink(p: { snap: ProgramSnapshot; s: Session }): JSX.Element {
  return isService(p.s) ? (
    <span safe>{p.s.title}</span>
  ) : (
    <a href={attrText(paths.session(p.snap.event.slug, p.s.code))} safe>
      {p.s.title}
    </a>
  );
}
