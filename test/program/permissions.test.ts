import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { updateCommunity } from '../../src/modules/events/community.actions.js';
import { createEvent, updateEvent } from '../../src/modules/events/event.actions.js';
import { publishEvent } from '../../src/modules/schedule/publication.actions.js';
import type { EventRecord } from '../../src/modules/events/records.js';
import { createRoom, deleteRoom } from '../../src/modules/program/room.actions.js';
import { createSession, updateSession } from '../../src/modules/program/session.actions.js';
import { cancelSession, deleteSession } from '../../src/modules/program/session-state.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { getEventForEditing, listEventsForActor, listSessionsForEditing } from '../../src/modules/program/backoffice.queries.js';
import type { SessionRecord, TrackRecord } from '../../src/modules/program/records.js';
import { createSpeaker, updateSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { footprint, newActor, organizerWithEvent, rejectsWith, useDatabase } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`back-office permissions on ${database.name}`, () => {
    const ctx = useDatabase(database);
    let a: { actor: Actor; event: EventRecord };
    let b: { actor: Actor; event: EventRecord };
    let bSession: SessionRecord;
    let platform: TrackRecord;
    let security: TrackRecord;
    let platformTalk: SessionRecord;
    let securityTalk: SessionRecord;
    let manager: Actor;

    before(async () => {
      a = await organizerWithEvent(ctx.db, 'event-a');
      b = await organizerWithEvent(ctx.db, 'event-b');
      bSession = await createSession(moduleContext(ctx.db), b.actor, b.event.id, {
        kind: 'talk',
        title: 'B Talk',
        start: '2027-04-15T10:00',
        durationMinutes: 30,
      });
      platform = await createTrack(moduleContext(ctx.db), a.actor, a.event.id, { name: 'Platform' });
      security = await createTrack(moduleContext(ctx.db), a.actor, a.event.id, { name: 'Security' });
      platformTalk = await createSession(moduleContext(ctx.db), a.actor, a.event.id, {
        kind: 'talk',
        title: 'Platform Talk',
        trackId: platform.id,
        start: '2027-04-15T10:00',
        durationMinutes: 30,
      });
      securityTalk = await createSession(moduleContext(ctx.db), a.actor, a.event.id, {
        kind: 'talk',
        title: 'Security Talk',
        trackId: security.id,
        start: '2027-04-15T11:00',
        durationMinutes: 30,
      });
      manager = await newActor(ctx.db, 'Tia Trackmanager', [{ scope: 'event', scopeId: a.event.id, role: 'track_manager', trackIds: [platform.id] }]);
    });

    test('an organizer of event A cannot touch event B, and nothing is written', async () => {
      const before = await footprint(ctx.db, b.event.id);
      await rejectsWith(updateEvent(moduleContext(ctx.db), a.actor, b.event.id, { title: 'Hijacked' }), 'FORBIDDEN');
      await rejectsWith(publishEvent(moduleContext(ctx.db), a.actor, b.event.id), 'FORBIDDEN');
      await rejectsWith(createRoom(moduleContext(ctx.db), a.actor, b.event.id, { name: 'Intruder' }), 'FORBIDDEN');
      await rejectsWith(
        createSession(moduleContext(ctx.db), a.actor, b.event.id, { kind: 'talk', title: 'X', start: '2027-04-15T12:00', durationMinutes: 30 }),
        'FORBIDDEN',
      );
      await rejectsWith(updateSession(moduleContext(ctx.db), a.actor, b.event.id, bSession.id, { title: 'Hijacked' }), 'FORBIDDEN');
      await rejectsWith(cancelSession(moduleContext(ctx.db), a.actor, b.event.id, bSession.id), 'FORBIDDEN');
      await rejectsWith(createSpeaker(moduleContext(ctx.db), a.actor, b.event.id, { name: 'Spy' }), 'FORBIDDEN');
      await rejectsWith(getEventForEditing(ctx.db, a.actor, b.event.id), 'FORBIDDEN');
      await rejectsWith(
        createEvent(moduleContext(ctx.db), a.actor, {
          communityId: b.event.communityId,
          slug: 'sneaky',
          kind: 'meetup',
          title: 'S',
          timeZone: 'UTC',
          startDate: '2027-01-01',
          endDate: '2027-01-01',
        }),
        'FORBIDDEN',
      );
      await rejectsWith(updateCommunity(moduleContext(ctx.db), a.actor, b.event.communityId, { name: 'Mine' }), 'FORBIDDEN');
      assert.deepEqual(await footprint(ctx.db, b.event.id), before);
    });

    test("event B's session cannot be reached through event A by its id", async () => {
      const before = await footprint(ctx.db, b.event.id);
      await rejectsWith(updateSession(moduleContext(ctx.db), a.actor, a.event.id, bSession.id, { title: 'Hijacked' }), 'NOT_FOUND');
      await rejectsWith(cancelSession(moduleContext(ctx.db), a.actor, a.event.id, bSession.id), 'NOT_FOUND');
      await rejectsWith(deleteSession(moduleContext(ctx.db), a.actor, a.event.id, bSession.id), 'NOT_FOUND');
      assert.deepEqual(await footprint(ctx.db, b.event.id), before);
      const bRoom = await createRoom(moduleContext(ctx.db), b.actor, b.event.id, { name: 'B Room' });
      await rejectsWith(deleteRoom(moduleContext(ctx.db), a.actor, a.event.id, bRoom.id), 'NOT_FOUND');
      assert.equal((await ctx.db.selectFrom('sessions').select('title').where('id', '=', bSession.id).executeTakeFirstOrThrow()).title, 'B Talk');
    });

    test('nobody signed in, or signed in without a role, is refused', async () => {
      const stranger = await newActor(ctx.db, 'Stranger');
      await rejectsWith(updateSession(moduleContext(ctx.db), null, a.event.id, platformTalk.id, { title: 'Anon' }), 'FORBIDDEN');
      await rejectsWith(updateSession(moduleContext(ctx.db), stranger, a.event.id, platformTalk.id, { title: 'Anon' }), 'FORBIDDEN');
      assert.deepEqual(await listEventsForActor(ctx.db, stranger), []);
    });

    test('a track manager edits sessions in their track only, and cannot move one out of it', async () => {
      const edited = await updateSession(moduleContext(ctx.db), manager, a.event.id, platformTalk.id, { title: 'Platform Talk, revised' });
      assert.equal(edited.title, 'Platform Talk, revised');
      await rejectsWith(updateSession(moduleContext(ctx.db), manager, a.event.id, securityTalk.id, { title: 'Nope' }), 'FORBIDDEN');
      await rejectsWith(updateSession(moduleContext(ctx.db), manager, a.event.id, platformTalk.id, { trackId: security.id }), 'FORBIDDEN');
      await rejectsWith(updateSession(moduleContext(ctx.db), manager, a.event.id, platformTalk.id, { trackId: '' }), 'FORBIDDEN');
      await rejectsWith(cancelSession(moduleContext(ctx.db), manager, a.event.id, securityTalk.id), 'FORBIDDEN');
      await rejectsWith(
        createSession(moduleContext(ctx.db), manager, a.event.id, { kind: 'talk', title: 'No Track', start: '2027-04-15T12:00', durationMinutes: 30 }),
        'FORBIDDEN',
      );
      const created = await createSession(moduleContext(ctx.db), manager, a.event.id, {
        kind: 'talk',
        title: 'Mine',
        trackId: platform.id,
        start: '2027-04-15T12:00',
        durationMinutes: 30,
      });
      assert.equal((await cancelSession(moduleContext(ctx.db), manager, a.event.id, created.id)).status, 'cancelled');
      await rejectsWith(updateEvent(moduleContext(ctx.db), manager, a.event.id, { title: 'Renamed' }), 'FORBIDDEN');
      await rejectsWith(createRoom(moduleContext(ctx.db), manager, a.event.id, { name: 'Mine' }), 'FORBIDDEN');
    });

    test('a track manager edits speakers only while all their sessions are in the track', async () => {
      const own = await createSpeaker(moduleContext(ctx.db), manager, a.event.id, { name: 'Newcomer' });
      await updateSession(moduleContext(ctx.db), manager, a.event.id, platformTalk.id, { speakerIds: [own.id] });
      assert.equal((await updateSpeaker(moduleContext(ctx.db), manager, a.event.id, own.id, { bio: 'Hello.' })).bio, 'Hello.');
      await updateSession(moduleContext(ctx.db), a.actor, a.event.id, securityTalk.id, { speakerIds: [own.id] });
      await rejectsWith(updateSpeaker(moduleContext(ctx.db), manager, a.event.id, own.id, { bio: 'Again.' }), 'FORBIDDEN');
    });

    test('back-office reads respect the scope', async () => {
      const listed = await listEventsForActor(ctx.db, manager);
      assert.deepEqual(
        listed.map((e) => [e.slug, e.canManage]),
        [['event-a', false]],
      );
      const editing = await getEventForEditing(ctx.db, manager, a.event.id);
      assert.deepEqual(editing.permissions, { manageEvent: false, editableTrackIds: [platform.id] });
      const mine = await listSessionsForEditing(ctx.db, manager, a.event.id);
      assert.ok(mine.length > 0 && mine.every((s) => s.trackId === platform.id));
      const all = await listSessionsForEditing(ctx.db, a.actor, a.event.id, { trackId: String(security.id) });
      assert.deepEqual(
        all.map((s) => s.id),
        [securityTalk.id],
      );
      await rejectsWith(getEventForEditing(ctx.db, manager, 999_999), 'NOT_FOUND');
      const admin = await newActor(ctx.db, 'Site Admin');
      await ctx.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', admin.userId).execute();
      const adminList = await listEventsForActor(ctx.db, { ...admin, isAdmin: true });
      assert.deepEqual(adminList.map((e) => e.slug).sort(), ['event-a', 'event-b']);
    });
  });
}
