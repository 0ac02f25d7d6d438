import { DateTime, IANAZone } from 'luxon';
import { programmeDay } from '../../lib/time.js';

/**
 * Date and time wording of the public pages. Everything is shown in the event's own zone and
 * says so; the fast path (LocalClock) keeps the schedule grid of a 900-session event cheap.
 */

const LOCALE = 'en-GB';

/** A stored instant `YYYY-MM-DDTHH:MM:SSZ` as epoch milliseconds, without a date library. */
export function instantMs(stored: string): number {
  const ms = Date.UTC(
    +stored.slice(0, 4),
    +stored.slice(5, 7) - 1,
    +stored.slice(8, 10),
    +stored.slice(11, 13),
    +stored.slice(14, 16),
    +stored.slice(17, 19) || 0,
  );
  return Number.isNaN(ms) ? Date.parse(stored) : ms;
}

export interface LocalTime {
  /** Epoch milliseconds of the instant. */
  readonly ms: number;
  /** Zone offset in minutes at that instant. */
  readonly offset: number;
  /** Local wall-clock date YYYY-MM-DD. */
  readonly date: string;
  /** Local wall-clock time HH:MM. */
  readonly hhmm: string;
  /** HTML `datetime` value with the offset, e.g. 2027-04-15T09:15+02:00. */
  readonly datetime: string;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function offsetText(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * Converts stored UTC instants to wall-clock time in one zone. Zone offsets are looked up once per
 * quarter hour (every real zone changes offset on a quarter hour), so a whole day of sessions
 * costs a handful of Intl calls instead of one per session.
 */
export class LocalClock {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();

  constructor(readonly zoneName: string) {
    this.zone = IANAZone.create(zoneName);
  }

  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / 900_000);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = this.zone.isValid ? this.zone.offset(ms) : 0;
      this.offsets.set(bucket, off);
    }
    return off;
  }

  at(stored: string): LocalTime {
    const ms = instantMs(stored);
    const offset = this.offsetAt(ms);
    const d = new Date(ms + offset * 60_000);
    const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    const hhmm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
    return { ms, offset, date, hhmm, datetime: `${date}T${hhmm}${offsetText(offset)}` };
  }

  /** Minutes from local midnight of `day` (YYYY-MM-DD) to the instant; over 1440 after midnight. */
  minutesFrom(day: string, t: LocalTime): number {
    const midnight = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
    return Math.round((t.ms + t.offset * 60_000 - midnight) / 60_000);
  }

  /** The zone's short name at an instant: CEST, EDT, BST; GMT+9 where none is in common use. */
  abbreviation(ms: number): string {
    return zoneAbbreviation(this.zoneName, ms);
  }
}

const abbreviations = new Map<string, string>();

/** Short zone name, preferring a real abbreviation (en-US knows EDT, en-GB knows CEST/BST). */
export function zoneAbbreviation(zone: string, ms: number): string {
  let offset = 0;
  try {
    offset = IANAZone.create(zone).offset(ms);
  } catch {
    /* invalid zone: shown as UTC offset 0 */
  }
  const key = `${zone}|${offset}`;
  const hit = abbreviations.get(key);
  if (hit) return hit;
  let best = '';
  for (const locale of ['en-US', 'en-GB']) {
    try {
      const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short', hour: 'numeric' })
        .formatToParts(new Date(ms))
        .find((p) => p.type === 'timeZoneName')?.value;
      if (part && !best) best = part;
      if (part && !/^(GMT|UTC)[+-]/.test(part)) {
        best = part;
        break;
      }
    } catch {
      break;
    }
  }
  best ||= `UTC${offsetText(offset)}`;
  if (abbreviations.size > 1000) abbreviations.clear();
  abbreviations.set(key, best);
  return best;
}

const day = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).setLocale(LOCALE);

/** "Thu 15 – Fri 16 April 2027", "Fri 30 April – Sat 1 May 2027", "Tue 16 February 2027". */
export function formatDateRange(startDate: string, endDate: string): string {
  const a = day(startDate);
  const b = day(endDate);
  if (startDate === endDate || !b.isValid || b < a) return a.toFormat('ccc d LLLL yyyy');
  if (a.year !== b.year) return `${a.toFormat('ccc d LLLL yyyy')} – ${b.toFormat('ccc d LLLL yyyy')}`;
  if (a.month !== b.month) return `${a.toFormat('ccc d LLLL')} – ${b.toFormat('ccc d LLLL yyyy')}`;
  return `${a.toFormat('ccc d')} – ${b.toFormat('ccc d LLLL yyyy')}`;
}

/** "Thursday 15 April 2027". */
export function formatDayLong(date: string): string {
  return day(date).toFormat('cccc d LLLL yyyy');
}

/** "Thu 15 Apr", for the day switcher. */
export function formatDayShort(date: string): string {
  return day(date).toFormat('ccc d LLL');
}

/** "Thu 15 April 2027". */
export function formatDayMedium(date: string): string {
  return day(date).toFormat('ccc d LLLL yyyy');
}

/**
 * A session's time with its zone named: "Thu 15 April 2027, 09:15–10:00 CEST (Europe/Amsterdam)",
 * or both dates when it runs past midnight.
 */
export function formatSessionWhen(clock: LocalClock, startsAt: string, endsAt: string): string {
  const s = clock.at(startsAt);
  const e = clock.at(endsAt);
  const zone = `${clock.abbreviation(s.ms)} (${clock.zoneName})`;
  if (s.date === e.date) return `${formatDayMedium(s.date)}, ${s.hhmm}–${e.hhmm} ${zone}`;
  return `${formatDayMedium(s.date)}, ${s.hhmm} – ${formatDayMedium(e.date)}, ${e.hhmm} ${zone}`;
}

/** "Europe/Amsterdam (CEST)": the zone and its abbreviation on a given date. */
export function zoneCaption(zone: string, date: string): string {
  const noon = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), 12);
  return Number.isNaN(noon) ? zone : `${zone} (${zoneAbbreviation(zone, noon)})`;
}

/** The date (YYYY-MM-DD) of instant `at` in a zone (UTC when the zone is unknown). */
export function todayIn(zone: string, at: Date): string {
  const now = DateTime.fromJSDate(at);
  const d = now.setZone(zone);
  return (d.isValid ? d : now.toUTC()).toISODate()!;
}

/** The programme day of instant `at` in the event's zone (respects the day-change hour). */
export function programmeToday(zone: string, dayChange: string, at: Date): string {
  const now = DateTime.fromJSDate(at);
  const d = now.setZone(zone);
  return d.isValid ? programmeDay(d, zone, dayChange) : now.toUTC().toISODate()!;
}
