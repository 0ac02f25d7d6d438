import { DateTime } from 'luxon';
import type { Problem } from '../lib/domain-error.js';
import type { ImportNotes } from './import-notes.js';
import { isValidTimeZone } from '../lib/time.js';
import { ImportErrors } from '../modules/schedule/import.errors.js';
import type { FrabDay, FrabEvent, FrabSchedule } from './frab-model.js';

/**
 * Time rules of the frab import. Real files disagree with themselves (README §5): DebConf gives
 * UTC offsets with an Asia/Kolkata zone, DemoCon says UTC with +01:00 offsets, FOSDEM has no
 * zone and no dates at all, 36c3 lists events outside their day's window. So: an event's `date`
 * with an offset is the instant (it cannot be misread); without one, the day's local date plus
 * `start` in the event's zone; the zone comes from --time-zone, else time_zone_name, else the
 * import stops and asks for it.
 */

/** The event's IANA zone: the option wins over the file; neither is an error naming what to do. */
export function resolveZone(s: FrabSchedule, option: string | undefined): string {
  if (option) {
    if (!isValidTimeZone(option)) throw ImportErrors.timeZoneUnknown(option, '--time-zone');
    return option;
  }
  const named = s.conference.timeZoneName;
  if (named) {
    if (!isValidTimeZone(named)) throw ImportErrors.timeZoneUnknown(named, 'conference/time_zone_name');
    return named;
  }
  const offsets = new Set<string>();
  for (const d of s.days)
    for (const r of d.rooms)
      for (const e of r.events) {
        const m = e.date && /(Z|[+-]\d{2}:?\d{2})$/.exec(e.date);
        if (m) offsets.add(m[1] === 'Z' ? '+00:00' : m[1]!);
      }
  throw ImportErrors.timeZoneMissing([...offsets].sort());
}

/** HH:MM (optionally :SS) as minutes after midnight, or undefined when not such a time. */
export function clockMinutes(text: string | undefined): number | undefined {
  const m = text ? /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/.exec(text) : null;
  if (!m || Number(m[1]) > 23) return undefined;
  return Number(m[1]) * 60 + Number(m[2]);
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** H:MM, HH:MM or HH:MM:SS (seconds rounded) as minutes; undefined when not a duration. */
export function durationMinutes(text: string): number | undefined {
  const m = /^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 60 + Number(m[2]) + (Number(m[3] ?? 0) >= 30 ? 1 : 0);
}

/** A day's local date: its start instant seen in the zone (DebConf labels days by UTC date), else its `date`. */
export function dayLocalDate(day: FrabDay, zone: string): string | undefined {
  if (day.start) {
    const dt = DateTime.fromISO(day.start, { setZone: true });
    if (dt.isValid && /(Z|[+-]\d{2}:?\d{2})$/.test(day.start)) return dt.setZone(zone).toISODate()!;
  }
  return day.date && DateTime.fromISO(day.date).isValid ? day.date.slice(0, 10) : undefined;
}

/** The local time of the first day's start, used as the preferred day change. */
export function dayStartClock(days: readonly FrabDay[], zone: string): number | undefined {
  for (const d of days) {
    if (!d.start) continue;
    const dt = DateTime.fromISO(d.start, { setZone: true });
    if (dt.isValid) {
      const local = dt.setZone(zone);
      return local.hour * 60 + local.minute;
    }
  }
  return undefined;
}

export interface EventStart {
  readonly start: DateTime;
  /** True when the instant came from `date` with an offset that differs from the zone's. */
  readonly offsetMismatch: boolean;
}

/**
 * An event's start in `zone`, or a problem naming the event. `preferredChange` decides which
 * calendar date an offset-less `start` before it falls on (the day after the programme day).
 */
export function eventStart(e: FrabEvent, dayDate: string | undefined, zone: string, preferredChange: number): EventStart | Problem {
  if (e.date && /T\d/.test(e.date)) {
    const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(e.date);
    const dt = DateTime.fromISO(e.date, hasOffset ? { setZone: true } : { zone });
    if (!dt.isValid) return { path: `${e.path}/date`, message: `"${e.date}" is not a date-time like 2026-05-12T09:30:00+02:00` };
    const local = dt.setZone(zone);
    return { start: local, offsetMismatch: hasOffset && dt.offset !== local.offset };
  }
  if (!e.start) return { path: e.path, message: `${label(e)} has no start (neither <date> nor <start>)` };
  const clock = clockMinutes(e.start);
  if (clock === undefined) return { path: `${e.path}/start`, message: `"${e.start}" is not a time like 09:30` };
  const date = e.date && /^\d{4}-\d{2}-\d{2}$/.test(e.date) ? e.date : dayDate;
  if (!date) return { path: e.path, message: `${label(e)} has a start time but neither it nor its day has a date` };
  let local = DateTime.fromISO(date, { zone }).set({ hour: Math.floor(clock / 60), minute: clock % 60 });
  if (!e.date && clock < preferredChange) local = local.plus({ days: 1 });
  if (!local.isValid) return { path: `${e.path}/start`, message: `${date} ${e.start} is not a time that exists in ${zone}` };
  return { start: local, offsetMismatch: false };
}

export function label(e: FrabEvent): string {
  return `event${e.id ? ` ${e.id}` : ''}${e.title ? ` "${e.title.slice(0, 60)}"` : ''}`;
}

/**
 * The day change (HH:MM) that keeps every event on the day the file lists it under: later than
 * every after-midnight start, no later than every same-day start. The preferred value is used
 * when it fits; otherwise the nearest value that does; if none does (the file contradicts
 * itself), the preferred value and a count of sessions that move to the neighbouring day.
 */
export function chooseDayChange(
  placed: ReadonlyArray<{ dayDate: string | undefined; start: DateTime }>,
  preferred: number,
): { minutes: number; misplaced: number } {
  let lower = -1; // the day change must be later than this
  let upper = 24 * 60 - 1; // and no later than this
  const fits: Array<(dc: number) => boolean> = [];
  for (const { dayDate, start } of placed) {
    if (!dayDate) continue;
    const date = start.toISODate()!;
    const clock = start.hour * 60 + start.minute;
    if (date === dayDate) {
      upper = Math.min(upper, clock);
      fits.push((dc) => dc <= clock);
    } else if (date === DateTime.fromISO(dayDate).plus({ days: 1 }).toISODate()) {
      lower = Math.max(lower, clock);
      fits.push((dc) => dc > clock);
    }
  }
  if (lower < upper) return { minutes: Math.min(Math.max(preferred, lower + 1), upper), misplaced: 0 };
  return { minutes: preferred, misplaced: fits.filter((f) => !f(preferred)).length };
}

/** An event's length in minutes from <duration> (or <end>), or a problem; 00:00 becomes 1 minute. */
export function eventMinutes(e: FrabEvent, start: DateTime, problems: Problem[], notes: ImportNotes): number | undefined {
  let minutes: number | undefined;
  if (e.duration) {
    minutes = durationMinutes(e.duration);
    if (minutes === undefined) {
      problems.push({ path: `${e.path}/duration`, message: `"${e.duration}" is not a duration like 00:30` });
      return undefined;
    }
  } else if (e.end) {
    const end = Date.parse(e.end);
    if (Number.isFinite(end)) minutes = Math.round((end - start.toMillis()) / 60_000);
  }
  if (minutes === undefined) {
    problems.push({ path: e.path, message: `${label(e)} has no duration (neither <duration> nor <end>)` });
    return undefined;
  }
  if (minutes > 24 * 60 || minutes < 0) {
    problems.push({ path: `${e.path}/duration`, message: `${label(e)} lasts ${e.duration ?? `until ${e.end}`}, more than a day` });
    return undefined;
  }
  if (minutes === 0) {
    // Hallway needs a length; one minute keeps the event at its time without inventing a length.
    notes.note('zero', e.path, (n) => `events with a duration of 00:00: ${n} (e.g. ${label(e)}); imported as 1 minute long`);
    return 1;
  }
  return minutes;
}
