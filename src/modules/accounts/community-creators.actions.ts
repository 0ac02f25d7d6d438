import type { CommunityCreators } from '../../config.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Actor } from './actor.js';
import { AccountErrors } from './account.errors.js';
import { canAdministerSite, canCreateCommunity } from './account.policy.js';
import { parseEmail } from './account.schemas.js';
import { recordAudit } from './audit.queries.js';
import { findUserByEmail } from './user.queries.js';

/*
 * Who may start a community. The operator chooses with COMMUNITY_CREATORS: `allowed` (the
 * default) lets site administrators and the people they allow (users.may_create_communities),
 * `confirmed` everyone with a confirmed address. Administrators allow and disallow people on
 * /admin or with `hallway admin allow-communities <email>`; each change is audited.
 */

/** What a check needs from the configuration (a full Config fits). */
export interface CommunityCreatorSettings {
  readonly communityCreators: CommunityCreators;
}

/** The safe default, for callers that pass no configuration. */
export const ALLOWED_ONLY: CommunityCreatorSettings = Object.freeze({ communityCreators: 'allowed' });

async function allowedByAdmin(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users').select('may_create_communities').where('id', '=', userId).executeTakeFirst();
  return row?.may_create_communities === 1;
}

/** Whether the actor may start a community now (for pages deciding what to show). */
export async function mayCreateCommunity(db: Db, settings: CommunityCreatorSettings, actor: Actor | null): Promise<boolean> {
  if (!actor) return false;
  return canCreateCommunity(actor, settings.communityCreators, await allowedByAdmin(db, actor.userId));
}

/**
 * Throws unless the actor may start a community, saying what to do about it.
 * Errors: FORBIDDEN (not signed in), EMAIL_NOT_VERIFIED, COMMUNITY_CREATION_NOT_ALLOWED.
 */
export async function assertMayCreateCommunity(db: Db, settings: CommunityCreatorSettings, actor: Actor | null): Promise<void> {
  if (!actor) throw AccountErrors.forbidden('create a community without signing in');
  if (!actor.emailVerified) throw AccountErrors.emailNotVerified();
  if (!(await mayCreateCommunity(db, settings, actor))) throw AccountErrors.communityCreationNotAllowed();
}

/** A person an administrator allowed to start communities. */
export interface CommunityCreator {
  readonly userId: number;
  readonly email: string;
  readonly displayName: string;
}

/** Everyone an administrator allowed to start communities, by name. Site administrators only. Errors: FORBIDDEN. */
export async function listCommunityCreators(db: Db, actor: Actor | null): Promise<CommunityCreator[]> {
  if (!canAdministerSite(actor)) throw AccountErrors.forbidden('see who may start communities');
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name'])
    .where('may_create_communities', '=', 1)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ userId: r.id, email: r.email, displayName: r.display_name }));
}

/**
 * Allows (or, with `allowed` false, stops allowing) the account with this address to start
 * communities. `actor` null is the operator at the command line. Communities the person already
 * runs stay theirs. Idempotent: no change, no audit row.
 * Side effects: users row, audit_log row. Errors: ACCOUNT_INPUT_INVALID (`email`), FORBIDDEN,
 * NOT_FOUND (no account with this address: they sign up first).
 */
export async function setCommunityCreator(
  db: Db,
  actor: Actor | null,
  email: string,
  allowed: boolean,
  clock: Clock = systemClock,
): Promise<CommunityCreator & { changed: boolean }> {
  const address = parseEmail(email);
  if (actor !== null && !canAdministerSite(actor)) throw AccountErrors.forbidden('allow people to start communities (site administrators only)');
  return inTransaction(db, async (trx) => {
    const user = await findUserByEmail(trx, address);
    if (!user) throw AccountErrors.notFound(`account with the address ${address} (they sign up first)`);
    const out = { userId: user.id, email: user.email, displayName: user.display_name };
    if ((user.may_create_communities === 1) === allowed) return { ...out, changed: false };
    await trx
      .updateTable('users')
      .set({ may_create_communities: allowed ? 1 : 0, updated_at: clock.instant() })
      .where('id', '=', user.id)
      .execute();
    const by = actor ? actor.displayName : 'the command line';
    await recordAudit(trx, {
      at: clock.instant(),
      actor,
      communityId: null,
      eventId: null,
      action: allowed ? 'user.allowed_communities' : 'user.disallowed_communities',
      entityType: 'user',
      entityId: user.id,
      summary: `${user.display_name} ${allowed ? 'may now start communities' : 'may no longer start communities'} (by ${by})`,
    });
    return { ...out, changed: true };
  });
}
