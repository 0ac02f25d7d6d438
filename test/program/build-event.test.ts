import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '../../src/db/database.js';
import { createCommunity } from '../../src/modules/events/community.actions.js';
import { createEvent } from '../../src/modules/events/event.actions.js';
import { publishEvent } from '../../src/modules/schedule/publication.actions.js';
import { setEventHosts } from '../../src/modules/events/host.actions.js';
import { createSponsor } from '../../src/modules/events/sponsor.actions.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { getEventForEditing, listEventsForActor } from '../../src/modules/program/backoffice.queries.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { toEventDocument } from '../../src/modules/schedule/event-document.js';
import { findEventHead, loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { actorOf, lastAudit, newActor, useDatabase } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** Runs one write and asserts it bumped the event's version by one and logged `action`. */
async function write<T>(db: Db, eventId: number, action: string, run: () => Promise<T>): Promise<T> {
  const before = await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow();
  const result = await run();
  const afterRow = await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow();
  assert.equal(afterRow.version, before.version + 1, `${action} bumps the version`);
  const audit = await lastAudit(db, eventId);
  assert.equal(audit.action, action);
  assert.ok(audit.summary.length > 10, `readable summary for ${action}: ${audit.summary}`);
  return result;
}

for (const database of testDatabases) {
  describe(`building events from nothing on ${database.name}`, () => {
    const ctx = useDatabase(database);

    test('a meetup: community, event, room, speakers, sessions, hosts, sponsor, publish', async () => {
      const { db } = ctx;
      const signedIn = await newActor(db, 'Mia Organizer', [], { mayCreateCommunities: true });
      const community = await createCommunity(moduleContext(db), signedIn, { slug: 'rust-berlin', name: 'Rust Berlin', url: '' });
      assert.deepEqual({ slug: community.slug, url: community.url }, { slug: 'rust-berlin', url: null });
      const audit = await db.selectFrom('audit_log').selectAll().where('community_id', '=', community.id).executeTakeFirstOrThrow();
      assert.equal(audit.summary, 'Created community "Rust Berlin" (rust-berlin); Mia Organizer is its owner');
      const actor = await actorOf(db, signedIn.userId);
      assert.deepEqual(
        actor.grants.map((g) => [g.scope, g.scopeId, g.role]),
        [['community', community.id, 'owner']],
      );

      // Form posts: every value a string, blanks for "none".
      const event = await createEvent(moduleContext(db), actor, {
        communityId: String(community.id),
        slug: 'rust-berlin-2027-05',
        kind: 'meetup',
        title: 'Rust Berlin May 2027',
        timeZone: 'Europe/Berlin',
        startDate: '2027-05-12',
        endDate: '2027-05-12',
        dayChange: '',
        venueName: 'c-base',
        venueUrl: '',
        capacity: '80',
        _csrf: 'ignored',
      });
      assert.equal(event.state, 'draft');
      assert.equal(event.capacity, 80);
      assert.equal(event.dayChange, '04:00');
      assert.equal((await findEventHead(db, event.slug))!.published, false);

      const room = await write(db, event.id, 'room.created', () => createRoom(moduleContext(db), actor, event.id, { name: 'Main space', capacity: '80' }));
      const ada = await write(db, event.id, 'speaker.created', () =>
        createSpeaker(moduleContext(db), actor, event.id, { name: 'Ada Lovelace', github: 'ada', mastodon: '' }),
      );
      assert.equal(ada.code, 'ada-lovelace');
      assert.deepEqual(ada.handles, { github: 'ada' });
      const ada2 = await createSpeaker(moduleContext(db), actor, event.id, { name: 'Ada Lovelace' });
      assert.equal(ada2.code, 'ada-lovelace-2');
      const doors = await write(db, event.id, 'session.created', () =>
        createSession(moduleContext(db), actor, event.id, {
          kind: 'doors',
          title: 'Doors open',
          start: '2027-05-12T18:30',
          durationMinutes: '30',
          roomId: '',
          speakerIds: '',
        }),
      );
      assert.equal(doors.roomId, null);
      const talk = await write(db, event.id, 'session.created', () =>
        createSession(moduleContext(db), actor, event.id, {
          kind: 'talk',
          title: 'Async Rust in Practice',
          start: '2027-05-12T19:00',
          durationMinutes: '40',
          roomId: String(room.id),
          level: '',
          speakerIds: [String(ada.id), String(ada2.id)],
          links: [
            { kind: 'slides', title: 'Slides', url: 'https://slides.example.org/async' },
            { kind: '', title: '', url: '' },
          ],
        }),
      );
      assert.equal(talk.code, 'async-rust-in-practice');
      assert.equal(talk.startsAt, '2027-05-12T17:00:00Z');
      assert.equal(talk.start, '2027-05-12T19:00');
      assert.equal(talk.level, null);
      assert.deepEqual(talk.speakerIds, [ada.id, ada2.id]);
      assert.deepEqual(talk.links, [{ kind: 'slides', title: 'Slides', url: 'https://slides.example.org/async' }]);
      assert.equal((await lastAudit(db, event.id)).summary, 'Added "Async Rust in Practice" in Main space, 2027-05-12 19:00–19:40');
      const again = await createSession(moduleContext(db), actor, event.id, {
        kind: 'lightning',
        title: 'Async Rust in Practice',
        start: '2027-05-12T19:45',
        durationMinutes: 5,
      });
      assert.equal(again.code, 'async-rust-in-practice-2');
      assert.match(again.guid, /^[0-9a-f-]{36}$/);

      await write(db, event.id, 'event.hosts_set', () =>
        setEventHosts(moduleContext(db), actor, event.id, {
          hosts: [
            { name: 'Mia Organizer', role: 'organizer', url: '' },
            { name: 'c-base', role: 'venue' },
          ],
        }),
      );
      await write(db, event.id, 'sponsor.created', () =>
        createSponsor(moduleContext(db), actor, event.id, { name: 'Pizza Place', level: '', contribution: 'Pizza' }),
      );
      const published = await write(db, event.id, 'event.published', () => publishEvent(moduleContext(db), actor, event.id));
      assert.equal(published.state, 'published');

      const doc = toEventDocument((await loadProgramSnapshot(db, event.id))!);
      assert.equal(doc.event.published, true);
      assert.deepEqual(doc.event.hosts, [
        { name: 'Mia Organizer', role: 'organizer', url: null },
        { name: 'c-base', role: 'venue', url: null },
      ]);
      assert.deepEqual(
        doc.sessions.map((s) => [s.code, s.kind, s.room, s.start, s.durationMinutes, s.speakers]),
        [
          ['doors-open', 'doors', null, '2027-05-12T18:30:00+02:00', 30, []],
          ['async-rust-in-practice', 'talk', 'Main space', '2027-05-12T19:00:00+02:00', 40, ['ada-lovelace', 'ada-lovelace-2']],
          ['async-rust-in-practice-2', 'lightning', null, '2027-05-12T19:45:00+02:00', 5, []],
        ],
      );
      assert.deepEqual(doc.sponsors, [{ name: 'Pizza Place', level: 'community', url: null, logoUrl: null, contribution: 'Pizza' }]);
      assert.deepEqual(doc.speakers[0], {
        code: 'ada-lovelace',
        name: 'Ada Lovelace',
        jobTitle: '',
        company: '',
        bio: '',
        avatarUrl: null,
        handles: { github: 'ada' },
      });
    });

    test('a two-day conference with rooms, tracks, speakers, sessions and a sponsor, then published', async () => {
      const { db } = ctx;
      const signedIn = await newActor(db, 'Olu Organizer', [], { mayCreateCommunities: true });
      const community = await createCommunity(moduleContext(db), signedIn, { slug: 'devconf-org', name: 'DevConf', description: 'Yearly.' });
      const actor = await actorOf(db, signedIn.userId);
      const event = await createEvent(moduleContext(db), actor, {
        communityId: community.id,
        slug: 'devconf-2027',
        kind: 'conference',
        title: 'DevConf 2027',
        acronym: 'devconf27',
        timeZone: 'Europe/Amsterdam',
        startDate: '2027-04-15',
        endDate: '2027-04-16',
        venueName: 'RAI',
        venueAddress: 'Europaplein 24, Amsterdam',
        venueUrl: 'https://rai.example.org',
        codeOfConductUrl: 'https://devconf.example.org/coc',
        capacity: 600,
      });
      const main = await createRoom(moduleContext(db), actor, event.id, { name: 'Main Hall', capacity: 400 });
      const side = await createRoom(moduleContext(db), actor, event.id, { name: 'Side Room', capacity: 80, description: 'Upstairs' });
      const platform = await write(db, event.id, 'track.created', () =>
        createTrack(moduleContext(db), actor, event.id, { name: 'Platform', color: '#1F77B4' }),
      );
      const security = await createTrack(moduleContext(db), actor, event.id, { name: 'Security' });
      assert.deepEqual([platform.slug, platform.color, security.color], ['platform', '#1f77b4', '#6b7280']);
      const grace = await createSpeaker(moduleContext(db), actor, event.id, {
        name: 'Grace Hopper',
        jobTitle: 'Rear Admiral',
        handles: { mastodon: '@grace@hachyderm.io' },
      });
      const linus = await createSpeaker(moduleContext(db), actor, event.id, { name: 'Linus Case', company: 'Kernel Co' });
      const sponsor = await createSponsor(moduleContext(db), actor, event.id, { name: 'Coffee Corp', level: 'gold', url: 'https://coffee.example.org' });

      const add = (input: Record<string, unknown>) => createSession(moduleContext(db), actor, event.id, { kind: 'talk', durationMinutes: 30, ...input });
      await add({
        kind: 'keynote',
        title: 'Opening Keynote',
        roomId: main.id,
        trackId: platform.id,
        start: '2027-04-15T09:00',
        durationMinutes: 45,
        speakerIds: [grace.id],
      });
      await add({ kind: 'break', title: 'Coffee', start: '2027-04-15T09:45', durationMinutes: 15, sponsorId: sponsor.id });
      await add({ title: 'eBPF for Humans', roomId: side.id, trackId: security.id, start: '2027-04-15T10:00', speakerIds: [linus.id], language: 'de' });
      await add({ title: 'Compilers Today', roomId: main.id, trackId: platform.id, start: '2027-04-15T10:00', speakerIds: [grace.id], level: 'advanced' });
      // 01:30 on the 17th belongs to programme day 16 (day change 04:00).
      await add({ kind: 'social', title: 'Late Party', roomId: main.id, start: '2027-04-17T01:30', durationMinutes: 60 });
      await publishEvent(moduleContext(db), actor, event.id);

      const snap = (await loadProgramSnapshot(db, event.id))!;
      assert.deepEqual(
        [...snap.sessionsByDay].map(([day, list]) => [day, list.map((s) => s.code)]),
        [
          ['2027-04-15', ['opening-keynote', 'coffee', 'compilers-today', 'ebpf-for-humans']],
          ['2027-04-16', ['late-party']],
        ],
      );
      const doc = toEventDocument(snap);
      assert.deepEqual(doc.event.venue, { name: 'RAI', address: 'Europaplein 24, Amsterdam', url: 'https://rai.example.org' });
      assert.deepEqual(doc.rooms, [
        { name: 'Main Hall', description: '', capacity: 400 },
        { name: 'Side Room', description: 'Upstairs', capacity: 80 },
      ]);
      assert.deepEqual(
        doc.tracks.map((t) => t.name),
        ['Platform', 'Security'],
      );
      const ebpf = doc.sessions.find((s) => s.code === 'ebpf-for-humans')!;
      assert.deepEqual(
        { room: ebpf.room, track: ebpf.track, start: ebpf.start, language: ebpf.language, speakers: ebpf.speakers, status: ebpf.status },
        { room: 'Side Room', track: 'Security', start: '2027-04-15T10:00:00+02:00', language: 'de', speakers: ['linus-case'], status: 'confirmed' },
      );
      assert.equal(doc.sessions.find((s) => s.code === 'coffee')!.sponsoredBy, 'Coffee Corp');

      const editing = await getEventForEditing(db, actor, event.id);
      assert.deepEqual(editing.days, ['2027-04-15', '2027-04-16']);
      assert.equal(editing.sessions.length, 5);
      assert.deepEqual(editing.permissions, { manageEvent: true, editableTrackIds: 'all' });
      const listed = await listEventsForActor(db, actor);
      assert.deepEqual(
        listed.map((e) => [e.slug, e.state, e.communityName, e.canManage]),
        [['devconf-2027', 'published', 'DevConf', true]],
      );
    });
  });
}
