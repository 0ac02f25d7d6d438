import { z } from 'zod';
import { SESSION_KINDS } from '../program/session.js';
import { EVENT_KINDS } from './event.js';
import {
  blankRow,
  clockField,
  dateField,
  enumField,
  intField,
  optionalText,
  optionalUrl,
  requiredText,
  rowList,
  slugField,
  timeZoneField,
} from '../../lib/form-fields.js';
import { FREQUENCIES, MAX_OCCURRENCES, ORDINALS, WEEKDAYS } from './series.js';

/*
 * Input of createSeries / updateSeries, from a form (agenda rows `agenda[0].title` gathered into
 * an array) or JSON. Weekdays and ordinals are names (`tuesday`, `second`, `last`), so an unknown
 * one is a field error. The rule as a whole (end after start, at most 60 occurrences) is checked
 * by series.ts once the fields are valid. SESSION_KINDS is a pure constant of the programme module.
 */

const lowerEnum = <const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), enumField(values, fallback));

export const AgendaItemSchema = z.object({
  kind: enumField(SESSION_KINDS, 'talk'),
  title: requiredText(300),
  offsetMinutes: intField(0, 24 * 60),
  durationMinutes: intField(1, 24 * 60),
});

const seriesFields = {
  name: requiredText(200),
  slug: slugField,
  /** {n}, {date} and {month} are replaced per occurrence. */
  titlePattern: requiredText(200),
  kind: enumField(EVENT_KINDS, 'meetup'),
  description: optionalText(50_000),
  venueName: optionalText(200),
  venueAddress: optionalText(500),
  venueUrl: optionalUrl,
  capacity: intField(1, 1_000_000, { nullable: true }),
  timeZone: timeZoneField,
  startTime: clockField('18:30'),
  endTime: clockField('21:00'),
  agenda: rowList(AgendaItemSchema, 30, blankRow('title')),
  frequency: lowerEnum(FREQUENCIES, 'monthly'),
  weekday: lowerEnum(WEEKDAYS),
  /** monthly only: first … fifth, or last. */
  ordinal: z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(ORDINALS, { error: `must be one of ${ORDINALS.join(', ')}` }).nullable(),
  ),
  /** weekly only: every this many weeks (blank = 1). */
  intervalWeeks: z.preprocess((v) => (v === undefined || v === null || v === '' ? 1 : v), intField(1, 52)),
  startsOn: dateField,
  endsOn: z.preprocess((v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : v), dateField.nullable()),
  count: intField(1, MAX_OCCURRENCES, { nullable: true }),
};

const needsOrdinal = (v: { frequency?: string; ordinal?: string | null }, ctx: z.RefinementCtx) => {
  if (v.frequency === 'monthly' && !v.ordinal)
    ctx.addIssue({ code: 'custom', path: ['ordinal'], message: 'is required for a monthly series (first … fifth, or last)' });
};

/** createSeries: a community's new series (its community comes from the URL). */
export const CreateSeriesSchema = z.object(seriesFields).superRefine(needsOrdinal);
/** updateSeries: any subset; the merged whole is checked again with CreateSeriesSchema. */
export const UpdateSeriesSchema = z.object(seriesFields).partial();
export type SeriesInput = z.output<typeof CreateSeriesSchema>;
export type AgendaItemInput = z.output<typeof AgendaItemSchema>;
