import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canManageSeries } from '../accounts/account.policy.js';
import { EventErrors } from './event.errors.js';
import { ensureAllowed, type DbOrTrx } from './event-write.queries.js';
import type { EventSeriesRow } from './series.table.js';
import { ordinalName, weekdayName, type AgendaItem, type Recurrence, type SeriesClock } from './series.js';

/*
 * Back-office reads of event series: a community's series, one series with its occurrences.
 * Records carry the input schema's field names, so a form is filled from a record directly.
 */

export interface SeriesRecord {
  readonly id: number;
  readonly communityId: number;
  readonly name: string;
  readonly slug: string;
  readonly titlePattern: string;
  readonly kind: string;
  readonly description: string;
  readonly venueName: string;
  readonly venueAddress: string;
  readonly venueUrl: string | null;
  readonly capacity: number | null;
  readonly timeZone: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly agenda: readonly AgendaItem[];
  readonly frequency: 'monthly' | 'weekly';
  readonly weekday: string;
  readonly ordinal: string | null;
  readonly intervalWeeks: number;
  readonly startsOn: string;
  readonly endsOn: string | null;
  readonly count: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toSeriesRecord(r: EventSeriesRow): SeriesRecord {
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    slug: r.slug,
    titlePattern: r.title_pattern,
    kind: r.kind,
    description: r.description,
    venueName: r.venue_name,
    venueAddress: r.venue_address,
    venueUrl: r.venue_url,
    capacity: r.capacity,
    timeZone: r.time_zone,
    startTime: r.start_time,
    endTime: r.end_time,
    agenda: JSON.parse(r.agenda) as AgendaItem[],
    frequency: r.frequency === 'weekly' ? 'weekly' : 'monthly',
    weekday: weekdayName(r.weekday),
    ordinal: r.ordinal === null ? null : ordinalName(r.ordinal),
    intervalWeeks: r.interval_weeks ?? 1,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    count: r.occurrence_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The stored rule and clock of a series, for series.ts. */
export function ruleOf(r: EventSeriesRow): Recurrence {
  return r.frequency === 'weekly'
    ? { frequency: 'weekly', weekday: r.weekday, intervalWeeks: r.interval_weeks ?? 1, startsOn: r.starts_on, endsOn: r.ends_on, count: r.occurrence_count }
    : { frequency: 'monthly', weekday: r.weekday, ordinal: r.ordinal ?? 1, startsOn: r.starts_on, endsOn: r.ends_on, count: r.occurrence_count };
}

export function clockOf(r: EventSeriesRow): SeriesClock {
  return { timeZone: r.time_zone, startTime: r.start_time, endTime: r.end_time, titlePattern: r.title_pattern, agenda: JSON.parse(r.agenda) as AgendaItem[] };
}

/** A series row, or NOT_FOUND (404). */
export async function findSeriesRow(db: DbOrTrx, seriesId: number): Promise<EventSeriesRow> {
  const row = await db.selectFrom('event_series').selectAll().where('id', '=', seriesId).executeTakeFirst();
  if (!row) throw EventErrors.notFound('series', seriesId);
  return row;
}

/**
 * A community's series, by name, for its organizers.
 * @throws NOT_FOUND (404: community), FORBIDDEN (403).
 */
export async function listSeries(
  db: Db,
  actor: Actor | null,
  communityId: number,
): Promise<{ community: { id: number; name: string; slug: string }; series: SeriesRecord[] }> {
  const community = await db.selectFrom('communities').select(['id', 'name', 'slug']).where('id', '=', communityId).executeTakeFirst();
  if (!community) throw EventErrors.notFound('community', communityId);
  ensureAllowed(canManageSeries(actor, communityId), 'manage the series of this community');
  const rows = await db.selectFrom('event_series').selectAll().where('community_id', '=', communityId).orderBy('name').orderBy('id').execute();
  return { community, series: rows.map(toSeriesRecord) };
}

export interface OccurrenceListItem {
  readonly date: string;
  /** null once the event was deleted (the date is not generated again). */
  readonly eventId: number | null;
  readonly slug: string | null;
  readonly title: string | null;
  readonly published: boolean;
  readonly cancelled: boolean;
}

/**
 * One series with every date it has generated, in date order. Two queries.
 * @throws NOT_FOUND (404), FORBIDDEN (403).
 */
export async function getSeries(
  db: Db,
  actor: Actor | null,
  seriesId: number,
): Promise<{ series: SeriesRecord; community: { id: number; name: string; slug: string }; occurrences: OccurrenceListItem[] }> {
  const row = await findSeriesRow(db, seriesId);
  ensureAllowed(canManageSeries(actor, row.community_id), 'manage this series');
  const [community, occ] = await Promise.all([
    db.selectFrom('communities').select(['id', 'name', 'slug']).where('id', '=', row.community_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('series_occurrences')
      .leftJoin('events', 'events.id', 'series_occurrences.event_id')
      .select(['series_occurrences.occurrence_date', 'series_occurrences.event_id', 'events.slug', 'events.title', 'events.published', 'events.cancelled_at'])
      .where('series_occurrences.series_id', '=', seriesId)
      .orderBy('series_occurrences.occurrence_date')
      .execute(),
  ]);
  return {
    series: toSeriesRecord(row),
    community,
    occurrences: occ.map((o) => ({
      date: o.occurrence_date,
      eventId: o.event_id,
      slug: o.slug ?? null,
      title: o.title ?? null,
      published: o.published === 1,
      cancelled: o.cancelled_at !== null && o.cancelled_at !== undefined,
    })),
  };
}
