import type { Db } from '../../db/database.js';

/** Storage form of an instant: UTC, second precision, `YYYY-MM-DDTHH:MM:SSZ` (sorts as text). */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The instant `ms` after `now`, in storage form. */
export function isoIn(ms: number, now: Date = new Date()): string {
  return isoNow(new Date(now.getTime() + ms));
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Runs fn in a transaction, or directly in the caller's when `db` already is one (adapters may
 * own the transaction; Kysely cannot nest them).
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
