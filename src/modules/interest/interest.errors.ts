import { DomainError } from '../../lib/domain-error.js';

/**
 * Error codes of the interest poll; see docs/errors.md. VALIDATION_FAILED, FORBIDDEN and
 * NOT_FOUND (event) come from events/event.errors.ts, UNAUTHENTICATED from the agenda's.
 * An unknown private link answers like a poll that does not exist, so links cannot be probed.
 */
export const InterestErrors = {
  pollNotFound: () => new DomainError('INTEREST_POLL_NOT_FOUND', 'This event has no interest poll.', 404),
  pollClosed: () => new DomainError('INTEREST_POLL_CLOSED', 'The interest poll is closed: your picks can no longer be changed.', 409),
  linkInvalid: () => new DomainError('INTEREST_LINK_INVALID', 'This private link to interest poll picks is not valid (mistyped, or for another event).', 404),
  talksUnknown: (problems: { path: string; message: string }[]) =>
    new DomainError('INTEREST_TALK_UNKNOWN', 'Some picked talks are not in this poll (any more); nothing was saved.', 422, problems),
};
