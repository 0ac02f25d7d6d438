import { DateTime } from 'luxon';
import { SERVICE_KINDS, type SessionKind } from '../program/session.js';

/*
 * The schedule editor's warnings, kept incrementally (pure: no database). A WarningIndex holds the
 * event's sessions indexed by room and by speaker, each on a timeline sorted by start, and the
 * warnings keyed so each is stored once and found from every session it involves. Changing one
 * session (upsert) drops the warnings that involve it and computes its own again against its
 * room's and speakers' timelines, the blockers, the opening hours, the availability windows and
 * its audience: the cost of a move is that of its neighbours, never a rescan of the programme.
 *
 * Only sessions on the grid count: placed and confirmed (a cancelled or unplaced session
 * occupies nothing). A break, meal, doors or social without a room is for every room (the grid
 * draws it across them): content placed during it is warned about from either side. Room double bookings are refused by the moves; they can still come from an
 * import or older data, so they are reported too.
 */

export const WARNING_KINDS = [
  'room_double_booked',
  'speaker_double_booked',
  'speaker_unavailable',
  'outside_event_hours',
  'outside_room_hours',
  'room_blocked',
  'during_break',
  'room_too_small',
  'audience_conflict',
] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

export const WARNING_LABELS: Record<WarningKind, string> = {
  room_double_booked: 'Room double-booked',
  speaker_double_booked: 'Speaker in two places',
  speaker_unavailable: 'Speaker unavailable',
  outside_event_hours: "Outside the event's hours",
  outside_room_hours: "Outside the room's opening hours",
  room_blocked: 'Room blocked',
  during_break: 'During a break for every room',
  room_too_small: 'Room too small',
  audience_conflict: 'Audience conflict',
};

/**
 * Two sessions at the same time "conflict for the audience" when at least this many people
 * starred both. Pairs below it are not kept.
 */
export const AUDIENCE_CONFLICT_MIN = 10;

/** A session as the warnings see it. Instants are stored-form UTC text. */
export interface PlanSession {
  readonly id: number;
  readonly title: string;
  readonly kind: string;
  readonly status: string;
  readonly placed: boolean;
  readonly roomId: number | null;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly speakerIds: readonly number[];
}

export interface TimeWindow {
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface PlanBlocker extends TimeWindow {
  readonly id: number;
  readonly roomId: number | null;
  readonly title: string;
}

/** Everything besides the sessions that warnings depend on. */
export interface PlanningWorld {
  readonly timeZone: string;
  readonly rooms: ReadonlyMap<number, { readonly name: string; readonly capacity: number | null }>;
  /** Speakers with their availability (empty: no restriction). */
  readonly speakers: Map<number, { readonly name: string; readonly windows: readonly TimeWindow[] }>;
  /** The event's own hours (empty: no restriction). */
  readonly eventHours: readonly TimeWindow[];
  /** Opening hours per room (absent or empty: no restriction). */
  readonly roomHours: ReadonlyMap<number, readonly TimeWindow[]>;
  readonly blockers: readonly PlanBlocker[];
  /** Expected audience per session: stars and going sign-ups. */
  readonly audience: ReadonlyMap<number, { readonly stars: number; readonly signups: number }>;
  /** People who starred both, per pair of sessions (both directions), only pairs ≥ AUDIENCE_CONFLICT_MIN. */
  readonly coStars: ReadonlyMap<number, ReadonlyMap<number, number>>;
}

export interface ScheduleWarning {
  /** Stable identity: the same conflict has the same key after any number of unrelated moves. */
  readonly key: string;
  readonly kind: WarningKind;
  /** The sessions involved (links in the editor), the changed one first when computed for a move. */
  readonly sessionIds: readonly number[];
  readonly speakerId: number | null;
  readonly roomId: number | null;
  readonly blockerId: number | null;
  /** People (audience conflict: starred both; room too small: expected). */
  readonly count: number | null;
  readonly message: string;
}

interface Item {
  readonly id: number;
  readonly start: number;
  readonly end: number;
}

/** Intervals sorted by start; `overlapping` finds those meeting [start, end) by binary search. */
class Timeline {
  private items: Item[] = [];
  private longest = 0;

  add(item: Item): void {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.start < item.start) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, item);
    if (item.end - item.start > this.longest) this.longest = item.end - item.start;
  }

  remove(id: number): void {
    const i = this.items.findIndex((x) => x.id === id);
    if (i >= 0) this.items.splice(i, 1);
  }

  get size(): number {
    return this.items.length;
  }

  /** Items other than `self` overlapping [start, end) (half-open: back to back is no overlap). */
  overlapping(start: number, end: number, self: number): Item[] {
    const from = start - this.longest;
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.start < from) lo = mid + 1;
      else hi = mid;
    }
    const out: Item[] = [];
    for (let i = lo; i < this.items.length; i++) {
      const x = this.items[i]!;
      if (x.start >= end) break;
      if (x.id !== self && x.end > start) out.push(x);
    }
    return out;
  }
}

const ms = (instant: string) => Date.parse(instant);

/** Whether the windows (in any order) together cover [start, end). */
export function windowsCover(windows: readonly TimeWindow[], start: number, end: number): boolean {
  const sorted = windows.map((w) => [ms(w.startsAt), ms(w.endsAt)] as const).sort((a, b) => a[0] - b[0]);
  let reached = start;
  for (const [a, b] of sorted) {
    if (a > reached) break;
    if (b > reached) reached = b;
    if (reached >= end) return true;
  }
  return reached >= end;
}

/** Counts of one session's audience used for "room too small": the larger of stars and going sign-ups. */
export function expectedAudience(a: { stars: number; signups: number } | undefined): number {
  return a ? Math.max(a.stars, a.signups) : 0;
}

export class WarningIndex {
  private readonly sessions = new Map<number, PlanSession>();
  private readonly byRoom = new Map<number, Timeline>();
  private readonly bySpeaker = new Map<number, Timeline>();
  /** Breaks for every room (service sessions without a room). */
  private readonly breaks = new Timeline();
  private readonly warnings = new Map<string, ScheduleWarning>();
  private readonly keysBySession = new Map<number, Set<string>>();
  private readonly blockersByRoom = new Map<number | null, PlanBlocker[]>();

  constructor(
    readonly world: PlanningWorld,
    sessions: Iterable<PlanSession>,
  ) {
    for (const b of world.blockers) {
      const list = this.blockersByRoom.get(b.roomId) ?? [];
      list.push(b);
      this.blockersByRoom.set(b.roomId, list);
    }
    for (const s of sessions) {
      this.sessions.set(s.id, s);
      if (onGrid(s)) this.index(s);
    }
    for (const s of this.sessions.values()) if (onGrid(s)) this.compute(s);
  }

  /** The session as the index holds it. */
  session(id: number): PlanSession | undefined {
    return this.sessions.get(id);
  }

  /** A new or changed session (or one taken off the grid): its warnings are computed again, nothing else's. */
  upsert(s: PlanSession): void {
    this.drop(s.id);
    this.sessions.set(s.id, s);
    if (onGrid(s)) {
      this.index(s);
      this.compute(s);
    }
  }

  /** A session deleted. */
  remove(id: number): void {
    this.drop(id);
    this.sessions.delete(id);
  }

  /** A speaker the world did not know yet (a profile made when a proposal was placed). */
  addSpeaker(id: number, speaker: { name: string; windows: readonly TimeWindow[] }): void {
    this.world.speakers.set(id, speaker);
  }

  /** Every warning, in a stable order (kind, then the first session). */
  all(): ScheduleWarning[] {
    return sortWarnings([...this.warnings.values()]);
  }

  /** The warnings that involve one of `ids`. */
  involving(ids: Iterable<number>): ScheduleWarning[] {
    const keys = new Set<string>();
    for (const id of ids) for (const k of this.keysBySession.get(id) ?? []) keys.add(k);
    return sortWarnings([...keys].map((k) => this.warnings.get(k)!));
  }

  /** How many warnings involve each session. */
  countBySession(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [id, keys] of this.keysBySession) if (keys.size) out.set(id, keys.size);
    return out;
  }

  get size(): number {
    return this.warnings.size;
  }

  private index(s: PlanSession): void {
    const item = { id: s.id, start: ms(s.startsAt), end: ms(s.endsAt) };
    if (s.roomId !== null) timeline(this.byRoom, s.roomId).add(item);
    else if (isBreakForAll(s)) this.breaks.add(item);
    for (const sp of s.speakerIds) timeline(this.bySpeaker, sp).add(item);
  }

  private drop(id: number): void {
    const before = this.sessions.get(id);
    if (before && onGrid(before)) {
      if (before.roomId !== null) this.byRoom.get(before.roomId)?.remove(id);
      else if (isBreakForAll(before)) this.breaks.remove(id);
      for (const sp of before.speakerIds) this.bySpeaker.get(sp)?.remove(id);
    }
    for (const key of this.keysBySession.get(id) ?? []) {
      const w = this.warnings.get(key);
      this.warnings.delete(key);
      for (const other of w?.sessionIds ?? []) if (other !== id) this.keysBySession.get(other)?.delete(key);
    }
    this.keysBySession.delete(id);
  }

  private put(w: ScheduleWarning): void {
    if (this.warnings.has(w.key)) return;
    this.warnings.set(w.key, w);
    for (const id of w.sessionIds) {
      let keys = this.keysBySession.get(id);
      if (!keys) this.keysBySession.set(id, (keys = new Set()));
      keys.add(w.key);
    }
  }

  /** Every warning of one session on the grid (pair warnings are stored once, whichever side finds them). */
  private compute(s: PlanSession): void {
    const w = this.world;
    const start = ms(s.startsAt);
    const end = ms(s.endsAt);
    const when = (x: { startsAt: string; endsAt: string }) => timeSpan(x.startsAt, x.endsAt, w.timeZone);
    const title = (x: PlanSession) => `"${x.title}"`;
    const room = s.roomId === null ? undefined : w.rooms.get(s.roomId);

    if (s.roomId !== null) {
      for (const o of this.byRoom.get(s.roomId)?.overlapping(start, end, s.id) ?? []) {
        const other = this.sessions.get(o.id)!;
        const [a, b] = s.id < other.id ? [s, other] : [other, s];
        this.put({
          key: `room:${a.id}:${b.id}`,
          kind: 'room_double_booked',
          sessionIds: [s.id, other.id],
          speakerId: null,
          roomId: s.roomId,
          blockerId: null,
          count: null,
          message: `${title(a)} (${when(a)}) and ${title(b)} (${when(b)}) are both in ${room?.name ?? 'the same room'}.`,
        });
      }
    }

    for (const sp of s.speakerIds) {
      const speaker = w.speakers.get(sp);
      const name = speaker?.name ?? `Speaker #${sp}`;
      for (const o of this.bySpeaker.get(sp)?.overlapping(start, end, s.id) ?? []) {
        const other = this.sessions.get(o.id)!;
        const [a, b] = s.id < other.id ? [s, other] : [other, s];
        this.put({
          key: `speaker:${sp}:${a.id}:${b.id}`,
          kind: 'speaker_double_booked',
          sessionIds: [s.id, other.id],
          speakerId: sp,
          roomId: null,
          blockerId: null,
          count: null,
          message: `${name} is in ${title(a)} (${when(a)}) and in ${title(b)} (${when(b)}) at the same time.`,
        });
      }
      if (speaker?.windows.length && !windowsCover(speaker.windows, start, end)) {
        this.put({
          key: `unavailable:${sp}:${s.id}`,
          kind: 'speaker_unavailable',
          sessionIds: [s.id],
          speakerId: sp,
          roomId: null,
          blockerId: null,
          count: null,
          message: `${name} is not available during ${title(s)} (${when(s)}); available ${speaker.windows.map((x) => windowLabel(x, w.timeZone)).join(', ')}.`,
        });
      }
    }

    if (w.eventHours.length && !windowsCover(w.eventHours, start, end)) {
      this.put({
        key: `event-hours:${s.id}`,
        kind: 'outside_event_hours',
        sessionIds: [s.id],
        speakerId: null,
        roomId: null,
        blockerId: null,
        count: null,
        message: `${title(s)} (${when(s)}) is outside the event's hours (${w.eventHours.map((x) => windowLabel(x, w.timeZone)).join(', ')}).`,
      });
    }
    const hours = s.roomId === null ? undefined : w.roomHours.get(s.roomId);
    if (hours?.length && !windowsCover(hours, start, end)) {
      this.put({
        key: `room-hours:${s.id}`,
        kind: 'outside_room_hours',
        sessionIds: [s.id],
        speakerId: null,
        roomId: s.roomId,
        blockerId: null,
        count: null,
        message: `${title(s)} (${when(s)}) is outside the opening hours of ${room?.name ?? 'its room'} (${hours.map((x) => windowLabel(x, w.timeZone)).join(', ')}).`,
      });
    }

    const blockers = [...(this.blockersByRoom.get(null) ?? []), ...(s.roomId === null ? [] : (this.blockersByRoom.get(s.roomId) ?? []))];
    for (const b of blockers) {
      if (!(ms(b.startsAt) < end && start < ms(b.endsAt))) continue;
      const where = b.roomId === null ? 'Every room' : (w.rooms.get(b.roomId)?.name ?? 'The room');
      this.put({
        key: `blocked:${b.id}:${s.id}`,
        kind: 'room_blocked',
        sessionIds: [s.id],
        speakerId: null,
        roomId: b.roomId,
        blockerId: b.id,
        count: null,
        message: `${where} is blocked${b.title ? ` for "${b.title}"` : ''} (${when(b)}) during ${title(s)}.`,
      });
    }

    const duringBreak = (content: PlanSession, pause: PlanSession) =>
      this.put({
        key: `break:${pause.id}:${content.id}`,
        kind: 'during_break',
        sessionIds: [s.id, s.id === content.id ? pause.id : content.id],
        speakerId: null,
        roomId: content.roomId,
        blockerId: null,
        count: null,
        message: `${title(content)} (${when(content)}) runs during ${title(pause)} (${when(pause)}), a break for every room.`,
      });
    if (isBreakForAll(s)) {
      for (const t of this.byRoom.values()) {
        for (const o of t.overlapping(start, end, s.id)) {
          const other = this.sessions.get(o.id)!;
          if (!SERVICE_KINDS.has(other.kind as SessionKind)) duringBreak(other, s);
        }
      }
    } else if (s.roomId !== null && !SERVICE_KINDS.has(s.kind as SessionKind)) {
      for (const o of this.breaks.overlapping(start, end, s.id)) duringBreak(s, this.sessions.get(o.id)!);
    }

    const expected = expectedAudience(w.audience.get(s.id));
    if (room?.capacity != null && expected > room.capacity && !SERVICE_KINDS.has(s.kind as SessionKind)) {
      const a = w.audience.get(s.id)!;
      const basis = a.signups >= a.stars ? `${a.signups} signed up` : `${a.stars} starred it`;
      this.put({
        key: `capacity:${s.id}`,
        kind: 'room_too_small',
        sessionIds: [s.id],
        speakerId: null,
        roomId: s.roomId,
        blockerId: null,
        count: expected,
        message: `${title(s)} expects ${expected} people (${basis}) but ${room.name} seats ${room.capacity}.`,
      });
    }

    for (const [otherId, n] of w.coStars.get(s.id) ?? []) {
      const other = this.sessions.get(otherId);
      if (!other || !onGrid(other) || !(ms(other.startsAt) < end && start < ms(other.endsAt))) continue;
      const [a, b] = s.id < other.id ? [s, other] : [other, s];
      this.put({
        key: `audience:${a.id}:${b.id}`,
        kind: 'audience_conflict',
        sessionIds: [s.id, other.id],
        speakerId: null,
        roomId: null,
        blockerId: null,
        count: n,
        message: `${n} people starred both ${title(a)} (${when(a)}) and ${title(b)} (${when(b)}), which run at the same time.`,
      });
    }
  }
}

/** A break, meal, doors or social without a room: for every room. */
function isBreakForAll(s: Pick<PlanSession, 'roomId' | 'kind'>): boolean {
  return s.roomId === null && SERVICE_KINDS.has(s.kind as SessionKind);
}

/** On the grid: placed and confirmed. */
export function onGrid(s: Pick<PlanSession, 'placed' | 'status'>): boolean {
  return s.placed && s.status === 'confirmed';
}

function timeline(map: Map<number, Timeline>, key: number): Timeline {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Timeline()));
  return t;
}

const ORDER = new Map(WARNING_KINDS.map((k, i) => [k, i]));

function sortWarnings(list: ScheduleWarning[]): ScheduleWarning[] {
  return list.sort((a, b) => ORDER.get(a.kind)! - ORDER.get(b.kind)! || Math.min(...a.sessionIds) - Math.min(...b.sessionIds) || (a.key < b.key ? -1 : 1));
}

/** `10:00–10:30` in the zone (with the date when it ends on another day). */
function timeSpan(startsAt: string, endsAt: string, zone: string): string {
  const a = DateTime.fromISO(startsAt, { zone: 'utc' }).setZone(zone);
  const b = DateTime.fromISO(endsAt, { zone: 'utc' }).setZone(zone);
  return `${a.toFormat('HH:mm')}–${b.toFormat(a.hasSame(b, 'day') ? 'HH:mm' : 'ccc HH:mm')}`;
}

/** `Thu 15 Apr 09:00–12:00`. */
function windowLabel(w: TimeWindow, zone: string): string {
  const a = DateTime.fromISO(w.startsAt, { zone: 'utc' }).setZone(zone);
  return `${a.toFormat('ccc d LLL')} ${timeSpan(w.startsAt, w.endsAt, zone)}`;
}
