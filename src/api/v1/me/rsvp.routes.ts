import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { listMyRsvps } from '../../../modules/registration/my-rsvps.queries.js';
import { RegistrationErrors } from '../../../modules/registration/registration.errors.js';
import { cancelRsvp, getTicketToken, rsvp } from '../../../modules/registration/rsvp.actions.js';
import { getMyRsvp, type RegistrationContext } from '../../../modules/registration/rsvp.queries.js';
import { bool, listOf, object, one, str } from '../zod-schema.js';
import { MyRsvpSchema, RsvpBody, RsvpJsonSchema } from '../registration.schemas.js';
import { meRoute, publishedEventId } from './route.js';

type SlugParams = { slug: string };

const RsvpAnswerSchema = object(
  { data: RsvpJsonSchema, changed: bool('false when this was already your answer (nothing was written, no mail sent).') },
  'Your RSVP as it now is.',
);

/** The token owner's RSVPs: list, read, answer (idempotent), cancel; their ticket. */
export async function myRsvpRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  const db = ctx.db;
  const slugOf = (request: { params: unknown }) => (request.params as SlugParams).slug;

  meRoute(app, {
    method: 'GET',
    url: '/rsvps',
    operationId: 'listMyRsvps',
    summary: 'My RSVPs',
    description: 'Your RSVPs to published events (every status), latest event first.',
    ok: { status: 200, schema: listOf(MyRsvpSchema, 'Your RSVPs.') },
    errors: [],
    handler: async (_request, _reply, { actor }) => ({ data: await listMyRsvps(db, actor.userId) }),
  });

  meRoute(app, {
    method: 'GET',
    url: '/events/:slug/rsvp',
    textParams: ['slug'],
    operationId: 'getMyRsvp',
    summary: 'My RSVP to an event',
    description: 'RSVP_NOT_FOUND (404) when you never answered.',
    ok: { status: 200, schema: one(RsvpJsonSchema, 'Your RSVP.') },
    errors: [404],
    handler: async (request, _reply, { actor }) => {
      const mine = await getMyRsvp(db, await publishedEventId(ctx, slugOf(request)), actor.userId);
      if (!mine) throw RegistrationErrors.notFound();
      return { data: mine };
    },
  });

  meRoute(app, {
    method: 'PUT',
    url: '/events/:slug/rsvp',
    textParams: ['slug'],
    operationId: 'answerRsvp',
    summary: 'RSVP, or change my RSVP',
    description:
      'Idempotent: one RSVP per person and event. Yes takes a seat (status `going`) or, when the event is full, a place in line (`waitlisted`, with `waitlistPosition`); a seat freed later goes to the first in line, who is mailed. Sent again with other guests, answers or ticket type, it changes the RSVP; `attending: false` cancels it. Needs a confirmed e-mail address (EMAIL_NOT_VERIFIED, 403). Refused with EVENT_PAST, EVENT_CANCELLED, RSVP_CLOSED or RSVP_NO_SEATS (409), RSVP_GUESTS_ABOVE_LIMIT or VALIDATION_FAILED (422, naming the field); nothing is changed then.',
    body: RsvpBody,
    ok: { status: 200, schema: RsvpAnswerSchema },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor }) => {
      const r = await rsvp(db, rctx, actor, await publishedEventId(ctx, slugOf(request)), request.body);
      return { data: r.rsvp, changed: r.changed };
    },
  });

  meRoute(app, {
    method: 'DELETE',
    url: '/events/:slug/rsvp',
    textParams: ['slug'],
    operationId: 'cancelMyRsvp',
    summary: 'Cancel my RSVP',
    description:
      'Gives up your seat or place in line (the seat goes to the first in line) and your session sign-ups. Cancelling again changes nothing. RSVP_NOT_FOUND (404) when you never answered; EVENT_PAST (409).',
    ok: { status: 200, schema: RsvpAnswerSchema },
    errors: [400, 404, 409],
    handler: async (request, _reply, { actor }) => {
      const r = await cancelRsvp(db, rctx, actor, await publishedEventId(ctx, slugOf(request)));
      return { data: r.rsvp, changed: r.changed };
    },
  });

  meRoute(app, {
    method: 'GET',
    url: '/events/:slug/ticket',
    textParams: ['slug'],
    operationId: 'getMyTicket',
    summary: 'My ticket',
    description:
      'The signed ticket token to show at the door as a QR code (it holds no personal data), and the web page that shows it. Only a going RSVP has a ticket: TICKET_NOT_FOUND (404) otherwise.',
    ok: {
      status: 200,
      schema: one(
        object({
          token: str('Encode this as a QR code; the door scans it.'),
          url: str('The ticket page on the website (sign-in needed), with the QR code.', { format: 'uri' }),
          rsvp: RsvpJsonSchema,
        }),
        'Your ticket.',
      ),
    },
    errors: [404],
    handler: async (request, _reply, { actor }) => {
      const slug = slugOf(request);
      const t = await getTicketToken(db, rctx, await publishedEventId(ctx, slug), actor.userId);
      return { data: { token: t.token, url: `${ctx.config.baseUrl}/events/${encodeURIComponent(slug)}/ticket`, rsvp: t.rsvp } };
    },
  });
}
