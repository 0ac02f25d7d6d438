import type { Db } from '../../db/database.js';
import type { Trx } from '../events/event-write.queries.js';
import type { ChangeKind, Placement, ReleasedSlot, ReleaseChange, ReleaseNotifications } from './release.js';
import type { ReleaseChangeRow, ScheduleReleaseRow } from './release.table.js';

type Reader = Db | Trx;

/** A release as lists and pages show it. */
export interface ReleaseRecord {
  readonly id: number;
  readonly eventId: number;
  readonly number: number;
  readonly name: string;
  readonly comment: string;
  readonly releasedAt: string;
  readonly releasedBy: string;
  readonly notifications: ReleaseNotifications;
  readonly changeCount: number;
}

export function toReleaseRecord(r: ScheduleReleaseRow): ReleaseRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    number: r.number,
    name: r.name,
    comment: r.comment,
    releasedAt: r.released_at,
    releasedBy: r.released_by_label,
    notifications: r.notifications as ReleaseNotifications,
    changeCount: r.change_count,
  };
}

/**
 * The id of the event's latest release as a subquery (null before the first): what attendees
 * see is the `release_sessions` rows of that release (status, room, times, speakers as released).
 */
export function latestReleaseId(db: Reader, eventId: number) {
  return db
    .selectFrom('schedule_releases')
    .select((e) => e.fn.max('id').as('id'))
    .where('event_id', '=', eventId);
}

/** The event's latest release, or undefined before the first. */
export async function findLatestRelease(db: Reader, eventId: number): Promise<ReleaseRecord | undefined> {
  const r = await db.selectFrom('schedule_releases').selectAll().where('event_id', '=', eventId).orderBy('number', 'desc').limit(1).executeTakeFirst();
  return r && toReleaseRecord(r);
}

/** Every release of the event, newest first. */
export async function listReleases(db: Reader, eventId: number): Promise<ReleaseRecord[]> {
  const rows = await db.selectFrom('schedule_releases').selectAll().where('event_id', '=', eventId).orderBy('number', 'desc').execute();
  return rows.map(toReleaseRecord);
}

export async function releaseNames(db: Reader, eventId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('schedule_releases').select('name').where('event_id', '=', eventId).execute();
  return new Set(rows.map((r) => r.name));
}

/** The slots of one release, in start order. */
export async function readReleaseSlots(db: Reader, releaseId: number): Promise<ReleasedSlot[]> {
  const rows = await db.selectFrom('release_sessions').selectAll().where('release_id', '=', releaseId).orderBy('starts_at').orderBy('session_id').execute();
  return rows.map((r) => ({
    sessionId: r.session_id,
    code: r.code,
    title: r.title,
    status: r.status,
    roomId: r.room_id,
    roomName: r.room_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    speakerIds: JSON.parse(r.speaker_ids) as number[],
  }));
}

/** The draft as a release would freeze it: every placed session, in start order. */
export async function readDraftSlots(db: Reader, eventId: number): Promise<ReleasedSlot[]> {
  const [rows, links] = await Promise.all([
    db
      .selectFrom('sessions')
      .leftJoin('rooms', 'rooms.id', 'sessions.room_id')
      .select([
        'sessions.id',
        'sessions.code',
        'sessions.title',
        'sessions.status',
        'sessions.room_id',
        'rooms.name as room_name',
        'sessions.starts_at',
        'sessions.ends_at',
      ])
      .where('sessions.event_id', '=', eventId)
      .where('sessions.placed', '=', 1)
      .orderBy('sessions.starts_at')
      .orderBy('sessions.id')
      .execute(),
    db
      .selectFrom('session_speakers')
      .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
      .select(['session_speakers.session_id', 'session_speakers.speaker_id'])
      .where('sessions.event_id', '=', eventId)
      .orderBy('session_speakers.session_id')
      .orderBy('session_speakers.position')
      .execute(),
  ]);
  const speakers = new Map<number, number[]>();
  for (const l of links) {
    const list = speakers.get(l.session_id);
    if (list) list.push(l.speaker_id);
    else speakers.set(l.session_id, [l.speaker_id]);
  }
  return rows.map((r) => ({
    sessionId: r.id,
    code: r.code,
    title: r.title,
    status: r.status,
    roomId: r.room_id,
    roomName: r.room_name ?? '',
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    speakerIds: speakers.get(r.id) ?? [],
  }));
}

interface ChangeDetails {
  from?: Placement;
  to?: Placement;
  speakersBefore?: number[];
  speakersAfter?: number[];
}

export function toReleaseChange(r: ReleaseChangeRow): ReleaseChange {
  const d = JSON.parse(r.details) as ChangeDetails;
  return { sessionId: r.session_id, code: r.code, title: r.title, kind: r.kind as ChangeKind, ...d };
}

export function changeDetails(c: ReleaseChange): string {
  const d: ChangeDetails = {};
  if (c.from) d.from = c.from;
  if (c.to) d.to = c.to;
  if (c.speakersBefore) d.speakersBefore = [...c.speakersBefore];
  if (c.speakersAfter) d.speakersAfter = [...c.speakersAfter];
  return JSON.stringify(d);
}

/** The changes of the given releases, grouped by release id, in the order they were recorded. */
export async function readReleaseChanges(db: Reader, releaseIds: readonly number[]): Promise<Map<number, ReleaseChange[]>> {
  const out = new Map<number, ReleaseChange[]>(releaseIds.map((id) => [id, []]));
  if (releaseIds.length === 0) return out;
  const rows = await db.selectFrom('release_changes').selectAll().where('release_id', 'in', releaseIds).orderBy('release_id').orderBy('id').execute();
  for (const r of rows) out.get(r.release_id)!.push(toReleaseChange(r));
  return out;
}

/** A release with its changelog. */
export interface ReleaseWithChanges extends ReleaseRecord {
  readonly changes: readonly ReleaseChange[];
}

/** Every release of the event, newest first, each with its changes, in two queries (the public changelog, the back office, the API). */
export async function listReleasesWithChanges(db: Reader, eventId: number): Promise<ReleaseWithChanges[]> {
  const releases = await listReleases(db, eventId);
  const changes = await readReleaseChanges(
    db,
    releases.map((r) => r.id),
  );
  return releases.map((r) => ({ ...r, changes: changes.get(r.id) ?? [] }));
}

/** Speaker names by id for the event (changelogs name speakers, not ids). */
export async function speakerNames(db: Reader, eventId: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom('speakers').select(['id', 'name']).where('event_id', '=', eventId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * What putting an event's changes into words needs (describeChange): the event's zone and its
 * speakers' names; undefined for an unknown event. For adapters that list changes as text.
 */
export async function changeWording(db: Reader, eventId: number): Promise<{ timeZone: string; speakerName: (id: number) => string } | undefined> {
  const event = await db.selectFrom('events').select('time_zone').where('id', '=', eventId).executeTakeFirst();
  if (!event) return undefined;
  const names = await speakerNames(db, eventId);
  return { timeZone: event.time_zone, speakerName: (id) => names.get(id) ?? 'a deleted speaker' };
}

/** Speakers of the given ids who have an account with an address, for the release mails. */
export async function speakerAddresses(db: Reader, speakerIds: readonly number[]) {
  if (speakerIds.length === 0) return [];
  return db
    .selectFrom('speakers')
    .leftJoin('users', 'users.id', 'speakers.user_id')
    .select(['speakers.id', 'speakers.name', 'users.email', 'users.display_name'])
    .where('speakers.id', 'in', speakerIds)
    .orderBy('speakers.name')
    .execute();
}
