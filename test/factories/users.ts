import type { Db } from '../../src/db/database.js';
import type { RoleGrant } from '../../src/modules/accounts/actor.js';
import { createAuthSession } from '../../src/modules/accounts/auth-session.queries.js';
import { hashPassword } from '../../src/modules/accounts/password.js';
import { hashSecret } from '../../src/lib/secrets.js';

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * The scrypt hash of TEST_PASSWORD, made once per process and shared by every test user: scrypt
 * costs ~32 MiB and 50-100 ms of CPU by design, and the matrices create dozens of users. Signing
 * in still verifies the password against this real hash.
 */
let testPasswordHash: Promise<string> | undefined;

export interface TestUser {
  readonly id: number;
  readonly email: string;
  /** Value of the hallway_session cookie for a signed-in session. */
  readonly sessionCookie: string;
}

/**
 * Inserts a verified user (password TEST_PASSWORD) with the given role grants and a signed-in
 * session. Grants name the scope directly: { scope: 'event', scopeId, role, trackIds }.
 * `mayCreateCommunities`: a site administrator allowed them to start communities (the default
 * COMMUNITY_CREATORS=allowed needs it); `verified: false` leaves the address unconfirmed.
 */
export async function createTestUser(
  db: Db,
  options: { email: string; displayName?: string; isAdmin?: boolean; grants?: RoleGrant[]; mayCreateCommunities?: boolean; verified?: boolean },
): Promise<TestUser> {
  const now = new Date().toISOString();
  const user = await db
    .insertInto('users')
    .values({
      email: options.email.toLowerCase(),
      email_verified_at: options.verified === false ? null : now,
      password_hash: await (testPasswordHash ??= hashPassword(TEST_PASSWORD)),
      display_name: options.displayName ?? options.email.split('@')[0]!,
      is_admin: options.isAdmin ? 1 : 0,
      may_create_communities: options.mayCreateCommunities ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const g of options.grants ?? []) {
    await db
      .insertInto('role_grants')
      .values({ user_id: user.id, scope_type: g.scope, scope_id: g.scopeId, role: g.role, track_ids: JSON.stringify(g.trackIds), created_at: now })
      .execute();
  }
  const sessionCookie = await createAuthSession(db, user.id, 'test');
  // Valid whatever date the test's app clock shows (sessions are read with ctx.clock): a fixed
  // clock months from today must not find it expired.
  await db.updateTable('auth_sessions').set({ expires_at: '9999-12-31T23:59:59Z' }).where('id_hash', '=', hashSecret(sessionCookie)).execute();
  return { id: user.id, email: options.email.toLowerCase(), sessionCookie };
}
