import type { FastifyInstance } from 'fastify';
import { CapacitySchema, RegistrationSettingsSchema, SessionSignupConfigSchema, TicketTypeSchema } from '../../../modules/registration/registration.schemas.js';
import type { AppContext } from '../../../http/context.js';
import { changeCapacity, createTicketType, setRsvpsOpen, updateRegistrationSettings } from '../../../modules/registration/registration.actions.js';
import { getDoorCounts, getRegistrationOverview, type RegistrationOverview } from '../../../modules/registration/registration-state.queries.js';
import type { RegistrationContext } from '../../../modules/registration/rsvp.queries.js';
import { configureSessionSignup } from '../../../modules/registration/session-signup.actions.js';
import { arrayOf, bool, instant, int, nullable, object, one, str } from '../zod-schema.js';
import { CountsSchema, QuestionSchema, RegistrationStatusSchema } from '../registration.schemas.js';
import { manageRoute } from './route.js';

const OverviewSchema = object({
  eventId: int(),
  status: RegistrationStatusSchema,
  capacity: nullable(int('Seats (attendees + guests); null = no limit.')),
  opensAt: nullable(instant('UTC; null = open now.')),
  closesAt: nullable(instant('UTC; null = when the event starts.')),
  closedAt: nullable(instant('When an organizer closed RSVPs early; null = not closed early.')),
  guestLimit: int(),
  questions: arrayOf(QuestionSchema),
  allowSessionOverlap: bool('Whether one person may hold places in overlapping sessions.'),
  reminderHours: arrayOf(int(), 'Reminder mails, hours before the start.'),
  counts: CountsSchema,
  ticketTypes: arrayOf(object({ id: int(), name: str(), description: str(), quota: nullable(int()), taken: int('Seats held by going RSVPs of this type.') })),
});

const SettingsBody = RegistrationSettingsSchema.describe('Absent fields keep their value. Capacity is changed with PUT …/registration/capacity.');

function toOverviewJson(o: RegistrationOverview) {
  const s = o.state.settings;
  return {
    eventId: s.eventId,
    status: o.state.status,
    capacity: s.capacity,
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    closedAt: s.closedAt,
    guestLimit: s.guestLimit,
    questions: s.questions,
    allowSessionOverlap: s.allowSessionOverlap,
    reminderHours: s.reminderHours,
    counts: o.counts,
    ticketTypes: o.ticketTypes,
  };
}

/** Registration settings, capacity, close/reopen, ticket types, counts; session sign-up seats. Organizers. */
export async function registrationRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  const db = ctx.db;
  const overview = async (actor: Parameters<typeof getRegistrationOverview>[2], eventId: number) => ({
    data: toOverviewJson(await getRegistrationOverview(db, rctx, actor, eventId)),
  });

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/registration',
    params: ['eventId'],
    operationId: 'getRegistration',
    summary: 'Registration settings and counts',
    description: 'Organizers. What the back office’s registration page shows: status, capacity, window, guests, questions, reminders, counts and ticket types.',
    ok: { status: 200, schema: one(OverviewSchema, 'The registration.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => overview(actor, ids.eventId!),
  });

  manageRoute(app, {
    method: 'PATCH',
    url: '/events/:eventId/registration',
    params: ['eventId'],
    operationId: 'updateRegistration',
    summary: 'Change registration settings',
    description: 'Organizers. VALIDATION_FAILED (422) names each bad field (also `closesAt` not after `opensAt`); nothing is changed then.',
    body: SettingsBody,
    ok: { status: 200, schema: one(OverviewSchema, 'The registration as changed.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      await updateRegistrationSettings(db, rctx, actor, ids.eventId!, request.body);
      return overview(actor, ids.eventId!);
    },
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/registration/capacity',
    params: ['eventId'],
    operationId: 'changeCapacity',
    summary: 'Change the capacity',
    description:
      'Organizers. Raising it promotes the first people in line who fit. Lowering it below the confirmed seats is refused with RSVP_CAPACITY_BELOW_CONFIRMED (409): `problems` name each RSVP that would move to the head of the waitlist; send the same capacity again with `confirmMoveToWaitlist` equal to their number to do it (they are mailed). Nothing changes without that confirmation.',
    body: CapacitySchema.describe('The new capacity.'),
    ok: {
      status: 200,
      schema: object(
        { data: OverviewSchema, promoted: int('RSVPs promoted from the waitlist.'), movedToWaitlist: int('RSVPs moved to the head of the waitlist.') },
        'The registration with the new capacity.',
      ),
    },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      const r = await changeCapacity(db, rctx, actor, ids.eventId!, request.body);
      return { ...(await overview(actor, ids.eventId!)), promoted: r.promoted.length, movedToWaitlist: r.movedToWaitlist.length };
    },
  });

  for (const [name, open] of [
    ['close', false],
    ['open', true],
  ] as const) {
    manageRoute(app, {
      method: 'POST',
      url: `/events/:eventId/registration/${name}`,
      params: ['eventId'],
      operationId: open ? 'reopenRsvps' : 'closeRsvps',
      summary: open ? 'Reopen RSVPs' : 'Close RSVPs early',
      description: open
        ? 'Organizers. Undoes an early close (the window still applies).'
        : 'Organizers. Nobody can answer yes or add guests; cancelling still works and still promotes from the waitlist.',
      ok: { status: 200, schema: one(OverviewSchema, 'The registration.') },
      errors: [400, 403, 404],
      handler: async (_request, _reply, { actor, ids }) => {
        await setRsvpsOpen(db, rctx, actor, ids.eventId!, open);
        return overview(actor, ids.eventId!);
      },
    });
  }

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/registration/ticket-types',
    params: ['eventId'],
    operationId: 'createTicketType',
    summary: 'Add a ticket type',
    description: 'Organizers. With an optional quota of seats. NAME_TAKEN (409) for a name the event already has.',
    body: TicketTypeSchema.describe('The ticket type.'),
    ok: { status: 201, schema: one(object({ id: int(), name: str(), quota: nullable(int()) }), 'The new ticket type.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await createTicketType(db, rctx, actor, ids.eventId!, request.body) }),
  });

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/registration/counts',
    params: ['eventId'],
    operationId: 'getRegistrationCounts',
    summary: 'Registration counts',
    description: 'Going, waitlisted, not going, cancelled, checked in. Everyone who checks people in (organizers and track managers).',
    ok: { status: 200, schema: one(CountsSchema, 'The counts.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: await getDoorCounts(db, actor, ids.eventId!) }),
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/sessions/:sessionId/signup',
    params: ['eventId', 'sessionId'],
    operationId: 'configureSessionSignup',
    summary: 'Session sign-up on or off',
    description:
      'Organizers. `enabled: true` makes attendees sign up for the session, with `capacity` seats (null = the room’s); raising it promotes from the session’s line, lowering it below the people signed up is refused (RSVP_CAPACITY_BELOW_CONFIRMED, 409). `enabled: false` cancels every sign-up.',
    body: SessionSignupConfigSchema.describe('Sign-up settings of the session.'),
    ok: {
      status: 200,
      schema: one(
        nullable(object({ sessionId: int(), title: str(), startsAt: instant('UTC.'), endsAt: instant('UTC.'), capacity: nullable(int()) })),
        'The session’s sign-up, or null when turned off.',
      ),
    },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await configureSessionSignup(db, rctx, actor, ids.eventId!, ids.sessionId!, request.body) }),
  });
}
