import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTransport } from 'nodemailer';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../mail/smtp-server.js';
import { createTestUser, TEST_PASSWORD } from '../factories/users.js';
import { errorOf, tokenFromOutbox, tokenFromText, useTestDb } from './support.js';
import { changePassword, getOwnAccount, signIn, signOut, signOutEverywhere, updateProfile } from '../../src/modules/accounts/account.actions.js';
import { redeemSignInLink, requestPasswordReset, requestSignInLink, resetPassword } from '../../src/modules/accounts/sign-in-link.actions.js';
import { findActorBySession } from '../../src/modules/accounts/auth-session.queries.js';
import { sendQueuedMail } from '../../src/modules/mail/sender.js';
import { listOutbox } from '../../src/modules/mail/outbox.queries.js';
import { hashSecret } from '../../src/lib/secrets.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const NEW_PASSWORD = 'a brand new passphrase';

for (const database of testDatabases) {
  describe(`sign-in, sign-out, links and password reset on ${database.name}`, () => {
    const env = useTestDb(database);
    let smtp: TestSmtpServer;
    before(async () => (smtp = await startSmtpServer()));
    after(() => smtp.close());

    test('signing in starts a session whose cookie finds the actor; signing out ends it', async () => {
      const user = await createTestUser(env.db, { email: 'grace@example.org', displayName: 'Grace' });
      const { cookieSecret, actor } = await signIn(env.db, ' GRACE@example.org', TEST_PASSWORD, 'test-agent');
      assert.deepEqual(actor, { userId: user.id, displayName: 'Grace', isAdmin: false, emailVerified: true, grants: [] });
      assert.deepEqual(await findActorBySession(env.db, cookieSecret), actor);
      const row = await env.db.selectFrom('auth_sessions').selectAll().where('id_hash', '=', hashSecret(cookieSecret)).executeTakeFirstOrThrow();
      assert.equal(row.user_agent, 'test-agent');
      await signOut(env.db, cookieSecret);
      assert.equal(await findActorBySession(env.db, cookieSecret), null);
      assert.notEqual(await findActorBySession(env.db, user.sessionCookie), null, 'other sessions stay');
      await signOutEverywhere(env.db, user.id);
      assert.equal(await findActorBySession(env.db, user.sessionCookie), null);
    });

    test('unknown e-mail, wrong password and a password-less account fail identically (no enumeration)', async () => {
      const { createAdmin } = await import('../../src/modules/accounts/admin.actions.js');
      await createAdmin(env.db, env.config, 'linkonly@example.org');
      const wrong = await errorOf(() => signIn(env.db, 'grace@example.org', 'not the password', ''));
      const unknown = await errorOf(() => signIn(env.db, 'nobody@example.org', TEST_PASSWORD, ''));
      const noPassword = await errorOf(() => signIn(env.db, 'linkonly@example.org', '', ''));
      const garbage = await errorOf(() => signIn(env.db, 'not an address', 'x'.repeat(5000), ''));
      assert.deepEqual(wrong, { code: 'SIGN_IN_FAILED', message: 'The e-mail address or the password is wrong.', problems: [] });
      assert.deepEqual(unknown, wrong);
      assert.deepEqual(noPassword, wrong);
      assert.deepEqual(garbage, wrong);
    });

    test('password reset end to end over SMTP: new password works, old one and every old session do not', async () => {
      const config = env.withSmtp(smtp.url);
      const grace = await signIn(env.db, 'grace@example.org', TEST_PASSWORD);
      const before = smtp.messages.length;
      assert.equal(await requestPasswordReset(env.db, config, 'Grace@Example.org'), undefined);
      assert.equal(await requestPasswordReset(env.db, config, 'nobody@example.org'), undefined, 'same (empty) answer for an unknown address');
      await sendQueuedMail(env.db, config, createTransport(smtp.url));
      const received = smtp.messages.slice(before);
      assert.deepEqual(
        received.map((m) => [m.to, m.subject]),
        [[['grace@example.org'], 'Reset your password']],
        'only the account owner gets a mail',
      );
      const token = tokenFromText(received[0]!.text, '/reset-password');

      const short = await errorOf(() => resetPassword(env.db, token, 'short'));
      assert.deepEqual([short.code, short.problems], ['ACCOUNT_INPUT_INVALID', [{ path: 'newPassword', message: 'must be at least 12 characters' }]]);
      const reset = await resetPassword(env.db, token, NEW_PASSWORD);
      assert.equal(reset.email, 'grace@example.org');
      assert.equal(await findActorBySession(env.db, grace.cookieSecret), null, 'signed out everywhere');
      assert.equal((await errorOf(() => signIn(env.db, 'grace@example.org', TEST_PASSWORD))).code, 'SIGN_IN_FAILED');
      assert.equal((await signIn(env.db, 'grace@example.org', NEW_PASSWORD)).actor.userId, reset.userId);
      assert.equal((await errorOf(() => resetPassword(env.db, token, 'yet another passphrase'))).code, 'TOKEN_INVALID');
    });

    test('a reset link expires after an hour; a new reset voids older open links', async () => {
      await requestPasswordReset(env.db, env.config, 'grace@example.org');
      const first = await tokenFromOutbox(env.db, 'grace@example.org', '/reset-password');
      const row = await env.db.selectFrom('one_time_tokens').selectAll().where('token_hash', '=', hashSecret(first)).executeTakeFirstOrThrow();
      assert.equal(Date.parse(row.expires_at) - Date.parse(row.created_at), 3_600_000);
      await env.db.updateTable('one_time_tokens').set({ expires_at: '2000-01-01T00:00:00Z' }).where('token_hash', '=', hashSecret(first)).execute();
      assert.equal((await errorOf(() => resetPassword(env.db, first, NEW_PASSWORD))).code, 'TOKEN_EXPIRED');

      await requestSignInLink(env.db, env.config, 'grace@example.org');
      const signInToken = await tokenFromOutbox(env.db, 'grace@example.org', '/sign-in/link');
      await requestPasswordReset(env.db, env.config, 'grace@example.org');
      await resetPassword(env.db, await tokenFromOutbox(env.db, 'grace@example.org', '/reset-password'), NEW_PASSWORD);
      assert.equal((await errorOf(() => redeemSignInLink(env.db, signInToken))).code, 'TOKEN_INVALID', 'voided by the reset');
    });

    test('a mailed sign-in link signs in once and verifies the address; unknown addresses get nothing', async () => {
      const { signUp } = await import('../../src/modules/accounts/account.actions.js');
      await signUp(env.db, env.config, { email: 'hopper@example.org', password: 'hopper passphrase', displayName: 'Hopper' });
      const count = (await listOutbox(env.db, { limit: 1000 })).length;
      await requestSignInLink(env.db, env.config, 'nobody@example.org');
      assert.equal((await listOutbox(env.db, { limit: 1000 })).length, count);
      await requestSignInLink(env.db, env.config, 'hopper@example.org');
      const token = await tokenFromOutbox(env.db, 'hopper@example.org', '/sign-in/link');
      const cookie = await redeemSignInLink(env.db, token, 'ua');
      const actor = (await findActorBySession(env.db, cookie))!;
      assert.deepEqual([actor.displayName, actor.emailVerified], ['Hopper', true]);
      assert.equal((await errorOf(() => redeemSignInLink(env.db, token))).code, 'TOKEN_INVALID');
      assert.equal((await errorOf(() => requestSignInLink(env.db, env.config, 'no address'))).problems[0]!.path, 'email');
    });

    test('changing the password needs the current one and signs out the other sessions only', async () => {
      const here = await signIn(env.db, 'hopper@example.org', 'hopper passphrase');
      const elsewhere = await signIn(env.db, 'hopper@example.org', 'hopper passphrase');
      const bad = await errorOf(() => changePassword(env.db, here.actor, { currentPassword: 'wrong', newPassword: NEW_PASSWORD }, here.cookieSecret));
      assert.deepEqual(bad.problems, [{ path: 'currentPassword', message: 'is not your current password' }]);
      await changePassword(env.db, here.actor, { currentPassword: 'hopper passphrase', newPassword: NEW_PASSWORD }, here.cookieSecret);
      assert.notEqual(await findActorBySession(env.db, here.cookieSecret), null);
      assert.equal(await findActorBySession(env.db, elsewhere.cookieSecret), null);
      await updateProfile(env.db, here.actor, { displayName: ' Grace Hopper ' });
      const own = await getOwnAccount(env.db, here.actor);
      assert.deepEqual([own.displayName, own.email, own.emailVerified, own.hasPassword], ['Grace Hopper', 'hopper@example.org', true, true]);
    });
  });
}
