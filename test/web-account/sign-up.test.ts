import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { linkIn, mainText, nextMailTo, setCookieLine, startAccountApp, withoutCsrf, type AccountTestApp } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const PASSWORD = 'a long enough passphrase';

for (const database of testDatabases) {
  describe(`sign-up and e-mail confirmation in the browser pages on ${database.name}`, () => {
    let t: AccountTestApp;
    before(async () => (t = await startAccountApp({ database })));
    after(() => t.close());

    const verifiedAt = async (email: string) =>
      (await t.app.db.selectFrom('users').select('email_verified_at').where('email', '=', email).executeTakeFirstOrThrow()).email_verified_at;

    test('sign up → confirmation mail over SMTP → the link page only shows a button → POST confirms the address', async () => {
      const c = t.client();
      const form = await (await c.get('/sign-up')).text();
      assert.match(form, /<input id="f-email" name="email" type="email"[^>]* autocomplete="email"/);
      assert.match(form, /<input id="f-password" name="password" type="password"[^>]* autocomplete="new-password"/);

      const res = await c.submit('/sign-up', '/sign-up', { displayName: 'Ada Lovelace', email: ' Ada@Example.org ', password: PASSWORD });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/sign-up/sent');
      assert.equal(setCookieLine(res, 'hallway_session'), undefined, 'signing up does not sign in');
      const sent = mainText(await (await c.get('/sign-up/sent')).text());
      assert.ok(sent.startsWith('We sent a mail to ada@example.org. Check your inbox Open the link in the mail to confirm your address.'), sent);

      const mail = await nextMailTo(t.smtp, 'ada@example.org', 0);
      assert.equal(mail.subject, 'Confirm your e-mail address');
      assert.equal(mail.from, 'noreply@hallway.test');
      const link = linkIn(mail, '/verify-email');
      const token = decodeURIComponent(link.split('token=')[1]!);

      for (let i = 0; i < 2; i++) {
        const page = await c.get(link);
        const html = await page.text();
        assert.equal(page.status, 200);
        assert.match(html, /<form method="post" action="\/verify-email"/);
        assert.ok(html.includes(`name="token" value="${token}"`), 'the token travels in the form');
        assert.match(html, /<button type="submit">Confirm my address<\/button>/);
      }
      assert.equal(await verifiedAt('ada@example.org'), null, 'opening the link (as a mail scanner does) confirms nothing');

      const confirm = await c.submit(link, '/verify-email', { token });
      assert.equal(confirm.status, 303);
      assert.equal(confirm.headers.get('location'), '/sign-in');
      assert.ok(mainText(await (await c.get('/sign-in')).text()).startsWith('Thank you: ada@example.org is confirmed. Sign in'));
      assert.notEqual(await verifiedAt('ada@example.org'), null);

      const again = await c.submit(link, '/verify-email', { token });
      assert.equal(again.status, 400);
      assert.match(
        mainText(await again.text()),
        /This confirmation link does not work This link is invalid, was already used, or has expired\. Ask for a new one\./,
      );

      const signIn = await c.submit('/sign-in', '/sign-in', { email: 'ada@example.org', password: PASSWORD });
      assert.equal(signIn.status, 303);
      const account = mainText(await (await c.get('/account')).text());
      assert.match(account, /ada@example\.org \(confirmed\)/);
    });

    test('a failed sign-up keeps what was typed (never the password) and names each field', async () => {
      const c = t.client();
      const res = await c.submit('/sign-up', '/sign-up', { displayName: 'Grace <b>Hopper</b>', email: 'grace@', password: 'short' });
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.ok(html.includes('value="Grace &lt;b>Hopper&lt;/b>"'), 'the name is kept, escaped');
      assert.ok(html.includes('value="grace@"'), 'the address is kept');
      assert.ok(!html.includes('value="short"'), 'the password is never sent back');
      assert.match(
        html,
        /<div class="error-summary" role="alert" tabindex="-1"><p>Please correct 2 fields: email, password\.<\/p><ul><li><a href="#f-email">E-mail address: must be an e-mail address<\/a><\/li><li><a href="#f-password">Password: must be at least 12 characters<\/a><\/li><\/ul><\/div>/,
      );
      assert.match(
        html,
        /<p class="error" id="f-password-error">must be at least 12 characters<\/p><input id="f-password" name="password" type="password" required autocomplete="new-password" aria-invalid="true" aria-describedby="f-password-hint f-password-error"/,
      );
      assert.equal(await t.app.db.selectFrom('users').select('id').where('email', '=', 'grace@').executeTakeFirst(), undefined);
    });

    test('signing up with a taken address answers exactly like a new one (no enumeration)', async () => {
      const seen = t.smtp.messages.length;
      const answer = async (email: string) => {
        const c = t.client();
        const res = await c.submit('/sign-up', '/sign-up', { displayName: 'Mallory', email, password: PASSWORD });
        const page = await c.get(res.headers.get('location') ?? '/none');
        return {
          status: res.status,
          location: res.headers.get('location'),
          page: page.status,
          body: withoutCsrf(await page.text()).replaceAll(email, 'ADDRESS'),
        };
      };
      const taken = await answer('ada@example.org');
      const fresh = await answer('newcomer@example.org');
      assert.deepEqual(taken, fresh);
      assert.equal(taken.status, 303);
      const toAda = await nextMailTo(t.smtp, 'ada@example.org', seen);
      assert.equal(toAda.subject, 'Someone tried to sign up with your address');
      const users = await t.app.db.selectFrom('users').select(['email', 'display_name']).where('email', '=', 'ada@example.org').execute();
      assert.deepEqual(users, [{ email: 'ada@example.org', display_name: 'Ada Lovelace' }], 'the existing account is untouched');
    });
  });
}
