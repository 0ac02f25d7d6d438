import { DomainError, type Problem } from '../../lib/domain-error.js';

/**
 * Error codes of the schedule editor's actions (moves, blockers, availability); see
 * docs/errors.md. VALIDATION_FAILED, FORBIDDEN and NOT_FOUND come from events/event.errors.ts,
 * the room and time rules' codes from program/program.errors.ts.
 */
export const PlanningErrors = {
  /**
   * A move based on an older version of the programme than the stored one. `current` (what the
   * adapters send along) is the programme's version now and the session(s) the move named, as stored.
   */
  versionStale: (based: number, now: number, current?: unknown) =>
    Object.assign(
      new DomainError(
        'SCHEDULE_VERSION_STALE',
        `The programme changed since you loaded it (you had version ${based}, it is now at ${now}), so your change was not saved. Look at the current programme and try again.`,
        409,
        [{ path: 'baseVersion', message: `is ${based}; the programme is at version ${now}` }],
      ),
      { current },
    ),
  notPlaced: (title: string) =>
    new DomainError('SESSION_NOT_PLACED', `"${title}" is not on the grid: place it first. Nothing was changed.`, 409, [
      { path: 'sessionId', message: 'is not on the grid' },
    ]),
  alreadyPlaced: (title: string) =>
    new DomainError('SESSION_ALREADY_PLACED', `"${title}" is on the grid already: move it instead. Nothing was changed.`, 409, [
      { path: 'sessionId', message: 'is on the grid already' },
    ]),
  /** SPEAKER_DOUBLE_BOOKED as the editor says it: the organizer may confirm and place it anyway. */
  speakerDoubleBooked: (problems: readonly Problem[]) =>
    new DomainError(
      'SPEAKER_DOUBLE_BOOKED',
      `A speaker would be in two places at once: ${problems.map((p) => p.message).join('; ')}. Nothing was changed; confirm (force) to place it anyway.`,
      409,
      problems,
    ),
  notPinnable: (title: string) =>
    new DomainError('SESSION_NOT_PLACED', `"${title}" is not on the grid: place it before pinning it. Nothing was changed.`, 409, [
      { path: 'sessionId', message: 'is not on the grid' },
    ]),
  runActive: (number: number) =>
    new DomainError(
      'OPTIMIZER_RUN_ACTIVE',
      `Proposal ${number} is still being worked out for this event: stop it or wait for it first. Nothing was started.`,
      409,
    ),
  runState: (number: number, status: string, wanted: string) =>
    new DomainError('OPTIMIZER_RUN_STATE', `Proposal ${number} is ${status}: it cannot be ${wanted}. Nothing was changed.`, 409, [
      { path: 'status', message: `is ${status}` },
    ]),
  draftChanged: (number: number) =>
    new DomainError(
      'OPTIMIZER_DRAFT_CHANGED',
      `The draft programme changed since proposal ${number} was started (sessions, pins, rooms, hours, blockers or availability), so the proposal no longer fits it. Nothing was changed: propose again from the current draft.`,
      409,
    ),
};

/** The `current` a SCHEDULE_VERSION_STALE error carries, if any. */
export function staleCurrent(err: unknown): unknown {
  return err instanceof DomainError && err.code === 'SCHEDULE_VERSION_STALE' ? (err as DomainError & { current?: unknown }).current : undefined;
}
