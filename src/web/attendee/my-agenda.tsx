import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { getMyAgenda } from '../../modules/agenda/agenda.queries.js';
import type { SlotChange } from '../../modules/agenda/agenda.js';
import { getCalendarFeedStatus, regenerateCalendarFeed, revokeCalendarFeed } from '../../modules/agenda/calendar-feed.actions.js';
import { markAgendaChangesSeen } from '../../modules/agenda/star.actions.js';
import { listMyNotes } from '../../modules/agenda/note.actions.js';
import type { ProgramSnapshot, Session } from '../../modules/schedule/snapshot.js';
import { CsrfField, PostForm } from '../components/form.js';
import { attrText, paths, plural } from '../components/html.js';
import { formatDayLong, formatDayShort, LocalClock } from '../components/time-format.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { attendeePaths, cachedSnapshots, eventOf, sendAttendeePage } from './shared.js';
import { liveMarkOf } from '../public/respond.js';

/**
 * Private routes:
 *   GET  /events/:slug/my-agenda               starred sessions by programme day (event zone),
 *                                              overlaps flagged, free slots with suggestions,
 *                                              links to notes; the calendar feed section
 *   POST /events/:slug/my-agenda/feed          regenerateCalendarFeed: the page shows the URL once
 *   POST /events/:slug/my-agenda/feed/revoke   revokeCalendarFeed
 *   POST /events/:slug/my-agenda/seen          markAgendaChangesSeen: clears "moved"/"cancelled
 *                                              since you starred it"
 */
export async function myAgendaRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>('/events/:slug/my-agenda', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return agendaPage(ctx, request, reply, actor, request.params.slug, null);
  });

  app.post<{ Params: { slug: string } }>('/events/:slug/my-agenda/feed', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    const { token } = await regenerateCalendarFeed(ctx.db, actor, head.id, ctx.clock);
    return agendaPage(ctx, request, reply, actor, request.params.slug, ctx.config.baseUrl.replace(/\/$/, '') + attendeePaths.feedIcs(head.slug, token));
  });

  app.post<{ Params: { slug: string } }>('/events/:slug/my-agenda/seen', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    await markAgendaChangesSeen(ctx.db, actor, head.id);
    return redirectWithNotice(reply, attendeePaths.myAgenda(head.slug), 'Noted: changes are marked as seen.');
  });

  app.post<{ Params: { slug: string } }>('/events/:slug/my-agenda/feed/revoke', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head } = await eventOf(ctx, request.params.slug);
    const { revoked } = await revokeCalendarFeed(ctx.db, actor, head.id);
    return redirectWithNotice(
      reply,
      attendeePaths.myAgenda(head.slug),
      revoked ? 'Your calendar feed is revoked: its address no longer works.' : 'You had no calendar feed.',
    );
  });
}

async function agendaPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  slug: string,
  newFeedUrl: string | null,
): Promise<FastifyReply> {
  const { head } = await eventOf(ctx, slug);
  const [agenda, feed, notes, live] = await Promise.all([
    getMyAgenda(ctx.db, actor, head.id, cachedSnapshots(ctx, head)),
    getCalendarFeedStatus(ctx.db, actor, head.id),
    listMyNotes(ctx.db, actor, head.id),
    liveMarkOf(ctx, head),
  ]);
  const snap = agenda.snapshot;
  const e = snap.event;
  const clock = new LocalClock(e.timeZone);
  const noted = new Set(notes.map((n) => n.sessionId));
  const here = attendeePaths.myAgenda(e.slug);
  const byId = new Map(snap.sessions.map((s) => [s.id, s]));
  return sendAttendeePage(request, reply, actor, {
    title: 'My agenda',
    event: e,
    scripts: ['/assets/agenda.js'],
    live,
    body: (csrf) => (
      <>
        <header class="page-head">
          <h1>
            My agenda <span class="page-head-event" safe>{`· ${e.title}`}</span>
          </h1>
          <p safe>{`Times are in ${e.timeZone}. ${agenda.overlapCount > 0 ? `${plural(agenda.overlapCount, 'overlap')} between starred sessions.` : ''}`}</p>
          <p class="page-links">
            <a href={attrText(paths.schedule(e.slug))}>Schedule</a> · <a href={attrText(attendeePaths.myNotes(e.slug))}>My notes</a> ·{' '}
            <a href={attrText(attendeePaths.newRecap(e.slug))}>Write a recap</a> · <a href={attrText(attendeePaths.now(e.slug))}>Now and next</a>
          </p>
        </header>
        {agenda.changes.size > 0 ? <ChangesNotice csrf={csrf} snap={snap} changes={agenda.changes} clock={clock} /> : ''}
        {agenda.days.length === 0 ? (
          <p class="empty">
            You have not starred any session yet. Star sessions on the <a href={attrText(paths.schedule(e.slug))}>schedule</a> and they appear here.
          </p>
        ) : (
          agenda.days.map((day) => (
            <section class="my-agenda-day" aria-labelledby={`day-${day.day}`}>
              <h2 id={`day-${day.day}`} safe>
                {formatDayLong(day.day)}
              </h2>
              <ol class="my-agenda-list">
                {day.items.map((item) => {
                  const s = item.session;
                  const a = clock.at(s.startsAt);
                  const b = clock.at(s.endsAt);
                  const room = s.roomId === null ? '' : (snap.roomById.get(s.roomId)?.name ?? '');
                  return (
                    <li class={`my-agenda-item${item.overlapsWith.length ? ' has-overlap' : ''}${s.status === 'cancelled' ? ' is-cancelled' : ''}`}>
                      <p class="agenda-time">
                        <time datetime={a.datetime} safe>
                          {a.hhmm}
                        </time>
                        –
                        <time datetime={b.datetime} safe>
                          {b.hhmm}
                        </time>
                        {room ? <span safe>{` · ${room}`}</span> : ''}
                      </p>
                      <p class="agenda-title">
                        <a href={attrText(paths.session(e.slug, s.code))} safe>
                          {s.title}
                        </a>
                        {s.status === 'cancelled' ? <span class="badge badge-cancelled">Cancelled</span> : ''}
                        {agenda.changes.get(s.id) && s.status !== 'cancelled' ? (
                          <span class="badge badge-changed">{agenda.changes.get(s.id)!.restored ? 'Back on' : 'Moved'}</span>
                        ) : (
                          ''
                        )}
                      </p>
                      {agenda.changes.has(s.id) ? (
                        <p class="agenda-was" safe>
                          {changeText(agenda.changes.get(s.id)!, snap, clock, a.date)}
                        </p>
                      ) : (
                        ''
                      )}
                      {item.overlapsWith.length ? (
                        <p class="overlap-warning">
                          <strong>Overlaps</strong> with{' '}
                          {item.overlapsWith.map((id, i) => (
                            <>
                              {i > 0 ? ', ' : ''}
                              <a href={attrText(paths.session(e.slug, byId.get(id)?.code ?? ''))} safe>
                                {byId.get(id)?.title ?? ''}
                              </a>
                            </>
                          ))}
                        </p>
                      ) : (
                        ''
                      )}
                      <div class="my-agenda-actions">
                        <a href={attrText(attendeePaths.notes(e.slug, s.code))} safe>
                          {noted.has(s.id) ? `Your notes on ${s.title}` : `Take notes on ${s.title}`}
                        </a>
                        <UnstarForm csrf={csrf} slug={e.slug} session={s} back={here} />
                      </div>
                    </li>
                  );
                })}
              </ol>
              {day.freeSlots.length ? (
                <section class="free-slots" aria-labelledby={`free-${day.day}`}>
                  <h3 id={`free-${day.day}`}>Free slots</h3>
                  <ul>
                    {day.freeSlots.map((slot) => (
                      <li>
                        <p safe>{`Free ${clock.at(slot.startsAt).hhmm}–${clock.at(slot.endsAt).hhmm} (${slot.minutes} min)`}</p>
                        {slot.suggestions.length ? (
                          <ul class="suggestions">
                            {slot.suggestions.map((s) => (
                              <li>
                                <a href={attrText(paths.session(e.slug, s.code))} safe>
                                  {s.title}
                                </a>{' '}
                                <span safe>{`${clock.at(s.startsAt).hhmm}–${clock.at(s.endsAt).hhmm}`}</span>{' '}
                                <StarForm csrf={csrf} slug={e.slug} session={s} back={here} />
                              </li>
                            ))}
                          </ul>
                        ) : (
                          <p class="hint">Nothing else fits in this slot.</p>
                        )}
                      </li>
                    ))}
                  </ul>
                </section>
              ) : (
                ''
              )}
            </section>
          ))
        )}
        <FeedSection csrf={csrf} snap={snap} exists={feed.exists} lastUsedAt={feed.lastUsedAt} newUrl={newFeedUrl} />
      </>
    ),
  });
}

/** "It was Thu 15 Apr 10:30 in Side Room", "Cancelled since you starred it", or back on. */
function changeText(c: SlotChange, snap: ProgramSnapshot, clock: LocalClock, dayNow: string): string {
  if (c.cancelled) return 'Cancelled since you starred it.';
  if (c.movedFrom === null && c.roomFrom === undefined) return 'Back on the programme after being cancelled.';
  const parts: string[] = [];
  if (c.movedFrom !== null) {
    const was = clock.at(c.movedFrom);
    parts.push(was.date === dayNow ? was.hhmm : `${formatDayShort(was.date)} ${was.hhmm}`);
  }
  if (c.roomFrom !== undefined) parts.push(c.roomFrom === null ? 'without a room' : `in ${snap.roomById.get(c.roomFrom)?.name ?? 'another room'}`);
  return `Moved since you starred it: it was ${parts.join(' ')}.`;
}

/** The starred sessions that moved or were cancelled, at the top, with "Mark as seen". */
function ChangesNotice(p: { csrf: string; snap: ProgramSnapshot; changes: ReadonlyMap<number, SlotChange>; clock: LocalClock }): JSX.Element {
  const e = p.snap.event;
  const changed = p.snap.sessions.filter((s) => p.changes.has(s.id));
  return (
    <section class="agenda-changes" aria-labelledby="changes-heading">
      <h2 id="changes-heading" safe>
        {`${plural(changed.length, 'starred session')} changed since you starred ${changed.length === 1 ? 'it' : 'them'}`}
      </h2>
      <ul>
        {changed.map((s) => {
          const now = p.clock.at(s.startsAt);
          const room = s.roomId === null ? '' : (p.snap.roomById.get(s.roomId)?.name ?? '');
          return (
            <li>
              <a href={attrText(paths.session(e.slug, s.code))} safe>
                {s.title}
              </a>{' '}
              <span safe>{s.status === 'cancelled' ? '' : `now ${formatDayShort(now.date)} ${now.hhmm}${room ? ` in ${room}` : ''}. `}</span>
              <span safe>{changeText(p.changes.get(s.id)!, p.snap, p.clock, now.date)}</span>
            </li>
          );
        })}
      </ul>
      <PostForm action={`${attendeePaths.myAgenda(e.slug)}/seen`} csrf={p.csrf} class="button-form">
        <button type="submit" class="secondary">
          Mark as seen
        </button>
      </PostForm>
    </section>
  );
}

function UnstarForm(p: { csrf: string; slug: string; session: Session; back: string }): JSX.Element {
  return (
    <form method="post" action={attrText(attendeePaths.unstar(p.slug, p.session.code))} class="button-form">
      <CsrfField token={p.csrf} />
      <input type="hidden" name="next" value={attrText(p.back)} />
      <button type="submit" class="link-button">
        Remove star<span class="vh" safe>{` from ${p.session.title}`}</span>
      </button>
    </form>
  );
}

function StarForm(p: { csrf: string; slug: string; session: Session; back: string }): JSX.Element {
  return (
    <form method="post" action={attrText(attendeePaths.star(p.slug, p.session.code))} class="button-form">
      <CsrfField token={p.csrf} />
      <input type="hidden" name="next" value={attrText(p.back)} />
      <button type="submit" class="link-button">
        ☆ Star<span class="vh" safe>{` ${p.session.title}`}</span>
      </button>
    </form>
  );
}

function FeedSection(p: { csrf: string; snap: ProgramSnapshot; exists: boolean; lastUsedAt: string | null; newUrl: string | null }): JSX.Element {
  const slug = p.snap.event.slug;
  return (
    <section class="account-card calendar-feed" aria-labelledby="feed-heading">
      <h2 id="feed-heading">Calendar feed</h2>
      <p>Subscribe to your agenda in a calendar app: it follows schedule changes. The address is private: anyone who has it sees your starred sessions.</p>
      {p.newUrl ? (
        <div class="new-secret" role="status">
          <p>
            <strong>Copy this address now:</strong> it is shown only this once.
          </p>
          <label for="feed-url">Calendar feed address</label>
          <input id="feed-url" type="text" readonly value={attrText(p.newUrl)} />
        </div>
      ) : p.exists ? (
        <p
          safe
        >{`You have a calendar feed${p.lastUsedAt ? ` (last read by a calendar at ${p.lastUsedAt.replace('T', ' ').replace('Z', ' UTC')})` : ''}. Lost its address? Make a new one: the old one stops working.`}</p>
      ) : (
        ''
      )}
      <PostForm action={attendeePaths.feed(slug)} csrf={p.csrf} class="button-form">
        <button type="submit">{p.exists || p.newUrl ? 'Make a new address' : 'Create a calendar feed'}</button>
      </PostForm>
      {p.exists || p.newUrl ? (
        <PostForm action={`${attendeePaths.feed(slug)}/revoke`} csrf={p.csrf} class="button-form">
          <button type="submit" class="danger">
            Revoke the calendar feed
          </button>
        </PostForm>
      ) : (
        ''
      )}
    </section>
  );
}
