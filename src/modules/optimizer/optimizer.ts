/*
 * The interest-driven schedule optimizer's contract (issue 14): what it is given (an instance built
 * from an event's draft, rooms, availability and the interest poll) and what it answers (a proposal
 * with its score and explanations). Pure: no database, no HTTP, no clock; the planning module
 * builds instances from the database and writes accepted proposals into the draft.
 *
 * Time is in whole minutes from `origin` (a UTC instant), so the solver never touches time zones.
 * Intervals are half-open [start, end).
 */

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface OptimizerRoom {
  /** The room's id in the database (rooms.id). */
  readonly id: number;
  readonly name: string;
  /** Seats; null = unknown (never counted as overflow or empty). */
  readonly capacity: number | null;
  /** When the room can hold a session: opening hours minus blockers and all-room breaks. */
  readonly open: readonly Interval[];
}

export interface OptimizerTalk {
  /**
   * Stable key: `s<sessionId>` for a session, `p<proposalId>` for an accepted proposal that has no
   * session yet. Proposals name talks by this key and the planning module maps it back.
   */
  readonly key: string;
  readonly title: string;
  readonly durationMinutes: number;
  /** Speaker ids: two talks sharing one never overlap. */
  readonly speakerIds: readonly number[];
  readonly trackId: number | null;
  /** Rooms this talk may use (ids); null = any room (track/room restrictions, workshop rooms). */
  readonly allowedRoomIds: readonly number[] | null;
  /** Seats it needs at least (sign-ups taken); 0 = none. */
  readonly minCapacity: number;
  /** When all its speakers are available (intersection); null = any time. */
  readonly windows: readonly Interval[] | null;
  /** Pinned: must stay exactly here. */
  readonly pinned: { readonly roomId: number; readonly start: number } | null;
  /** Where the last release had it (for "fewest changes"); null = not released. */
  readonly released: { readonly roomId: number; readonly start: number } | null;
  /** Where the draft has it now (the starting point; also "current draft" figures). */
  readonly current: { readonly roomId: number; readonly start: number } | null;
}

export interface OptimizerInstance {
  /** UTC instant (YYYY-MM-DDTHH:MM:SSZ) that minute 0 stands for. */
  readonly origin: string;
  /** Start times are multiples of this many minutes from origin (5, 10, 15 or 30). */
  readonly grainMinutes: number;
  readonly rooms: readonly OptimizerRoom[];
  readonly talks: readonly OptimizerTalk[];
  /** One entry per voter: the indices into `talks` they want to see (no duplicates). */
  readonly voters: readonly (readonly number[])[];
  /**
   * Expected audience per voter, to turn votes into a demand estimate for room sizes
   * (demand = votes × this); e.g. 4 when a quarter of the attendees vote.
   */
  readonly attendeesPerVoter: number;
  /** Minutes two talks must overlap before a person wanting both misses one (default 1). */
  readonly minOverlapMinutes?: number;
}

export interface Placement {
  readonly key: string;
  readonly roomId: number;
  readonly start: number;
}

/** Lexicographic: compare field by field in this order; lower is better. */
export interface Score {
  /** Hard-constraint violations: always 0 in a proposal. */
  readonly hard: number;
  /** Preferences a person cannot attend because of an overlap with another one they want. */
  readonly missed: number;
  /** Expected people above room capacity, summed over talks. */
  readonly overflow: number;
  /** Empty seats in rooms of popular talks' mismatch (big rooms with little demand), summed. */
  readonly emptySeats: number;
  /** Track cohesion penalty: extra rooms per track and day, plus gaps between a track's talks. */
  readonly trackSpread: number;
  /** Talks placed elsewhere than in the last release. */
  readonly changes: number;
}

export interface Conflict {
  readonly a: string;
  readonly b: string;
  /** People who want both. */
  readonly both: number;
  /** Minute (from origin) where they overlap. */
  readonly at: number;
}

export interface RoomFill {
  readonly key: string;
  readonly roomId: number;
  readonly demand: number;
  readonly capacity: number | null;
}

export interface Explanation {
  readonly preferences: number;
  /** Preferences that can be attended (preferences − missed) and its share (0..1). */
  readonly attendable: number;
  readonly attendableShare: number;
  readonly voters: number;
  readonly votersWithMiss: number;
  readonly p95Misses: number;
  readonly maxMisses: number;
  /** The worst remaining conflicts, most people first (at most 10). */
  readonly worstConflicts: readonly Conflict[];
  /** Expected fill per placed talk. */
  readonly fill: readonly RoomFill[];
  /** Talks that moved from their `current` place, with a reason when one is known. */
  readonly moved: readonly { readonly key: string; readonly from: Placement | null; readonly to: Placement }[];
}

export interface Proposal {
  readonly placements: readonly Placement[];
  readonly score: Score;
  readonly explanation: Explanation;
  readonly seed: number;
  readonly iterations: number;
  readonly elapsedMs: number;
  /** True when stopped before its budget (the best found so far). */
  readonly stopped: boolean;
}

export interface Progress {
  readonly elapsedMs: number;
  readonly iterations: number;
  readonly best: Score;
}

/** Why the optimizer cannot run (checked before it starts; nothing is written). */
export interface Unsatisfiable {
  /** Stable code: NO_INTEREST | NOT_ENOUGH_ROOM | SPEAKER_UNAVAILABLE | NO_ALLOWED_ROOM | PIN_CONFLICT | PIN_OUTSIDE_HOURS | TOO_LONG */
  readonly code: string;
  /** Talk keys concerned (empty when the whole instance is concerned). */
  readonly keys: readonly string[];
  /** For people: "“Rust in prod” (Ada) fits in no open room while Ada is available". */
  readonly message: string;
}
