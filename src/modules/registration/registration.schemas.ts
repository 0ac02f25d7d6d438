import { z } from 'zod';
import { text } from '../../lib/text.js';
import { YEARS, yearInRange } from '../../lib/time.js';
import { enumField, intField, optionalId, optionalText, requiredText } from '../../lib/form-fields.js';
import { RSVP_STATUSES } from './registration.js';

/*
 * Input schemas of the registration actions, shared by web forms (strings) and the API (JSON).
 * Parsed with parseInput (VALIDATION_FAILED with a problem per field).
 */

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * true/false from JSON, or a form's "yes"/"no"/"true"/"false"/"on". Without a fallback, absent or
 * null is "is required": an answer the person did not give is never assumed.
 */
const bool = (fallback?: boolean) =>
  z.preprocess(
    (v) => {
      if (isBlank(v)) return fallback;
      if (typeof v === 'string')
        return ['yes', 'true', 'on', '1'].includes(v.trim().toLowerCase()) ? true : ['no', 'false', 'off', '0'].includes(v.trim().toLowerCase()) ? false : v;
      return v;
    },
    z.boolean({ error: (issue) => (issue.input === undefined ? 'is required (yes or no)' : 'must be yes or no') }),
  );

/** An instant with an explicit zone (2027-03-10T17:00:00Z, …+01:00), stored in UTC form; blank is null. */
export const instantField = z.preprocess(
  (v) => (isBlank(v) ? null : typeof v === 'string' ? v.trim() : v),
  z
    .string({ error: 'must be a date-time with a zone, like 2027-03-10T17:00:00Z' })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, { message: 'must be a date-time with a zone, like 2027-03-10T17:00:00Z' })
    .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'is not a real date-time' })
    .refine(yearInRange, { message: YEARS.message })
    .transform((s) => new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .nullable(),
);

const answersField = z.preprocess(
  (v) => (isBlank(v) ? {} : v),
  z.record(
    z.string().max(40),
    z.preprocess((v) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v), text({ error: 'must be text' })),
  ),
);

/** An attendee's answer: yes (with guests, answers, ticket type) or no; never assumed. */
export const RsvpSchema = z.strictObject({
  attending: bool(),
  guests: z.preprocess((v) => (isBlank(v) ? 0 : v), intField(0, 100)),
  answers: answersField,
  ticketTypeId: optionalId.optional(),
});
export type RsvpInput = z.output<typeof RsvpSchema>;

const QuestionSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'must be lower-case letters, digits and hyphens' })
    .max(40),
  label: requiredText(200),
  kind: enumField(['text', 'choice', 'yes_no'] as const, 'text'),
  required: bool(false),
  options: z.preprocess((v) => (isBlank(v) ? [] : v), z.array(text().trim().min(1).max(100)).max(20)),
});

/** Organizer settings; absent fields keep their value. */
export const RegistrationSettingsSchema = z
  .strictObject({
    opensAt: instantField,
    closesAt: instantField,
    guestLimit: intField(0, 20),
    questions: z
      .array(QuestionSchema)
      .max(10)
      .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, { message: 'question ids must differ' }),
    allowSessionOverlap: bool(),
    reminderHours: z
      .array(
        z
          .number()
          .int()
          .min(1)
          .max(24 * 30),
      )
      .max(5),
  })
  .partial();
export type RegistrationSettingsInput = z.output<typeof RegistrationSettingsSchema>;

/** A capacity change; `confirmMoveToWaitlist` repeats the number of RSVPs the refusal named. */
export const CapacitySchema = z.strictObject({
  capacity: intField(1, 1_000_000, { nullable: true }),
  confirmMoveToWaitlist: z.preprocess((v) => (isBlank(v) ? undefined : typeof v === 'string' ? Number(v) : v), z.number().int().min(0).optional()),
});
export type CapacityInput = z.output<typeof CapacitySchema>;

export const TicketTypeSchema = z.strictObject({
  name: requiredText(100),
  description: optionalText(1000),
  quota: intField(1, 1_000_000, { nullable: true }),
});
export type TicketTypeInput = z.output<typeof TicketTypeSchema>;

/** Sign-up for a session: on (with its own capacity; blank = the room's) or off, as said. */
export const SessionSignupConfigSchema = z.strictObject({
  enabled: bool(),
  capacity: intField(1, 1_000_000, { nullable: true }),
});
export type SessionSignupConfigInput = z.output<typeof SessionSignupConfigSchema>;

export const MoveSchema = z.strictObject({
  rsvpId: intField(1, 2_147_483_647),
  to: enumField(['going', 'waitlisted', 'cancelled'] as const),
});
export type MoveInput = z.output<typeof MoveSchema>;

/** A ticket scanned at the door (the token its QR code holds). */
export const TicketScanSchema = z.strictObject({ ticket: requiredText(200) });

/** A page of the attendee list; query-string values arrive as text. */
export const AttendeeQuerySchema = z.strictObject({
  status: enumField(RSVP_STATUSES).optional(),
  q: optionalText(100),
  limit: z.preprocess((v) => (isBlank(v) ? 100 : v), intField(1, 500)),
  offset: z.preprocess((v) => (isBlank(v) ? 0 : v), intField(0, 1_000_000)),
});
