import type { DbOrTrx } from '../events/event-write.queries.js';
import { localDateTime, programmeDayOf, programmeDayRange } from '../events/event-dates.js';
import type { SessionRow } from './program.table.js';
import type { LinkRecord, SessionRecord } from './records.js';
import type { LinkKind, SessionKind, SessionLevel, SessionStatus } from './session.js';

/** What to list: all filters optional and combined with AND. */
export interface SessionFilter {
  readonly ids?: readonly number[];
  /** Programme day (local date, YYYY-MM-DD). */
  readonly day?: string;
  readonly roomId?: number;
  readonly trackId?: number;
  /** Only sessions in these tracks ('all': no restriction); used for track managers' scope. */
  readonly trackIds?: 'all' | readonly number[];
  readonly status?: SessionStatus;
}

/** The event fields a session record needs (zone and day change for local times and days). */
export interface EventClockRow {
  readonly id: number;
  readonly time_zone: string;
  readonly day_change: string;
}

/**
 * An event's sessions as records, in start order (then id), with speakers and links: three
 * queries whatever the number of sessions.
 */
export async function loadSessionRecords(db: DbOrTrx, event: EventClockRow, filter: SessionFilter = {}): Promise<SessionRecord[]> {
  if (filter.ids?.length === 0 || (Array.isArray(filter.trackIds) && filter.trackIds.length === 0)) return [];
  let q = db.selectFrom('sessions').selectAll().where('event_id', '=', event.id);
  if (filter.ids) q = q.where('id', 'in', [...filter.ids]);
  if (filter.roomId !== undefined) q = q.where('room_id', '=', filter.roomId);
  if (filter.trackId !== undefined) q = q.where('track_id', '=', filter.trackId);
  if (filter.trackIds && filter.trackIds !== 'all') q = q.where('track_id', 'in', [...filter.trackIds]);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.day) {
    const { from, to } = programmeDayRange(filter.day, event.time_zone, event.day_change);
    q = q.where('starts_at', '>=', from).where('starts_at', '<', to);
  }
  const rows = await q.orderBy('starts_at').orderBy('id').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const speakers = new Map<number, number[]>();
  const links = new Map<number, LinkRecord[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const [sp, ln] = await Promise.all([
      db
        .selectFrom('session_speakers')
        .select(['session_id', 'speaker_id'])
        .where('session_id', 'in', part)
        .orderBy('session_id')
        .orderBy('position')
        .execute(),
      db
        .selectFrom('session_links')
        .select(['session_id', 'kind', 'title', 'url'])
        .where('session_id', 'in', part)
        .orderBy('session_id')
        .orderBy('position')
        .execute(),
    ]);
    for (const r of sp) speakers.set(r.session_id, [...(speakers.get(r.session_id) ?? []), r.speaker_id]);
    for (const r of ln) links.set(r.session_id, [...(links.get(r.session_id) ?? []), { kind: r.kind as LinkKind, title: r.title, url: r.url }]);
  }
  return rows.map((r) => toSessionRecord(r, event, speakers.get(r.id) ?? [], links.get(r.id) ?? []));
}

/** One session of the event as a record, or undefined (also when it belongs to another event). */
export async function findSessionRecord(db: DbOrTrx, event: EventClockRow, sessionId: number): Promise<SessionRecord | undefined> {
  return (await loadSessionRecords(db, event, { ids: [sessionId] }))[0];
}

export function toSessionRecord(r: SessionRow, event: Omit<EventClockRow, 'id'>, speakerIds: readonly number[], links: readonly LinkRecord[]): SessionRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    code: r.code,
    guid: r.guid,
    kind: r.kind as SessionKind,
    status: r.status as SessionStatus,
    title: r.title,
    subtitle: r.subtitle,
    abstract: r.abstract,
    language: r.language,
    level: r.level as SessionLevel | null,
    trackId: r.track_id,
    roomId: r.room_id,
    sponsorId: r.sponsor_id,
    start: localDateTime(r.starts_at, event.time_zone),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    durationMinutes: r.duration_minutes,
    day: programmeDayOf(r.starts_at, event.time_zone, event.day_change),
    sequence: r.sequence,
    speakerIds,
    links,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
