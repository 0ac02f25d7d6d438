import { parseInput } from '../../lib/form-fields.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { localDateTime } from '../events/event-dates.js';
import { EventErrors } from '../events/event.errors.js';
import { withEventWrite } from '../events/event-write.js';
import { ProgramErrors } from '../program/program.errors.js';
import { referenceProblems, span } from '../program/session-rules.queries.js';
import { planTiming } from '../program/session-timing.js';
import type { EditorBlocker } from './editor.queries.js';
import { BlockerSchema } from './planning.schemas.js';

/*
 * Internal blockers: a room (or every room) unavailable for a while, for set-up, cleaning or a
 * private meeting. Organizers only; shown in the schedule editor and warned about when a session
 * is placed over one, never published (they are not sessions: no page, export or release has them).
 * They change the event's version, so other editors see them appear.
 */

const EDIT_BLOCKERS = { may: canManageEvent, what: 'block rooms of this event' };

/**
 * Blocks `roomId` (null: every room) from a local `start` for `durationMinutes`, with a title.
 * Side effects, in one transaction: schedule_blockers row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), SESSION_OUTSIDE_DATES (422).
 */
export async function createBlocker(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<EditorBlocker> {
  const data = parseInput(BlockerSchema, input);
  return withEventWrite(ctx, actor, eventId, EDIT_BLOCKERS, async ({ trx, event, now, audit, draftOnly }) => {
    // Blockers are internal: organizers see them in the editor only.
    draftOnly();
    const problems = await referenceProblems(trx, event.id, { roomId: data.roomId });
    const timing = planTiming(event, data.start, data.durationMinutes);
    if (!timing.ok && !timing.outsideDates) problems.push(timing.problem);
    if (problems.length) throw EventErrors.validationFailed(problems);
    if (!timing.ok) throw ProgramErrors.outsideDates(timing.problem);
    const row = await trx
      .insertInto('schedule_blockers')
      .values({
        event_id: event.id,
        room_id: data.roomId,
        title: data.title,
        starts_at: timing.startsAt,
        ends_at: timing.endsAt,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const room =
      data.roomId === null ? 'every room' : (await trx.selectFrom('rooms').select('name').where('id', '=', data.roomId).executeTakeFirstOrThrow()).name;
    audit({
      action: 'blocker.created',
      entityType: 'blocker',
      entityId: row.id,
      summary: `Blocked ${room}${row.title ? ` for "${row.title}"` : ''} (${span(row.starts_at, row.ends_at, event.time_zone)})`,
    });
    return {
      id: row.id,
      roomId: row.room_id,
      title: row.title,
      start: localDateTime(row.starts_at, event.time_zone),
      end: localDateTime(row.ends_at, event.time_zone),
      startsAt: row.starts_at,
      endsAt: row.ends_at,
    };
  });
}

/**
 * Removes a blocker.
 * Side effects, in one transaction: schedule_blockers row deleted, event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404: event, or a blocker not of this event).
 */
export async function deleteBlocker(ctx: ModuleContext, actor: Actor | null, eventId: number, blockerId: number): Promise<void> {
  await withEventWrite(ctx, actor, eventId, EDIT_BLOCKERS, async ({ trx, event, audit, draftOnly }) => {
    draftOnly();
    const row = await trx.selectFrom('schedule_blockers').selectAll().where('id', '=', blockerId).where('event_id', '=', event.id).executeTakeFirst();
    if (!row) throw EventErrors.notFound('blocker', blockerId);
    await trx.deleteFrom('schedule_blockers').where('id', '=', blockerId).execute();
    audit({
      action: 'blocker.deleted',
      entityType: 'blocker',
      entityId: blockerId,
      summary: `Removed the blocker${row.title ? ` "${row.title}"` : ''} (${span(row.starts_at, row.ends_at, event.time_zone)})`,
    });
  });
}
