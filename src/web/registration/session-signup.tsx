import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { localLabel } from '../../modules/events/event-dates.js';
import { listSignupSessions } from '../../modules/registration/registration-pages.queries.js';
import { RegistrationErrors } from '../../modules/registration/registration.errors.js';
import { getMyRsvp, type RegistrationContext } from '../../modules/registration/rsvp.queries.js';
import { cancelSessionSignup, signUpForSession } from '../../modules/registration/session-signup.actions.js';
import { ButtonForm } from '../components/form.js';
import { paths, plural } from '../components/html.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { formFailure, publishedRegEvent, regPaths, sendRegPage, type RegEvent } from './shared.js';

/**
 * Sign-up for sessions that take it (workshops), private:
 *   GET  /events/:slug/sessions/:code/signup          seats left, my place, the button
 *   POST /events/:slug/sessions/:code/signup          signUpForSession(); back with a notice
 *   POST /events/:slug/sessions/:code/signup/cancel   cancelSessionSignup()
 * Refusals (no confirmed RSVP, an overlapping session, event over) are shown on the page.
 */
export async function sessionSignupRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/signup', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const ev = await publishedRegEvent(ctx, rctx, request.params.slug);
    return renderSignupPage(ctx, request, reply, actor, ev, request.params.code);
  });

  for (const cancel of [false, true]) {
    app.post<{ Params: { slug: string; code: string } }>(`/events/:slug/sessions/:code/signup${cancel ? '/cancel' : ''}`, async (request, reply) => {
      const actor = signedInActor(request, reply);
      if (!actor) return reply;
      const ev = await publishedRegEvent(ctx, rctx, request.params.slug);
      const session = await sessionByCode(ctx, ev, request.params.code, actor.userId);
      try {
        const r = cancel
          ? await cancelSessionSignup(ctx.db, rctx, actor, ev.row.id, session.sessionId)
          : await signUpForSession(ctx.db, rctx, actor, ev.row.id, session.sessionId);
        const notice =
          r.status === 'going'
            ? `You have a seat in "${session.title}".`
            : r.status === 'waitlisted'
              ? `"${session.title}" is full: you're number ${r.waitlistPosition ?? '?'} on its waitlist.`
              : `You gave up your place in "${session.title}".`;
        return redirectWithNotice(reply, regPaths.signup(ev.row.slug, session.code), notice);
      } catch (err) {
        const { state, status } = formFailure(err, {});
        return renderSignupPage(
          ctx,
          request,
          reply,
          actor,
          ev,
          request.params.code,
          [state.message ?? '', ...Object.values(state.errors)].filter(Boolean),
          status,
        );
      }
    });
  }
}

async function sessionByCode(ctx: AppContext, ev: RegEvent, code: string, userId: number) {
  const snap = await ctx.snapshots.snapshot(await ctx.snapshots.publishedHead(ev.row.slug));
  const s = snap.sessionByCode.get(code);
  const found = s ? (await listSignupSessions(ctx.db, ev.row.id, userId, s.id))[0] : undefined;
  if (!found) throw RegistrationErrors.signupNotOffered();
  return found;
}

async function renderSignupPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  ev: RegEvent,
  code: string,
  problems: string[] = [],
  status = 200,
): Promise<FastifyReply> {
  const s = await sessionByCode(ctx, ev, code, actor.userId);
  const rsvp = await getMyRsvp(ctx.db, ev.row.id, actor.userId);
  const e = ev.row;
  const mine = s.mine && s.mine.status !== 'cancelled' ? s.mine : null;
  const left = s.capacity === null ? null : Math.max(0, s.capacity - s.going);
  return sendRegPage(request, reply, actor, {
    title: `Sign up: ${s.title}`,
    event: e,
    status,
    body: (csrf) => (
      <section class="signup-page">
        <h1 safe>{`Sign up: ${s.title}`}</h1>
        <p class="rsvp-when" safe>
          {`${localLabel(s.startsAt, e.time_zone)}–${localLabel(s.endsAt, e.time_zone).slice(11)} (${e.time_zone})`}
        </p>
        <p class="rsvp-seats" safe>
          {left === null
            ? 'No seat limit'
            : left > 0
              ? `${plural(left, 'seat')} left of ${s.capacity}`
              : `Full: ${plural(s.waitlisted, 'person', 'people')} on the waitlist`}
        </p>
        {problems.length ? (
          <div class="error-summary" role="alert" tabindex="-1">
            {problems.map((m) => (
              <p safe>{m}</p>
            ))}
          </div>
        ) : (
          ''
        )}
        <p class="rsvp-status" id="signup-status">
          {mine
            ? mine.status === 'going'
              ? 'You have a seat in this session.'
              : `You're number ${mine.waitlistPosition} on this session's waitlist.`
            : 'You are not signed up.'}
        </p>
        {mine ? (
          <ButtonForm
            action={regPaths.signupCancel(e.slug, s.code)}
            csrf={csrf}
            label={mine.status === 'going' ? 'Give up my seat' : 'Leave the waitlist'}
            class="button-secondary"
          />
        ) : rsvp?.status === 'going' ? (
          <ButtonForm action={regPaths.signup(e.slug, s.code)} csrf={csrf} label={left === 0 ? 'Join the waitlist' : 'Sign me up'} />
        ) : (
          <p>
            Sign-up needs a confirmed RSVP first: <a href={regPaths.rsvp(e.slug)}>RSVP to the event</a>.
          </p>
        )}
        <p>
          <a href={paths.session(e.slug, s.code)}>About this session</a> · <a href={regPaths.rsvp(e.slug)}>My RSVP</a>
        </p>
      </section>
    ),
  });
}
