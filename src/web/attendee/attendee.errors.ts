import { DomainError } from '../../lib/domain-error.js';

/** Error codes of the attendee pages' own parameters; see docs/errors.md. */
export const AttendeeErrors = {
  instantInvalid: (value: string) =>
    new DomainError('INSTANT_INVALID', `"${value.slice(0, 40)}" is not a date and time; use one like 2027-04-15T09:30:00Z.`, 400, [
      { path: 'at', message: 'must be an ISO 8601 date and time' },
    ]),
};
