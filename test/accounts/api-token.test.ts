import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { createTestUser } from '../factories/users.js';
import { errorOf, useTestDb } from './support.js';
import { createApiToken, findActorByApiToken, listApiTokens, revokeApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { writeApiTokenUses } from '../../src/modules/accounts/api-token-use.js';
import { findActorBySession } from '../../src/modules/accounts/auth-session.queries.js';
import type { Actor } from '../../src/modules/accounts/actor.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`personal access tokens on ${database.name}`, () => {
    const env = useTestDb(database);
    const actorOf = async (email: string, grants = [] as Parameters<typeof createTestUser>[1]['grants']): Promise<Actor> =>
      (await findActorBySession(env.db, (await createTestUser(env.db, { email, grants })).sessionCookie))!;

    test('create → found → revoke → not found; the secret is shown once and never stored', async () => {
      const ada = await actorOf('ada@example.org', [{ scope: 'event', scopeId: 7, role: 'reviewer', trackIds: [] }]);
      const created = await createApiToken(env.db, ada, ' CI script ');
      assert.match(created.token, /^hw_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.prefix, created.token.slice(0, 10));
      assert.equal(created.name, 'CI script');

      const rows = await env.db.selectFrom('api_tokens').selectAll().execute();
      assert.equal(rows.length, 1);
      for (const value of Object.values(rows[0]!)) {
        assert.notEqual(value, created.token);
        assert.ok(!String(value).includes(created.token.slice(10)), 'no column holds the secret');
      }

      assert.deepEqual(await findActorByApiToken(env.db, created.token), ada);
      assert.deepEqual(await findActorByApiToken(env.db, `Bearer ${created.token}`), ada);
      assert.equal(await findActorByApiToken(env.db, `${created.token}x`), null);
      assert.equal(await findActorByApiToken(env.db, 'hw_'), null);
      assert.equal(await findActorByApiToken(env.db, ''), null);

      const listed = await listApiTokens(env.db, ada);
      assert.equal(listed.length, 1);
      assert.deepEqual(Object.keys(listed[0]!).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
      assert.notEqual(listed[0]!.lastUsedAt, null, 'use is recorded');

      await revokeApiToken(env.db, ada, created.id);
      assert.equal(await findActorByApiToken(env.db, created.token), null);
      assert.notEqual((await listApiTokens(env.db, ada))[0]!.revokedAt, null);
      await revokeApiToken(env.db, ada, created.id);
    });

    test("someone else's token cannot be revoked or even seen (NOT_FOUND)", async () => {
      const ada = await actorOf('ada2@example.org');
      const eve = await actorOf('eve@example.org');
      const t = await createApiToken(env.db, ada, 'mine');
      assert.deepEqual(await listApiTokens(env.db, eve), []);
      const e = await errorOf(() => revokeApiToken(env.db, eve, t.id));
      assert.equal(e.code, 'NOT_FOUND');
      assert.equal((await errorOf(() => revokeApiToken(env.db, eve, 999_999))).message, e.message, 'same answer as a missing id');
      assert.equal((await findActorByApiToken(env.db, t.token))?.userId, ada.userId);
      assert.equal((await errorOf(() => createApiToken(env.db, ada, ''))).problems[0]!.path, 'name');
    });

    test('last_used_at is written at most once a minute, off the request, and listed before it is written', async () => {
      const ada = await actorOf('ada3@example.org');
      const t = await createApiToken(env.db, ada, 'busy');
      const lastUsed = async () => (await env.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', t.id).executeTakeFirstOrThrow()).last_used_at;
      await findActorByApiToken(env.db, t.token);
      assert.equal(await lastUsed(), null, 'the request itself writes nothing');
      const listed = (await listApiTokens(env.db, ada))[0]!.lastUsedAt;
      assert.ok(listed, 'the token list shows the use not yet written');
      await writeApiTokenUses(env.db);
      assert.equal(await lastUsed(), listed, 'written as listed');

      await env.db.updateTable('api_tokens').set({ last_used_at: '2000-01-01T00:00:00Z' }).where('id', '=', t.id).execute();
      await findActorByApiToken(env.db, t.token);
      await writeApiTokenUses(env.db);
      assert.notEqual(await lastUsed(), '2000-01-01T00:00:00Z', 'an old stamp is refreshed');

      const stamp = new Date(Date.now() - 10_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      await env.db.updateTable('api_tokens').set({ last_used_at: stamp }).where('id', '=', t.id).execute();
      await findActorByApiToken(env.db, t.token);
      await writeApiTokenUses(env.db);
      assert.equal(await lastUsed(), stamp, 'a fresh stamp is left alone');
    });

    test('a busy moment: the uses of 230 tokens are all written, each with its own instant', async () => {
      const ada = await actorOf('ada4@example.org');
      const tokens = [];
      for (let i = 0; i < 230; i++) tokens.push(await createApiToken(env.db, ada, `client ${i}`));
      const untouched = await createApiToken(env.db, ada, 'not used');
      for (const t of tokens) await findActorByApiToken(env.db, t.token);
      const listed = new Map((await listApiTokens(env.db, ada)).map((t) => [t.id, t.lastUsedAt]));
      await writeApiTokenUses(env.db);
      const rows = await env.db.selectFrom('api_tokens').select(['id', 'last_used_at']).where('user_id', '=', ada.userId).execute();
      const stored = new Map(rows.map((r) => [r.id, r.last_used_at]));
      for (const t of tokens) assert.equal(stored.get(t.id), listed.get(t.id), `token ${t.id} written as listed`);
      assert.ok(tokens.every((t) => stored.get(t.id) !== null));
      assert.equal(stored.get(untouched.id), null, 'an unused token stays unused');
    });
  });
}
