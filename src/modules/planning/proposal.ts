import { createHash } from 'node:crypto';
import { WallClock } from '../../lib/time.js';
import type { Explanation, Interval, OptimizerInstance, Placement, Progress, Proposal, Score, Unsatisfiable } from '../optimizer/optimizer.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import type { OptimizerRunStatus } from './optimizer-run.table.js';
import type { ProposeOptions } from './proposal.schemas.js';

/*
 * "Propose a programme": the pure parts. Interval arithmetic for building an instance (a room's
 * opening hours minus blockers, the intersection of speakers' windows), the draft's fingerprint,
 * what a run keeps of its instance (the summary: titles and current places, for the diff), and
 * the diff of a proposal against the draft it started from.
 */

/** What the optimizer needs besides the instance, injected so tests (and a future engine) can swap it. */
export interface OptimizerEngine {
  /** Every voter's wanted talks as keys `s<id>`/`p<id>` (interest's loadInterestVotes). */
  readonly loadVotes: (db: DbOrTrx, eventId: number) => Promise<{ voters: string[][] }>;
  /**
   * What cannot be satisfied (the optimizer's checkInstance) and, when nothing, the score and
   * explanation of `current` (evaluate): the real engine does both in a worker thread.
   */
  readonly prepare: (
    instance: OptimizerInstance,
    current: readonly Placement[],
  ) => Promise<{ readonly problems: readonly Unsatisfiable[]; readonly baseline: { readonly score: Score; readonly explanation: Explanation } | null }>;
  readonly start: (instance: OptimizerInstance, opts: { seed: number; timeLimitMs: number; memoryMb?: number }) => OptimizerHandle;
}

/** A run in progress (optimizer-thread.ts's OptimizerRun). */
export interface OptimizerHandle {
  readonly result: Promise<Proposal>;
  onProgress(cb: (p: Progress) => void): void;
  stop(): void;
}

/** A talk as the run saw it: enough to show "from → to" without the draft of that time. */
export interface SummaryTalk {
  readonly key: string;
  readonly title: string;
  readonly kind: string;
  readonly trackId: number | null;
  readonly durationMinutes: number;
  readonly current: { readonly roomId: number; readonly start: number } | null;
  readonly pinned: boolean;
}

export interface RunSummary {
  readonly origin: string;
  readonly timeZone: string;
  readonly grainMinutes: number;
  readonly attendeesPerVoter: number;
  /** How attendeesPerVoter was chosen, in words. */
  readonly attendeesPerVoterReason: string;
  readonly voters: number;
  readonly preferences: number;
  readonly rooms: ReadonlyArray<{ readonly id: number; readonly name: string; readonly capacity: number | null }>;
  readonly talks: readonly SummaryTalk[];
}

/** One line of the diff: a talk that moves or is newly placed. */
export interface ProposalChange {
  readonly key: string;
  readonly title: string;
  readonly from: { readonly roomId: number; readonly start: number } | null;
  readonly to: { readonly roomId: number; readonly start: number };
  readonly durationMinutes: number;
}

export interface ProposalDiff {
  /** Placed talks that move (another room and/or start). */
  readonly moved: readonly ProposalChange[];
  /** Talks not on the grid before (sessions off the grid, accepted proposals) that the proposal places. */
  readonly placed: readonly ProposalChange[];
  /** Talks the proposal leaves where they are. */
  readonly unchanged: number;
}

/** The stored run as the adapters show it. */
export interface OptimizerRunRecord {
  readonly id: number;
  readonly eventId: number;
  readonly number: number;
  readonly status: OptimizerRunStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly decidedAt: string | null;
  readonly message: string;
  readonly options: ProposeOptions;
  readonly progress: Progress | null;
  readonly summary: RunSummary;
  readonly baseline: { readonly score: Score; readonly explanation: Explanation };
  readonly proposal: Proposal | null;
}

export const ACTIVE_STATUSES: readonly OptimizerRunStatus[] = ['running'];

// --- intervals (half-open, sorted, disjoint) ------------------------------------------------------

/** Sorted, merged copy. */
export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, i.end) };
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** The parts in both lists. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = normalize(a);
  const y = normalize(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const start = Math.max(x[i]!.start, y[j]!.start);
    const end = Math.min(x[i]!.end, y[j]!.end);
    if (end > start) out.push({ start, end });
    if (x[i]!.end < y[j]!.end) i++;
    else j++;
  }
  return out;
}

/** The parts of `a` outside `b`. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const cut = normalize(b);
  let out = normalize(a);
  for (const c of cut) {
    const next: Interval[] = [];
    for (const i of out) {
      if (c.end <= i.start || c.start >= i.end) next.push(i);
      else {
        if (c.start > i.start) next.push({ start: i.start, end: c.start });
        if (c.end < i.end) next.push({ start: c.end, end: i.end });
      }
    }
    out = next;
  }
  return out;
}

// --- fingerprint, diff, wording ---------------------------------------------------------------------

/**
 * What the draft was, for the optimizer: rooms and their open times, every talk's constraints and
 * place, pins. Not the votes (people keep voting) nor sign-ups. Accepting a proposal compares it
 * with the draft's now: any difference means the proposal was made for another draft.
 */
export function instanceFingerprint(instance: OptimizerInstance): string {
  const shape = {
    origin: instance.origin,
    grain: instance.grainMinutes,
    rooms: instance.rooms.map((r) => [r.id, r.open.map((o) => [o.start, o.end])]),
    talks: instance.talks.map((t) => [
      t.key,
      t.durationMinutes,
      t.speakerIds,
      t.allowedRoomIds,
      t.windows?.map((w) => [w.start, w.end]) ?? null,
      t.pinned ? [t.pinned.roomId, t.pinned.start] : null,
      t.current ? [t.current.roomId, t.current.start] : null,
    ]),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 32);
}

/** The current draft's places as placements (what evaluate() scores for "now"). */
export function currentPlacements(instance: OptimizerInstance): Placement[] {
  const out: Placement[] = [];
  for (const t of instance.talks) if (t.current) out.push({ key: t.key, roomId: t.current.roomId, start: t.current.start });
  return out;
}

/** What the proposal changes against the draft the run started from. */
export function diffProposal(summary: RunSummary, placements: readonly Placement[]): ProposalDiff {
  const talks = new Map(summary.talks.map((t) => [t.key, t]));
  const moved: ProposalChange[] = [];
  const placed: ProposalChange[] = [];
  let unchanged = 0;
  for (const p of placements) {
    const t = talks.get(p.key);
    if (!t) continue;
    const change = { key: p.key, title: t.title, from: t.current, to: { roomId: p.roomId, start: p.start }, durationMinutes: t.durationMinutes };
    if (!t.current) placed.push(change);
    else if (t.current.roomId !== p.roomId || t.current.start !== p.start) moved.push(change);
    else unchanged++;
  }
  const byTime = (a: ProposalChange, b: ProposalChange) => a.to.start - b.to.start || a.to.roomId - b.to.roomId || a.key.localeCompare(b.key);
  return { moved: moved.sort(byTime), placed: placed.sort(byTime), unchanged };
}

/** Minutes from the run's origin as a local date-time in the event's zone (`2027-04-15T10:30`). */
export function localAtMinute(summary: Pick<RunSummary, 'origin' | 'timeZone'>, minute: number, clock = new WallClock(summary.timeZone)): string {
  return clock.local(instantAtMinute(summary.origin, minute));
}

/** Minutes from `origin` as a stored instant. */
export function instantAtMinute(origin: string, minute: number): string {
  return `${new Date(Date.parse(origin) + minute * 60_000).toISOString().slice(0, 19)}Z`;
}

/** Whole minutes from `origin` to a stored instant. */
export function minuteOf(origin: string, instant: string): number {
  return Math.round((Date.parse(instant) - Date.parse(origin)) / 60_000);
}

/** The diff of a run's proposal against the draft it started from (empty before it has one). */
export function runDiff(run: OptimizerRunRecord): ProposalDiff {
  return run.proposal ? diffProposal(run.summary, run.proposal.placements) : { moved: [], placed: [], unchanged: 0 };
}

// --- what the pages and the API show --------------------------------------------------------------

export interface PlaceView {
  readonly roomId: number;
  readonly room: string;
  /** Local date-times in the event's zone. */
  readonly start: string;
  readonly end: string;
}

export interface ChangeView {
  readonly key: string;
  readonly sessionId: number | null;
  readonly proposalId: number | null;
  readonly title: string;
  readonly from: PlaceView | null;
  readonly to: PlaceView;
  readonly durationMinutes: number;
}

export interface ConflictView {
  readonly a: { readonly key: string; readonly title: string };
  readonly b: { readonly key: string; readonly title: string };
  readonly both: number;
  /** Local date-time where they overlap. */
  readonly at: string;
}

export interface RoomFillView {
  readonly roomId: number;
  readonly room: string;
  readonly capacity: number | null;
  readonly sessions: number;
  /** The largest expected audience of a session there. */
  readonly peakDemand: number;
  /** Sessions expected to overflow it, and the people above capacity summed. */
  readonly overflowing: number;
  readonly overflow: number;
}

/** One programme's figures (the current draft's, or the proposal's). */
export interface FiguresView {
  readonly score: Score;
  readonly preferences: number;
  readonly attendable: number;
  readonly attendableShare: number;
  readonly voters: number;
  readonly votersWithMiss: number;
  readonly p95Misses: number;
  readonly maxMisses: number;
  readonly conflicts: readonly ConflictView[];
  readonly rooms: readonly RoomFillView[];
}

export interface RunView {
  readonly run: OptimizerRunRecord;
  readonly current: FiguresView;
  readonly proposed: FiguresView | null;
  readonly changes: { readonly moved: readonly ChangeView[]; readonly placed: readonly ChangeView[]; readonly unchanged: number };
}

/** A run as the pages and the API show it: local times, room names and titles instead of keys and minutes. */
export function presentRun(run: OptimizerRunRecord): RunView {
  const s = run.summary;
  const clock = new WallClock(s.timeZone);
  const rooms = new Map(s.rooms.map((r) => [r.id, r]));
  const titles = new Map(s.talks.map((t) => [t.key, t.title]));
  const place = (p: { roomId: number; start: number }, duration: number): PlaceView => ({
    roomId: p.roomId,
    room: rooms.get(p.roomId)?.name ?? `room #${p.roomId}`,
    start: localAtMinute(s, p.start, clock),
    end: localAtMinute(s, p.start + duration, clock),
  });
  const change = (c: ProposalChange): ChangeView => ({
    key: c.key,
    sessionId: c.key.startsWith('s') ? Number(c.key.slice(1)) : null,
    proposalId: c.key.startsWith('p') ? Number(c.key.slice(1)) : null,
    title: c.title,
    from: c.from ? place(c.from, c.durationMinutes) : null,
    to: place(c.to, c.durationMinutes),
    durationMinutes: c.durationMinutes,
  });
  const figures = (score: Score, e: Explanation): FiguresView => {
    const perRoom = new Map<number, { sessions: number; peak: number; overflowing: number; overflow: number }>();
    for (const f of e.fill) {
      const r = perRoom.get(f.roomId) ?? { sessions: 0, peak: 0, overflowing: 0, overflow: 0 };
      r.sessions++;
      r.peak = Math.max(r.peak, f.demand);
      if (f.capacity !== null && f.demand > f.capacity) {
        r.overflowing++;
        r.overflow += f.demand - f.capacity;
      }
      perRoom.set(f.roomId, r);
    }
    return {
      score,
      preferences: e.preferences,
      attendable: e.attendable,
      attendableShare: e.attendableShare,
      voters: e.voters,
      votersWithMiss: e.votersWithMiss,
      p95Misses: e.p95Misses,
      maxMisses: e.maxMisses,
      conflicts: e.worstConflicts.map((c) => ({
        a: { key: c.a, title: titles.get(c.a) ?? c.a },
        b: { key: c.b, title: titles.get(c.b) ?? c.b },
        both: c.both,
        at: localAtMinute(s, c.at, clock),
      })),
      rooms: s.rooms.map((r) => {
        const f = perRoom.get(r.id) ?? { sessions: 0, peak: 0, overflowing: 0, overflow: 0 };
        return {
          roomId: r.id,
          room: r.name,
          capacity: r.capacity,
          sessions: f.sessions,
          peakDemand: Math.round(f.peak),
          overflowing: f.overflowing,
          overflow: Math.round(f.overflow),
        };
      }),
    };
  };
  const diff = runDiff(run);
  return {
    run,
    current: figures(run.baseline.score, run.baseline.explanation),
    proposed: run.proposal ? figures(run.proposal.score, run.proposal.explanation) : null,
    changes: { moved: diff.moved.map(change), placed: diff.placed.map(change), unchanged: diff.unchanged },
  };
}
