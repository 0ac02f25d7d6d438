import { sql } from 'kysely';
import { inTransaction, isPostgres, type Db } from '../../db/database.js';
import { DomainError } from '../../lib/domain-error.js';

/*
 * Attempts counted in the database (auth_attempts), so a limit holds across every process that
 * shares it (two servers on one SQLite file or one PostgreSQL). A bucket names what is counted
 * for whom ("sign_in:ip:203.0.113.7"); a limit allows `max` attempts in any `windowMs`. Every
 * write deletes rows older than the longest window (ATTEMPT_WINDOW_MAX_MS), so the table holds
 * only the last hour of attempts.
 */

const MINUTE_MS = 60_000;
/** No limit has a longer window; older rows are deleted. */
export const ATTEMPT_WINDOW_MAX_MS = 60 * MINUTE_MS;

export interface AttemptLimit {
  readonly max: number;
  /** Milliseconds, at most ATTEMPT_WINDOW_MAX_MS. */
  readonly windowMs: number;
}

/** Whether a bucket is over its limit, and when it will be under it again. */
export interface AttemptStatus {
  readonly limited: boolean;
  /** 0 when not limited. */
  readonly retryAfterMs: number;
}

/** "15 minutes": a wait rounded up to whole minutes. */
export function minutesText(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE_MS));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** "Too many attempts, try again in 15 minutes." (429 RATE_LIMITED). */
export function tooManyAttempts(retryAfterMs: number): DomainError {
  return new DomainError('RATE_LIMITED', `Too many attempts, try again in ${minutesText(retryAfterMs)}.`, 429);
}

/** The bucket's attempts in the window, newest first (instants in ms), at most max + 1. */
async function recent(db: Db, bucket: string, limit: AttemptLimit, now: number): Promise<number[]> {
  const rows = await db
    .selectFrom('auth_attempts')
    .select('created_at')
    .where('bucket', '=', bucket)
    .where('created_at', '>', new Date(now - limit.windowMs).toISOString())
    .orderBy('created_at', 'desc')
    .limit(limit.max + 1)
    .execute();
  return rows.map((r) => Date.parse(r.created_at));
}

/** Limited while the window holds `max` attempts: until the max-th newest leaves it. */
function statusOf(times: readonly number[], limit: AttemptLimit, now: number): AttemptStatus {
  if (times.length < limit.max) return { limited: false, retryAfterMs: 0 };
  return { limited: true, retryAfterMs: Math.max(1000, times[limit.max - 1]! + limit.windowMs - now) };
}

/** What countAttempt answers: the status, and the row that counted this attempt (null when none). */
export interface CountedAttempt extends AttemptStatus {
  readonly attemptId: number | null;
}

/**
 * Counts this attempt unless the bucket is over its limit, and answers whether it is: limited
 * when the window already held `max` attempts. With `countRefused`, a refused attempt counts too,
 * so a client that keeps trying stays limited (the per-IP form limits); without it a refused
 * attempt leaves no row (the per-account limit, which someone else's guesses must not prolong).
 * Check and count are one step across processes: SQLite's write lock (BEGIN IMMEDIATE), and on
 * PostgreSQL an advisory lock per bucket for the transaction. Side effects: auth_attempts rows
 * (and rows past the longest window deleted).
 */
export async function countAttempt(db: Db, bucket: string, limit: AttemptLimit, options: { countRefused?: boolean; now: number }): Promise<CountedAttempt> {
  const now = options.now;
  return inTransaction(db, async (trx) => {
    if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${bucket}))`.execute(trx);
    const times = await recent(trx, bucket, limit, now);
    const before = statusOf(times, limit, now);
    if (before.limited && !options.countRefused) return { ...before, attemptId: null };
    const row = await trx
      .insertInto('auth_attempts')
      .values({ bucket, created_at: new Date(now).toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .deleteFrom('auth_attempts')
      .where('created_at', '<', new Date(now - ATTEMPT_WINDOW_MAX_MS).toISOString())
      .execute();
    return before.limited ? { ...statusOf([now, ...times], limit, now), attemptId: row.id } : { ...before, attemptId: row.id };
  });
}

/** Takes back a counted attempt that turned out fine (a correct password). */
export async function forgetAttempt(db: Db, attemptId: number): Promise<void> {
  await db.deleteFrom('auth_attempts').where('id', '=', attemptId).execute();
}
