import { DomainError } from '../../lib/domain-error.js';

/**
 * Error codes of event series beyond the shared ones in event.errors.ts (VALIDATION_FAILED,
 * FORBIDDEN, NOT_FOUND, EVENT_TRANSITION_INVALID); see docs/errors.md.
 */
export const SeriesErrors = {
  slugTaken: (slug: string) =>
    new DomainError('SLUG_TAKEN', `Another series already uses the address "${slug}".`, 409, [{ path: 'slug', message: `"${slug}" is already taken` }]),
  notDeletable: (title: string, why: string) =>
    new DomainError('OCCURRENCE_NOT_DELETABLE', `"${title}" cannot be deleted: ${why}. Cancel it instead; nothing was changed.`, 409),
};
