import { DomainError } from '../../lib/domain-error.js';

/** Error codes of releases; see docs/errors.md. FORBIDDEN and NOT_FOUND come from events/event.errors.ts. */
export const ReleaseErrors = {
  nothingChanged: (latest: string) =>
    new DomainError('RELEASE_NOTHING_CHANGED', `Nothing changed since release "${latest}": move, add or cancel a session first. Nothing was released.`, 409),
  nameTaken: (name: string) =>
    new DomainError('RELEASE_NAME_TAKEN', `This event already has a release called "${name}"; choose another name.`, 409, [
      { path: 'name', message: 'is already used by another release of this event' },
    ]),
  mailsNotHeld: (name: string, state: string) =>
    new DomainError(
      'RELEASE_MAILS_NOT_HELD',
      `The speaker mails of release "${name}" were not held (${state === 'sent' ? 'they were sent' : 'nobody needed one'}).`,
      409,
    ),
  notFound: (name: string) => new DomainError('RELEASE_NOT_FOUND', `This event has no release called "${name}".`, 404),
};
