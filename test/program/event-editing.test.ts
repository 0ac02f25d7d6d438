import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCommunity, updateCommunity } from '../../src/modules/events/community.actions.js';
import { createEvent, updateEvent } from '../../src/modules/events/event.actions.js';
import { publishEvent, unpublishEvent } from '../../src/modules/schedule/publication.actions.js';
import { setEventHosts } from '../../src/modules/events/host.actions.js';
import { createSponsor, deleteSponsor, updateSponsor } from '../../src/modules/events/sponsor.actions.js';
import { createRoom, moveRoom, updateRoom } from '../../src/modules/program/room.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { createTrack, deleteTrack, updateTrack } from '../../src/modules/program/track.actions.js';
import { listSessionsForEditing } from '../../src/modules/program/backoffice.queries.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { actorOf, footprint, lastAudit, newActor, organizerWithEvent, rejectsWith, useDatabase } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`editing events on ${database.name}`, () => {
    const ctx = useDatabase(database);

    test('event fields are validated with their names; dates must be ordered; slugs are unique', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'fields-2027');
      const bad = await rejectsWith(
        createEvent(moduleContext(ctx.db), actor, {
          communityId: event.communityId,
          slug: 'Not A Slug',
          kind: 'party',
          title: '',
          timeZone: 'Europe/Atlantis',
          startDate: '2027-02-30',
          endDate: '2027-03-01',
          capacity: 'many',
          venueUrl: 'javascript:alert(1)',
        }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(
        bad.problems.map((p) => p.path),
        ['slug', 'kind', 'title', 'timeZone', 'startDate', 'venueUrl', 'capacity'],
      );
      const order = await rejectsWith(updateEvent(moduleContext(ctx.db), actor, event.id, { endDate: '2027-04-14' }), 'VALIDATION_FAILED');
      assert.deepEqual(order.problems, [{ path: 'endDate', message: 'is before the start date 2027-04-15' }]);
      const other = await organizerWithEvent(ctx.db, 'fields-other');
      const taken = await rejectsWith(updateEvent(moduleContext(ctx.db), actor, event.id, { slug: other.event.slug }), 'SLUG_TAKEN');
      assert.deepEqual(
        taken.problems.map((p) => p.path),
        ['slug'],
      );
      await rejectsWith(createCommunity(moduleContext(ctx.db), actor, { slug: 'fields-2027-community', name: 'Again' }), 'SLUG_TAKEN');
      await rejectsWith(createEvent(moduleContext(ctx.db), null, { communityId: event.communityId }), 'VALIDATION_FAILED');
    });

    test('publish and unpublish follow the state machine', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'states-2027');
      assert.equal(event.state, 'draft');
      await rejectsWith(unpublishEvent(moduleContext(ctx.db), actor, event.id), 'EVENT_TRANSITION_INVALID');
      assert.equal((await publishEvent(moduleContext(ctx.db), actor, event.id)).state, 'published');
      await rejectsWith(publishEvent(moduleContext(ctx.db), actor, event.id), 'EVENT_TRANSITION_INVALID');
      const draft = await unpublishEvent(moduleContext(ctx.db), actor, event.id);
      assert.equal(draft.state, 'draft');
      assert.equal((await lastAudit(ctx.db, event.id)).summary, 'Unpublished "states-2027 conference" (back to draft)');
    });

    test('new dates may not leave sessions outside them; the sessions are listed and nothing changes', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'dates-2027');
      await createSession(moduleContext(ctx.db), actor, event.id, { kind: 'talk', title: 'Day One', start: '2027-04-15T10:00', durationMinutes: 30 });
      await createSession(moduleContext(ctx.db), actor, event.id, { kind: 'talk', title: 'Day Two', start: '2027-04-16T10:00', durationMinutes: 30 });
      const before = await footprint(ctx.db, event.id);
      const err = await rejectsWith(
        updateEvent(moduleContext(ctx.db), actor, event.id, { startDate: '2027-04-16', endDate: '2027-04-16' }),
        'EVENT_SESSIONS_OUTSIDE_DATES',
      );
      assert.deepEqual(err.problems, [{ path: 'startDate', message: '"Day One" (2027-04-15 10:00) is on 2027-04-15, before 2027-04-16' }]);
      assert.deepEqual(await footprint(ctx.db, event.id), before);
      const longer = await updateEvent(moduleContext(ctx.db), actor, event.id, { endDate: '2027-04-17', title: 'Dates, longer' });
      assert.deepEqual([longer.endDate, longer.version], ['2027-04-17', before.version + 1]);
      assert.equal((await lastAudit(ctx.db, event.id)).summary, 'Updated event "Dates, longer": title, endDate');
    });

    test('changing the time zone keeps local wall times and bumps the moved sessions', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'zone-2027', { timeZone: 'UTC' });
      const s = await createSession(moduleContext(ctx.db), actor, event.id, { kind: 'talk', title: 'Opening', start: '2027-04-15T09:00', durationMinutes: 30 });
      assert.equal(s.startsAt, '2027-04-15T09:00:00Z');
      const updated = await updateEvent(moduleContext(ctx.db), actor, event.id, { timeZone: 'Europe/Amsterdam' });
      assert.equal(updated.timeZone, 'Europe/Amsterdam');
      const [after] = await listSessionsForEditing(ctx.db, actor, event.id);
      assert.deepEqual(
        [after!.start, after!.startsAt, after!.endsAt, after!.sequence],
        ['2027-04-15T09:00', '2027-04-15T07:00:00Z', '2027-04-15T07:30:00Z', 1],
      );
      assert.match((await lastAudit(ctx.db, event.id)).summary, /1 session kept its local times in Europe\/Amsterdam$/);
    });

    test('rooms: names unique per event, renames bump their sessions, order can be changed', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'rooms-2027');
      const a = await createRoom(moduleContext(ctx.db), actor, event.id, { name: 'A' });
      const b = await createRoom(moduleContext(ctx.db), actor, event.id, { name: 'B' });
      const c = await createRoom(moduleContext(ctx.db), actor, event.id, { name: 'C' });
      const taken = await rejectsWith(createRoom(moduleContext(ctx.db), actor, event.id, { name: 'B' }), 'NAME_TAKEN');
      assert.deepEqual(
        taken.problems.map((p) => p.path),
        ['name'],
      );
      await rejectsWith(updateRoom(moduleContext(ctx.db), actor, event.id, a.id, { name: 'C' }), 'NAME_TAKEN');
      const s = await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'talk',
        title: 'In A',
        roomId: a.id,
        start: '2027-04-15T10:00',
        durationMinutes: 30,
      });
      assert.equal((await updateRoom(moduleContext(ctx.db), actor, event.id, a.id, { name: 'Auditorium', capacity: '' })).name, 'Auditorium');
      assert.equal((await listSessionsForEditing(ctx.db, actor, event.id)).find((x) => x.id === s.id)!.sequence, s.sequence + 1);
      assert.deepEqual(
        (await moveRoom(moduleContext(ctx.db), actor, event.id, c.id, { direction: 'up' })).map((r) => r.name),
        ['Auditorium', 'C', 'B'],
      );
      assert.deepEqual(
        (await moveRoom(moduleContext(ctx.db), actor, event.id, b.id, { position: '0' })).map((r) => [r.name, r.position]),
        [
          ['B', 0],
          ['Auditorium', 1],
          ['C', 2],
        ],
      );
      assert.equal((await lastAudit(ctx.db, event.id)).summary, 'Moved room "B" to position 1');
      await rejectsWith(moveRoom(moduleContext(ctx.db), actor, event.id, b.id, {}), 'VALIDATION_FAILED');
    });

    test('deleting a track keeps its sessions, without a track', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'tracks-2027');
      const t = await createTrack(moduleContext(ctx.db), actor, event.id, { name: 'Web Stuff', color: '#AABBCC' });
      assert.equal((await updateTrack(moduleContext(ctx.db), actor, event.id, t.id, { name: 'Web Platform' })).slug, 'web-platform');
      const bad = await rejectsWith(updateTrack(moduleContext(ctx.db), actor, event.id, t.id, { color: 'red' }), 'VALIDATION_FAILED');
      assert.deepEqual(bad.problems, [{ path: 'color', message: 'must be a colour like #1f77b4' }]);
      const s = await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'talk',
        title: 'Tracked',
        trackId: t.id,
        start: '2027-04-15T10:00',
        durationMinutes: 30,
      });
      await deleteTrack(moduleContext(ctx.db), actor, event.id, t.id);
      const [after] = await listSessionsForEditing(ctx.db, actor, event.id);
      assert.deepEqual([after!.id, after!.trackId, after!.sequence], [s.id, null, 1]);
      assert.equal((await lastAudit(ctx.db, event.id)).summary, 'Removed track "Web Platform"; 1 session is now without a track');
    });

    test('sponsors and hosts', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'sponsors-2027');
      const sp = await createSponsor(moduleContext(ctx.db), actor, event.id, { name: 'Acme', level: 'gold', logoUrl: 'https://acme.example.org/logo.svg' });
      assert.equal((await updateSponsor(moduleContext(ctx.db), actor, event.id, sp.id, { level: 'platinum' })).level, 'platinum');
      const s = await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'meal',
        title: 'Lunch',
        sponsorId: sp.id,
        start: '2027-04-15T12:00',
        durationMinutes: 60,
      });
      await deleteSponsor(moduleContext(ctx.db), actor, event.id, sp.id);
      const [lunch] = await listSessionsForEditing(ctx.db, actor, event.id);
      assert.deepEqual([lunch!.id, lunch!.sponsorId], [s.id, null]);
      const bad = await rejectsWith(
        setEventHosts(moduleContext(ctx.db), actor, event.id, { hosts: [{ name: 'Ok' }, { name: 'Bad', url: 'nope' }] }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(bad.problems, [{ path: 'hosts[1].url', message: 'must be an http(s) URL' }]);
      const hosts = await setEventHosts(moduleContext(ctx.db), actor, event.id, {
        hosts: { 0: { name: 'Zed', role: 'co-organizer' }, 1: { name: '', url: '' } },
      });
      assert.deepEqual(
        hosts.map((h) => [h.name, h.role, h.position]),
        [['Zed', 'co-organizer', 0]],
      );
      assert.deepEqual(await setEventHosts(moduleContext(ctx.db), actor, event.id, { hosts: '' }), []);
    });

    test('editing a community bumps the version of each of its events', async () => {
      const owner = await newActor(ctx.db, 'Community Owner', [], { mayCreateCommunities: true });
      const c = await createCommunity(moduleContext(ctx.db), owner, { slug: 'bumpers', name: 'Bumpers' });
      const actor = await actorOf(ctx.db, owner.userId);
      const base = { communityId: c.id, kind: 'meetup', timeZone: 'UTC', startDate: '2027-01-01', endDate: '2027-01-01' };
      const e1 = await createEvent(moduleContext(ctx.db), actor, { ...base, slug: 'bump-1', title: 'One' });
      const e2 = await createEvent(moduleContext(ctx.db), actor, { ...base, slug: 'bump-2', title: 'Two' });
      const updated = await updateCommunity(moduleContext(ctx.db), actor, c.id, { name: 'Bumpers United', description: '' });
      assert.equal(updated.name, 'Bumpers United');
      const versions = await ctx.db.selectFrom('events').select('version').where('id', 'in', [e1.id, e2.id]).orderBy('id').execute();
      assert.deepEqual(
        versions.map((v) => v.version),
        [2, 2],
      );
    });
  });
}
