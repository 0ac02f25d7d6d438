import { z } from 'zod';
import { MOVE_ACTIONS, BlockerSchema, OpeningHoursSchema, ScheduleMoveSchema, WindowsSchema } from '../../../modules/planning/planning.schemas.js';
import { WARNING_KINDS } from '../../../modules/planning/warnings.js';
import { SESSION_KINDS, SESSION_STATUSES } from '../../../modules/program/session.js';
import { ErrorSchema } from '../schemas.js';
import { arrayOf, bool, date, enumOf, instant, int, nullable, object, str } from '../zod-schema.js';
import { EventRecordSchema } from './schemas.js';

/* The schedule editor's shapes in the organizer API: the draft of a day, moves, blockers, windows. */

const id = (description = 'Record id.') => int(description);
const local = (description = 'Local date-time in the event’s zone, e.g. 2027-04-15T10:30.') => str(description);

export const EditorSessionSchema = object({
  id: id(),
  code: str(),
  title: str(),
  kind: enumOf(SESSION_KINDS),
  status: enumOf(SESSION_STATUSES),
  trackId: nullable(id()),
  roomId: nullable(id('Null: no room (a break or meal over every room).')),
  start: local(),
  end: local(),
  startsAt: instant('UTC.'),
  endsAt: instant('UTC.'),
  durationMinutes: int(),
  day: date('Programme day.'),
  placed: bool('False: off the grid (listed as unplaced; it keeps its last room and time, and releases leave it out).'),
  pinned: bool('Pinned by an organizer: proposals of the optimizer leave it where it is (the editor may still move it).'),
  speakerIds: arrayOf(id(), 'Speakers in billing order.'),
  stars: int('People who starred it.'),
  signups: int('Going sign-ups (sessions that take sign-ups).'),
});

export const WarningSchema = object({
  key: str('Stable identity of this conflict.'),
  kind: enumOf(WARNING_KINDS),
  sessionIds: arrayOf(id(), 'The sessions involved.'),
  speakerId: nullable(id()),
  roomId: nullable(id()),
  blockerId: nullable(id()),
  count: nullable(int('People: who starred both (audience conflict), or expected (room too small).')),
  message: str(),
});

export const BlockerRecordSchema = object({
  id: id(),
  roomId: nullable(id('Null: every room.')),
  title: str(),
  start: local(),
  end: local(),
  startsAt: instant('UTC.'),
  endsAt: instant('UTC.'),
});

export const EditorStateSchema = object({
  version: int('The event version this is of: what a move is based on.'),
  event: EventRecordSchema,
  day: date('The programme day shown.'),
  days: arrayOf(object({ date: date('A programme day.'), warnings: int() })),
  range: object({ from: int('Minutes after the day’s local midnight.'), to: int('Over 1440 after midnight.') }, 'The span of the grid.'),
  permissions: object({
    manageEvent: bool(),
    editableTrackIds: z
      .union([z.literal('all'), arrayOf(id())])
      .meta({ description: '"all" for organizers; otherwise the tracks whose sessions may be moved.' }),
  }),
  rooms: arrayOf(object({ id: id(), name: str(), capacity: nullable(int()) }), 'In grid order.'),
  tracks: arrayOf(object({ id: id(), name: str(), color: str('#rrggbb') })),
  speakers: arrayOf(object({ id: id(), name: str() }), 'The speakers of the sessions listed.'),
  sessions: arrayOf(EditorSessionSchema, 'The day’s sessions on the grid, cancelled ones too, by start.'),
  unplaced: arrayOf(EditorSessionSchema, 'Sessions off the grid (any day).'),
  proposals: arrayOf(
    object({
      id: id(),
      code: str(),
      title: str(),
      kind: enumOf(SESSION_KINDS),
      durationMinutes: int(),
      trackId: nullable(id()),
      speakers: arrayOf(str(), 'Speakers who accepted.'),
    }),
    'Accepted proposals without a session (track managers: of their tracks).',
  ),
  blockers: arrayOf(BlockerRecordSchema, 'Internal blockers of the day (never public).'),
  warnings: arrayOf(WarningSchema, 'Warnings involving a session of the day.'),
});

export const MoveOutcomeSchema = object({
  action: enumOf(MOVE_ACTIONS),
  baseVersion: int(),
  version: int('The event version after the move: base the next one on it.'),
  changed: bool('False when the session already was there (nothing written, version unchanged).'),
  session: EditorSessionSchema,
  proposalId: nullable(id('The proposal placed, for place of a proposal.')),
  warnings: arrayOf(WarningSchema, 'The warnings that involve the session now.'),
});

/** 409 of a move: the one error shape, plus the current state when the move was based on an old version. */
export const MoveConflictSchema = object(
  {
    error: ErrorSchema.shape.error,
    current: object(
      { version: int('The event’s version now.'), sessions: arrayOf(EditorSessionSchema, 'The session the move named, as stored.') },
      'Present with SCHEDULE_VERSION_STALE.',
    ),
  },
  'SCHEDULE_VERSION_STALE (with `current`), SESSION_ROOM_CONFLICT, SPEAKER_DOUBLE_BOOKED (send force: true to confirm), SESSION_NOT_PLACED, SESSION_ALREADY_PLACED, PROPOSAL_NOT_ACCEPTED, PROPOSAL_SCHEDULED.',
  ['current'],
);

export const WindowsRecordSchema = object({ windows: arrayOf(object({ day: date('Programme day.'), from: str('HH:MM'), to: str('HH:MM') })) });

export const MoveBody = ScheduleMoveSchema.describe('One move.');
export const BlockerBody = BlockerSchema.describe('An internal blocker.');
export const HoursBody = OpeningHoursSchema.describe('The whole list of windows of the event (roomId null) or a room; empty: no restriction.');
export const AvailabilityBody = WindowsSchema.describe('The whole list of windows; empty: available any time.');
