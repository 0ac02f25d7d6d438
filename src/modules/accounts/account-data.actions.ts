import { inTransaction, type Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { deleteMailTo } from '../mail/outbox.queries.js';
import type { Actor, Role } from './actor.js';
import { AccountErrors } from './account.errors.js';
import { normaliseEmail } from './account.schemas.js';
import { verifyPassword } from './password.js';
import { findUserById } from './user.queries.js';

/*
 * A person's own data: a full export, and deleting the account. Deleting keeps the public
 * programme consistent: talks stay, and the speaker profiles linked to the account either keep
 * their credit (name, bio…) or become "Former speaker".
 */

/** The name an anonymised speaker profile shows. */
export const FORMER_SPEAKER_NAME = 'Former speaker';

export interface UserDataExport {
  readonly format: 'hallway-user-data/1';
  readonly exportedAt: string;
  readonly account: { email: string; displayName: string; emailVerifiedAt: string | null; isAdmin: boolean; createdAt: string; updatedAt: string };
  readonly roles: { scope: string; scopeId: number; role: Role; trackIds: number[]; grantedAt: string }[];
  readonly apiTokens: { name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
  readonly speakerProfiles: {
    event: string;
    eventTitle: string;
    code: string;
    name: string;
    jobTitle: string;
    company: string;
    bio: string;
    avatarUrl: string | null;
    handles: Record<string, string>;
  }[];
  readonly auditEntries: {
    at: string;
    action: string;
    entityType: string;
    entityId: string | null;
    eventId: number | null;
    communityId: number | null;
    summary: string;
  }[];
}

/**
 * Everything stored about the signed-in person, as one JSON-ready object (no secrets, no hashes;
 * sign-in sessions are left out). Errors: NOT_FOUND (account gone).
 */
export async function exportUserData(db: Db, actor: Actor, clock: Clock = systemClock): Promise<UserDataExport> {
  const user = await findUserById(db, actor.userId);
  if (!user) throw AccountErrors.notFound('account');
  const [grants, tokens, speakers, audit] = await Promise.all([
    db.selectFrom('role_grants').selectAll().where('user_id', '=', user.id).orderBy('id').execute(),
    db.selectFrom('api_tokens').select(['name', 'prefix', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', user.id).orderBy('id').execute(),
    db
      .selectFrom('speakers')
      .innerJoin('events', 'events.id', 'speakers.event_id')
      .select([
        'events.slug',
        'events.title',
        'speakers.code',
        'speakers.name',
        'speakers.job_title',
        'speakers.company',
        'speakers.bio',
        'speakers.avatar_url',
        'speakers.handles',
      ])
      .where('speakers.user_id', '=', user.id)
      .orderBy('speakers.id')
      .execute(),
    db.selectFrom('audit_log').selectAll().where('actor_user_id', '=', user.id).orderBy('id').execute(),
  ]);
  return {
    format: 'hallway-user-data/1',
    exportedAt: clock.instant(),
    account: {
      email: user.email,
      displayName: user.display_name,
      emailVerifiedAt: user.email_verified_at,
      isAdmin: user.is_admin === 1,
      createdAt: user.created_at,
      updatedAt: user.updated_at,
    },
    roles: grants.map((g) => ({
      scope: g.scope_type,
      scopeId: g.scope_id,
      role: g.role as Role,
      trackIds: JSON.parse(g.track_ids) as number[],
      grantedAt: g.created_at,
    })),
    apiTokens: tokens.map((t) => ({ name: t.name, prefix: t.prefix, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at })),
    speakerProfiles: speakers.map((s) => ({
      event: s.slug,
      eventTitle: s.title,
      code: s.code,
      name: s.name,
      jobTitle: s.job_title,
      company: s.company,
      bio: s.bio,
      avatarUrl: s.avatar_url,
      handles: JSON.parse(s.handles) as Record<string, string>,
    })),
    auditEntries: audit.map((a) => ({
      at: a.created_at,
      action: a.action,
      entityType: a.entity_type,
      entityId: a.entity_id,
      eventId: a.event_id,
      communityId: a.community_id,
      summary: a.summary,
    })),
  };
}

/**
 * Checks that whoever asks to delete the account is its owner at the keyboard: the current
 * password, or, for an account without one (signs in by links), its e-mail address typed out.
 * Call before deleteAccount. Errors: ACCOUNT_INPUT_INVALID (`password` or `email`), NOT_FOUND.
 */
export async function confirmAccountOwner(db: Db, actor: Actor, proof: { password?: string; email?: string }): Promise<void> {
  const user = await findUserById(db, actor.userId);
  if (!user) throw AccountErrors.notFound('account');
  if (user.password_hash !== null) {
    const candidate = typeof proof.password === 'string' && proof.password.length <= 1000 ? proof.password : '';
    if (!(await verifyPassword(candidate, user.password_hash)))
      throw AccountErrors.inputInvalid([{ path: 'password', message: 'is not your current password' }]);
    return;
  }
  if (normaliseEmail(String(proof.email ?? '')) !== user.email) {
    throw AccountErrors.inputInvalid([{ path: 'email', message: "does not match your account's address" }]);
  }
}

/**
 * Deletes the signed-in person's account, in one transaction (the caller's, when given one):
 * 1. audit entries keep their actor_label but lose the account link;
 * 2. sign-in sessions, one-time links, API tokens, role grants, open invitations to the address,
 *    outbox mail to the address, and the user row are deleted.
 * Their speaker profiles are privacy's deletePersonalData's to unlink first (they are shown on
 * events, whose write path is above accounts). The caller clears the session cookie.
 * Errors: NOT_FOUND (account gone).
 */
export async function deleteAccount(db: Db, actor: Actor): Promise<void> {
  return inTransaction(db, async (trx) => {
    const user = await findUserById(trx, actor.userId);
    if (!user) throw AccountErrors.notFound('account');
    await trx.updateTable('audit_log').set({ actor_user_id: null }).where('actor_user_id', '=', user.id).execute();
    await trx.updateTable('invitations').set({ invited_by: null }).where('invited_by', '=', user.id).execute();
    await trx.deleteFrom('invitations').where('email', '=', user.email).where('accepted_at', 'is', null).execute();
    for (const table of ['auth_sessions', 'one_time_tokens', 'api_tokens', 'role_grants'] as const) {
      await trx.deleteFrom(table).where('user_id', '=', user.id).execute();
    }
    await deleteMailTo(trx, user.email);
    await trx.deleteFrom('users').where('id', '=', user.id).execute();
  });
}
