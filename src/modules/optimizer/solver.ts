import { createPrng, type Prng } from '../../lib/prng.js';
import { scoreAndExplain } from './evaluate.js';
import { checkModel } from './feasibility.js';
import { allowedAt, buildModel, ceilTo, floorTo, type Model, mod, nthStart, trackSpread } from './model.js';
import { OptimizerError } from './optimizer.errors.js';
import type { OptimizerInstance, Placement, Progress, Proposal, Score, Unsatisfiable } from './optimizer.js';

/*
 * The search. Hard constraints are never broken: every state only has talks at allowed starts
 * (room allowed and big enough, open, speakers available, on the grain; pinned talks at their pin),
 * no two talks in one room at once and no speaker twice at once; a talk that finds no place yet is
 * "unplaced" (the first, hard level of the score, which only ever goes down).
 *
 * 1. Greedy construction, most constrained talk first, each at the best of a sample of its free
 *    places (lexicographic added cost).
 * 2. Simulated annealing over moves: relocate a talk to a random allowed place (a new time in its
 *    room, its time in another room, or anywhere); if one talk is there, swap the two (when the
 *    other one may take the first's place), or, for an unplaced talk, take its place.
 *    Delta evaluation is incremental: only the voters of the moved talks are re-counted, seats and
 *    changes per talk, track cohesion per touched track.
 *    Acceptance is lexicographic: the first level that changes decides; a worse value there is
 *    accepted with probability exp(−Δ / (τ · typical Δ of that level)), τ cooling geometrically
 *    over the budget (time, or iterations when maxIterations is given: then the run is the same on
 *    any machine).
 * 3. The best state is kept (copied lazily, only before a worsening move leaves it); the run stops
 *    at the budget, when shouldStop() says so, when the best meets a lower bound (no missed
 *    preference, the least seat mismatch each talk could have alone, no spread, no change), or
 *    when it has converged: a time-budgeted run anneals in cycles (100,000 moves, or 500 per
 *    talk; a cycle cools by moves or by time, whichever is further) and ends after a cycle after
 *    the first that found nothing better.
 */

export interface OptimizeOptions {
  readonly seed: number;
  readonly timeLimitMs: number;
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (p: Progress) => void;
  /** Stop after this many moves and cool by iterations rather than time (reproducible on any machine). */
  readonly maxIterations?: number;
}

const LEVELS = 5; // hard (unplaced), missed, seats (overflow + empty), spread, changes
const PROGRESS_EVERY_MS = 250;
const CHECK_EVERY = 512;
const TAU_START = 0.15;
const TAU_END = 0.005;
const SAMPLE = 96;
/** Moves per annealing cycle of a time-budgeted run (at least CYCLE_MIN, else per movable talk). */
const CYCLE_MIN = 100_000;
const CYCLE_PER_TALK = 500;
/** Voter-list entries the greedy construction may read in all (candidates × voters' lists). */
const GREEDY_WORK = 40_000_000;

export function optimize(instance: OptimizerInstance, opts: OptimizeOptions): Proposal {
  const started = performance.now();
  const m = buildModel(instance);
  const problems = checkModel(m);
  if (problems.length > 0) throw new OptimizerError(problems);
  const search = new Search(m, createPrng(opts.seed));
  search.construct();
  const run = search.anneal(opts, started);
  const best = search.best;
  if (best.score[0] > 0) {
    const keys: string[] = [];
    for (let t = 0; t < m.nTalks; t++) if (best.room[t]! < 0) keys.push(instance.talks[t]!.key);
    const unplaced: Unsatisfiable = {
      code: 'NOT_ENOUGH_ROOM',
      keys,
      message: `No place was found for ${keys.length} talk${keys.length === 1 ? '' : 's'} (${keys
        .slice(0, 5)
        .map((k) => `“${instance.talks[m.talkIndex.get(k)!]!.title}”`)
        .join(', ')}${keys.length > 5 ? ' …' : ''}) without a room or speaker clash: the rooms are too full at the times they may take.`,
    };
    throw new OptimizerError([unplaced]);
  }
  const end = new Int32Array(m.nTalks);
  for (let t = 0; t < m.nTalks; t++) end[t] = best.start[t]! + m.duration[t]!;
  const { explanation } = scoreAndExplain(m, best.room, best.start, end, 0);
  const placements: Placement[] = [];
  for (let t = 0; t < m.nTalks; t++) {
    placements.push({ key: instance.talks[t]!.key, roomId: instance.rooms[best.room[t]!]!.id, start: best.start[t]! });
  }
  return {
    placements,
    score: search.bestScore(),
    explanation,
    seed: opts.seed,
    iterations: run.iterations,
    elapsedMs: Math.round(performance.now() - started),
    stopped: run.stopped,
  };
}

/** A random valid placement (each talk at a random free allowed place, most constrained first): a baseline for benchmarks. */
export function randomPlacement(instance: OptimizerInstance, seed: number): Placement[] {
  const m = buildModel(instance);
  const search = new Search(m, createPrng(seed));
  search.construct(true);
  const out: Placement[] = [];
  for (let t = 0; t < m.nTalks; t++) {
    const r = search.roomOf[t]!;
    if (r >= 0) out.push({ key: instance.talks[t]!.key, roomId: instance.rooms[r]!.id, start: search.startOf[t]! });
  }
  return out;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Grid mode when every talk has one duration and every allowed start lies on one grid of that length. */
function gridOf(m: Model, lo: number, hi: number): { d: number; c: number; slots: number; count: Uint16Array } | null {
  if (m.nTalks === 0) return null;
  const d = m.duration[0]!;
  if (d - (m.minOverlap - 1) <= 0) return null;
  let c: number | null = null;
  for (let t = 0; t < m.nTalks; t++) {
    if (m.duration[t] !== d) return null;
    for (const tr of m.talkRooms[t]!) {
      if (!m.pinned[t] && m.grain % d !== 0) return null;
      for (let i = 0; i < tr.ranges.length; i += 2) {
        const r = mod(tr.ranges[i]!, d);
        if (c === null) c = r;
        else if (r !== c) return null;
      }
    }
  }
  if (c === null) return null;
  const base = lo - mod(lo - c, d);
  const slots = Math.ceil((hi - base) / d) + 1;
  if (slots * m.voterTalks.length > 20_000_000) return null; // at most 40 MB of counters
  // counters are indexed from `base`: shift c so that slotOf(start) = (start − c) / d is ≥ 0
  return { d, c: base, slots, count: new Uint16Array(slots * m.voterTalks.length) };
}

function flatten(lists: readonly Int32Array[]): [Int32Array, Int32Array] {
  const off = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) off[i + 1] = off[i]! + lists[i]!.length;
  const list = new Int32Array(off[lists.length]!);
  for (let i = 0; i < lists.length; i++) list.set(lists[i]!, off[i]!);
  return [off, list];
}

/** a < b lexicographically. */
function lexLess(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < LEVELS; k++) if (a[k] !== b[k]) return a[k]! < b[k]!;
  return false;
}

class Search {
  readonly n: number;
  readonly roomOf: Int32Array;
  readonly startOf: Int32Array;
  readonly endOf: Int32Array;
  private readonly unit: number;
  private readonly origin0: number;
  private readonly occ: Int32Array[];
  private readonly spread: Int32Array;
  private readonly hasReleased: Uint8Array;
  /** Current totals per level, and overflow / empty apart. */
  readonly cur = new Float64Array(LEVELS);
  private overflow = 0;
  private empty = 0;
  private readonly unplaced: number[] = [];
  private readonly unplacedAt: Int32Array;
  private readonly movable: number[];
  private readonly shrink: number;
  private readonly bufS: Int32Array;
  private readonly bufE: Int32Array;
  // move scratch
  private readonly stamp: Int32Array;
  private stampNow = 0;
  private readonly chTrack: number[] = [];
  private readonly chSpread: number[] = [];
  private readonly delta = new Float64Array(LEVELS);
  private readonly scale = new Float64Array(LEVELS).fill(0);
  private readonly lower = new Float64Array(LEVELS);
  /**
   * Grid mode: every talk lasts D minutes and every allowed start is c + k·D, so two talks either
   * share a slot exactly or do not overlap; a voter then misses Σ_slots max(0, n − 1), kept with
   * per-voter slot counters (O(1) per voter and move). null = mixed durations: exact recount.
   */
  /** Voters' wanted talks and talks' voters, flattened (CSR: list[off[i]..off[i+1]]). */
  private readonly vOff: Int32Array;
  private readonly vList: Int32Array;
  private readonly tOff: Int32Array;
  private readonly tList: Int32Array;
  private readonly wS = new Int32Array(4);
  private readonly wE = new Int32Array(4);
  private readonly inC: Int32Array;
  private cStamp = 0;
  private readonly sortS: Int32Array;
  private readonly sortE: Int32Array;
  private readonly grid: { readonly d: number; readonly c: number; readonly slots: number; readonly count: Uint16Array } | null;
  best: { room: Int32Array; start: Int32Array; score: Float64Array; overflow: number; empty: number };
  private pendingSave = false;

  constructor(
    readonly m: Model,
    private readonly rng: Prng,
  ) {
    const n = m.nTalks;
    this.n = n;
    this.roomOf = new Int32Array(n).fill(-1);
    this.startOf = new Int32Array(n);
    this.endOf = new Int32Array(n);
    this.unplacedAt = new Int32Array(n).fill(-1);
    this.shrink = m.minOverlap - 1;
    const maxWanted = m.voterTalks.reduce((a, v) => Math.max(a, v.length), 0);
    this.bufS = new Int32Array(maxWanted);
    this.bufE = new Int32Array(maxWanted);
    this.inC = new Int32Array(maxWanted);
    this.sortS = new Int32Array(maxWanted + 4);
    this.sortE = new Int32Array(maxWanted + 4);
    this.stamp = new Int32Array(m.voterTalks.length);
    this.spread = new Int32Array(m.trackTalks.length);
    this.hasReleased = Uint8Array.from(m.instance.talks, (t) => (t.released ? 1 : 0));
    // Time cells: the largest unit every start and end is a multiple of.
    let unit = m.grain;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const room of m.instance.rooms) {
      for (const o of room.open) {
        unit = gcd(gcd(unit, o.start), o.end);
        lo = Math.min(lo, o.start);
        hi = Math.max(hi, o.end);
      }
    }
    for (let t = 0; t < n; t++) {
      unit = gcd(unit, m.duration[t]!);
      const talk = m.instance.talks[t]!;
      if (talk.pinned) unit = gcd(unit, talk.pinned.start);
      for (const w of talk.windows ?? []) unit = gcd(gcd(unit, w.start), w.end);
    }
    this.unit = Math.max(1, unit);
    if (!Number.isFinite(lo)) {
      lo = 0;
      hi = 0;
    }
    this.origin0 = lo;
    const cells = Math.max(0, Math.ceil((hi - lo) / this.unit));
    this.occ = m.instance.rooms.map(() => new Int32Array(cells));
    this.movable = [];
    for (let t = 0; t < n; t++) {
      if (m.talkRooms[t]!.length > 0 && !m.pinned[t]) this.movable.push(t);
      this.setUnplaced(t, true);
    }
    this.cur[0] = n;
    for (let t = 0; t < n; t++) {
      if (this.hasReleased[t]) this.cur[4]++;
    }
    // Lower bounds: seats each talk could have at best alone.
    for (let t = 0; t < n; t++) {
      let bestSeats = Number.POSITIVE_INFINITY;
      for (const tr of m.talkRooms[t]!) bestSeats = Math.min(bestSeats, tr.overflow + tr.empty);
      if (Number.isFinite(bestSeats)) this.lower[2] += bestSeats;
    }
    this.grid = gridOf(m, lo, hi);
    [this.vOff, this.vList] = flatten(m.voterTalks);
    [this.tOff, this.tList] = flatten(m.talkVoters);
    this.best = { room: new Int32Array(n).fill(-1), start: new Int32Array(n), score: Float64Array.from(this.cur), overflow: 0, empty: 0 };
  }

  bestScore(): Score {
    const b = this.best;
    return { hard: b.score[0]!, missed: b.score[1]!, overflow: b.overflow, emptySeats: b.empty, trackSpread: b.score[3]!, changes: b.score[4]! };
  }

  private setUnplaced(t: number, on: boolean): void {
    if (on && this.unplacedAt[t]! < 0) {
      this.unplacedAt[t] = this.unplaced.length;
      this.unplaced.push(t);
    } else if (!on && this.unplacedAt[t]! >= 0) {
      const i = this.unplacedAt[t]!;
      const last = this.unplaced.pop()!;
      if (last !== t) {
        this.unplaced[i] = last;
        this.unplacedAt[last] = i;
      }
      this.unplacedAt[t] = -1;
    }
  }

  /** Sets cells of [s, e) in room r to v (talk + 1, or 0). */
  private mark(r: number, s: number, e: number, v: number): void {
    const row = this.occ[r]!;
    const a = (s - this.origin0) / this.unit;
    const b = (e - this.origin0) / this.unit;
    for (let i = a; i < b; i++) row[i] = v;
  }

  /** The one other talk in room r during [s, e) ignoring x and y: -1 none, -2 several. */
  private occupant(r: number, s: number, e: number, x: number, y: number): number {
    const row = this.occ[r]!;
    const a = (s - this.origin0) / this.unit;
    const b = (e - this.origin0) / this.unit;
    let found = -1;
    for (let i = a; i < b; i++) {
      const v = row[i]! - 1;
      if (v < 0 || v === x || v === y || v === found) continue;
      if (found >= 0) return -2;
      found = v;
    }
    return found;
  }

  private speakersFree(t: number, s: number, e: number, ignore: number): boolean {
    const sib = this.m.siblings[t]!;
    for (let i = 0; i < sib.length; i++) {
      const u = sib[i]!;
      if (u === ignore || this.roomOf[u]! < 0) continue;
      if (this.startOf[u]! < e && s < this.endOf[u]!) return false;
    }
    return true;
  }

  /** Moves t to (r, s) or unplaces it (r = -1), keeping occupancy; no scoring. */
  private put(t: number, r: number, s: number): void {
    const old = this.roomOf[t]!;
    if (old >= 0) this.mark(old, this.startOf[t]!, this.endOf[t]!, 0);
    this.roomOf[t] = r;
    if (r >= 0) {
      this.startOf[t] = s;
      this.endOf[t] = s + this.m.duration[t]!;
      this.mark(r, s, this.endOf[t]!, t + 1);
    }
  }

  private seatsOf(t: number, r: number): { overflow: number; empty: number } | null {
    if (r < 0) return null;
    return this.m.talkRooms[t]![this.m.talkRoomSlot[t * this.m.nRooms + r]!]!;
  }

  private changed(t: number, r: number, s: number): number {
    if (!this.hasReleased[t]) return 0;
    return r === this.m.releasedRoom[t] && s === this.m.releasedStart[t] ? 0 : 1;
  }

  private moveT = [0, 0];
  private moveOldR = [0, 0];
  private moveOldS = [0, 0];
  private moveCount = 0;

  /**
   * Applies a move of one or two talks (to rooms/starts; room -1 = unplace), computes the level
   * deltas into this.delta and the tracks to update; the caller commits or reverts.
   */
  private apply(count: number, t0: number, r0: number, s0: number, t1: number, r1: number, s1: number): void {
    const m = this.m;
    this.moveCount = count;
    const d = this.delta;
    d.fill(0);
    let dOverflow = 0;
    let dEmpty = 0;
    const ts = this.moveT;
    ts[0] = t0;
    ts[1] = t1;
    for (let i = 0; i < count; i++) {
      const t = ts[i]!;
      this.moveOldR[i] = this.roomOf[t]!;
      this.moveOldS[i] = this.startOf[t]!;
    }
    // unmark all first (a swap's places may overlap), then place
    for (let i = 0; i < count; i++) {
      const t = ts[i]!;
      if (this.roomOf[t]! >= 0) this.mark(this.roomOf[t]!, this.startOf[t]!, this.endOf[t]!, 0);
      this.roomOf[t] = -1;
    }
    for (let i = 0; i < count; i++) {
      const t = ts[i]!;
      const r = i === 0 ? r0 : r1;
      const s = i === 0 ? s0 : s1;
      if (r >= 0) this.put(t, r, s);
      const oldR = this.moveOldR[i]!;
      const oldS = this.moveOldS[i]!;
      if (oldR < 0 !== r < 0) d[0] += r < 0 ? 1 : -1;
      const before = this.seatsOf(t, oldR);
      const after = this.seatsOf(t, r);
      if (before) {
        dOverflow -= before.overflow;
        dEmpty -= before.empty;
      }
      if (after) {
        dOverflow += after.overflow;
        dEmpty += after.empty;
      }
      d[4] += (r < 0 ? this.hasReleased[t]! : this.changed(t, r, s)) - (oldR < 0 ? this.hasReleased[t]! : this.changed(t, oldR, oldS));
    }
    d[2] = dOverflow + dEmpty;
    this.dOverflow = dOverflow;
    this.dEmpty = dEmpty;
    // voters
    d[1] = this.grid ? this.gridDelta(count, 1) : this.recountDelta(count);
    // tracks
    this.chTrack.length = 0;
    this.chSpread.length = 0;
    let dSpread = 0;
    for (let i = 0; i < count; i++) {
      const k = m.track[ts[i]!]!;
      if (k < 0 || this.chTrack.includes(k)) continue;
      const now = trackSpread(m, m.trackTalks[k]!, this.roomOf, this.startOf, this.endOf);
      this.chTrack.push(k);
      this.chSpread.push(now);
      dSpread += now - this.spread[k]!;
    }
    d[3] = dSpread;
  }

  /** Slot of a start in grid mode. */
  private slotOf(start: number): number {
    const g = this.grid!;
    return (start - g.c) / g.d;
  }

  /**
   * Grid mode: moves the moved talks' votes between slot counters (sign 1: old → new, as applied;
   * sign -1: undo) and returns the change in missed preferences.
   */
  private gridDelta(count: number, sign: 1 | -1): number {
    const g = this.grid!;
    const cnt = g.count;
    const S = g.slots;
    let delta = 0;
    // remove from the "from" places, then add to the "to" places
    for (let i = 0; i < count; i++) {
      const t = this.moveT[i]!;
      const fromR = sign === 1 ? this.moveOldR[i]! : this.roomOf[t]!;
      if (fromR < 0) continue;
      const slot = this.slotOf(sign === 1 ? this.moveOldS[i]! : this.startOf[t]!);
      for (let j = this.tOff[t]!, end = this.tOff[t + 1]!; j < end; j++) {
        const k = this.tList[j]! * S + slot;
        if (--cnt[k]! >= 1) delta--;
      }
    }
    for (let i = 0; i < count; i++) {
      const t = this.moveT[i]!;
      const toR = sign === 1 ? this.roomOf[t]! : this.moveOldR[i]!;
      if (toR < 0) continue;
      const slot = this.slotOf(sign === 1 ? this.startOf[t]! : this.moveOldS[i]!);
      for (let j = this.tOff[t]!, end = this.tOff[t + 1]!; j < end; j++) {
        const k = this.tList[j]! * S + slot;
        if (cnt[k]!++ >= 1) delta++;
      }
    }
    return delta;
  }

  /**
   * Mixed durations, exact and local. A voter's misses are their placed wanted talks minus the
   * largest set of them with no two overlapping (by minOverlap or more; intervals shortened by
   * minOverlap − 1 at the end, so plain intersection), which is a sum over the connected groups of
   * overlapping talks. Only the groups touching a moved talk (before or after) can change: C is the
   * closure of the voter's other talks overlapping a moved talk's old or new interval, or a talk
   * already in C; the change is then (|C ∪ new| − best(C ∪ new)) − (|C ∪ old| − best(C ∪ old)),
   * each best by interval scheduling (greedy by end) over a handful of intervals.
   */
  private recountDelta(count: number): number {
    const m = this.m;
    const shrink = this.shrink;
    const roomOf = this.roomOf;
    const startOf = this.startOf;
    const endOf = this.endOf;
    const ws = this.wS;
    const we = this.wE;
    // the moved talks' intervals: old ones (wNew 0) and new ones (wNew 1), placed and long enough
    let nw = 0;
    const t0 = this.moveT[0]!;
    const t1 = count > 1 ? this.moveT[1]! : -1;
    for (let i = 0; i < count; i++) {
      const t = this.moveT[i]!;
      const len = m.duration[t]! - shrink;
      if (len <= 0) continue;
      if (this.moveOldR[i]! >= 0) {
        ws[nw] = this.moveOldS[i]!;
        we[nw] = this.moveOldS[i]! + len;
        nw++;
      }
      if (roomOf[t]! >= 0) {
        ws[nw] = startOf[t]!;
        we[nw] = startOf[t]! + len;
        nw++;
      }
    }
    if (nw === 0) return 0;
    const stampNow = ++this.stampNow;
    const vOff = this.vOff;
    const vList = this.vList;
    const tOff = this.tOff;
    const tList = this.tList;
    const cs = this.bufS;
    const ce = this.bufE;
    const inC = this.inC;
    let delta = 0;
    for (let i = 0; i < count; i++) {
      const mt = this.moveT[i]!;
      for (let j = tOff[mt]!, jEnd = tOff[mt + 1]!; j < jEnd; j++) {
        const p = tList[j]!;
        if (this.stamp[p] === stampNow) continue;
        this.stamp[p] = stampNow;
        const a = vOff[p]!;
        const b = vOff[p + 1]!;
        // closure C of the voter's other talks connected to a moved interval
        let nc = 0;
        let grew = true;
        const mark = ++this.cStamp;
        while (grew) {
          grew = false;
          for (let w = a; w < b; w++) {
            const u = vList[w]!;
            if (u === t0 || u === t1 || inC[w - a] === mark || roomOf[u]! < 0) continue;
            const s = startOf[u]!;
            const e = endOf[u]! - shrink;
            if (e <= s) continue;
            let hit = false;
            for (let k = 0; k < nw; k++) {
              if ((s > ws[k]! ? s : ws[k]!) < (e < we[k]! ? e : we[k]!)) {
                hit = true;
                break;
              }
            }
            if (!hit) {
              for (let k = 0; k < nc; k++) {
                if ((s > cs[k]! ? s : cs[k]!) < (e < ce[k]! ? e : ce[k]!)) {
                  hit = true;
                  break;
                }
              }
            }
            if (hit) {
              inC[w - a] = mark;
              cs[nc] = s;
              ce[nc++] = e;
              grew = true;
            }
          }
        }
        if (nc === 0 && count === 1) continue; // the moved talk touches nothing of theirs: no change
        delta += this.localMissed(nc, 1, p) - this.localMissed(nc, 0, p);
      }
    }
    return delta;
  }

  /** Misses among C (bufS/bufE[0..nc)) and the moved intervals of one side, if the voter wants them. */
  private localMissed(nc: number, side: number, p: number): number {
    const ss = this.sortS;
    const se = this.sortE;
    let n = 0;
    const add = (s: number, e: number) => {
      let k = n++;
      while (k > 0 && se[k - 1]! > e) {
        se[k] = se[k - 1]!;
        ss[k] = ss[k - 1]!;
        k--;
      }
      se[k] = e;
      ss[k] = s;
    };
    for (let k = 0; k < nc; k++) add(this.bufS[k]!, this.bufE[k]!);
    let wi = 0;
    for (let i = 0; i < this.moveCount; i++) {
      const t = this.moveT[i]!;
      if (this.m.duration[t]! - this.shrink <= 0) continue;
      // the wS/wE entries of this talk: old (if placed before) then new (if placed after)
      const hasOld = this.moveOldR[i]! >= 0;
      const hasNew = this.roomOf[t]! >= 0;
      const wanted = this.wants(p, t);
      if (hasOld) {
        if (side === 0 && wanted) add(this.wS[wi]!, this.wE[wi]!);
        wi++;
      }
      if (hasNew) {
        if (side === 1 && wanted) add(this.wS[wi]!, this.wE[wi]!);
        wi++;
      }
    }
    let kept = 0;
    let last = -2147483648;
    for (let k = 0; k < n; k++) {
      if (ss[k]! >= last) {
        kept++;
        last = se[k]!;
      }
    }
    return n - kept;
  }

  /** Whether voter p wants talk t (their list is short). */
  private wants(p: number, t: number): boolean {
    for (let w = this.vOff[p]!, end = this.vOff[p + 1]!; w < end; w++) if (this.vList[w] === t) return true;
    return false;
  }

  private dOverflow = 0;
  private dEmpty = 0;

  private commit(): void {
    for (let i = 0; i < this.chTrack.length; i++) this.spread[this.chTrack[i]!] = this.chSpread[i]!;
    for (let k = 0; k < LEVELS; k++) this.cur[k] += this.delta[k]!;
    this.overflow += this.dOverflow;
    this.empty += this.dEmpty;
    for (let i = 0; i < this.moveCount; i++) {
      const t = this.moveT[i]!;
      this.setUnplaced(t, this.roomOf[t]! < 0);
    }
  }

  private revert(): void {
    const count = this.moveCount;
    if (this.grid) this.gridDelta(count, -1);
    for (let i = 0; i < count; i++) {
      const t = this.moveT[i]!;
      if (this.roomOf[t]! >= 0) this.mark(this.roomOf[t]!, this.startOf[t]!, this.endOf[t]!, 0);
      this.roomOf[t] = -1;
    }
    for (let i = 0; i < count; i++) {
      const t = this.moveT[i]!;
      if (this.moveOldR[i]! >= 0) this.put(t, this.moveOldR[i]!, this.moveOldS[i]!);
    }
  }

  /** Copies the current state into best (with the last move undone when `undoLast`). */
  private save(undoLast: boolean): void {
    const b = this.best;
    b.room.set(this.roomOf);
    b.start.set(this.startOf);
    if (undoLast) {
      for (let i = 0; i < this.moveCount; i++) {
        b.room[this.moveT[i]!] = this.moveOldR[i]!;
        b.start[this.moveT[i]!] = this.moveOldS[i]!;
      }
    }
  }

  private noteBest(): boolean {
    if (!lexLess(this.cur, this.best.score)) return false;
    this.best.score.set(this.cur);
    this.best.overflow = this.overflow;
    this.best.empty = this.empty;
    this.pendingSave = true;
    this.improvements++;
    return true;
  }

  private improvements = 0;

  private atLowerBound(): boolean {
    for (let k = 0; k < LEVELS; k++) if (this.best.score[k]! > this.lower[k]!) return false;
    return true;
  }

  /** Places pinned talks, then the others most constrained first, each at the best sampled free place (or a random one). */
  construct(random = false): void {
    const m = this.m;
    for (let t = 0; t < this.n; t++) {
      if (m.pinned[t] && m.talkRooms[t]!.length > 0) {
        const tr = m.talkRooms[t]![0]!;
        this.tryPlace(t, tr.room, tr.ranges[0]!);
      }
    }
    const options = new Float64Array(this.n);
    for (let t = 0; t < this.n; t++) for (const tr of m.talkRooms[t]!) options[t] += tr.total;
    const order = this.movable.slice().sort((a, b) => {
      return (
        options[a]! - options[b]! ||
        m.siblings[b]!.length - m.siblings[a]!.length ||
        m.talkVoters[b]!.length - m.talkVoters[a]!.length ||
        m.duration[b]! - m.duration[a]! ||
        a - b
      );
    });
    const bestD = new Float64Array(LEVELS);
    // Candidates sampled per talk: fewer when every evaluation reads many voters (bounded total work).
    let visits = 0;
    for (let t = 0; t < this.n; t++)
      for (let j = this.tOff[t]!; j < this.tOff[t + 1]!; j++) visits += this.vOff[this.tList[j]! + 1]! - this.vOff[this.tList[j]!]!;
    const sample = Math.max(16, Math.min(SAMPLE, Math.floor(GREEDY_WORK / Math.max(1, visits))));
    for (const t of order) {
      const trs = m.talkRooms[t]!;
      let bestR = -1;
      let bestS = 0;
      let tries = 0;
      const consider = (r: number, s: number) => {
        if (!allowedAt(m, t, r, s)) return;
        const e = s + m.duration[t]!;
        if (this.occupant(r, s, e, t, t) !== -1 || !this.speakersFree(t, s, e, t)) return;
        if (random) {
          bestR = r;
          bestS = s;
          return;
        }
        this.apply(1, t, r, s, t, -1, 0);
        if (bestR < 0 || lexLess(this.delta, bestD)) {
          bestR = r;
          bestS = s;
          bestD.set(this.delta);
        }
        this.revert();
      };
      const talk = m.instance.talks[t]!;
      for (const hint of [talk.released, talk.current]) {
        if (!random && hint) {
          const r = m.roomIndex.get(hint.roomId);
          if (r !== undefined) consider(r, hint.start);
        }
      }
      // right after or before a placed talk of the same track, in its room (tracks run in sequence)
      const trackOfT = m.track[t]!;
      if (!random && trackOfT >= 0) {
        for (const u of m.trackTalks[trackOfT]!) {
          const r = this.roomOf[u]!;
          if (u === t || r < 0) continue;
          consider(r, ceilTo(this.endOf[u]!, m.grain));
          consider(r, floorTo(this.startOf[u]! - m.duration[t]!, m.grain));
        }
      }
      const total = options[t]!;
      if (total <= sample && !random) {
        for (const tr of trs) for (let k = 0; k < tr.total; k++) consider(tr.room, nthStart(tr, k, m.grain));
      } else {
        while (tries < sample * 4 && (random ? bestR < 0 : tries < sample || bestR < 0)) {
          tries++;
          const tr = trs[this.rng.int(trs.length)]!;
          consider(tr.room, nthStart(tr, this.rng.int(tr.total), m.grain));
        }
        if (bestR < 0) {
          // exhaustive as a last resort, so a tight instance still gets every talk placed if it can
          outer: for (const tr of trs) {
            for (let k = 0; k < tr.total; k++) {
              consider(tr.room, nthStart(tr, k, m.grain));
              if (bestR >= 0 && random) break outer;
            }
          }
        }
      }
      if (bestR >= 0) this.tryPlace(t, bestR, bestS);
    }
    this.noteBest();
  }

  private tryPlace(t: number, r: number, s: number): void {
    this.apply(1, t, r, s, t, -1, 0);
    this.commit();
  }

  /** One random move; returns whether it was accepted. */
  private step(tau: number): void {
    const m = this.m;
    const rng = this.rng;
    let t: number;
    if (this.unplaced.length > 0 && (this.movable.length === 0 || rng.next() < 0.5)) {
      t = this.unplaced[rng.int(this.unplaced.length)]!;
      if (m.talkRooms[t]!.length === 0 || m.pinned[t]) return;
    } else {
      if (this.movable.length === 0) return;
      t = this.movable[rng.int(this.movable.length)]!;
    }
    const trs = m.talkRooms[t]!;
    const curR = this.roomOf[t]!;
    const curS = this.startOf[t]!;
    let r: number;
    let s: number;
    const x = rng.next();
    const trackOfT = m.track[t]!;
    if (x < 0.15 && trackOfT >= 0 && m.trackTalks[trackOfT]!.length > 1) {
      // next to another talk of its track, in that talk's room
      const list = m.trackTalks[trackOfT]!;
      const v = list[rng.int(list.length)]!;
      if (v === t || this.roomOf[v]! < 0) return;
      r = this.roomOf[v]!;
      s = rng.next() < 0.5 ? ceilTo(this.endOf[v]!, m.grain) : floorTo(this.startOf[v]! - m.duration[t]!, m.grain);
      if (!allowedAt(m, t, r, s)) return;
    } else if (curR >= 0 && x < 0.4) {
      const tr = trs[m.talkRoomSlot[t * m.nRooms + curR]!]!;
      r = curR;
      s = nthStart(tr, rng.int(tr.total), m.grain);
    } else if (curR >= 0 && x < 0.55 && trs.length > 1) {
      const tr = trs[rng.int(trs.length)]!;
      r = tr.room;
      s = curS;
      if (!allowedAt(m, t, r, s)) return;
    } else {
      const tr = trs[rng.int(trs.length)]!;
      r = tr.room;
      s = nthStart(tr, rng.int(tr.total), m.grain);
    }
    if (r === curR && s === curS) return;
    const e = s + m.duration[t]!;
    const u = this.occupant(r, s, e, t, t);
    if (u === -2) return;
    if (u >= 0 && m.pinned[u]) return;
    if (u < 0) {
      if (!this.speakersFree(t, s, e, t)) return;
      this.apply(1, t, r, s, t, -1, 0);
    } else if (curR < 0) {
      // an unplaced talk takes u's place; u becomes unplaced
      if (!this.speakersFree(t, s, e, u)) return;
      this.apply(2, t, r, s, u, -1, 0);
    } else {
      // swap: u goes to t's place
      if (!allowedAt(m, u, curR, curS)) return;
      const ue = curS + m.duration[u]!;
      if (this.occupant(curR, curS, ue, t, u) !== -1) return;
      if (curR === r && curS < e && s < ue) return;
      if (!this.speakersFree(t, s, e, u) || !this.speakersFree(u, curS, ue, t)) return;
      if (m.siblings[t]!.includes(u) && curS < e && s < ue) return;
      this.apply(2, t, r, s, u, curR, curS);
    }
    // decide
    const d = this.delta;
    let k = 0;
    while (k < LEVELS && d[k] === 0) k++;
    let accept: boolean;
    let worse = false;
    if (k === LEVELS) accept = true;
    else if (d[k]! < 0) accept = true;
    else if (k === 0) accept = false;
    else {
      const sc = this.scale;
      sc[k] = sc[k] === 0 ? d[k]! : sc[k]! * 0.99 + d[k]! * 0.01;
      accept = rng.next() < Math.exp(-d[k]! / (tau * sc[k]!));
      worse = true;
    }
    if (!accept) {
      this.revert();
      return;
    }
    if (worse && this.pendingSave) {
      this.save(true);
      this.pendingSave = false;
    }
    this.commit();
    this.noteBest();
  }

  anneal(opts: OptimizeOptions, started: number): { iterations: number; stopped: boolean } {
    const limit = Math.max(0, opts.timeLimitMs);
    const maxIter = opts.maxIterations;
    let iterations = 0;
    let stopped = false;
    let lastProgress = started;
    const report = (now: number) => {
      lastProgress = now;
      opts.onProgress?.({ elapsedMs: Math.round(now - started), iterations, best: this.bestScore() });
    };
    let tau = TAU_START;
    const movesPossible = this.movable.length > 0 || this.unplaced.length > 0;
    // Time-budgeted runs anneal in cycles of `cycle` moves (or the whole budget, whichever cools
    // faster); a cycle that finds nothing better than the best so far ends the run: small events
    // finish long before their budget, large ones cool by time.
    const cycle = Math.max(CYCLE_MIN, CYCLE_PER_TALK * this.movable.length);
    let cycleStart = 0;
    let cycles = 0;
    let improvementsBefore = this.improvements;
    for (;;) {
      if (this.atLowerBound() || !movesPossible) break;
      if (maxIter === undefined && iterations - cycleStart >= cycle) {
        cycles++;
        if (cycles >= 2 && this.improvements === improvementsBefore) break;
        cycleStart = iterations;
        improvementsBefore = this.improvements;
      }
      if (maxIter !== undefined && iterations >= maxIter) break;
      const now = performance.now();
      const elapsed = now - started;
      if (elapsed >= limit) break;
      if (opts.shouldStop?.()) {
        stopped = true;
        break;
      }
      if (now - lastProgress >= PROGRESS_EVERY_MS) report(now);
      const f = maxIter !== undefined ? iterations / Math.max(1, maxIter) : Math.max(elapsed / Math.max(1, limit), (iterations - cycleStart) / cycle);
      tau = TAU_START * (TAU_END / TAU_START) ** Math.min(1, f);
      const batch = maxIter !== undefined ? Math.min(CHECK_EVERY, maxIter - iterations) : CHECK_EVERY;
      for (let i = 0; i < batch; i++) this.step(tau);
      iterations += batch;
    }
    if (this.pendingSave) {
      this.save(false);
      this.pendingSave = false;
    }
    report(performance.now());
    return { iterations, stopped };
  }
}
