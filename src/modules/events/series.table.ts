import type { Generated, Selectable } from 'kysely';

/** One row per person in a community (a meetup group's member list). */
export interface CommunityMemberTable {
  community_id: number;
  user_id: number;
  joined_at: string;
}

/** A recurring event's template and recurrence rule (see series.ts). */
export interface EventSeriesTable {
  id: Generated<number>;
  community_id: number;
  slug: string;
  name: string;
  /** May hold {n} (occurrence number), {date} (YYYY-MM-DD) and {month} ("March 2027"). */
  title_pattern: string;
  kind: Generated<string>;
  description: Generated<string>;
  venue_name: Generated<string>;
  venue_address: Generated<string>;
  venue_url: string | null;
  capacity: number | null;
  time_zone: string;
  /** Local wall-clock times HH:MM in time_zone. */
  start_time: string;
  end_time: string;
  /** JSON array of AgendaItem (series.ts). */
  agenda: Generated<string>;
  /** 'monthly' | 'weekly'. */
  frequency: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** monthly: 1…5, or -1 for the last. */
  ordinal: number | null;
  /** weekly: every this many weeks. */
  interval_weeks: number | null;
  starts_on: string;
  ends_on: string | null;
  occurrence_count: number | null;
  created_at: string;
  updated_at: string;
}

/** Every date a series has generated, kept after its event is cancelled or deleted. */
export interface SeriesOccurrenceTable {
  id: Generated<number>;
  series_id: number;
  occurrence_date: string;
  event_id: number | null;
  created_at: string;
}

export type EventSeriesRow = Selectable<EventSeriesTable>;
export type SeriesOccurrenceRow = Selectable<SeriesOccurrenceTable>;
