import type { Db } from '../../db/database.js';
import { hashSecret, newSecret } from '../../lib/secrets.js';
import { storedInstant, systemClock, type Clock } from '../../lib/clock.js';
import { AccountErrors } from './account.errors.js';

/*
 * One-time links (verify an address, reset a password, sign in, set up the instance). The link
 * carries a random secret; the table holds only its SHA-256. A token is used at most once: the
 * UPDATE that marks it used only succeeds for the first caller.
 */

export type TokenPurpose = 'verify_email' | 'reset_password' | 'sign_in' | 'setup';

export interface OneTimeToken {
  readonly userId: number | null;
  readonly email: string;
  readonly purpose: TokenPurpose;
  readonly data: Record<string, unknown>;
}

/** Stores a new token and returns its secret (for the link; never stored). */
export async function createOneTimeToken(
  db: Db,
  t: { purpose: TokenPurpose; userId: number | null; email: string; ttlMs: number; data?: Record<string, unknown> },
  clock: Clock = systemClock,
): Promise<string> {
  const now = clock.now();
  const secret = newSecret();
  await db
    .insertInto('one_time_tokens')
    .values({
      token_hash: hashSecret(secret),
      user_id: t.userId,
      purpose: t.purpose,
      email: t.email,
      data: JSON.stringify(t.data ?? {}),
      created_at: storedInstant(now),
      expires_at: storedInstant(new Date(now.getTime() + t.ttlMs)),
      used_at: null,
    })
    .execute();
  return secret;
}

/**
 * Marks the token used and returns what it was for. Errors: TOKEN_INVALID (unknown, other
 * purpose, already used, or used concurrently), TOKEN_EXPIRED.
 */
export async function consumeOneTimeToken(db: Db, secret: string, purpose: TokenPurpose, clock: Clock = systemClock): Promise<OneTimeToken> {
  const hash = hashSecret(String(secret));
  const row = await db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  if (!row || row.purpose !== purpose || row.used_at !== null) throw AccountErrors.tokenInvalid();
  const now = clock.instant();
  if (row.expires_at <= now) throw AccountErrors.tokenExpired();
  const r = await db.updateTable('one_time_tokens').set({ used_at: now }).where('token_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw AccountErrors.tokenInvalid();
  return { userId: row.user_id, email: row.email, purpose, data: JSON.parse(row.data) as Record<string, unknown> };
}

/** Marks a user's unused tokens of these purposes used (after a password reset, say). */
export async function invalidateTokens(db: Db, userId: number, purposes: readonly TokenPurpose[], clock: Clock = systemClock): Promise<void> {
  await db
    .updateTable('one_time_tokens')
    .set({ used_at: clock.instant() })
    .where('user_id', '=', userId)
    .where('purpose', 'in', [...purposes])
    .where('used_at', 'is', null)
    .execute();
}

/** Removes unused setup tokens (a new start-up prints a new link). */
export async function deleteOpenSetupTokens(db: Db): Promise<void> {
  await db.deleteFrom('one_time_tokens').where('purpose', '=', 'setup').where('used_at', 'is', null).execute();
}
