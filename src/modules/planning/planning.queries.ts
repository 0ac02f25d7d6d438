import type { DbOrTrx } from '../events/event-write.queries.js';
import { AUDIENCE_CONFLICT_MIN, type PlanBlocker, type PlanningWorld, type PlanSession, type TimeWindow } from './warnings.js';

/*
 * What the warnings are computed from, read in a few indexed queries per event whatever its size:
 * the sessions with their speakers, the rooms, the speakers' availability, opening hours,
 * blockers, stars and sign-ups, and the pairs of sessions many people starred both.
 */

export interface PlanningInput {
  readonly world: PlanningWorld;
  readonly sessions: PlanSession[];
}

/** Every session of the event as the warnings see it (unplaced and cancelled ones too). Two queries. */
export async function loadPlanSessions(db: DbOrTrx, eventId: number, ids?: readonly number[]): Promise<PlanSession[]> {
  if (ids?.length === 0) return [];
  let q = db.selectFrom('sessions').select(['id', 'title', 'kind', 'status', 'placed', 'room_id', 'starts_at', 'ends_at']).where('event_id', '=', eventId);
  if (ids) q = q.where('id', 'in', [...ids]);
  const rows = await q.orderBy('starts_at').orderBy('id').execute();
  let sp = db
    .selectFrom('session_speakers')
    .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
    .select(['session_speakers.session_id', 'session_speakers.speaker_id'])
    .where('sessions.event_id', '=', eventId);
  if (ids) sp = sp.where('sessions.id', 'in', [...ids]);
  const links = await sp.orderBy('session_speakers.session_id').orderBy('session_speakers.position').execute();
  const speakers = new Map<number, number[]>();
  for (const l of links) {
    const list = speakers.get(l.session_id);
    if (list) list.push(l.speaker_id);
    else speakers.set(l.session_id, [l.speaker_id]);
  }
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    status: r.status,
    placed: r.placed === 1,
    roomId: r.room_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    speakerIds: speakers.get(r.id) ?? [],
  }));
}

/** The event's zone and version, or undefined when there is no such event. */
export async function eventHead(db: DbOrTrx, eventId: number): Promise<{ version: number; timeZone: string } | undefined> {
  const e = await db.selectFrom('events').select(['version', 'time_zone']).where('id', '=', eventId).executeTakeFirst();
  return e ? { version: Number(e.version), timeZone: e.time_zone } : undefined;
}

/**
 * A fingerprint of the event's stars and going sign-ups, which change without a version bump:
 * when it moves, the audience figures are read again. Two aggregate queries over their indexes.
 */
export async function audienceKey(db: DbOrTrx, eventId: number): Promise<string> {
  // Count and sum of session ids: both read from the (event_id, session_id) index alone.
  const [stars, signups] = await Promise.all([
    db
      .selectFrom('agenda_stars')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number | null>('session_id').as('s')])
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('session_signups')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number | null>('session_id').as('s')])
      .where('event_id', '=', eventId)
      .where('status', '=', 'going')
      .executeTakeFirstOrThrow(),
  ]);
  return `${stars.n}:${stars.s ?? 0}/${signups.n}:${signups.s ?? 0}`;
}

/** The event's sessions and everything their warnings depend on. */
export async function loadPlanningInput(db: DbOrTrx, eventId: number, timeZone: string): Promise<PlanningInput> {
  const [sessions, rooms, speakers, windows, blockers, audience, coStars] = await Promise.all([
    loadPlanSessions(db, eventId),
    db.selectFrom('rooms').select(['id', 'name', 'capacity']).where('event_id', '=', eventId).execute(),
    db.selectFrom('speakers').select(['id', 'name', 'user_id']).where('event_id', '=', eventId).execute(),
    db.selectFrom('availability').selectAll().where('event_id', '=', eventId).orderBy('starts_at').execute(),
    db.selectFrom('schedule_blockers').selectAll().where('event_id', '=', eventId).orderBy('starts_at').execute(),
    loadAudience(db, eventId),
    loadCoStars(db, eventId),
  ]);
  const eventHours: TimeWindow[] = [];
  const roomHours = new Map<number, TimeWindow[]>();
  const bySpeaker = new Map<number, TimeWindow[]>();
  const byUser = new Map<number, TimeWindow[]>();
  for (const w of windows) {
    const win = { startsAt: w.starts_at, endsAt: w.ends_at };
    if (w.room_id !== null) push(roomHours, w.room_id, win);
    else if (w.speaker_id !== null) push(bySpeaker, w.speaker_id, win);
    else if (w.user_id !== null) push(byUser, w.user_id, win);
    else eventHours.push(win);
  }
  return {
    sessions,
    world: {
      timeZone,
      rooms: new Map(rooms.map((r) => [r.id, { name: r.name, capacity: r.capacity }])),
      speakers: new Map(speakers.map((s) => [s.id, { name: s.name, windows: windowsOf(s, bySpeaker, byUser) }])),
      eventHours,
      roomHours,
      blockers: blockers.map(toPlanBlocker),
      audience,
      coStars,
    },
  };
}

/** The speakers given with their availability (for profiles made after the index was built). */
export async function loadPlanSpeakers(db: DbOrTrx, eventId: number, speakerIds: readonly number[]) {
  if (speakerIds.length === 0) return [];
  const speakers = await db
    .selectFrom('speakers')
    .select(['id', 'name', 'user_id'])
    .where('event_id', '=', eventId)
    .where('id', 'in', [...speakerIds])
    .execute();
  const users = speakers.map((s) => s.user_id).filter((u): u is number => u !== null);
  const windows = await db
    .selectFrom('availability')
    .selectAll()
    .where('event_id', '=', eventId)
    .where((eb) => eb.or([eb('speaker_id', 'in', [...speakerIds]), ...(users.length ? [eb('user_id', 'in', users)] : [])]))
    .execute();
  const bySpeaker = new Map<number, TimeWindow[]>();
  const byUser = new Map<number, TimeWindow[]>();
  for (const w of windows) {
    const win = { startsAt: w.starts_at, endsAt: w.ends_at };
    if (w.speaker_id !== null) push(bySpeaker, w.speaker_id, win);
    else if (w.user_id !== null) push(byUser, w.user_id, win);
  }
  return speakers.map((s) => ({ id: s.id, name: s.name, windows: windowsOf(s, bySpeaker, byUser) }));
}

/** A profile with an account follows the person's windows; one without has its own. */
function windowsOf(s: { id: number; user_id: number | null }, bySpeaker: Map<number, TimeWindow[]>, byUser: Map<number, TimeWindow[]>): TimeWindow[] {
  return (s.user_id !== null ? byUser.get(s.user_id) : undefined) ?? bySpeaker.get(s.id) ?? [];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function toPlanBlocker(b: { id: number; room_id: number | null; title: string; starts_at: string; ends_at: string }): PlanBlocker {
  return { id: b.id, roomId: b.room_id, title: b.title, startsAt: b.starts_at, endsAt: b.ends_at };
}

/** Stars and going sign-ups per session. Two grouped queries. */
export async function loadAudience(db: DbOrTrx, eventId: number): Promise<Map<number, { stars: number; signups: number }>> {
  const [stars, signups] = await Promise.all([
    db
      .selectFrom('agenda_stars')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', eventId)
      .groupBy('session_id')
      .execute(),
    db
      .selectFrom('session_signups')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', eventId)
      .where('status', '=', 'going')
      .groupBy('session_id')
      .execute(),
  ]);
  const out = new Map<number, { stars: number; signups: number }>();
  for (const r of stars) out.set(r.session_id, { stars: Number(r.n), signups: 0 });
  for (const r of signups) out.set(r.session_id, { stars: out.get(r.session_id)?.stars ?? 0, signups: Number(r.n) });
  return out;
}

/**
 * Per pair of sessions, how many people starred both; only pairs of at least `min`, stored both
 * ways. The stars are read once, ordered by person, and each person's pairs counted in memory
 * (a FOSDEM-sized event: 60,000 stars, 270,000 pairs, tens of milliseconds), with sessions
 * numbered densely so a pair is one number.
 */
export async function loadCoStars(db: DbOrTrx, eventId: number, min = AUDIENCE_CONFLICT_MIN): Promise<Map<number, Map<number, number>>> {
  const rows = await db
    .selectFrom('agenda_stars')
    .select(['user_id', 'session_id'])
    .where('event_id', '=', eventId)
    .orderBy('user_id')
    .orderBy('session_id')
    .execute();
  const dense = new Map<number, number>();
  const ids: number[] = [];
  const indexOf = (id: number) => {
    let i = dense.get(id);
    if (i === undefined) {
      dense.set(id, (i = ids.length));
      ids.push(id);
    }
    return i;
  };
  for (const r of rows) indexOf(r.session_id);
  const n = ids.length;
  const counts = new Map<number, number>();
  let user = -1;
  let mine: number[] = [];
  const flush = () => {
    for (let i = 0; i < mine.length; i++) {
      for (let j = i + 1; j < mine.length; j++) {
        const a = mine[i]!;
        const b = mine[j]!;
        const key = a < b ? a * n + b : b * n + a;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    mine = [];
  };
  for (const r of rows) {
    if (r.user_id !== user) {
      flush();
      user = r.user_id;
    }
    mine.push(dense.get(r.session_id)!);
  }
  flush();
  const out = new Map<number, Map<number, number>>();
  for (const [key, c] of counts) {
    if (c < min) continue;
    const a = ids[Math.floor(key / n)]!;
    const b = ids[key % n]!;
    let ma = out.get(a);
    if (!ma) out.set(a, (ma = new Map()));
    ma.set(b, c);
    let mb = out.get(b);
    if (!mb) out.set(b, (mb = new Map()));
    mb.set(a, c);
  }
  return out;
}
