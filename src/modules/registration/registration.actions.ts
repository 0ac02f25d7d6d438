import { notifyWaitlistPromotions } from './promotions.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { auditEventChange, definedOnly, ensureAllowed, scopeOf, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { writeEventIn } from '../events/event-write.js';
import { excessOnLowering, freeSeats } from './registration.js';
import { RegistrationErrors } from './registration.errors.js';
import { queueRsvpMail } from './registration-mail.js';
import { canManageRegistration } from './registration.policy.js';
import { CapacitySchema, MoveSchema, RegistrationSettingsSchema, TicketTypeSchema } from './registration.schemas.js';
import {
  findRsvpById,
  inRegistrationTransaction,
  lockRegistration,
  seatsTaken,
  toRsvpView,
  toSettings,
  waitlistPosition,
  type LockedRegistration,
  type RegistrationContext,
  type RegistrationSettings,
  type RsvpView,
} from './rsvp.queries.js';
import { cancelSignupsOf } from './session-signup.queries.js';
import { newTicketNonce } from './tokens.js';
import { fillSeats } from './waitlist.queries.js';

/*
 * Organizer use cases: settings (window, guests, questions, reminders, overlap), capacity, close
 * and reopen early, moving people by hand, ticket types. Each runs in the locked transaction,
 * checks canManageRegistration, and writes an audit row.
 */

const CHANGE_CAPACITY = { may: canManageRegistration, what: 'change the capacity of this event' };

async function lockForOrganizer(trx: Trx, ctx: RegistrationContext, actor: Actor | null, eventId: number, what: string): Promise<LockedRegistration> {
  const locked = await lockRegistration(trx, ctx, eventId, { includeDrafts: true });
  ensureAllowed(canManageRegistration(actor, scopeOf(locked.event)), what);
  return locked;
}

async function reloadSettings(trx: Trx, eventId: number): Promise<RegistrationSettings> {
  const row = await trx
    .selectFrom('registration_settings')
    .innerJoin('events', 'events.id', 'registration_settings.event_id')
    .selectAll('registration_settings')
    .select('events.capacity')
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();
  return toSettings(row, row.capacity);
}

/**
 * Changes registration settings (absent fields keep their value): `opensAt`, `closesAt` (blank =
 * when the event starts), `guestLimit` (existing RSVPs keep their guests), `questions`,
 * `allowSessionOverlap`, `reminderHours`. Side effects: settings row, audit row.
 * @throws VALIDATION_FAILED (also closesAt before opensAt), FORBIDDEN, NOT_FOUND.
 */
export async function updateRegistrationSettings(
  db: Db,
  ctx: RegistrationContext,
  actor: Actor | null,
  eventId: number,
  input: unknown,
): Promise<RegistrationSettings> {
  const data = definedOnly(parseInput(RegistrationSettingsSchema, input));
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockForOrganizer(trx, ctx, actor, eventId, 'change registration of this event');
    const opensAt = data.opensAt === undefined ? locked.settings.opensAt : data.opensAt;
    const closesAt = data.closesAt === undefined ? locked.settings.closesAt : data.closesAt;
    if (opensAt && closesAt && closesAt <= opensAt) throw EventErrors.validationFailed([{ path: 'closesAt', message: 'must be after opensAt' }]);
    await trx
      .updateTable('registration_settings')
      .set({
        opens_at: opensAt,
        closes_at: closesAt,
        ...(data.guestLimit !== undefined ? { guest_limit: data.guestLimit } : {}),
        ...(data.questions !== undefined ? { questions: JSON.stringify(data.questions) } : {}),
        ...(data.allowSessionOverlap !== undefined ? { allow_session_overlap: data.allowSessionOverlap ? 1 : 0 } : {}),
        ...(data.reminderHours !== undefined ? { reminder_hours: JSON.stringify([...new Set(data.reminderHours)].sort((a, b) => b - a)) } : {}),
        updated_at: locked.now,
      })
      .where('event_id', '=', eventId)
      .execute();
    await auditEventChange(trx, actor, locked.event, {
      at: ctx.clock.instant(),
      action: 'registration.updated',
      entityType: 'event',
      entityId: eventId,
      summary: `Registration settings changed: ${Object.keys(data).join(', ') || 'nothing'}`,
    });
    return reloadSettings(trx, eventId);
  });
}

/** What a capacity change did. */
export interface CapacityResult {
  readonly settings: RegistrationSettings;
  /** RSVP ids promoted from the waitlist (capacity raised). */
  readonly promoted: readonly number[];
  /** RSVP ids moved to the head of the waitlist (lowered, confirmed by the organizer). */
  readonly movedToWaitlist: readonly number[];
}

/**
 * Sets the number of seats (attendees + guests; null = unlimited). Raising it promotes the first
 * waitlisted people who fit. Lowering it below the confirmed seats is refused with
 * RSVP_CAPACITY_BELOW_CONFIRMED naming the latest confirmed RSVPs that would move to the head
 * of the waitlist (keeping their order); repeating the call with `confirmMoveToWaitlist` equal
 * to that number does it (and mails them). Nobody is dropped silently.
 * Side effects: settings row, RSVP rows, mails, audit row.
 * @throws VALIDATION_FAILED, FORBIDDEN, NOT_FOUND, RSVP_CAPACITY_BELOW_CONFIRMED (409; also when
 *   the confirmed number no longer matches, e.g. more people RSVPed since).
 */
export async function changeCapacity(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, input: unknown): Promise<CapacityResult> {
  const data = parseInput(CapacitySchema, input);
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockForOrganizer(trx, ctx, actor, eventId, 'change the capacity of this event');
    const moved: number[] = [];
    if (data.capacity !== null) {
      const going = await trx
        .selectFrom('rsvps')
        .innerJoin('users', 'users.id', 'rsvps.user_id')
        .select(['rsvps.id', 'rsvps.guests', 'rsvps.updated_at', 'users.display_name', 'users.email'])
        .where('rsvps.event_id', '=', eventId)
        .where('rsvps.status', '=', 'going')
        .orderBy('rsvps.updated_at')
        .orderBy('rsvps.id')
        .execute();
      const excess = excessOnLowering(
        going.map((g) => ({ ...g, seats: 1 + g.guests })),
        data.capacity,
      );
      if (excess.length > 0) {
        const taken = going.reduce((n, g) => n + 1 + g.guests, 0);
        if (data.confirmMoveToWaitlist !== excess.length) {
          throw RegistrationErrors.capacityBelowConfirmed(
            data.capacity,
            taken,
            excess.map((g) => ({ path: `rsvps[${g.id}]`, message: `${g.display_name}${g.guests ? ` (+${g.guests})` : ''} would move to the waitlist` })),
          );
        }
        // Head of the line, in the order they were confirmed: below every current arrival number.
        const head = await trx
          .selectFrom('rsvps')
          .select((eb) => eb.fn.min<number | null>('waitlist_seq').as('min'))
          .where('event_id', '=', eventId)
          .where('status', '=', 'waitlisted')
          .executeTakeFirst();
        let seq = Math.min(0, Number(head?.min ?? 1)) - excess.length;
        for (const g of excess) {
          await trx.updateTable('rsvps').set({ status: 'waitlisted', waitlist_seq: seq++, updated_at: locked.now }).where('id', '=', g.id).execute();
          moved.push(g.id);
        }
      }
    }
    const next = { ...locked, settings: { ...locked.settings, capacity: data.capacity } };
    const promoted = await fillSeats(trx, ctx, next);
    for (const id of moved) {
      const r = (await findRsvpById(trx, id))!;
      const u = await trx.selectFrom('users').select(['email', 'display_name']).where('id', '=', r.user_id).executeTakeFirstOrThrow();
      await queueRsvpMail(trx, ctx, {
        kind: 'moved_to_waitlist',
        to: u.email,
        name: u.display_name,
        event: locked.event,
        span: locked.span,
        rsvp: r,
        position: await waitlistPosition(trx, r),
      });
    }
    // The event's one capacity, shown on its public page and in the API: a public change of the event.
    await writeEventIn({ trx, clock: ctx.clock }, actor, eventId, CHANGE_CAPACITY, async (w) => {
      await w.trx.updateTable('events').set({ capacity: data.capacity }).where('id', '=', eventId).execute();
      w.audit({
        action: 'registration.capacity_changed',
        entityType: 'event',
        entityId: eventId,
        summary: `Capacity ${locked.settings.capacity ?? 'unlimited'} → ${data.capacity ?? 'unlimited'}${promoted.length ? `; ${promoted.length} promoted` : ''}${moved.length ? `; ${moved.length} moved to the waitlist` : ''}`,
      });
    });
    return { settings: await reloadSettings(trx, eventId), promoted, movedToWaitlist: moved };
  });
}

/**
 * Closes RSVPs early (`open: false`) or reopens them (`open: true`). Closed, nobody can answer
 * yes or add guests; cancelling still works and still promotes from the waitlist.
 * Side effects: settings row, audit row. @throws FORBIDDEN, NOT_FOUND.
 */
export async function setRsvpsOpen(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, open: boolean): Promise<RegistrationSettings> {
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockForOrganizer(trx, ctx, actor, eventId, open ? 'reopen RSVPs' : 'close RSVPs');
    await trx
      .updateTable('registration_settings')
      .set({ closed_at: open ? null : locked.now, updated_at: locked.now })
      .where('event_id', '=', eventId)
      .execute();
    if (open) await fillSeats(trx, ctx, locked);
    await auditEventChange(trx, actor, locked.event, {
      at: ctx.clock.instant(),
      action: open ? 'registration.reopened' : 'registration.closed',
      entityType: 'event',
      entityId: eventId,
      summary: open ? 'RSVPs reopened' : 'RSVPs closed early',
    });
    return reloadSettings(trx, eventId);
  });
}

/**
 * Moves one RSVP by hand: `going` (promote from the waitlist ahead of the line; needs free
 * seats), `waitlisted` (demote a going person to the end of the line; the freed seats go to the
 * waitlist's head by the usual rule, and the person is mailed), `cancelled`.
 * Side effects: RSVP row(s), mails, audit row.
 * @throws VALIDATION_FAILED, FORBIDDEN, NOT_FOUND, RSVP_NOT_FOUND, RSVP_TRANSITION_INVALID,
 *   RSVP_NO_SEATS.
 */
export async function moveRsvp(
  db: Db,
  ctx: RegistrationContext,
  actor: Actor | null,
  eventId: number,
  input: unknown,
): Promise<{ rsvp: RsvpView; promoted: readonly number[] }> {
  const data = parseInput(MoveSchema, input);
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockForOrganizer(trx, ctx, actor, eventId, 'move attendees of this event');
    const r = await findRsvpById(trx, data.rsvpId);
    if (!r || r.event_id !== eventId) throw RegistrationErrors.notFound();
    const u = await trx.selectFrom('users').select(['email', 'display_name']).where('id', '=', r.user_id).executeTakeFirstOrThrow();
    const mail = (kind: 'promoted' | 'moved_to_waitlist', row: typeof r, position: number | null = null) =>
      queueRsvpMail(trx, ctx, { kind, to: u.email, name: u.display_name, event: locked.event, span: locked.span, rsvp: row, position });
    let promoted: number[] = [];
    if (data.to === 'going') {
      if (r.status !== 'waitlisted') throw RegistrationErrors.transitionInvalid('promote', r.status);
      const taken = await seatsTaken(trx, eventId);
      const free = freeSeats(locked.settings.capacity, taken.total);
      if (1 + r.guests > free) throw RegistrationErrors.noSeats(1 + r.guests, free);
      await trx
        .updateTable('rsvps')
        .set({ status: 'going', waitlist_seq: null, promoted_at: locked.now, updated_at: locked.now })
        .where('id', '=', r.id)
        .where('status', '=', 'waitlisted')
        .execute();
      notifyWaitlistPromotions(1);
      await mail('promoted', r);
    } else if (data.to === 'waitlisted') {
      if (r.status !== 'going') throw RegistrationErrors.transitionInvalid('move to the waitlist', r.status);
      const seq = (
        await trx
          .updateTable('registration_settings')
          .set((eb) => ({ waitlist_seq: eb('waitlist_seq', '+', 1) }))
          .where('event_id', '=', eventId)
          .returning('waitlist_seq')
          .executeTakeFirstOrThrow()
      ).waitlist_seq;
      await trx.updateTable('rsvps').set({ status: 'waitlisted', waitlist_seq: seq, updated_at: locked.now }).where('id', '=', r.id).execute();
      promoted = (await fillSeats(trx, ctx, locked)).filter((id) => id !== r.id);
      const after = (await findRsvpById(trx, r.id))!;
      if (after.status === 'waitlisted') await mail('moved_to_waitlist', after, await waitlistPosition(trx, after));
    } else {
      if (r.status !== 'going' && r.status !== 'waitlisted') throw RegistrationErrors.transitionInvalid('cancel', r.status);
      await trx.updateTable('rsvps').set({ status: 'cancelled', waitlist_seq: null, updated_at: locked.now }).where('id', '=', r.id).execute();
      await cancelSignupsOf(trx, ctx, locked, r.user_id);
      if (r.status === 'going') promoted = await fillSeats(trx, ctx, locked);
    }
    await auditEventChange(trx, actor, locked.event, {
      at: ctx.clock.instant(),
      action: 'rsvp.moved',
      entityType: 'rsvp',
      entityId: r.id,
      summary: `Moved ${u.display_name} from ${r.status} to ${data.to}`,
    });
    return { rsvp: await toRsvpView(trx, (await findRsvpById(trx, r.id))!), promoted };
  });
}

/**
 * Adds a ticket type (free; price kept for later) with an optional quota of seats.
 * Side effects: ticket_types row, audit row. @throws VALIDATION_FAILED, FORBIDDEN, NOT_FOUND, NAME_TAKEN.
 */
export async function createTicketType(
  db: Db,
  ctx: RegistrationContext,
  actor: Actor | null,
  eventId: number,
  input: unknown,
): Promise<{ id: number; name: string; quota: number | null }> {
  const data = parseInput(TicketTypeSchema, input);
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockForOrganizer(trx, ctx, actor, eventId, 'add ticket types');
    const clash = await trx.selectFrom('ticket_types').select('id').where('event_id', '=', eventId).where('name', '=', data.name).executeTakeFirst();
    if (clash) throw EventErrors.nameTaken('ticket type', data.name);
    const pos = await trx
      .selectFrom('ticket_types')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('ticket_types')
      .values({ event_id: eventId, name: data.name, description: data.description, quota: data.quota, position: Number(pos.n), created_at: locked.now })
      .returning(['id', 'name', 'quota'])
      .executeTakeFirstOrThrow();
    await auditEventChange(trx, actor, locked.event, {
      at: ctx.clock.instant(),
      action: 'ticket_type.created',
      entityType: 'ticket_type',
      entityId: row.id,
      summary: `Added ticket type "${row.name}"${row.quota ? ` (${row.quota} seats)` : ''}`,
    });
    return row;
  });
}

/**
 * Voids a person's ticket and issues a new one (lost or shared QR code): the old token stops
 * working. Side effects: RSVP ticket_nonce, audit row. @throws FORBIDDEN, NOT_FOUND, RSVP_NOT_FOUND.
 */
export async function reissueTicket(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, rsvpId: number): Promise<void> {
  await inRegistrationTransaction(db, async (trx) => {
    const locked = await lockForOrganizer(trx, ctx, actor, eventId, 'reissue tickets');
    const r = await trx
      .updateTable('rsvps')
      .set({ ticket_nonce: newTicketNonce(), updated_at: locked.now })
      .where('id', '=', rsvpId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw RegistrationErrors.notFound();
    await auditEventChange(trx, actor, locked.event, {
      at: ctx.clock.instant(),
      action: 'ticket.reissued',
      entityType: 'rsvp',
      entityId: rsvpId,
      summary: `Reissued ticket of RSVP #${rsvpId}`,
    });
  });
}
