import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { ensureInstanceSecret } from '../accounts/settings.queries.js';
import type { EventRow } from '../events/event.table.js';
import type { DbOrTrx, Trx } from '../events/event-write.queries.js';
import { RegistrationErrors } from './registration.errors.js';
import type { Question, RegistrationCounts, RsvpStatus } from './registration.js';
import type { RegistrationSettingsRow, RsvpRow } from './registration.table.js';
import { newTicketNonce } from './tokens.js';

/*
 * Reads and the locked transaction every registration write runs in.
 *
 * Locking: the transaction's first statement is `UPDATE events SET version = version WHERE id = ?
 * RETURNING *`. It changes nothing (so public page caches, keyed by the version, stay valid while
 * people RSVP), but as a write it takes the lock that serialises registration writes of one
 * event: on PostgreSQL the row lock, held to commit (READ COMMITTED: later statements then see
 * every earlier writer's committed rows); on SQLite the database write lock at once (what BEGIN
 * IMMEDIATE does), so no transaction reads a snapshot it could not then write on. Two processes
 * on one PostgreSQL, or several connections to one SQLite file, queue there. Every count and the
 * waitlist are then read under the lock, so the guarantees live in the database.
 */

/** What registration actions need besides the database: links, mail, the signing secret, a clock. */
export interface RegistrationContext {
  readonly config: Pick<Config, 'baseUrl' | 'smtpUrl' | 'database'>;
  /** Signs tickets and manage links: SECRET_KEY, else the instance secret in the database. */
  readonly secret: string;
  /** Tests pin time; defaults to the system clock. */
  readonly now?: () => Date;
}

/** The context for an app's configuration (resolves the instance secret once). */
export async function registrationContext(db: Db, config: Config): Promise<RegistrationContext> {
  return { config, secret: config.secretKey ?? (await ensureInstanceSecret(db)) };
}

export function nowOf(ctx: RegistrationContext): Date {
  return ctx.now ? ctx.now() : new Date();
}

export function instant(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === '40001' || code === '40P01');
}

/**
 * Runs fn in a transaction (or in the caller's, when `db` is one). A transaction refused by lock
 * contention (SQLITE_BUSY after busy_timeout, PostgreSQL serialization failure or deadlock) rolled
 * back whole, so it is retried from the start, up to 50 times with a growing random pause.
 */
export async function inRegistrationTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as unknown as Trx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      if (attempt >= 50 || !isRetryable(err)) throw err;
      await sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));
    }
  }
}

export interface RegistrationSettings {
  readonly eventId: number;
  readonly capacity: number | null;
  readonly opensAt: string | null;
  readonly closesAt: string | null;
  readonly closedAt: string | null;
  readonly guestLimit: number;
  readonly questions: readonly Question[];
  readonly allowSessionOverlap: boolean;
  readonly reminderHours: readonly number[];
  readonly waitlistSeq: number;
}

export function toSettings(r: RegistrationSettingsRow): RegistrationSettings {
  return {
    eventId: r.event_id,
    capacity: r.capacity,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    closedAt: r.closed_at,
    guestLimit: r.guest_limit,
    questions: JSON.parse(r.questions) as Question[],
    allowSessionOverlap: r.allow_session_overlap === 1,
    reminderHours: JSON.parse(r.reminder_hours) as number[],
    waitlistSeq: r.waitlist_seq,
  };
}

/** When the event starts and ends: its first and last session, else its local dates (whole days). */
export interface EventSpan {
  readonly startsAt: string;
  readonly endsAt: string;
}

export async function eventSpan(db: DbOrTrx, event: Pick<EventRow, 'id' | 'start_date' | 'end_date' | 'time_zone'>): Promise<EventSpan> {
  const r = await db
    .selectFrom('sessions')
    .select((eb) => [eb.fn.min<string | null>('starts_at').as('first'), eb.fn.max<string | null>('ends_at').as('last')])
    .where('event_id', '=', event.id)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  const day = (d: string, plus: number) => DateTime.fromISO(d, { zone: event.time_zone }).plus({ days: plus }).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
  return { startsAt: r?.first ?? day(event.start_date, 0), endsAt: r?.last ?? day(event.end_date, 1) };
}

/** The locked event with its registration settings, as every write sees them. */
export interface LockedRegistration {
  readonly event: EventRow;
  readonly settings: RegistrationSettings;
  readonly span: EventSpan;
  readonly now: string;
}

/**
 * Locks the event (see above) and loads its settings, creating the defaults on first use
 * (capacity = the event's capacity). @throws EVENT_NOT_FOUND (also for an unpublished event,
 * unless `includeDrafts`, which organizer actions pass).
 */
export async function lockRegistration(trx: Trx, ctx: RegistrationContext, eventId: number, options: { includeDrafts?: boolean } = {}): Promise<LockedRegistration> {
  const event = await trx
    .updateTable('events')
    .set((eb) => ({ version: eb.ref('version') }))
    .where('id', '=', eventId)
    .returningAll()
    .executeTakeFirst();
  if (!event || (!options.includeDrafts && event.published !== 1)) throw RegistrationErrors.eventNotFound(eventId);
  const now = instant(nowOf(ctx));
  let row = await trx.selectFrom('registration_settings').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  if (!row) {
    row = await trx
      .insertInto('registration_settings')
      .values({ event_id: eventId, capacity: event.capacity, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return { event, settings: toSettings(row), span: await eventSpan(trx, event), now };
}

/** Seats taken by going RSVPs (attendees + guests), overall and per ticket type. */
export async function seatsTaken(db: DbOrTrx, eventId: number): Promise<{ total: number; byType: Map<number, number> }> {
  const rows = await db
    .selectFrom('rsvps')
    .select((eb) => ['ticket_type_id', eb.fn.sum<number>(eb('guests', '+', 1)).as('seats')])
    .where('event_id', '=', eventId)
    .where('status', '=', 'going')
    .groupBy('ticket_type_id')
    .execute();
  const byType = new Map<number, number>();
  let total = 0;
  for (const r of rows) {
    total += Number(r.seats);
    if (r.ticket_type_id !== null) byType.set(r.ticket_type_id, Number(r.seats));
  }
  return { total, byType };
}

/** 1-based place on the waitlist (arrival order), or null when not waitlisted. */
export async function waitlistPosition(db: DbOrTrx, rsvp: Pick<RsvpRow, 'event_id' | 'status' | 'waitlist_seq'>): Promise<number | null> {
  if (rsvp.status !== 'waitlisted' || rsvp.waitlist_seq === null) return null;
  const r = await db
    .selectFrom('rsvps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', rsvp.event_id)
    .where('status', '=', 'waitlisted')
    .where('waitlist_seq', '<=', rsvp.waitlist_seq)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** An RSVP as callers see it. */
export interface RsvpView {
  readonly id: number;
  readonly eventId: number;
  readonly userId: number;
  readonly status: RsvpStatus;
  readonly guests: number;
  readonly answers: Readonly<Record<string, string>>;
  readonly ticketTypeId: number | null;
  /** 1-based, arrival order; null unless waitlisted. */
  readonly waitlistPosition: number | null;
  readonly checkedInAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export async function toRsvpView(db: DbOrTrx, r: RsvpRow): Promise<RsvpView> {
  return {
    id: r.id,
    eventId: r.event_id,
    userId: r.user_id,
    status: r.status as RsvpStatus,
    guests: r.guests,
    answers: JSON.parse(r.answers) as Record<string, string>,
    ticketTypeId: r.ticket_type_id,
    waitlistPosition: await waitlistPosition(db, r),
    checkedInAt: r.checked_in_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function findRsvp(db: DbOrTrx, eventId: number, userId: number): Promise<RsvpRow | undefined> {
  return db.selectFrom('rsvps').selectAll().where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
}

export function findRsvpById(db: DbOrTrx, rsvpId: number): Promise<RsvpRow | undefined> {
  return db.selectFrom('rsvps').selectAll().where('id', '=', rsvpId).executeTakeFirst();
}

/** The person's RSVP to the event, or null (no lock; for pages). */
export async function getMyRsvp(db: Db, eventId: number, userId: number): Promise<RsvpView | null> {
  const r = await findRsvp(db, eventId, userId);
  return r ? toRsvpView(db, r) : null;
}

/** Inserts a new RSVP row (a random ticket nonce included). */
export async function insertRsvp(
  trx: Trx,
  v: { eventId: number; userId: number; status: RsvpStatus; guests: number; answers: Record<string, string>; ticketTypeId: number | null; waitlistSeq: number | null; now: string },
): Promise<RsvpRow> {
  return trx
    .insertInto('rsvps')
    .values({
      event_id: v.eventId,
      user_id: v.userId,
      status: v.status,
      guests: v.guests,
      answers: JSON.stringify(v.answers),
      ticket_type_id: v.ticketTypeId,
      waitlist_seq: v.waitlistSeq,
      ticket_nonce: newTicketNonce(),
      created_at: v.now,
      updated_at: v.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Hands out the next waitlist arrival number (the event is locked, so numbers never repeat). */
export async function nextWaitlistSeq(trx: Trx, eventId: number): Promise<number> {
  const r = await trx
    .updateTable('registration_settings')
    .set((eb) => ({ waitlist_seq: eb('waitlist_seq', '+', 1) }))
    .where('event_id', '=', eventId)
    .returning('waitlist_seq')
    .executeTakeFirstOrThrow();
  return r.waitlist_seq;
}

/** Counts for the organizer's dashboard (no lock; one grouped query). */
export async function getRegistrationCounts(db: DbOrTrx, eventId: number): Promise<RegistrationCounts> {
  const rows = await db
    .selectFrom('rsvps')
    .select((eb) => [
      'status',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb('guests', '+', 1)).as('seats'),
      eb.fn.count<number>('checked_in_at').as('checked'),
    ])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute();
  const by = (s: RsvpStatus) => rows.find((r) => r.status === s);
  const settings = await db.selectFrom('registration_settings').select('capacity').where('event_id', '=', eventId).executeTakeFirst();
  const capacity = settings ? settings.capacity : ((await db.selectFrom('events').select('capacity').where('id', '=', eventId).executeTakeFirst())?.capacity ?? null);
  const seatsTakenNow = Number(by('going')?.seats ?? 0);
  return {
    capacity,
    going: Number(by('going')?.n ?? 0),
    seatsTaken: seatsTakenNow,
    seatsFree: capacity === null ? null : Math.max(0, capacity - seatsTakenNow),
    waitlisted: Number(by('waitlisted')?.n ?? 0),
    waitlistedSeats: Number(by('waitlisted')?.seats ?? 0),
    notGoing: Number(by('not_going')?.n ?? 0),
    cancelled: Number(by('cancelled')?.n ?? 0),
    checkedIn: rows.reduce((n, r) => n + Number(r.checked), 0),
  };
}

/** Public view of the registration state of an event (for the event page's RSVP box). */
export async function getRegistrationSettings(db: DbOrTrx, eventId: number): Promise<RegistrationSettings | null> {
  const row = await db.selectFrom('registration_settings').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  return row ? toSettings(row) : null;
}
