import { DateTime } from 'luxon';
import type { Problem } from '../../lib/domain-error.js';
import { parseInstant, programmeDay, toStoredInstant } from '../../lib/time.js';

/** The event fields that place a session in time. */
export interface EventClock {
  readonly time_zone: string;
  readonly day_change: string;
  readonly start_date: string;
  readonly end_date: string;
}

export type Timing = { ok: true; startsAt: string; endsAt: string } | { ok: false; problem: Problem; outsideDates: boolean };

/**
 * Reads a session's local start (`2027-04-15T10:30`, in the event's zone) and duration into
 * stored UTC instants, refusing a wall time a daylight-saving change skips and a start outside
 * the event's programme days. Pure; problems are at path `start`.
 */
export function planTiming(event: EventClock, start: string, durationMinutes: number): Timing {
  const zone = event.time_zone;
  const dt = parseInstant(start, zone);
  if (!dt) {
    const loose = DateTime.fromISO(start, { zone });
    const message = loose.isValid
      ? `${start.replace('T', ' ')} does not exist in ${zone}: the clocks skip that hour for daylight saving`
      : `"${start}" is not a date and time like 2027-04-15T10:30`;
    return { ok: false, problem: { path: 'start', message }, outsideDates: false };
  }
  const day = programmeDay(dt, zone, event.day_change);
  if (day < event.start_date || day > event.end_date) {
    const range = event.start_date === event.end_date ? `on ${event.start_date}` : `from ${event.start_date} to ${event.end_date}`;
    return {
      ok: false,
      problem: { path: 'start', message: `${dt.toFormat('yyyy-MM-dd HH:mm')} is on programme day ${day}; the event runs ${range}` },
      outsideDates: true,
    };
  }
  return { ok: true, startsAt: toStoredInstant(dt), endsAt: toStoredInstant(dt.plus({ minutes: durationMinutes })) };
}
