import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../../src/db/database.js';
import { redeemSignInLink } from '../../src/modules/accounts/sign-in-link.actions.js';
import { findActorBySession } from '../../src/modules/accounts/auth-session.queries.js';
import { hallwayCli as hallway } from '../support/processes.js';

describe('hallway admin create on SQLite', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hallway-cli-admin-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'h.sqlite')}`, BASE_URL: 'https://hallway.example.org' };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('prints a one-time sign-in link that signs the new administrator in', async () => {
    const r = await hallway(['admin', 'create', 'Root@Example.org'], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Created administrator root@example.org. Sign in once with this link (valid 24 hours):');
    assert.match(lines[1]!, /^https:\/\/hallway\.example\.org\/sign-in\/link\?token=[A-Za-z0-9_-]{43}$/);
    const db = createDb({ kind: 'sqlite', filename: join(dir, 'h.sqlite') });
    try {
      const cookie = await redeemSignInLink(db, new URL(lines[1]!).searchParams.get('token')!);
      const actor = await findActorBySession(db, cookie);
      assert.deepEqual([actor?.displayName, actor?.isAdmin], ['root', true]);
    } finally {
      await db.destroy();
    }
    const again = await hallway(['admin', 'create', 'root@example.org'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^Administrator root@example\.org\. Sign in once/);
  });

  test('an invalid e-mail exits 2 and names the field', async () => {
    const r = await hallway(['admin', 'create', 'not-an-address'], env);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'hallway: Please correct the field: email.\n  email: must be an e-mail address\n');
  });

  test('a missing e-mail or sub-command is a usage error (exit 2)', async () => {
    const missing = await hallway(['admin', 'create'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^hallway: admin create needs exactly one e-mail address\n/);
    const unknown = await hallway(['admin', 'delete', 'x@example.org'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /admin create <email>/, 'usage lists the command');
  });

  test('allow-communities lets an existing account start communities (audited); disallow-communities takes it back', async () => {
    await hallway(['admin', 'create', 'mia@example.org'], env);
    const db = createDb({ kind: 'sqlite', filename: join(dir, 'h.sqlite') });
    try {
      await db.updateTable('users').set({ is_admin: 0 }).where('email', '=', 'mia@example.org').execute();
      const flag = async () =>
        (await db.selectFrom('users').select('may_create_communities').where('email', '=', 'mia@example.org').executeTakeFirstOrThrow()).may_create_communities;
      const allow = await hallway(['admin', 'allow-communities', 'Mia@Example.org'], env);
      assert.deepEqual([allow.code, allow.stdout, await flag()], [0, 'mia@example.org now may start communities.\n', 1], allow.stderr);
      const again = await hallway(['admin', 'allow-communities', 'mia@example.org'], env);
      assert.equal(again.stdout, 'mia@example.org: no change, it may start communities.\n');
      const stop = await hallway(['admin', 'disallow-communities', 'mia@example.org'], env);
      assert.deepEqual([stop.code, stop.stdout, await flag()], [0, 'mia@example.org now may no longer start communities.\n', 0]);
      const audit = await db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', 'like', 'user.%communities').orderBy('id').execute();
      assert.deepEqual(audit, [
        { action: 'user.allowed_communities', actor_label: 'system' },
        { action: 'user.disallowed_communities', actor_label: 'system' },
      ]);
      const nobody = await hallway(['admin', 'allow-communities', 'nobody@example.org'], env);
      assert.equal(nobody.code, 2, 'an address without an account is refused');
      assert.match(nobody.stderr, /No such account with the address nobody@example\.org \(they sign up first\)/);
    } finally {
      await db.destroy();
    }
  });
});
