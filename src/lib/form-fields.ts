import { z } from 'zod';
import { text } from './text.js';
import { DateTime } from 'luxon';
import { formatPath, validationFailed, type Problem } from './domain-error.js';
import { isValidTimeZone, YEARS, yearInRange } from './time.js';
import { SLUG_PATTERN } from './slug.js';

/*
 * Field schemas shared by the back-office input schemas. They accept what an HTML form posts
 * (every value a string, empty meaning "none") as well as JSON (numbers, nulls, arrays), and
 * normalise both to one output. Defaults live in the preprocessing step, not in `.default()`, so
 * `.partial()` of a create schema is an update schema where an absent field means "keep".
 * The rules match the event document's (event-document.schemas.ts): same lengths and patterns.
 */

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
/** zod's type error, worded for a form: missing is "is required", anything else `expected`. */
const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined || issue.input === null ? 'is required' : expected);

/** A required one-line text, trimmed. */
export const requiredText = (max: number) =>
  z.preprocess(
    trimmed,
    text({ error: typeError('must be text') })
      .min(1, { message: 'is required' })
      .max(max, { message: `must be at most ${max} characters` }),
  );

/** Optional free text; absent or null is ''. */
export const optionalText = (max: number) =>
  z.preprocess((v) => (v === undefined || v === null ? '' : v), text({ error: 'must be text' }).max(max, { message: `must be at most ${max} characters` }));

/** An http(s) URL or nothing (blank is null). */
export const optionalUrl = z.preprocess(
  (v) => (isBlank(v) ? null : trimmed(v)),
  text({ error: 'must be an http(s) URL' })
    .max(2000, { message: 'must be at most 2000 characters' })
    .regex(/^https?:\/\/[^\s<>"]+$/, { message: 'must be an http(s) URL' })
    .nullable(),
);

/** A required http(s) URL. */
export const requiredUrl = z.preprocess(
  trimmed,
  text({ error: typeError('must be text') })
    .min(1, { message: 'is required' })
    .max(2000)
    .regex(/^https?:\/\/[^\s<>"]+$/, { message: 'must be an http(s) URL' }),
);

export const slugField = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z
    .string({ error: typeError('must be text') })
    .min(1, { message: 'is required' })
    .max(80, { message: 'must be at most 80 characters' })
    .regex(SLUG_PATTERN, {
      message: 'must be lower-case letters, digits and hyphens',
    }),
);

/** A calendar date YYYY-MM-DD that exists, in YEARS. */
export const dateField = z.preprocess(
  trimmed,
  z
    .string({ error: typeError('must be text') })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2026-05-12' })
    .refine((d) => DateTime.fromISO(d).isValid, { message: 'is not a calendar date' })
    .refine(yearInRange, { message: YEARS.message }),
);

export const timeZoneField = z.preprocess(
  trimmed,
  z
    .string({ error: typeError('must be text') })
    .min(1, { message: 'is required' })
    .refine(isValidTimeZone, { message: 'is not a known time zone (use an IANA name such as Europe/Brussels)' }),
);

/** Local time of day HH:MM; blank is the default. */
export const clockField = (fallback: string) =>
  z.preprocess((v) => (isBlank(v) ? fallback : trimmed(v)), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time like 04:00' }));

/** A whole number from a number or a numeric string; blank is null when nullable. */
export function intField(min: number, max: number, options: { nullable: true }): z.ZodType<number | null>;
export function intField(min: number, max: number, options?: { nullable?: false }): z.ZodType<number>;
export function intField(min: number, max: number, options: { nullable?: boolean } = {}): z.ZodType<number | null> | z.ZodType<number> {
  const n = z
    .number({ error: typeError('must be a whole number') })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, {
      message: `must be at most ${max}`,
    });
  return z.preprocess(
    (v) => {
      if (isBlank(v)) return options.nullable ? null : undefined;
      if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
      return v;
    },
    options.nullable ? n.nullable() : n,
  );
}

/** A record id (positive integer) or, when blank, null. */
export const optionalId = intField(1, 2_147_483_647, { nullable: true });
/** A required record id. */
export const requiredId = intField(1, 2_147_483_647);

/** An enum value; blank is `fallback`. */
export const enumField = <const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]) =>
  z.preprocess((v) => (isBlank(v) ? fallback : trimmed(v)), z.enum(values, { error: typeError(`must be one of ${values.join(', ')}`) }));

/** An enum value or null; blank is null. */
export const optionalEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (isBlank(v) ? null : trimmed(v)), z.enum(values, { error: `must be one of ${values.join(', ')}` }).nullable());

/** An ordered list of ids: a JSON array, a repeated form field, or "3,5,8"; blank is []. */
export const idList = (max: number) =>
  z.preprocess(
    (v) => {
      if (isBlank(v)) return [];
      const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v];
      return list.filter((x) => !isBlank(x)).map((x) => (typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : x));
    },
    z
      .array(z.number({ error: 'must be an id' }).int({ message: 'must be an id' }).positive({ message: 'must be an id' }))
      .max(max, { message: `at most ${max}` }),
  );

/** A list of objects from JSON or a form (`links[0].url` already gathered into an array); blank rows dropped. */
export const rowList = <T extends z.ZodType>(row: T, max: number, isEmptyRow: (r: Record<string, unknown>) => boolean) =>
  z.preprocess(
    (v) => {
      if (isBlank(v)) return [];
      const list = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v as object) : v;
      return Array.isArray(list) ? list.filter((r) => !(r && typeof r === 'object' && isEmptyRow(r as Record<string, unknown>))) : list;
    },
    z.array(row).max(max, { message: `at most ${max}` }),
  );

/** True when every listed key of a form row is blank. */
export const blankRow =
  (...keys: string[]) =>
  (r: Record<string, unknown>) =>
    keys.every((k) => isBlank(r[k]));

/**
 * Parses input with a schema, or throws VALIDATION_FAILED (422) listing every problem with its
 * field path. Pure.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.map(toProblem));
}

function toProblem(issue: z.core.$ZodIssue): Problem {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` };
  if (/received undefined/.test(issue.message)) return { path, message: 'is required' };
  return { path, message: issue.message };
}
