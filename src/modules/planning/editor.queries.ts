import { DateTime } from 'luxon';
import type { Db } from '../../db/database.js';
import { datesBetween, WallClock } from '../../lib/time.js';
import type { Actor } from '../accounts/actor.js';
import { canEditSession, canManageEvent, canViewBackOffice, editableTrackIds } from '../accounts/account.policy.js';
import { toProposalRecords } from '../cfp/proposal.queries.js';
import { localDateTime, programmeDayRange } from '../events/event-dates.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { ensureAllowed, scopeOf, type DbOrTrx } from '../events/event-write.queries.js';
import { toEventRecord, type EventRecord } from '../events/records.js';
import type { SessionRow } from '../program/program.table.js';
import type { SessionKind, SessionStatus } from '../program/session.js';
import { loadAudience, loadPlanningInput } from './planning.queries.js';
import type { WarningsCache } from './warnings.cache.js';
import { WarningIndex, type ScheduleWarning } from './warnings.js';

/*
 * What the schedule editor shows: one programme day of the draft programme (sessions on the
 * grid, blockers), what is not placed (sessions off the grid, accepted proposals without a
 * session), and the warnings of the day. Read by the editor page, its JSON state endpoint and the
 * organizer API, for anyone who may open the event's back office (organizers, track managers).
 */

/** A session as the editor shows it. Local times are in the event's zone. */
export interface EditorSession {
  readonly id: number;
  readonly code: string;
  readonly title: string;
  readonly kind: SessionKind;
  readonly status: SessionStatus;
  readonly trackId: number | null;
  readonly roomId: number | null;
  /** Local wall-clock start and end, `2027-04-15T10:30`. */
  readonly start: string;
  readonly end: string;
  /** UTC instants. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly durationMinutes: number;
  /** Programme day. */
  readonly day: string;
  /** False: taken off the grid (listed as unplaced; it keeps its last room and time). */
  readonly placed: boolean;
  /** Pinned by an organizer: proposals of the optimizer leave it where it is. */
  readonly pinned: boolean;
  readonly speakerIds: readonly number[];
  /** Expected audience: people who starred it, and going sign-ups. */
  readonly stars: number;
  readonly signups: number;
}

/** An accepted proposal that has no session yet. */
export interface EditorProposal {
  readonly id: number;
  readonly code: string;
  readonly title: string;
  readonly kind: SessionKind;
  readonly durationMinutes: number;
  readonly trackId: number | null;
  /** Names of the speakers who accepted. */
  readonly speakers: readonly string[];
}

export interface EditorBlocker {
  readonly id: number;
  readonly roomId: number | null;
  readonly title: string;
  readonly start: string;
  readonly end: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface EditorState {
  /** The event's version this state is of: what a move must be based on. */
  readonly version: number;
  readonly event: EventRecord;
  readonly day: string;
  /** Every programme day, with how many warnings it has. */
  readonly days: ReadonlyArray<{ readonly date: string; readonly warnings: number }>;
  /** Minutes after the day's local midnight the grid spans (on the hour; past 1440 after midnight). */
  readonly range: { readonly from: number; readonly to: number };
  readonly permissions: { readonly manageEvent: boolean; readonly editableTrackIds: 'all' | readonly number[] };
  readonly rooms: ReadonlyArray<{ readonly id: number; readonly name: string; readonly capacity: number | null }>;
  readonly tracks: ReadonlyArray<{ readonly id: number; readonly name: string; readonly color: string }>;
  /** The speakers the listed sessions name. */
  readonly speakers: ReadonlyArray<{ readonly id: number; readonly name: string }>;
  /** The day's sessions on the grid (cancelled ones too), by start. */
  readonly sessions: readonly EditorSession[];
  /** Sessions off the grid, any day. */
  readonly unplaced: readonly EditorSession[];
  readonly proposals: readonly EditorProposal[];
  readonly blockers: readonly EditorBlocker[];
  /** Warnings involving a session of the day. */
  readonly warnings: readonly ScheduleWarning[];
}

type EventClock = Pick<EventRow, 'id' | 'time_zone' | 'day_change'>;

/** The event (404) if the actor may open its back office (403). */
export async function editableEvent(db: DbOrTrx, actor: Actor | null, eventId: number): Promise<EventRow> {
  const e = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!e) throw EventErrors.notFound('event', eventId);
  ensureAllowed(canViewBackOffice(actor, scopeOf(e)), 'open this event in the back office');
  return e;
}

/** The event's version now, for an editor asking whether anything changed (one indexed row). */
export async function currentVersion(db: DbOrTrx, actor: Actor | null, eventId: number): Promise<number> {
  return Number((await editableEvent(db, actor, eventId)).version);
}

/**
 * Sessions of the event as the editor shows them, by start: a programme `day` (on the grid),
 * the unplaced ones (`placed: false`, any day), or given `ids`. Four queries.
 */
export async function loadEditorSessions(
  db: DbOrTrx,
  event: EventClock,
  filter: { readonly day?: string; readonly placed?: boolean; readonly ids?: readonly number[] },
  audience?: ReadonlyMap<number, { stars: number; signups: number }>,
): Promise<EditorSession[]> {
  if (filter.ids?.length === 0) return [];
  let q = db.selectFrom('sessions').selectAll().where('event_id', '=', event.id);
  if (filter.ids) q = q.where('id', 'in', [...filter.ids]);
  if (filter.placed !== undefined) q = q.where('placed', '=', filter.placed ? 1 : 0);
  if (filter.day) {
    const { from, to } = programmeDayRange(filter.day, event.time_zone, event.day_change);
    q = q.where('starts_at', '>=', from).where('starts_at', '<', to);
  }
  const rows = await q.orderBy('starts_at').orderBy('id').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const speakers = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const links = await db
      .selectFrom('session_speakers')
      .select(['session_id', 'speaker_id'])
      .where('session_id', 'in', part)
      .orderBy('session_id')
      .orderBy('position')
      .execute();
    for (const l of links) speakers.set(l.session_id, [...(speakers.get(l.session_id) ?? []), l.speaker_id]);
  }
  const counts = audience ?? (await loadAudienceOf(db, event.id, ids));
  const clock = new WallClock(event.time_zone);
  return rows.map((r) => toEditorSession(r, clock, event.day_change, speakers.get(r.id) ?? [], counts.get(r.id)));
}

/** A sessions row as the editor shows it (local times through `clock`, the event's zone). */
export function toEditorSession(
  r: SessionRow,
  clock: WallClock,
  dayChange: string,
  speakerIds: readonly number[],
  audience: { stars: number; signups: number } | undefined,
): EditorSession {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    kind: r.kind as SessionKind,
    status: r.status as SessionStatus,
    trackId: r.track_id,
    roomId: r.room_id,
    start: clock.local(r.starts_at),
    end: clock.local(r.ends_at),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    durationMinutes: r.duration_minutes,
    day: clock.programmeDay(r.starts_at, dayChange),
    placed: r.placed === 1,
    pinned: r.pinned === 1,
    speakerIds,
    stars: audience?.stars ?? 0,
    signups: audience?.signups ?? 0,
  };
}

/** Stars and going sign-ups of some sessions (the editor's few, for a move's answer). */
export async function loadAudienceOf(db: DbOrTrx, eventId: number, ids: readonly number[]) {
  if (ids.length > 50) return loadAudience(db, eventId);
  const [stars, signups] = await Promise.all([
    db
      .selectFrom('agenda_stars')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', 'in', [...ids])
      .groupBy('session_id')
      .execute(),
    db
      .selectFrom('session_signups')
      .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('session_id', 'in', [...ids])
      .where('status', '=', 'going')
      .groupBy('session_id')
      .execute(),
  ]);
  const out = new Map<number, { stars: number; signups: number }>();
  for (const r of stars) out.set(r.session_id, { stars: Number(r.n), signups: 0 });
  for (const r of signups) out.set(r.session_id, { stars: out.get(r.session_id)?.stars ?? 0, signups: Number(r.n) });
  return out;
}

/** The warning index of the event: the cache's, or one built for this read (no cache: the CLI, tests). */
export async function warningIndexOf(db: Db, cache: WarningsCache | undefined, event: Pick<EventRow, 'id' | 'time_zone'>): Promise<WarningIndex> {
  if (cache) {
    const hit = await cache.current(db, event.id);
    if (hit) return hit.index;
  }
  const input = await loadPlanningInput(db, event.id, event.time_zone);
  return new WarningIndex(input.world, input.sessions);
}

/**
 * The editor's state for one programme day (the first day when `day` is absent).
 * @throws NOT_FOUND (404: event), FORBIDDEN (403), VALIDATION_FAILED (422: a day the event does not have).
 */
export async function loadEditorState(db: Db, cache: WarningsCache | undefined, actor: Actor | null, eventId: number, day?: string): Promise<EditorState> {
  const e = await editableEvent(db, actor, eventId);
  const days = datesBetween(e.start_date, e.end_date);
  const theDay = day ?? days[0]!;
  if (!days.includes(theDay)) {
    throw EventErrors.validationFailed([{ path: 'day', message: `is not a day of this event (${e.start_date} to ${e.end_date})` }]);
  }
  const scope = scopeOf(e);
  const editable = editableTrackIds(actor, scope);
  const { from, to } = programmeDayRange(theDay, e.time_zone, e.day_change);
  const [index, rooms, tracks, proposalRows, blockers] = await Promise.all([
    warningIndexOf(db, cache, e),
    db.selectFrom('rooms').select(['id', 'name', 'capacity']).where('event_id', '=', e.id).orderBy('position').orderBy('id').execute(),
    db.selectFrom('tracks').select(['id', 'name', 'color']).where('event_id', '=', e.id).orderBy('position').orderBy('id').execute(),
    acceptedProposalRows(db, e.id, editable),
    db
      .selectFrom('schedule_blockers')
      .selectAll()
      .where('event_id', '=', e.id)
      .where('starts_at', '<', to)
      .where('ends_at', '>', from)
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
  ]);
  // The index's audience figures are current: the cache checked the stars' fingerprint.
  const audience = index.world.audience;
  const [daySessions, offGrid, proposals] = await Promise.all([
    loadEditorSessions(db, e, { day: theDay, placed: true }, audience),
    loadEditorSessions(db, e, { placed: false }, audience),
    toProposalRecords(db, proposalRows),
  ]);
  const speakerIds = [...new Set([...daySessions, ...offGrid].flatMap((s) => s.speakerIds))];
  const speakers = speakerIds.length ? await db.selectFrom('speakers').select(['id', 'name']).where('id', 'in', speakerIds).orderBy('name').execute() : [];
  const version = Number(e.version);
  const edBlockers: EditorBlocker[] = blockers.map((b) => ({
    id: b.id,
    roomId: b.room_id,
    title: b.title,
    start: localDateTime(b.starts_at, e.time_zone),
    end: localDateTime(b.ends_at, e.time_zone),
    startsAt: b.starts_at,
    endsAt: b.ends_at,
  }));
  return {
    version,
    event: toEventRecord(e),
    day: theDay,
    days: warningsPerDay(index, days, e),
    range: gridRange(theDay, [...daySessions, ...edBlockers]),
    permissions: { manageEvent: canManageEvent(actor, scope), editableTrackIds: editable },
    rooms,
    tracks,
    speakers,
    sessions: daySessions,
    unplaced: offGrid,
    proposals: proposals.map((p) => ({
      id: p.id,
      code: p.code,
      title: p.title,
      kind: p.kind,
      durationMinutes: p.durationMinutes,
      trackId: p.trackId,
      speakers: p.speakers.map((s) => s.name).filter((n): n is string => n !== null),
    })),
    blockers: edBlockers,
    warnings: index.involving(daySessions.map((s) => s.id)),
  };
}

/** Accepted proposals without a session that the actor may place (organizers: all; track managers: their tracks). */
function acceptedProposalRows(db: DbOrTrx, eventId: number, tracks: 'all' | readonly number[]) {
  if (tracks !== 'all' && tracks.length === 0) return Promise.resolve([]);
  let q = db.selectFrom('proposals').selectAll().where('event_id', '=', eventId).where('state', '=', 'accepted').where('session_id', 'is', null);
  if (tracks !== 'all') q = q.where('track_id', 'in', [...tracks]);
  return q.orderBy('title').orderBy('id').execute();
}

/** Warnings per programme day (a warning counts on the day of each session it involves). */
function warningsPerDay(index: WarningIndex, days: readonly string[], e: EventClock): Array<{ date: string; warnings: number }> {
  const ranges = days.map((d) => programmeDayRange(d, e.time_zone, e.day_change));
  const counts = days.map(() => 0);
  for (const w of index.all()) {
    const seen = new Set<number>();
    for (const id of w.sessionIds) {
      const s = index.session(id);
      if (!s) continue;
      const i = ranges.findIndex((r) => s.startsAt >= r.from && s.startsAt < r.to);
      if (i >= 0 && !seen.has(i)) {
        seen.add(i);
        counts[i]!++;
      }
    }
  }
  return days.map((date, i) => ({ date, warnings: counts[i]! }));
}

/** Minutes after local midnight of `day` of a local date-time `2027-04-15T10:30` (past 1440 on later dates). */
export function minutesInto(day: string, local: string): number {
  const days = Math.round((Date.parse(`${local.slice(0, 10)}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
  return days * 1440 + Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
}

/** The grid's rows: 08:00–20:00 at least, widened to the hour around what the day holds. */
function gridRange(day: string, items: ReadonlyArray<{ start: string; end: string }>): { from: number; to: number } {
  let from = 8 * 60;
  let to = 20 * 60;
  for (const it of items) {
    from = Math.min(from, minutesInto(day, it.start));
    to = Math.max(to, minutesInto(day, it.end));
  }
  from = Math.max(0, Math.floor(from / 60) * 60);
  to = Math.min(from + 24 * 60, Math.ceil(to / 60) * 60);
  return { from, to };
}

/** Whether the actor may move `s` (organizers: all; track managers: their tracks). */
export function canMove(actor: Actor | null, event: Pick<EventRecord, 'id' | 'communityId'>, s: { trackId: number | null }): boolean {
  return canEditSession(actor, { eventId: event.id, communityId: event.communityId }, s);
}

/** `2027-04-15T10:30` + minutes, as a local date-time (wall-clock arithmetic, as the grid shows time). */
export function addLocalMinutes(local: string, minutes: number): string {
  return DateTime.fromISO(local, { zone: 'utc' }).plus({ minutes }).toFormat("yyyy-MM-dd'T'HH:mm");
}
