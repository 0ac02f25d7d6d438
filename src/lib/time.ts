import { DateTime, IANAZone } from 'luxon';

/**
 * Years a date or instant that people or files enter may have: 1970 to 2100. Year 0000 or 9999 is
 * a slip of the keyboard, and such dates break calendar files, sorting and time-zone arithmetic.
 */
export const YEARS = { first: 1970, last: 2100, message: 'must be in the years 1970 to 2100' } as const;

/** True when an ISO date or date-time text (`YYYY-…`) lies in YEARS. */
export function yearInRange(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  return year >= YEARS.first && year <= YEARS.last;
}

/** True when `zone` is an IANA zone name Node's ICU knows (Europe/Brussels, America/New_York, UTC). */
export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The storage form of an instant: UTC, second precision, `YYYY-MM-DDTHH:MM:SSZ`. Sorts as text. */
export function toStoredInstant(dt: DateTime): string {
  return dt.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

export function fromStoredInstant(instant: string, zone: string): DateTime {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone);
}

/**
 * Parses an ISO 8601 date-time. With an offset (`Z`, `+02:00`) it is that instant; without one it is
 * a wall-clock time in `zone`. Returns null when the text is not a date-time or names a local time
 * that does not exist (skipped by a daylight-saving change).
 */
export function parseInstant(text: string, zone: string): DateTime | null {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const dt = DateTime.fromISO(text, { zone: hasOffset ? undefined : zone, setZone: hasOffset });
  if (!dt.isValid) return null;
  if (!hasOffset) {
    // Luxon shifts a non-existent wall time forward; refuse it rather than move a talk silently.
    const round = dt.toFormat("yyyy-MM-dd'T'HH:mm");
    if (!text.startsWith(round)) return null;
  }
  return dt.setZone(zone);
}

/** Minutes after midnight of an `HH:MM` day-change setting. */
export function dayChangeMinutes(dayChange: string): number {
  const [h, m] = dayChange.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * The programme day (local date, YYYY-MM-DD) an instant belongs to: a session at 01:00 with a
 * 04:00 day change belongs to the previous day, as on the printed programme.
 */
export function programmeDay(instant: DateTime, zone: string, dayChange: string): string {
  return instant
    .setZone(zone)
    .minus({ minutes: dayChangeMinutes(dayChange) })
    .toISODate()!;
}

/** Every local date from start to end inclusive. */
export function datesBetween(startDate: string, endDate: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(startDate, { zone: 'utc' });
  const end = DateTime.fromISO(endDate, { zone: 'utc' });
  while (d <= end && out.length < 400) {
    out.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return out;
}

/** Short zone name for display next to times (CEST, EDT; GMT+2 where the locale has no abbreviation). */
export function zoneAbbreviation(dt: DateTime): string {
  return dt.toFormat('ZZZZ');
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Stored instants read as wall-clock time in one zone, fast: the zone's offset is looked up once
 * per quarter hour (every real zone changes offset on a quarter hour), so a day of 500 sessions
 * costs a handful of zone lookups instead of a Luxon DateTime each (the schedule editor's state).
 */
export class WallClock {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();

  constructor(zoneName: string) {
    this.zone = IANAZone.create(zoneName);
  }

  /** `2027-04-15T10:30` for a stored instant. */
  local(stored: string): string {
    const ms = Date.parse(stored);
    const bucket = Math.floor(ms / 900_000);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = this.zone.isValid ? this.zone.offset(ms) : 0;
      this.offsets.set(bucket, offset);
    }
    const d = new Date(ms + offset * 60_000);
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  }

  /** The programme day of a stored instant: its local date, the day before when earlier than the day change. */
  programmeDay(stored: string, dayChange: string): string {
    const local = this.local(stored);
    if (local.slice(11, 16) >= dayChange) return local.slice(0, 10);
    return new Date(Date.parse(`${local.slice(0, 10)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  }
}
