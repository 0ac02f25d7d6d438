import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FAILED_PASSWORD_LIMIT } from '../../src/modules/accounts/account.actions.js';
import { createTestUser, TEST_PASSWORD } from '../factories/users.js';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { mainText, startAccountApp, type AccountTestApp } from './support.js';

/*
 * The per-account limit on wrong passwords (OWASP device cookies): an attacker guessing one
 * person's password from anywhere is stopped after FAILED_PASSWORD_LIMIT.max wrong passwords,
 * and the person still signs in with their password on a browser where they signed in before.
 * Each test comes from its own client IP (TRUST_PROXY and X-Forwarded-For), so the per-IP limit
 * of the form is not what stops it.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`wrong passwords limited per account, not the person's own browser, on ${database.name}`, () => {
    let t: AccountTestApp;
    let ip = 0;
    before(async () => (t = await startAccountApp({ database, env: { TRUST_PROXY: 'true' } })));
    after(() => t.close());

    /** A browser at an address of its own. */
    const browserAt = (): WebClient => new WebClient(t.app.url, { 'x-forwarded-for': `198.51.100.${++ip}` });

    async function wrongPasswords(email: string, n: number): Promise<number[]> {
      const statuses: number[] = [];
      for (let i = 0; i < n; i++) statuses.push((await browserAt().submit('/sign-in', '/sign-in', { email, password: `guess number ${i}` })).status);
      return statuses;
    }

    test(`after ${FAILED_PASSWORD_LIMIT.max} wrong passwords a new device is refused even with the right one; a known device signs in`, async () => {
      await createTestUser(t.app.db, { email: 'ruth@example.org', displayName: 'Ruth' });
      const own = browserAt();
      assert.equal((await own.submit('/sign-in', '/sign-in', { email: 'ruth@example.org', password: TEST_PASSWORD })).status, 303);
      assert.ok(own.cookie('hallway_device'), 'signing in marks the browser as known');
      await own.submit('/account', '/sign-out', {});

      assert.deepEqual(
        await wrongPasswords('ruth@example.org', FAILED_PASSWORD_LIMIT.max),
        Array(FAILED_PASSWORD_LIMIT.max).fill(401),
        'each guess is checked',
      );
      const attacker = browserAt();
      const refused = await attacker.submit('/sign-in', '/sign-in', { email: 'ruth@example.org', password: TEST_PASSWORD });
      assert.equal(refused.status, 429, 'the right password from a new device is refused while the account is throttled');
      const html = await refused.text();
      assert.match(
        mainText(html),
        /Too many wrong passwords for this address from new devices\. Sign in with an e-mail link instead, or try again in 15 minutes/,
      );
      assert.match(html, /<input id="f-email" name="email" type="email" value="ruth@example.org"/, 'the address is kept');
      assert.equal(attacker.cookie('hallway_session'), undefined);

      const back = await own.submit('/sign-in', '/sign-in', { email: 'ruth@example.org', password: TEST_PASSWORD });
      assert.equal(back.status, 303, 'the person signs in where they signed in before');
      assert.equal((await own.get('/account')).status, 200);
    });

    test('an unknown address is limited the same way, so the limit tells nothing about who has an account', async () => {
      assert.deepEqual(await wrongPasswords('nobody-here@example.org', FAILED_PASSWORD_LIMIT.max + 1), [...Array(FAILED_PASSWORD_LIMIT.max).fill(401), 429]);
    });

    test('a forged device cookie does not count as a known device', async () => {
      await createTestUser(t.app.db, { email: 'sam@example.org', displayName: 'Sam' });
      const sam = await t.app.db.selectFrom('users').select('id').where('email', '=', 'sam@example.org').executeTakeFirstOrThrow();
      await wrongPasswords('sam@example.org', FAILED_PASSWORD_LIMIT.max);
      const forger = browserAt();
      forger.setCookie('hallway_device', `${sam.id}.${'a'.repeat(43)}`);
      assert.equal((await forger.submit('/sign-in', '/sign-in', { email: 'sam@example.org', password: TEST_PASSWORD })).status, 429);
    });
  });
}
