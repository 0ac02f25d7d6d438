import { DomainError, type Problem } from '../../lib/domain-error.js';

/** Error codes of the speaker actions; see docs/errors.md. Shared codes come from events/event.errors.ts. */
export const SpeakerErrors = {
  hasSessions: (name: string, problems: readonly Problem[]) =>
    new DomainError(
      'SPEAKER_HAS_SESSIONS',
      `${name} is still listed on ${problems.length} session${problems.length === 1 ? '' : 's'}; remove them from ${problems.length === 1 ? 'it' : 'those'} first.`,
      409,
      problems,
    ),
};
