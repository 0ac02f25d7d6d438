import { z } from 'zod';
import { EVENT_KINDS, HOST_ROLES, SPONSOR_LEVELS } from '../../../modules/events/event.js';
import { LINK_KINDS, SESSION_KINDS, SESSION_LEVELS, SESSION_STATUSES } from '../../../modules/program/session.js';
import { HANDLE_KINDS } from '../../../modules/speakers/speaker.js';
import {
  CancelEventSchema,
  CommunitySchema,
  CreateEventSchema,
  SetHostsSchema,
  SponsorSchema as SponsorInput,
  UpdateCommunitySchema,
  UpdateEventSchema,
  UpdateSponsorSchema,
} from '../../../modules/events/event.schemas.js';
import { RoomSchema as RoomInput, TrackSchema as TrackInput, UpdateRoomSchema, UpdateTrackSchema } from '../../../modules/program/program.schemas.js';
import { CreateSessionSchema, UpdateSessionSchema } from '../../../modules/program/session.schemas.js';
import { SpeakerSchema as SpeakerInput, UpdateSpeakerSchema } from '../../../modules/speakers/speaker.schemas.js';
import { CreateWebhookSchema, WebhookStateSchema } from '../../../modules/webhooks/webhook.schemas.js';
import { CHANGE_KINDS, RELEASE_NOTIFICATIONS } from '../../../modules/schedule/release.js';
import { ReleaseScheduleSchema } from '../../../modules/schedule/release.schemas.js';
import { idParam, textParam } from '../schemas.js';
import { arrayOf, bool, date, enumOf, instant, int, listOf, nullable, object, one, str } from '../zod-schema.js';

/**
 * The zod schemas of the organizer API (/api/v1/manage). Response schemas whitelist what is sent
 * (see zod-schema.ts) and document it; request bodies are the actions' own schemas, which parse
 * them, so that a bad field is a VALIDATION_FAILED (422) naming the field exactly as the back
 * office does.
 */

const id = (description = 'Record id.') => int(description);

export { listOf, one };

// --- Records ---------------------------------------------------------------------------------

export const CommunityRecordSchema = object({
  id: id(),
  slug: str(),
  name: str(),
  description: str('Markdown.'),
  url: nullable(str()),
  createdAt: instant('UTC.'),
});

const eventRecordProperties = {
  id: id(),
  communityId: id(),
  slug: str(),
  kind: enumOf(EVENT_KINDS),
  title: str(),
  acronym: str(),
  timeZone: str('IANA time zone.'),
  startDate: date('First day (local date).'),
  endDate: date('Last day (local date).'),
  dayChange: str('Local time at which one programme day ends (HH:MM).'),
  venueName: str(),
  venueAddress: str(),
  venueUrl: nullable(str()),
  description: str('Markdown.'),
  codeOfConductUrl: nullable(str()),
  url: nullable(str()),
  capacity: nullable(int()),
  state: enumOf(['draft', 'published'], 'Drafts are invisible on public pages and in the public API.'),
  cancelledAt: nullable(instant('When the event was cancelled (UTC); null while it is on. Cancelling is one-way.')),
  cancellationReason: nullable(str('Why it was cancelled, as shown publicly.')),
  version: int('Increases with every change to the event or its programme.'),
  createdAt: instant('UTC.'),
  updatedAt: instant('UTC.'),
};
export const EventRecordSchema = object(eventRecordProperties);
export const CancelledEventSchema = object({
  event: EventRecordSchema,
  mailed: int('People going or waitlisted (event or session sign-ups) who were mailed, each once.'),
});
export const EventListItemSchema = object({
  ...eventRecordProperties,
  communityName: str(),
  communitySlug: str(),
  canManage: bool('True for organizers (may edit the event itself); false for track managers.'),
});

export const HostRecordSchema = object({ id: id(), name: str(), role: enumOf(HOST_ROLES), url: nullable(str()), position: int() });
export const RoomRecordSchema = object({ id: id(), eventId: id(), name: str(), description: str(), capacity: nullable(int()), position: int() });
export const TrackRecordSchema = object({ id: id(), eventId: id(), name: str(), slug: str(), color: str('#rrggbb'), description: str(), position: int() });
export const SponsorRecordSchema = object({
  id: id(),
  eventId: id(),
  name: str(),
  level: enumOf(SPONSOR_LEVELS),
  url: nullable(str()),
  logoUrl: nullable(str()),
  contribution: str(),
  position: int(),
});

const handlesSchema = object(Object.fromEntries(HANDLE_KINDS.map((k) => [k, str()])), 'Only the handles given are present.', HANDLE_KINDS);

export const SpeakerRecordSchema = object(
  {
    id: id(),
    eventId: id(),
    code: str('Stable identifier used in URLs and exports; made from the name, never changes.'),
    name: str(),
    jobTitle: str(),
    company: str(),
    bio: str('Markdown.'),
    avatarUrl: nullable(str()),
    handles: handlesSchema,
    position: int(),
    email: nullable(str('E-mail of the account linked to this profile (null: none). Present only for organizers of the event.')),
  },
  undefined,
  ['email'],
);

export const SessionRecordSchema = object({
  id: id(),
  eventId: id(),
  code: str('Stable identifier used in URLs and exports; made from the title, never changes.'),
  guid: str('Stable UUID.', { format: 'uuid' }),
  kind: enumOf(SESSION_KINDS),
  status: enumOf(SESSION_STATUSES),
  title: str(),
  subtitle: str(),
  abstract: str('Markdown.'),
  language: str(),
  level: nullable(enumOf(SESSION_LEVELS)),
  trackId: nullable(id()),
  roomId: nullable(id()),
  sponsorId: nullable(id()),
  start: str('Local wall-clock start in the event’s zone, e.g. 2027-04-15T10:30 (the form of the `start` input).'),
  startsAt: instant('UTC.'),
  endsAt: instant('UTC.'),
  durationMinutes: int(),
  day: date('Programme day.'),
  sequence: int('iCalendar SEQUENCE, bumped by every change.'),
  speakerIds: arrayOf(id(), 'Speakers in billing order.'),
  links: arrayOf(object({ kind: enumOf(LINK_KINDS), title: str(), url: str() })),
  createdAt: instant('UTC.'),
  updatedAt: instant('UTC.'),
});

export const EventForEditingSchema = object({
  event: EventRecordSchema,
  community: CommunityRecordSchema,
  days: arrayOf(date('A programme day.')),
  hosts: arrayOf(HostRecordSchema),
  rooms: arrayOf(RoomRecordSchema),
  tracks: arrayOf(TrackRecordSchema),
  sponsors: arrayOf(SponsorRecordSchema),
  permissions: object({
    manageEvent: bool('May edit the event, rooms, tracks, sponsors and hosts, publish it and import into it.'),
    editableTrackIds: z
      .union([z.literal('all'), arrayOf(id())])
      .meta({ description: '"all" for organizers; otherwise the ids of the tracks whose sessions may be edited.' }),
  }),
});

const changeCount = object({ added: int(), changed: int(), removed: int() });

export const ImportSummarySchema = object({
  event: object({ id: id(), slug: str(), state: enumOf(['draft', 'published']), version: int() }),
  created: bool('True when the import created the event.'),
  changed: bool('False when nothing differed (re-importing the same file).'),
  format: enumOf(['xml', 'json'], 'frab XML or C3VOC/frab JSON.'),
  eventsInFile: int('Events listed in the file.'),
  rooms: changeCount,
  tracks: changeCount,
  speakers: changeCount,
  sessions: changeCount,
  sponsors: changeCount,
  warnings: arrayOf(object({ path: str('The place in the file.'), message: str() }), 'What was repaired or accepted rather than refused.'),
});

// --- Request bodies: the schemas the actions parse them with (documented here, parsed once there)

export const CommunityBody = CommunitySchema.describe('A new community; you become its owner.');
export const CommunityPatchBody = UpdateCommunitySchema.describe('Fields to change; absent ones are kept.');
export const EventCreateBody = CreateEventSchema.describe('A new event; it starts as a draft.');
export const EventPatchBody = UpdateEventSchema.describe('Fields to change; absent ones are kept. Sessions keep their local times when timeZone changes.');
export const CancelEventBody = CancelEventSchema.describe('The cancellation.');
export const HostsBody = SetHostsSchema.describe('The whole ordered list of hosts; an empty list removes them all.');
export const RoomBody = RoomInput.describe('A room.');
export const RoomPatchBody = UpdateRoomSchema.describe('Fields to change; absent ones are kept.');
export const TrackBody = TrackInput.describe('A track.');
export const TrackPatchBody = UpdateTrackSchema.describe('Fields to change; absent ones are kept.');
export const SponsorBody = SponsorInput.describe('A sponsor.');
export const SponsorPatchBody = UpdateSponsorSchema.describe('Fields to change; absent ones are kept.');
export const SpeakerBody = SpeakerInput.describe('A speaker profile (its code is made from the name).');
export const SpeakerPatchBody = UpdateSpeakerSchema.describe('Fields to change; absent ones are kept.');
export const SessionBody = CreateSessionSchema.describe('A session; it starts confirmed.');
export const SessionPatchBody = UpdateSessionSchema.describe('Fields to change; absent ones are kept (speakerIds and links replace the whole list).');
export const WebhookBody = CreateWebhookSchema.describe('A webhook: it hears of the next programme change of the published event.');
export const WebhookPatchBody = WebhookStateSchema.describe('Pause or resume.');
export const ReleaseBody = ReleaseScheduleSchema.describe(
  'The release: its name (default: the next number), a public comment, and whether to hold the speaker mails (default false: they are queued now).',
);

export const ImportBody = {
  description:
    'The schedule: frab/pentabarf XML (Content-Type application/xml or text/xml), C3VOC/frab JSON (application/json), or the JSON object {"url": "https://…"} to download it from (public addresses only unless IMPORT_ALLOW_PRIVATE_URLS).',
  content: {
    'application/xml': { schema: { type: 'string', description: 'frab schedule XML.' } },
    'text/xml': { schema: { type: 'string', description: 'frab schedule XML.' } },
    'application/json': {
      schema: {
        anyOf: [
          {
            type: 'object',
            required: ['url'],
            additionalProperties: false,
            properties: { url: { type: 'string', format: 'uri', description: 'http(s) URL of the schedule.' } },
          },
          { type: 'object', required: ['schedule'], properties: { schedule: { type: 'object' } }, description: 'C3VOC/frab schedule JSON.' },
        ],
      },
    },
  },
};

// --- Query strings ------------------------------------------------------------------------------

/** The import's options; the route parses them with this schema. */
export const ImportQuery = z.strictObject(
  {
    communityId: idParam('Create only: the community to file the new event under (you must organise it).').optional(),
    slug: textParam('Create only: the new event’s slug; default one made from the file’s acronym or title.')
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be lower-case letters, digits and hyphens' })
      .optional(),
    timeZone: textParam('IANA zone of the venue: needed when the file names none (FOSDEM), and overrides the file’s.').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a parameter of this route (communityId, slug, timeZone)' : 'must be given once') },
);

// --- Webhooks --------------------------------------------------------------------------------

export const WebhookDeliverySchema = object({
  id: id(),
  deliveryId: str('The hallway-delivery header sent (a UUID per attempt).'),
  type: enumOf(['schedule.changed', 'ping']),
  eventVersion: int('The event version the delivery told about.'),
  status: enumOf(['delivered', 'failed']),
  httpStatus: nullable(int('What the receiver answered; null when no answer came.')),
  error: nullable(str('Why it failed (HTTP 500, ECONNREFUSED, refused: … is a private address…).')),
  durationMs: int(),
  attemptedAt: instant('UTC.'),
});
export const WebhookRecordSchema = object({
  id: id(),
  url: str(),
  description: str(),
  active: bool('False when paused, or turned off after 10 failed deliveries in a row (see disabledReason).'),
  disabledReason: nullable(str('Why Hallway turned it off; null when active or paused by an organizer.')),
  failures: int('Failed deliveries in a row.'),
  nextAttemptAt: nullable(instant('After a failure: the next try, UTC.')),
  lastVersionSent: int('The event version last delivered.'),
  createdAt: instant('UTC.'),
  lastDelivery: nullable(WebhookDeliverySchema),
});
export const WebhookWithSecretSchema = object({
  webhook: WebhookRecordSchema,
  secret: str('Signs every delivery (hallway-signature). Returned only here: keep it.'),
});
export const WebhookDeliveriesSchema = object({ webhook: WebhookRecordSchema, deliveries: arrayOf(WebhookDeliverySchema, 'The last 50, newest first.') });
export const TestDeliverySchema = object({
  ok: bool('True when the receiver answered 2xx.'),
  httpStatus: nullable(int()),
  error: nullable(str()),
  durationMs: int(),
});

// --- Releases --------------------------------------------------------------------------------

const placement = object(
  {
    room: str('The room’s name as released; empty without a room.'),
    startsAt: instant('UTC.'),
    endsAt: instant('UTC.'),
  },
  'Where and when the session was placed.',
);
export const ReleaseChangeSchema = object({
  sessionId: id('The session (it may have been deleted since).'),
  code: str(),
  title: str('The title when the change was recorded.'),
  kind: enumOf(
    CHANGE_KINDS,
    'new: on the programme for the first time; moved: another time (maybe also another room); room: same time, another room; cancelled; restored: back on the programme; removed: taken off the programme; speakers: who speaks changed.',
  ),
  from: nullable(placement),
  to: nullable(placement),
  speakersBefore: nullable(arrayOf(id(), 'Speaker ids before (removed, speakers).')),
  speakersAfter: nullable(arrayOf(id(), 'Speaker ids after (every other kind).')),
  description: str('The change in words, local times in the event’s zone: Moved: "Keynote", from Hall, 2027-04-15 10:00 to Studio, 2027-04-15 11:00.'),
});
const releaseProperties = {
  id: id(),
  number: int('1, 2, … in release order.'),
  name: str('Unique in the event; the version of the frab exports.'),
  comment: str('The public comment.'),
  releasedAt: instant('UTC.'),
  releasedBy: str('Who released it (a person’s name, or the command line).'),
  notifications: enumOf(RELEASE_NOTIFICATIONS, 'The speaker mails: sent (queued), held (send them with send-mails), none (nobody to mail).'),
  changeCount: int(),
};
export const ReleaseRecordSchema = object(releaseProperties);
export const ReleaseWithChangesSchema = object({ ...releaseProperties, changes: arrayOf(ReleaseChangeSchema, 'In the order recorded.') });
export const SpeakerNoticeSchema = object({
  speakerId: id(),
  name: str(),
  email: nullable(str('Where the mail goes; null when the speaker has no account with an address (tell them yourself).')),
  changes: int('How many of the changes concern their sessions.'),
});
export const ReleasePreviewSchema = object({
  latest: nullable(ReleaseRecordSchema),
  nextName: str('The name a release gets without one.'),
  changes: arrayOf(ReleaseChangeSchema, 'What releasing now would publish.'),
  speakers: arrayOf(SpeakerNoticeSchema, 'Who would get a mail (or has no address).'),
});
export const ReleaseOutcomeSchema = object({
  release: ReleaseWithChangesSchema,
  mailsQueued: int('Speaker mails put in the outbox now.'),
  speakers: arrayOf(SpeakerNoticeSchema, 'The speakers concerned by the changes.'),
});
