import { buildModel, type Model, seatCost, trackSpread, voterMissed, within, roomAllowed } from './model.js';
import type { Conflict, Explanation, OptimizerInstance, Placement, RoomFill, Score } from './optimizer.js';

/*
 * The exact score and the explanation of any placement: a proposal, or the current draft so the
 * organizer can compare. Computed from scratch (the solver keeps the same figures incrementally;
 * the property tests check both agree).
 *
 * - hard: one per broken rule: a talk not placed (or placed twice, or in an unknown room), two talks
 *   in one room at once (per pair), two talks of one speaker at once (per pair), a talk outside its
 *   room's opening, outside its speakers' windows, in a room it may not use or that is too small,
 *   a pinned talk not at its pin.
 * - missed: per voter, their placed wanted talks minus the most of them they can attend (no two
 *   overlapping by minOverlapMinutes or more); with one grid of equal talks, Σ max(0, n − 1) per slot.
 * - overflow / emptySeats: per placed talk in a room of known capacity, demand above / seats below
 *   capacity, demand = round(votes × attendeesPerVoter).
 * - trackSpread: per track and day (24 hours from origin), the rooms it uses beyond one, plus the
 *   idle gaps between its consecutive talks in a room while the room is open.
 * - changes: released talks that are not at their released place.
 */
export function evaluate(instance: OptimizerInstance, placements: readonly Placement[]): { score: Score; explanation: Explanation } {
  const m = buildModel(instance);
  const n = m.nTalks;
  const roomOf = new Int32Array(n).fill(-1);
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  let hard = 0;
  for (const p of placements) {
    const t = m.talkIndex.get(p.key);
    const r = m.roomIndex.get(p.roomId);
    if (t === undefined || r === undefined || roomOf[t]! >= 0) {
      hard++;
      continue;
    }
    roomOf[t] = r;
    start[t] = p.start;
    end[t] = p.start + m.duration[t]!;
  }
  hard += hardViolations(m, roomOf, start, end);
  return scoreAndExplain(m, roomOf, start, end, hard);
}

/** Violations other than duplicate/unknown placements, for placements given as arrays. */
export function hardViolations(m: Model, roomOf: Int32Array, start: Int32Array, end: Int32Array): number {
  const { talks, rooms } = m.instance;
  let hard = 0;
  const perRoom: number[][] = rooms.map(() => []);
  for (let t = 0; t < m.nTalks; t++) {
    const r = roomOf[t]!;
    if (r < 0) {
      hard++;
      continue;
    }
    perRoom[r]!.push(t);
    const talk = talks[t]!;
    const room = rooms[r]!;
    if (!within(room.open, start[t]!, end[t]!)) hard++;
    if (talk.windows !== null && !within(talk.windows, start[t]!, end[t]!)) hard++;
    if (!roomAllowed(talk, room)) hard++;
    if (talk.pinned && (talk.pinned.roomId !== room.id || talk.pinned.start !== start[t])) hard++;
  }
  for (const list of perRoom) {
    list.sort((a, b) => start[a]! - start[b]!);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length && start[list[j]!]! < end[list[i]!]!; j++) hard++;
    }
  }
  for (let t = 0; t < m.nTalks; t++) {
    if (roomOf[t]! < 0) continue;
    for (const u of m.siblings[t]!) {
      if (u > t && roomOf[u]! >= 0 && start[t]! < end[u]! && start[u]! < end[t]!) hard++;
    }
  }
  return hard;
}

export function scoreAndExplain(m: Model, roomOf: Int32Array, start: Int32Array, end: Int32Array, hard: number): { score: Score; explanation: Explanation } {
  const { talks, rooms } = m.instance;
  const shrink = m.minOverlap - 1;
  const maxWanted = m.voterTalks.reduce((a, v) => Math.max(a, v.length), 0);
  const bufS = new Int32Array(maxWanted);
  const bufE = new Int32Array(maxWanted);
  const misses = m.voterTalks.map((v) => voterMissed(v, start, end, roomOf, shrink, bufS, bufE));
  const missed = misses.reduce((a, b) => a + b, 0);

  let overflow = 0;
  let emptySeats = 0;
  let changes = 0;
  const fill: RoomFill[] = [];
  for (let t = 0; t < m.nTalks; t++) {
    const r = roomOf[t]!;
    if (m.instance.talks[t]!.released && (r !== m.releasedRoom[t] || start[t] !== m.releasedStart[t])) changes++;
    if (r < 0) continue;
    const cost = seatCost(m.demand[t]!, rooms[r]!.capacity);
    overflow += cost.overflow;
    emptySeats += cost.empty;
    fill.push({ key: talks[t]!.key, roomId: rooms[r]!.id, demand: m.demand[t]!, capacity: rooms[r]!.capacity });
  }
  let spread = 0;
  for (const list of m.trackTalks) spread += trackSpread(m, list, roomOf, start, end);

  const sorted = [...misses].sort((a, b) => a - b);
  const p95 = sorted.length ? sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)]! : 0;
  const moved: Explanation['moved'][number][] = [];
  for (let t = 0; t < m.nTalks; t++) {
    const r = roomOf[t]!;
    if (r < 0) continue;
    const talk = talks[t]!;
    const to: Placement = { key: talk.key, roomId: rooms[r]!.id, start: start[t]! };
    const cur = talk.current;
    if (cur && cur.roomId === to.roomId && cur.start === to.start) continue;
    moved.push({ key: talk.key, from: cur ? { key: talk.key, roomId: cur.roomId, start: cur.start } : null, to });
  }
  const preferences = m.preferences;
  return {
    score: { hard, missed, overflow, emptySeats, trackSpread: spread, changes },
    explanation: {
      preferences,
      attendable: preferences - missed,
      attendableShare: preferences === 0 ? 1 : (preferences - missed) / preferences,
      voters: m.voterTalks.length,
      votersWithMiss: misses.filter((x) => x > 0).length,
      p95Misses: p95,
      maxMisses: sorted.length ? sorted[sorted.length - 1]! : 0,
      worstConflicts: worstConflicts(m, roomOf, start, end),
      fill,
      moved,
    },
  };
}

/** Pairs of overlapping talks (by minOverlap minutes or more) wanted by the most people, at most 10. */
function worstConflicts(m: Model, roomOf: Int32Array, start: Int32Array, end: Int32Array): Conflict[] {
  const counts = new Map<number, number>();
  const n = m.nTalks;
  for (const wanted of m.voterTalks) {
    for (let i = 0; i < wanted.length; i++) {
      const a = wanted[i]!;
      if (roomOf[a]! < 0) continue;
      for (let j = i + 1; j < wanted.length; j++) {
        const b = wanted[j]!;
        if (roomOf[b]! < 0) continue;
        if (Math.min(end[a]!, end[b]!) - Math.max(start[a]!, start[b]!) < m.minOverlap) continue;
        const key = a < b ? a * n + b : b * n + a;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return [...counts]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .slice(0, 10)
    .map(([key, both]) => {
      const a = Math.floor(key / n);
      const b = key % n;
      return { a: m.instance.talks[a]!.key, b: m.instance.talks[b]!.key, both, at: Math.max(start[a]!, start[b]!) };
    });
}
