import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { localLabel } from '../../modules/events/event-dates.js';
import { listTicketTypes } from '../../modules/registration/registration-pages.queries.js';
import { readRsvpLink, updateRsvpByLink } from '../../modules/registration/rsvp.actions.js';
import { getSeatCounts, type RegistrationContext, type RsvpView } from '../../modules/registration/rsvp.queries.js';
import { formState, PostForm, type FormState } from '../components/form.js';
import { attrText, paths } from '../components/html.js';
import { redirectWithNotice } from '../private.js';
import { RsvpFields, RsvpStatus, rsvpInput, rsvpValues, SeatsLine, windowText } from './rsvp-form.js';
import { bodyOf, field, formFailure, regEventById, regPaths, sendRegPage, type RegEvent } from './shared.js';

/**
 * The "update my RSVP" link from registration mails, without signing in (inside privatePages for
 * no-store and the CSRF check; the signed token is the only credential):
 *   GET  /rsvp/manage?token=…    shows the RSVP and the form; never changes anything (mail
 *                                scanners follow links)
 *   POST /rsvp/manage            updateRsvpByLink(token, answer); back to the link with a notice
 *   POST /rsvp/manage/cancel     updateRsvpByLink(token, no)
 * A forged, foreign or expired token answers the error page (400 RSVP_LINK_INVALID, 410
 * RSVP_LINK_EXPIRED). The page sends no Referer, so the token never leaks to another site.
 */
export async function manageLinkRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  app.get<{ Querystring: { token?: string } }>('/rsvp/manage', async (request, reply) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    const link = await readRsvpLink(ctx.db, rctx, token);
    const ev = await regEventById(ctx, rctx, link.eventId);
    return renderManagePage(ctx, request, reply, token, ev, link.rsvp, formState(rsvpValues(link.rsvp)));
  });

  const update = async (request: FastifyRequest, reply: FastifyReply, cancel: boolean) => {
    const body = bodyOf(request);
    const token = field(body, 'token');
    const link = await readRsvpLink(ctx.db, rctx, token);
    const ev = await regEventById(ctx, rctx, link.eventId);
    const types = await listTicketTypes(ctx.db, ev.row.id);
    try {
      const result = await updateRsvpByLink(ctx.db, rctx, token, rsvpInput(body, ev.settings, types, cancel ? false : undefined));
      const r = result.rsvp;
      const notice = !result.changed
        ? 'Nothing changed: that was already your answer.'
        : r.status === 'cancelled'
          ? 'Your RSVP is cancelled. Thanks for freeing your seat.'
          : r.status === 'waitlisted'
            ? `You're on the waitlist, number ${r.waitlistPosition ?? '?'} in line.`
            : r.status === 'going'
              ? 'Your RSVP is updated.'
              : "Thanks for letting us know you can't come.";
      return redirectWithNotice(reply, regPaths.manageLink(token), notice);
    } catch (err) {
      const { state, status } = formFailure(err, body);
      const fresh = await readRsvpLink(ctx.db, rctx, token);
      return renderManagePage(ctx, request, reply, token, ev, fresh.rsvp, state, status);
    }
  };
  app.post('/rsvp/manage', (request, reply) => update(request, reply, false));
  app.post('/rsvp/manage/cancel', (request, reply) => update(request, reply, true));
}

async function renderManagePage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  ev: RegEvent,
  mine: RsvpView,
  state: FormState,
  status = 200,
): Promise<FastifyReply> {
  const [counts, types] = await Promise.all([getSeatCounts(ctx.db, ev.row.id), listTicketTypes(ctx.db, ev.row.id)]);
  const e = ev.row;
  const active = mine.status === 'going' || mine.status === 'waitlisted';
  const note = windowText(ev);
  reply.header('Referrer-Policy', 'no-referrer');
  return sendRegPage(request, reply, request.actor, {
    title: 'Your RSVP',
    event: e,
    status,
    body: (csrf) => (
      <section class="rsvp-page">
        <h1 safe>{`Your RSVP: ${e.title}`}</h1>
        <p class="rsvp-when" safe>
          {`${localLabel(ev.span.startsAt, e.time_zone)} (${e.time_zone})${e.venue_name ? ` · ${e.venue_name}` : ''}`}
        </p>
        <SeatsLine counts={counts} />
        {note ? (
          <p class="rsvp-window" safe>
            {note}
          </p>
        ) : (
          ''
        )}
        <RsvpStatus rsvp={mine} />
        <PostForm action={regPaths.manageLinkPost()} csrf={csrf} class="rsvp-form" label="Change your RSVP">
          <input type="hidden" name="token" value={attrText(token)} />
          <RsvpFields state={state} settings={ev.settings} types={types} kind={e.kind} />
          <button type="submit">Save my answer</button>
        </PostForm>
        {active ? (
          <form method="post" action={regPaths.manageLinkCancel()} class="button-form rsvp-cancel">
            <input type="hidden" name="_csrf" value={attrText(csrf)} />
            <input type="hidden" name="token" value={attrText(token)} />
            <button type="submit" class="button-secondary">
              {mine.status === 'waitlisted' ? 'Leave the waitlist' : 'Cancel my RSVP'}
            </button>
          </form>
        ) : (
          ''
        )}
        <p>
          This page works from the link in your e-mail without signing in. <a href={paths.event(e.slug)}>Event page</a> ·{' '}
          <a href={regPaths.ticket(e.slug)}>My ticket (sign in)</a>
        </p>
      </section>
    ),
  });
}
