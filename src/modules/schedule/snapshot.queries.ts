import { compiledOnce } from '../../db/compiled-query.js';
import type { Db } from '../../db/database.js';
import type { EventRow } from '../events/event.table.js';
import { datesBetween, fromStoredInstant, programmeDay } from '../../lib/time.js';
import type { EventKind, HostRole, SponsorLevel } from '../events/event.js';
import type { LinkKind, SessionKind, SessionLevel, SessionStatus } from '../program/session.js';
import { parseHandles } from '../speakers/speaker.js';
import type { EventInfo, ProgramSnapshot, Room, Session, SessionLink, Speaker, Sponsor, Track } from './snapshot.js';

/** The cheap per-request read: enough to find an event and decide whether a cached answer is fresh. */
export interface EventHead {
  readonly id: number;
  readonly slug: string;
  /** The public version (events.public_version): draft-only edits of a released programme leave it. */
  readonly version: number;
  readonly published: boolean;
  /** When the public last saw a change. */
  readonly updatedAt: string;
}

export async function findEventHead(db: Db, slug: string): Promise<EventHead | undefined> {
  const [row] = await readEventHead(db, [slug]);
  return row && { id: row.id, slug: row.slug, version: row.public_version, published: row.published === 1, updatedAt: row.public_updated_at ?? row.updated_at };
}

/** Every request for an event's page or API reads its head: compiled once. */
const readEventHead = compiledOnce<[slug: string], Pick<EventRow, 'id' | 'slug' | 'public_version' | 'published' | 'public_updated_at' | 'updated_at'>>(
  1,
  (db, m) => db.selectFrom('events').select(['id', 'slug', 'public_version', 'published', 'public_updated_at', 'updated_at']).where('slug', '=', m[0]!),
);

/**
 * Reads one event's whole public programme in seven indexed queries (no N+1: speakers and links
 * are read for the event at once and joined in memory).
 */
export async function loadProgramSnapshot(db: Db, eventId: number): Promise<ProgramSnapshot | undefined> {
  const e = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!e) return undefined;
  const release = await db
    .selectFrom('schedule_releases')
    .select(['id', 'name'])
    .where('event_id', '=', eventId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  const [community, hosts, roomRows, trackRows, speakerRows, sponsorRows, draftRows, speakerLinks, linkRows, releasedRows] = await Promise.all([
    db.selectFrom('communities').selectAll().where('id', '=', e.community_id).executeTakeFirstOrThrow(),
    db.selectFrom('event_hosts').selectAll().where('event_id', '=', eventId).orderBy('position').execute(),
    db.selectFrom('rooms').selectAll().where('event_id', '=', eventId).orderBy('position').execute(),
    db.selectFrom('tracks').selectAll().where('event_id', '=', eventId).orderBy('position').execute(),
    db.selectFrom('speakers').selectAll().where('event_id', '=', eventId).orderBy('position').execute(),
    db.selectFrom('sponsors').selectAll().where('event_id', '=', eventId).orderBy('position').execute(),
    db.selectFrom('sessions').selectAll().where('event_id', '=', eventId).orderBy('starts_at').orderBy('id').execute(),
    db
      .selectFrom('session_speakers')
      .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
      .select(['session_speakers.session_id', 'session_speakers.speaker_id'])
      .where('sessions.event_id', '=', eventId)
      .orderBy('session_speakers.session_id')
      .orderBy('session_speakers.position')
      .execute(),
    db
      .selectFrom('session_links')
      .innerJoin('sessions', 'sessions.id', 'session_links.session_id')
      .select(['session_links.session_id', 'session_links.kind', 'session_links.title', 'session_links.url'])
      .where('sessions.event_id', '=', eventId)
      .orderBy('session_links.session_id')
      .orderBy('session_links.position')
      .execute(),
    release ? db.selectFrom('release_sessions').selectAll().where('release_id', '=', release.id).execute() : Promise.resolve([]),
  ]);
  // Public readers see the latest release: its sessions at their released place, status and
  // speakers, with today's titles and texts. Before the first release (an event not yet public,
  // seen in the back office) they see the placed draft.
  const released = new Map(releasedRows.map((r) => [r.session_id, r]));
  const sessionRows = release
    ? draftRows.flatMap((s) => {
        const r = released.get(s.id);
        return r ? [{ ...s, room_id: r.room_id, starts_at: r.starts_at, ends_at: r.ends_at, status: r.status }] : [];
      })
    : draftRows.filter((s) => s.placed === 1);
  const releasedSpeakers = new Map(releasedRows.map((r) => [r.session_id, JSON.parse(r.speaker_ids) as number[]]));

  const event: EventInfo = {
    id: e.id,
    communityId: e.community_id,
    slug: e.slug,
    kind: e.kind as EventKind,
    title: e.title,
    acronym: e.acronym,
    timeZone: e.time_zone,
    startDate: e.start_date,
    endDate: e.end_date,
    dayChange: e.day_change,
    venue: { name: e.venue_name, address: e.venue_address, url: e.venue_url },
    description: e.description,
    codeOfConductUrl: e.code_of_conduct_url,
    url: e.url,
    capacity: e.capacity,
    published: e.published === 1,
    cancelledAt: e.cancelled_at,
    cancellationReason: e.cancellation_reason,
    showInterestCounts: e.show_interest_counts === 1,
    version: e.public_version,
    release: release?.name ?? null,
    updatedAt: e.public_updated_at ?? e.updated_at,
    hosts: hosts.map((h) => ({ name: h.name, role: h.role as HostRole, url: h.url })),
  };
  const rooms: Room[] = roomRows.map((r) => ({ id: r.id, name: r.name, description: r.description, capacity: r.capacity, position: r.position }));
  const tracks: Track[] = trackRows.map((t) => ({ id: t.id, name: t.name, slug: t.slug, color: t.color, description: t.description }));
  const speakers: Speaker[] = speakerRows.map((s) => ({
    id: s.id,
    code: s.code,
    name: s.name,
    jobTitle: s.job_title,
    company: s.company,
    bio: s.bio,
    avatarUrl: s.avatar_url,
    handles: parseHandles(s.handles),
  }));
  const sponsors: Sponsor[] = sponsorRows.map((s) => ({
    id: s.id,
    name: s.name,
    level: s.level as SponsorLevel,
    url: s.url,
    logoUrl: s.logo_url,
    contribution: s.contribution,
  }));

  const speakerIdsBySession = groupBy(
    speakerLinks,
    (r) => r.session_id,
    (r) => r.speaker_id,
  );
  const linksBySession = groupBy(
    linkRows,
    (r) => r.session_id,
    (r): SessionLink => ({ kind: r.kind as LinkKind, title: r.title, url: r.url }),
  );
  const roomPosition = new Map(rooms.map((r) => [r.id, r.position]));
  const sessions: Session[] = sessionRows
    .map((s) => ({
      id: s.id,
      code: s.code,
      guid: s.guid,
      kind: s.kind as SessionKind,
      status: s.status as SessionStatus,
      title: s.title,
      subtitle: s.subtitle,
      abstract: s.abstract,
      language: s.language,
      level: s.level as SessionLevel | null,
      trackId: s.track_id,
      roomId: s.room_id,
      sponsorId: s.sponsor_id,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      durationMinutes: release ? Math.round((Date.parse(s.ends_at) - Date.parse(s.starts_at)) / 60_000) : s.duration_minutes,
      sequence: s.sequence,
      updatedAt: s.updated_at,
      day: programmeDay(fromStoredInstant(s.starts_at, event.timeZone), event.timeZone, event.dayChange),
      speakerIds: (release ? releasedSpeakers.get(s.id) : speakerIdsBySession.get(s.id)) ?? [],
      links: linksBySession.get(s.id) ?? [],
    }))
    .sort((a, b) =>
      a.startsAt === b.startsAt ? (roomPosition.get(a.roomId ?? -1) ?? -1) - (roomPosition.get(b.roomId ?? -1) ?? -1) : a.startsAt < b.startsAt ? -1 : 1,
    );

  return buildSnapshot(
    { id: community.id, slug: community.slug, name: community.name, description: community.description, url: community.url },
    event,
    rooms,
    tracks,
    speakers,
    sessions,
    sponsors,
  );
}

function buildSnapshot(
  community: ProgramSnapshot['community'],
  event: EventInfo,
  rooms: Room[],
  tracks: Track[],
  speakers: Speaker[],
  sessions: Session[],
  sponsors: Sponsor[],
): ProgramSnapshot {
  const sessionsBySpeaker = new Map<number, Session[]>();
  const sessionsByDay = new Map<string, Session[]>();
  const days = datesBetween(event.startDate, event.endDate);
  for (const d of days) sessionsByDay.set(d, []);
  for (const s of sessions) {
    for (const id of s.speakerIds) push(sessionsBySpeaker, id, s);
    push(sessionsByDay, s.day, s);
  }
  return {
    community,
    event,
    rooms,
    tracks,
    speakers,
    sessions,
    sponsors,
    days,
    roomById: new Map(rooms.map((r) => [r.id, r])),
    trackById: new Map(tracks.map((t) => [t.id, t])),
    speakerById: new Map(speakers.map((s) => [s.id, s])),
    speakerByCode: new Map(speakers.map((s) => [s.code, s])),
    sessionByCode: new Map(sessions.map((s) => [s.code, s])),
    sponsorById: new Map(sponsors.map((s) => [s.id, s])),
    sessionsBySpeaker,
    sessionsByDay,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function groupBy<T, V>(rows: readonly T[], key: (r: T) => number, value: (r: T) => V): Map<number, V[]> {
  const out = new Map<number, V[]>();
  for (const r of rows) push(out, key(r), value(r));
  return out;
}

/** Published events of a community, soonest first (cancelled ones flagged), for the home page and the API. */
export async function listEvents(db: Db, options: { includeUnpublished?: boolean } = {}) {
  let q = db
    .selectFrom('events')
    .innerJoin('communities', 'communities.id', 'events.community_id')
    .select([
      'events.id',
      'events.slug',
      'events.kind',
      'events.title',
      'events.acronym',
      'events.time_zone as timeZone',
      'events.start_date as startDate',
      'events.end_date as endDate',
      'events.venue_name as venueName',
      'events.cancelled_at as cancelledAt',
      'events.public_version as version',
      (eb) => eb.fn.coalesce('events.public_updated_at', 'events.updated_at').as('updatedAt'),
      'communities.slug as communitySlug',
      'communities.name as communityName',
    ])
    .orderBy('events.start_date')
    .orderBy('events.id');
  if (!options.includeUnpublished) q = q.where('events.published', '=', 1);
  return (await q.execute()).map(({ cancelledAt, ...e }) => ({ ...e, cancelled: cancelledAt !== null }));
}
export type EventListItem = Awaited<ReturnType<typeof listEvents>>[number];

export async function listCommunities(db: Db) {
  return db.selectFrom('communities').selectAll().orderBy('name').execute();
}
