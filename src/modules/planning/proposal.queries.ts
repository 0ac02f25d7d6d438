import { datesBetween, parseInstant, toStoredInstant } from '../../lib/time.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import { programmeDayRange } from '../events/event-dates.js';
import type { Interval, OptimizerInstance, OptimizerRoom, OptimizerTalk, Unsatisfiable } from '../optimizer/optimizer.js';
import { SERVICE_KINDS, type SessionKind } from '../program/session.js';
import { instanceFingerprint, intersect, minuteOf, normalize, subtract, type RunSummary, type SummaryTalk } from './proposal.js';
import type { ProposeOptions } from './proposal.schemas.js';

/*
 * Builds the optimizer's instance from an event's draft programme (issue 14), in a fixed number of
 * indexed queries whatever the event's size:
 *  - the chosen programme days (default all) and rooms (default all), on a grid of `grainMinutes`
 *    counted from the first chosen day's day change (the instance's origin);
 *  - each room's open time: the event's hours (none set: 09:00–18:00 each day, widened to what the
 *    draft already holds that day), cut to the room's own opening hours if it has any, minus the
 *    internal blockers of that room or of every room, minus what stays where it is in that room
 *    (breaks, meals, doors, socials, remarks: never moved; an item in no room blocks every room);
 *  - the talks: sessions of the kinds the optimizer places (talks, lightning talks, panels,
 *    workshops, keynotes) that are not cancelled, placed in a chosen room on a chosen day or off
 *    the grid, and accepted proposals without a session (key p<id>). Keynotes already on the grid
 *    stay pinned where they are (an organizer places a keynote; the optimizer works around it);
 *    sessions the organizer pinned stay where they are;
 *  - each talk's speakers (a proposal's: their speaker profile in the event, else the person),
 *    their availability windows intersected (none: any time), minus the times they speak in
 *    sessions that stay where they are; seats needed (going sign-ups); allowed rooms (the
 *    organizer's restrictions per track and per kind); where the last release had it; where the
 *    draft has it;
 *  - the voters (interest poll and stars, given by the caller), and the audience per voter.
 * Sessions outside the chosen days and rooms stay as they are and are not in the instance.
 */

/** Kinds that stay where they are (never moved, never placed): they block the room(s) they are in. */
const FIXED_KINDS: ReadonlySet<string> = new Set([...SERVICE_KINDS, 'remarks']);

export interface BuiltInstance {
  readonly instance: OptimizerInstance;
  readonly summary: RunSummary;
  readonly fingerprint: string;
  /** What cannot work before the optimizer's own check: no rooms, nothing to place. */
  readonly problems: Unsatisfiable[];
}

interface SessionFacts {
  id: number;
  title: string;
  kind: string;
  status: string;
  placed: number;
  pinned: number;
  track_id: number | null;
  room_id: number | null;
  starts_at: string;
  ends_at: string;
  duration_minutes: number;
}

/**
 * The instance for `event` with `options` (already parsed) and the voters' wanted keys.
 * @throws VALIDATION_FAILED (422): a day the event does not have, a room or track not of the event.
 */
export async function buildOptimizerInstance(
  db: DbOrTrx,
  event: EventRow,
  options: ProposeOptions,
  votes: readonly (readonly string[])[],
): Promise<BuiltInstance> {
  const allDays = datesBetween(event.start_date, event.end_date);
  const problems: Array<{ path: string; message: string }> = [];
  options.days.forEach((d, i) => {
    if (!allDays.includes(d)) problems.push({ path: `days[${i}]`, message: `is not a day of this event (${event.start_date} to ${event.end_date})` });
  });
  const [allRooms, tracks, sessions, links, speakers, windows, blockers, proposals, signups, released, registration] = await Promise.all([
    db.selectFrom('rooms').select(['id', 'name', 'capacity']).where('event_id', '=', event.id).orderBy('position').orderBy('id').execute(),
    db.selectFrom('tracks').select(['id']).where('event_id', '=', event.id).execute(),
    db
      .selectFrom('sessions')
      .select(['id', 'title', 'kind', 'status', 'placed', 'pinned', 'track_id', 'room_id', 'starts_at', 'ends_at', 'duration_minutes'])
      .where('event_id', '=', event.id)
      .orderBy('id')
      .execute() as Promise<SessionFacts[]>,
    db
      .selectFrom('session_speakers')
      .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
      .select(['session_speakers.session_id', 'session_speakers.speaker_id'])
      .where('sessions.event_id', '=', event.id)
      .orderBy('session_speakers.session_id')
      .orderBy('session_speakers.position')
      .execute(),
    db.selectFrom('speakers').select(['id', 'user_id']).where('event_id', '=', event.id).execute(),
    db.selectFrom('availability').select(['room_id', 'speaker_id', 'user_id', 'starts_at', 'ends_at']).where('event_id', '=', event.id).execute(),
    db.selectFrom('schedule_blockers').select(['room_id', 'starts_at', 'ends_at']).where('event_id', '=', event.id).execute(),
    db
      .selectFrom('proposals')
      .select(['id', 'title', 'kind', 'track_id', 'duration_minutes'])
      .where('event_id', '=', event.id)
      .where('state', '=', 'accepted')
      .where('session_id', 'is', null)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('session_signups')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', event.id)
      .where('status', '=', 'going')
      .groupBy('session_id')
      .execute(),
    latestReleasePlaces(db, event.id),
    db.selectFrom('registration_settings').select(['seats_taken']).where('event_id', '=', event.id).executeTakeFirst(),
  ]);
  const roomIds = new Set(allRooms.map((r) => r.id));
  options.roomIds.forEach((id, i) => {
    if (!roomIds.has(id)) problems.push({ path: `roomIds[${i}]`, message: `#${id} is not a room of this event` });
  });
  const trackIds = new Set(tracks.map((t) => t.id));
  options.trackRooms.forEach((r, i) => {
    if (!trackIds.has(r.trackId)) problems.push({ path: `trackRooms[${i}].trackId`, message: `#${r.trackId} is not a track of this event` });
    r.roomIds.forEach((id, j) => {
      if (!roomIds.has(id)) problems.push({ path: `trackRooms[${i}].roomIds[${j}]`, message: `#${id} is not a room of this event` });
    });
  });
  options.kindRooms.forEach((r, i) => {
    r.roomIds.forEach((id, j) => {
      if (!roomIds.has(id)) problems.push({ path: `kindRooms[${i}].roomIds[${j}]`, message: `#${id} is not a room of this event` });
    });
  });
  if (problems.length) throw EventErrors.validationFailed(problems);

  const days = (options.days.length ? [...new Set(options.days)] : allDays).sort();
  const chosenRooms = options.roomIds.length ? allRooms.filter((r) => options.roomIds.includes(r.id)) : allRooms;
  const chosen = new Set(chosenRooms.map((r) => r.id));
  const ranges = days.map((d) => ({ day: d, ...programmeDayRange(d, event.time_zone, event.day_change) }));
  const origin = ranges[0]!.from;
  const at = (instant: string) => minuteOf(origin, instant);
  const dayIntervals = ranges.map((r) => ({ day: r.day, start: at(r.from), end: at(r.to) }));
  const horizon: Interval[] = normalize(dayIntervals);
  const inHorizon = (s: { starts_at: string }) => {
    const m = at(s.starts_at);
    return horizon.some((h) => m >= h.start && m < h.end);
  };

  // Who speaks where; each speaker's windows (a profile with an account follows the person's).
  const speakersOf = new Map<number, number[]>();
  for (const l of links) push(speakersOf, l.session_id, l.speaker_id);
  const userOfSpeaker = new Map(speakers.map((s) => [s.id, s.user_id]));
  const profileOfUser = new Map<number, number>();
  for (const s of speakers) if (s.user_id !== null && !profileOfUser.has(s.user_id)) profileOfUser.set(s.user_id, s.id);
  const eventHours: Interval[] = [];
  const roomHours = new Map<number, Interval[]>();
  const speakerWindows = new Map<number, Interval[]>();
  const userWindows = new Map<number, Interval[]>();
  for (const w of windows) {
    const i = { start: at(w.starts_at), end: at(w.ends_at) };
    if (w.room_id !== null) push(roomHours, w.room_id, i);
    else if (w.speaker_id !== null) push(speakerWindows, w.speaker_id, i);
    else if (w.user_id !== null) push(userWindows, w.user_id, i);
    else eventHours.push(i);
  }
  /** A speaker (profile id, or -userId for a person without a profile): their windows, or null (any time). */
  const windowsOfSpeaker = (id: number): Interval[] | null => {
    const user = id < 0 ? -id : (userOfSpeaker.get(id) ?? null);
    return (user !== null ? userWindows.get(user) : undefined) ?? (id > 0 ? speakerWindows.get(id) : undefined) ?? null;
  };

  // What the optimizer places, and what stays where it is.
  const talkSessions: SessionFacts[] = [];
  const fixed: SessionFacts[] = [];
  for (const s of sessions) {
    if (s.status === 'cancelled') continue;
    const placed = s.placed === 1;
    if (FIXED_KINDS.has(s.kind)) {
      if (placed) fixed.push(s);
      continue;
    }
    if (!placed) talkSessions.push(s);
    else if (s.room_id !== null && chosen.has(s.room_id) && inHorizon(s)) talkSessions.push(s);
    else fixed.push(s);
  }

  // Open time: per day, the event's hours (or the default day), the room's hours, minus blockers and fixed items.
  const defaultDay = (day: string): Interval[] => {
    const from = parseInstant(`${day}T09:00`, event.time_zone);
    const to = parseInstant(`${day}T18:00`, event.time_zone);
    if (!from || !to) return [];
    return [{ start: at(toStoredInstant(from)), end: at(toStoredInstant(to)) }];
  };
  const base: Interval[] = [];
  for (const d of dayIntervals) {
    if (eventHours.length) base.push(...intersect(eventHours, [d]));
    else {
      // No hours set: 09:00–18:00, widened to what the draft already holds that day.
      const held = talkSessions
        .filter((s) => s.placed === 1)
        .map((s) => ({ start: at(s.starts_at), end: at(s.ends_at) }))
        .filter((i) => i.start >= d.start && i.start < d.end);
      const day = defaultDay(d.day);
      const start = Math.min(day[0]?.start ?? d.start, ...held.map((i) => i.start));
      const end = Math.max(day[0]?.end ?? d.end, ...held.map((i) => i.end));
      base.push(...intersect([{ start, end }], [d]));
    }
  }
  const everyRoomClosed: Interval[] = [];
  const roomClosed = new Map<number, Interval[]>();
  for (const b of blockers) {
    const i = { start: at(b.starts_at), end: at(b.ends_at) };
    if (b.room_id === null) everyRoomClosed.push(i);
    else push(roomClosed, b.room_id, i);
  }
  for (const f of fixed) {
    if (f.placed !== 1) continue;
    const i = { start: at(f.starts_at), end: at(f.ends_at) };
    if (f.room_id === null) everyRoomClosed.push(i);
    else push(roomClosed, f.room_id, i);
  }
  const rooms: OptimizerRoom[] = chosenRooms.map((r) => {
    let open = normalize(base);
    const hours = roomHours.get(r.id);
    if (hours?.length) open = intersect(open, hours);
    open = subtract(open, [...everyRoomClosed, ...(roomClosed.get(r.id) ?? [])]);
    return { id: r.id, name: r.name, capacity: r.capacity, open };
  });

  // When each speaker is busy elsewhere (sessions that stay where they are).
  const busy = new Map<number, Interval[]>();
  for (const f of fixed) {
    if (f.placed !== 1) continue;
    for (const sp of speakersOf.get(f.id) ?? []) push(busy, sp, { start: at(f.starts_at), end: at(f.ends_at) });
  }
  const seats = new Map(signups.map((s) => [s.session_id, Number(s.n)]));
  const trackRooms = new Map(options.trackRooms.map((r) => [r.trackId, r.roomIds]));
  const kindRooms = new Map(options.kindRooms.map((r) => [r.kind as string, r.roomIds]));
  const allowedFor = (trackId: number | null, kind: string): number[] | null => {
    let allowed: number[] | null = null;
    const byTrack = trackId === null ? undefined : trackRooms.get(trackId);
    const byKind = kindRooms.get(kind);
    for (const list of [byTrack, byKind]) {
      if (!list?.length) continue;
      const ok = list.filter((id) => chosen.has(id));
      allowed = allowed === null ? ok : allowed.filter((id) => ok.includes(id));
    }
    return allowed;
  };
  const windowsOfTalk = (speakerIds: readonly number[]): Interval[] | null => {
    let out: Interval[] | null = null;
    for (const sp of speakerIds) {
      const w = windowsOfSpeaker(sp);
      if (w) out = out === null ? normalize(w) : intersect(out, w);
    }
    const taken = speakerIds.flatMap((sp) => busy.get(sp) ?? []);
    if (taken.length) out = subtract(out ?? horizon, taken);
    return out === null ? null : intersect(out, horizon);
  };

  const talks: OptimizerTalk[] = [];
  const summaryTalks: SummaryTalk[] = [];
  for (const s of talkSessions) {
    const speakerIds = speakersOf.get(s.id) ?? [];
    const placed = s.placed === 1;
    const current = placed ? { roomId: s.room_id!, start: at(s.starts_at) } : null;
    // Keynotes on the grid stay where the organizer put them; so do pinned sessions.
    const pinned = placed && (s.pinned === 1 || s.kind === 'keynote') ? current : null;
    const r = released.get(s.id);
    const key = `s${s.id}`;
    talks.push({
      key,
      title: s.title,
      durationMinutes: s.duration_minutes,
      speakerIds,
      trackId: s.track_id,
      allowedRoomIds: allowedFor(s.track_id, s.kind),
      minCapacity: seats.get(s.id) ?? 0,
      windows: windowsOfTalk(speakerIds),
      pinned,
      released: r && r.room_id !== null && chosen.has(r.room_id) ? { roomId: r.room_id, start: at(r.starts_at) } : null,
      current,
    });
    summaryTalks.push({ key, title: s.title, kind: s.kind, trackId: s.track_id, durationMinutes: s.duration_minutes, current, pinned: pinned !== null });
  }
  const proposalSpeakers = await proposalSpeakerIds(
    db,
    proposals.map((p) => p.id),
  );
  for (const p of proposals) {
    const speakerIds = (proposalSpeakers.get(p.id) ?? []).map((user) => profileOfUser.get(user) ?? -user);
    const key = `p${p.id}`;
    talks.push({
      key,
      title: p.title,
      durationMinutes: p.duration_minutes,
      speakerIds,
      trackId: p.track_id,
      allowedRoomIds: allowedFor(p.track_id, p.kind),
      minCapacity: 0,
      windows: windowsOfTalk(speakerIds),
      pinned: null,
      released: null,
      current: null,
    });
    summaryTalks.push({
      key,
      title: p.title,
      kind: p.kind as SessionKind,
      trackId: p.track_id,
      durationMinutes: p.duration_minutes,
      current: null,
      pinned: false,
    });
  }

  // Voters: their wanted talks that are in the instance, each once; voters wanting none are left out.
  const index = new Map(talks.map((t, i) => [t.key, i]));
  const voters: number[][] = [];
  let preferences = 0;
  for (const v of votes) {
    const wanted = [...new Set(v.map((k) => index.get(k)).filter((i): i is number => i !== undefined))].sort((a, b) => a - b);
    if (wanted.length) {
      voters.push(wanted);
      preferences += wanted.length;
    }
  }
  const audience = audiencePerVoter(options.attendeesPerVoter, voters.length, registration?.seats_taken ?? 0, event.capacity ?? null);
  const instance: OptimizerInstance = {
    origin,
    grainMinutes: options.grainMinutes,
    rooms,
    talks,
    voters,
    attendeesPerVoter: audience.value,
  };
  const own: Unsatisfiable[] = [];
  if (rooms.length === 0) own.push({ code: 'NOT_ENOUGH_ROOM', keys: [], message: 'The event has no rooms (or none was chosen): add rooms first.' });
  if (talks.length === 0) {
    own.push({
      code: 'NOTHING_TO_PLACE',
      keys: [],
      message:
        'There is nothing to place: no talks, lightning talks, panels or workshops on the chosen days and rooms, off the grid, or accepted without a session.',
    });
  }
  return {
    instance,
    fingerprint: instanceFingerprint(instance),
    problems: own,
    summary: {
      origin,
      timeZone: event.time_zone,
      grainMinutes: options.grainMinutes,
      attendeesPerVoter: audience.value,
      attendeesPerVoterReason: audience.reason,
      voters: voters.length,
      preferences,
      rooms: chosenRooms.map((r) => ({ id: r.id, name: r.name, capacity: r.capacity })),
      talks: summaryTalks,
    },
  };
}

/**
 * Expected people per voter: the organizer's figure; else the people expected (going RSVPs'
 * seats, else the event's capacity) divided by the voters, at least 1; else 1.
 */
export function audiencePerVoter(given: number | null, voters: number, going: number, capacity: number | null): { value: number; reason: string } {
  if (given !== null) return { value: given, reason: 'as you entered it' };
  if (voters === 0) return { value: 1, reason: 'no voters yet: each vote counts as one person' };
  const expected = going > 0 ? going : capacity;
  if (!expected) return { value: 1, reason: 'no RSVPs and no capacity: each vote counts as one person' };
  const value = Math.max(1, Math.round((expected / voters) * 10) / 10);
  return {
    value,
    reason: `${going > 0 ? `${going} seats taken by RSVPs` : `a capacity of ${capacity}`} ÷ ${voters} voter${voters === 1 ? '' : 's'}${value === 1 && expected < voters ? ' (at least 1)' : ''}`,
  };
}

/** Where the latest release had each session (placed, not cancelled), by session id. */
async function latestReleasePlaces(db: DbOrTrx, eventId: number): Promise<Map<number, { room_id: number | null; starts_at: string }>> {
  const latest = await db.selectFrom('schedule_releases').select('id').where('event_id', '=', eventId).orderBy('number', 'desc').limit(1).executeTakeFirst();
  if (!latest) return new Map();
  const rows = await db.selectFrom('release_sessions').select(['session_id', 'room_id', 'starts_at', 'status']).where('release_id', '=', latest.id).execute();
  return new Map(rows.filter((r) => r.status !== 'cancelled').map((r) => [r.session_id, r]));
}

/** Accepted speakers' accounts per proposal, in speaking order. */
async function proposalSpeakerIds(db: DbOrTrx, ids: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('proposal_speakers')
      .select(['proposal_id', 'user_id'])
      .where('proposal_id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'accepted')
      .where('user_id', 'is not', null)
      .orderBy('proposal_id')
      .orderBy('position')
      .execute();
    for (const r of rows) push(out, r.proposal_id, r.user_id!);
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
