import type { Config } from '../../config.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { AccountErrors } from './account.errors.js';
import { SetupSchema, parseEmail, parseInput, type SetupInput } from './account.schemas.js';
import { LINK_PATHS, TOKEN_TTL_MS, tokenLink } from './account-mail.js';
import { recordAudit } from './audit.queries.js';
import { createAuthSession } from './auth-session.queries.js';
import { consumeOneTimeToken, createOneTimeToken, deleteOpenSetupTokens } from './one-time-token.queries.js';
import { hashPassword } from './password.js';
import { countUsers, findUserByEmail, insertUserIfNew } from './user.queries.js';

/*
 * Site administrators. Two ways in, both through a channel only the operator sees:
 * - `hallway admin create <email>` (createAdmin) prints a one-time sign-in link;
 * - on the very first start, the app prints a /setup link (firstStartAdminLink) whose page lets
 *   the first person choose the administrator's e-mail and password (redeemSetupToken).
 * Either way the address counts as verified: the operator typed it.
 */

/** Settings key written when the /setup link is redeemed; setup happens once per instance. */
const SETUP_DONE_KEY = 'setup_done';

/**
 * Makes the address a site administrator, creating the account if needed (display name from
 * the part before @, no password, verified), and returns a one-time sign-in link
 * (BASE_URL/sign-in/link?token=…, 24 h). Nothing is mailed: the CLI prints the link.
 * Side effects: users row (new or is_admin = 1), one_time_tokens row, audit_log row.
 * Errors: ACCOUNT_INPUT_INVALID (`email`).
 */
export async function createAdmin(
  db: Db,
  config: Pick<Config, 'baseUrl'>,
  email: string,
  clock: Clock = systemClock,
): Promise<{ userId: number; email: string; created: boolean; link: string }> {
  const address = parseEmail(email);
  return inTransaction(db, async (trx) => {
    const newId = await insertUserIfNew(
      trx,
      { email: address, displayName: address.split('@')[0]!.slice(0, 100), passwordHash: null, verified: true, isAdmin: true },
      clock,
    );
    const user = (await findUserByEmail(trx, address))!;
    if (newId === null && user.is_admin !== 1) {
      await trx.updateTable('users').set({ is_admin: 1, updated_at: clock.instant() }).where('id', '=', user.id).execute();
    }
    await recordAudit(trx, {
      at: clock.instant(),
      actor: null,
      communityId: null,
      eventId: null,
      action: 'user.made_admin',
      entityType: 'user',
      entityId: user.id,
      summary: `${user.display_name} was made a site administrator from the command line`,
    });
    const token = await createOneTimeToken(trx, { purpose: 'sign_in', userId: user.id, email: address, ttlMs: TOKEN_TTL_MS.signInForAdmin }, clock);
    return { userId: user.id, email: address, created: newId !== null, link: tokenLink(config, LINK_PATHS.signIn, token) };
  });
}

/**
 * At start-up: when the instance has no account at all (and was never set up), returns a one-time link
 * (BASE_URL/setup?token=…, 24 h) for the app to print, else null. Each call voids the previous
 * unused setup link. Side effects: one_time_tokens row (purpose setup).
 */
export async function firstStartAdminLink(db: Db, config: Pick<Config, 'baseUrl'>, clock: Clock = systemClock): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    if ((await countUsers(trx)) > 0) return null;
    if (await trx.selectFrom('settings').select('key').where('key', '=', SETUP_DONE_KEY).executeTakeFirst()) return null;
    await deleteOpenSetupTokens(trx);
    const token = await createOneTimeToken(trx, { purpose: 'setup', userId: null, email: '', ttlMs: TOKEN_TTL_MS.setup }, clock);
    return tokenLink(config, LINK_PATHS.setup, token);
  });
}

/**
 * Redeems the /setup link: creates the first account as a verified site administrator with the
 * chosen e-mail, name and password, and signs it in (returns the cookie secret). Input is checked
 * before the link is used. Errors: ACCOUNT_INPUT_INVALID, SETUP_DONE (accounts exist already),
 * TOKEN_INVALID, TOKEN_EXPIRED.
 */
export async function redeemSetupToken(db: Db, token: string, input: SetupInput, userAgent = '', clock: Clock = systemClock): Promise<string> {
  const { email, displayName, password } = parseInput(SetupSchema, input);
  const passwordHash = await hashPassword(password);
  return inTransaction(db, async (trx) => {
    if ((await countUsers(trx)) > 0) throw AccountErrors.setupDone();
    await consumeOneTimeToken(trx, token, 'setup', clock);
    // The settings row is the lock: of two setups racing with two links, only one inserts it.
    const claimed = await trx
      .insertInto('settings')
      .values({ key: SETUP_DONE_KEY, value: clock.instant() })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) throw AccountErrors.setupDone();
    const id = await insertUserIfNew(trx, { email, displayName, passwordHash, verified: true, isAdmin: true }, clock);
    if (id === null) throw AccountErrors.setupDone();
    await recordAudit(trx, {
      at: clock.instant(),
      actor: null,
      communityId: null,
      eventId: null,
      action: 'user.made_admin',
      entityType: 'user',
      entityId: id,
      summary: `${displayName} set up this instance and became its first administrator`,
    });
    return createAuthSession(trx, id, userAgent, clock);
  });
}
