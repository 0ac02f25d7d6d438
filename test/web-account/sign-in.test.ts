import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { createTestUser, TEST_PASSWORD, type TestUser } from '../factories/users.js';
import { WebClient, csrfTokenIn } from '../support/web-client.js';
import { linkIn, mainText, nextMailTo, queuedFor, setCookieLine, startAccountApp, withoutCsrf, type AccountTestApp } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`sign-in, sign-out, sign-in links and CSRF in the browser pages on ${database.name}`, () => {
    let t: AccountTestApp;
    let grace: TestUser;
    before(async () => {
      t = await startAccountApp({ database });
      grace = await createTestUser(t.app.db, { email: 'grace@example.org', displayName: 'Grace' });
    });
    after(() => t.close());

    const signedIn = async (c: WebClient) => (await c.get('/account')).status === 200;

    test('a wrong password shows one message and sets no cookie; an unknown address gets the very same page', async () => {
      const wrong = await t.client().submit('/sign-in', '/sign-in', { email: 'grace@example.org', password: 'not my password' });
      const unknown = await t.client().submit('/sign-in', '/sign-in', { email: 'nobody@example.org', password: 'not my password' });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(setCookieLine(wrong, 'hallway_session'), undefined);
      const [a, b] = [withoutCsrf(await wrong.text()), withoutCsrf(await unknown.text())];
      assert.match(a, /<div class="error-summary" role="alert" tabindex="-1"><p>The e-mail address or the password is wrong\.<\/p><\/div>/);
      assert.equal(a.replaceAll('grace@example.org', 'ADDRESS'), b.replaceAll('nobody@example.org', 'ADDRESS'));
      assert.match(a, /<input id="f-email" name="email" type="email" value="grace@example.org" required autocomplete="email"/, 'the address is kept');
      assert.match(a, /autocomplete="current-password"/);
    });

    test('signing in sets an httpOnly, SameSite=Lax session cookie and goes to `next` (same-site paths only)', async () => {
      const c = t.client();
      const form = await (await c.get('/sign-in?next=%2Faccount%2Ftokens')).text();
      assert.ok(form.includes('<input type="hidden" name="next" value="/account/tokens"/>'), 'next is kept through the form');
      const res = await c.submit('/sign-in?next=%2Faccount%2Ftokens', '/sign-in', {
        email: 'GRACE@example.org',
        password: TEST_PASSWORD,
        next: '/account/tokens',
      });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/account/tokens');
      const cookie = setCookieLine(res, 'hallway_session')!;
      assert.ok(cookie, 'a session cookie is set');
      assert.match(cookie, /; HttpOnly/i);
      assert.match(cookie, /; SameSite=Lax/i);
      assert.match(cookie, /; Path=\//);
      assert.doesNotMatch(cookie, /; Secure/i, 'Secure only when BASE_URL is https');
      assert.ok(await signedIn(c));
      assert.match(await (await c.get('/account')).text(), /<a href="\/account">Grace<\/a>/, 'the header names who is signed in');

      // Not followed off-site: Grace, who helps run nothing, lands on her events, not in an empty back office.
      for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
        const other = await t.client().submit('/sign-in', '/sign-in', { email: 'grace@example.org', password: TEST_PASSWORD, next });
        assert.equal(other.headers.get('location'), '/account/events', `${next} is not followed`);
      }
      await createTestUser(t.app.db, {
        email: 'olga@example.org',
        displayName: 'Olga',
        grants: [{ scope: 'community', scopeId: 1, role: 'organizer', trackIds: [] }],
      });
      const organizer = await t.client().submit('/sign-in', '/sign-in', { email: 'olga@example.org', password: TEST_PASSWORD });
      assert.equal(organizer.headers.get('location'), '/manage', 'someone who helps run a community lands in the back office');
    });

    test('a page that needs an account sends to sign-in and back', async () => {
      const res = await t.client().get('/account/data');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/sign-in?next=%2Faccount%2Fdata');
      assert.equal(res.headers.get('cache-control'), 'no-store');
    });

    test('signing out ends the session on the server: the old cookie no longer works', async () => {
      const c = t.client();
      await c.submit('/sign-in', '/sign-in', { email: 'grace@example.org', password: TEST_PASSWORD });
      const secret = c.cookie('hallway_session')!;
      const res = await c.submit('/account', '/sign-out', {});
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/sign-in');
      assert.match(setCookieLine(res, 'hallway_session')!, /Expires=Thu, 01 Jan 1970/);
      assert.ok(mainText(await (await c.get('/sign-in')).text()).startsWith('You are signed out.'));
      const replayed = WebClient.signedIn(t.app.url, secret);
      assert.equal((await replayed.get('/account')).status, 303, 'a copy of the old cookie is useless');
      assert.ok(await signedIn(WebClient.signedIn(t.app.url, grace.sessionCookie)), 'other sessions stay');
    });

    test('"sign out everywhere" ends every session of the account', async () => {
      const laptop = t.client();
      const phone = t.client();
      await laptop.submit('/sign-in', '/sign-in', { email: 'grace@example.org', password: TEST_PASSWORD });
      await phone.submit('/sign-in', '/sign-in', { email: 'grace@example.org', password: TEST_PASSWORD });
      const phoneSecret = phone.cookie('hallway_session')!;
      const res = await laptop.submit('/account', '/account/sign-out-everywhere', {});
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/sign-in');
      assert.equal(await signedIn(laptop), false);
      assert.equal(await signedIn(WebClient.signedIn(t.app.url, phoneSecret)), false);
      assert.equal(await signedIn(WebClient.signedIn(t.app.url, grace.sessionCookie)), false);
      const left = await t.app.db.selectFrom('auth_sessions').select('user_id').where('user_id', '=', grace.id).execute();
      assert.deepEqual(left, []);
    });

    test('a mailed sign-in link: same answer for every address; GET shows a button; POST signs in once', async () => {
      const seen = t.smtp.messages.length;
      const ask = async (email: string) => {
        const c = t.client();
        const res = await c.submit('/sign-in', '/sign-in/link/request', { email });
        const page = await c.get(res.headers.get('location') ?? '/none');
        return { status: res.status, location: res.headers.get('location'), body: withoutCsrf(await page.text()).replaceAll(email, 'ADDRESS') };
      };
      const known = await ask('grace@example.org');
      const unknown = await ask('stranger@example.org');
      assert.deepEqual(known, unknown);
      assert.equal(known.location, '/sign-in/link/sent');
      assert.match(mainText(known.body), /^If ADDRESS has an account, a sign-in link is on its way\. Check your inbox/);

      const mail = await nextMailTo(t.smtp, 'grace@example.org', seen);
      assert.equal(mail.subject, 'Your sign-in link');
      const link = linkIn(mail, '/sign-in/link');
      const c = t.client();
      const page = await c.get(link);
      assert.equal(page.status, 200);
      assert.equal(setCookieLine(page, 'hallway_session'), undefined, 'GET signs nobody in');
      const html = await page.text();
      const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
      const res = await c.post('/sign-in/link', { _csrf: csrfTokenIn(html)!, token });
      assert.equal(res.status, 303);
      assert.ok(setCookieLine(res, 'hallway_session'));
      assert.ok(await signedIn(c));
      const reuse = await t.client().submit(link, '/sign-in/link', { token });
      assert.equal(reuse.status, 400);
      assert.equal(setCookieLine(reuse, 'hallway_session'), undefined);
      assert.deepEqual(await queuedFor(t, 'stranger@example.org'), [], 'nothing was mailed to the unknown address');
      assert.deepEqual(
        t.smtp.messages.slice(seen).map((m) => m.to[0]),
        ['grace@example.org'],
      );
    });

    test('a POST without a CSRF token, or with a wrong one, is refused with 403 and changes nothing', async () => {
      const c = WebClient.signedIn(t.app.url, (await createTestUser(t.app.db, { email: 'csrf@example.org', displayName: 'Before' })).sessionCookie);
      await c.get('/account'); // the CSRF secret cookie
      const missing = await c.post('/account/profile', { displayName: 'Changed' });
      const wrong = await c.post('/account/profile', { _csrf: 'not-a-token', displayName: 'Changed' });
      const signOut = await c.post('/sign-out', { _csrf: 'forged' });
      for (const res of [missing, wrong, signOut]) {
        assert.equal(res.status, 403);
        assert.match(await res.text(), /This form has expired or did not come from this site\./);
      }
      const row = await t.app.db.selectFrom('users').select('display_name').where('email', '=', 'csrf@example.org').executeTakeFirstOrThrow();
      assert.equal(row.display_name, 'Before');
      assert.ok(await signedIn(c), 'the forged sign-out did not sign out');
      const ok = await c.submit('/account', '/account/profile', { displayName: 'After' });
      assert.equal(ok.status, 303, 'the real form works');
    });
  });
}
