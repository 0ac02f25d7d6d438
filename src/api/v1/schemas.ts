import { z } from 'zod';
import { EVENT_KINDS, HOST_ROLES, SPONSOR_LEVELS } from '../../modules/events/event.js';
import { LINK_KINDS, SESSION_KINDS, SESSION_LEVELS, SESSION_STATUSES } from '../../modules/program/session.js';
import { HANDLE_KINDS, type HandleKind } from '../../modules/speakers/speaker.js';
import { CHANGE_KINDS } from '../../modules/schedule/release.js';
import { EventDocumentSchema } from '../../modules/schedule/event-document.schemas.js';
import { arrayOf, bool, date, enumOf, instant, int, nullable, object, str, url } from './zod-schema.js';

/**
 * The zod schemas of API v1: route parameters, query strings and every response body, each
 * written once here and reused by the routes (see zod-schema.ts for what is made of them).
 */

// --- Building blocks -------------------------------------------------------------------------

export const CommunityRefSchema = object({ slug: str(), name: str() }, 'The community that runs the event.');

export const CommunitySchema = object({
  slug: str(),
  name: str(),
  description: str('Markdown.'),
  url: nullable(url()),
});

export const EventLinksSchema = object(
  {
    self: url('This event in the API.'),
    html: url('The event page on the website.'),
    days: url(),
    rooms: url(),
    tracks: url(),
    sessions: url(),
    speakers: url(),
    sponsors: url(),
    export: url('The whole-event document (the format `hallway event import` reads).'),
  },
  'Absolute URLs of the event’s resources.',
);

export const EventSummarySchema = object({
  slug: str(),
  kind: enumOf(EVENT_KINDS),
  title: str(),
  acronym: str(),
  timeZone: str('IANA time zone of the event; every time of the event is given with this zone’s offset.'),
  startDate: date('First day (local date).'),
  endDate: date('Last day (local date).'),
  venue: object({ name: str() }),
  cancelled: bool('True when the organizers called the event off (see the event’s cancellationReason).'),
  community: CommunityRefSchema,
  links: EventLinksSchema,
});

export const EventCountsSchema = object({
  days: int(),
  rooms: int(),
  tracks: int(),
  sessions: int(),
  speakers: int(),
  sponsors: int(),
});

/** The `event` object of the event document, plus community, counts and links. */
export const EventDetailSchema = object({
  slug: str(),
  kind: enumOf(EVENT_KINDS),
  title: str(),
  acronym: str(),
  timeZone: str('IANA time zone of the event.'),
  startDate: date('First day (local date).'),
  endDate: date('Last day (local date).'),
  dayChange: str('Local time at which one programme day ends and the next begins (HH:MM).', { pattern: '^\\d{2}:\\d{2}$' }),
  venue: object({ name: str(), address: str(), url: nullable(url()) }),
  description: str('Markdown.'),
  codeOfConductUrl: nullable(url()),
  url: nullable(url('The event’s own website.')),
  capacity: nullable(int()),
  published: bool('Always true here: unpublished events are not in the API.'),
  cancelledAt: nullable(
    instant('When the organizers called the event off (UTC); null while it takes place. Its sessions are then STATUS:CANCELLED in the iCal export.'),
  ),
  cancellationReason: nullable(str('The organizers’ reason, shown on the event page; null while it takes place.')),
  hosts: arrayOf(object({ name: str(), role: enumOf(HOST_ROLES), url: nullable(url()) })),
  community: CommunitySchema,
  counts: EventCountsSchema,
  links: EventLinksSchema,
});

export const DaySchema = object({
  date: date('The programme day (local date).'),
  start: nullable(instant('Start of the day’s first session, with the event’s offset; null on a day without sessions.')),
  end: nullable(instant('End of the day’s last session, with the event’s offset; null on a day without sessions.')),
  sessionCount: int('Sessions on this day, cancelled ones included.'),
});

export const RoomSchema = object({ name: str(), description: str(), capacity: nullable(int()) });

export const TrackSchema = object({
  name: str(),
  slug: str('As in the web pages’ ?track= and the sessions filter.'),
  color: str('CSS colour like #1f77b4.', { pattern: '^#[0-9a-fA-F]{6}$' }),
  description: str(),
});

export const SponsorSchema = object({
  name: str(),
  level: enumOf(SPONSOR_LEVELS),
  url: nullable(url()),
  logoUrl: nullable(url()),
  contribution: str(),
});

export const HandlesSchema = object(
  Object.fromEntries(HANDLE_KINDS.map((k) => [k, str()])) as Record<HandleKind, z.ZodString>,
  'Profiles the speaker lists, as typed (account names; a URL for website). Only the ones given are present.',
  HANDLE_KINDS,
);

/** A speaker: the document's fields plus `sessions` and `url`. */
export const SpeakerSchema = object({
  code: str('Stable identifier within the event.'),
  name: str(),
  jobTitle: str(),
  company: str(),
  bio: str('Markdown.'),
  avatarUrl: nullable(url()),
  handles: HandlesSchema,
  sessions: arrayOf(str(), 'Codes of the speaker’s sessions, in start order.'),
  url: url('The speaker’s page on the website.'),
});

export const LinkSchema = object({ kind: enumOf(LINK_KINDS), title: str(), url: url() });

/** A session: the document's fields (SessionDoc) plus read-only `end`, `day`, `url` and `speakerDetails`. */
export const SessionSchema = object({
  code: str('Stable identifier within the event.'),
  guid: str('Stable UUID (as in frab/Pentabarf exports).', { format: 'uuid' }),
  kind: enumOf(SESSION_KINDS),
  status: enumOf(SESSION_STATUSES),
  title: str(),
  subtitle: str(),
  abstract: str('Markdown.'),
  language: str('Language code like en or pt-BR.'),
  level: nullable(enumOf(SESSION_LEVELS)),
  track: nullable(str('Track name.')),
  room: nullable(str('Room name; null for a plenary item such as a break.')),
  sponsoredBy: nullable(str('Sponsor name.')),
  start: instant('Start, ISO 8601 with the event’s offset, e.g. 2027-04-15T09:15:00+02:00.'),
  durationMinutes: int(),
  speakers: arrayOf(str(), 'Speaker codes, in billing order.'),
  links: arrayOf(LinkSchema),
  end: instant('End, ISO 8601 with the event’s offset.'),
  day: date('Programme day (local date; sessions after midnight but before the day change belong to the previous day).'),
  url: url('The session’s page on the website.'),
  speakerDetails: arrayOf(object({ code: str(), name: str() }), 'The speakers, in billing order.'),
});

/**
 * The whole-event document: the zod schema that `hallway event import` uses, so the export is
 * described by exactly the rules its import checks.
 */
export const EventDocumentJsonSchema = EventDocumentSchema.describe('The whole-event document (format hallway-event/1).');

export const ErrorSchema = object(
  {
    error: object({
      code: str('Stable error code (see docs/errors.md), e.g. EVENT_NOT_FOUND or VALIDATION_FAILED.'),
      message: str(),
      status: int(),
      problems: arrayOf(object({ path: str('Where the problem is, e.g. querystring.day.'), message: str() })),
    }),
  },
  'The one error shape of the API.',
);

// --- Envelopes, params and query strings ------------------------------------------------------

// The `{ "data": … }` envelopes, re-exported for the routes that import their schemas from here.
export { listOf, one } from './zod-schema.js';

/** A text parameter (slug, code) as the URL gives it. */
export const textParam = (description: string) =>
  z.string().min(1, { message: 'is required' }).max(200, { message: 'must be at most 200 characters' }).meta({ description });
/** A record id as the URL gives it (1 to 2^31-1), as a number. */
export const idParam = (description: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, { message: 'must be a record id (a positive whole number)' })
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, { message: 'must be a record id (a positive whole number)' })
    .meta({ description });
const slugParam = textParam('Event slug, e.g. fosdem-2027.');

export const EventParams = z.object({ slug: slugParam });
export const SessionParams = z.object({ slug: slugParam, code: textParam('Session code.') });
export const SpeakerParams = z.object({ slug: slugParam, code: textParam('Speaker code.') });

export const SessionQuery = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2027-04-15' })
    .meta({ description: 'Only sessions of this programme day (YYYY-MM-DD, one of the event’s days).' })
    .optional(),
  room: textParam('Only sessions in the room with exactly this name (plenary items without a room are left out).').optional(),
  track: textParam('Only sessions of this track: its slug (as in the web pages’ ?track=) or its exact name.').optional(),
  kind: z
    .enum(SESSION_KINDS, { error: `must be one of ${SESSION_KINDS.join(', ')}` })
    .meta({ description: 'Only sessions of this kind.' })
    .optional(),
});

/**
 * Responses every event-scoped route can give besides 200: 304 to a matching If-None-Match, 404
 * for an unknown or unpublished event (or session/speaker), 422 for invalid parameters.
 */
export const commonResponses = {
  304: { description: 'Not Modified: the ETag given in If-None-Match is still current.', type: 'null' },
  404: ErrorSchema.describe('No such published event (EVENT_NOT_FOUND), session (SESSION_NOT_FOUND) or speaker (SPEAKER_NOT_FOUND).'),
  422: ErrorSchema.describe('Invalid parameter or query string (VALIDATION_FAILED); `problems` names each.'),
} as const;

// --- Releases (the public changelog) ------------------------------------------------------------

const ReleasePlacementSchema = object({
  room: nullable(str('The room’s name; null without a room.')),
  start: instant('ISO 8601 with the event’s offset.'),
  end: instant('ISO 8601 with the event’s offset.'),
});

export const ReleaseChangeSchema = object({
  kind: enumOf(
    CHANGE_KINDS,
    'new: on the programme for the first time; moved: another time (maybe also another room); room: same time, another room; cancelled; restored: back on the programme; removed: taken off the programme; speakers: who speaks changed.',
  ),
  session: object({
    code: str(),
    title: str('Today’s title while the session is public; else the title it had.'),
    url: nullable(url('The session’s page while it is public; null once it is not (removed).')),
  }),
  from: nullable(ReleasePlacementSchema),
  to: nullable(ReleasePlacementSchema),
  speakers: nullable(arrayOf(str(), 'Who speaks after the change, in billing order; null for a removed session.')),
});

export const ReleaseSchema = object({
  name: str('The version’s name, as frab exports give it in <version>.'),
  number: int('1, 2, … in release order.'),
  comment: str('The organizers’ public comment (plain text).'),
  releasedAt: instant('UTC.'),
  current: bool('True for the version the programme shows now (the latest).'),
  changes: arrayOf(ReleaseChangeSchema, 'What changed against the version before.'),
});
