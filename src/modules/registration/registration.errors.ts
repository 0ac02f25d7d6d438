import { DomainError, type Problem } from '../../lib/domain-error.js';

/**
 * Error codes of registration: RSVPs, the waitlist, tickets, check-in and session sign-ups
 * (docs/errors.md). FORBIDDEN, NOT_FOUND and VALIDATION_FAILED are the shared back-office codes
 * (EventErrors). Every refusal leaves the database as it was.
 */
export const RegistrationErrors = {
  eventNotFound: (id: number | string) => new DomainError('EVENT_NOT_FOUND', `No published event #${id} here.`, 404),
  eventCancelled: (title: string) => new DomainError('EVENT_CANCELLED', `"${title}" was cancelled; it takes no RSVPs.`, 409),
  eventPast: (title: string) => new DomainError('EVENT_PAST', `"${title}" is over; RSVPs can no longer be changed.`, 409),
  closed: (why: 'not_yet_open' | 'closed_early' | 'closed', opensAt: string | null) =>
    new DomainError(
      'RSVP_CLOSED',
      why === 'not_yet_open'
        ? `RSVPs open at ${opensAt}.`
        : why === 'closed_early'
          ? 'The organizers closed RSVPs for this event.'
          : 'RSVPs for this event are closed.',
      409,
    ),
  guestsAboveLimit: (limit: number) =>
    new DomainError(
      'RSVP_GUESTS_ABOVE_LIMIT',
      limit === 0 ? 'This event takes no guests.' : `You may bring at most ${limit} guest${limit === 1 ? '' : 's'}.`,
      422,
      [{ path: 'guests', message: `must be at most ${limit}` }],
    ),
  noSeats: (needed: number, free: number) =>
    new DomainError(
      'RSVP_NO_SEATS',
      `That needs ${needed} seat${needed === 1 ? '' : 's'} but only ${free} ${free === 1 ? 'is' : 'are'} free; nothing was changed.`,
      409,
    ),
  notFound: () => new DomainError('RSVP_NOT_FOUND', 'There is no RSVP for this person and event.', 404),
  transitionInvalid: (transition: string, status: string) =>
    new DomainError('RSVP_TRANSITION_INVALID', `Cannot ${transition} an RSVP that is ${status.replace('_', ' ')}.`, 409),
  capacityBelowConfirmed: (capacity: number, taken: number, affected: readonly Problem[]) =>
    new DomainError(
      'RSVP_CAPACITY_BELOW_CONFIRMED',
      `${taken} seats are confirmed; lowering the capacity to ${capacity} would move ${affected.length} RSVP${affected.length === 1 ? '' : 's'} (the latest confirmed) to the head of the waitlist. Confirm with confirmMoveToWaitlist: ${affected.length} to do it; nothing was changed.`,
      409,
      affected,
    ),
  linkInvalid: () => new DomainError('RSVP_LINK_INVALID', 'This RSVP link is not valid (it was changed or belongs to another RSVP).', 400),
  linkExpired: () => new DomainError('RSVP_LINK_EXPIRED', 'This RSVP link has expired; sign in to change your RSVP.', 410),
  ticketInvalid: () => new DomainError('TICKET_INVALID', 'Not a valid ticket (unreadable, forged, or replaced by a newer ticket).', 400),
  ticketNotFound: () =>
    new DomainError(
      'TICKET_NOT_FOUND',
      'You hold no ticket for this event: only a going RSVP has one (not one that is waitlisted, cancelled or not going).',
      404,
    ),
  ticketOtherEvent: () => new DomainError('TICKET_OTHER_EVENT', 'This ticket is for another event.', 409),
  ticketCancelled: (name: string, status: string) =>
    new DomainError('TICKET_CANCELLED', `${name}'s RSVP is ${status.replace('_', ' ')}: this ticket does not admit.`, 409),
  alreadyCheckedIn: (name: string, at: string) => new DomainError('TICKET_ALREADY_CHECKED_IN', `${name} was already checked in at ${at}.`, 409),
  rsvpRequired: () => new DomainError('RSVP_REQUIRED', 'Sign-up for sessions needs a confirmed RSVP to the event first.', 409),
  signupNotOffered: () => new DomainError('SIGNUP_NOT_OFFERED', 'This session takes no sign-ups.', 409),
  signupOverlap: (problems: readonly Problem[]) =>
    new DomainError('SIGNUP_OVERLAP', 'You already hold a place in a session at the same time; cancel it first.', 409, problems),
};
