import { inTransaction, type Db } from '../../db/database.js';
import { storedInstant, systemClock, type Clock } from '../../lib/clock.js';
import { hashSecret, newSecret } from '../../lib/secrets.js';
import { enqueueMail } from '../mail/outbox.queries.js';
import { invitationMail } from '../mail/templates.js';
import type { MailConfig } from './account.actions.js';
import { ROLE_LABELS, type Actor, type Role, type RoleGrant } from './actor.js';
import { AccountErrors } from './account.errors.js';
import { InviteSchema, parseInput, type InviteInput } from './account.schemas.js';
import { LINK_PATHS, TOKEN_TTL_MS, tokenLink } from './account-mail.js';
import { recordAudit } from './audit.queries.js';
import { resolveScope, trackNames, upsertGrant } from './role.queries.js';
import { authorizeRoleChange, checkTracks, describeGrant } from './role.actions.js';
import { findUserById } from './user.queries.js';

/*
 * Invitations to a role, by e-mail: the invitee signs in (or signs up and confirms the address)
 * with the invited address and accepts. The link's secret is stored hashed; 7 days; single use.
 */

export interface InvitationInfo {
  readonly id: number;
  readonly email: string;
  readonly role: Role;
  readonly trackIds: readonly number[];
  readonly createdAt: string;
  readonly expiresAt: string;
}

/**
 * Invites an address to a role and mails the link (/invitations/accept?token=…, 7 days). Returns
 * the invitation and the link (an organizer may pass it on another way when no mail server is
 * configured; only the invited address can accept it).
 * Side effects: invitations row, mail, audit_log row "role.invited".
 * Errors: ACCOUNT_INPUT_INVALID, NOT_FOUND (event/community), FORBIDDEN, EMAIL_NOT_VERIFIED.
 */
export async function inviteToRole(
  db: Db,
  config: MailConfig,
  actor: Actor,
  input: InviteInput,
  clock: Clock = systemClock,
): Promise<InvitationInfo & { link: string }> {
  const { email, scope, scopeId, role, trackIds } = parseInput(InviteSchema, input);
  return inTransaction(db, async (trx) => {
    const resolved = await authorizeRoleChange(trx, actor, scope, scopeId, role);
    const tracks = await checkTracks(trx, resolved, role, trackIds);
    const token = newSecret();
    const createdAt = clock.instant();
    const expiresAt = storedInstant(new Date(clock.now().getTime() + TOKEN_TTL_MS.invitation));
    const ids = [...new Set(trackIds)].sort((a, b) => a - b);
    const row = await trx
      .insertInto('invitations')
      .values({
        email,
        scope_type: scope,
        scope_id: scopeId,
        role,
        track_ids: JSON.stringify(ids),
        token_hash: hashSecret(token),
        invited_by: actor.userId,
        created_at: createdAt,
        expires_at: expiresAt,
        accepted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const link = tokenLink(config, LINK_PATHS.invitation, token);
    const mail = invitationMail({
      inviterName: actor.displayName,
      roleLabel: ROLE_LABELS[role],
      scopeName: resolved.name,
      link,
      days: TOKEN_TTL_MS.invitation / 86_400_000,
    });
    await enqueueMail(trx, config, { to: email, ...mail }, clock);
    await recordAudit(trx, {
      at: clock.instant(),
      actor,
      communityId: resolved.communityId,
      eventId: resolved.eventId,
      action: 'role.invited',
      entityType: 'invitation',
      entityId: row.id,
      summary: `Invited ${email} as ${describeGrant(role, resolved, tracks)}`,
    });
    return { id: row.id, email, role, trackIds: ids, createdAt, expiresAt, link };
  });
}

/**
 * Accepts an invitation for the signed-in actor: grants the role. The actor's address must be
 * the invited one and verified. Side effects: invitation accepted_at, role_grants row,
 * audit_log row "role.invitation_accepted".
 * Errors: TOKEN_INVALID (unknown or used), TOKEN_EXPIRED, INVITATION_EMAIL_MISMATCH,
 * EMAIL_NOT_VERIFIED, NOT_FOUND (the event or community is gone).
 */
export async function acceptInvitation(db: Db, actor: Actor, token: string, clock: Clock = systemClock): Promise<{ grant: RoleGrant; scopeName: string }> {
  return inTransaction(db, async (trx) => {
    const hash = hashSecret(String(token));
    const inv = await trx.selectFrom('invitations').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!inv || inv.accepted_at !== null) throw AccountErrors.tokenInvalid();
    if (inv.expires_at <= clock.instant()) throw AccountErrors.tokenExpired();
    const user = await findUserById(trx, actor.userId);
    if (!user || user.email !== inv.email) throw AccountErrors.invitationEmailMismatch();
    if (user.email_verified_at === null) throw AccountErrors.emailNotVerified();
    const r = await trx
      .updateTable('invitations')
      .set({ accepted_at: clock.instant() })
      .where('id', '=', inv.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw AccountErrors.tokenInvalid();
    const scope = await resolveScope(trx, inv.scope_type as 'event' | 'community', inv.scope_id);
    const role = inv.role as Role;
    const grant = await upsertGrant(trx, user.id, scope, role, JSON.parse(inv.track_ids) as number[], clock);
    await recordAudit(trx, {
      at: clock.instant(),
      actor,
      communityId: scope.communityId,
      eventId: scope.eventId,
      action: 'role.invitation_accepted',
      entityType: 'user',
      entityId: user.id,
      summary: `${user.display_name} accepted the invitation and is now ${describeGrant(role, scope, [])}`,
    });
    return { grant, scopeName: scope.name };
  });
}

/** What an invitation link offers, as the page that asks to accept it shows it. */
export interface InvitationPreview {
  readonly role: Role;
  /** "Track manager of RiverConf 2027 (tracks: Security)". */
  readonly description: string;
  readonly scope: 'event' | 'community';
  readonly scopeName: string;
  readonly expiresAt: string;
  /** The signed-in account has the invited address (else acceptInvitation says INVITATION_EMAIL_MISMATCH). */
  readonly forThisAccount: boolean;
}

/**
 * Reads an open invitation by its link's token for the signed-in actor, changing nothing (the
 * page behind the link shows this and a button; only the POST accepts). The invited address is
 * not revealed. Errors: TOKEN_INVALID (unknown or used), TOKEN_EXPIRED, NOT_FOUND (scope gone).
 */
export async function describeInvitation(db: Db, actor: Actor, token: string, clock: Clock = systemClock): Promise<InvitationPreview> {
  const inv = await db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', hashSecret(String(token)))
    .executeTakeFirst();
  if (!inv || inv.accepted_at !== null) throw AccountErrors.tokenInvalid();
  if (inv.expires_at <= clock.instant()) throw AccountErrors.tokenExpired();
  const scope = await resolveScope(db, inv.scope_type as 'event' | 'community', inv.scope_id);
  const role = inv.role as Role;
  const ids = JSON.parse(inv.track_ids) as number[];
  const tracks = scope.eventId !== null ? ((await trackNames(db, scope.eventId, ids)) ?? []) : [];
  const user = await findUserById(db, actor.userId);
  return {
    role,
    description: describeGrant(role, scope, tracks),
    scope: scope.scope,
    scopeName: scope.name,
    expiresAt: inv.expires_at,
    forThisAccount: user?.email === inv.email,
  };
}

/** Open (not accepted, not expired) invitations of a scope, newest first. Errors: NOT_FOUND, FORBIDDEN. */
export async function listPendingInvitations(
  db: Db,
  actor: Actor,
  scope: { scope: 'event' | 'community'; scopeId: number },
  clock: Clock = systemClock,
): Promise<InvitationInfo[]> {
  await authorizeRoleChange(db, actor, scope.scope, scope.scopeId, 'organizer');
  const rows = await db
    .selectFrom('invitations')
    .selectAll()
    .where('scope_type', '=', scope.scope)
    .where('scope_id', '=', scope.scopeId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', clock.instant())
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role as Role,
    trackIds: JSON.parse(r.track_ids) as number[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}

/**
 * Withdraws an open invitation (its link stops working). Side effects: deletes the row, audit_log
 * row "role.invitation_withdrawn". Errors: NOT_FOUND, FORBIDDEN, EMAIL_NOT_VERIFIED.
 */
export async function withdrawInvitation(db: Db, actor: Actor, id: number, clock: Clock = systemClock): Promise<void> {
  await inTransaction(db, async (trx) => {
    const inv = await trx.selectFrom('invitations').selectAll().where('id', '=', id).where('accepted_at', 'is', null).executeTakeFirst();
    if (!inv) throw AccountErrors.notFound('invitation');
    const scope = await authorizeRoleChange(trx, actor, inv.scope_type as 'event' | 'community', inv.scope_id, inv.role as Role);
    await trx.deleteFrom('invitations').where('id', '=', id).execute();
    await recordAudit(trx, {
      at: clock.instant(),
      actor,
      communityId: scope.communityId,
      eventId: scope.eventId,
      action: 'role.invitation_withdrawn',
      entityType: 'invitation',
      entityId: id,
      summary: `Withdrew the invitation of ${inv.email} as ${describeGrant(inv.role as Role, scope, [])}`,
    });
  });
}
