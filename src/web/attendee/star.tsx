import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { speakingSessionIds, starredSessionIds } from '../../modules/agenda/agenda.queries.js';
import { starSession, unstarSession } from '../../modules/agenda/star.actions.js';
import { CsrfField } from '../components/form.js';
import { attrText, paths } from '../components/html.js';
import { formatSessionWhen, LocalClock } from '../components/time-format.js';
import { csrfToken, redirectWithNotice, safeNext, signedInActor } from '../private.js';
import { attendeePaths, backTo, eventOf, sendAttendeePage, sessionOf, wantsJson } from './shared.js';

/**
 * Private routes (inside privatePages: cookie auth, no-store, CSRF on POST):
 *   GET  /events/:slug/star?session=CODE&next=  the public pages' one star form: on to the
 *                                              session's confirm page below
 *   GET  /events/:slug/sessions/:code/star     confirm page with the POST form (the no-JS path
 *                                              from the public pages' GET star form)
 *   POST /events/:slug/sessions/:code/star     starSession; back to `next` with a notice, or JSON
 *   POST /events/:slug/sessions/:code/unstar   unstarSession; likewise
 *   GET  /events/:slug/my/starred.json         { signedIn, starred: [codes], speaking: [codes], csrf } for agenda.js
 *                                              (401 JSON when signed out, never a redirect)
 */
export async function starRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string }; Querystring: { session?: string; next?: string } }>('/events/:slug/star', async (request, reply) => {
    const { snap } = await eventOf(ctx, request.params.slug);
    const session = sessionOf(snap, String(request.query.session ?? ''));
    const next = safeNext(request.query.next, paths.session(snap.event.slug, session.code));
    return reply.redirect(`${attendeePaths.star(snap.event.slug, session.code)}?next=${encodeURIComponent(next)}`, 303);
  });

  app.get<{ Params: { slug: string; code: string }; Querystring: { next?: string } }>('/events/:slug/sessions/:code/star', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const session = sessionOf(snap, request.params.code);
    const starred = (await starredSessionIds(ctx.db, actor.userId, head.id)).has(session.id);
    const e = snap.event;
    const next = safeNext(request.query.next, paths.session(e.slug, session.code));
    const clock = new LocalClock(e.timeZone);
    return sendAttendeePage(request, reply, actor, {
      title: starred ? 'Remove the star' : 'Star a session',
      event: e,
      body: (csrf) => (
        <section class="account-card">
          <h1 safe>{session.title}</h1>
          <p safe>{formatSessionWhen(clock, session.startsAt, session.endsAt)}</p>
          <p>{starred ? 'This session is in your agenda.' : 'Add this session to your agenda?'}</p>
          <form method="post" action={attrText(starred ? attendeePaths.unstar(e.slug, session.code) : attendeePaths.star(e.slug, session.code))}>
            <CsrfField token={csrf} />
            <input type="hidden" name="next" value={attrText(next)} />
            <button type="submit">{starred ? 'Remove the star' : '★ Star this session'}</button>
          </form>
          <p>
            <a href={attrText(next)}>Back</a> · <a href={attrText(attendeePaths.myAgenda(e.slug))}>My agenda</a>
          </p>
        </section>
      ),
    });
  });

  for (const action of ['star', 'unstar'] as const) {
    app.post<{ Params: { slug: string; code: string } }>(`/events/:slug/sessions/:code/${action}`, async (request, reply) => {
      if (!request.actor && wantsJson(request)) return reply.code(401).send({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.', status: 401 } });
      const actor = signedInActor(request, reply);
      if (!actor) return reply;
      const { head, snap } = await eventOf(ctx, request.params.slug);
      const session = sessionOf(snap, request.params.code);
      const state =
        action === 'star' ? await starSession(ctx.db, actor, head.id, session.id, ctx.clock) : await unstarSession(ctx.db, actor, head.id, session.id);
      if (wantsJson(request)) return reply.send({ code: session.code, starred: state.starred });
      const notice = state.starred ? `"${session.title}" is in your agenda.` : `"${session.title}" is no longer in your agenda.`;
      return redirectWithNotice(reply, backTo(request.body, paths.session(snap.event.slug, session.code)), notice);
    });
  }

  // Signed out is an answer, not an error: a 401 here was red noise in every visitor's console.
  app.get<{ Params: { slug: string } }>('/events/:slug/my/starred.json', async (request, reply) => {
    if (!request.actor) return reply.send({ signedIn: false, starred: [], speaking: [] });
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const [ids, speaking] = await Promise.all([
      starredSessionIds(ctx.db, request.actor.userId, head.id),
      speakingSessionIds(ctx.db, request.actor.userId, head.id),
    ]);
    const codes = (set: Set<number>) => snap.sessions.filter((s) => set.has(s.id)).map((s) => s.code);
    return reply.send({ signedIn: true, starred: codes(ids), speaking: codes(speaking), csrf: csrfToken(reply) });
  });
}
