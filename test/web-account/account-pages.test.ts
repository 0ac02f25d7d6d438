import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestUser, TEST_PASSWORD, type TestUser } from '../factories/users.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { WebClient, csrfTokenIn } from '../support/web-client.js';
import { inviteToRole } from '../../src/modules/accounts/invitation.actions.js';
import { linkIn, mainText, nextMailTo, setCookieLine, startAccountApp, type AccountTestApp } from './support.js';

describe("the signed-in person's pages: settings, tokens, data, deletion, invitations, admin", () => {
  let t: AccountTestApp;
  let ada: TestUser;
  let bob: TestUser;
  before(async () => {
    t = await startAccountApp({ docs: [buildEventDoc()] });
    ada = await createTestUser(t.app.db, { email: 'ada@example.org', displayName: 'Ada' });
    bob = await createTestUser(t.app.db, { email: 'bob@example.org', displayName: 'Bob' });
  });
  after(() => t.close());

  const as = (u: TestUser) => WebClient.signedIn(t.app.url, u.sessionCookie);

  test('profile: the name is saved with a notice; an empty one keeps the form with a field message', async () => {
    const c = as(ada);
    const bad = await c.submit('/account', '/account/profile', { displayName: '   ' });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /<a href="#f-displayName">Your name: is required<\/a>/);
    const ok = await c.submit('/account', '/account/profile', { displayName: 'Ada Lovelace' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/account');
    const page = await (await c.get('/account')).text();
    assert.match(mainText(page), /^Your profile is saved\. Your account Profile/);
    assert.ok(page.includes('value="Ada Lovelace"'));
    assert.match(page, /<a href="\/account">Ada Lovelace<\/a>/);
  });

  test('changing the password needs the current one, keeps this session and ends the others', async () => {
    const user = await createTestUser(t.app.db, { email: 'pw@example.org' });
    const other = await createTestUser(t.app.db, { email: 'pw2@example.org' });
    const c = as(user);
    const secondDevice = await t.app.db.selectFrom('auth_sessions').select('id_hash').where('user_id', '=', user.id).execute();
    assert.equal(secondDevice.length, 1);
    const wrong = await c.submit('/account', '/account/password', { currentPassword: 'not it', newPassword: 'brand new passphrase' });
    assert.equal(wrong.status, 422);
    const html = await wrong.text();
    assert.match(html, /Current password: is not your current password/);
    assert.match(html, /autocomplete="current-password"/);
    assert.ok(!html.includes('brand new passphrase'));
    const laptop = t.client();
    await laptop.submit('/sign-in', '/sign-in', { email: 'pw@example.org', password: TEST_PASSWORD });
    const ok = await c.submit('/account', '/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'brand new passphrase' });
    assert.equal(ok.status, 303);
    assert.equal((await c.get('/account')).status, 200, 'this session stays');
    assert.equal((await laptop.get('/account')).status, 303, 'the other device is signed out');
    assert.equal((await as(other).get('/account')).status, 200, 'other people are not affected');
  });

  test('an unconfirmed address can ask for a new confirmation link', async () => {
    await t.app.db.updateTable('users').set({ email_verified_at: null }).where('id', '=', bob.id).execute();
    const seen = t.smtp.messages.length;
    const page = mainText(await (await as(bob).get('/account')).text());
    assert.match(page, /bob@example\.org \(not confirmed yet\)/);
    const res = await as(bob).submit('/account', '/account/verification', {});
    assert.equal(res.status, 303);
    const mail = await nextMailTo(t.smtp, 'bob@example.org', seen);
    assert.equal(mail.subject, 'Confirm your e-mail address');
    const link = linkIn(mail, '/verify-email');
    const confirmed = await as(bob).submit(link, '/verify-email', { token: decodeURIComponent(link.split('token=')[1]!) });
    assert.equal(confirmed.headers.get('location'), '/account', 'signed in: back to the account page');
  });

  test('personal access tokens: shown once on creation, listed without the secret, revoked; others cannot revoke them', async () => {
    const c = as(ada);
    const created = await c.submit('/account/tokens', '/account/tokens', { name: 'Venue screens' });
    assert.equal(created.status, 200);
    const html = await created.text();
    const token = /id="new-token" class="account-token" type="text" readonly value="(hw_[A-Za-z0-9_-]+)"/.exec(html)?.[1];
    assert.ok(token, 'the token is on the result page');
    assert.ok(html.includes('<code>Authorization: Bearer &lt;token&gt;</code>'), 'the header to send is shown whole, not as "Bearer ."');
    assert.equal(created.headers.get('cache-control'), 'no-store');

    const api = await fetch(`${t.app.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.status, 200, 'the token is accepted by the API');

    const list = await (await c.get('/account/tokens')).text();
    assert.ok(!list.includes(token!), 'the list never shows the secret');
    assert.match(mainText(list), new RegExp(`Venue screens ${token!.slice(0, 10)}… \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    const id = /action="\/account\/tokens\/(\d+)\/revoke"/.exec(list)![1]!;

    const stranger = await as(bob).submit('/account/tokens', `/account/tokens/${id}/revoke`, {});
    assert.equal(stranger.status, 404);
    const revoked = await c.submit('/account/tokens', `/account/tokens/${id}/revoke`, {});
    assert.equal(revoked.status, 303);
    assert.match(mainText(await (await c.get('/account/tokens')).text()), /^The token is revoked: it no longer works\..*Venue screens .* revoked \d{4}-/);
    const row = await t.app.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', Number(id)).executeTakeFirstOrThrow();
    assert.notEqual(row.revoked_at, null);

    const empty = await c.submit('/account/tokens', '/account/tokens', { name: '' });
    assert.equal(empty.status, 422);
    assert.match(await empty.text(), /<a href="#f-name">Name: is required<\/a>/);
  });

  test("the data download is a JSON attachment with the person's own data only", async () => {
    await as(bob).submit('/account/tokens', '/account/tokens', { name: "Bob's script" });
    const page = await (await as(ada).get('/account/data')).text();
    assert.match(page, /href="\/account\/data\/download"/);
    const res = await as(ada).get('/account/data/download');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition')!, /^attachment; filename="hallway-my-data-\d{4}-\d\d-\d\d\.json"$/);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const text = await res.text();
    const data = JSON.parse(text) as { format: string; account: { email: string }; apiTokens: { name: string }[] };
    assert.equal(data.format, 'hallway-user-data/1');
    assert.equal(data.account.email, 'ada@example.org');
    assert.deepEqual(
      data.apiTokens.map((x) => x.name),
      ['Venue screens'],
    );
    assert.ok(!text.includes('bob@example.org') && !text.includes("Bob's script"), "nothing of Bob's");
    assert.ok(!/password|hash|hw_[A-Za-z0-9_-]{20,}/i.test(text), 'no secrets');
  });

  test('an invitation link: signed-in only, explains role and scope, accepted by the invited address with one POST', async () => {
    const eventId = (await t.app.db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow()).id;
    const root = await createTestUser(t.app.db, { email: 'inviter@example.org', isAdmin: true });
    const admin = { userId: root.id, displayName: 'Inviter', isAdmin: true, emailVerified: true, grants: [] };
    const seen = t.smtp.messages.length;
    await inviteToRole(t.app.db, t.app.hallway.ctx.config, admin, { email: 'bob@example.org', scope: 'event', scopeId: eventId, role: 'organizer' });
    const link = linkIn(await nextMailTo(t.smtp, 'bob@example.org', seen), '/invitations/accept');

    const anonymous = await t.client().get(link);
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('location'), `/sign-in?next=${encodeURIComponent(link)}`);

    const wrongPerson = mainText(await (await as(ada).get(link)).text());
    assert.match(wrongPerson, /You are invited to become Organizer of TestConf 2027\. This applies to this event only\./);
    assert.match(wrongPerson, /This invitation was sent to another e-mail address\./);

    const b = as(bob);
    const page = await (await b.get(link)).text();
    assert.match(mainText(page), /You are invited to become Organizer of TestConf 2027\. This applies to this event only\. Organizers edit the event/);
    assert.match(page, /<button type="submit">Accept the invitation<\/button>/);
    const grants = () => t.app.db.selectFrom('role_grants').select(['role', 'scope_id']).where('user_id', '=', bob.id).execute();
    assert.deepEqual(await grants(), [], 'opening the page grants nothing');
    const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
    const res = await b.post('/invitations/accept', { _csrf: csrfTokenIn(page)!, token });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/manage');
    assert.deepEqual(await grants(), [{ role: 'organizer', scope_id: eventId }]);
    const again = await as(bob).submit(link, '/invitations/accept', { token });
    assert.equal(again.status, 400);
  });

  test('/admin is for site administrators only: others get a 403 page; admins see the outbox', async () => {
    const denied = await as(ada).get('/admin');
    assert.equal(denied.status, 403);
    assert.match(mainText(await denied.text()), /You may not open the site administration \(site administrators only\)\./);
    const admin = await createTestUser(t.app.db, { email: 'root@example.org', isAdmin: true });
    const page = await as(admin).get('/admin');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(mainText(html), /Mail is sent through the SMTP server in SMTP_URL, from Hallway <noreply@hallway\.test>\./);
    assert.match(mainText(html), /Mail outbox 2 mails, newest first\./);
    assert.match(html, /<td>bob@example\.org<\/td><td><details><summary>Confirm your e-mail address<\/summary><pre class="account-mail-text">Hello Bob,/);
    assert.match(html, /<a href="\/admin">Admin<\/a>/, 'administrators get the Admin link in the header');
  });

  test('deleting the account needs the password, offers to keep speaker credit, and removes everything', async () => {
    const gone = await createTestUser(t.app.db, { email: 'leaving@example.org', displayName: 'Leaving' });
    await t.app.db.updateTable('speakers').set({ user_id: gone.id }).where('code', '=', 'linus').execute();
    const c = as(gone);
    const form = await (await c.get('/account/delete')).text();
    assert.match(form, /<input type="radio" id="credit-remove" name="speakerCredit" value="remove" checked\/>/);
    assert.match(form, /autocomplete="current-password"/);

    const wrong = await c.submit('/account/delete', '/account/delete', { password: 'not it', speakerCredit: 'keep' });
    assert.equal(wrong.status, 422);
    const wrongHtml = await wrong.text();
    assert.match(wrongHtml, /Your password: is not your current password/);
    assert.match(wrongHtml, /<input type="radio" id="credit-keep" name="speakerCredit" value="keep" checked\/>/, 'the choice is kept');
    assert.ok(await t.app.db.selectFrom('users').select('id').where('id', '=', gone.id).executeTakeFirst(), 'nothing deleted');

    const res = await c.submit('/account/delete', '/account/delete', { password: TEST_PASSWORD, speakerCredit: 'remove' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/sign-in');
    assert.match(setCookieLine(res, 'hallway_session')!, /Expires=Thu, 01 Jan 1970/);
    assert.equal(await t.app.db.selectFrom('users').select('id').where('id', '=', gone.id).executeTakeFirst(), undefined);
    assert.deepEqual(await t.app.db.selectFrom('auth_sessions').select('user_id').where('user_id', '=', gone.id).execute(), []);
    const speaker = await t.app.db.selectFrom('speakers').select(['name', 'bio', 'user_id']).where('code', '=', 'linus').executeTakeFirstOrThrow();
    assert.deepEqual(speaker, { name: 'Former speaker', bio: '', user_id: null });
    assert.equal((await as(gone).get('/account')).status, 303, 'the old session no longer works');
  });

  test('an account without a password confirms deletion by typing its address', async () => {
    const user = await createTestUser(t.app.db, { email: 'linkonly@example.org' });
    await t.app.db.updateTable('users').set({ password_hash: null }).where('id', '=', user.id).execute();
    const c = as(user);
    assert.match(await (await c.get('/account')).text(), /Your account has no password yet/);
    const wrong = await c.submit('/account/delete', '/account/delete', { email: 'other@example.org' });
    assert.equal(wrong.status, 422);
    assert.match(
      await wrong.text(),
      /Your e-mail address: does not match your account&#39;s address|Your e-mail address: does not match your account's address/,
    );
    const ok = await c.submit('/account/delete', '/account/delete', { email: ' LinkOnly@example.org ' });
    assert.equal(ok.status, 303);
    assert.equal(await t.app.db.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst(), undefined);
  });
});
