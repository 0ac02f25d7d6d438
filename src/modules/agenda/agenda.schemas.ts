import { z } from 'zod';
import { blankRow, enumField, intField, optionalText, requiredText, requiredUrl, rowList } from '../../lib/form-fields.js';
import { SLUG_PATTERN } from '../events/event.js';
import { LINK_KINDS } from '../program/session.js';

/*
 * Input of the agenda actions, from a form post (strings, blank meaning "none") or JSON; parsed
 * with parseInput (VALIDATION_FAILED listing each field).
 */

const flag = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1' || v === 1, z.boolean());

/** saveNote: the whole note; `revision` is the one the editor started from (absent: last write wins). */
export const NoteSchema = z.object({
  body: optionalText(100_000),
  qa: optionalText(50_000),
  revision: intField(0, 2_147_483_647, { nullable: true }).optional(),
});
export type NoteInput = z.output<typeof NoteSchema>;

/** createRecapDraft: optionally only one programme day (YYYY-MM-DD). */
export const CreateRecapSchema = z.object({
  day: z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2027-04-15' })
      .optional(),
  ),
});

const SectionSchema = z.object({
  sessionId: intField(1, 2_147_483_647, { nullable: true }),
  /** Only read for a section whose session was deleted (sessionId null): its heading. */
  title: optionalText(300),
  notes: optionalText(100_000),
  qa: optionalText(50_000),
  /** Form reordering: sections are sorted by position (ties keep their order); absent = where it is. */
  position: intField(-100_000, 100_000, { nullable: true }).optional(),
  /** Form "remove this section" checkbox. */
  remove: flag.optional(),
});

/**
 * saveRecapDraft: the whole recap. `sections` is the full list in the new order (its order, or
 * `position` when given); a section names its session (null: a session since deleted).
 */
export const SaveRecapSchema = z.object({
  title: requiredText(300),
  introduction: optionalText(50_000),
  sections: rowList(SectionSchema, 500, blankRow('sessionId', 'notes', 'qa')),
});
export type SaveRecapInput = z.output<typeof SaveRecapSchema>;

/** publishRecap: an optional permalink; blank = made from the title (unique in the event). */
export const PublishRecapSchema = z.object({
  slug: z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z
      .string()
      .max(80, { message: 'must be at most 80 characters' })
      .regex(SLUG_PATTERN, { message: 'must be lower-case letters, digits and hyphens' })
      .refine((slug) => !RESERVED_RECAP_SLUGS.includes(slug), { message: 'is the address of a page of the site; choose another' })
      .optional(),
  ),
});

/** Permalinks that are pages under /events/:slug/recaps/ (the new-recap form). */
export const RESERVED_RECAP_SLUGS: readonly string[] = ['new'];

export const FeedbackSchema = z.object({
  rating: intField(1, 5),
  comment: optionalText(5_000),
});
export type FeedbackInput = z.output<typeof FeedbackSchema>;

/** addSessionLink: one link by a speaker of the session. */
export const SpeakerLinkSchema = z.object({
  kind: enumField(LINK_KINDS, 'other'),
  title: optionalText(200),
  url: requiredUrl,
});
export type SpeakerLinkInput = z.output<typeof SpeakerLinkSchema>;

export const InterestCountsSchema = z.object({ show: flag });
