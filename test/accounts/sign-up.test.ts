import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTransport } from 'nodemailer';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../mail/smtp-server.js';
import { BASE_URL, errorOf, tokenFromOutbox, tokenFromText, useTestDb } from './support.js';
import { signUp, verifyEmail, requestEmailVerification, signIn } from '../../src/modules/accounts/account.actions.js';
import { sendQueuedMail } from '../../src/modules/mail/sender.js';
import { listOutbox } from '../../src/modules/mail/outbox.queries.js';
import { ACCOUNT_MAILS_PER_HOUR } from '../../src/modules/accounts/account-mail.js';
import { hashSecret } from '../../src/lib/secrets.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const PASSWORD = 'a long enough passphrase';

for (const database of testDatabases) {
  describe(`sign-up and e-mail verification on ${database.name}`, () => {
    const env = useTestDb(database);
    let smtp: TestSmtpServer;
    before(async () => (smtp = await startSmtpServer()));
    after(() => smtp.close());

    test('sign-up mails exactly one verification link over SMTP; following it verifies, once', async () => {
      const config = env.withSmtp(smtp.url);
      const result = await signUp(env.db, config, { email: '  Ada@Example.ORG ', password: PASSWORD, displayName: ' Ada ' });
      assert.deepEqual(result, { email: 'ada@example.org' });
      assert.deepEqual(await sendQueuedMail(env.db, config, createTransport(smtp.url)), { sent: 1, failed: 0 });
      assert.equal(smtp.messages.length, 1);
      const mail = smtp.messages[0]!;
      assert.deepEqual([mail.to, mail.subject], [['ada@example.org'], 'Confirm your e-mail address']);
      assert.match(mail.text, /^Hello Ada,/);
      const token = tokenFromText(mail.text, '/verify-email');
      assert.ok(mail.html!.includes(`${BASE_URL}/verify-email?token=${token}`));

      const user = await env.db.selectFrom('users').selectAll().where('email', '=', 'ada@example.org').executeTakeFirstOrThrow();
      assert.deepEqual([user.display_name, user.email_verified_at, user.is_admin], ['Ada', null, 0]);
      assert.match(user.password_hash!, /^scrypt\$/);
      const stored = await env.db.selectFrom('one_time_tokens').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
      assert.equal(stored.token_hash, hashSecret(token), 'only the hash is stored');
      assert.equal(stored.purpose, 'verify_email');
      const ttlHours = (Date.parse(stored.expires_at) - Date.parse(stored.created_at)) / 3_600_000;
      assert.equal(ttlHours, 48);

      assert.deepEqual(await verifyEmail(env.db, token), { userId: user.id, email: 'ada@example.org' });
      const after = await env.db.selectFrom('users').select('email_verified_at').where('id', '=', user.id).executeTakeFirstOrThrow();
      assert.notEqual(after.email_verified_at, null);
      assert.equal((await errorOf(() => verifyEmail(env.db, token))).code, 'TOKEN_INVALID', 'a link works once');
      assert.equal((await errorOf(() => verifyEmail(env.db, 'made-up'))).code, 'TOKEN_INVALID');
    });

    test('an expired verification link fails with TOKEN_EXPIRED (same message as an invalid one)', async () => {
      await signUp(env.db, env.config, { email: 'late@example.org', password: PASSWORD, displayName: 'Late' });
      const token = await tokenFromOutbox(env.db, 'late@example.org', '/verify-email');
      await env.db.updateTable('one_time_tokens').set({ expires_at: '2000-01-01T00:00:00Z' }).where('token_hash', '=', hashSecret(token)).execute();
      const expired = await errorOf(() => verifyEmail(env.db, token));
      const invalid = await errorOf(() => verifyEmail(env.db, 'nope'));
      assert.equal(expired.code, 'TOKEN_EXPIRED');
      assert.equal(expired.message, invalid.message);
    });

    test('signing up with a taken address answers the same and mails the owner instead (no enumeration)', async () => {
      const config = env.withSmtp(smtp.url);
      const before = smtp.messages.length;
      const users = async () => (await env.db.selectFrom('users').select('id').execute()).length;
      const count = await users();
      const taken = await signUp(env.db, config, { email: 'ADA@example.org', password: 'another passphrase!', displayName: 'Mallory' });
      const fresh = await signUp(env.db, config, { email: 'new@example.org', password: PASSWORD, displayName: 'New' });
      assert.deepEqual(taken, { email: 'ada@example.org' });
      assert.deepEqual(fresh, { email: 'new@example.org' });
      assert.deepEqual(Object.keys(taken), Object.keys(fresh));
      assert.equal(await users(), count + 1, 'no second account for the taken address');
      await sendQueuedMail(env.db, config, createTransport(smtp.url));
      const toAda = smtp.messages.slice(before).filter((m) => m.to[0] === 'ada@example.org');
      assert.equal(toAda.length, 1);
      assert.equal(toAda[0]!.subject, 'Someone tried to sign up with your address');
      assert.ok(toAda[0]!.text.includes(`${BASE_URL}/sign-in`) && toAda[0]!.text.includes(`${BASE_URL}/forgot-password`));
      assert.ok(!toAda[0]!.text.includes('token='), 'no link that would let the stranger in');
      const ada = await signIn(env.db, 'ada@example.org', PASSWORD);
      assert.equal(ada.actor.displayName, 'Ada', 'the existing account is untouched');
    });

    test('invalid input names each field; e-mail is normalised before checking', async () => {
      const e = await errorOf(() => signUp(env.db, env.config, { email: 'not-an-address', password: 'short', displayName: '   ' }));
      assert.equal(e.code, 'ACCOUNT_INPUT_INVALID');
      assert.deepEqual(e.problems, [
        { path: 'email', message: 'must be an e-mail address' },
        { path: 'password', message: 'must be at least 12 characters' },
        { path: 'displayName', message: 'is required' },
      ]);
      const long = await errorOf(() => signUp(env.db, env.config, { email: 'x@example.org', password: 'p'.repeat(201), displayName: 'n'.repeat(101) }));
      assert.deepEqual(
        long.problems.map((p) => p.path),
        ['password', 'displayName'],
      );
    });

    test(`at most ${ACCOUNT_MAILS_PER_HOUR} account mails an hour go to one address, with unchanged answers`, async () => {
      for (let i = 0; i < ACCOUNT_MAILS_PER_HOUR + 3; i++) {
        assert.deepEqual(await signUp(env.db, env.config, { email: 'late@example.org', password: PASSWORD, displayName: 'X' }), { email: 'late@example.org' });
      }
      const toLate = (await listOutbox(env.db, { limit: 1000 })).filter((m) => m.to === 'late@example.org');
      assert.equal(toLate.length, ACCOUNT_MAILS_PER_HOUR);
    });

    test('a signed-in, unverified person can ask for a new verification link', async () => {
      const { actor } = await signIn(env.db, 'new@example.org', PASSWORD);
      assert.equal(actor.emailVerified, false, 'unverified accounts may sign in');
      await requestEmailVerification(env.db, env.config, actor);
      const token = await tokenFromOutbox(env.db, 'new@example.org', '/verify-email');
      await verifyEmail(env.db, token);
      const again = await signIn(env.db, 'new@example.org', PASSWORD);
      assert.equal(again.actor.emailVerified, true);
      const before = (await listOutbox(env.db, { limit: 1000 })).length;
      await requestEmailVerification(env.db, env.config, again.actor);
      assert.equal((await listOutbox(env.db, { limit: 1000 })).length, before, 'nothing to send once verified');
    });
  });
}
