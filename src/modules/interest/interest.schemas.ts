import { z } from 'zod';
import { enumField, optionalText } from '../../lib/form-fields.js';
import { text } from '../../lib/text.js';
import { MAX_INTRO, MAX_PICKS, POLL_SCOPES, POLL_STATUSES } from './interest.js';

/*
 * Input of the interest poll's actions, from a form post (strings, blank meaning "none") or JSON;
 * parsed with parseInput (VALIDATION_FAILED naming each field).
 */

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** saveInterestPoll: the whole settings. `closesAt` is a local date-time in the event's zone (or with an offset); blank: no closing time. */
export const InterestPollSchema = z.object({
  status: enumField(POLL_STATUSES, 'open'),
  scope: enumField(POLL_SCOPES, 'accepted'),
  intro: optionalText(MAX_INTRO),
  closesAt: z.preprocess(
    (v) => (isBlank(v) ? null : typeof v === 'string' ? v.trim() : v),
    text({ error: 'must be a date and time like 2027-03-01T09:00' })
      .max(40, { message: 'must be a date and time like 2027-03-01T09:00' })
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, { message: 'must be a date and time like 2027-03-01T09:00' })
      .nullable(),
  ),
});
export type InterestPollInput = z.output<typeof InterestPollSchema>;

/**
 * saveInterestPicks: the talks the voter wants, as keys `s<id>` / `p<id>` (a JSON array, a
 * repeated form field `talks`, or one string); blank is none. Replaces the voter's picks.
 */
export const InterestPicksSchema = z.object({
  talks: z.preprocess(
    (v) => (isBlank(v) ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(
        text({ error: 'must be a talk key like s12 or p7' })
          .max(12, { message: 'must be a talk key like s12 or p7' })
          .regex(/^[sp][1-9][0-9]{0,9}$/, { message: 'must be a talk key like s12 or p7' }),
      )
      .max(MAX_PICKS, { message: `pick at most ${MAX_PICKS} talks` }),
  ),
});
export type InterestPicksInput = z.output<typeof InterestPicksSchema>;
