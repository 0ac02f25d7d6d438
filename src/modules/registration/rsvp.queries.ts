import { setTimeout as sleep } from 'node:timers/promises';
import type { InferResult, Kysely, QueryCreator } from 'kysely';
import { DateTime } from 'luxon';
import type { Config } from '../../config.js';
import type { Clock } from '../../lib/clock.js';
import { compiledOnce } from '../../db/compiled-query.js';
import { isPostgres, type Database, type Db } from '../../db/database.js';
import { ensureInstanceSecret } from '../accounts/settings.queries.js';
import type { EventRow } from '../events/event.table.js';
import type { DbOrTrx, Trx } from '../events/event-write.queries.js';
import { latestReleaseId } from '../schedule/release.queries.js';
import { RegistrationErrors } from './registration.errors.js';
import type { Question, RegistrationCounts, RsvpStatus, SeatCounts } from './registration.js';
import type { RegistrationSettingsRow, RsvpRow } from './registration.table.js';
import { newTicketNonce } from './tokens.js';

/*
 * Reads and the locked transaction every registration write runs in.
 *
 * Locking: registration writes of one event are serialised by a lock taken before anything is
 * read. On PostgreSQL the transaction's first statement is `SELECT … FROM events WHERE id = ?
 * FOR NO KEY UPDATE`: the event's row lock, held to commit, which conflicts with itself and with
 * every event write (UPDATE) but not with inserts referencing the event; it changes nothing, so
 * public page caches keyed by the event version stay valid while people RSVP. Everything else is
 * read by the next statement, whose READ COMMITTED snapshot is taken after the lock, so it sees
 * every earlier writer's committed rows. On SQLite the transaction begins IMMEDIATE (see
 * db/sqlite-driver.ts): the database write lock at once, so no transaction reads a snapshot it
 * could not then write on. Two processes on one PostgreSQL, or several connections to one SQLite
 * file, queue there: the guarantees live in the database. The locking read returns the event,
 * its settings and, for RSVPs, the person's RSVP, name and address and the seat counts in one
 * statement; per-event data that only changes with the event's version (its span) is cached.
 */

/** What registration actions need besides the database: links, mail, the signing secret, a clock. */
export interface RegistrationContext {
  readonly config: Pick<Config, 'baseUrl' | 'smtpUrl' | 'database'>;
  /** Signs tickets and manage links: SECRET_KEY, else the instance secret in the database. */
  readonly secret: string;
  /** The app's clock (AppContext.clock). */
  readonly clock: Clock;
}

/** The context for an app's configuration and clock (resolves the instance secret once). */
export async function registrationContext(db: Db, config: Config, clock: Clock): Promise<RegistrationContext> {
  return { config, secret: config.secretKey ?? (await ensureInstanceSecret(db)), clock };
}

function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === '40001' || code === '40P01');
}

/**
 * Runs fn in a read-write transaction (or in the caller's, when `db` is one). A transaction
 * refused by lock contention rolled back whole and is retried from the start, up to 50 times with
 * a growing random pause: on PostgreSQL a serialization failure or deadlock; on SQLite
 * SQLITE_BUSY, which only another connection to the same file causes (another process, or a
 * busy_timeout of 0) — one process's transactions queue on its one connection and never meet it.
 */
export async function inRegistrationTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as unknown as Trx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().setAccessMode('read write').execute(fn);
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
  /** Seats held by going RSVPs (attendees + guests), all ticket types: exact under the lock. */
  readonly seatsTaken: number;
  /** Waitlisted RSVPs: exact under the lock. */
  readonly waitlisted: number;
}

/** The settings row with the event's capacity (the one capacity: events.capacity). */
export function toSettings(r: RegistrationSettingsRow, capacity: number | null): RegistrationSettings {
  return {
    eventId: r.event_id,
    capacity,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    closedAt: r.closed_at,
    guestLimit: r.guest_limit,
    questions: JSON.parse(r.questions) as Question[],
    allowSessionOverlap: r.allow_session_overlap === 1,
    reminderHours: JSON.parse(r.reminder_hours) as number[],
    waitlistSeq: r.waitlist_seq,
    seatsTaken: r.seats_taken,
    waitlisted: r.waitlisted,
  };
}

/**
 * When the event starts and ends as attendees know it: the first and last session of its latest
 * release, else its local dates (whole days). Draft moves change nothing here until released.
 */
export interface EventSpan {
  readonly startsAt: string;
  readonly endsAt: string;
}

export async function eventSpan(db: DbOrTrx, event: Pick<EventRow, 'id' | 'start_date' | 'end_date' | 'time_zone'>): Promise<EventSpan> {
  const r = await db
    .selectFrom('release_sessions')
    .select((eb) => [eb.fn.min<string | null>('starts_at').as('first'), eb.fn.max<string | null>('ends_at').as('last')])
    .where('release_id', '=', latestReleaseId(db, event.id))
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  const day = (d: string, plus: number) => DateTime.fromISO(d, { zone: event.time_zone }).plus({ days: plus }).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
  return { startsAt: r?.first ?? day(event.start_date, 0), endsAt: r?.last ?? day(event.end_date, 1) };
}

/**
 * Per-event values computed once per public version of the event (every change the public can
 * see, a release included, moves it: the same key the programme caches use). Bounded; in memory
 * of this process only (another process has its own, keyed the same way).
 */
const spanCache = new Map<string, EventSpan>();
const SPAN_CACHE_SIZE = 1000;

/** The event's span, from the cache when the event has not changed since. */
export async function cachedEventSpan(db: DbOrTrx, event: EventRow): Promise<EventSpan> {
  const key = `${event.id}:${event.public_version}:${event.public_updated_at ?? event.updated_at}`;
  const hit = spanCache.get(key);
  if (hit) return hit;
  const span = await eventSpan(db, event);
  if (spanCache.size >= SPAN_CACHE_SIZE) spanCache.delete(spanCache.keys().next().value!);
  spanCache.set(key, span);
  return span;
}

/** The locked event with its registration settings, as every write sees them. */
export interface LockedRegistration {
  readonly event: EventRow;
  readonly settings: RegistrationSettings;
  readonly span: EventSpan;
  readonly now: string;
}

/** What the RSVP actions read with the lock, in the same statement. */
export interface LockedRsvp extends LockedRegistration {
  /** The person's RSVP to the event, if any. */
  readonly existing: RsvpRow | undefined;
  /** The person's address and name (null: no such user). */
  readonly person: { email: string; name: string } | null;
  /** Seats taken by going RSVPs (attendees + guests), all ticket types. */
  readonly seatsTaken: number;
  /** Waitlisted RSVPs (all of them arrived before anyone who joins now). */
  readonly waitlisted: number;
  /** Ticket types the event has. */
  readonly ticketTypes: number;
}

/**
 * Locks the event (see above) and loads its settings, creating the defaults on first use
 * (capacity = the event's capacity). @throws EVENT_NOT_FOUND (also for an unpublished event,
 * unless `includeDrafts`, which organizer actions pass).
 */
export async function lockRegistration(
  trx: Trx,
  ctx: RegistrationContext,
  eventId: number,
  options: { includeDrafts?: boolean } = {},
): Promise<LockedRegistration> {
  await takeEventLock(trx, eventId);
  const row = await trx
    .selectFrom('events')
    .leftJoin('registration_settings as rs', 'rs.event_id', 'events.id')
    .selectAll('events')
    .select(SETTINGS_COLUMNS)
    .where('events.id', '=', eventId)
    .executeTakeFirst();
  return finishLock(trx, ctx, eventId, row, options);
}

/**
 * `lockRegistration` for one person's RSVP: also reads their RSVP, name and address, the seats
 * taken, the waitlist's length and the number of ticket types, in the same statement.
 */
export async function lockRegistrationForRsvp(trx: Trx, ctx: RegistrationContext, eventId: number, userId: number): Promise<LockedRsvp> {
  await takeEventLock(trx, eventId);
  const row = (await readForRsvp(trx, [eventId, userId]))[0];
  const locked = await finishLock(trx, ctx, eventId, row, {});
  const r = row!;
  const existing: RsvpRow | undefined =
    r.r_id === null
      ? undefined
      : {
          id: r.r_id,
          event_id: eventId,
          user_id: r.r_user_id!,
          status: r.r_status!,
          guests: r.r_guests!,
          answers: r.r_answers!,
          ticket_type_id: r.r_ticket_type_id,
          waitlist_seq: r.r_waitlist_seq,
          ticket_nonce: r.r_ticket_nonce!,
          promoted_at: r.r_promoted_at,
          checked_in_at: r.r_checked_in_at,
          checked_in_by: r.r_checked_in_by,
          created_at: r.r_created_at!,
          updated_at: r.r_updated_at!,
        };
  return {
    ...locked,
    existing,
    person: r.u_email === null ? null : { email: r.u_email, name: r.u_name! },
    seatsTaken: locked.settings.seatsTaken,
    waitlisted: locked.settings.waitlisted,
    ticketTypes: Number(r.ticket_types ?? 0),
  };
}

function buildRsvpRead(db: Kysely<Database>, eventId: number, userId: number) {
  return db
    .selectFrom('events')
    .leftJoin('registration_settings as rs', 'rs.event_id', 'events.id')
    .leftJoin('rsvps as r', (join) => join.onRef('r.event_id', '=', 'events.id').on('r.user_id', '=', userId))
    .leftJoin('users as u', (join) => join.on('u.id', '=', userId))
    .selectAll('events')
    .select(SETTINGS_COLUMNS)
    .select([
      'r.id as r_id',
      'r.user_id as r_user_id',
      'r.status as r_status',
      'r.guests as r_guests',
      'r.answers as r_answers',
      'r.ticket_type_id as r_ticket_type_id',
      'r.waitlist_seq as r_waitlist_seq',
      'r.ticket_nonce as r_ticket_nonce',
      'r.promoted_at as r_promoted_at',
      'r.checked_in_at as r_checked_in_at',
      'r.checked_in_by as r_checked_in_by',
      'r.created_at as r_created_at',
      'r.updated_at as r_updated_at',
      'u.email as u_email',
      'u.display_name as u_name',
    ])
    .select((eb) => [
      eb
        .selectFrom('ticket_types as t')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('t.event_id', '=', eventId)
        .as('ticket_types'),
    ])
    .where('events.id', '=', eventId);
}

type RsvpReadRow = InferResult<ReturnType<typeof buildRsvpRead>>[number];

/** The hottest statement of an RSVP rush, compiled once. */
const readForRsvp = compiledOnce<[eventId: number, userId: number], RsvpReadRow>(2, (db, m) => buildRsvpRead(db, m[0]!, m[1]!));

const SETTINGS_COLUMNS = [
  'rs.event_id as rs_event_id',
  'rs.opens_at as rs_opens_at',
  'rs.closes_at as rs_closes_at',
  'rs.closed_at as rs_closed_at',
  'rs.guest_limit as rs_guest_limit',
  'rs.questions as rs_questions',
  'rs.allow_session_overlap as rs_allow_session_overlap',
  'rs.reminder_hours as rs_reminder_hours',
  'rs.waitlist_seq as rs_waitlist_seq',
  'rs.seats_taken as rs_seats_taken',
  'rs.waitlisted as rs_waitlisted',
  'rs.created_at as rs_created_at',
  'rs.updated_at as rs_updated_at',
] as const;

type SettingsColumns = {
  rs_event_id: number | null;
  rs_opens_at: string | null;
  rs_closes_at: string | null;
  rs_closed_at: string | null;
  rs_guest_limit: number | null;
  rs_questions: string | null;
  rs_allow_session_overlap: number | null;
  rs_reminder_hours: string | null;
  rs_waitlist_seq: number | null;
  rs_seats_taken: number | null;
  rs_waitlisted: number | null;
  rs_created_at: string | null;
  rs_updated_at: string | null;
};

/**
 * The lock itself: on PostgreSQL the event's row lock (a statement of its own, so that the reads
 * after it get a snapshot taken once the lock is held); on SQLite the transaction already holds
 * the write lock (BEGIN IMMEDIATE), so nothing to do.
 */
async function takeEventLock(trx: Trx, eventId: number): Promise<void> {
  if (isPostgres(trx)) await trx.selectFrom('events').select('id').where('id', '=', eventId).forNoKeyUpdate().execute();
}

async function finishLock(
  trx: Trx,
  ctx: RegistrationContext,
  eventId: number,
  row: (EventRow & SettingsColumns) | undefined,
  options: { includeDrafts?: boolean },
): Promise<LockedRegistration> {
  if (!row || (!options.includeDrafts && row.published !== 1)) throw RegistrationErrors.eventNotFound(eventId);
  const now = ctx.clock.instant();
  const event = eventOf(row);
  let settings: RegistrationSettingsRow;
  if (row.rs_event_id === null) {
    settings = await trx
      .insertInto('registration_settings')
      .values((eb) => ({
        event_id: eventId,
        // Zero unless RSVPs were written around the actions (imports, fixtures): then they count.
        seats_taken: eb
          .selectFrom('rsvps')
          .select((e) => e.fn.coalesce(e.fn.sum<number>(e('guests', '+', 1)), e.lit(0)).as('n'))
          .where('event_id', '=', eventId)
          .where('status', '=', 'going'),
        waitlisted: eb
          .selectFrom('rsvps')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('event_id', '=', eventId)
          .where('status', '=', 'waitlisted'),
        created_at: now,
        updated_at: now,
      }))
      .returningAll()
      .executeTakeFirstOrThrow();
  } else {
    settings = {
      event_id: row.rs_event_id,
      opens_at: row.rs_opens_at,
      closes_at: row.rs_closes_at,
      closed_at: row.rs_closed_at,
      guest_limit: row.rs_guest_limit!,
      questions: row.rs_questions!,
      allow_session_overlap: row.rs_allow_session_overlap!,
      reminder_hours: row.rs_reminder_hours!,
      waitlist_seq: row.rs_waitlist_seq!,
      seats_taken: row.rs_seats_taken!,
      waitlisted: row.rs_waitlisted!,
      created_at: row.rs_created_at!,
      updated_at: row.rs_updated_at!,
    };
  }
  return { event, settings: toSettings(settings, event.capacity), span: await cachedEventSpan(trx, event), now };
}

/** The events columns of a joined row (the other columns are prefixed). */
function eventOf(row: EventRow & Record<string, unknown>): EventRow {
  const event: Record<string, unknown> = {};
  for (const k in row) if (!NOT_EVENT_COLUMN.test(k)) event[k] = row[k];
  return event as unknown as EventRow;
}

const NOT_EVENT_COLUMN = /^(?:rs_|r_|u_|ticket_types$)/;

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

/** The RSVP as callers see it; `position` when the caller knows it already (else counted). */
export async function toRsvpView(db: DbOrTrx, r: RsvpRow, position?: number | null): Promise<RsvpView> {
  return rsvpViewOf(r, position !== undefined ? position : await waitlistPosition(db, r));
}

/** The view of a row whose place in line is known (null unless waitlisted). */
export function rsvpViewOf(r: RsvpRow, waitlistPosition: number | null): RsvpView {
  return {
    id: r.id,
    eventId: r.event_id,
    userId: r.user_id,
    status: r.status as RsvpStatus,
    guests: r.guests,
    answers: JSON.parse(r.answers) as Record<string, string>,
    ticketTypeId: r.ticket_type_id,
    waitlistPosition,
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
  v: {
    eventId: number;
    userId: number;
    status: RsvpStatus;
    guests: number;
    answers: Record<string, string>;
    ticketTypeId: number | null;
    waitlistSeq: number | null;
    now: string;
  },
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

/**
 * Writes a yes that joins the line: the arrival number `seq` (the next one: the caller read the
 * last one handed out under the lock) is stored as handed out, and the RSVP is inserted, or
 * `existingId` updated, as `status`, with `waitlistSeq` (seq, or null when admitted at once).
 * On PostgreSQL one statement (a data-modifying WITH), on SQLite two.
 */
export async function writeArrival(
  trx: Trx,
  v: {
    eventId: number;
    userId: number;
    existingId: number | null;
    seq: number;
    status: RsvpStatus;
    guests: number;
    answers: Record<string, string>;
    ticketTypeId: number | null;
    waitlistSeq: number | null;
    now: string;
  },
): Promise<RsvpRow> {
  const bump = (db: Trx, seq: number, eventId: number) => db.updateTable('registration_settings').set({ waitlist_seq: seq }).where('event_id', '=', eventId);
  const fields = {
    status: v.status,
    guests: v.guests,
    answers: JSON.stringify(v.answers),
    ticket_type_id: v.ticketTypeId,
    waitlist_seq: v.waitlistSeq,
    updated_at: v.now,
  };
  const postgres = isPostgres(trx);
  if (v.existingId !== null) {
    const update = (db: Trx) =>
      db
        .updateTable('rsvps')
        .set({ ...fields, promoted_at: null })
        .where('id', '=', v.existingId)
        .returningAll()
        .executeTakeFirstOrThrow();
    if (postgres) return update(trx.with('bump', (db) => bump(db as unknown as Trx, v.seq, v.eventId)) as unknown as Trx);
    await bump(trx, v.seq, v.eventId).execute();
    return update(trx);
  }
  // The hot path of an RSVP rush: compiled once.
  const args: ArrivalArgs = [
    v.seq,
    v.eventId,
    v.eventId,
    v.userId,
    v.status,
    v.guests,
    fields.answers,
    v.ticketTypeId,
    v.waitlistSeq,
    newTicketNonce(),
    v.now,
    v.now,
  ];
  if (!postgres) await bumpArrivalSeq(trx, [v.seq, v.eventId]);
  return (await insertArrival(trx, args))[0]!;
}

type ArrivalArgs = [
  seq: number,
  eventId: number,
  eventId: number,
  userId: number,
  status: RsvpStatus,
  guests: number,
  answers: string,
  ticketTypeId: number | null,
  waitlistSeq: number | null,
  nonce: string,
  createdAt: string,
  updatedAt: string,
];

/** writeArrival's SQLite statement storing the arrival number handed out. */
const bumpArrivalSeq = compiledOnce<[seq: number, eventId: number], never>(2, (db, m) =>
  db.updateTable('registration_settings').set({ waitlist_seq: m[0]! }).where('event_id', '=', m[1]!),
);

/** writeArrival's insert; on PostgreSQL with the arrival number's update in the same statement. */
const insertArrival = compiledOnce<ArrivalArgs, RsvpRow>(12, (db, m) => {
  const insert = (q: Kysely<Database> | QueryCreator<Database>) =>
    q
      .insertInto('rsvps')
      .values({
        event_id: m[2]!,
        user_id: m[3]!,
        status: m[4]!,
        guests: m[5]!,
        answers: m[6]!,
        ticket_type_id: m[7]!,
        waitlist_seq: m[8]!,
        ticket_nonce: m[9]!,
        created_at: m[10]!,
        updated_at: m[11]!,
      })
      .returningAll();
  // The CTE adds a table to the builder's type that the insert does not use.
  return isPostgres(db)
    ? insert(
        db.with('bump', (w) =>
          w.updateTable('registration_settings').set({ waitlist_seq: m[0]! }).where('event_id', '=', m[1]!),
        ) as unknown as QueryCreator<Database>,
      )
    : insert(db);
});

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
  const capacity = (await db.selectFrom('events').select('capacity').where('id', '=', eventId).executeTakeFirst())?.capacity ?? null;
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

/**
 * Seats and waitlist length from the counters the database keeps (one indexed read, whatever
 * the number of RSVPs): what the public pages and the live seat line poll during a rush.
 * Before the first RSVP there is no settings row: the event's capacity, nothing taken.
 */
export async function getSeatCounts(db: DbOrTrx, eventId: number): Promise<SeatCounts> {
  const [r] = await readSeatCounts(db, [eventId]);
  const capacity = r?.event_capacity ?? null;
  const seatsTaken = Number(r?.seats_taken ?? 0);
  return { capacity, seatsTaken, seatsFree: capacity === null ? null : Math.max(0, capacity - seatsTaken), waitlisted: Number(r?.waitlisted ?? 0) };
}

const readSeatCounts = compiledOnce<[eventId: number], { event_capacity: number | null; seats_taken: number | null; waitlisted: number | null }>(1, (db, m) =>
  db
    .selectFrom('events')
    .leftJoin('registration_settings as rs', 'rs.event_id', 'events.id')
    .select(['events.capacity as event_capacity', 'rs.seats_taken', 'rs.waitlisted'])
    .where('events.id', '=', m[0]!),
);

/** Public view of the registration state of an event (for the event page's RSVP box). */
export async function getRegistrationSettings(db: DbOrTrx, eventId: number): Promise<RegistrationSettings | null> {
  const row = await db
    .selectFrom('registration_settings')
    .innerJoin('events', 'events.id', 'registration_settings.event_id')
    .selectAll('registration_settings')
    .select('events.capacity')
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row ? toSettings(row, row.capacity) : null;
}

/** RSVPs over every event (the metrics), from the events' counters: one row per event read. */
export interface RegistrationTotals {
  /** Seats held by going RSVPs, guests included (the events' counters). */
  readonly seatsTaken: number;
  /** RSVPs on a waitlist (the events' counters). */
  readonly waitlisted: number;
}

export async function registrationTotals(db: Db): Promise<RegistrationTotals> {
  const counters = await db
    .selectFrom('registration_settings')
    .select((eb) => [eb.fn.sum<number>('seats_taken').as('seats'), eb.fn.sum<number>('waitlisted').as('waiting')])
    .executeTakeFirst();
  return { seatsTaken: Number(counters?.seats ?? 0), waitlisted: Number(counters?.waiting ?? 0) };
}
