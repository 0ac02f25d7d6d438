import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastEventId } from '../http/event-stream.js';
import type { AppContext } from '../http/context.js';
import { applyNotice, isNews, newerState, releaseNumberOf, type LiveNotice, type LiveState } from '../modules/live/live.js';
import { changesSince, readLiveStates } from '../modules/live/live.queries.js';

/*
 * One live connection (Server-Sent Events) following one event through the process's live hub
 * (ctx.live). Two audiences:
 *
 *   public     GET /events/:slug/live         `event: release` {number, name, changes}; id: <release number>
 *   organizer  GET /manage/events/:id/live    `event: draft` {version} and `event: release`; id: <release>.<version>
 *
 * A browser reconnecting sends the last id back (Last-Event-ID), and a page can say what it shows
 * (`?release=N`, organizers also `&version=V`): whatever was released (or drafted) since is sent
 * at once, as one message (a release's `changes` then sums every release missed). Without either,
 * the stream starts from now; its first line sets the id without a message.
 */

export type LiveAudience = 'public' | 'organizer';

/** What the client says it has seen: a release number and, for organizers, a draft version. */
interface Seen {
  readonly release: number;
  readonly version: number | undefined;
}

const DIGITS = /^\d{1,9}$/;

function seenBy(request: FastifyRequest, audience: LiveAudience): Seen | undefined {
  const last = lastEventId(request);
  if (last !== undefined) {
    const m = audience === 'public' ? /^(\d{1,9})$/.exec(last) : /^(\d{1,9})\.(\d{1,12})$/.exec(last);
    if (m) return { release: Number(m[1]), version: m[2] === undefined ? undefined : Number(m[2]) };
  }
  const q = (request.query ?? {}) as Record<string, unknown>;
  const release = typeof q.release === 'string' && DIGITS.test(q.release) ? Number(q.release) : undefined;
  const version = audience === 'organizer' && typeof q.version === 'string' && DIGITS.test(q.version) ? Number(q.version) : undefined;
  if (release === undefined && version === undefined) return undefined;
  return { release: release ?? Number.MAX_SAFE_INTEGER, version };
}

function idOf(audience: LiveAudience, state: LiveState): string {
  return audience === 'public' ? String(releaseNumberOf(state)) : `${releaseNumberOf(state)}.${state.version}`;
}

/**
 * Answers with an event stream of `eventId`'s notices for `audience` (the caller has checked that
 * the requester may follow the event). Returns once the stream is open; it then lives until the
 * browser leaves or the server shuts down.
 * @throws LIVE_UNAVAILABLE (503) when the process holds as many streams as it may.
 */
export function streamLiveNotices(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, eventId: number, audience: LiveAudience): void {
  const seen = seenBy(request, audience);
  const stream = ctx.streams.open(request, reply);
  let known: LiveState | undefined;
  const early: LiveNotice[] = [];

  const deliver = (notice: LiveNotice) => {
    if (!known) {
      early.push(notice);
      return;
    }
    if (!isNews(known, notice)) return;
    known = applyNotice(known, notice);
    if (notice.kind === 'release') stream.send('release', { number: notice.number, name: notice.name, changes: notice.changes }, idOf(audience, known));
    else if (audience === 'organizer') stream.send('draft', { version: notice.version }, idOf(audience, known));
  };

  const subscription = ctx.live.subscribe(eventId, deliver);
  stream.onClose(() => subscription.close());
  subscription.ready
    .then(async (followed) => {
      // The hub's state may be a poll behind (SQLite): a client saying what it has seen is
      // compared with the database itself, so what it missed is told exactly, as one message.
      const read = seen ? (await readLiveStates(ctx.db, [eventId])).get(eventId) : undefined;
      const state = read ? newerState(followed, read) : followed;
      // What the client missed, told before anything newer (notices meanwhile wait in `early`).
      const missedRelease = state.release && seen && state.release.number > seen.release ? state.release : null;
      const changes = missedRelease && missedRelease.number > seen!.release + 1 ? await changesSince(ctx.db, eventId, seen!.release) : missedRelease?.changes;
      if (stream.closed) return;
      known = state;
      const draftMissed = audience === 'organizer' && seen?.version !== undefined && state.version > seen.version;
      if (draftMissed) stream.send('draft', { version: state.version }, missedRelease ? undefined : idOf(audience, state));
      if (missedRelease) stream.send('release', { number: missedRelease.number, name: missedRelease.name, changes }, idOf(audience, state));
      if (!draftMissed && !missedRelease) stream.setId(idOf(audience, state));
      for (const notice of early.splice(0)) deliver(notice);
    })
    .catch((err: unknown) => {
      // The browser reconnects after its retry delay and tries again.
      request.log.warn({ err, eventId }, 'live updates: could not follow the event; closing the stream');
      stream.close();
    });
}
