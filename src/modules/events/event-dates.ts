import { DateTime } from 'luxon';
import type { Problem } from '../../lib/domain-error.js';
import { fromStoredInstant, parseInstant, programmeDay, toStoredInstant } from '../../lib/time.js';

/** The longest event the back office accepts, as for imported documents. */
export const MAX_EVENT_DAYS = 60;

/** Problems with an event's date range (end before start, too long), at path `endDate`. Pure. */
export function eventDateProblems(startDate: string, endDate: string): Problem[] {
  if (endDate < startDate) return [{ path: 'endDate', message: `is before the start date ${startDate}` }];
  const days = Math.round((Date.parse(endDate) - Date.parse(startDate)) / 86_400_000) + 1;
  if (days > MAX_EVENT_DAYS) return [{ path: 'endDate', message: `an event can last at most ${MAX_EVENT_DAYS} days` }];
  return [];
}

/** The wall-clock reading of a stored instant in a zone, as `yyyy-MM-ddTHH:mm` (what forms show). */
export function localDateTime(instant: string, zone: string): string {
  return fromStoredInstant(instant, zone).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** A stored instant for display in messages and audit lines: `2027-04-15 10:30`. */
export function localLabel(instant: string, zone: string): string {
  return fromStoredInstant(instant, zone).toFormat('yyyy-MM-dd HH:mm');
}

/**
 * The instant showing the same wall-clock time in `toZone` as `instant` shows in `fromZone`
 * (10:30 in UTC → 10:30 in Europe/Brussels), or null when that wall time does not exist there
 * (skipped by a daylight-saving change). Pure.
 */
export function reanchorInstant(instant: string, fromZone: string, toZone: string): string | null {
  const wall = fromStoredInstant(instant, fromZone).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const dt = parseInstant(wall, toZone);
  return dt ? toStoredInstant(dt) : null;
}

/** The programme day (local date) of a stored instant. */
export function programmeDayOf(instant: string, zone: string, dayChange: string): string {
  return programmeDay(fromStoredInstant(instant, zone), zone, dayChange);
}

/** A stored instant plus some minutes, in stored form. */
export function addMinutes(instant: string, minutes: number): string {
  return toStoredInstant(fromStoredInstant(instant, 'UTC').plus({ minutes }));
}

/**
 * The stored-instant range [from, to) of one programme day: from the day change on `day` to the
 * day change on the next day, in the event's zone. Lets a query filter a day with an index.
 */
export function programmeDayRange(day: string, zone: string, dayChange: string): { from: string; to: string } {
  const [h, m] = dayChange.split(':').map(Number);
  const start = DateTime.fromISO(day, { zone }).set({ hour: h ?? 0, minute: m ?? 0 });
  return { from: toStoredInstant(start), to: toStoredInstant(start.plus({ days: 1 })) };
}
