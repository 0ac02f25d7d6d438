import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { Actor, EventScope } from '../accounts/actor.js';
import { recordAudit } from '../accounts/audit.queries.js';
import type { EventRow } from './event.table.js';
import { EventErrors } from './event.errors.js';

/*
 * The steps every back-office write shares. Actions run in one transaction, whose first
 * statement is `lockEventForWrite`: it bumps the event's version (so public caches and ETags
 * invalidate) and, being a write, takes the lock that serialises writers of one event:
 *  - PostgreSQL: the UPDATE holds the event row's lock until commit, so a second writer of the
 *    same event waits there and then reads the first one's committed rows (READ COMMITTED takes
 *    a fresh snapshot per statement) before it checks for overlaps.
 *  - SQLite: Kysely's SqliteDialect runs every transaction on its one connection behind a mutex,
 *    so transactions of one process never interleave; and every transaction begins with BEGIN
 *    IMMEDIATE (src/db/sqlite-driver.ts), so a second process sharing the file waits
 *    (busy_timeout) instead of failing on a stale read snapshot.
 * A refused action throws inside the transaction, which rolls the bump back with everything else.
 */

export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;

/** Now, in the stored instant form (UTC, second precision). */
export function nowInstant(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Locks the event for this transaction and bumps its version and updated_at; returns the row as
 * updated. Side effect: the version bump (undone if the transaction rolls back).
 * @throws NOT_FOUND when there is no such event.
 */
export async function lockEventForWrite(trx: Trx, eventId: number): Promise<EventRow> {
  const row = await trx
    .updateTable('events')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowInstant() }))
    .where('id', '=', eventId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw EventErrors.notFound('event', eventId);
  return row;
}

/** Bumps the given events (something shown on their cached pages changed elsewhere). */
export async function touchEvents(trx: Trx, eventIds: readonly number[]): Promise<void> {
  if (eventIds.length === 0) return;
  await trx
    .updateTable('events')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowInstant() }))
    .where('id', 'in', eventIds)
    .execute();
}

/** Bumps every event of a community (its name and text appear on their pages). */
export async function touchCommunityEvents(trx: Trx, communityId: number): Promise<void> {
  await trx
    .updateTable('events')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: nowInstant() }))
    .where('community_id', '=', communityId)
    .execute();
}

export function scopeOf(event: Pick<EventRow, 'id' | 'community_id'>): EventScope {
  return { eventId: event.id, communityId: event.community_id };
}

/** @throws FORBIDDEN (403) unless `allowed`; `what` completes "You may not …". */
export function ensureAllowed(allowed: boolean, what: string): void {
  if (!allowed) throw EventErrors.forbidden(what);
}

/** True for a UNIQUE constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * NAME_TAKEN (409) when another room, track or sponsor of the event already has `name` (`self`
 * is the one being renamed). Checked before writing so the error names the clash; the unique
 * index still decides under concurrency (see uniqueAs).
 */
export async function assertNameFree(trx: Trx, table: 'rooms' | 'tracks' | 'sponsors', eventId: number, name: string, self: number | null): Promise<void> {
  const clash = await trx.selectFrom(table).select('id').where('event_id', '=', eventId).where('name', '=', name).executeTakeFirst();
  if (clash && clash.id !== self) throw EventErrors.nameTaken(table.slice(0, -1), name);
}

/**
 * The next position at the end of an ordered per-event list (rooms, tracks, sponsors, speakers).
 */
export async function nextPosition(trx: Trx, table: 'rooms' | 'tracks' | 'sponsors' | 'speakers', eventId: number): Promise<number> {
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

/** The entries of `o` whose value is not undefined (what a partial update actually sets). */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Records an audit row for a change to something inside an event. */
export function auditEventChange(
  trx: Trx,
  actor: Actor | null,
  event: Pick<EventRow, 'id' | 'community_id'>,
  entry: { action: string; entityType: string; entityId: number | string; summary: string },
): Promise<void> {
  return recordAudit(trx, { actor, communityId: event.community_id, eventId: event.id, ...entry });
}

/**
 * Runs `run`, turning a UNIQUE violation (the loser of two simultaneous creates with one name or
 * slug; the checks before the write catch every other case) into the domain error `onUnique()`.
 */
export async function uniqueAs<T>(onUnique: () => Error, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err)) throw onUnique();
    throw err;
  }
}
