import { RSVP_STATUSES } from '../../modules/registration/registration.js';
import { RsvpSchema } from '../../modules/registration/registration.schemas.js';
import { arrayOf, bool, enumOf, instant, int, nullable, object, str, textMap } from './zod-schema.js';

/*
 * Schemas of registration, shared by the public read (/api/v1/events/:slug/registration),
 * the attendee API (/api/v1/me) and the organizer API (/api/v1/manage). Request bodies are the
 * actions' own zod schemas, which check them (VALIDATION_FAILED naming each field).
 */

const STATUSES = ['not_yet_open', 'open', 'closed_early', 'closed', 'cancelled', 'past'] as const;

export const RegistrationStatusSchema = enumOf(
  STATUSES,
  'Whether RSVPs are taken now: `open`; `not_yet_open` (before opensAt); `closed_early` (closed by an organizer); `closed` (past closesAt); `cancelled` (the event was cancelled); `past` (the event is over).',
);

export const QuestionSchema = object({
  id: str('Key of the answer in `answers`.'),
  label: str(),
  kind: enumOf(['text', 'choice', 'yes_no']),
  required: bool(),
  options: arrayOf(str(), 'For `choice`: the allowed answers.'),
});

export const PublicRegistrationSchema = object({
  status: RegistrationStatusSchema,
  opensAt: nullable(instant('When RSVPs open (UTC); null = already.')),
  closesAt: instant('When RSVPs close (UTC): the organizer’s time, else the event’s start.'),
  capacity: nullable(int('Seats (attendees + guests); null = no limit.')),
  seatsLeft: nullable(int('Free seats now; null = no limit. 0 = new RSVPs join the waitlist.')),
  waitlisted: int('People on the waitlist.'),
  guestLimit: int('Guests one RSVP may bring.'),
  questions: arrayOf(QuestionSchema, 'Questions asked with an RSVP.'),
  ticketTypes: arrayOf(
    object({ id: int(), name: str(), description: str(), quota: nullable(int('Seats of this type; null = no quota of its own.')), seatsLeft: nullable(int()) }),
    'Ticket types; with more than one, an RSVP names one (`ticketTypeId`).',
  ),
});

const rsvpProperties = {
  id: int('RSVP id.'),
  eventId: int(),
  status: enumOf(RSVP_STATUSES, '`going` holds seats; `waitlisted` waits in arrival order; `not_going`; `cancelled`.'),
  guests: int(),
  answers: textMap('Answers by question id.'),
  ticketTypeId: nullable(int()),
  waitlistPosition: nullable(int('1-based place in line while waitlisted, else null.')),
  checkedInAt: nullable(instant('UTC.')),
  createdAt: instant('UTC.'),
  updatedAt: instant('UTC.'),
};

export const RsvpJsonSchema = object(rsvpProperties, 'An RSVP.');

export const MyRsvpSchema = object(
  {
    ...rsvpProperties,
    event: object({
      id: int(),
      slug: str(),
      title: str(),
      startDate: str('Local date.', { format: 'date' }),
      endDate: str('Local date.', { format: 'date' }),
      timeZone: str(),
    }),
  },
  'One of your RSVPs, with its event.',
);

export const RsvpBody = RsvpSchema.describe('Your answer. Sending the same answer again changes nothing.');

export const CountsSchema = object({
  capacity: nullable(int()),
  going: int('People going (without guests).'),
  seatsTaken: int('Seats held by people going and their guests.'),
  seatsFree: nullable(int('null = no limit.')),
  waitlisted: int(),
  waitlistedSeats: int(),
  notGoing: int(),
  cancelled: int(),
  checkedIn: int(),
});
