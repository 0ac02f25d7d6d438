import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { assertShows } from '../backoffice/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';

/*
 * Security review (issue 11, item 2): an account whose address was never confirmed organizes
 * nothing and creates no API token, and who may start a community is the operator's
 * COMMUNITY_CREATORS: by default only the people a site administrator allows.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';

for (const database of testDatabases) {
  describe(`organizing needs a confirmed address and, by default, an administrator's leave on ${database.name}`, () => {
    let app: RunningApp;
    let eventId: number;
    let communityId: number;
    let n = 0;
    before(async () => {
      app = await startTestApp({ database, docs: [buildEventDoc({ slug: 'owned-2027' })] });
      const event = await app.db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', 'owned-2027').executeTakeFirstOrThrow();
      [eventId, communityId] = [event.id, event.community_id];
      await app.db.updateTable('events').set({ published: 0 }).where('id', '=', eventId).execute();
    });
    after(() => app?.close());

    const person = (options: Partial<Parameters<typeof createTestUser>[1]> = {}) =>
      createTestUser(app.db, { email: `p${++n}@example.org`, displayName: `Person ${n}`, ...options });
    const web = (u: TestUser) => WebClient.signedIn(app.url, u.sessionCookie);
    /** A token made while the address was confirmed (as before this rule), then the address unconfirmed. */
    async function tokenOf(u: TestUser, confirmed: boolean): Promise<string> {
      const row = await app.db.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
      const { token } = await createApiToken(app.db, await actorFor(app.db, row), 'script');
      if (!confirmed) await app.db.updateTable('users').set({ email_verified_at: null }).where('id', '=', u.id).execute();
      return token;
    }
    const api = (token: string, method: string, path: string, json?: unknown) =>
      fetch(`${app.url}${M}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
        body: json ? JSON.stringify(json) : undefined,
      });
    const communities = async () => (await app.db.selectFrom('communities').select('slug').orderBy('slug').execute()).map((r) => r.slug);

    test('an unconfirmed owner cannot use the back office or the organizer API; the page and the JSON say to confirm', async () => {
      const owner = await person({ grants: [{ scope: 'community', scopeId: communityId, role: 'owner', trackIds: [] }] });
      const token = await tokenOf(owner, false);
      const c = web(owner);
      const home = await c.get('/manage');
      assert.equal(home.status, 403);
      assertShows(await home.text(), 'Confirm your e-mail address first: open the link we mailed you, or ask for a new one on your account page (/account).');
      assert.equal((await c.get(`/manage/events/${eventId}`)).status, 403);

      const publish = await api(token, 'POST', `/events/${eventId}/publish`);
      assert.equal(publish.status, 403);
      const body = (await publish.json()) as { error: { code: string; status: number; message: string; problems: unknown[] } };
      assert.deepEqual([body.error.code, body.error.status, body.error.problems], ['EMAIL_NOT_VERIFIED', 403, []]);
      assert.match(body.error.message, /^Confirm your e-mail address first/);
      const made = await api(token, 'POST', '/communities', { slug: 'sneaky', name: 'Sneaky' });
      assert.equal(made.status, 403);
      assert.deepEqual(await communities(), ['test-community']);
      const published = await app.db.selectFrom('events').select('published').where('id', '=', eventId).executeTakeFirstOrThrow();
      assert.equal(published.published, 0, 'the event stayed a draft');
    });

    test('an unconfirmed account creates no API token: the page says to confirm and offers a new link', async () => {
      const u = await person({ verified: false });
      const c = web(u);
      const page = await (await c.get('/account/tokens')).text();
      assertShows(page, 'Confirm your e-mail address to create tokens');
      assert.ok(!page.includes('action="/account/tokens"'), 'no creation form');
      const posted = await c.submit('/account/tokens', '/account/tokens', { name: 'Sneaky' });
      assert.equal(posted.status, 403);
      assertShows(await posted.text(), 'Confirm your e-mail address first');
      assert.deepEqual(await app.db.selectFrom('api_tokens').select('id').where('user_id', '=', u.id).execute(), []);
    });

    test('by default a confirmed person needs an administrator to allow them; allowed on /admin, they start one; disallowed, no more', async () => {
      const u = await person();
      const c = web(u);
      const home = await (await c.get('/manage')).text();
      assert.ok(!home.includes('href="/manage/communities/new"'), 'no "New community" button');
      assertShows(home, 'a site administrator allows who may start a community: ask one');
      const form = await c.get('/manage/communities/new');
      assert.equal(form.status, 403);
      assertShows(await form.text(), 'On this site only people a site administrator allows may start a community. Ask an administrator to allow you');
      const token = await tokenOf(u, true);
      const refused = await api(token, 'POST', '/communities', { slug: 'mine', name: 'Mine' });
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'COMMUNITY_CREATION_NOT_ALLOWED');
      assert.deepEqual(await communities(), ['test-community']);

      const admin = web(await person({ isAdmin: true }));
      const bad = await admin.submit('/admin', '/admin/community-creators', { email: 'not an address', allowed: 'true' });
      assert.equal(bad.status, 422);
      assertShows(await bad.text(), 'must be an e-mail address');
      const allowed = await admin.submit('/admin', '/admin/community-creators', { email: `p${n - 1}@example.org`, allowed: 'true' });
      assert.equal(allowed.status, 303);
      assertShows(await (await admin.get('/admin')).text(), `Person ${n - 1} (p${n - 1}@example.org) Stop allowing`);

      const start = await c.submit('/manage/communities/new', '/manage/communities/new', { name: 'Mine', slug: 'mine' });
      assert.equal(start.status, 303);
      assert.deepEqual(await communities(), ['mine', 'test-community']);

      assert.equal((await admin.submit('/admin', '/admin/community-creators', { email: `p${n - 1}@example.org`, allowed: 'false' })).status, 303);
      assert.equal((await api(token, 'POST', '/communities', { slug: 'mine-too', name: 'Mine too' })).status, 403);
      const audit = await app.db
        .selectFrom('audit_log')
        .select(['action', 'summary'])
        .where('entity_type', '=', 'user')
        .where('entity_id', '=', String(u.id))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['user.allowed_communities', 'user.disallowed_communities'],
      );
    });

    test('the admin page is for administrators only', async () => {
      const u = await person();
      const res = await web(u).submit('/account', '/admin/community-creators', { email: `p${n}@example.org`, allowed: 'true' });
      assert.equal(res.status, 403);
      const row = await app.db.selectFrom('users').select('may_create_communities').where('id', '=', u.id).executeTakeFirstOrThrow();
      assert.equal(row.may_create_communities, 0);
    });
  });
}

describe('COMMUNITY_CREATORS=confirmed', () => {
  let app: RunningApp;
  before(async () => (app = await startTestApp({ env: { COMMUNITY_CREATORS: 'confirmed' } })));
  after(() => app?.close());

  test('anyone with a confirmed address starts a community; an unconfirmed one still may not', async () => {
    const confirmed = await createTestUser(app.db, { email: 'c@example.org' });
    const unconfirmed = await createTestUser(app.db, { email: 'u@example.org', verified: false });
    const ok = await WebClient.signedIn(app.url, confirmed.sessionCookie).submit('/manage/communities/new', '/manage/communities/new', {
      name: 'Open',
      slug: 'open',
    });
    assert.equal(ok.status, 303);
    const refused = await WebClient.signedIn(app.url, unconfirmed.sessionCookie).get('/manage/communities/new');
    assert.equal(refused.status, 403);
    assertShows(await refused.text(), 'Confirm your e-mail address first');
    assert.deepEqual(
      (await app.db.selectFrom('communities').select('slug').execute()).map((r) => r.slug),
      ['open'],
    );
  });
});
