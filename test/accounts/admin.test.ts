import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { BASE_URL, errorOf, useTestDb } from './support.js';
import { createAdmin, firstStartAdminLink, redeemSetupToken } from '../../src/modules/accounts/admin.actions.js';
import { redeemSignInLink } from '../../src/modules/accounts/sign-in-link.actions.js';
import { findActorBySession } from '../../src/modules/accounts/auth-session.queries.js';
import { signUp } from '../../src/modules/accounts/account.actions.js';
import { listAudit } from '../../src/modules/accounts/audit.queries.js';
import { hashSecret } from '../../src/lib/secrets.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

for (const database of testDatabases) {
  describe(`first start and site administrators on ${database.name}`, () => {
    const env = useTestDb(database);

    test('an empty instance prints a /setup link; a new start voids the previous one', async () => {
      const first = await firstStartAdminLink(env.db, env.config);
      assert.match(first!, new RegExp(`^${BASE_URL}/setup\\?token=[A-Za-z0-9_-]{43}$`));
      const second = (await firstStartAdminLink(env.db, env.config))!;
      const input = { email: 'root@example.org', displayName: 'Root', password: 'the first passphrase' };
      assert.equal((await errorOf(() => redeemSetupToken(env.db, tokenOf(first!), input))).code, 'TOKEN_INVALID');
      const bad = await errorOf(() => redeemSetupToken(env.db, tokenOf(second), { ...input, password: 'short' }));
      assert.deepEqual(
        bad.problems.map((p) => p.path),
        ['password'],
      );

      const cookie = await redeemSetupToken(env.db, tokenOf(second), input, 'ua');
      const actor = (await findActorBySession(env.db, cookie))!;
      assert.deepEqual([actor.displayName, actor.isAdmin, actor.emailVerified], ['Root', true, true]);
      assert.equal(await firstStartAdminLink(env.db, env.config), null, 'no link once there are accounts');
      assert.equal((await errorOf(() => redeemSetupToken(env.db, tokenOf(second), input))).code, 'SETUP_DONE');
    });

    test('createAdmin creates a verified, password-less admin and returns a 24-hour one-time sign-in link', async () => {
      const r = await createAdmin(env.db, env.config, ' Ops@Example.org ');
      assert.deepEqual([r.email, r.created], ['ops@example.org', true]);
      assert.match(r.link, new RegExp(`^${BASE_URL}/sign-in/link\\?token=`));
      const row = await env.db
        .selectFrom('one_time_tokens')
        .selectAll()
        .where('token_hash', '=', hashSecret(tokenOf(r.link)))
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.purpose, Date.parse(row.expires_at) - Date.parse(row.created_at)], ['sign_in', 86_400_000]);
      const user = await env.db.selectFrom('users').selectAll().where('id', '=', r.userId).executeTakeFirstOrThrow();
      assert.deepEqual([user.display_name, user.is_admin, user.password_hash], ['ops', 1, null]);
      const cookie = await redeemSignInLink(env.db, tokenOf(r.link));
      assert.equal((await findActorBySession(env.db, cookie))!.isAdmin, true);
      assert.equal((await errorOf(() => redeemSignInLink(env.db, tokenOf(r.link)))).code, 'TOKEN_INVALID');
    });

    test('createAdmin promotes an existing account and records it in the audit log', async () => {
      await signUp(env.db, env.config, { email: 'member@example.org', password: 'member passphrase', displayName: 'Member' });
      const r = await createAdmin(env.db, env.config, 'member@example.org');
      assert.equal(r.created, false);
      const user = await env.db.selectFrom('users').selectAll().where('id', '=', r.userId).executeTakeFirstOrThrow();
      assert.deepEqual([user.is_admin, user.display_name], [1, 'Member']);
      const audit = await env.db.selectFrom('audit_log').selectAll().where('entity_id', '=', String(r.userId)).execute();
      assert.deepEqual(
        audit.map((a) => [a.action, a.actor_label, a.summary]),
        [['user.made_admin', 'system', 'Member was made a site administrator from the command line']],
      );
      assert.equal((await errorOf(() => createAdmin(env.db, env.config, 'nope'))).problems[0]!.path, 'email');
      assert.equal((await listAudit(env.db, { eventId: 1 })).length, 0);
    });
  });
}
