import { z } from 'zod';
import { optionalText, optionalUrl, requiredText } from '../../lib/form-fields.js';
import { HANDLE_KINDS, HANDLE_PATTERNS, type HandleKind, type SpeakerHandles } from './speaker.js';

/*
 * Input of createSpeaker / updateSpeaker (forms or JSON). Handles are a nested object in JSON
 * (`handles.github`) or flat form fields named after the handle kind (`github`, `mastodon`…);
 * a blank handle is no handle. The rules are the event document's (HANDLE_PATTERNS).
 */

const handle = (kind: HandleKind) =>
  z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: `is not a valid ${kind} handle` })
      .regex(HANDLE_PATTERNS[kind], { message: `is not a valid ${kind} handle` })
      .optional(),
  );

/** The set of handles, without the blank ones. */
export const HandlesInputSchema = z
  .object(Object.fromEntries(HANDLE_KINDS.map((k) => [k, handle(k)])) as Record<HandleKind, ReturnType<typeof handle>>)
  .transform((h): SpeakerHandles => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)));

const speakerFields = {
  name: requiredText(200),
  jobTitle: optionalText(200),
  company: optionalText(200),
  bio: optionalText(20_000),
  avatarUrl: optionalUrl,
  /** The whole set of handles: kinds left out or blank are removed. */
  handles: z.preprocess((v) => (v === undefined || v === null || v === '' ? {} : v), HandlesInputSchema),
};

/** Lifts flat form fields (`github=…`) into `handles` when no `handles` object is given. */
function gatherHandles(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (o.handles !== undefined || !HANDLE_KINDS.some((k) => k in o)) return o;
  return { ...o, handles: Object.fromEntries(HANDLE_KINDS.map((k) => [k, o[k]])) };
}

export const SpeakerSchema = z.preprocess(gatherHandles, z.object(speakerFields));
export const UpdateSpeakerSchema = z.preprocess(gatherHandles, z.object(speakerFields).partial());
export type SpeakerInput = z.output<typeof SpeakerSchema>;
