import { DomainError, validationFailed, type Problem } from '../../lib/domain-error.js';

/**
 * Error codes of the back-office actions on communities, events, hosts and sponsors, plus the
 * three every back-office action shares (VALIDATION_FAILED, FORBIDDEN, NOT_FOUND); see
 * docs/errors.md. Problems carry the input field's path (`title`, `startDate`, `hosts[1].url`)
 * so a form can show each message next to its field.
 */
export const EventErrors = {
  validationFailed,
  forbidden: (what: string) => new DomainError('FORBIDDEN', `You may not ${what}.`, 403),
  notFound: (what: string, id: number | string) => new DomainError('NOT_FOUND', `No ${what} #${id} here.`, 404),
  slugTaken: (what: 'community' | 'event', slug: string) =>
    new DomainError('SLUG_TAKEN', `Another ${what} already uses the address "${slug}".`, 409, [{ path: 'slug', message: `"${slug}" is already taken` }]),
  nameTaken: (what: string, name: string) =>
    new DomainError('NAME_TAKEN', `This event already has a ${what} called "${name}".`, 409, [
      { path: 'name', message: `another ${what} is called "${name}"` },
    ]),
  sessionsOutsideDates: (problems: readonly Problem[]) =>
    new DomainError(
      'EVENT_SESSIONS_OUTSIDE_DATES',
      `${problems.length} session${problems.length === 1 ? ' would' : 's would'} fall outside the event's dates; move or delete ${problems.length === 1 ? 'it' : 'them'} first. Nothing was changed.`,
      409,
      problems,
    ),
  alreadyCancelled: (title: string, at: string) =>
    new DomainError('EVENT_ALREADY_CANCELLED', `"${title}" was already cancelled (${at}); nothing was changed and nobody was mailed again.`, 409),
  transitionInvalid: (transition: string, state: string) =>
    new DomainError('EVENT_TRANSITION_INVALID', `Cannot ${transition} an event that is ${state === 'draft' ? 'a draft' : state}.`, 409),
};
