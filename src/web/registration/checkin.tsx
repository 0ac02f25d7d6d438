import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import { localLabel } from '../../modules/events/event-dates.js';
import { checkInByTicket, checkInRsvp, listAttendees, undoCheckIn, type AttendeeRow, type CheckedIn } from '../../modules/registration/checkin.actions.js';
import { canCheckIn } from '../../modules/registration/registration.policy.js';
import { getRegistrationCounts, type RegistrationContext } from '../../modules/registration/rsvp.queries.js';
import { CsrfField } from '../components/form.js';
import { attrText, cx, plural } from '../components/html.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { bodyOf, field, idParam, regEventById, regPaths, scopeOfRow, sendOrgPage, type RegEvent } from './shared.js';

/**
 * The door: check-in for organizers and volunteers, made for a phone (private; canCheckIn):
 *   GET  /manage/events/:id/checkin?q=        ticket code form, name search with results
 *   POST /manage/events/:id/checkin/ticket    checkInByTicket(token): the page with the result
 *                                             (or JSON { result } for assets/checkin.js, which
 *                                             reads QR codes with the camera where the browser
 *                                             has BarcodeDetector)
 *   POST /manage/events/:id/checkin/rsvp      checkInRsvp(rsvpId) from the search results
 *   POST /manage/events/:id/checkin/undo      undoCheckIn(rsvpId)
 * A refused check-in (second scan, cancelled ticket, another event's ticket, forged code) is
 * shown as a warning with its reason, answered 409/400; nothing changes.
 */

/** What the volunteer sees after a scan or a button. */
export interface CheckinResult {
  readonly kind: 'ok' | 'warning' | 'refused';
  readonly code: string;
  readonly title: string;
  readonly detail: string;
}

function okResult(c: CheckedIn): CheckinResult {
  const party = c.guests > 0 ? `with ${plural(c.guests, 'guest')}` : 'no guests';
  return { kind: 'ok', code: 'CHECKED_IN', title: `Checked in: ${c.name}`, detail: [party, c.ticketType].filter(Boolean).join(' · ') };
}

const TITLES: Record<string, string> = {
  TICKET_ALREADY_CHECKED_IN: 'Second scan',
  TICKET_CANCELLED: 'Cancelled ticket: do not admit',
  TICKET_OTHER_EVENT: 'Ticket for another event',
  TICKET_INVALID: 'Not a valid ticket',
  RSVP_NOT_FOUND: 'No such RSVP',
};

/** A refused check-in as a result; permission and unexpected errors are rethrown. */
function refusedResult(err: unknown): { result: CheckinResult; status: number } {
  if (!(err instanceof DomainError) || err.code === 'FORBIDDEN' || err.status >= 500) throw err;
  const title = TITLES[err.code] ?? 'Not checked in';
  return { result: { kind: err.code === 'TICKET_ALREADY_CHECKED_IN' ? 'warning' : 'refused', code: err.code, title, detail: err.message }, status: err.status };
}

export async function checkinRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  const doorEvent = async (actor: Actor, rawId: string): Promise<RegEvent> => {
    const ev = await regEventById(ctx, rctx, idParam(rawId));
    if (!canCheckIn(actor, scopeOfRow(ev.row))) throw EventErrors.forbidden('check people in at this event');
    return ev;
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, actor: Actor, ev: RegEvent, q: string, result?: CheckinResult, status = 200) => {
    const search = q.trim().slice(0, 100);
    const [counts, found] = await Promise.all([
      getRegistrationCounts(ctx.db, ev.row.id),
      search ? listAttendees(ctx.db, actor, ev.row.id, { search }) : Promise.resolve([] as AttendeeRow[]),
    ]);
    return sendOrgPage(request, reply, actor, {
      title: 'Check-in',
      event: ev.row,
      status,
      scripts: ['/assets/checkin.js'],
      mainClass: 'bo checkin-main',
      body: (csrf) => <CheckinPage ev={ev} csrf={csrf} q={search} found={found} result={result} checkedIn={counts.checkedIn} going={counts.going} />,
    });
  };

  app.get<{ Params: { id: string }; Querystring: { q?: string } }>('/manage/events/:id/checkin', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const ev = await doorEvent(actor, request.params.id);
    return render(request, reply, actor, ev, typeof request.query.q === 'string' ? request.query.q : '');
  });

  for (const via of ['ticket', 'rsvp'] as const) {
    app.post<{ Params: { id: string } }>(`/manage/events/:id/checkin/${via}`, async (request, reply) => {
      const actor = signedInActor(request, reply);
      if (!actor) return reply;
      const ev = await doorEvent(actor, request.params.id);
      const body = bodyOf(request);
      let outcome: { result: CheckinResult; status: number };
      try {
        const c =
          via === 'ticket'
            ? await checkInByTicket(ctx.db, rctx, actor, ev.row.id, field(body, 'token'))
            : await checkInRsvp(ctx.db, rctx, actor, ev.row.id, idParam(field(body, 'rsvpId')));
        outcome = { result: okResult(c), status: 200 };
      } catch (err) {
        outcome = refusedResult(err);
      }
      if ((request.headers.accept ?? '').includes('application/json')) return reply.code(outcome.status).send({ result: outcome.result });
      return render(request, reply, actor, ev, field(body, 'q'), outcome.result, outcome.status);
    });
  }

  app.post<{ Params: { id: string } }>('/manage/events/:id/checkin/undo', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const ev = await doorEvent(actor, request.params.id);
    const body = bodyOf(request);
    await undoCheckIn(ctx.db, actor, ev.row.id, idParam(field(body, 'rsvpId')));
    const q = field(body, 'q');
    return redirectWithNotice(reply, regPaths.checkin(ev.row.id) + (q ? `?q=${encodeURIComponent(q)}` : ''), 'Check-in undone.');
  });
}

function ResultPanel(p: { result?: CheckinResult }): JSX.Element {
  const r = p.result;
  return (
    <div
      id="checkin-result"
      class={cx('checkin-result', r && `checkin-${r.kind}`)}
      role="status"
      aria-live="assertive"
      data-code={r ? attrText(r.code) : undefined}
    >
      {r ? (
        <>
          <p class="checkin-title" safe>
            {r.title}
          </p>
          <p class="checkin-detail" safe>
            {r.detail}
          </p>
        </>
      ) : (
        ''
      )}
    </div>
  );
}

function CheckinPage(p: {
  ev: RegEvent;
  csrf: string;
  q: string;
  found: readonly AttendeeRow[];
  result?: CheckinResult;
  checkedIn: number;
  going: number;
}): JSX.Element {
  const e = p.ev.row;
  return (
    <section class="checkin">
      <h1 safe>{`Check-in: ${e.title}`}</h1>
      <p class="checkin-count" safe>{`${p.checkedIn} of ${plural(p.going, 'person', 'people')} going checked in`}</p>
      <ResultPanel result={p.result} />
      <form method="post" action={regPaths.checkin(e.id, 'ticket')} class="checkin-ticket" id="ticket-form" aria-label="Check in a ticket">
        <CsrfField token={p.csrf} />
        <input type="hidden" name="q" value={attrText(p.q)} />
        <div class="field">
          <label for="f-token">Ticket code</label>
          <p class="hint" id="f-token-hint">
            Scan the QR code, or type the code shown under "Ticket code as text".
          </p>
          <input id="f-token" name="token" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" aria-describedby="f-token-hint" />
        </div>
        <button type="submit">Check in ticket</button>
        <div id="scanner" class="checkin-scanner" hidden></div>
      </form>
      <form method="get" action={regPaths.checkin(e.id)} class="checkin-search" role="search" aria-label="Search attendees">
        <div class="field">
          <label for="f-q">Find by name</label>
          <input id="f-q" name="q" type="search" value={attrText(p.q)} autocomplete="off" />
        </div>
        <button type="submit">Search</button>
      </form>
      {p.q ? (
        p.found.length === 0 ? (
          <p class="empty" safe>{`Nobody called "${p.q}" has an RSVP.`}</p>
        ) : (
          <ul class="checkin-list" aria-label="People found">
            {p.found.map((a) => (
              <li class={cx('checkin-person', a.checkedInAt && 'is-checked-in', a.status !== 'going' && 'is-not-going')}>
                <p class="checkin-name" safe>
                  {a.name}
                </p>
                <p class="checkin-meta" safe>
                  {[
                    a.status === 'going'
                      ? a.checkedInAt
                        ? `checked in ${localLabel(a.checkedInAt, e.time_zone).slice(11)}`
                        : 'going'
                      : a.status === 'waitlisted'
                        ? `waitlisted #${a.waitlistPosition}: do not admit`
                        : `${a.status.replace('_', ' ')}: do not admit`,
                    a.guests > 0 ? `+${a.guests} ${a.guests === 1 ? 'guest' : 'guests'}` : '',
                    a.ticketType ?? '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
                {a.status === 'going' ? (
                  <form method="post" action={regPaths.checkin(e.id, a.checkedInAt ? 'undo' : 'rsvp')} class="button-form">
                    <CsrfField token={p.csrf} />
                    <input type="hidden" name="rsvpId" value={String(a.rsvpId)} />
                    <input type="hidden" name="q" value={attrText(p.q)} />
                    <button type="submit" class={a.checkedInAt ? 'button-secondary' : undefined}>
                      {a.checkedInAt ? 'Undo check-in' : 'Check in'}
                      <span class="vh" safe>{` ${a.name}`}</span>
                    </button>
                  </form>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ul>
        )
      ) : (
        ''
      )}
    </section>
  );
}
