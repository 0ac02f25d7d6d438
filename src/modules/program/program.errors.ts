import { DomainError, type Problem } from '../../lib/domain-error.js';

/**
 * Error codes of the room, track and session actions; see docs/errors.md. VALIDATION_FAILED,
 * FORBIDDEN, NOT_FOUND and NAME_TAKEN come from events/event.errors.ts.
 */
export const ProgramErrors = {
  roomInUse: (room: string, problems: readonly Problem[]) =>
    new DomainError(
      'ROOM_IN_USE',
      `"${room}" still has ${problems.length} confirmed session${problems.length === 1 ? '' : 's'}; move or cancel ${problems.length === 1 ? 'it' : 'them'} first.`,
      409,
      problems,
    ),
  roomConflict: (problems: readonly Problem[]) =>
    new DomainError(
      'SESSION_ROOM_CONFLICT',
      `The room is taken at that time: ${problems.map((p) => p.message).join('; ')}. Nothing was changed.`,
      409,
      problems,
    ),
  speakerDoubleBooked: (problems: readonly Problem[]) =>
    new DomainError(
      'SPEAKER_DOUBLE_BOOKED',
      `A speaker would be in two places at once: ${problems.map((p) => p.message).join('; ')}. Nothing was changed.`,
      409,
      problems,
    ),
  outsideDates: (problem: Problem) =>
    new DomainError('SESSION_OUTSIDE_DATES', `The session would be outside the event's dates: ${problem.message}.`, 422, [problem]),
  transitionInvalid: (transition: string, status: string) =>
    new DomainError('SESSION_TRANSITION_INVALID', `Cannot ${transition} a session that is ${status}.`, 409),
};
