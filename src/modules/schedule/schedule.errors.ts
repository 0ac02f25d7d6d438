import { DomainError, type Problem } from '../../lib/domain-error.js';

/** Error codes of the schedule module; see docs/errors.md. */
export const ScheduleErrors = {
  eventNotFound: (slug: string) => new DomainError('EVENT_NOT_FOUND', `No published event "${slug}".`, 404),
  sessionNotFound: (code: string) => new DomainError('SESSION_NOT_FOUND', `No session "${code}" in this event.`, 404),
  speakerNotFound: (code: string) => new DomainError('SPEAKER_NOT_FOUND', `No speaker "${code}" in this event.`, 404),
  documentInvalid: (problems: Problem[]) =>
    new DomainError(
      'EVENT_DOCUMENT_INVALID',
      `The event document has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed.`,
      422,
      problems,
    ),
  documentNotJson: (detail: string) =>
    new DomainError('EVENT_DOCUMENT_NOT_JSON', `The file is not valid JSON (${detail}); nothing was changed.`, 400, [{ path: '(document)', message: detail }]),
};
