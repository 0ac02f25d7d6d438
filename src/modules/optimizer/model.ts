import type { Interval, OptimizerInstance, OptimizerRoom, OptimizerTalk } from './optimizer.js';

/*
 * The instance compiled into flat, indexed arrays that the checks (feasibility.ts), the scoring
 * (evaluate.ts) and the search (solver.ts) share: where each talk may start (per room, as ranges of
 * grain-aligned starts that respect the room's opening, the speakers' windows, allowed rooms and
 * seats needed), demands, voters per talk, talks per speaker and per track. Pure and deterministic.
 */

export const MINUTES_PER_DAY = 1440;

/** Where a talk may start in one room: grain-aligned starts lo, lo+grain, …, hi, for each pair. */
export interface TalkRoom {
  /** Index into instance.rooms. */
  readonly room: number;
  /** Pairs [lo, hi] (inclusive) of allowed starts, in minutes from origin. */
  readonly ranges: readonly number[];
  /** Number of allowed starts. */
  readonly total: number;
  readonly overflow: number;
  readonly empty: number;
}

export interface Model {
  readonly instance: OptimizerInstance;
  readonly nTalks: number;
  readonly nRooms: number;
  readonly grain: number;
  /** Two talks conflict for a voter when they overlap at least this many minutes. */
  readonly minOverlap: number;
  readonly roomIndex: ReadonlyMap<number, number>;
  readonly talkIndex: ReadonlyMap<string, number>;
  readonly duration: Int32Array;
  /** Expected audience: round(votes × attendeesPerVoter). */
  readonly demand: Int32Array;
  /** Where each talk may go (a pinned talk: only its pin, when the pin is valid). */
  readonly talkRooms: readonly (readonly TalkRoom[])[];
  /** talkRoomSlot[t * nRooms + r]: index into talkRooms[t], or -1. */
  readonly talkRoomSlot: Int32Array;
  readonly pinned: Uint8Array;
  /** Released place (room index, start) or -1. */
  readonly releasedRoom: Int32Array;
  readonly releasedStart: Int32Array;
  /** Track index per talk, or -1; and the talks of each track. */
  readonly track: Int32Array;
  readonly trackTalks: readonly Int32Array[];
  /** Other talks sharing a speaker with each talk. */
  readonly siblings: readonly Int32Array[];
  /** Deduplicated, in-range wanted talks per voter, and voters per talk. */
  readonly voterTalks: readonly Int32Array[];
  readonly talkVoters: readonly Int32Array[];
  readonly preferences: number;
}

export function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

export function ceilTo(a: number, g: number): number {
  return a + mod(-a, g);
}

export function floorTo(a: number, g: number): number {
  return a - mod(a, g);
}

/** Half-open intervals [a, b) that contain [s, e). */
export function within(intervals: readonly Interval[], s: number, e: number): boolean {
  for (const i of intervals) if (i.start <= s && e <= i.end) return true;
  return false;
}

export function seatCost(demand: number, capacity: number | null): { overflow: number; empty: number } {
  if (capacity === null) return { overflow: 0, empty: 0 };
  return { overflow: Math.max(0, demand - capacity), empty: Math.max(0, capacity - demand) };
}

/** Whether a talk may use a room at all (allowed rooms, seats needed). */
export function roomAllowed(talk: OptimizerTalk, room: OptimizerRoom): boolean {
  if (talk.allowedRoomIds !== null && !talk.allowedRoomIds.includes(room.id)) return false;
  if (talk.minCapacity > 0 && room.capacity !== null && room.capacity < talk.minCapacity) return false;
  return true;
}

/** Ranges of grain-aligned starts for a talk of `duration` in `open` ∩ `windows`. */
export function startRanges(open: readonly Interval[], windows: readonly Interval[] | null, duration: number, grain: number): number[] {
  const out: number[] = [];
  const push = (a: number, b: number) => {
    const lo = ceilTo(a, grain);
    const hi = floorTo(b - duration, grain);
    if (lo <= hi) out.push(lo, hi);
  };
  for (const o of open) {
    if (windows === null) push(o.start, o.end);
    else for (const w of windows) push(Math.max(o.start, w.start), Math.min(o.end, w.end));
  }
  // Windows may overlap each other: merge the ranges (sorted, then joined).
  const pairs: [number, number][] = [];
  for (let i = 0; i < out.length; i += 2) pairs.push([out[i]!, out[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = merged.length;
    if (n > 0 && lo <= merged[n - 1]! + grain) merged[n - 1] = Math.max(merged[n - 1]!, hi);
    else merged.push(lo, hi);
  }
  return merged;
}

export function countStarts(ranges: readonly number[], grain: number): number {
  let n = 0;
  for (let i = 0; i < ranges.length; i += 2) n += (ranges[i + 1]! - ranges[i]!) / grain + 1;
  return n;
}

export function buildModel(instance: OptimizerInstance): Model {
  const talks = instance.talks;
  const rooms = instance.rooms;
  const nTalks = talks.length;
  const nRooms = rooms.length;
  const grain = Math.max(1, Math.floor(instance.grainMinutes));
  const minOverlap = Math.max(1, Math.floor(instance.minOverlapMinutes ?? 1));
  const roomIndex = new Map<number, number>();
  rooms.forEach((r, i) => {
    roomIndex.set(r.id, i);
  });
  const talkIndex = new Map<string, number>();
  talks.forEach((t, i) => {
    talkIndex.set(t.key, i);
  });

  const voterTalks: Int32Array[] = [];
  const votes = new Int32Array(nTalks);
  let preferences = 0;
  for (const wanted of instance.voters) {
    const set = [...new Set(wanted.filter((i) => Number.isInteger(i) && i >= 0 && i < nTalks))];
    const arr = Int32Array.from(set);
    voterTalks.push(arr);
    for (const t of arr) votes[t]++;
    preferences += arr.length;
  }
  const talkVoters: Int32Array[] = talks.map((_, t) => new Int32Array(votes[t]!));
  const fillAt = new Int32Array(nTalks);
  voterTalks.forEach((arr, p) => {
    for (const t of arr) talkVoters[t]![fillAt[t]!++] = p;
  });

  const duration = Int32Array.from(talks, (t) => Math.max(1, Math.floor(t.durationMinutes)));
  const demand = Int32Array.from(votes, (v) => Math.round(v * instance.attendeesPerVoter));
  const pinned = Uint8Array.from(talks, (t) => (t.pinned ? 1 : 0));
  const releasedRoom = Int32Array.from(talks, (t) => (t.released ? (roomIndex.get(t.released.roomId) ?? -1) : -1));
  const releasedStart = Int32Array.from(talks, (t) => (t.released ? t.released.start : 0));

  const talkRooms: TalkRoom[][] = [];
  const talkRoomSlot = new Int32Array(nTalks * nRooms).fill(-1);
  talks.forEach((talk, t) => {
    const list: TalkRoom[] = [];
    const d = duration[t]!;
    const add = (r: number, ranges: number[]) => {
      const total = countStarts(ranges, grain);
      if (total === 0) return;
      const cost = seatCost(demand[t]!, rooms[r]!.capacity);
      talkRoomSlot[t * nRooms + r] = list.length;
      list.push({ room: r, ranges, total, ...cost });
    };
    if (talk.pinned) {
      const r = roomIndex.get(talk.pinned.roomId);
      const s = talk.pinned.start;
      if (r !== undefined && pinValid(talk, rooms[r]!, s, d)) add(r, [s, s]);
    } else {
      rooms.forEach((room, r) => {
        if (roomAllowed(talk, room)) add(r, startRanges(room.open, talk.windows, d, grain));
      });
    }
    talkRooms.push(list);
  });

  const trackIds = new Map<number, number>();
  const trackLists: number[][] = [];
  const track = Int32Array.from(talks, (t, i) => {
    if (t.trackId === null) return -1;
    let k = trackIds.get(t.trackId);
    if (k === undefined) {
      k = trackLists.length;
      trackIds.set(t.trackId, k);
      trackLists.push([]);
    }
    trackLists[k]!.push(i);
    return k;
  });

  const bySpeaker = new Map<number, number[]>();
  talks.forEach((t, i) => {
    for (const s of new Set(t.speakerIds)) {
      const list = bySpeaker.get(s);
      if (list) list.push(i);
      else bySpeaker.set(s, [i]);
    }
  });
  const siblingSets: Set<number>[] = talks.map(() => new Set());
  for (const list of bySpeaker.values()) {
    if (list.length < 2) continue;
    for (const a of list) for (const b of list) if (a !== b) siblingSets[a]!.add(b);
  }

  return {
    instance,
    nTalks,
    nRooms,
    grain,
    minOverlap,
    roomIndex,
    talkIndex,
    duration,
    demand,
    talkRooms,
    talkRoomSlot,
    pinned,
    releasedRoom,
    releasedStart,
    track,
    trackTalks: trackLists.map((l) => Int32Array.from(l)),
    siblings: siblingSets.map((s) => Int32Array.from([...s].sort((a, b) => a - b))),
    voterTalks,
    talkVoters,
    preferences,
  };
}

/** A pin is valid in its room when the room is open and the speakers are available then, and the room is allowed. */
export function pinValid(talk: OptimizerTalk, room: OptimizerRoom, start: number, duration: number): boolean {
  return roomAllowed(talk, room) && within(room.open, start, start + duration) && (talk.windows === null || within(talk.windows, start, start + duration));
}

/** Whether `start` is one of the allowed starts of talk t in room r (any talk: pinned ones only at their pin). */
export function allowedAt(m: Model, t: number, r: number, start: number): boolean {
  const slot = m.talkRoomSlot[t * m.nRooms + r]!;
  if (slot < 0) return false;
  const ranges = m.talkRooms[t]![slot]!.ranges;
  if (!m.pinned[t] && mod(start, m.grain) !== 0) return false;
  for (let i = 0; i < ranges.length; i += 2) if (ranges[i]! <= start && start <= ranges[i + 1]!) return true;
  return false;
}

/** The k-th allowed start of a talk-room. */
export function nthStart(tr: TalkRoom, k: number, grain: number): number {
  const ranges = tr.ranges;
  for (let i = 0; i < ranges.length; i += 2) {
    const c = (ranges[i + 1]! - ranges[i]!) / grain + 1;
    if (k < c) return ranges[i]! + k * grain;
    k -= c;
  }
  return ranges[ranges.length - 2]!;
}

/**
 * Preferences a voter misses: their placed wanted talks minus the most of them they can attend
 * (the largest set with no two overlapping by `minOverlap` minutes or more). Two talks overlap by at
 * least m minutes exactly when the intervals shortened by m−1 minutes at the end intersect, so this
 * is interval scheduling: greedy by end. Unplaced talks (roomOf −1) do not count. `bufS`/`bufE` are scratch arrays at least as long as `talks`.
 */
export function voterMissed(
  talks: Int32Array,
  start: Int32Array,
  end: Int32Array,
  roomOf: Int32Array,
  shrink: number,
  bufS: Int32Array,
  bufE: Int32Array,
): number {
  let n = 0;
  for (let i = 0; i < talks.length; i++) {
    const t = talks[i]!;
    if (roomOf[t]! < 0) continue;
    const s = start[t]!;
    const e = end[t]! - shrink;
    if (e <= s) continue; // shorter than the overlap that counts: never conflicts
    // insertion by end
    let j = n++;
    while (j > 0 && bufE[j - 1]! > e) {
      bufE[j] = bufE[j - 1]!;
      bufS[j] = bufS[j - 1]!;
      j--;
    }
    bufE[j] = e;
    bufS[j] = s;
  }
  if (n < 2) return 0;
  let kept = 0;
  let last = -2147483648;
  for (let i = 0; i < n; i++) {
    if (bufS[i]! >= last) {
      kept++;
      last = bufE[i]!;
    }
  }
  return n - kept;
}

/**
 * Track cohesion of one track: per day (24 hours from origin) the rooms it uses beyond the first,
 * plus, per room, the idle gaps between its consecutive talks while that room is open.
 */
export function trackSpread(m: Model, talks: Int32Array, roomOf: Int32Array, start: Int32Array, end: Int32Array): number {
  // Sort keys (no objects: this runs on every move of the search): (day, room, start) then the
  // talk's position in `talks`, packed in one float; days are shifted to stay positive.
  let keys = spreadKeys;
  if (keys.length < talks.length) keys = spreadKeys = new Float64Array(talks.length * 2);
  let n = 0;
  for (let i = 0; i < talks.length; i++) {
    const t = talks[i]!;
    const r = roomOf[t]!;
    if (r < 0) continue;
    const day = Math.floor(start[t]! / MINUTES_PER_DAY);
    const minute = start[t]! - day * MINUTES_PER_DAY;
    keys[n++] = (((day + 1024) * m.nRooms + r) * MINUTES_PER_DAY + minute) * 65536 + i;
  }
  if (n < 2) return 0;
  const sorted = keys.subarray(0, n).sort();
  let spread = 0;
  let roomsToday = 0;
  let prevDay = Number.NaN;
  let prevRoom = -1;
  let prevEnd = 0;
  for (let k = 0; k < n; k++) {
    const t = talks[sorted[k]! % 65536]!;
    const r = roomOf[t]!;
    const day = Math.floor(start[t]! / MINUTES_PER_DAY);
    if (day !== prevDay) {
      if (roomsToday > 1) spread += roomsToday - 1;
      roomsToday = 1;
    } else if (r !== prevRoom) roomsToday++;
    else if (start[t]! > prevEnd && openBetween(m.instance.rooms[r]!.open, prevEnd, start[t]!)) spread++;
    prevDay = day;
    prevRoom = r;
    prevEnd = end[t]!;
  }
  if (roomsToday > 1) spread += roomsToday - 1;
  return spread;
}

let spreadKeys = new Float64Array(64);

function openBetween(open: readonly Interval[], a: number, b: number): boolean {
  for (const o of open) if (o.start < b && a < o.end) return true;
  return false;
}
