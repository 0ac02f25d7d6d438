import { z } from 'zod';
import { inTransaction, type Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { enqueueMail } from '../mail/outbox.queries.js';
import { passwordResetMail, signInLinkMail } from '../mail/templates.js';
import type { MailConfig } from './account.actions.js';
import { AccountErrors } from './account.errors.js';
import { PasswordSchema, parseEmail, parseInput } from './account.schemas.js';
import { LINK_PATHS, TOKEN_TTL_MS, mayMail, tokenLink } from './account-mail.js';
import { revokeAllApiTokens } from './api-token.actions.js';
import { createAuthSession, deleteAllAuthSessions } from './auth-session.queries.js';
import { consumeOneTimeToken, createOneTimeToken, invalidateTokens } from './one-time-token.queries.js';
import { hashPassword } from './password.js';
import { findUserByEmail, findUserById, markEmailVerified, setPasswordHash } from './user.queries.js';

/*
 * Mailed one-time links: sign in without a password, and reset a forgotten password. Asking
 * answers the same for known and unknown addresses (no user enumeration): the caller learns
 * nothing, and only an existing account gets a mail.
 */

/**
 * Mails a one-time sign-in link (/sign-in/link?token=…, 1 h) if the address has an account.
 * Same (empty) answer either way. Side effects: token + mail (at most ACCOUNT_MAILS_PER_HOUR).
 * Errors: ACCOUNT_INPUT_INVALID (not an e-mail address at all).
 */
export async function requestSignInLink(db: Db, config: MailConfig, email: string, clock: Clock = systemClock): Promise<void> {
  const address = parseEmail(email);
  await inTransaction(db, async (trx) => {
    const user = await findUserByEmail(trx, address);
    if (!user || !(await mayMail(trx, address, clock))) return;
    const token = await createOneTimeToken(trx, { purpose: 'sign_in', userId: user.id, email: address, ttlMs: TOKEN_TTL_MS.signInByMail }, clock);
    const link = tokenLink(config, LINK_PATHS.signIn, token);
    await enqueueMail(
      trx,
      config,
      { to: address, ...signInLinkMail({ displayName: user.display_name, link, minutes: TOKEN_TTL_MS.signInByMail / 60_000 }) },
      clock,
    );
  });
}

/**
 * Redeems a sign-in link (mailed, or printed by `hallway admin create`): starts a session and
 * marks the address verified (whoever holds the link controls the address or the server).
 * Returns the cookie secret. Errors: TOKEN_INVALID, TOKEN_EXPIRED.
 */
export async function redeemSignInLink(db: Db, token: string, userAgent = '', clock: Clock = systemClock): Promise<string> {
  return inTransaction(db, async (trx) => {
    const t = await consumeOneTimeToken(trx, token, 'sign_in', clock);
    const user = t.userId === null ? undefined : await findUserById(trx, t.userId);
    if (!user || user.email !== t.email) throw AccountErrors.tokenInvalid();
    await markEmailVerified(trx, user.id, user.email, clock);
    return createAuthSession(trx, user.id, userAgent, clock);
  });
}

/**
 * Mails a password reset link (/reset-password?token=…, 1 h) if the address has an account.
 * Same (empty) answer either way. Side effects: token + mail (at most ACCOUNT_MAILS_PER_HOUR).
 * Errors: ACCOUNT_INPUT_INVALID (not an e-mail address at all).
 */
export async function requestPasswordReset(db: Db, config: MailConfig, email: string, clock: Clock = systemClock): Promise<void> {
  const address = parseEmail(email);
  await inTransaction(db, async (trx) => {
    const user = await findUserByEmail(trx, address);
    if (!user || !(await mayMail(trx, address, clock))) return;
    const token = await createOneTimeToken(trx, { purpose: 'reset_password', userId: user.id, email: address, ttlMs: TOKEN_TTL_MS.resetPassword }, clock);
    const link = tokenLink(config, LINK_PATHS.resetPassword, token);
    await enqueueMail(
      trx,
      config,
      { to: address, ...passwordResetMail({ displayName: user.display_name, link, minutes: TOKEN_TTL_MS.resetPassword / 60_000 }) },
      clock,
    );
  });
}

/**
 * Redeems a reset link: sets the new password, marks the address verified, signs the account
 * out on every device and voids its other open reset and sign-in links. Does not sign in.
 * With `someoneElse` ("someone else may have used my account") it also revokes every API token
 * (audited); off by default, since most resets are a forgotten password and tokens run scripts.
 * The password is checked before the link is used, so a too-short one does not burn it.
 * Errors: ACCOUNT_INPUT_INVALID (`newPassword`), TOKEN_INVALID, TOKEN_EXPIRED.
 */
export async function resetPassword(
  db: Db,
  token: string,
  newPassword: string,
  options: { someoneElse?: boolean } = {},
  clock: Clock = systemClock,
): Promise<{ userId: number; email: string; apiTokensRevoked: number }> {
  const { newPassword: password } = parseInput(z.object({ newPassword: PasswordSchema }), { newPassword });
  const hash = await hashPassword(password);
  return inTransaction(db, async (trx) => {
    const t = await consumeOneTimeToken(trx, token, 'reset_password', clock);
    const user = t.userId === null ? undefined : await findUserById(trx, t.userId);
    if (!user || user.email !== t.email) throw AccountErrors.tokenInvalid();
    await setPasswordHash(trx, user.id, hash, clock);
    await markEmailVerified(trx, user.id, user.email, clock);
    await deleteAllAuthSessions(trx, user.id);
    await invalidateTokens(trx, user.id, ['reset_password', 'sign_in'], clock);
    const apiTokensRevoked = options.someoneElse
      ? await revokeAllApiTokens(
          trx,
          { id: user.id, displayName: user.display_name },
          'reset the password because someone else may have used the account',
          clock,
        )
      : 0;
    return { userId: user.id, email: user.email, apiTokensRevoked };
  });
}
