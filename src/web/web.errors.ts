import { DomainError } from '../lib/domain-error.js';

/** Error codes of the public pages' own parameters; see docs/errors.md. */
export const WebErrors = {
  dayNotFound: (day: string) => new DomainError('DAY_NOT_FOUND', `The programme has no day "${day}".`, 404),
  trackNotFound: (track: string) => new DomainError('TRACK_NOT_FOUND', `The programme has no track "${track}".`, 404),
  viewUnknown: (view: string) => new DomainError('VIEW_UNKNOWN', `There is no "${view}" view; use grid or list.`, 400),
};
