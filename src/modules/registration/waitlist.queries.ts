import { notifyWaitlistPromotions } from './promotions.js';
import type { Trx } from '../events/event-write.queries.js';
import { admit, freeSeats } from './registration.js';
import { queueRsvpMail } from './registration-mail.js';
import { seatsTaken, type LockedRegistration, type RegistrationContext } from './rsvp.queries.js';

/*
 * Waitlist promotion. Runs inside the locked transaction after every change that can free seats
 * (cancel, capacity raised, guests reduced, demotion, a new arrival) so that, between
 * transactions, no waitlisted party fits the free seats: each freed seat is filled at once.
 */

const PAGE = 200;

/**
 * Promotes, in arrival order, every waitlisted RSVP that fits the free seats (and its ticket
 * type's quota), first-fit (see `admit`). Each promotion is one UPDATE … WHERE status =
 * 'waitlisted' under the event lock, so a person is promoted exactly once. Mails every promoted
 * person ('promoted'), except `arrivingId`, whose caller mails a plain confirmation.
 * Returns the promoted RSVP ids in order.
 * `known`: what the caller read under the lock and changed since (seats taken now; ticket types),
 * to spare the reads; without ticket types there are no quotas to check.
 */
export async function fillSeats(
  trx: Trx,
  ctx: RegistrationContext,
  locked: LockedRegistration,
  arrivingId: number | null = null,
  known?: { seatsTaken: number; ticketTypes: number },
): Promise<number[]> {
  const eventId = locked.event.id;
  const simple = known !== undefined && known.ticketTypes === 0;
  const taken = simple ? { total: known.seatsTaken, byType: new Map<number, number>() } : await seatsTaken(trx, eventId);
  let free = freeSeats(locked.settings.capacity, taken.total);
  if (free <= 0) return [];
  const quotas = simple
    ? []
    : await trx.selectFrom('ticket_types').select(['id', 'quota']).where('event_id', '=', eventId).where('quota', 'is not', null).execute();
  const quotaLeft = new Map(quotas.map((t) => [t.id, Math.max(0, t.quota! - (taken.byType.get(t.id) ?? 0))]));
  const promoted: number[] = [];
  let after: number | null = null;
  while (free > 0) {
    let q = trx
      .selectFrom('rsvps')
      .select(['id', 'guests', 'ticket_type_id', 'waitlist_seq'])
      .where('event_id', '=', eventId)
      .where('status', '=', 'waitlisted')
      .orderBy('waitlist_seq')
      .limit(PAGE);
    if (free !== Number.POSITIVE_INFINITY) q = q.where((eb) => eb(eb('guests', '+', 1), '<=', free));
    if (after !== null) q = q.where('waitlist_seq', '>', after);
    const page = await q.execute();
    if (page.length === 0) break;
    const ids = admit(
      page.map((r) => ({ id: r.id, seats: 1 + r.guests, ticketTypeId: r.ticket_type_id })),
      free,
      quotaLeft,
    );
    for (const id of ids) {
      const r = page.find((p) => p.id === id)!;
      const res = await trx
        .updateTable('rsvps')
        .set({ status: 'going', waitlist_seq: null, promoted_at: id === arrivingId ? null : locked.now, updated_at: locked.now })
        .where('id', '=', id)
        .where('status', '=', 'waitlisted')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) continue;
      free -= 1 + r.guests;
      if (r.ticket_type_id !== null && quotaLeft.has(r.ticket_type_id)) quotaLeft.set(r.ticket_type_id, quotaLeft.get(r.ticket_type_id)! - 1 - r.guests);
      promoted.push(id);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.waitlist_seq;
  }
  const toMail = promoted.filter((id) => id !== arrivingId);
  notifyWaitlistPromotions(toMail.length);
  if (toMail.length) {
    const people = await trx
      .selectFrom('rsvps')
      .innerJoin('users', 'users.id', 'rsvps.user_id')
      .select(['rsvps.id', 'rsvps.guests', 'users.email', 'users.display_name'])
      .where('rsvps.id', 'in', toMail)
      .execute();
    for (const id of toMail) {
      const p = people.find((x) => x.id === id)!;
      await queueRsvpMail(trx, ctx, {
        kind: 'promoted',
        to: p.email,
        name: p.display_name,
        event: locked.event,
        span: locked.span,
        rsvp: { id: p.id, guests: p.guests },
      });
    }
  }
  return promoted;
}
