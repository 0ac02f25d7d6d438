import type { Db } from '../../db/database.js';
import { datesBetween } from '../../lib/time.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent, canViewBackOffice, editableTrackIds } from '../accounts/account.policy.js';
import { EventErrors } from '../events/event.errors.js';
import { ensureAllowed, scopeOf } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import {
  toCommunityRecord,
  toEventRecord,
  toHostRecord,
  toSponsorRecord,
  type CommunityRecord,
  type EventRecord,
  type HostRecord,
  type SponsorRecord,
} from '../events/records.js';
import { toSpeakerRecord, type SpeakerRecord } from '../speakers/records.js';
import { toRoomRecord, toTrackRecord, type RoomRecord, type SessionRecord, type TrackRecord } from './records.js';
import { SessionFilterSchema } from './session.schemas.js';
import { loadSessionRecords } from './session.queries.js';

/*
 * Reads for the back office. Unlike the public snapshot they include drafts and cancelled
 * sessions, and they answer only to people who may open the event's back office (organizers
 * and track managers, through an event or community grant, and site administrators).
 */

export interface BackOfficeEventItem extends EventRecord {
  readonly communityName: string;
  readonly communitySlug: string;
  /** True for organizers (edit the event itself); false for track managers. */
  readonly canManage: boolean;
}

/** Events the actor can open in the back office, drafts included, latest start first. Two queries. */
export async function listEventsForActor(db: Db, actor: Actor | null): Promise<BackOfficeEventItem[]> {
  if (!actor) return [];
  const eventIds = actor.grants.filter((g) => g.scope === 'event').map((g) => g.scopeId);
  const communityIds = actor.grants.filter((g) => g.scope === 'community').map((g) => g.scopeId);
  if (!actor.isAdmin && eventIds.length === 0 && communityIds.length === 0) return [];
  let q = db
    .selectFrom('events')
    .innerJoin('communities', 'communities.id', 'events.community_id')
    .selectAll('events')
    .select(['communities.name as community_name', 'communities.slug as community_slug']);
  if (!actor.isAdmin) {
    q = q.where((eb) =>
      eb.or([...(eventIds.length ? [eb('events.id', 'in', eventIds)] : []), ...(communityIds.length ? [eb('events.community_id', 'in', communityIds)] : [])]),
    );
  }
  const rows = await q.orderBy('events.start_date', 'desc').orderBy('events.id', 'desc').execute();
  return rows
    .filter((r) => canViewBackOffice(actor, scopeOf(r)))
    .map((r) => ({ ...toEventRecord(r), communityName: r.community_name, communitySlug: r.community_slug, canManage: canManageEvent(actor, scopeOf(r)) }));
}

export interface EventForEditing {
  readonly community: CommunityRecord;
  readonly event: EventRecord;
  /** Programme days, start to end date. */
  readonly days: readonly string[];
  readonly hosts: readonly HostRecord[];
  readonly rooms: readonly RoomRecord[];
  readonly tracks: readonly TrackRecord[];
  readonly speakers: readonly SpeakerRecord[];
  readonly sponsors: readonly SponsorRecord[];
  /** Every session, cancelled ones included, by start; the whole grid even for track managers. */
  readonly sessions: readonly SessionRecord[];
  readonly permissions: {
    /** Edit the event, rooms, tracks, sponsors, hosts; publish. */
    readonly manageEvent: boolean;
    /** Tracks whose sessions the actor may edit: 'all' for organizers. */
    readonly editableTrackIds: 'all' | readonly number[];
  };
}

/**
 * One event with everything the back office edits, drafts included, in ten queries whatever
 * its size.
 * @throws NOT_FOUND (404), FORBIDDEN (403: not an organizer or track manager of the event).
 */
export async function getEventForEditing(db: Db, actor: Actor | null, eventId: number): Promise<EventForEditing> {
  const e = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!e) throw EventErrors.notFound('event', eventId);
  const scope = scopeOf(e);
  ensureAllowed(canViewBackOffice(actor, scope), 'open this event in the back office');
  const [community, hosts, rooms, tracks, speakers, sponsors, sessions] = await Promise.all([
    db.selectFrom('communities').selectAll().where('id', '=', e.community_id).executeTakeFirstOrThrow(),
    db.selectFrom('event_hosts').selectAll().where('event_id', '=', eventId).orderBy('position').execute(),
    db.selectFrom('rooms').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id').execute(),
    db.selectFrom('tracks').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id').execute(),
    db.selectFrom('speakers').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id').execute(),
    db.selectFrom('sponsors').selectAll().where('event_id', '=', eventId).orderBy('position').orderBy('id').execute(),
    loadSessionRecords(db, e),
  ]);
  return {
    community: toCommunityRecord(community),
    event: toEventRecord(e),
    days: datesBetween(e.start_date, e.end_date),
    hosts: hosts.map(toHostRecord),
    rooms: rooms.map(toRoomRecord),
    tracks: tracks.map(toTrackRecord),
    speakers: speakers.map(toSpeakerRecord),
    sponsors: sponsors.map(toSponsorRecord),
    sessions,
    permissions: { manageEvent: canManageEvent(actor, scope), editableTrackIds: editableTrackIds(actor, scope) },
  };
}

/**
 * The sessions the actor may edit, cancelled ones included, by start: all for organizers, only
 * those in their tracks for track managers. `filter` (form or query-string values) narrows by
 * programme `day`, `roomId`, `trackId` and `status`.
 * @throws VALIDATION_FAILED (422: a filter), NOT_FOUND (404), FORBIDDEN (403).
 */
export async function listSessionsForEditing(db: Db, actor: Actor | null, eventId: number, filter: unknown = {}): Promise<SessionRecord[]> {
  const f = parseInput(SessionFilterSchema, filter);
  const e = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!e) throw EventErrors.notFound('event', eventId);
  const scope = scopeOf(e);
  ensureAllowed(canViewBackOffice(actor, scope), 'open this event in the back office');
  return loadSessionRecords(db, e, { ...f, trackIds: editableTrackIds(actor, scope) });
}
