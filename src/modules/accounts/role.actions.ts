import { inTransaction, type Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { ROLE_LABELS, type Actor, type Role, type RoleGrant } from './actor.js';
import { canGrantRole } from './account.policy.js';
import { AccountErrors } from './account.errors.js';
import { GrantRoleSchema, RevokeRoleSchema, parseInput, type GrantRoleInput, type RevokeRoleInput } from './account.schemas.js';
import { recordAudit } from './audit.queries.js';
import { countOwners, resolveScope, trackNames, upsertGrant, type ResolvedScope } from './role.queries.js';
import { findUserById } from './user.queries.js';

/*
 * Roles in an event or a community (owner, organizer, track manager, reviewer, speaker). Who may
 * change them is canGrantRole; the actor must also have a verified e-mail address. Every change
 * is written to the audit log of the event (or community) in the same transaction.
 */

/**
 * Loads the scope and checks the actor may change `role` in it.
 * Errors: NOT_FOUND (no such event/community), FORBIDDEN, EMAIL_NOT_VERIFIED.
 */
export async function authorizeRoleChange(db: Db, actor: Actor, scope: 'event' | 'community', scopeId: number, role: Role): Promise<ResolvedScope> {
  const resolved = await resolveScope(db, scope, scopeId);
  if (!actor.emailVerified && !actor.isAdmin) throw AccountErrors.emailNotVerified();
  if (!canGrantRole(actor, resolved, role)) throw AccountErrors.forbidden(`change the ${ROLE_LABELS[role].toLowerCase()} role here`);
  return resolved;
}

/**
 * Track managers need at least one track of the event (and only event scope); other roles none.
 * Returns the track names for the audit summary. Errors: ACCOUNT_INPUT_INVALID (`trackIds`, `scope`).
 */
export async function checkTracks(db: Db, scope: ResolvedScope, role: Role, trackIds: readonly number[]): Promise<string[]> {
  if (role !== 'track_manager') {
    if (trackIds.length > 0) throw AccountErrors.inputInvalid([{ path: 'trackIds', message: 'only track managers have tracks' }]);
    return [];
  }
  if (scope.eventId === null) throw AccountErrors.inputInvalid([{ path: 'scope', message: 'track managers are appointed per event' }]);
  if (trackIds.length === 0) throw AccountErrors.inputInvalid([{ path: 'trackIds', message: 'name at least one track' }]);
  const names = await trackNames(db, scope.eventId, trackIds);
  if (!names) throw AccountErrors.inputInvalid([{ path: 'trackIds', message: 'a track is not part of this event' }]);
  return names;
}

/** "Reviewer of TestConf 2027 (tracks: Security)": the grant as the audit log and mails read it. */
export function describeGrant(role: Role, scope: ResolvedScope, tracks: readonly string[]): string {
  return `${ROLE_LABELS[role]} of ${scope.name}${tracks.length ? ` (tracks: ${tracks.join(', ')})` : ''}`;
}

/**
 * Gives a user a role in an event or community (or changes a track manager's tracks).
 * Side effects: role_grants row, audit_log row "role.granted".
 * Errors: ACCOUNT_INPUT_INVALID, NOT_FOUND (user, event, community), FORBIDDEN, EMAIL_NOT_VERIFIED.
 */
export async function grantRole(db: Db, actor: Actor, input: GrantRoleInput, clock: Clock = systemClock): Promise<RoleGrant> {
  const { userId, scope, scopeId, role, trackIds } = parseInput(GrantRoleSchema, input);
  return inTransaction(db, async (trx) => {
    const resolved = await authorizeRoleChange(trx, actor, scope, scopeId, role);
    const tracks = await checkTracks(trx, resolved, role, trackIds);
    const user = await findUserById(trx, userId);
    if (!user) throw AccountErrors.notFound('user');
    const grant = await upsertGrant(trx, user.id, resolved, role, trackIds, clock);
    await recordAudit(trx, {
      at: clock.instant(),
      actor,
      communityId: resolved.communityId,
      eventId: resolved.eventId,
      action: 'role.granted',
      entityType: 'user',
      entityId: user.id,
      summary: `${user.display_name} is now ${describeGrant(role, resolved, tracks)}`,
    });
    return grant;
  });
}

/**
 * Takes a role away. Side effects: deletes the role_grants row, audit_log row "role.revoked".
 * Errors: ACCOUNT_INPUT_INVALID, NOT_FOUND (no such grant), FORBIDDEN, EMAIL_NOT_VERIFIED,
 * LAST_OWNER (the scope's only owner).
 */
export async function revokeRole(db: Db, actor: Actor, input: RevokeRoleInput, clock: Clock = systemClock): Promise<void> {
  const { userId, scope, scopeId, role } = parseInput(RevokeRoleSchema, input);
  await inTransaction(db, async (trx) => {
    const resolved = await authorizeRoleChange(trx, actor, scope, scopeId, role);
    const grant = await trx
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select(['role_grants.id', 'users.display_name'])
      .where('role_grants.user_id', '=', userId)
      .where('scope_type', '=', scope)
      .where('scope_id', '=', scopeId)
      .where('role', '=', role)
      .executeTakeFirst();
    if (!grant) throw AccountErrors.notFound('role grant');
    if (role === 'owner' && (await countOwners(trx, resolved)) <= 1) throw AccountErrors.lastOwner();
    await trx.deleteFrom('role_grants').where('id', '=', grant.id).execute();
    await recordAudit(trx, {
      at: clock.instant(),
      actor,
      communityId: resolved.communityId,
      eventId: resolved.eventId,
      action: 'role.revoked',
      entityType: 'user',
      entityId: userId,
      summary: `${grant.display_name} is no longer ${describeGrant(role, resolved, [])}`,
    });
  });
}

export interface TeamMember {
  readonly userId: number;
  readonly displayName: string;
  /** Shown to the scope's organizers only (they manage the team). */
  readonly email: string;
  readonly role: Role;
  readonly trackIds: readonly number[];
  readonly since: string;
}

/**
 * Everyone with a role directly in the scope (not inherited from the community), for the team
 * page. Errors: NOT_FOUND, FORBIDDEN (only those who may grant organizer roles see it).
 */
export async function listRoleGrants(db: Db, actor: Actor, scope: { scope: 'event' | 'community'; scopeId: number }): Promise<TeamMember[]> {
  const resolved = await resolveScope(db, scope.scope, scope.scopeId);
  if (!canGrantRole(actor, resolved, 'organizer')) throw AccountErrors.forbidden('see the team');
  const rows = await db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select(['users.id', 'users.display_name', 'users.email', 'role_grants.role', 'role_grants.track_ids', 'role_grants.created_at'])
    .where('scope_type', '=', scope.scope)
    .where('scope_id', '=', scope.scopeId)
    .orderBy('users.display_name')
    .orderBy('role_grants.role')
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    displayName: r.display_name,
    email: r.email,
    role: r.role as Role,
    trackIds: JSON.parse(r.track_ids) as number[],
    since: r.created_at,
  }));
}
