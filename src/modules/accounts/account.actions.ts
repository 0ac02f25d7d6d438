import type { Config } from '../../config.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { hashSecret } from '../../lib/secrets.js';
import { enqueueMail } from '../mail/outbox.queries.js';
import { signUpAttemptMail, verifyEmailMail } from '../mail/templates.js';
import type { Actor } from './actor.js';
import { AccountErrors } from './account.errors.js';
import {
  ChangePasswordSchema,
  ProfileSchema,
  SignUpSchema,
  normaliseEmail,
  parseInput,
  type ChangePasswordInput,
  type ProfileInput,
  type SignUpInput,
} from './account.schemas.js';
import { LINK_PATHS, TOKEN_TTL_MS, mayMail, tokenLink } from './account-mail.js';
import { actorFor, createAuthSession, deleteAllAuthSessions, deleteAuthSession } from './auth-session.queries.js';
import { revokeAllApiTokens } from './api-token.actions.js';
import { countAttempt, forgetAttempt, minutesText } from './attempt.queries.js';
import { consumeOneTimeToken, createOneTimeToken } from './one-time-token.queries.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password.js';
import { findUserByEmail, findUserById, insertUserIfNew, markEmailVerified, setPasswordHash } from './user.queries.js';

/*
 * Sign-up, e-mail verification, sign-in and sign-out, and the signed-in person's own settings.
 * Policy on unverified accounts: they may sign in (the actor has emailVerified false); actions
 * that act for others (granting roles, inviting, accepting an invitation) require a verified
 * address and throw EMAIL_NOT_VERIFIED.
 * One-time links: the page behind a link must show a button that POSTs the token, never redeem
 * it on GET (mail scanners open links).
 */

/** The configuration account actions that send mail need (a full Config fits). */
export type MailConfig = Pick<Config, 'baseUrl' | 'smtpUrl' | 'database'>;

/** What signUp answers, the same whether or not the address already had an account. */
export interface SignUpResult {
  readonly email: string;
}

async function queueVerification(
  db: Db,
  config: MailConfig,
  user: { id: number; email: string; displayName: string },
  clock: Clock = systemClock,
): Promise<void> {
  const token = await createOneTimeToken(db, { purpose: 'verify_email', userId: user.id, email: user.email, ttlMs: TOKEN_TTL_MS.verifyEmail }, clock);
  const link = tokenLink(config, LINK_PATHS.verifyEmail, token);
  await enqueueMail(
    db,
    config,
    { to: user.email, ...verifyEmailMail({ displayName: user.displayName, link, hours: TOKEN_TTL_MS.verifyEmail / 3_600_000 }) },
    clock,
  );
}

/**
 * Creates an unverified account and mails a verification link (/verify-email?token=…, 48 h).
 * No user enumeration: for an address that already has an account nothing is created and its
 * owner gets a "someone tried to sign up with your address" mail instead (at most
 * ACCOUNT_MAILS_PER_HOUR), and the caller gets the same result; the password is hashed in both
 * cases so the timing matches too. Does not sign in.
 * Side effects: users row, one_time_tokens row, one mail. Errors: ACCOUNT_INPUT_INVALID.
 */
export async function signUp(db: Db, config: MailConfig, input: SignUpInput, clock: Clock = systemClock): Promise<SignUpResult> {
  const { email, password, displayName } = parseInput(SignUpSchema, input);
  const passwordHash = await hashPassword(password);
  await inTransaction(db, async (trx) => {
    const id = await insertUserIfNew(trx, { email, displayName, passwordHash, verified: false }, clock);
    if (id !== null) return queueVerification(trx, config, { id, email, displayName }, clock);
    const owner = await findUserByEmail(trx, email);
    if (!owner || !(await mayMail(trx, email, clock))) return;
    const mail = signUpAttemptMail({
      displayName: owner.display_name,
      signInUrl: `${config.baseUrl}${LINK_PATHS.signInPage}`,
      resetUrl: `${config.baseUrl}${LINK_PATHS.forgotPasswordPage}`,
    });
    await enqueueMail(trx, config, { to: email, ...mail }, clock);
  });
  return { email };
}

/**
 * Redeems a verification link: marks the address verified. Single use.
 * Errors: TOKEN_INVALID, TOKEN_EXPIRED.
 */
export async function verifyEmail(db: Db, token: string, clock: Clock = systemClock): Promise<{ userId: number; email: string }> {
  return inTransaction(db, async (trx) => {
    const t = await consumeOneTimeToken(trx, token, 'verify_email', clock);
    if (t.userId === null) throw AccountErrors.tokenInvalid();
    await markEmailVerified(trx, t.userId, t.email, clock);
    return { userId: t.userId, email: t.email };
  });
}

/**
 * Mails a new verification link to the signed-in person (no-op when already verified, or past
 * ACCOUNT_MAILS_PER_HOUR). Side effects: token + mail.
 */
export async function requestEmailVerification(db: Db, config: MailConfig, actor: Actor, clock: Clock = systemClock): Promise<void> {
  await inTransaction(db, async (trx) => {
    const user = await findUserById(trx, actor.userId);
    if (!user || user.email_verified_at !== null || !(await mayMail(trx, user.email, clock))) return;
    await queueVerification(trx, config, { id: user.id, email: user.email, displayName: user.display_name }, clock);
  });
}

/** Failed passwords allowed per address from devices it never signed in on (and per known device), per window. */
export const FAILED_PASSWORD_LIMIT = { max: 5, windowMs: 15 * 60_000 } as const;

/** A browser this account signed in on before: the id in its signed device cookie (see the web adapter). */
export interface KnownDevice {
  readonly userId: number;
  readonly id: string;
}

/**
 * Checks e-mail and password and starts a sign-in session. Returns the cookie secret (only its
 * hash is stored) and the actor. Unverified accounts may sign in (actor.emailVerified false).
 * Constant time: an unknown address is checked against a dummy hash.
 * Per-account limit (OWASP device cookies): failed passwords are counted in the database per
 * address (known or not, so the limit reveals nothing), at most FAILED_PASSWORD_LIMIT; past it
 * the address is refused from unknown devices without checking the password, while a browser
 * where the account signed in before (`device`) has its own count, so an attacker elsewhere
 * cannot lock the person out. A correct password does not count.
 * Side effects: auth_sessions row, auth_attempts row per failure. Errors: SIGN_IN_FAILED (one
 * message for every cause), RATE_LIMITED (429).
 */
export async function signIn(
  db: Db,
  email: string,
  password: string,
  userAgent = '',
  device: KnownDevice | null = null,
  clock: Clock = systemClock,
): Promise<{ cookieSecret: string; actor: Actor }> {
  const address = normaliseEmail(String(email));
  const user = await findUserByEmail(db, address);
  const known = device !== null && user !== undefined && device.userId === user.id;
  const bucket = known ? `password:device:${hashSecret(device.id)}` : `password:account:${hashSecret(address)}`;
  const attempt = await countAttempt(db, bucket, FAILED_PASSWORD_LIMIT, { now: clock.now().getTime() });
  if (attempt.limited) throw AccountErrors.tooManyPasswords(known, minutesText(attempt.retryAfterMs));
  const candidate = typeof password === 'string' && password.length <= 1000 ? password : '';
  const ok = await verifyPassword(candidate, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
  if (!user || user.password_hash === null || !ok) throw AccountErrors.signInFailed();
  if (attempt.attemptId !== null) await forgetAttempt(db, attempt.attemptId);
  const cookieSecret = await createAuthSession(db, user.id, userAgent, clock);
  return { cookieSecret, actor: await actorFor(db, user) };
}

/** Ends this sign-in session (the cookie's). Side effects: deletes one auth_sessions row. */
export async function signOut(db: Db, cookieSecret: string): Promise<void> {
  await deleteAuthSession(db, cookieSecret);
}

/**
 * Ends every sign-in session of the user, on every device; with `revokeApiTokens` also revokes
 * all their API tokens (audited) and returns how many. Off by default: tokens run scripts, not
 * devices, and the settings page offers the choice with their number.
 */
export async function signOutEverywhere(
  db: Db,
  userId: number,
  options: { revokeApiTokens?: boolean } = {},
  clock: Clock = systemClock,
): Promise<{ apiTokensRevoked: number }> {
  return inTransaction(db, async (trx) => {
    await deleteAllAuthSessions(trx, userId);
    const user = options.revokeApiTokens ? await findUserById(trx, userId) : undefined;
    const apiTokensRevoked = user ? await revokeAllApiTokens(trx, { id: user.id, displayName: user.display_name }, 'signed out everywhere', clock) : 0;
    return { apiTokensRevoked };
  });
}

/**
 * Changes the signed-in person's password after checking the current one, and signs out every
 * other session (pass the current cookie secret to keep this one).
 * Errors: ACCOUNT_INPUT_INVALID (also `currentPassword` when it is wrong).
 */
export async function changePassword(db: Db, actor: Actor, input: ChangePasswordInput, keepCookieSecret?: string, clock: Clock = systemClock): Promise<void> {
  const { currentPassword, newPassword } = parseInput(ChangePasswordSchema, input);
  const user = await findUserById(db, actor.userId);
  if (!user) throw AccountErrors.notFound('account');
  const ok = await verifyPassword(currentPassword, user.password_hash ?? (await DUMMY_HASH_PROMISE));
  if (!ok || user.password_hash === null) throw AccountErrors.inputInvalid([{ path: 'currentPassword', message: 'is not your current password' }]);
  const hash = await hashPassword(newPassword);
  await inTransaction(db, async (trx) => {
    await setPasswordHash(trx, user.id, hash, clock);
    let q = trx.deleteFrom('auth_sessions').where('user_id', '=', user.id);
    if (keepCookieSecret) q = q.where('id_hash', '!=', hashSecret(keepCookieSecret));
    await q.execute();
  });
}

/**
 * Changes the signed-in person's display name; true when it differs from the stored one. Public
 * pages show the name (recap authors), so adapters call privacy's changeDisplayName, which also
 * refreshes those pages. Errors: ACCOUNT_INPUT_INVALID.
 */
export async function updateProfile(db: Db, actor: Actor, input: ProfileInput, clock: Clock = systemClock): Promise<boolean> {
  const { displayName } = parseInput(ProfileSchema, input);
  const result = await db
    .updateTable('users')
    .set({ display_name: displayName, updated_at: clock.instant() })
    .where('id', '=', actor.userId)
    .where('display_name', '!=', displayName)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The signed-in person's own account, for their settings page (the only place the e-mail shows). */
export async function getOwnAccount(db: Db, actor: Actor) {
  const user = await findUserById(db, actor.userId);
  if (!user) throw AccountErrors.notFound('account');
  return {
    email: user.email,
    displayName: user.display_name,
    emailVerified: user.email_verified_at !== null,
    hasPassword: user.password_hash !== null,
    isAdmin: user.is_admin === 1,
    createdAt: user.created_at,
  };
}
