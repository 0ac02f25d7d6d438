import { z } from 'zod';
import { text as safeText } from '../../lib/text.js';
import { EVENT_KINDS, HOST_ROLES, SLUG_PATTERN, SPONSOR_LEVELS } from '../events/event.js';
import { LINK_KINDS, SESSION_KINDS, SESSION_LEVELS, SESSION_STATUSES } from '../program/session.js';
import { HANDLE_KINDS, HANDLE_PATTERNS } from '../speakers/speaker.js';
import { YEARS, yearInRange } from '../../lib/time.js';

/**
 * The whole-event document: what `hallway event export` writes, `hallway event import` reads and
 * GET /api/v1/events/{slug}/export serves. Objects are strict (an unknown field is an error, so a
 * typo is never silently dropped); optional fields have the defaults a new event would get.
 */
export const DOCUMENT_FORMAT = 'hallway-event/1';

const text = (max: number) => safeText().max(max, { message: `must be at most ${max} characters` });
const required = (max: number) =>
  safeText()
    .trim()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` });
const httpUrl = safeText()
  .max(2000)
  .regex(/^https?:\/\/[^\s<>"]+$/, { message: 'must be an http(s) URL' });
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2026-05-12' })
  .refine(yearInRange, { message: YEARS.message });
const slug = z.string().max(80).regex(SLUG_PATTERN, { message: 'must be lower-case letters, digits and hyphens' });
const code = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { message: 'must be letters, digits, - and _' });

export const HandlesSchema = z.strictObject(
  Object.fromEntries(
    HANDLE_KINDS.map((k) => [
      k,
      z
        .string()
        .regex(HANDLE_PATTERNS[k], { message: `is not a valid ${k} handle` })
        .optional(),
    ]),
  ) as Record<(typeof HANDLE_KINDS)[number], z.ZodOptional<z.ZodString>>,
);

export const CommunityDocSchema = z.strictObject({
  slug,
  name: required(200),
  description: text(20_000).default(''),
  url: httpUrl.nullable().default(null),
});

export const EventDocSchema = z.strictObject({
  slug,
  kind: z.enum(EVENT_KINDS),
  title: required(200),
  acronym: text(40).default(''),
  timeZone: z.string().min(1),
  startDate: isoDate,
  endDate: isoDate,
  dayChange: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time like 04:00' })
    .default('04:00'),
  venue: z
    .strictObject({ name: text(200).default(''), address: text(500).default(''), url: httpUrl.nullable().default(null) })
    .default({ name: '', address: '', url: null }),
  description: text(50_000).default(''),
  codeOfConductUrl: httpUrl.nullable().default(null),
  url: httpUrl.nullable().default(null),
  capacity: z.number().int().min(1).max(1_000_000).nullable().default(null),
  published: z.boolean().default(true),
  hosts: z
    .array(z.strictObject({ name: required(200), role: z.enum(HOST_ROLES).default('host'), url: httpUrl.nullable().default(null) }))
    .max(50)
    .default([]),
});

export const RoomDocSchema = z.strictObject({
  name: required(100),
  description: text(2000).default(''),
  capacity: z.number().int().min(1).max(1_000_000).nullable().default(null),
});

export const TrackDocSchema = z.strictObject({
  name: required(100),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour like #1f77b4' })
    .default('#6b7280'),
  description: text(2000).default(''),
});

export const SpeakerDocSchema = z.strictObject({
  code,
  name: required(200),
  jobTitle: text(200).default(''),
  company: text(200).default(''),
  bio: text(20_000).default(''),
  avatarUrl: httpUrl.nullable().default(null),
  handles: HandlesSchema.default({}),
});

export const LinkDocSchema = z.strictObject({
  kind: z.enum(LINK_KINDS),
  title: text(200).default(''),
  url: httpUrl,
});

export const SessionDocSchema = z.strictObject({
  code: code.optional(),
  guid: z.uuid({ message: 'must be a UUID' }).optional(),
  kind: z.enum(SESSION_KINDS),
  status: z.enum(SESSION_STATUSES).default('confirmed'),
  title: required(300),
  subtitle: text(300).default(''),
  abstract: text(50_000).default(''),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a language code like en or pt-BR' })
    .default('en'),
  level: z.enum(SESSION_LEVELS).nullable().default(null),
  track: safeText().nullable().default(null),
  room: safeText().nullable().default(null),
  sponsoredBy: safeText().nullable().default(null),
  start: z.string().min(1, { message: 'is required' }),
  durationMinutes: z
    .number()
    .int()
    .min(1, { message: 'must be at least 1 minute' })
    .max(24 * 60, { message: 'must be at most 24 hours' }),
  speakers: z.array(safeText()).max(50).default([]),
  links: z.array(LinkDocSchema).max(50).default([]),
});

export const SponsorDocSchema = z.strictObject({
  name: required(200),
  level: z.enum(SPONSOR_LEVELS).default('community'),
  url: httpUrl.nullable().default(null),
  logoUrl: httpUrl.nullable().default(null),
  contribution: text(500).default(''),
});

export const EventDocumentSchema = z.strictObject({
  format: z.literal(DOCUMENT_FORMAT, { message: `must be "${DOCUMENT_FORMAT}"` }),
  community: CommunityDocSchema,
  event: EventDocSchema,
  rooms: z.array(RoomDocSchema).max(1000).default([]),
  tracks: z.array(TrackDocSchema).max(1000).default([]),
  speakers: z.array(SpeakerDocSchema).max(100_000).default([]),
  sessions: z.array(SessionDocSchema).max(100_000).default([]),
  sponsors: z.array(SponsorDocSchema).max(1000).default([]),
});

/** A document as read (defaults filled in). */
export type EventDocument = z.output<typeof EventDocumentSchema>;
/** A document as written by hand (defaults optional). */
export type EventDocumentInput = z.input<typeof EventDocumentSchema>;
export type SessionDoc = EventDocument['sessions'][number];
export type SpeakerDoc = EventDocument['speakers'][number];
