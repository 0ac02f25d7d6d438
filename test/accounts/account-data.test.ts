import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { createTestUser, TEST_PASSWORD } from '../factories/users.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { errorOf, useTestDb } from './support.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { findEventHead, loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { findActorBySession } from '../../src/modules/accounts/auth-session.queries.js';
import { createApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { grantRole } from '../../src/modules/accounts/role.actions.js';
import { exportUserData, FORMER_SPEAKER_NAME } from '../../src/modules/accounts/account-data.actions.js';
import { deletePersonalData } from '../../src/modules/privacy/personal-data.actions.js';
import { fixedClock } from '../../src/lib/clock.js';
import { signIn } from '../../src/modules/accounts/account.actions.js';
import { requestPasswordReset } from '../../src/modules/accounts/sign-in-link.actions.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import type { Db } from '../../src/db/database.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** Everything the public programme shows about sessions: unchanged by an account deletion. */
const sessionsOf = (db: Db) =>
  db
    .selectFrom('sessions')
    .leftJoin('session_speakers', 'session_speakers.session_id', 'sessions.id')
    .select(['sessions.code', 'sessions.title', 'sessions.starts_at', 'sessions.room_id', 'sessions.sequence', 'session_speakers.speaker_id'])
    .orderBy('sessions.code')
    .orderBy('session_speakers.speaker_id')
    .execute();

for (const database of testDatabases) {
  describe(`exporting and deleting one's account on ${database.name}`, () => {
    const env = useTestDb(database);
    let eventId: number;
    let grace: Actor;
    let organizer: Actor;
    const person = async (email: string, displayName: string, grants: Parameters<typeof createTestUser>[1]['grants'] = []) =>
      (await findActorBySession(env.db, (await createTestUser(env.db, { email, displayName, grants })).sessionCookie))!;

    before(async () => {
      eventId = (await importEventDocument(moduleContext(env.db), TEST_OPERATOR, buildEventDoc())).eventId;
      grace = await person('grace@example.org', 'Grace Sample');
      organizer = await person('orga@example.org', 'Orga', [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }]);
      await env.db.updateTable('speakers').set({ user_id: grace.userId }).where('code', 'in', ['grace', 'linus']).execute();
      await grantRole(env.db, organizer, { userId: grace.userId, scope: 'event', scopeId: eventId, role: 'reviewer' });
      grace = (await signIn(env.db, 'grace@example.org', TEST_PASSWORD)).actor;
    });

    test('the export holds the account, roles, tokens without secrets, speaker profiles and audit entries', async () => {
      const token = await createApiToken(env.db, grace, 'laptop');
      const data = await exportUserData(env.db, organizer);
      assert.deepEqual(
        data.auditEntries.map((a) => [a.action, a.summary]),
        [['role.granted', 'Grace Sample is now Reviewer of TestConf 2027']],
      );
      const mine = await exportUserData(env.db, grace);
      assert.equal(mine.format, 'hallway-user-data/1');
      assert.deepEqual([mine.account.email, mine.account.displayName, mine.account.isAdmin], ['grace@example.org', 'Grace Sample', false]);
      assert.deepEqual(
        mine.roles.map((r) => [r.scope, r.scopeId, r.role]),
        [['event', eventId, 'reviewer']],
      );
      assert.deepEqual(
        mine.apiTokens.map((t) => [t.name, t.prefix]),
        [['laptop', token.prefix]],
      );
      assert.deepEqual(
        mine.speakerProfiles.map((s) => [s.event, s.code, s.name, s.jobTitle]),
        [
          ['testconf-2027', 'grace', 'Grace Sample', 'CTO'],
          ['testconf-2027', 'linus', 'Linus Case', 'Maintainer'],
        ],
      );
      assert.ok(!JSON.stringify(mine).includes(token.token.slice(3)), 'no secret in the export');
      assert.ok(!JSON.stringify(mine).includes('scrypt'), 'no password hash in the export');
    });

    test('deleting without speaker credit leaves "Former speaker", keeps every talk, and bumps the event version', async () => {
      await requestPasswordReset(env.db, env.config, 'grace@example.org');
      const before = await sessionsOf(env.db);
      const version = (await findEventHead(env.db, 'testconf-2027'))!.version;
      const result = await deletePersonalData(env.db, env.config, grace, { keepSpeakerCredit: false, clock: fixedClock('2027-01-10T10:00:00Z') });
      assert.deepEqual(result, { seatsReleased: 0, speakerProfiles: 2, eventIds: [eventId] });

      assert.deepEqual(await sessionsOf(env.db), before, 'sessions and their speakers unchanged');
      assert.equal((await findEventHead(env.db, 'testconf-2027'))!.version, version + 1);
      const speakers = await env.db.selectFrom('speakers').selectAll().where('code', 'in', ['grace', 'linus']).orderBy('code').execute();
      for (const s of speakers) {
        assert.deepEqual([s.name, s.bio, s.job_title, s.company, s.handles, s.avatar_url, s.user_id], [FORMER_SPEAKER_NAME, '', '', '', '{}', null, null]);
      }
      const snapshot = (await loadProgramSnapshot(env.db, eventId))!;
      const day2 = snapshot.sessionByCode.get('day2')!;
      assert.deepEqual(
        day2.speakerIds.map((id) => snapshot.speakerById.get(id)!.name),
        ['Ada Example', FORMER_SPEAKER_NAME],
      );

      const left = async (table: 'users' | 'auth_sessions' | 'api_tokens' | 'role_grants' | 'one_time_tokens') =>
        (
          await env.db
            .selectFrom(table)
            .selectAll()
            .where(table === 'users' ? 'id' : 'user_id', '=', grace.userId)
            .execute()
        ).length;
      assert.deepEqual(
        [await left('users'), await left('auth_sessions'), await left('api_tokens'), await left('role_grants'), await left('one_time_tokens')],
        [0, 0, 0, 0, 0],
      );
      assert.equal((await env.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'grace@example.org').execute()).length, 0);
      const audit = await env.db.selectFrom('audit_log').selectAll().where('action', '=', 'role.granted').execute();
      assert.deepEqual(
        audit.map((a) => [a.actor_label, a.actor_user_id]),
        [['Orga', organizer.userId]],
        'entries about her stay, by their author',
      );
      assert.equal((await errorOf(() => exportUserData(env.db, grace))).code, 'NOT_FOUND');
      const [note] = await env.db.selectFrom('audit_log').selectAll().where('event_id', '=', eventId).orderBy('id', 'desc').limit(1).execute();
      assert.deepEqual(
        [note!.action, note!.actor_label, note!.summary],
        ['speaker.anonymised', 'system', 'A speaker deleted their account; 2 profiles now show "Former speaker"'],
      );
    });

    test('deleting with speaker credit keeps the public profile, unlinked, and audit rows lose only the link', async () => {
      const ada = await person('ada@example.org', 'Ada');
      await env.db.updateTable('speakers').set({ user_id: ada.userId }).where('code', '=', 'ada').execute();
      await env.db.updateTable('audit_log').set({ actor_user_id: ada.userId, actor_label: 'Ada' }).where('action', '=', 'role.granted').execute();
      const version = (await findEventHead(env.db, 'testconf-2027'))!.version;
      await deletePersonalData(env.db, env.config, ada, { keepSpeakerCredit: true, clock: fixedClock('2027-01-10T10:00:00Z') });
      const s = await env.db.selectFrom('speakers').selectAll().where('code', '=', 'ada').executeTakeFirstOrThrow();
      assert.deepEqual([s.name, s.job_title, s.bio, s.user_id], ['Ada Example', 'Staff Engineer', 'Ada writes engines.', null]);
      assert.equal((await findEventHead(env.db, 'testconf-2027'))!.version, version + 1);
      const audit = await env.db.selectFrom('audit_log').selectAll().where('action', '=', 'role.granted').executeTakeFirstOrThrow();
      assert.deepEqual([audit.actor_label, audit.actor_user_id], ['Ada', null]);
    });
  });
}
