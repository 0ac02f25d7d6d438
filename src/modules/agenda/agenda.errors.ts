import { DomainError } from '../../lib/domain-error.js';

/**
 * Error codes of the agenda module (stars, calendar feed, notes, recaps, feedback, speakers'
 * links); see docs/errors.md. VALIDATION_FAILED and FORBIDDEN come from events/event.errors.ts,
 * EVENT_NOT_FOUND and SESSION_NOT_FOUND mean what they mean on the public pages.
 *
 * Privacy: another person's note, draft or feed answers NOT_FOUND, exactly like one that does
 * not exist, so ids cannot be probed; FORBIDDEN is only used where existence is public (a
 * session's feedback summary, a session's links).
 */
export const AgendaErrors = {
  unauthenticated: () => new DomainError('UNAUTHENTICATED', 'Sign in first.', 401),
  eventNotFound: (eventId: number) => new DomainError('EVENT_NOT_FOUND', `No published event #${eventId}.`, 404),
  sessionNotFound: (sessionId: number) => new DomainError('SESSION_NOT_FOUND', `No session #${sessionId} in this event.`, 404),
  /** Also for things that exist but belong to someone else. */
  notFound: (what: string) => new DomainError('NOT_FOUND', `No such ${what}.`, 404),
  sessionCancelled: (title: string) => new DomainError('SESSION_CANCELLED', `"${title}" was cancelled.`, 409),
  noteConflict: (revision: number) =>
    new DomainError('NOTE_CONFLICT', `This note was changed elsewhere (now at revision ${revision}); reload it before saving again.`, 409, [
      { path: 'revision', message: `the note is at revision ${revision}` },
    ]),
  recapNothingToRecap: () =>
    new DomainError('RECAP_NOTHING_TO_RECAP', 'Star some sessions or take notes first: a recap has one section per session you attended.', 409),
  recapSlugTaken: (slug: string) =>
    new DomainError('RECAP_SLUG_TAKEN', `Another recap of this event already uses the address "${slug}".`, 409, [
      { path: 'slug', message: `"${slug}" is already taken` },
    ]),
  recapTransitionInvalid: (transition: string, status: string) =>
    new DomainError('RECAP_TRANSITION_INVALID', `Cannot ${transition} a recap that is ${status === 'draft' ? 'a draft' : status}.`, 409),
  feedbackTooEarly: (title: string) => new DomainError('FEEDBACK_TOO_EARLY', `"${title}" has not started yet; you can give feedback once it has.`, 409),
  feedbackNotAttendee: () =>
    new DomainError('FEEDBACK_NOT_ATTENDEE', 'Only attendees can give feedback on a session: star it in your agenda (or RSVP to the event) first.', 403),
};
