import { ProposeOptionsSchema } from '../../../modules/planning/proposal.schemas.js';
import { SESSION_KINDS } from '../../../modules/program/session.js';
import { arrayOf, bool, date, enumOf, instant, int, nullable, num, object, str } from '../zod-schema.js';

/* "Propose a programme" in the organizer API: a run of the optimizer, its progress, proposal and explanations. */

const RUN_STATUSES = ['running', 'done', 'stopped', 'failed', 'accepted', 'discarded'] as const;
const local = (description = 'Local date-time in the event’s zone, e.g. 2027-04-15T10:30.') => str(description);

export const ScoreSchema = object(
  {
    hard: int('Hard-constraint violations: 0 in every proposal.'),
    missed: int('Preferences a person cannot attend because of an overlap with another one they want.'),
    overflow: num('Expected people above room capacity, summed over sessions.'),
    emptySeats: num('Empty seats of big rooms holding little demand, summed.'),
    trackSpread: num('Track cohesion penalty: extra rooms per track and day, gaps between a track’s talks.'),
    changes: int('Sessions placed elsewhere than in the last release.'),
  },
  'Compared field by field in this order; lower is better.',
);

const FiguresSchema = object({
  score: ScoreSchema,
  preferences: int('Wanted talks, summed over voters.'),
  attendable: int('Preferences that can be attended.'),
  attendableShare: num('attendable ÷ preferences (0..1).'),
  voters: int(),
  votersWithMiss: int('Voters missing at least one talk they want.'),
  p95Misses: int('95th percentile of misses per voter.'),
  maxMisses: int('The most misses of one voter.'),
  conflicts: arrayOf(
    object({
      a: object({ key: str('s<sessionId> or p<proposalId>.'), title: str() }),
      b: object({ key: str(), title: str() }),
      both: int('People who want both.'),
      at: local('Where they overlap (local).'),
    }),
    'The worst remaining conflicts, most people first.',
  ),
  rooms: arrayOf(
    object({
      roomId: int(),
      room: str(),
      capacity: nullable(int()),
      sessions: int(),
      peakDemand: int('The largest expected audience of a session there.'),
      overflowing: int('Sessions expected above capacity.'),
      overflow: int('People above capacity, summed.'),
    }),
    'Expected fill per room.',
  ),
});

const PlaceSchema = object({ roomId: int(), room: str(), start: local(), end: local() });

const ChangeSchema = object({
  key: str('s<sessionId> or p<proposalId>.'),
  sessionId: nullable(int()),
  proposalId: nullable(int('An accepted proposal without a session: accepting creates it.')),
  title: str(),
  from: nullable(PlaceSchema),
  to: PlaceSchema,
  durationMinutes: int(),
});

export const OptimizerRunSchema = object({
  id: int(),
  number: int('1, 2, … per event.'),
  status: enumOf(RUN_STATUSES, 'running → done | stopped (best so far kept) | failed; then accepted or discarded.'),
  createdBy: str(),
  createdAt: instant('UTC.'),
  finishedAt: nullable(instant('UTC.')),
  decidedAt: nullable(instant('UTC.')),
  message: str('Why it failed, if it did.'),
  options: object({
    days: arrayOf(date('A programme day.')),
    roomIds: arrayOf(int()),
    grainMinutes: int(),
    timeLimitSeconds: int(),
    attendeesPerVoter: nullable(num()),
    seed: int(),
    trackRooms: arrayOf(object({ trackId: int(), roomIds: arrayOf(int()) })),
    kindRooms: arrayOf(object({ kind: enumOf(SESSION_KINDS), roomIds: arrayOf(int()) })),
  }),
  progress: nullable(object({ elapsedMs: num(), iterations: int(), best: ScoreSchema }, 'The best score so far.')),
  instance: object({
    talks: int('Sessions and accepted proposals the optimizer places.'),
    rooms: arrayOf(object({ id: int(), name: str(), capacity: nullable(int()) })),
    voters: int(),
    preferences: int(),
    attendeesPerVoter: num('Expected people per vote.'),
    attendeesPerVoterReason: str(),
  }),
  current: FiguresSchema.describe('The draft as it was when the run started.'),
  proposal: nullable(
    object({ figures: FiguresSchema, seed: int(), iterations: int(), elapsedMs: num(), stopped: bool('Stopped before its time was up (best so far).') }),
  ),
  changes: object({
    moved: arrayOf(ChangeSchema, 'Sessions on the grid that move.'),
    placed: arrayOf(ChangeSchema, 'Sessions off the grid and accepted proposals that get a place.'),
    unchanged: int(),
  }),
});

export const AcceptOutcomeSchema = object({
  run: OptimizerRunSchema,
  version: int('The event’s version after accepting (the draft changed; nothing was released).'),
  moved: int(),
  placed: int(),
});

export const ProposeBody = ProposeOptionsSchema.describe('What to propose a programme for; every field may be left out.');
