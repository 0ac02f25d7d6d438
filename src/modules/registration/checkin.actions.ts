import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { ensureAllowed, scopeOf } from '../events/event-write.queries.js';
import { localLabel } from '../events/event-dates.js';
import { RegistrationErrors } from './registration.errors.js';
import { canCheckIn, canViewAttendees } from './registration.policy.js';
import type { RegistrationContext } from './rsvp.queries.js';
import type { RsvpStatus } from './registration.js';
import { readTicketToken } from './tokens.js';
import { parseInput } from '../../lib/form-fields.js';
import { AttendeeQuerySchema, TicketScanSchema } from './registration.schemas.js';

/*
 * Check-in at the door, by scanned ticket or by name, and the attendee list (with CSV export).
 * A check-in is one conditional UPDATE (… WHERE checked_in_at IS NULL AND status = 'going'), so
 * several volunteers scanning at once never check one person in twice or lose a check-in; the
 * loser reads why and is told (second scan, cancelled ticket). No event lock: check-ins never
 * change seats.
 */

export interface CheckedIn {
  readonly rsvpId: number;
  readonly name: string;
  readonly guests: number;
  readonly ticketType: string | null;
  readonly checkedInAt: string;
}

async function loadEvent(db: Db, eventId: number) {
  const e = await db.selectFrom('events').select(['id', 'community_id', 'time_zone']).where('id', '=', eventId).executeTakeFirst();
  if (!e) throw EventErrors.notFound('event', eventId);
  return e;
}

async function checkIn(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, rsvpId: number, viaTicket: string | null): Promise<CheckedIn> {
  const event = await loadEvent(db, eventId);
  ensureAllowed(canCheckIn(actor, scopeOf(event)), 'check people in at this event');
  const now = ctx.clock.instant();
  let q = db
    .updateTable('rsvps')
    .set({ checked_in_at: now, checked_in_by: actor!.userId })
    .where('id', '=', rsvpId)
    .where('event_id', '=', eventId)
    .where('status', '=', 'going')
    .where('checked_in_at', 'is', null);
  if (viaTicket !== null) q = q.where('ticket_nonce', '=', viaTicket);
  const res = await q.executeTakeFirst();
  const r = await db
    .selectFrom('rsvps')
    .innerJoin('users', 'users.id', 'rsvps.user_id')
    .leftJoin('ticket_types', 'ticket_types.id', 'rsvps.ticket_type_id')
    .select([
      'rsvps.id',
      'rsvps.status',
      'rsvps.guests',
      'rsvps.checked_in_at',
      'rsvps.ticket_nonce',
      'rsvps.event_id',
      'users.display_name',
      'ticket_types.name as ticket_type',
    ])
    .where('rsvps.id', '=', rsvpId)
    .executeTakeFirst();
  if (!r || r.event_id !== eventId) throw viaTicket !== null ? RegistrationErrors.ticketInvalid() : RegistrationErrors.notFound();
  if (Number(res.numUpdatedRows) !== 1) {
    if (viaTicket !== null && r.ticket_nonce !== viaTicket) throw RegistrationErrors.ticketInvalid();
    if (r.status !== 'going') throw RegistrationErrors.ticketCancelled(r.display_name, r.status);
    throw RegistrationErrors.alreadyCheckedIn(r.display_name, localLabel(r.checked_in_at!, event.time_zone));
  }
  return { rsvpId: r.id, name: r.display_name, guests: r.guests, ticketType: r.ticket_type, checkedInAt: r.checked_in_at! };
}

/**
 * Checks in the holder of a scanned ticket token. Returns who it is.
 * Side effect: rsvps.checked_in_at/by (once).
 * @throws FORBIDDEN, NOT_FOUND (event), TICKET_INVALID (400: forged, unreadable, or voided by a
 *   reissue), TICKET_OTHER_EVENT, TICKET_CANCELLED (the RSVP is no longer going),
 *   TICKET_ALREADY_CHECKED_IN (second scan; the message says when) — all 409 and nothing changed.
 */
export async function checkInByTicket(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, token: string): Promise<CheckedIn> {
  const t = readTicketToken(ctx.secret, token);
  if (t.eventId !== eventId) {
    await loadEvent(db, eventId).then((e) => ensureAllowed(canCheckIn(actor, scopeOf(e)), 'check people in at this event'));
    throw RegistrationErrors.ticketOtherEvent();
  }
  return checkIn(db, ctx, actor, eventId, t.rsvpId, t.nonce);
}

/**
 * `checkInByTicket` for a JSON or form body `{ ticket }`. @throws VALIDATION_FAILED (422: no
 * `ticket`), and everything checkInByTicket throws.
 */
export function scanTicket(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, input: unknown): Promise<CheckedIn> {
  return checkInByTicket(db, ctx, actor, eventId, parseInput(TicketScanSchema, input).ticket);
}

/** Checks in an RSVP found by name search (same rules and errors, without the ticket). */
export function checkInRsvp(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number, rsvpId: number): Promise<CheckedIn> {
  return checkIn(db, ctx, actor, eventId, rsvpId, null);
}

/** Undoes a check-in made by mistake. @throws FORBIDDEN, RSVP_NOT_FOUND. */
export async function undoCheckIn(db: Db, actor: Actor | null, eventId: number, rsvpId: number): Promise<void> {
  const event = await loadEvent(db, eventId);
  ensureAllowed(canCheckIn(actor, scopeOf(event)), 'check people in at this event');
  const r = await db
    .updateTable('rsvps')
    .set({ checked_in_at: null, checked_in_by: null })
    .where('id', '=', rsvpId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw RegistrationErrors.notFound();
}

export interface AttendeeRow {
  readonly rsvpId: number;
  readonly name: string;
  readonly email: string;
  readonly status: RsvpStatus;
  readonly guests: number;
  readonly ticketType: string | null;
  readonly answers: Readonly<Record<string, string>>;
  /** 1-based for waitlisted, else null. */
  readonly waitlistPosition: number | null;
  readonly checkedInAt: string | null;
  readonly createdAt: string;
}

/**
 * The attendee list: going first (by name), then the waitlist in order, then not going and
 * cancelled; optionally only names containing `search` (case-insensitive; the check-in page's
 * search). Check-in volunteers see it too (without e-mail addresses or answers); organizers see all.
 * @throws FORBIDDEN, NOT_FOUND.
 */
export async function listAttendees(
  db: Db,
  actor: Actor | null,
  eventId: number,
  options: { search?: string; statuses?: readonly RsvpStatus[] } = {},
): Promise<AttendeeRow[]> {
  const event = await loadEvent(db, eventId);
  const full = canViewAttendees(actor, scopeOf(event));
  ensureAllowed(full || canCheckIn(actor, scopeOf(event)), 'see the attendees of this event');
  let q = db
    .selectFrom('rsvps')
    .innerJoin('users', 'users.id', 'rsvps.user_id')
    .leftJoin('ticket_types', 'ticket_types.id', 'rsvps.ticket_type_id')
    .select([
      'rsvps.id',
      'rsvps.status',
      'rsvps.guests',
      'rsvps.answers',
      'rsvps.waitlist_seq',
      'rsvps.checked_in_at',
      'rsvps.created_at',
      'users.display_name',
      'users.email',
      'ticket_types.name as ticket_type',
    ])
    .where('rsvps.event_id', '=', eventId);
  if (options.statuses?.length) q = q.where('rsvps.status', 'in', [...options.statuses]);
  if (options.search?.trim()) {
    const s = `%${options.search
      .trim()
      .toLowerCase()
      .replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb(eb.fn('lower', ['users.display_name']), 'like', eb.val(s)));
  }
  const rows = await q.execute();
  const rank: Record<string, number> = { going: 0, waitlisted: 1, not_going: 2, cancelled: 3 };
  rows.sort(
    (a, b) =>
      rank[a.status]! - rank[b.status]! ||
      (a.status === 'waitlisted' ? a.waitlist_seq! - b.waitlist_seq! : a.display_name.localeCompare(b.display_name)) ||
      a.id - b.id,
  );
  // Positions count the whole waitlist, also when the list is filtered.
  const wl = await db.selectFrom('rsvps').select(['id']).where('event_id', '=', eventId).where('status', '=', 'waitlisted').orderBy('waitlist_seq').execute();
  const pos = new Map(wl.map((r, i) => [r.id, i + 1]));
  return rows.map((r) => ({
    rsvpId: r.id,
    name: r.display_name,
    email: full ? r.email : '',
    status: r.status as RsvpStatus,
    guests: r.guests,
    ticketType: r.ticket_type,
    answers: full ? (JSON.parse(r.answers) as Record<string, string>) : {},
    waitlistPosition: pos.get(r.id) ?? null,
    checkedInAt: r.checked_in_at,
    createdAt: r.created_at,
  }));
}

/**
 * A page of the full attendee list (e-mail addresses and answers included), organizers only:
 * `status` filters, `q` searches names, `limit` (1–500, default 100) and `offset` page through
 * the order of listAttendees. `total` counts every match.
 * @throws VALIDATION_FAILED (a query field), FORBIDDEN, NOT_FOUND.
 */
export async function listAttendeesPage(
  db: Db,
  actor: Actor | null,
  eventId: number,
  query: unknown,
): Promise<{ total: number; limit: number; offset: number; items: AttendeeRow[] }> {
  const q = parseInput(AttendeeQuerySchema, query);
  const event = await loadEvent(db, eventId);
  ensureAllowed(canViewAttendees(actor, scopeOf(event)), 'see the attendee list of this event');
  const all = await listAttendees(db, actor, eventId, { search: q.q, ...(q.status ? { statuses: [q.status] } : {}) });
  return { total: all.length, limit: q.limit, offset: q.offset, items: all.slice(q.offset, q.offset + q.limit) };
}

function csvCell(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  // Spreadsheet formula injection: a cell starting with = + - @ (or tab/CR) is shown as text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The attendee list as CSV (RFC 4180, CRLF, UTF-8 with a BOM so spreadsheet programs read names
 * right): one row per RSVP, one column per organizer question. Organizers only.
 * @throws FORBIDDEN, NOT_FOUND.
 */
export async function exportAttendeesCsv(db: Db, actor: Actor | null, eventId: number): Promise<string> {
  const event = await loadEvent(db, eventId);
  ensureAllowed(canViewAttendees(actor, scopeOf(event)), 'export the attendees of this event');
  const rows = await listAttendees(db, actor, eventId);
  const settings = await db.selectFrom('registration_settings').select('questions').where('event_id', '=', eventId).executeTakeFirst();
  const questions = settings ? (JSON.parse(settings.questions) as { id: string; label: string }[]) : [];
  const header = ['name', 'email', 'status', 'guests', 'ticket_type', 'waitlist_position', 'checked_in_at', 'rsvp_at', ...questions.map((q) => q.label)];
  const lines = [
    header,
    ...rows.map((r) => [
      r.name,
      r.email,
      r.status,
      r.guests,
      r.ticketType,
      r.waitlistPosition,
      r.checkedInAt,
      r.createdAt,
      ...questions.map((q) => r.answers[q.id] ?? ''),
    ]),
  ];
  return `\ufeff${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
