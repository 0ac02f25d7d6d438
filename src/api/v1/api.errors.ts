import { validationFailed } from '../../lib/domain-error.js';

/** Errors the API adapter raises itself (the modules' own codes cover the rest); see docs/errors.md. */
export const ApiErrors = {
  /** VALIDATION_FAILED (422), the same error the actions' schemas answer: a parameter, query string or body field is invalid. */
  invalid: validationFailed,
};
