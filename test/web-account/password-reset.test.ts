import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, TEST_PASSWORD } from '../factories/users.js';
import { WebClient } from '../support/web-client.js';
import { linkIn, mainText, nextMailTo, queuedFor, setCookieLine, startAccountApp, withoutCsrf, type AccountTestApp } from './support.js';

const NEW_PASSWORD = 'a fresh new passphrase';

describe('forgotten password: reset by a mailed link, in the browser pages', () => {
  let t: AccountTestApp;
  before(async () => (t = await startAccountApp()));
  after(() => t.close());

  test('asking answers the same for a known and an unknown address, and only the account gets a mail', async () => {
    await createTestUser(t.app.db, { email: 'linus@example.org' });
    const seen = t.smtp.messages.length;
    const ask = async (email: string) => {
      const c = t.client();
      const res = await c.submit('/forgot-password', '/forgot-password', { email });
      const page = await c.get(res.headers.get('location') ?? '/none');
      return { status: res.status, location: res.headers.get('location'), body: withoutCsrf(await page.text()).replaceAll(email, 'ADDRESS') };
    };
    const known = await ask('linus@example.org');
    const unknown = await ask('ghost@example.org');
    assert.deepEqual(known, unknown);
    assert.equal(known.location, '/forgot-password/sent');
    assert.match(mainText(known.body), /^If ADDRESS has an account, a reset link is on its way\. Check your inbox/);
    await nextMailTo(t.smtp, 'linus@example.org', seen);
    // Every mail is an outbox row first, written with the request: none was queued for the stranger.
    assert.deepEqual(await queuedFor(t, 'ghost@example.org'), []);
    assert.deepEqual(
      t.smtp.messages.slice(seen).map((m) => m.to[0]),
      ['linus@example.org'],
    );

    const invalid = await t.client().submit('/forgot-password', '/forgot-password', { email: 'not an address' });
    assert.equal(invalid.status, 422);
    assert.match(await invalid.text(), /<a href="#f-email">E-mail address: must be an e-mail address<\/a>/);
  });

  test('the mailed link sets a new password: the old one fails, every session ends, the link works once', async () => {
    const user = await createTestUser(t.app.db, { email: 'margaret@example.org' });
    const seen = t.smtp.messages.length;
    await t.client().submit('/forgot-password', '/forgot-password', { email: 'margaret@example.org' });
    const mail = await nextMailTo(t.smtp, 'margaret@example.org', seen);
    assert.equal(mail.subject, 'Reset your password');
    const link = linkIn(mail, '/reset-password');
    const token = decodeURIComponent(link.split('token=')[1]!);

    const c = t.client();
    const form = await (await c.get(link)).text();
    assert.match(form, /<input id="f-newPassword" name="newPassword" type="password" required autocomplete="new-password"/);
    const short = await c.submit(link, '/reset-password', { token, newPassword: 'short' });
    assert.equal(short.status, 422, 'a too-short password does not use the link up');
    assert.match(await short.text(), /New password: must be at least 12 characters/);

    const res = await c.submit(link, '/reset-password', { token, newPassword: NEW_PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/sign-in');
    assert.equal(setCookieLine(res, 'hallway_session'), undefined, 'resetting does not sign in');
    assert.match(mainText(await (await c.get('/sign-in')).text()), /^Your password was changed and you were signed out everywhere\./);
    assert.equal((await WebClient.signedIn(t.app.url, user.sessionCookie).get('/account')).status, 303, 'the old session is gone');

    const old = await t.client().submit('/sign-in', '/sign-in', { email: 'margaret@example.org', password: TEST_PASSWORD });
    assert.equal(old.status, 401);
    const fresh = await t.client().submit('/sign-in', '/sign-in', { email: 'margaret@example.org', password: NEW_PASSWORD });
    assert.equal(fresh.status, 303);

    const reuse = await t.client().submit(link, '/reset-password', { token, newPassword: 'yet another passphrase' });
    assert.equal(reuse.status, 400);
    assert.match(mainText(await reuse.text()), /This link is invalid, was already used, or has expired\. Ask for a new one\. Ask for a new reset link/);
  });
});
