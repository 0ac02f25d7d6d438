import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { actorFor, createAuthSession } from '../../src/modules/accounts/auth-session.queries.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { WebClient } from '../support/web-client.js';
import { linkIn, mainText, nextMailTo, startAccountApp, type AccountTestApp } from './support.js';

/*
 * Security review (issue 11, item 7): API tokens used to survive "sign out everywhere" and a
 * password reset. Both now offer to revoke them (off by default: tokens run scripts), and the
 * revocation is audited.
 */

describe('revoking API tokens with "sign out everywhere" and a password reset', () => {
  let t: AccountTestApp;
  before(async () => (t = await startAccountApp()));
  after(() => t.close());

  async function withTokens(email: string, count: number): Promise<{ user: TestUser; tokens: string[] }> {
    const user = await createTestUser(t.app.db, { email, displayName: email.split('@')[0] });
    const row = await t.app.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) tokens.push((await createApiToken(t.app.db, await actorFor(t.app.db, row), `script ${i}`)).token);
    return { user, tokens };
  }
  const createSessionFor = (userId: number) => createAuthSession(t.app.db, userId, 'test');
  const works = async (token: string) => (await fetch(`${t.app.url}/api/v1/manage/events`, { headers: { authorization: `Bearer ${token}` } })).status === 200;
  const audit = async (userId: number) =>
    (
      await t.app.db
        .selectFrom('audit_log')
        .select(['action', 'summary'])
        .where('entity_id', '=', String(userId))
        .where('action', '=', 'user.api_tokens_revoked')
        .execute()
    ).map((a) => a.summary);

  test('the settings page offers to revoke the tokens, saying how many; unticked they keep working, ticked they stop', async () => {
    const { user, tokens } = await withTokens('ines@example.org', 2);
    const c = WebClient.signedIn(t.app.url, user.sessionCookie);
    const page = mainText(await (await c.get('/account')).text());
    assert.match(page, /Also revoke my 2 API tokens Scripts using them stop working\./);

    assert.equal((await c.submit('/account', '/account/sign-out-everywhere', {})).status, 303);
    assert.deepEqual([await works(tokens[0]!), await works(tokens[1]!)], [true, true], 'not ticked: tokens keep working');
    assert.equal((await c.get('/account')).status, 303, 'signed out');

    const again = WebClient.signedIn(t.app.url, await createSessionFor(user.id));
    const res = await again.submit('/account', '/account/sign-out-everywhere', { revokeApiTokens: 'on' });
    assert.equal(res.status, 303);
    assert.match(mainText(await (await again.get('/sign-in')).text()), /You are signed out on every device\. Your 2 API tokens are revoked\./);
    assert.deepEqual([await works(tokens[0]!), await works(tokens[1]!)], [false, false]);
    assert.deepEqual(await audit(user.id), ['ines signed out everywhere and revoked 2 API tokens']);
    assert.doesNotMatch(
      mainText(await (await WebClient.signedIn(t.app.url, await createSessionFor(user.id)).get('/account')).text()),
      /Also revoke/,
      'no tokens left, no checkbox',
    );
  });

  test('a password reset with "someone else may have used my account" revokes every token and session; without it tokens stay', async () => {
    const { user, tokens } = await withTokens('jo@example.org', 1);
    const reset = async (someoneElse: boolean) => {
      const seen = t.smtp.messages.length;
      await t.client().submit('/forgot-password', '/forgot-password', { email: 'jo@example.org' });
      const link = linkIn(await nextMailTo(t.smtp, 'jo@example.org', seen), '/reset-password');
      const c = t.client();
      const form = await (await c.get(link)).text();
      assert.match(mainText(form), /Someone else may have used my account Also revokes all your API tokens/);
      const token = decodeURIComponent(link.split('token=')[1]!);
      const res = await c.submit(link, '/reset-password', { token, newPassword: 'a fresh new passphrase', ...(someoneElse ? { someoneElse: 'on' } : {}) });
      assert.equal(res.status, 303);
      return mainText(await (await c.get('/sign-in')).text());
    };
    assert.match(await reset(false), /^Your password was changed and you were signed out everywhere\. Sign in/);
    assert.equal(await works(tokens[0]!), true, 'a plain reset keeps the tokens');
    assert.equal((await WebClient.signedIn(t.app.url, user.sessionCookie).get('/account')).status, 303, 'sessions end either way');

    assert.match(await reset(true), /^Your password was changed and you were signed out everywhere\. Your API token was revoked\. Sign in/);
    assert.equal(await works(tokens[0]!), false);
    assert.deepEqual(await audit(user.id), ['jo reset the password because someone else may have used the account and revoked 1 API token']);
  });
});
