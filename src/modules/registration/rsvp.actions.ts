import type { Db } from '../../db/database.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import type { Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { answerProblems, freeSeats, normaliseAnswers, transitionFor, windowState, type RsvpStatus } from './registration.js';
import { RegistrationErrors } from './registration.errors.js';
import { queueRsvpMail } from './registration-mail.js';
import { canRsvp } from './registration.policy.js';
import { RsvpSchema, type RsvpInput } from './registration.schemas.js';
import type { RsvpRow } from './registration.table.js';
import {
  findRsvp,
  findRsvpById,
  inRegistrationTransaction,
  insertRsvp,
  lockRegistrationForRsvp,
  seatsTaken,
  toRsvpView,
  type LockedRegistration,
  type LockedRsvp,
  type RegistrationContext,
  type RsvpView,
  writeArrival,
} from './rsvp.queries.js';
import { cancelSignupsOf } from './session-signup.queries.js';
import { readManageToken, ticketQrSvg, ticketToken } from './tokens.js';
import { fillSeats } from './waitlist.queries.js';

/*
 * Attendee use cases: answer yes or no, change guests and answers, cancel; the same through the
 * mailed "update my RSVP" link without signing in; and one's ticket.
 */

/** What an RSVP action did, besides the RSVP as it now is. */
export interface RsvpResult {
  readonly rsvp: RsvpView;
  /** False when the same answer was given again (idempotent: nothing written, no mail). */
  readonly changed: boolean;
  /** Other people's RSVP ids promoted from the waitlist by this change (e.g. a cancellation). */
  readonly promoted: readonly number[];
}

/**
 * Answers the event's RSVP for the signed-in person: `attending: true` (with `guests`, `answers`,
 * `ticketTypeId`) or false. Idempotent per person and event: one RSVP row; the same answer again
 * changes nothing. A new yes joins the end of the waitlist and is admitted at once if it fits
 * (nobody earlier in line fits the free seats, by the promotion rule), so first come, first
 * served holds also against people already waiting.
 * Side effects, in one transaction with the event locked: the RSVP row (going / waitlisted /
 * not_going / cancelled), waitlist promotions of others when seats free up (guests reduced,
 * cancellation), session sign-ups cancelled with the RSVP, mails (confirmed / waitlisted /
 * promoted) with the manage link and .ics.
 * @throws VALIDATION_FAILED (422: a field, an answer, ticket type), EMAIL_NOT_VERIFIED (403),
 *   FORBIDDEN (403: not signed in), EVENT_NOT_FOUND (404), EVENT_CANCELLED, EVENT_PAST,
 *   RSVP_CLOSED (409), RSVP_GUESTS_ABOVE_LIMIT (422), RSVP_NO_SEATS (409: a going person adds
 *   guests beyond the free seats; their RSVP stays as it was).
 */
export async function rsvp(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, input: unknown): Promise<RsvpResult> {
  if (!actor) throw EventErrors.forbidden('RSVP without signing in');
  if (!canRsvp(actor)) throw new DomainError('EMAIL_NOT_VERIFIED', 'Confirm your e-mail address first: RSVP mails go to it.', 403);
  const data = parseInput(RsvpSchema, input);
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockRegistrationForRsvp(trx, ctx, eventId, actor.userId);
    return answer(trx, ctx, locked, actor.userId, locked.existing, data);
  });
}

/**
 * Cancels the signed-in person's RSVP (going or waitlisted → cancelled): frees the seats, which
 * go to the waitlist at once. Cancelling again changes nothing. Side effects as `rsvp`.
 * @throws FORBIDDEN, EVENT_NOT_FOUND, EVENT_PAST, RSVP_NOT_FOUND (404: never answered).
 */
export async function cancelRsvp(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number): Promise<RsvpResult> {
  if (!actor) throw EventErrors.forbidden('cancel an RSVP without signing in');
  return inRegistrationTransaction(db, async (trx) => {
    const locked = await lockRegistrationForRsvp(trx, ctx, eventId, actor.userId);
    const existing = locked.existing;
    if (!existing) throw RegistrationErrors.notFound();
    return answer(trx, ctx, locked, actor.userId, existing, { attending: false, guests: existing.guests, answers: {} });
  });
}

/**
 * What a manage link (from a registration mail) shows: the RSVP and its event, without signing
 * in. @throws RSVP_LINK_INVALID (400: forged, or the RSVP is gone), RSVP_LINK_EXPIRED (410).
 */
export async function readRsvpLink(db: Db, ctx: RegistrationContext, token: string): Promise<{ rsvp: RsvpView; eventId: number; userId: number }> {
  const { rsvpId } = readManageToken(ctx.secret, token, ctx.clock.now());
  const row = await findRsvpById(db, rsvpId);
  if (!row) throw RegistrationErrors.linkInvalid();
  return { rsvp: await toRsvpView(db, row), eventId: row.event_id, userId: row.user_id };
}

/**
 * Changes an RSVP through its manage link, without signing in: the same rules and side effects
 * as `rsvp` for the link's person (yes with guests/answers, or no = cancel).
 * @throws RSVP_LINK_INVALID, RSVP_LINK_EXPIRED, and everything `rsvp` throws.
 */
export async function updateRsvpByLink(db: Db, ctx: RegistrationContext, token: string, input: unknown): Promise<RsvpResult> {
  const { rsvpId } = readManageToken(ctx.secret, token, ctx.clock.now());
  const data = parseInput(RsvpSchema, input);
  return inRegistrationTransaction(db, async (trx) => {
    const pre = await findRsvpById(trx, rsvpId);
    if (!pre) throw RegistrationErrors.linkInvalid();
    const locked = await lockRegistrationForRsvp(trx, ctx, pre.event_id, pre.user_id);
    const existing = locked.existing;
    if (!existing || existing.id !== rsvpId) throw RegistrationErrors.linkInvalid();
    return answer(trx, ctx, locked, existing.user_id, existing, data);
  });
}

/** A going person's ticket: the signed token and its QR code (SVG), or null when not going. */
export async function getTicket(db: Db, ctx: RegistrationContext, eventId: number, userId: number): Promise<{ token: string; qrSvg: string } | null> {
  const r = await findRsvp(db, eventId, userId);
  if (r?.status !== 'going') return null;
  const token = ticketOf(ctx, r);
  return { token, qrSvg: await ticketQrSvg(token) };
}

/**
 * A going person's ticket as data (for the API: the token a client shows as a QR code) with the
 * RSVP it admits. @throws TICKET_NOT_FOUND (404: no RSVP, or not going).
 */
export async function getTicketToken(db: Db, ctx: RegistrationContext, eventId: number, userId: number): Promise<{ token: string; rsvp: RsvpView }> {
  const r = await findRsvp(db, eventId, userId);
  if (r?.status !== 'going') throw RegistrationErrors.ticketNotFound();
  return { token: ticketOf(ctx, r), rsvp: await toRsvpView(db, r, null) };
}

function ticketOf(ctx: RegistrationContext, r: RsvpRow): string {
  return ticketToken(ctx.secret, { eventId: r.event_id, rsvpId: r.id, nonce: r.ticket_nonce });
}

/** Checks that the event takes this kind of change now. */
function ensureEventOpen(locked: LockedRegistration, needsWindow: boolean): void {
  const e = locked.event;
  if (e.cancelled_at) throw RegistrationErrors.eventCancelled(e.title);
  if (locked.now >= locked.span.endsAt) throw RegistrationErrors.eventPast(e.title);
  if (!needsWindow) return;
  const w = windowState(locked.settings, locked.span.startsAt, locked.now);
  if (w !== 'open') throw RegistrationErrors.closed(w, locked.settings.opensAt);
}

/**
 * Checks a yes (guests, answers, ticket type). Returns the normalised answers, the ticket type
 * and whether a quota applies to it.
 */
async function validateYes(
  trx: Trx,
  locked: LockedRsvp,
  data: RsvpInput,
): Promise<{ answers: Record<string, string>; ticketTypeId: number | null; quota: boolean }> {
  const s = locked.settings;
  if (data.guests > s.guestLimit) throw RegistrationErrors.guestsAboveLimit(s.guestLimit);
  const answers = normaliseAnswers(data.answers);
  const problems = answerProblems(s.questions, answers);
  const types = locked.ticketTypes === 0 ? [] : await trx.selectFrom('ticket_types').select(['id', 'quota']).where('event_id', '=', locked.event.id).execute();
  let ticketTypeId = data.ticketTypeId ?? null;
  if (types.length === 0 && ticketTypeId !== null) problems.push({ path: 'ticketTypeId', message: 'this event has no ticket types' });
  else if (types.length > 0 && ticketTypeId === null) {
    if (types.length === 1) ticketTypeId = types[0]!.id;
    else problems.push({ path: 'ticketTypeId', message: 'choose a ticket type' });
  } else if (ticketTypeId !== null && !types.some((t) => t.id === ticketTypeId))
    problems.push({ path: 'ticketTypeId', message: 'is not a ticket type of this event' });
  if (problems.length) throw EventErrors.validationFailed(problems);
  return { answers, ticketTypeId, quota: types.some((t) => t.id === ticketTypeId && t.quota !== null) };
}

function personOf(locked: LockedRsvp, userId: number): { email: string; name: string } {
  if (!locked.person) throw new Error(`RSVP: user ${userId} not found`);
  return locked.person;
}

/** The state machine step, under the lock. */
async function answer(
  trx: Trx,
  ctx: RegistrationContext,
  locked: LockedRsvp,
  userId: number,
  existing: RsvpRow | undefined,
  data: RsvpInput,
): Promise<RsvpResult> {
  const from: RsvpStatus | 'none' = existing ? (existing.status as RsvpStatus) : 'none';
  const step = transitionFor(from, data.attending);
  const now = locked.now;
  const eventId = locked.event.id;
  if (step === 'noop') {
    ensureEventOpen(locked, false);
    return { rsvp: await toRsvpView(trx, existing!), changed: false, promoted: [] };
  }
  if (step === 'answer_no') {
    ensureEventOpen(locked, false);
    const row = await insertRsvp(trx, { eventId, userId, status: 'not_going', guests: 0, answers: {}, ticketTypeId: null, waitlistSeq: null, now });
    return { rsvp: await toRsvpView(trx, row), changed: true, promoted: [] };
  }
  if (step === 'cancel') {
    ensureEventOpen(locked, false);
    const row = await trx
      .updateTable('rsvps')
      .set({ status: 'cancelled', waitlist_seq: null, updated_at: now })
      .where('id', '=', existing!.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await cancelSignupsOf(trx, ctx, locked, userId);
    const promoted =
      existing!.status === 'going'
        ? await fillSeats(trx, ctx, locked, null, { seatsTaken: locked.seatsTaken - 1 - existing!.guests, ticketTypes: locked.ticketTypes })
        : [];
    return { rsvp: await toRsvpView(trx, row, null), changed: true, promoted };
  }
  const person = personOf(locked, userId);
  if (step === 'update') {
    const { answers, ticketTypeId } = await validateYes(trx, locked, data);
    const prev = existing!;
    const same = prev.guests === data.guests && prev.answers === JSON.stringify(answers) && prev.ticket_type_id === ticketTypeId;
    if (same) {
      ensureEventOpen(locked, false);
      return { rsvp: await toRsvpView(trx, prev), changed: false, promoted: [] };
    }
    // More seats, or another ticket type, is a new request: only while RSVPs are open.
    ensureEventOpen(locked, data.guests > prev.guests || ticketTypeId !== prev.ticket_type_id);
    if (prev.status === 'going' && (data.guests > prev.guests || ticketTypeId !== prev.ticket_type_id)) {
      const taken = await seatsTaken(trx, eventId);
      const free = freeSeats(locked.settings.capacity, taken.total - 1 - prev.guests);
      if (1 + data.guests > free) throw RegistrationErrors.noSeats(1 + data.guests, free === Number.POSITIVE_INFINITY ? 0 : free);
      if (ticketTypeId !== null) {
        const t = await trx.selectFrom('ticket_types').select('quota').where('id', '=', ticketTypeId).executeTakeFirstOrThrow();
        const used = (taken.byType.get(ticketTypeId) ?? 0) - (prev.ticket_type_id === ticketTypeId ? 1 + prev.guests : 0);
        if (t.quota !== null && used + 1 + data.guests > t.quota) throw RegistrationErrors.noSeats(1 + data.guests, Math.max(0, t.quota - used));
      }
    }
    const row = await trx
      .updateTable('rsvps')
      .set({ guests: data.guests, answers: JSON.stringify(answers), ticket_type_id: ticketTypeId, updated_at: now })
      .where('id', '=', prev.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const promoted = await fillSeats(trx, ctx, locked);
    const after = promoted.includes(row.id) ? await findRsvpById(trx, row.id) : row;
    if (promoted.includes(row.id))
      await queueRsvpMail(trx, ctx, { kind: 'promoted', to: person.email, name: person.name, event: locked.event, span: locked.span, rsvp: row });
    return { rsvp: await toRsvpView(trx, after!), changed: true, promoted: promoted.filter((id) => id !== row.id) };
  }
  // answer_yes: join the end of the line, then let the promotion rule admit whoever fits.
  ensureEventOpen(locked, true);
  const { answers, ticketTypeId, quota } = await validateYes(trx, locked, data);
  // Under the lock the last arrival number handed out is the one just read.
  const seq = locked.settings.waitlistSeq + 1;
  const free = freeSeats(locked.settings.capacity, locked.seatsTaken);
  // Nobody waiting and no quota: the promotion rule comes down to "admitted if the party fits",
  // so the row is written as it ends up. Full: nobody can be admitted, so it stays waitlisted.
  const settled = (locked.waitlisted === 0 && !quota) || free <= 0;
  const admittedAtOnce = settled && 1 + data.guests <= free;
  const row = await writeArrival(trx, {
    eventId,
    userId,
    existingId: existing ? existing.id : null,
    seq,
    status: admittedAtOnce ? 'going' : 'waitlisted',
    guests: data.guests,
    answers,
    ticketTypeId,
    waitlistSeq: admittedAtOnce ? null : seq,
    now,
  });
  const promoted = settled ? [] : await fillSeats(trx, ctx, locked, row.id, { seatsTaken: locked.seatsTaken, ticketTypes: locked.ticketTypes });
  const admitted = admittedAtOnce || promoted.includes(row.id);
  const final = admitted ? { ...row, status: 'going', waitlist_seq: null } : row;
  // Everyone waiting arrived before (smaller arrival numbers); those promoted just now left the line.
  const others = promoted.filter((id) => id !== row.id);
  const position = admitted ? null : locked.waitlisted - others.length + 1;
  await queueRsvpMail(trx, ctx, {
    kind: admitted ? 'confirmed' : 'waitlisted',
    to: person.email,
    name: person.name,
    event: locked.event,
    span: locked.span,
    rsvp: row,
    position,
  });
  return { rsvp: await toRsvpView(trx, final, position), changed: true, promoted: others };
}
