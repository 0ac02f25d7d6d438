import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { Actor, EventScope } from '../accounts/actor.js';
import { recordAudit } from '../accounts/audit.queries.js';
import type { EventRow } from './event.table.js';
import { EventErrors } from './event.errors.js';

/*
 * Helpers of the actions that write: the transaction type, permission and name checks, positions.
 * The write itself (lock, version bump, audit row) is event-write.ts's withEventWrite.
 */

export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;

export function scopeOf(event: Pick<EventRow, 'id' | 'community_id'>): EventScope {
  return { eventId: event.id, communityId: event.community_id };
}

/** @throws FORBIDDEN (403) unless `allowed`; `what` completes "You may not …". */
/**
 * Whether the public sees the event's programme as released (published, with a release), so a
 * change to the draft stays out of sight until the next release.
 */
export async function showsARelease(trx: Trx, event: Pick<EventRow, 'id' | 'published'>): Promise<boolean> {
  if (event.published !== 1) return false;
  return (await trx.selectFrom('schedule_releases').select('id').where('event_id', '=', event.id).limit(1).executeTakeFirst()) !== undefined;
}

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

/**
 * Records an audit row for an audited change that does not change what the event shows (RSVP
 * settings, webhooks: no version bump); changes to the event go through withEventWrite.
 */
export function auditEventChange(
  trx: Trx,
  actor: Actor | null,
  event: Pick<EventRow, 'id' | 'community_id'>,
  entry: { action: string; entityType: string; entityId: number | string; summary: string; at: string },
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
