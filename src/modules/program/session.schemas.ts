import { z } from 'zod';
import { blankRow, enumField, idList, intField, optionalEnum, optionalId, optionalText, requiredText, requiredUrl, rowList } from '../../lib/form-fields.js';
import { LINK_KINDS, SESSION_KINDS, SESSION_LEVELS, SESSION_STATUSES } from './session.js';

/*
 * Input of createSession / updateSession, from a form or JSON. `start` is a local date-time in
 * the event's zone, as an <input type="datetime-local"> posts it ("2027-04-15T10:30"); it is
 * read with the event's zone when the action runs, so the schema alone cannot check it.
 */

export const LinkSchema = z.object({
  kind: enumField(LINK_KINDS, 'other'),
  title: optionalText(200),
  url: requiredUrl,
});

const sessionFields = {
  kind: enumField(SESSION_KINDS),
  title: requiredText(300),
  subtitle: optionalText(300),
  abstract: optionalText(50_000),
  language: z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? 'en' : typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: 'must be a language code like en or pt-BR' })
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a language code like en or pt-BR' }),
  ),
  level: optionalEnum(SESSION_LEVELS),
  trackId: optionalId,
  roomId: optionalId,
  sponsorId: optionalId,
  start: requiredText(40).meta({ description: 'Local date-time in the event’s zone, e.g. 2027-04-15T10:30.' }),
  durationMinutes: intField(1, 24 * 60),
  /** Speakers in billing order; the same speaker twice is a problem at that index. */
  speakerIds: idList(50).superRefine((ids, ctx) => {
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: [i], message: 'is listed twice' });
    });
  }),
  /** Slides, video, code…; form rows with a blank URL and title are dropped. */
  links: rowList(LinkSchema, 50, blankRow('url', 'title')),
};

export const CreateSessionSchema = z.object(sessionFields);
/** Any subset of the session's fields; absent ones keep their values (speakerIds/links replace the whole list). */
export const UpdateSessionSchema = z.object(sessionFields).partial();
export type SessionInput = z.output<typeof CreateSessionSchema>;
export type SessionUpdateInput = z.output<typeof UpdateSessionSchema>;

/** listSessionsForEditing filters, as query-string values or JSON; blank means "any". */
export const SessionFilterSchema = z.object({
  day: z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2026-05-12' })
      .optional(),
  ),
  roomId: optionalId.transform((v) => v ?? undefined),
  trackId: optionalId.transform((v) => v ?? undefined),
  status: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(SESSION_STATUSES, { error: 'must be confirmed or cancelled' }).optional()),
});
export type SessionFilterInput = z.output<typeof SessionFilterSchema>;
