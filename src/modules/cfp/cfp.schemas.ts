import { z } from 'zod';
import { text } from '../../lib/text.js';
import { enumField, intField, optionalEnum, optionalId, optionalText, requiredText } from '../../lib/form-fields.js';
import { SESSION_LEVELS } from '../program/session.js';
import { PROPOSABLE_KINDS } from './cfp.js';

/*
 * Input schemas of the CFP actions, shared by web forms (strings) and JSON. Parsed with
 * parseInput (VALIDATION_FAILED with a problem per field). Local date-times are read in the
 * event's zone by the actions, which know it.
 */

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A local date-time as <input type="datetime-local"> posts it: 2027-03-01T09:00. */
const localDateTime = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : v),
  z
    .string({ error: (i) => (i.input === undefined || i.input === null ? 'is required' : 'must be a date and time like 2027-03-01T09:00') })
    .min(1, { message: 'is required' })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { message: 'must be a date and time like 2027-03-01T09:00' }),
);

export const CfpFormatSchema = z.object({ kind: enumField(PROPOSABLE_KINDS), durationMinutes: intField(5, 8 * 60) });

/** The whole call (every save replaces it). */
export const CfpSettingsSchema = z.object({
  opensAt: localDateTime,
  closesAt: localDateTime,
  callText: optionalText(20_000),
  formats: z
    .array(CfpFormatSchema, { error: 'pick at least one format' })
    .min(1, { message: 'pick at least one format' })
    .refine((fs) => new Set(fs.map((f) => f.kind)).size === fs.length, { message: 'lists a format twice' }),
});
export type CfpSettingsInput = z.output<typeof CfpSettingsSchema>;

const email = text()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/, { message: 'is not an e-mail address' });

/** Co-speakers' addresses: a JSON array, or a form's text with one per line or comma-separated. */
const coSpeakers = z.preprocess(
  (v) => {
    if (isBlank(v)) return [];
    const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,;]+/) : v;
    return Array.isArray(list) ? list.filter((x) => !isBlank(x)) : list;
  },
  z
    .array(email, { error: 'must be e-mail addresses' })
    .max(5, { message: 'at most 5 co-speakers' })
    .refine((l) => new Set(l).size === l.length, { message: 'lists an address twice' }),
);

/** What a speaker writes. Track and format are checked against the event's by the action. */
export const ProposalSchema = z.object({
  title: requiredText(300),
  kind: enumField(PROPOSABLE_KINDS),
  abstract: requiredText(5_000),
  description: optionalText(20_000),
  trackId: optionalId,
  language: z.preprocess(
    (v) => (isBlank(v) ? 'en' : typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: 'must be a language code like en or pt-BR' })
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a language code like en or pt-BR' }),
  ),
  level: optionalEnum(SESSION_LEVELS),
  notes: optionalText(5_000),
  coSpeakers,
});
export type ProposalInput = z.output<typeof ProposalSchema>;

export const ReviewSchema = z.object({
  score: intField(1, 5),
  comment: optionalText(10_000),
});

export const DecisionSchema = z.object({ decision: enumField(['accept', 'reject', 'undo'] as const) });

/** Where an accepted proposal goes: a room and a local start (programme day + time resolved by the adapter). */
export const ScheduleSchema = z.object({
  roomId: optionalId,
  start: requiredText(40).meta({ description: 'Local date-time in the event’s zone, e.g. 2027-04-15T10:30.' }),
});

export const ProposalFilterSchema = z.object({
  state: z.preprocess(
    (v) => (isBlank(v) ? undefined : v),
    z.enum(['submitted', 'accepted', 'rejected', 'withdrawn'], { error: 'must be submitted, accepted, rejected or withdrawn' }).optional(),
  ),
  sort: z.preprocess((v) => (isBlank(v) ? 'newest' : v), z.enum(['newest', 'score'], { error: 'must be newest or score' })),
});
