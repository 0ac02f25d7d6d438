import { DomainError, type Problem } from '../../lib/domain-error.js';

/** Errors the API adapter raises itself (the modules' own codes cover the rest); see docs/errors.md. */
export const ApiErrors = {
  /** REQUEST_INVALID (400), the same code and shape as a failed schema validation. */
  requestInvalid: (problems: readonly Problem[]) => new DomainError('REQUEST_INVALID', 'The request is invalid.', 400, problems),
};
