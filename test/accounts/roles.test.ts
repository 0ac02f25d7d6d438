import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { createTestUser } from '../factories/users.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { errorOf, tokenFromOutbox, useTestDb } from './support.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { findActorBySession } from '../../src/modules/accounts/auth-session.queries.js';
import { grantRole, listRoleGrants, revokeRole } from '../../src/modules/accounts/role.actions.js';
import { acceptInvitation, inviteToRole, listPendingInvitations, withdrawInvitation } from '../../src/modules/accounts/invitation.actions.js';
import { signIn, signUp } from '../../src/modules/accounts/account.actions.js';
import { listAudit } from '../../src/modules/accounts/audit.queries.js';
import { hashSecret } from '../../src/lib/secrets.js';
import type { Actor, RoleGrant } from '../../src/modules/accounts/actor.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`roles and invitations on ${database.name}`, () => {
    const env = useTestDb(database);
    let eventId: number;
    let communityId: number;
    let trackIds: number[];
    let owner: Actor;
    let organizer: Actor;
    let stranger: Actor;
    const person = async (email: string, grants: RoleGrant[] = []) => {
      const u = await createTestUser(env.db, { email, grants });
      return (await findActorBySession(env.db, u.sessionCookie))!;
    };

    before(async () => {
      eventId = (await importEventDocument(moduleContext(env.db), TEST_OPERATOR, buildEventDoc())).eventId;
      communityId = (await env.db.selectFrom('events').select('community_id').where('id', '=', eventId).executeTakeFirstOrThrow()).community_id;
      trackIds = (await env.db.selectFrom('tracks').select('id').where('event_id', '=', eventId).orderBy('position').execute()).map((t) => t.id);
      owner = await person('owner@example.org', [{ scope: 'community', scopeId: communityId, role: 'owner', trackIds: [] }]);
      organizer = await person('orga@example.org', [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }]);
      stranger = await person('stranger@example.org');
    });

    test('someone who does not organise the event may not grant roles in it (FORBIDDEN)', async () => {
      const e = await errorOf(() => grantRole(env.db, stranger, { userId: stranger.userId, scope: 'event', scopeId: eventId, role: 'organizer' }));
      assert.deepEqual([e.code, e.message], ['FORBIDDEN', 'You may not change the organizer role here.']);
      assert.equal(
        (await errorOf(() => grantRole(env.db, organizer, { userId: stranger.userId, scope: 'community', scopeId: communityId, role: 'reviewer' }))).code,
        'FORBIDDEN',
        'an event organizer is not a community organizer',
      );
      assert.equal(
        (await errorOf(() => grantRole(env.db, organizer, { userId: stranger.userId, scope: 'event', scopeId: eventId, role: 'owner' }))).code,
        'FORBIDDEN',
        'only owners make owners',
      );
      assert.equal(
        (await errorOf(() => grantRole(env.db, organizer, { userId: stranger.userId, scope: 'event', scopeId: 99_999, role: 'reviewer' }))).code,
        'NOT_FOUND',
      );
      assert.deepEqual(
        (await listAudit(env.db, { eventId })).map((a) => a.action),
        ['schedule.released', 'event.imported'],
        'only the fixture import (which releases its programme), no role change',
      );
    });

    test('an organizer appoints a track manager for named tracks of the event, audited', async () => {
      const tm = await person('tm@example.org');
      const missing = await errorOf(() => grantRole(env.db, organizer, { userId: tm.userId, scope: 'event', scopeId: eventId, role: 'track_manager' }));
      assert.deepEqual(missing.problems, [{ path: 'trackIds', message: 'name at least one track' }]);
      const foreign = await errorOf(() =>
        grantRole(env.db, organizer, { userId: tm.userId, scope: 'event', scopeId: eventId, role: 'track_manager', trackIds: [99_999] }),
      );
      assert.deepEqual(foreign.problems, [{ path: 'trackIds', message: 'a track is not part of this event' }]);
      const grant = await grantRole(env.db, organizer, {
        userId: tm.userId,
        scope: 'event',
        scopeId: eventId,
        role: 'track_manager',
        trackIds: [trackIds[1]!],
      });
      assert.deepEqual(grant, { scope: 'event', scopeId: eventId, role: 'track_manager', trackIds: [trackIds[1]!] });
      const actor = (await signIn(env.db, 'tm@example.org', 'correct horse battery staple')).actor;
      assert.deepEqual(actor.grants, [grant]);
      const [entry] = await listAudit(env.db, { eventId });
      assert.deepEqual(
        [entry!.action, entry!.actor_label, entry!.actor_user_id, entry!.community_id, entry!.summary],
        ['role.granted', 'orga', organizer.userId, communityId, 'tm is now Track manager of TestConf 2027 (tracks: Security)'],
      );
      const team = await listRoleGrants(env.db, organizer, { scope: 'event', scopeId: eventId });
      assert.deepEqual(
        team.map((m) => [m.displayName, m.role, m.trackIds]),
        [
          ['orga', 'organizer', []],
          ['tm', 'track_manager', [trackIds[1]]],
        ],
      );
      assert.equal((await errorOf(() => listRoleGrants(env.db, stranger, { scope: 'event', scopeId: eventId }))).code, 'FORBIDDEN');

      await revokeRole(env.db, organizer, { userId: tm.userId, scope: 'event', scopeId: eventId, role: 'track_manager' });
      assert.equal((await listAudit(env.db, { eventId }))[0]!.action, 'role.revoked');
      assert.equal(
        (await errorOf(() => revokeRole(env.db, organizer, { userId: tm.userId, scope: 'event', scopeId: eventId, role: 'track_manager' }))).code,
        'NOT_FOUND',
      );
    });

    test('the last owner of a community cannot be removed; an unverified organizer cannot grant', async () => {
      const e = await errorOf(() => revokeRole(env.db, owner, { userId: owner.userId, scope: 'community', scopeId: communityId, role: 'owner' }));
      assert.equal(e.code, 'LAST_OWNER');
      const eventOwner = await person('event-owner@example.org');
      await grantRole(env.db, owner, { userId: eventOwner.userId, scope: 'event', scopeId: eventId, role: 'owner' });
      await revokeRole(env.db, owner, { userId: eventOwner.userId, scope: 'event', scopeId: eventId, role: 'owner' });
      assert.equal(
        (await listAudit(env.db, { eventId }))[0]!.summary,
        'event-owner is no longer Owner of TestConf 2027',
        'the community owner still owns the event',
      );
      const unverified: Actor = { ...organizer, emailVerified: false };
      assert.equal(
        (await errorOf(() => grantRole(env.db, unverified, { userId: stranger.userId, scope: 'event', scopeId: eventId, role: 'reviewer' }))).code,
        'EMAIL_NOT_VERIFIED',
      );
    });

    test('an invitation mails a link that the invited, verified address accepts once', async () => {
      const inv = await inviteToRole(env.db, env.config, owner, { email: 'Invitee@Example.org', scope: 'event', scopeId: eventId, role: 'reviewer' });
      assert.equal(inv.email, 'invitee@example.org');
      const token = await tokenFromOutbox(env.db, 'invitee@example.org', '/invitations/accept');
      assert.equal(inv.link.endsWith(encodeURIComponent(token)), true);
      const row = await env.db.selectFrom('invitations').selectAll().where('id', '=', inv.id).executeTakeFirstOrThrow();
      assert.equal(row.token_hash, hashSecret(token));
      assert.equal(Date.parse(row.expires_at) - Date.parse(row.created_at), 7 * 86_400_000);
      assert.deepEqual(
        (await listPendingInvitations(env.db, owner, { scope: 'event', scopeId: eventId })).map((i) => i.email),
        ['invitee@example.org'],
      );

      const mismatch = await errorOf(() => acceptInvitation(env.db, stranger, token));
      assert.equal(mismatch.code, 'INVITATION_EMAIL_MISMATCH');
      await signUp(env.db, env.config, { email: 'invitee@example.org', password: 'invitee passphrase', displayName: 'Invitee' });
      const unverified = (await signIn(env.db, 'invitee@example.org', 'invitee passphrase')).actor;
      assert.equal((await errorOf(() => acceptInvitation(env.db, unverified, token))).code, 'EMAIL_NOT_VERIFIED');
      await env.db.updateTable('users').set({ email_verified_at: '2026-01-01T00:00:00Z' }).where('id', '=', unverified.userId).execute();

      const accepted = await acceptInvitation(env.db, unverified, token);
      assert.deepEqual(accepted, { grant: { scope: 'event', scopeId: eventId, role: 'reviewer', trackIds: [] }, scopeName: 'TestConf 2027' });
      const invitee = (await signIn(env.db, 'invitee@example.org', 'invitee passphrase')).actor;
      assert.deepEqual(invitee.grants, [accepted.grant]);
      assert.equal((await errorOf(() => acceptInvitation(env.db, invitee, token))).code, 'TOKEN_INVALID');
      assert.deepEqual(
        (await listAudit(env.db, { eventId }, 2)).map((a) => a.action),
        ['role.invitation_accepted', 'role.invited'],
      );
    });

    test('expired and withdrawn invitations cannot be accepted; strangers cannot invite', async () => {
      const invitee = await person('later@example.org');
      const inv = await inviteToRole(env.db, env.config, organizer, { email: 'later@example.org', scope: 'event', scopeId: eventId, role: 'speaker' });
      const token = new URL(inv.link).searchParams.get('token')!;
      await env.db.updateTable('invitations').set({ expires_at: '2000-01-01T00:00:00Z' }).where('id', '=', inv.id).execute();
      assert.equal((await errorOf(() => acceptInvitation(env.db, invitee, token))).code, 'TOKEN_EXPIRED');

      const second = await inviteToRole(env.db, env.config, organizer, { email: 'later@example.org', scope: 'event', scopeId: eventId, role: 'speaker' });
      await withdrawInvitation(env.db, organizer, second.id);
      assert.equal((await errorOf(() => acceptInvitation(env.db, invitee, new URL(second.link).searchParams.get('token')!))).code, 'TOKEN_INVALID');
      assert.equal(
        (await errorOf(() => inviteToRole(env.db, env.config, stranger, { email: 'x@example.org', scope: 'event', scopeId: eventId, role: 'reviewer' }))).code,
        'FORBIDDEN',
      );
    });
  });
}
