import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { markEventCancelled } from '../events/event-state.actions.js';
import { CancelEventSchema } from '../events/event.schemas.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { toEventRecord, type EventRecord } from '../events/records.js';
import { queueCancellationMail } from './registration-mail.js';
import { ACTIVE_STATUSES } from './registration.js';
import { eventSpan, type RegistrationContext } from './rsvp.queries.js';

/*
 * Calling an event off, for a one-off event and a series occurrence alike (the back office, the
 * organizer API and the series page all come here). It lives in registration, above events,
 * because telling the people who hold a seat is part of the transition, and who holds a seat is
 * registration's knowledge; the state change itself is events' markEventCancelled.
 */

export interface CancellationRecipient {
  readonly userId: number;
  readonly name: string;
  readonly email: string;
}

/**
 * Everyone going or waitlisted for the event, or for one of its sessions' sign-ups: each person
 * once (someone with an RSVP and two sign-ups gets one mail), by id. One query.
 */
export async function cancellationRecipients(db: DbOrTrx, eventId: number): Promise<CancellationRecipient[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where((eb) =>
      eb.or([
        eb(
          'id',
          'in',
          eb
            .selectFrom('rsvps')
            .select('user_id')
            .where('event_id', '=', eventId)
            .where('status', 'in', [...ACTIVE_STATUSES]),
        ),
        eb(
          'id',
          'in',
          eb
            .selectFrom('session_signups')
            .select('user_id')
            .where('event_id', '=', eventId)
            .where('status', 'in', [...ACTIVE_STATUSES]),
        ),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.display_name, email: r.email }));
}

/**
 * Cancels the event with a public reason and tells everyone holding or waiting for a seat.
 * Exactly once: the event's row is locked first and a second call finds it cancelled.
 * Side effects, in one transaction: markEventCancelled (version bump, cancelled_at and reason,
 * session sequences, audit row), then one mail per recipient (cancellationRecipients). RSVPs and
 * sign-ups stay as they were (the attendee list still shows who was coming); from now on RSVPs
 * and sign-ups answer EVENT_CANCELLED and no reminder is sent.
 * @throws VALIDATION_FAILED (422: `reason` missing, blank or longer than 1000 characters),
 *   FORBIDDEN (403: not an organizer), NOT_FOUND (404), EVENT_ALREADY_CANCELLED (409).
 */
export async function cancelEvent(
  db: Db,
  ctx: RegistrationContext,
  actor: Actor | null,
  eventId: number,
  input: unknown,
): Promise<{ event: EventRecord; mailed: number }> {
  const { reason } = parseInput(CancelEventSchema, input);
  return db.transaction().execute(async (trx) => {
    const row = await markEventCancelled({ trx, clock: ctx.clock }, actor, eventId, reason);
    const span = await eventSpan(trx, row);
    const people = await cancellationRecipients(trx, eventId);
    for (const p of people) await queueCancellationMail(trx, ctx, { to: p.email, name: p.name, event: row, span, reason });
    return { event: toEventRecord(row), mailed: people.length };
  });
}
