import type { Db } from '../../db/database.js';
import type { UserRow } from './account.table.js';
import { systemClock, type Clock } from '../../lib/clock.js';

/** The account with this (already lower-cased) address. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** The account with this id. */
export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How many accounts exist (0 on a fresh instance). */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Inserts a user unless the e-mail is taken (also when another request takes it at the same
 * moment). Returns the new id, or null when the address already has an account.
 */
export async function insertUserIfNew(
  db: Db,
  u: { email: string; displayName: string; passwordHash: string | null; verified: boolean; isAdmin?: boolean },
  clock: Clock = systemClock,
): Promise<number | null> {
  const now = clock.instant();
  const row = await db
    .insertInto('users')
    .values({
      email: u.email,
      email_verified_at: u.verified ? now : null,
      password_hash: u.passwordHash,
      display_name: u.displayName,
      is_admin: u.isAdmin ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Sets the e-mail verified (once) if the account still has this address. */
export async function markEmailVerified(db: Db, userId: number, email: string, clock: Clock = systemClock): Promise<void> {
  const now = clock.instant();
  await db
    .updateTable('users')
    .set({ email_verified_at: now, updated_at: now })
    .where('id', '=', userId)
    .where('email', '=', email)
    .where('email_verified_at', 'is', null)
    .execute();
}

/** Replaces the password hash (callers sign out sessions as the use case requires). */
export async function setPasswordHash(db: Db, userId: number, passwordHash: string, clock: Clock = systemClock): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: clock.instant() }).where('id', '=', userId).execute();
}
