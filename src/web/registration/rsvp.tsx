import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { localLabel } from '../../modules/events/event-dates.js';
import { listSignupSessions, listTicketTypes, type SignupSessionView } from '../../modules/registration/registration-pages.queries.js';
import { cancelRsvp, rsvp } from '../../modules/registration/rsvp.actions.js';
import { getMyRsvp, getSeatCounts, type RegistrationContext, type RsvpView } from '../../modules/registration/rsvp.queries.js';
import { ButtonForm, formState, PostForm, type FormState } from '../components/form.js';
import { paths, plural } from '../components/html.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { partyWaitText, RsvpFields, RsvpStatus, rsvpInput, rsvpValues, SeatsLine, statusText, windowText } from './rsvp-form.js';
import { bodyOf, formFailure, publishedRegEvent, regPaths, sendRegPage, type RegEvent } from './shared.js';

/**
 * The attendee's RSVP page (private: signed in, no-store, CSRF-checked posts):
 *   GET  /events/:slug/rsvp          seats left / waitlist (live), the form, my status, cancel,
 *                                    my ticket link, sessions that need sign-up
 *   POST /events/:slug/rsvp          rsvp(); back here with a notice, or the form with problems
 *   POST /events/:slug/rsvp/cancel   cancelRsvp(); back here with a notice
 */
export async function rsvpRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  // The signed-in person's standing for the cached public event page (assets/rsvp-counts.js):
  // "You're going", "on the waitlist, number 4", the ticket link. Signed out is an answer too.
  app.get<{ Params: { slug: string } }>('/events/:slug/my/rsvp.json', async (request, reply) => {
    const actor = request.actor;
    if (!actor) return reply.send({ signedIn: false });
    const ev = await publishedRegEvent(ctx, rctx, request.params.slug);
    const mine = await getMyRsvp(ctx.db, ev.row.id, actor.userId);
    return reply.send({
      signedIn: true,
      status: mine?.status ?? null,
      text: mine ? statusText(mine) : null,
      ticket: mine?.status === 'going' ? regPaths.ticket(ev.row.slug) : null,
    });
  });

  app.get<{ Params: { slug: string } }>('/events/:slug/rsvp', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const ev = await publishedRegEvent(ctx, rctx, request.params.slug);
    const mine = await getMyRsvp(ctx.db, ev.row.id, actor.userId);
    return renderRsvpPage(ctx, request, reply, actor, ev, mine, formState(rsvpValues(mine)));
  });

  app.post<{ Params: { slug: string } }>('/events/:slug/rsvp', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const ev = await publishedRegEvent(ctx, rctx, request.params.slug);
    const body = bodyOf(request);
    const types = await listTicketTypes(ctx.db, ev.row.id);
    try {
      const result = await rsvp(ctx.db, rctx, actor, ev.row.id, rsvpInput(body, ev.settings, types));
      const r = result.rsvp;
      const free = r.status === 'waitlisted' ? (await getSeatCounts(ctx.db, ev.row.id)).seatsFree : null;
      const notice = !result.changed
        ? 'Nothing changed: that was already your answer.'
        : r.status === 'going'
          ? `You're going to ${ev.row.title}. A confirmation is on its way to your inbox.`
          : r.status === 'waitlisted'
            ? free !== null && free > 0 && free < 1 + r.guests
              ? partyWaitText(r, free)
              : `${ev.row.title} is full: you're on the waitlist, number ${r.waitlistPosition ?? '?'} in line.`
            : r.status === 'cancelled'
              ? 'Your RSVP is cancelled; your seat went to the next person in line.'
              : "Thanks for letting us know you can't come.";
      return redirectWithNotice(reply, regPaths.rsvp(ev.row.slug), notice);
    } catch (err) {
      const { state, status } = formFailure(err, body);
      const mine = await getMyRsvp(ctx.db, ev.row.id, actor.userId);
      return renderRsvpPage(ctx, request, reply, actor, ev, mine, state, status);
    }
  });

  app.post<{ Params: { slug: string } }>('/events/:slug/rsvp/cancel', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const ev = await publishedRegEvent(ctx, rctx, request.params.slug);
    try {
      const result = await cancelRsvp(ctx.db, rctx, actor, ev.row.id);
      return redirectWithNotice(
        reply,
        regPaths.rsvp(ev.row.slug),
        result.changed ? 'Your RSVP is cancelled. Thanks for freeing your seat.' : 'Your RSVP was already cancelled.',
      );
    } catch (err) {
      const { state, status } = formFailure(err, {});
      const mine = await getMyRsvp(ctx.db, ev.row.id, actor.userId);
      return renderRsvpPage(ctx, request, reply, actor, ev, mine, { ...formState(rsvpValues(mine)), message: state.message }, status);
    }
  });
}

async function renderRsvpPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  ev: RegEvent,
  mine: RsvpView | null,
  state: FormState,
  status = 200,
): Promise<FastifyReply> {
  const [counts, types, sessions] = await Promise.all([
    getSeatCounts(ctx.db, ev.row.id),
    listTicketTypes(ctx.db, ev.row.id),
    listSignupSessions(ctx.db, ev.row.id, actor.userId),
  ]);
  const e = ev.row;
  const conference = e.kind === 'conference';
  const active = mine?.status === 'going' || mine?.status === 'waitlisted';
  const closedNote = windowText(ev);
  const open = ev.window === 'open' && !e.cancelled_at && ev.now < ev.span.endsAt;
  const tz = e.time_zone;
  return sendRegPage(request, reply, actor, {
    title: conference ? 'Register' : 'RSVP',
    event: e,
    status,
    body: (csrf) => (
      <section class="rsvp-page">
        <h1 safe>{`${conference ? 'Register for' : 'RSVP to'} ${e.title}`}</h1>
        <p class="rsvp-when" safe>
          {`${localLabel(ev.span.startsAt, tz)} (${tz})${e.venue_name ? ` · ${e.venue_name}` : ''}`}
        </p>
        <SeatsLine counts={counts} />
        {closedNote ? (
          <p class="rsvp-window" safe>
            {closedNote}
          </p>
        ) : (
          ''
        )}
        <RsvpStatus rsvp={mine} seatsFree={counts.seatsFree} />
        {open && mine?.status === 'waitlisted' && counts.seatsFree !== null && counts.seatsFree > 0 && counts.seatsFree < 1 + mine.guests ? (
          <PostForm action={regPaths.rsvp(e.slug)} csrf={csrf} class="rsvp-fewer" label="Come with fewer guests">
            {Object.entries({ ...rsvpValues(mine), guests: String(counts.seatsFree - 1) }).map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))}
            <button type="submit" safe>
              {counts.seatsFree === 1 ? 'Come alone: take the free seat now' : `Come with ${plural(counts.seatsFree - 1, 'guest')}: take the free seats now`}
            </button>
          </PostForm>
        ) : (
          ''
        )}
        {mine?.status === 'going' ? (
          <p>
            <a class="button" href={regPaths.ticket(e.slug)}>
              Show my ticket
            </a>
          </p>
        ) : (
          ''
        )}
        {open || active || state.message ? (
          <PostForm action={regPaths.rsvp(e.slug)} csrf={csrf} class="rsvp-form" label="Your RSVP">
            <RsvpFields state={state} settings={ev.settings} types={types} kind={e.kind} />
            <button type="submit">{active ? 'Update my RSVP' : conference ? 'Send my registration' : 'Send my RSVP'}</button>
          </PostForm>
        ) : (
          ''
        )}
        {active ? (
          <section class="rsvp-cancel" aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">Can't come after all?</h2>
            <p>Cancelling frees your seat for the next person on the waitlist.</p>
            <ButtonForm
              action={regPaths.rsvpCancel(e.slug)}
              csrf={csrf}
              label={mine?.status === 'waitlisted' ? 'Leave the waitlist' : 'Cancel my RSVP'}
              class="button-secondary"
            />
          </section>
        ) : (
          ''
        )}
        <SignupList slug={e.slug} sessions={sessions} tz={tz} going={mine?.status === 'going'} />
        <p>
          <a href={paths.event(e.slug)}>Back to the event</a>
        </p>
      </section>
    ),
  });
}

function SignupList(p: { slug: string; sessions: readonly SignupSessionView[]; tz: string; going: boolean }): JSX.Element {
  if (p.sessions.length === 0) return '';
  return (
    <section aria-labelledby="signup-heading" class="rsvp-signups">
      <h2 id="signup-heading">Sessions that need sign-up</h2>
      {p.going ? '' : <p>Sign-up opens to you once your RSVP is confirmed.</p>}
      <ul class="signup-list">
        {p.sessions.map((s) => (
          <li>
            <a href={regPaths.signup(p.slug, s.code)} safe>
              {s.title}
            </a>{' '}
            <span class="signup-meta" safe>
              {`${localLabel(s.startsAt, p.tz)} · ${s.capacity === null ? 'no seat limit' : `${plural(Math.max(0, s.capacity - s.going), 'seat')} left`}${s.mine && s.mine.status !== 'cancelled' ? (s.mine.status === 'going' ? ' · you are signed up' : ` · you are number ${s.mine.waitlistPosition} on the waitlist`) : ''}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
