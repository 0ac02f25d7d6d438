import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AUTH_RATE_LIMITS } from '../../src/web/account/rate-limits.js';
import { mainText, startAccountApp, type AccountTestApp } from './support.js';

/*
 * The limits are per client IP and per form; every request here comes from 127.0.0.1, so each
 * test uses a form no other test in this file posts to. Sign-in guesses go to different
 * addresses, so the per-account limit (account-throttle.test.ts) is not what stops them.
 */
describe('rate limits on the account forms', () => {
  let t: AccountTestApp;
  before(async () => (t = await startAccountApp()));
  after(() => t.close());

  test(`sign-in: after ${AUTH_RATE_LIMITS.signIn.max} attempts the form answers 429 with Retry-After, keeping the address`, async () => {
    const c = t.client();
    for (let i = 0; i < AUTH_RATE_LIMITS.signIn.max; i++) {
      const res = await c.submit('/sign-in', '/sign-in', { email: `target${i}@example.org`, password: `guess ${i}` });
      assert.equal(res.status, 401, `attempt ${i + 1} is still checked`);
    }
    const limited = await c.submit('/sign-in', '/sign-in', { email: 'target@example.org', password: 'one more guess' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 840 && Number(limited.headers.get('retry-after')) <= 900, 'about a full window');
    const html = await limited.text();
    assert.match(html, /<div class="error-summary" role="alert" tabindex="-1"><p>Too many attempts, try again in 15 minutes\.<\/p><\/div>/);
    assert.match(html, /<input id="f-email" name="email" type="email" value="target@example.org"/);
    assert.ok(!html.includes('one more guess'));
    const stillLimited = await t.client().submit('/sign-in', '/sign-in', { email: 'someone@example.org', password: 'x' });
    assert.equal(stillLimited.status, 429, 'the limit is per IP, not per browser');
    assert.equal((await t.client().get('/sign-in')).status, 200, 'the page itself still opens');
  });

  test(`sign-in links and password resets: ${AUTH_RATE_LIMITS.signInLink.max} requests, then 429; no extra mail is sent`, async () => {
    for (const [form, action, max] of [
      ['/sign-in', '/sign-in/link/request', AUTH_RATE_LIMITS.signInLink.max],
      ['/forgot-password', '/forgot-password', AUTH_RATE_LIMITS.passwordReset.max],
    ] as const) {
      const c = t.client();
      for (let i = 0; i < max; i++) assert.equal((await c.submit(form, action, { email: `x${i}@example.org` })).status, 303);
      const limited = await c.submit(form, action, { email: 'late@example.org' });
      assert.equal(limited.status, 429, action);
      assert.ok(Number(limited.headers.get('retry-after')) > 800, action);
      assert.match(mainText(await limited.text()), /Too many attempts, try again in 15 minutes\./);
    }
    const rows = await t.app.db.selectFrom('mail_outbox').select('to_address').where('to_address', '=', 'late@example.org').execute();
    assert.deepEqual(rows, []);
  });

  test(`sign-up: ${AUTH_RATE_LIMITS.signUp.max} accounts an hour from one IP`, async () => {
    const c = t.client();
    for (let i = 0; i < AUTH_RATE_LIMITS.signUp.max; i++) {
      assert.equal(
        (await c.submit('/sign-up', '/sign-up', { displayName: 'Bot', email: `bot${i}@example.org`, password: 'a long enough passphrase' })).status,
        303,
      );
    }
    const limited = await c.submit('/sign-up', '/sign-up', { displayName: 'Bot', email: 'bot-late@example.org', password: 'a long enough passphrase' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 3540 && Number(limited.headers.get('retry-after')) <= 3600, 'about a full window');
    const html = await limited.text();
    assert.match(mainText(html), /Too many attempts, try again in 60 minutes\./);
    assert.ok(html.includes('value="bot-late@example.org"'), 'what was typed is kept');
    assert.equal(await t.app.db.selectFrom('users').select('id').where('email', '=', 'bot-late@example.org').executeTakeFirst(), undefined);
  });
});
