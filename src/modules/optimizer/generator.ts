import { createPrng, type Prng } from '../../lib/prng.js';
import type { Interval, OptimizerInstance, OptimizerRoom, OptimizerTalk } from './optimizer.js';

/*
 * Seeded synthetic instances with the shape of real interest polls (research notes §4.6): Zipf-like
 * talk popularity with a lift for keynotes, voters interested in 1–3 favourite tracks (the rest of
 * their picks by global popularity), a geometric number of picks per voter, multi-talk speakers,
 * about 10 % of talks whose speakers are only there part of the time, pinned keynotes,
 * heavy-tailed room capacities and, for FOSDEM-like events, mixed durations and devroom tracks
 * limited to a few rooms. The same preset and seed always give the same instance.
 */
export interface GeneratorSpec {
  readonly talks: number;
  readonly rooms: number;
  readonly days: number;
  /** Each day's opening, minutes after midnight (origin is a midnight). */
  readonly dayStart: number;
  readonly dayEnd: number;
  /** All-room break each day, minutes after midnight; null = none. */
  readonly lunch: Interval | null;
  readonly grainMinutes: number;
  /** Durations to pick from, with weights. */
  readonly durations: readonly { readonly minutes: number; readonly weight: number }[];
  readonly tracks: number;
  /** Each track may only use this many rooms (devrooms); 0 = any room. */
  readonly roomsPerTrack: number;
  readonly voters: number;
  readonly meanPicks: number;
  readonly attendeesPerVoter: number;
  /** Zipf exponent of talk popularity. */
  readonly zipf: number;
  /** Share of a voter's picks from their favourite tracks. */
  readonly trackAffinity: number;
  /** Share of talks whose speakers are available only part of the event. */
  readonly partialAvailability: number;
  /** Share of talks given to a speaker who already has one. */
  readonly multiTalkSpeakers: number;
  /** Pinned keynotes: this many per day, in the biggest room at the day's opening. */
  readonly keynotesPerDay: number;
  /** Largest room's seats; the others fall off heavy-tailed down to about smallRoom. */
  readonly bigRoom: number;
  readonly smallRoom: number;
}

export type GeneratorPreset = 'tiny' | 'meetup' | 'pycon' | 'ccc' | 'fosdem';

const ORIGIN = '2027-02-01T00:00:00Z';

export function presetSpec(preset: GeneratorPreset, seed: number): GeneratorSpec {
  const base = {
    lunch: null,
    roomsPerTrack: 0,
    zipf: 1,
    trackAffinity: 0.7,
    partialAvailability: 0.1,
    multiTalkSpeakers: 0.07,
    keynotesPerDay: 0,
    attendeesPerVoter: 4,
  };
  switch (preset) {
    case 'tiny': {
      // Unit slots (one 30-minute grid, every room open the same hours): the exact MIP's model.
      const rng = createPrng(seed * 7919 + 1);
      const rooms = 3 + rng.int(2);
      const slots = 4 + rng.int(2);
      const talks = Math.min(16, rooms * slots - rng.int(3), 10 + rng.int(7));
      return {
        ...base,
        talks,
        rooms,
        days: 1,
        dayStart: 540,
        dayEnd: 540 + slots * 30,
        grainMinutes: 30,
        durations: [{ minutes: 30, weight: 1 }],
        tracks: 3,
        voters: 60 + rng.int(91),
        meanPicks: 4 + rng.int(3),
        bigRoom: 300,
        smallRoom: 40,
      };
    }
    case 'meetup':
      return {
        ...base,
        talks: 5,
        rooms: 1,
        days: 1,
        dayStart: 18 * 60,
        dayEnd: 21 * 60,
        grainMinutes: 5,
        durations: [
          { minutes: 20, weight: 2 },
          { minutes: 30, weight: 1 },
        ],
        tracks: 0,
        voters: 30,
        meanPicks: 3,
        partialAvailability: 0,
        multiTalkSpeakers: 0,
        bigRoom: 80,
        smallRoom: 80,
      };
    case 'pycon':
      return {
        ...base,
        talks: 100,
        rooms: 5,
        days: 3,
        dayStart: 9 * 60,
        dayEnd: 17 * 60 + 30,
        lunch: { start: 12 * 60 + 30, end: 13 * 60 + 30 },
        grainMinutes: 15,
        durations: [
          { minutes: 30, weight: 3 },
          { minutes: 45, weight: 1 },
        ],
        tracks: 8,
        voters: 800,
        meanPicks: 9,
        keynotesPerDay: 1,
        bigRoom: 1000,
        smallRoom: 80,
      };
    case 'ccc':
      return {
        ...base,
        talks: 160,
        rooms: 4,
        days: 4,
        dayStart: 11 * 60,
        dayEnd: 23 * 60,
        grainMinutes: 10,
        durations: [
          { minutes: 40, weight: 3 },
          { minutes: 60, weight: 2 },
        ],
        tracks: 6,
        voters: 4000,
        meanPicks: 10,
        keynotesPerDay: 1,
        bigRoom: 3000,
        smallRoom: 400,
      };
    case 'fosdem':
      return {
        ...base,
        talks: 900,
        rooms: 60,
        days: 2,
        dayStart: 9 * 60,
        dayEnd: 19 * 60,
        grainMinutes: 5,
        durations: [
          { minutes: 5, weight: 1 },
          { minutes: 25, weight: 5 },
          { minutes: 50, weight: 3 },
        ],
        tracks: 60,
        roomsPerTrack: 3,
        voters: 6000,
        meanPicks: 10,
        keynotesPerDay: 1,
        attendeesPerVoter: 1.4,
        bigRoom: 1400,
        smallRoom: 50,
      };
  }
}

export function generateInstance(preset: GeneratorPreset | GeneratorSpec, seed: number): OptimizerInstance {
  const spec = typeof preset === 'string' ? presetSpec(preset, seed) : preset;
  const rng = createPrng(seed);

  // Rooms: heavy-tailed capacities, biggest first.
  const rooms: OptimizerRoom[] = [];
  for (let r = 0; r < spec.rooms; r++) {
    const capacity = r === 0 ? spec.bigRoom : Math.max(spec.smallRoom, Math.round(spec.bigRoom * (r + 1) ** -1.3 * (0.8 + 0.4 * rng.next())));
    rooms.push({ id: 100 + r, name: `Room ${String.fromCharCode(65 + (r % 26))}${r >= 26 ? Math.floor(r / 26) : ''}`, capacity, open: openHours(spec) });
  }

  // Talks: tracks, durations, popularity (Zipf over a random order).
  const n = spec.talks;
  const order = shuffle(rng, [...Array(n).keys()]);
  const popularity = new Float64Array(n);
  order.forEach((t, rank) => {
    popularity[t] = 1 / (rank + 1) ** spec.zipf;
  });
  const trackOf = Array.from({ length: n }, (_, t) => (spec.tracks > 0 ? t % spec.tracks : -1));
  const trackRooms: (number[] | null)[] = [];
  for (let k = 0; k < spec.tracks; k++) {
    if (spec.roomsPerTrack <= 0) trackRooms.push(null);
    else {
      const home = k % spec.rooms;
      const ids: number[] = [];
      for (let j = 0; j < spec.roomsPerTrack; j++) ids.push(rooms[(home + j) % spec.rooms]!.id);
      trackRooms.push(ids);
    }
  }
  const totalWeight = spec.durations.reduce((a, d) => a + d.weight, 0);
  const pickDuration = () => {
    let x = rng.next() * totalWeight;
    for (const d of spec.durations) if ((x -= d.weight) < 0) return d.minutes;
    return spec.durations[spec.durations.length - 1]!.minutes;
  };

  // Speakers: most talks have their own; some speakers give two or three.
  let nextSpeaker = 1;
  const speakers: number[][] = [];
  for (let t = 0; t < n; t++) {
    if (t > 0 && rng.next() < spec.multiTalkSpeakers) speakers.push([speakers[rng.int(t)]![0]!]);
    else speakers.push(rng.next() < 0.1 ? [nextSpeaker++, nextSpeaker++] : [nextSpeaker++]);
  }

  // Pinned keynotes: the most popular talks, one per day (or as asked) at the opening of the biggest room.
  const keynotes = new Map<number, { roomId: number; start: number }>();
  const byPopularity = [...order];
  let pinnedCount = 0;
  for (let d = 0; d < spec.days && spec.rooms > 0; d++) {
    for (let j = 0; j < spec.keynotesPerDay; j++) {
      const t = byPopularity[pinnedCount++];
      if (t === undefined) break;
      keynotes.set(t, { roomId: rooms[0]!.id, start: d * 1440 + spec.dayStart + j * 60 });
    }
  }
  const keynoteSpeakers = new Set([...keynotes.keys()].flatMap((t) => speakers[t]!));

  const talks: OptimizerTalk[] = [];
  for (let t = 0; t < n; t++) {
    const pin = keynotes.get(t) ?? null;
    const k = trackOf[t]!;
    const durationMinutes = pin ? Math.min(50, spec.dayEnd - spec.dayStart) : pickDuration();
    let windows: Interval[] | null = null;
    if (!pin && !speakers[t]!.some((s) => keynoteSpeakers.has(s)) && rng.next() < spec.partialAvailability) {
      windows = partialWindow(rng, spec);
    }
    if (pin) popularity[t] *= 3;
    talks.push({
      key: `s${t + 1}`,
      title: `${pin ? 'Keynote' : 'Talk'} ${t + 1}${k >= 0 ? ` (track ${k + 1})` : ''}`,
      durationMinutes,
      speakerIds: speakers[t]!,
      trackId: k >= 0 ? k + 1 : null,
      allowedRoomIds: pin ? null : k >= 0 ? (trackRooms[k] ?? null) : null,
      minCapacity: 0,
      windows,
      pinned: pin,
      released: null,
      current: null,
    });
  }

  // Voters: a geometric number of picks, mostly from 1–3 favourite tracks, by popularity.
  const global = cumulative(popularity);
  const perTrack: { talks: number[]; cum: Float64Array }[] = [];
  for (let k = 0; k < spec.tracks; k++) {
    const list = talks.map((_, t) => t).filter((t) => trackOf[t] === k);
    perTrack.push({ talks: list, cum: cumulative(Float64Array.from(list, (t) => popularity[t]!)) });
  }
  const voters: number[][] = [];
  for (let p = 0; p < spec.voters; p++) {
    const want = Math.min(n, Math.max(1, geometric(rng, spec.meanPicks)));
    const favourites = spec.tracks > 0 ? Array.from({ length: 1 + rng.int(3) }, () => rng.int(spec.tracks)) : [];
    const picks = new Set<number>();
    let guard = 0;
    while (picks.size < want && guard++ < want * 20) {
      if (favourites.length > 0 && rng.next() < spec.trackAffinity) {
        const tr = perTrack[favourites[rng.int(favourites.length)]!]!;
        if (tr.talks.length > 0) picks.add(tr.talks[sample(rng, tr.cum)]!);
      } else picks.add(sample(rng, global));
    }
    voters.push([...picks].sort((a, b) => a - b));
  }

  return {
    origin: ORIGIN,
    grainMinutes: spec.grainMinutes,
    rooms,
    talks,
    voters,
    attendeesPerVoter: spec.attendeesPerVoter,
  };
}

function openHours(spec: GeneratorSpec): Interval[] {
  const out: Interval[] = [];
  for (let d = 0; d < spec.days; d++) {
    const base = d * 1440;
    if (spec.lunch) {
      out.push({ start: base + spec.dayStart, end: base + spec.lunch.start }, { start: base + spec.lunch.end, end: base + spec.dayEnd });
    } else out.push({ start: base + spec.dayStart, end: base + spec.dayEnd });
  }
  return out;
}

/** A speaker who is there only one day, or only the first or second half of every day. */
function partialWindow(rng: Prng, spec: GeneratorSpec): Interval[] {
  const half = spec.dayStart + Math.round((spec.dayEnd - spec.dayStart) / 2 / spec.grainMinutes) * spec.grainMinutes;
  if (spec.days > 1 && rng.next() < 0.5) {
    const d = rng.int(spec.days);
    return [{ start: d * 1440 + spec.dayStart, end: d * 1440 + spec.dayEnd }];
  }
  const first = rng.next() < 0.5;
  return Array.from({ length: spec.days }, (_, d) =>
    first ? { start: d * 1440 + spec.dayStart, end: d * 1440 + half } : { start: d * 1440 + half, end: d * 1440 + spec.dayEnd },
  );
}

function shuffle<T>(rng: Prng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

function cumulative(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i]!;
  return out;
}

function sample(rng: Prng, cum: Float64Array): number {
  const x = rng.next() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function geometric(rng: Prng, mean: number): number {
  const p = 1 / mean;
  return Math.max(1, Math.ceil(Math.log(1 - rng.next()) / Math.log(1 - p)));
}
