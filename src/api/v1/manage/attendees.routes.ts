import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { listAttendeesPage, scanTicket, undoCheckIn } from '../../../modules/registration/checkin.actions.js';
import { RSVP_STATUSES } from '../../../modules/registration/registration.js';
import { moveRsvp } from '../../../modules/registration/registration.actions.js';
import type { RegistrationContext } from '../../../modules/registration/rsvp.queries.js';
import { arrayOf, enumOf, instant, int, nullable, object, one, str, textMap } from '../zod-schema.js';
import { AttendeeQuerySchema, MoveSchema, TicketScanSchema } from '../../../modules/registration/registration.schemas.js';
import { RsvpJsonSchema } from '../registration.schemas.js';
import { manageRoute } from './route.js';

const AttendeeSchema = object({
  rsvpId: int(),
  name: str(),
  email: str(),
  status: enumOf(RSVP_STATUSES),
  guests: int(),
  ticketType: nullable(str()),
  answers: textMap('Answers by question id.'),
  waitlistPosition: nullable(int('1-based, while waitlisted.')),
  checkedInAt: nullable(instant('UTC.')),
  createdAt: instant('UTC.'),
});

const CheckedInSchema = object({ rsvpId: int(), name: str(), guests: int(), ticketType: nullable(str()), checkedInAt: instant('UTC.') });

/** The attendee list, moving people, and check-in at the door. */
export async function attendeeRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  const db = ctx.db;

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/attendees',
    params: ['eventId'],
    query: AttendeeQuerySchema,
    operationId: 'listAttendees',
    summary: 'Attendee list',
    description:
      'Organizers only (names, e-mail addresses, answers). Going first (by name), then the waitlist in order, then not going and cancelled; a page of at most `limit`, and the `total` of matches.',
    ok: {
      status: 200,
      schema: object({ data: arrayOf(AttendeeSchema), total: int('Matches in all pages.'), limit: int(), offset: int() }, 'A page of attendees.'),
    },
    errors: [400, 403, 404, 422],
    handler: async (request, _reply, { actor, ids }) => {
      const page = await listAttendeesPage(db, actor, ids.eventId!, request.query ?? {});
      return { data: page.items, total: page.total, limit: page.limit, offset: page.offset };
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/attendees/:rsvpId/move',
    params: ['eventId', 'rsvpId'],
    operationId: 'moveAttendee',
    summary: 'Move a person',
    description:
      'Organizers. `to: going` promotes from the waitlist ahead of the line (needs free seats: RSVP_NO_SEATS, 409); `waitlisted` moves a going person to the end of the line (their seats go to the first in line); `cancelled` cancels. RSVP_TRANSITION_INVALID (409) when the status does not allow it. The person is mailed.',
    body: MoveSchema.describe('Where to move the RSVP.'),
    ok: { status: 200, schema: object({ data: RsvpJsonSchema, promoted: int('Others promoted from the waitlist by this move.') }, 'The RSVP as moved.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      const body = request.body && typeof request.body === 'object' ? request.body : {};
      const r = await moveRsvp(db, rctx, actor, ids.eventId!, { ...body, rsvpId: ids.rsvpId });
      return { data: r.rsvp, promoted: r.promoted.length };
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/checkins',
    params: ['eventId'],
    operationId: 'checkInTicket',
    summary: 'Check in a ticket',
    description:
      'Everyone who works the door (organizers, track managers). `ticket` is the token of the scanned QR code. Refused, with nothing changed: TICKET_INVALID (400: unreadable, forged, replaced), TICKET_OTHER_EVENT, TICKET_CANCELLED (the RSVP is no longer going), TICKET_ALREADY_CHECKED_IN (second scan; the message names the person and the time) — all 409.',
    body: TicketScanSchema.describe('The scanned ticket.'),
    ok: { status: 200, schema: one(CheckedInSchema, 'Who was checked in.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await scanTicket(db, rctx, actor, ids.eventId!, request.body) }),
  });

  manageRoute(app, {
    method: 'DELETE',
    url: '/events/:eventId/attendees/:rsvpId/checkin',
    params: ['eventId', 'rsvpId'],
    operationId: 'undoCheckIn',
    summary: 'Undo a check-in',
    description: 'For a check-in made by mistake. RSVP_NOT_FOUND (404) for an RSVP not of this event.',
    ok: { status: 204 },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => undoCheckIn(db, actor, ids.eventId!, ids.rsvpId!),
  });
}
