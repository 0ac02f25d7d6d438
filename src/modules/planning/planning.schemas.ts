import { z } from 'zod';
import { blankRow, clockField, dateField, enumField, intField, optionalId, optionalText, requiredText, rowList } from '../../lib/form-fields.js';

/*
 * Input of the schedule editor's actions, from the editor's script, the organizer API or a form.
 * Times are local to the event's zone, as the session forms take them: `start` is a date-time
 * like 2027-04-15T10:30 (read with the event's zone when the action runs), a window is a day and
 * two wall times.
 */

export const MOVE_ACTIONS = ['place', 'move', 'resize', 'unschedule', 'pin', 'unpin'] as const;
export type MoveAction = (typeof MOVE_ACTIONS)[number];

const flag = z.preprocess(
  (v) => (v === undefined || v === null || v === '' || v === 'false' || v === '0' ? false : v === 'true' || v === '1' || v === 'on' ? true : v),
  z.boolean({ error: 'must be true or false' }),
);

const localStart = requiredText(40).meta({ description: 'Local date-time in the event’s zone, e.g. 2027-04-15T10:30.' });

/**
 * One move of the schedule editor:
 * - `place`: a session that is off the grid (`sessionId`), or an accepted proposal without a
 *   session (`proposalId`, which creates its session), into `roomId` (null: no room, e.g. a break
 *   over every room) at `start`, optionally with another `durationMinutes`;
 * - `move`: a session on the grid to another `roomId` and/or `start`;
 * - `resize`: a session on the grid to another `durationMinutes` (its start stays);
 * - `unschedule`: a session off the grid (it keeps its last room and time, listed as unplaced);
 * - `pin` / `unpin`: a session on the grid pinned where it is (the optimizer never moves it; the
 *   editor still may), or no longer.
 * `baseVersion` is the event's version the editor showed; a stale one is refused. `force`: the
 * organizer confirmed a speaker being in two places.
 */
export const ScheduleMoveSchema = z
  .object({
    action: enumField(MOVE_ACTIONS).meta({ description: 'place, move, resize, unschedule, pin or unpin.' }),
    baseVersion: intField(1, 2_147_483_647).meta({ description: 'The event version the move is based on (events.version as the editor showed it).' }),
    sessionId: optionalId.optional(),
    proposalId: optionalId.optional().meta({ description: 'place only: an accepted proposal without a session.' }),
    roomId: optionalId.optional().meta({ description: 'Absent: keep the room; null: no room (an item over every room).' }),
    start: localStart.optional(),
    durationMinutes: intField(1, 24 * 60).optional(),
    force: flag.optional().meta({ description: 'Place or move although a speaker is elsewhere at that time (confirmed by the organizer).' }),
  })
  .superRefine((m, ctx) => {
    const need = (field: keyof typeof m, message = 'is required for this action') => {
      if (m[field] === undefined || m[field] === null) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    const refuse = (field: keyof typeof m, message: string) => {
      if (m[field] !== undefined && m[field] !== null) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    if (m.action !== 'place') refuse('proposalId', 'is only for placing an accepted proposal');
    if (m.action === 'place') {
      need('start');
      if ((m.sessionId ?? null) === null && (m.proposalId ?? null) === null) need('sessionId', 'give a sessionId or a proposalId');
      if ((m.sessionId ?? null) !== null && (m.proposalId ?? null) !== null) refuse('proposalId', 'give a sessionId or a proposalId, not both');
    } else {
      need('sessionId');
    }
    if (m.action === 'move' && m.roomId === undefined && m.start === undefined) need('start', 'give a new start or roomId');
    if (m.action === 'resize') need('durationMinutes');
  });
export type ScheduleMoveInput = z.output<typeof ScheduleMoveSchema>;

/** An internal blocker: `roomId` null blocks every room. */
export const BlockerSchema = z.object({
  roomId: optionalId,
  title: optionalText(200),
  start: localStart,
  durationMinutes: intField(5, 24 * 60),
});

/** One window of availability on a programme day; `to` at or before `from` ends the next day. */
export const WindowSchema = z.object({
  day: dateField,
  from: clockField('').meta({ description: 'Local time HH:MM.' }),
  to: clockField('').meta({ description: 'Local time HH:MM; at or before `from`: the next day.' }),
});

/** The whole list of windows (it replaces the stored one); none means "no restriction". */
export const WindowsSchema = z.object({
  windows: rowList(WindowSchema, 100, blankRow('from', 'to')),
});

/** Opening hours: of a room (`roomId`), or of the event itself (null). */
export const OpeningHoursSchema = WindowsSchema.extend({ roomId: optionalId });
export type WindowInput = z.output<typeof WindowSchema>;
