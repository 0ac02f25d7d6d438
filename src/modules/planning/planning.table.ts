import type { Generated, Selectable } from 'kysely';

/* Row types of the schedule editor's own tables (migration 2026-12-08T0200-create-schedule-planning). */

/** An internal blocker: a room (or, with room_id null, every room) unavailable; organizers only, never public. */
export interface ScheduleBlockerTable {
  id: Generated<number>;
  event_id: number;
  room_id: number | null;
  title: Generated<string>;
  /** UTC instants, YYYY-MM-DDTHH:MM:SSZ. */
  starts_at: string;
  ends_at: string;
  created_at: string;
  updated_at: string;
}

/**
 * A window of availability. Whose: the room's (room_id), a speaker profile's without an account
 * (speaker_id), a person's (user_id), or the event's own hours (all null). No window: no restriction.
 */
export interface AvailabilityTable {
  id: Generated<number>;
  event_id: number;
  room_id: number | null;
  speaker_id: number | null;
  user_id: number | null;
  starts_at: string;
  ends_at: string;
}

export type ScheduleBlockerRow = Selectable<ScheduleBlockerTable>;
export type AvailabilityRow = Selectable<AvailabilityTable>;
