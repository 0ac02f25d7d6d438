import { DateTime } from 'luxon';
import type { Problem } from '../../lib/domain-error.js';
import { parseInstant, toStoredInstant } from '../../lib/time.js';

/*
 * Pure rules of event series: the recurrence ("the second Tuesday of each month", "the last
 * Thursday", "every 4 weeks on Wednesday from 2027-01-06"), the occurrence dates it makes, and
 * each occurrence's instants. Dates are local calendar dates of the series' zone; times are
 * local wall-clock times, so 18:00 stays 18:00 across daylight-saving changes (its UTC instant
 * moves by the offset change instead). No I/O.
 */

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'last'] as const;
export type Ordinal = (typeof ORDINALS)[number];
export const FREQUENCIES = ['monthly', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** The most occurrences one series may make (a larger rule is refused, not truncated). */
export const MAX_OCCURRENCES = 60;

/** ISO weekday number (1 = Monday … 7 = Sunday) of a weekday name. */
export const weekdayNumber = (w: Weekday): number => WEEKDAYS.indexOf(w) + 1;
export const weekdayName = (n: number): Weekday => WEEKDAYS[n - 1] ?? 'monday';
/** 1…5 for first…fifth, -1 for last. */
export const ordinalNumber = (o: Ordinal): number => (o === 'last' ? -1 : ORDINALS.indexOf(o) + 1);
export const ordinalName = (n: number): Ordinal => (n === -1 ? 'last' : (ORDINALS[n - 1] ?? 'first'));

export type Recurrence =
  | {
      readonly frequency: 'monthly';
      readonly weekday: number;
      readonly ordinal: number;
      readonly startsOn: string;
      readonly endsOn: string | null;
      readonly count: number | null;
    }
  | {
      readonly frequency: 'weekly';
      readonly weekday: number;
      readonly intervalWeeks: number;
      readonly startsOn: string;
      readonly endsOn: string | null;
      readonly count: number | null;
    };

/** One programme item of the template, placed relative to the occurrence's start time. */
export interface AgendaItem {
  readonly kind: string;
  readonly title: string;
  readonly offsetMinutes: number;
  readonly durationMinutes: number;
}

/** What every occurrence shares in time. */
export interface SeriesClock {
  readonly timeZone: string;
  /** HH:MM local. */
  readonly startTime: string;
  /** HH:MM local; at or before startTime means the next day. */
  readonly endTime: string;
  readonly titlePattern: string;
  readonly agenda: readonly AgendaItem[];
}

export interface PlannedSession {
  readonly kind: string;
  readonly title: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly durationMinutes: number;
}

/** One occurrence, ready to become an event: its local dates and UTC instants. */
export interface PlannedOccurrence {
  /** 1-based position in the rule's sequence from its start date. */
  readonly n: number;
  readonly date: string;
  readonly title: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly startsAt: string;
  readonly endsAt: string;
  /** The programme-day boundary the event gets: 04:00, or 00:00 for a start before 04:00. */
  readonly dayChange: string;
  readonly sessions: readonly PlannedSession[];
}

const utcDate = (d: string) => DateTime.fromISO(d, { zone: 'utc' });
const isoDate = (dt: DateTime) => dt.toISODate()!;

/**
 * The date of the `ordinal`th `weekday` (ISO number) of a month, or null when the month has no
 * such day (a fifth Tuesday in most months). `ordinal` -1 is the last one.
 */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, ordinal: number): string | null {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: 'utc' });
  if (ordinal === -1) {
    const last = first.endOf('month').startOf('day');
    return isoDate(last.minus({ days: (last.weekday - weekday + 7) % 7 }));
  }
  const day = first.plus({ days: ((weekday - first.weekday + 7) % 7) + 7 * (ordinal - 1) });
  return day.month === month ? isoDate(day) : null;
}

/**
 * The rule's dates from its start date on, in order, until its end date or count, and never
 * more than `limit` (so a caller can ask for MAX_OCCURRENCES + 1 to detect a rule that makes
 * too many). A rule with neither an end date nor a count stops at `limit`.
 */
export function occurrenceDates(rule: Recurrence, limit = MAX_OCCURRENCES + 1): string[] {
  const max = Math.min(limit, rule.count ?? Number.POSITIVE_INFINITY);
  const out: string[] = [];
  const within = (d: string) => d >= rule.startsOn && (rule.endsOn === null || d <= rule.endsOn);
  const start = utcDate(rule.startsOn);
  if (!start.isValid || max <= 0) return out;
  if (rule.frequency === 'monthly') {
    let month = start.startOf('month');
    // 50 years of months bounds a rule that rarely matches (a fifth weekday with a count).
    for (let i = 0; i < 600 && out.length < max; i++, month = month.plus({ months: 1 })) {
      const d = nthWeekdayOfMonth(month.year, month.month, rule.weekday, rule.ordinal);
      if (d === null || d < rule.startsOn) continue;
      if (!within(d)) break;
      out.push(d);
    }
    return out;
  }
  let day = start.plus({ days: (rule.weekday - start.weekday + 7) % 7 });
  while (out.length < max) {
    const d = isoDate(day);
    if (!within(d)) break;
    out.push(d);
    day = day.plus({ weeks: Math.max(1, rule.intervalWeeks) });
  }
  return out;
}

/**
 * What is wrong with a rule as a whole (field rules are the schema's): an end date before the
 * start, no end at all, more than MAX_OCCURRENCES dates, or none. Paths are input names.
 */
export function recurrenceProblems(rule: Recurrence): Problem[] {
  if (rule.endsOn !== null && rule.endsOn < rule.startsOn) return [{ path: 'endsOn', message: `must be on or after the start date ${rule.startsOn}` }];
  if (rule.endsOn === null && rule.count === null) return [{ path: 'endsOn', message: 'give an end date or a number of occurrences' }];
  const dates = occurrenceDates(rule, MAX_OCCURRENCES + 1);
  if (dates.length > MAX_OCCURRENCES) {
    return [
      { path: 'endsOn', message: `makes more than ${MAX_OCCURRENCES} occurrences; choose an earlier end date or at most ${MAX_OCCURRENCES} occurrences` },
    ];
  }
  if (dates.length === 0) return [{ path: 'startsOn', message: 'no date matches the rule between the start and the end date' }];
  return [];
}

/** Minutes from the start time to the end time (the next day when the end is not after the start). */
export function lengthMinutes(startTime: string, endTime: string): number {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const d = m(endTime) - m(startTime);
  return d > 0 ? d : d + 24 * 60;
}

/** Agenda items that do not fit between the start and end time; paths `agenda[i].…`. */
export function agendaProblems(clock: Pick<SeriesClock, 'startTime' | 'endTime' | 'agenda'>): Problem[] {
  const length = lengthMinutes(clock.startTime, clock.endTime);
  const problems: Problem[] = [];
  clock.agenda.forEach((a, i) => {
    if (a.offsetMinutes + a.durationMinutes > length) {
      problems.push({
        path: `agenda[${i}].durationMinutes`,
        message: `ends ${a.offsetMinutes + a.durationMinutes} minutes after the start, after the end time ${clock.endTime}`,
      });
    }
  });
  return problems;
}

/** The title of occurrence `n` on `date`: {n}, {date} and {month} ("March 2027") replaced. */
export function occurrenceTitle(pattern: string, n: number, date: string): string {
  const month = utcDate(date).setLocale('en').toFormat('LLLL yyyy');
  return pattern.replaceAll('{n}', String(n)).replaceAll('{date}', date).replaceAll('{month}', month);
}

/** The UTC instant of a local wall time `minutes` after `date` `time`, or null when the zone skips it. */
function wallInstant(date: string, time: string, minutes: number, zone: string): string | null {
  const wall = DateTime.fromISO(`${date}T${time}`, { zone: 'utc' }).plus({ minutes }).toFormat("yyyy-MM-dd'T'HH:mm");
  const dt = parseInstant(wall, zone);
  return dt ? toStoredInstant(dt) : null;
}

/**
 * Places occurrence `n` on `date`: the start, end and each agenda item at their local wall-clock
 * times in the zone. A wall time the zone skips that day (daylight saving) is a problem at
 * `startTime`, `endTime` or `agenda[i].offsetMinutes`, naming the date.
 */
export function planOccurrence(clock: SeriesClock, date: string, n: number): { ok: true; occurrence: PlannedOccurrence } | { ok: false; problems: Problem[] } {
  const length = lengthMinutes(clock.startTime, clock.endTime);
  const skipped = (path: string, what: string): Problem => ({
    path,
    message: `${what} on ${date} does not exist in ${clock.timeZone}: the clocks skip that hour for daylight saving`,
  });
  const problems: Problem[] = [];
  const startsAt = wallInstant(date, clock.startTime, 0, clock.timeZone);
  const endsAt = wallInstant(date, clock.startTime, length, clock.timeZone);
  if (!startsAt) problems.push(skipped('startTime', clock.startTime));
  if (!endsAt) problems.push(skipped('endTime', clock.endTime));
  const sessions: PlannedSession[] = [];
  clock.agenda.forEach((a, i) => {
    const s = wallInstant(date, clock.startTime, a.offsetMinutes, clock.timeZone);
    if (!s) {
      problems.push(skipped(`agenda[${i}].offsetMinutes`, `"${a.title}"`));
      return;
    }
    const e = toStoredInstant(DateTime.fromISO(s).plus({ minutes: a.durationMinutes }));
    sessions.push({ kind: a.kind, title: a.title, startsAt: s, endsAt: e, durationMinutes: a.durationMinutes });
  });
  if (problems.length) return { ok: false, problems };
  const endDate =
    length + Number(clock.startTime.slice(0, 2)) * 60 + Number(clock.startTime.slice(3, 5)) > 24 * 60 ? isoDate(utcDate(date).plus({ days: 1 })) : date;
  return {
    ok: true,
    occurrence: {
      n,
      date,
      title: occurrenceTitle(clock.titlePattern, n, date),
      startDate: date,
      endDate,
      startsAt: startsAt!,
      endsAt: endsAt!,
      dayChange: clock.startTime < '04:00' ? '00:00' : '04:00',
      sessions,
    },
  };
}

/**
 * Every occurrence of a series, numbered from the rule's start, or the problems of the rule and
 * of each date (wall times skipped by daylight saving; at most one problem per field).
 */
export function planSeries(clock: SeriesClock, rule: Recurrence): { ok: true; occurrences: PlannedOccurrence[] } | { ok: false; problems: Problem[] } {
  const ruleProblems = [...recurrenceProblems(rule), ...agendaProblems(clock)];
  if (ruleProblems.length) return { ok: false, problems: ruleProblems };
  const occurrences: PlannedOccurrence[] = [];
  const problems = new Map<string, Problem>();
  occurrenceDates(rule, MAX_OCCURRENCES).forEach((date, i) => {
    const planned = planOccurrence(clock, date, i + 1);
    if (planned.ok) occurrences.push(planned.occurrence);
    else for (const p of planned.problems) if (!problems.has(p.path)) problems.set(p.path, p);
  });
  return problems.size ? { ok: false, problems: [...problems.values()] } : { ok: true, occurrences };
}

/** Human description of a rule: "the second Tuesday of each month", "every 4 weeks on Wednesday". */
export function describeRecurrence(rule: Recurrence): string {
  const day = weekdayName(rule.weekday).replace(/^./, (c) => c.toUpperCase());
  const base =
    rule.frequency === 'monthly'
      ? `the ${ordinalName(rule.ordinal)} ${day} of each month`
      : rule.intervalWeeks === 1
        ? `every ${day}`
        : `every ${rule.intervalWeeks} weeks on ${day}`;
  const end = [rule.endsOn ? `until ${rule.endsOn}` : '', rule.count ? `${rule.count} times at most` : ''].filter(Boolean).join(', ');
  return `${base}, from ${rule.startsOn}${end ? `, ${end}` : ''}`;
}
