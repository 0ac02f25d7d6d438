import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '../../src/db/database.js';
import { fixedClock } from '../../src/lib/clock.js';
import { publishEvent } from '../../src/modules/schedule/publication.actions.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createSession, updateSession } from '../../src/modules/program/session.actions.js';
import { cancelSession } from '../../src/modules/program/session-state.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { previewRelease, releaseSchedule, sendHeldReleaseMails, type ReleaseContext } from '../../src/modules/schedule/release.actions.js';
import { listReleases, readReleaseChanges } from '../../src/modules/schedule/release.queries.js';
import { loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { footprint, newActor, organizerWithEvent, rejectsWith, useDatabase } from '../program/support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const clock = fixedClock('2027-03-01T09:00:00Z');

function releaseContext(db: Db, database: { config: ReleaseContext['config']['database'] }): ReleaseContext {
  return { db, clock, config: { baseUrl: 'https://hallway.example', smtpUrl: 'smtp://127.0.0.1:2525', database: database.config } };
}

async function outbox(db: Db) {
  return db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body', 'attachments']).orderBy('id').execute();
}

for (const database of testDatabases) {
  describe(`releasing the programme on ${database.name}`, () => {
    const ctx = useDatabase(database);

    async function conference(slug: string) {
      const { db } = ctx;
      const { actor, event } = await organizerWithEvent(db, slug);
      const mctx = { db, clock };
      const hall = await createRoom(mctx, actor, event.id, { name: 'Hall', capacity: 300 });
      const studio = await createRoom(mctx, actor, event.id, { name: 'Studio', capacity: 40 });
      const ada = await createSpeaker(mctx, actor, event.id, { name: 'Ada Speaker' });
      const bob = await createSpeaker(mctx, actor, event.id, { name: 'Bob Speaker' });
      // Ada has an account (she proposed her talk); Bob was added by hand and has no address.
      const adaActor = await newActor(db, 'Ada Account');
      await db.updateTable('speakers').set({ user_id: adaActor.userId }).where('id', '=', ada.id).execute();
      const adaUser = await db.selectFrom('users').select('email').where('id', '=', adaActor.userId).executeTakeFirstOrThrow();
      const opening = await createSession(mctx, actor, event.id, {
        kind: 'talk',
        title: 'Opening the hallway',
        roomId: hall.id,
        start: '2027-04-15T10:00',
        durationMinutes: 30,
        speakerIds: [ada.id],
      });
      const second = await createSession(mctx, actor, event.id, {
        kind: 'talk',
        title: 'Second talk',
        roomId: studio.id,
        start: '2027-04-15T10:00',
        durationMinutes: 30,
        speakerIds: [bob.id],
      });
      return { actor, event, hall, studio, ada, bob, adaUser, opening, second, rctx: releaseContext(db, { config: ctx.config }) };
    }

    test('the first release publishes the draft, records every session as new and mails the speakers who have an address', async () => {
      const { db } = ctx;
      const c = await conference('first-release');
      const preview = await previewRelease(c.rctx, c.actor, c.event.id);
      assert.equal(preview.latest, null);
      assert.equal(preview.nextName, '1');
      assert.deepEqual(preview.changes.map((x) => [x.kind, x.title]).sort(), [
        ['new', 'Opening the hallway'],
        ['new', 'Second talk'],
      ]);
      assert.deepEqual(
        preview.notices.map((n) => [n.name, n.to]),
        [
          ['Ada Speaker', c.adaUser.email],
          ['Bob Speaker', null],
        ],
      );
      const mailsBefore = (await outbox(db)).length;

      const r = await releaseSchedule(c.rctx, c.actor, c.event.id, { comment: 'First programme' });
      assert.equal(r.release.name, '1');
      assert.equal(r.release.notifications, 'sent');
      assert.equal(r.mailsQueued, 1);
      const event = await db.selectFrom('events').select('published').where('id', '=', c.event.id).executeTakeFirstOrThrow();
      assert.equal(event.published, 1, 'the first release publishes');
      const snap = (await loadProgramSnapshot(db, c.event.id))!;
      assert.equal(snap.event.release, '1');
      assert.deepEqual(snap.sessions.map((s) => s.title).sort(), ['Opening the hallway', 'Second talk']);

      const mails = (await outbox(db)).slice(mailsBefore);
      assert.equal(mails.length, 1, 'one mail, to the one speaker with an address');
      assert.equal(mails[0]!.to_address, c.adaUser.email);
      assert.match(mails[0]!.text_body, /New: "Opening the hallway", Hall, /);
      const attachments = JSON.parse(mails[0]!.attachments) as Array<{ filename: string; content: string }>;
      const ics = Buffer.from(attachments[0]!.content, 'base64').toString('utf8');
      assert.match(ics, /SUMMARY:Opening the hallway/);
      assert.doesNotMatch(ics, /Second talk/, "the .ics has the speaker's own sessions only");
    });

    test('draft edits stay private until the next release, which lists the move and mails only the moved speaker', async () => {
      const { db } = ctx;
      const c = await conference('second-release');
      await releaseSchedule(c.rctx, c.actor, c.event.id, { holdSpeakerMails: true });
      await updateSession({ db, clock }, c.actor, c.event.id, c.opening.id, { start: '2027-04-15T11:00', roomId: c.studio.id });
      await updateSession({ db, clock }, c.actor, c.event.id, c.second.id, { title: 'Second talk, renamed' });

      const pub = (await loadProgramSnapshot(db, c.event.id))!;
      const opening = pub.sessions.find((s) => s.id === c.opening.id)!;
      assert.equal(opening.roomId, c.hall.id, 'the public still sees the released room');
      assert.equal(opening.startsAt, '2027-04-15T08:00:00Z', 'and the released time');
      assert.ok(
        pub.sessions.some((s) => s.title === 'Second talk, renamed'),
        'texts are live, as in pretalx',
      );

      const mailsBefore = (await outbox(db)).length;
      const r = await releaseSchedule(c.rctx, c.actor, c.event.id, { name: 'Friday fix', comment: 'Opening moved to the studio' });
      assert.equal(r.release.number, 2);
      assert.deepEqual(
        r.changes.map((x) => [x.kind, x.title, x.from?.roomName, x.to?.roomName]),
        [['moved', 'Opening the hallway', 'Hall', 'Studio']],
      );
      const moved = (await loadProgramSnapshot(db, c.event.id))!.sessions.find((s) => s.id === c.opening.id)!;
      assert.equal(moved.roomId, c.studio.id);
      assert.equal(moved.startsAt, '2027-04-15T09:00:00Z');
      const mails = (await outbox(db)).slice(mailsBefore);
      assert.deepEqual(
        mails.map((m) => m.to_address),
        [c.adaUser.email],
      );
      assert.match(mails[0]!.text_body, /Moved: "Opening the hallway", from Hall, .* to Studio, /);

      const releases = await listReleases(db, c.event.id);
      assert.deepEqual(
        releases.map((x) => [x.name, x.comment, x.changeCount]),
        [
          ['Friday fix', 'Opening moved to the studio', 1],
          ['1', '', 2],
        ],
      );
      const stored = await readReleaseChanges(db, [releases[0]!.id]);
      assert.equal(stored.get(releases[0]!.id)![0]!.kind, 'moved', 'the changelog is kept with the release');
    });

    test('cancelled, removed-from-the-grid and speaker changes are each recorded', async () => {
      const { db } = ctx;
      const c = await conference('kinds-release');
      await releaseSchedule(c.rctx, c.actor, c.event.id, {});
      await cancelSession({ db, clock }, c.actor, c.event.id, c.opening.id);
      await db.updateTable('sessions').set({ placed: 0 }).where('id', '=', c.second.id).execute();
      const r = await releaseSchedule(c.rctx, c.actor, c.event.id, {});
      assert.deepEqual(r.changes.map((x) => [x.kind, x.title]).sort(), [
        ['cancelled', 'Opening the hallway'],
        ['removed', 'Second talk'],
      ]);
      const snap = (await loadProgramSnapshot(db, c.event.id))!;
      assert.deepEqual(
        snap.sessions.map((s) => [s.title, s.status]),
        [['Opening the hallway', 'cancelled']],
      );
    });

    test('refusals write nothing: nothing changed, a name already used, a track manager', async () => {
      const { db } = ctx;
      const c = await conference('refused-release');
      await releaseSchedule(c.rctx, c.actor, c.event.id, { name: 'v1' });
      const before = await footprint(db, c.event.id);
      const releases = (await listReleases(db, c.event.id)).length;
      const err = await rejectsWith(releaseSchedule(c.rctx, c.actor, c.event.id, {}), 'RELEASE_NOTHING_CHANGED');
      assert.match(err.message, /v1/);
      await updateSession({ db, clock }, c.actor, c.event.id, c.opening.id, { start: '2027-04-15T12:00' });
      const afterMove = await footprint(db, c.event.id);
      const taken = await rejectsWith(releaseSchedule(c.rctx, c.actor, c.event.id, { name: 'v1' }), 'RELEASE_NAME_TAKEN');
      assert.equal(taken.problems[0]!.path, 'name');
      const track = await createTrack({ db, clock }, c.actor, c.event.id, { name: 'Web' });
      const manager = await newActor(db, 'Track Manager', [{ scope: 'event', scopeId: c.event.id, role: 'track_manager', trackIds: [track.id] }]);
      await rejectsWith(releaseSchedule(c.rctx, manager, c.event.id, {}), 'FORBIDDEN');
      await rejectsWith(releaseSchedule(c.rctx, c.actor, c.event.id, { comment: 'x'.repeat(2_001) }), 'VALIDATION_FAILED');
      assert.equal((await listReleases(db, c.event.id)).length, releases);
      assert.notDeepEqual(before, afterMove);
    });

    test('held mails are listed and go when the organizer sends them, once', async () => {
      const { db } = ctx;
      const c = await conference('held-release');
      const mailsBefore = (await outbox(db)).length;
      const r = await releaseSchedule(c.rctx, c.actor, c.event.id, { holdSpeakerMails: 'on' });
      assert.equal(r.release.notifications, 'held');
      assert.equal((await outbox(db)).length, mailsBefore, 'nothing queued while held');
      const sent = await sendHeldReleaseMails(c.rctx, c.actor, c.event.id, r.release.name);
      assert.equal(sent.mailsQueued, 1);
      assert.equal((await outbox(db)).length, mailsBefore + 1);
      await rejectsWith(sendHeldReleaseMails(c.rctx, c.actor, c.event.id, r.release.name), 'RELEASE_MAILS_NOT_HELD');
      await rejectsWith(sendHeldReleaseMails(c.rctx, c.actor, c.event.id, 'nope'), 'RELEASE_NOT_FOUND');
    });

    test('publishing an event never released releases its draft as version 1, mails held', async () => {
      const { db } = ctx;
      const c = await conference('publish-release');
      await publishEvent({ db, clock }, c.actor, c.event.id);
      const [release] = await listReleases(db, c.event.id);
      assert.equal(release!.name, '1');
      assert.equal(release!.notifications, 'held');
      assert.equal((await loadProgramSnapshot(db, c.event.id))!.sessions.length, 2);
    });
  });
}
