import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import { exportAttendeesCsv, listAttendees } from '../../modules/registration/checkin.actions.js';
import { changeCapacity, createTicketType, moveRsvp, setRsvpsOpen, updateRegistrationSettings } from '../../modules/registration/registration.actions.js';
import { listTicketTypes } from '../../modules/registration/registration-pages.queries.js';
import { canManageRegistration } from '../../modules/registration/registration.policy.js';
import { getRegistrationCounts, type RegistrationContext } from '../../modules/registration/rsvp.queries.js';
import { formState, type FormState } from '../components/form.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { settingsInput, settingsValues } from './organizer-input.js';
import { CapacityConfirm, Dashboard } from './organizer-view.js';
import { bodyOf, field, formFailure, idParam, regEventById, regPaths, scopeOfRow, sendOrgPage, type RegEvent } from './shared.js';

/**
 * The organizer's registration page (private; organizers of the event only, else 403):
 *   GET  /manage/events/:id/registration                 counts, settings, capacity, ticket
 *                                                        types, attendees (?q= searches names)
 *   POST /manage/events/:id/registration/settings        updateRegistrationSettings
 *   POST /manage/events/:id/registration/capacity        changeCapacity; lowering below the
 *                                                        confirmed seats answers 409 with the
 *                                                        confirmation step (who moves; the
 *                                                        number to confirm is posted back)
 *   POST /manage/events/:id/registration/close|open      setRsvpsOpen
 *   POST /manage/events/:id/registration/ticket-types    createTicketType
 *   POST /manage/events/:id/registration/move            moveRsvp (promote, to waitlist, cancel)
 *   GET  /manage/events/:id/registration/attendees.csv   exportAttendeesCsv, as a download
 */
export async function organizerRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  type Req = FastifyRequest<{ Params: { id: string }; Querystring: { q?: string } }>;

  /** The event for an organizer, or 403/404 before anything is shown. */
  const organizerEvent = async (actor: Actor, request: Req): Promise<RegEvent> => {
    const ev = await regEventById(ctx, rctx, idParam(request.params.id));
    if (!canManageRegistration(actor, scopeOfRow(ev.row))) throw EventErrors.forbidden('manage registration of this event');
    return ev;
  };

  const render = async (
    request: Req,
    reply: FastifyReply,
    actor: Actor,
    ev: RegEvent,
    forms: { settings?: FormState; capacity?: FormState; ticket?: FormState; actionError?: DomainError; status?: number } = {},
  ) => {
    const search = typeof request.query.q === 'string' ? request.query.q.slice(0, 100) : '';
    const [counts, types, attendees] = await Promise.all([
      getRegistrationCounts(ctx.db, ev.row.id),
      listTicketTypes(ctx.db, ev.row.id),
      listAttendees(ctx.db, actor, ev.row.id, { search }),
    ]);
    const d = {
      ev,
      counts,
      types,
      attendees,
      search,
      settingsState: forms.settings ?? formState(settingsValues(ev.settings, ev.row.time_zone)),
      capacityState: forms.capacity ?? formState({}),
      ticketState: forms.ticket ?? formState({}),
      actionError: forms.actionError,
    };
    return sendOrgPage(request, reply, actor, { title: 'Registration', event: ev.row, status: forms.status, body: (csrf) => <Dashboard d={d} csrf={csrf} /> });
  };

  app.get<{ Params: { id: string }; Querystring: { q?: string } }>('/manage/events/:id/registration', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return render(request, reply, actor, await organizerEvent(actor, request));
  });

  /** Runs a form's action: 303 back with a notice, or the page with the form's problems. */
  const post = (
    path: string,
    run: (actor: Actor, ev: RegEvent, body: Record<string, unknown>) => Promise<string>,
    onError: (
      err: unknown,
      body: Record<string, unknown>,
      ev: RegEvent,
    ) => { settings?: FormState; capacity?: FormState; ticket?: FormState; actionError?: DomainError; status: number },
  ) => {
    app.post<{ Params: { id: string }; Querystring: { q?: string } }>(`/manage/events/:id/registration/${path}`, async (request, reply) => {
      const actor = signedInActor(request, reply);
      if (!actor) return reply;
      const ev = await organizerEvent(actor, request);
      const body = bodyOf(request);
      try {
        const notice = await run(actor, ev, body);
        return redirectWithNotice(
          reply,
          regPaths.registration(ev.row.id) + (path === 'move' && field(body, 'q') ? `?q=${encodeURIComponent(field(body, 'q'))}` : ''),
          notice,
        );
      } catch (err) {
        if (path === 'capacity' && err instanceof DomainError && err.code === 'RSVP_CAPACITY_BELOW_CONFIRMED') {
          const capacity = Number(field(body, 'capacity'));
          return sendOrgPage(request, reply, actor, {
            title: 'Confirm capacity',
            event: ev.row,
            status: 409,
            body: (csrf) => <CapacityConfirm ev={ev} capacity={capacity} error={err} csrf={csrf} />,
          });
        }
        const fresh = await regEventById(ctx, rctx, ev.row.id);
        return render(request, reply, actor, fresh, onError(err, body, fresh));
      }
    });
  };

  post(
    'settings',
    async (actor, ev, body) => {
      await updateRegistrationSettings(ctx.db, rctx, actor, ev.row.id, settingsInput(body, ev.row.time_zone));
      return 'Registration settings saved.';
    },
    (err, body) => {
      const f = formFailure(err, body);
      return { settings: f.state, status: f.status };
    },
  );

  post(
    'capacity',
    async (actor, ev, body) => {
      const r = await changeCapacity(ctx.db, rctx, actor, ev.row.id, {
        capacity: field(body, 'capacity'),
        confirmMoveToWaitlist: field(body, 'confirmMoveToWaitlist'),
      });
      const parts = [`Capacity set to ${r.settings.capacity ?? 'no limit'}.`];
      if (r.promoted.length) parts.push(`${r.promoted.length} promoted from the waitlist.`);
      if (r.movedToWaitlist.length) parts.push(`${r.movedToWaitlist.length} moved to the waitlist.`);
      return parts.join(' ');
    },
    (err, body) => {
      const f = formFailure(err, body);
      return { capacity: f.state, status: f.status };
    },
  );

  for (const open of [true, false]) {
    post(
      open ? 'open' : 'close',
      async (actor, ev) => {
        await setRsvpsOpen(ctx.db, rctx, actor, ev.row.id, open);
        return open ? 'RSVPs are open again.' : 'RSVPs are closed. People can still cancel.';
      },
      (err) => actionFailure(err),
    );
  }

  post(
    'ticket-types',
    async (actor, ev, body) => {
      const t = await createTicketType(ctx.db, rctx, actor, ev.row.id, {
        name: field(body, 'name'),
        description: field(body, 'description'),
        quota: field(body, 'quota'),
      });
      return `Ticket type "${t.name}" added.`;
    },
    (err, body) => {
      const f = formFailure(err, body);
      return { ticket: f.state, status: f.status };
    },
  );

  post(
    'move',
    async (actor, ev, body) => {
      const r = await moveRsvp(ctx.db, rctx, actor, ev.row.id, { rsvpId: field(body, 'rsvpId'), to: field(body, 'to') });
      const what =
        r.rsvp.status === 'going' ? 'is going' : r.rsvp.status === 'waitlisted' ? `is number ${r.rsvp.waitlistPosition} on the waitlist` : 'is cancelled';
      return `RSVP #${r.rsvp.id} ${what}.${r.promoted.length ? ` ${r.promoted.length} promoted from the waitlist.` : ''}`;
    },
    (err) => actionFailure(err),
  );

  app.get<{ Params: { id: string } }>('/manage/events/:id/registration/attendees.csv', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const ev = await regEventById(ctx, rctx, idParam(request.params.id));
    const csv = await exportAttendeesCsv(ctx.db, actor, ev.row.id);
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${ev.row.slug}-attendees.csv"`).send(csv);
  });
}

/** A refused one-button action: shown above the page, answered with its status. */
function actionFailure(err: unknown): { actionError: DomainError; status: number } {
  if (!(err instanceof DomainError) || err.status === 404 || err.status === 403 || err.status >= 500) throw err;
  return { actionError: err, status: err.status };
}
