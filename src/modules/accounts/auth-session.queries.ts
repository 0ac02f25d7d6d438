import { compiledOnce } from '../../db/compiled-query.js';
import type { Db } from '../../db/database.js';
import { storedInstant as iso, systemClock, type Clock } from '../../lib/clock.js';
import { hashSecret, newSecret } from '../../lib/secrets.js';
import type { RoleGrantRow } from './account.table.js';
import type { Actor, Role, RoleGrant } from './actor.js';

/** Sign-in sessions last 30 days from the last use (sliding), refreshed at most hourly. */
export const SESSION_DAYS = 30;
const REFRESH_MS = 60 * 60 * 1000;

/** Starts a sign-in session; returns the secret for the cookie (only its hash is stored). */
export async function createAuthSession(db: Db, userId: number, userAgent = '', clock: Clock = systemClock): Promise<string> {
  const secret = newSecret();
  const now = clock.now();
  await db
    .insertInto('auth_sessions')
    .values({
      id_hash: hashSecret(secret),
      user_id: userId,
      created_at: iso(now),
      last_seen_at: iso(now),
      expires_at: iso(new Date(now.getTime() + SESSION_DAYS * 86_400_000)),
      user_agent: userAgent.slice(0, 300),
    })
    .execute();
  return secret;
}

export async function deleteAuthSession(db: Db, secret: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('id_hash', '=', hashSecret(secret)).execute();
}

/** Signs the user out everywhere. */
export async function deleteAllAuthSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('auth_sessions').where('user_id', '=', userId).execute();
}

/** The actor behind a session cookie, or null when it is unknown or expired. */
export async function findActorBySession(db: Db, secret: string, clock: Clock = systemClock): Promise<Actor | null> {
  const now = clock.now();
  const row = await db
    .selectFrom('auth_sessions')
    .innerJoin('users', 'users.id', 'auth_sessions.user_id')
    .select([
      'users.id',
      'users.display_name',
      'users.is_admin',
      'users.email_verified_at',
      'auth_sessions.expires_at',
      'auth_sessions.last_seen_at',
      'auth_sessions.id_hash',
    ])
    .where('auth_sessions.id_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!row || row.expires_at <= iso(now)) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) > REFRESH_MS) {
    await db
      .updateTable('auth_sessions')
      .set({ last_seen_at: iso(now), expires_at: iso(new Date(now.getTime() + SESSION_DAYS * 86_400_000)) })
      .where('id_hash', '=', row.id_hash)
      .execute();
  }
  return actorFor(db, { id: row.id, display_name: row.display_name, is_admin: row.is_admin, email_verified_at: row.email_verified_at });
}

/** Every authenticated request reads the grants: compiled once. */
const grantsOf = compiledOnce<[userId: number], Pick<RoleGrantRow, 'scope_type' | 'scope_id' | 'role' | 'track_ids'>>(1, (db, m) =>
  db.selectFrom('role_grants').select(['scope_type', 'scope_id', 'role', 'track_ids']).where('user_id', '=', m[0]!),
);

/** Builds the Actor (with all role grants) for a user row. */
export async function actorFor(db: Db, user: { id: number; display_name: string; is_admin: number; email_verified_at: string | null }): Promise<Actor> {
  const grants = await grantsOf(db, [user.id]);
  return {
    userId: user.id,
    displayName: user.display_name,
    isAdmin: user.is_admin === 1,
    emailVerified: user.email_verified_at !== null,
    grants: grants.map(
      (g): RoleGrant => ({
        scope: g.scope_type as RoleGrant['scope'],
        scopeId: g.scope_id,
        role: g.role as Role,
        trackIds: JSON.parse(g.track_ids) as number[],
      }),
    ),
  };
}
