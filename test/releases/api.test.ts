import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertError, tokenFor, useManageApp, writeFingerprint, type ManageClient } from '../api-manage/support.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';

/**
 * Releasing through the organizer API (the same action as the back office and the CLI) and the
 * public changelog as JSON. Every answer is checked against the OpenAPI document by the client.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';

for (const database of testDatabases) {
  describe(`releases through the API on ${database.name}`, () => {
    const env = useManageApp(database);
    let api: ManageClient;
    let owner: string;
    let trackManager: string;
    let speakerEmail: string;
    const f = {} as Record<'event' | 'hall' | 'studio' | 'ada' | 'bob' | 'opening' | 'second' | 'track', number>;

    /** Row counts of the programme and releases, mails and event versions: equal = nothing written. */
    const written = async () =>
      JSON.stringify({
        base: await writeFingerprint(env.db),
        releases: (await env.db.selectFrom('schedule_releases').select('id').execute()).length,
        changes: (await env.db.selectFrom('release_changes').select('id').execute()).length,
        mails: (await env.db.selectFrom('mail_outbox').select('id').execute()).length,
      });

    before(async () => {
      api = env.api;
      const o = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
      owner = o.token;
      const post = async (path: string, json: unknown) => {
        const r = await api.post(path, { token: owner, json });
        assert.ok(r.status < 300, `${path}: ${r.text}`);
        return r.body.data.id as number;
      };
      const community = await post(`${M}/communities`, { slug: 'rel', name: 'Releases' });
      f.event = await post(`${M}/events`, {
        communityId: community,
        slug: 'rel-2027',
        kind: 'conference',
        title: 'Rel 2027',
        timeZone: 'Europe/Brussels',
        startDate: '2027-04-15',
        endDate: '2027-04-16',
      });
      const E = `${M}/events/${f.event}`;
      f.track = await post(`${E}/tracks`, { name: 'Web' });
      f.hall = await post(`${E}/rooms`, { name: 'Hall' });
      f.studio = await post(`${E}/rooms`, { name: 'Studio' });
      f.ada = await post(`${E}/speakers`, { name: 'Ada Speaker' });
      f.bob = await post(`${E}/speakers`, { name: 'Bob Speaker' });
      const session = (title: string, roomId: number, speakerIds: number[]) =>
        post(`${E}/sessions`, { kind: 'talk', title, roomId, trackId: f.track, start: '2027-04-15T10:00', durationMinutes: 30, speakerIds });
      f.opening = await session('Opening', f.hall, [f.ada]);
      f.second = await session('Second', f.studio, [f.bob]);
      // Ada proposed through her account: she has an address; Bob was added by hand.
      const ada = await tokenFor(env.db, 'Ada Account');
      speakerEmail = ada.email;
      await env.db.updateTable('speakers').set({ user_id: ada.userId }).where('id', '=', f.ada).execute();
      trackManager = (await tokenFor(env.db, 'Track Manager', { grants: [{ scope: 'event', scopeId: f.event, role: 'track_manager', trackIds: [f.track] }] }))
        .token;
    });

    const E = () => `${M}/events/${f.event}`;

    test('the preview lists what a release would publish and whom it would mail; the first release (201) publishes the event and mails Ada', async () => {
      const preview = await api.get(`${E()}/releases/preview`, { token: owner });
      assert.equal(preview.status, 200, preview.text);
      assert.equal(preview.body.data.latest, null);
      assert.equal(preview.body.data.nextName, '1');
      assert.deepEqual(
        preview.body.data.changes.map((c: { kind: string; title: string; to: { room: string } }) => [c.kind, c.title, c.to.room]),
        [
          ['new', 'Opening', 'Hall'],
          ['new', 'Second', 'Studio'],
        ],
      );
      assert.equal(preview.body.data.changes[0].description, 'New: "Opening", Hall, 2027-04-15 10:00');
      assert.deepEqual(
        preview.body.data.speakers.map((s: { name: string; email: string | null; changes: number }) => [s.name, s.email, s.changes]),
        [
          ['Ada Speaker', speakerEmail, 1],
          ['Bob Speaker', null, 1],
        ],
      );
      assert.equal((await api.get('/api/v1/events/rel-2027')).status, 404, 'a draft is not public yet');

      const r = await api.post(`${E()}/releases`, { token: owner, json: { comment: 'The first programme' } });
      assert.equal(r.status, 201, r.text);
      const data = r.body.data;
      assert.equal(data.release.name, '1');
      assert.equal(data.release.number, 1);
      assert.equal(data.release.comment, 'The first programme');
      assert.equal(data.release.notifications, 'sent');
      assert.equal(data.release.releasedBy, 'Owner');
      assert.equal(data.release.changes.length, 2);
      assert.equal(data.mailsQueued, 1);
      assert.equal(r.headers.get('location'), `${E()}/releases`);
      const mails = await env.db.selectFrom('mail_outbox').select('to_address').execute();
      assert.deepEqual(
        mails.map((m) => m.to_address),
        [speakerEmail],
      );
      assert.equal((await api.get('/api/v1/events/rel-2027')).status, 200, 'the first release publishes');
    });

    test('refusals answer in the one error shape and write nothing: nothing changed (409), name taken (409), bad input (422), a track manager (403)', async () => {
      const before = await written();
      const nothing = await api.post(`${E()}/releases`, { token: owner, json: {} });
      assertError(nothing, 409, 'RELEASE_NOTHING_CHANGED');
      assert.match(nothing.body.error.message, /Nothing changed since release "1"/);
      assert.equal(await written(), before);

      const moved = await api.patch(`${E()}/sessions/${f.opening}`, { token: owner, json: { start: '2027-04-15T11:00', roomId: f.studio } });
      assert.equal(moved.status, 200, moved.text);
      const afterMove = await written();
      const taken = await api.post(`${E()}/releases`, { token: owner, json: { name: '1' } });
      assertError(taken, 409, 'RELEASE_NAME_TAKEN');
      assert.equal(taken.body.error.problems[0].path, 'name');
      const long = await api.post(`${E()}/releases`, { token: owner, json: { comment: 'x'.repeat(2_001) } });
      assertError(long, 422, 'VALIDATION_FAILED');
      assert.equal(long.body.error.problems[0].path, 'comment');
      const badName = await api.post(`${E()}/releases`, { token: owner, json: { name: 42 } });
      assertError(badName, 422, 'VALIDATION_FAILED');
      assertError(await api.post(`${E()}/releases`, { token: owner, raw: '{"name":', type: 'application/json' }), 400, 'REQUEST_INVALID');
      assertError(await api.post(`${M}/events/nope/releases`, { token: owner, json: {} }), 422, 'VALIDATION_FAILED');
      assertError(await api.post(`${M}/events/999999/releases`, { token: owner, json: {} }), 404, 'NOT_FOUND');
      for (const call of [
        () => api.post(`${E()}/releases`, { token: trackManager, json: {} }),
        () => api.get(`${E()}/releases`, { token: trackManager }),
        () => api.get(`${E()}/releases/preview`, { token: trackManager }),
        () => api.post(`${E()}/releases/1/send-mails`, { token: trackManager }),
      ]) {
        assertError(await call(), 403, 'FORBIDDEN');
      }
      assert.equal((await api.post(`${E()}/releases`, { json: {} })).status, 401);
      assert.equal(await written(), afterMove, 'nothing written by any refusal');
      const pub = await api.get('/api/v1/events/rel-2027/sessions');
      assert.equal(pub.body.data.find((s: { title: string }) => s.title === 'Opening').room, 'Hall', 'the move is still a draft');
    });

    test('a release with held mails names the speakers; send-mails sends them once; the list has every release newest first', async () => {
      const name = 'Fix 2/3 ?';
      const mailsBefore = (await env.db.selectFrom('mail_outbox').select('id').execute()).length;
      const r = await api.post(`${E()}/releases`, { token: owner, json: { name, comment: 'Opening moved', holdSpeakerMails: true } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.data.release.notifications, 'held');
      assert.equal(r.body.data.mailsQueued, 0);
      assert.deepEqual(
        r.body.data.release.changes.map((c: { kind: string; from: { room: string }; to: { room: string }; description: string }) => [
          c.kind,
          c.from.room,
          c.to.room,
          c.description,
        ]),
        [['moved', 'Hall', 'Studio', 'Moved: "Opening", from Hall, 2027-04-15 10:00 to Studio, 2027-04-15 11:00']],
      );
      assert.equal((await env.db.selectFrom('mail_outbox').select('id').execute()).length, mailsBefore);

      const path = `${E()}/releases/${encodeURIComponent(name)}/send-mails`;
      const sent = await api.post(path, { token: owner });
      assert.equal(sent.status, 200, sent.text);
      assert.equal(sent.body.data.mailsQueued, 1);
      assert.equal(sent.body.data.release.notifications, 'sent');
      assertError(await api.post(path, { token: owner }), 409, 'RELEASE_MAILS_NOT_HELD');
      assertError(await api.post(`${E()}/releases/nope/send-mails`, { token: owner }), 404, 'RELEASE_NOT_FOUND');
      assert.equal((await env.db.selectFrom('mail_outbox').select('id').execute()).length, mailsBefore + 1);

      const list = await api.get(`${E()}/releases`, { token: owner });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(
        list.body.data.map((x: { name: string; number: number; changeCount: number; notifications: string; changes: unknown[] }) => [
          x.name,
          x.number,
          x.changeCount,
          x.changes.length,
          x.notifications,
        ]),
        [
          [name, 2, 1, 1, 'sent'],
          ['1', 1, 2, 2, 'sent'],
        ],
      );
    });

    test('the public changelog as JSON: newest first, times with the event’s offset, links to public sessions, cached per version', async () => {
      const r = await api.get('/api/v1/events/rel-2027/releases');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        r.body.data.map((x: { name: string; current: boolean; comment: string }) => [x.name, x.current, x.comment]),
        [
          ['Fix 2/3 ?', true, 'Opening moved'],
          ['1', false, 'The first programme'],
        ],
      );
      const [moved] = r.body.data[0].changes;
      assert.equal(moved.kind, 'moved');
      assert.deepEqual(moved.from, { room: 'Hall', start: '2027-04-15T10:00:00+02:00', end: '2027-04-15T10:30:00+02:00' });
      assert.deepEqual(moved.to, { room: 'Studio', start: '2027-04-15T11:00:00+02:00', end: '2027-04-15T11:30:00+02:00' });
      assert.deepEqual(moved.speakers, ['Ada Speaker']);
      assert.equal(moved.session.title, 'Opening');
      assert.match(moved.session.url, /\/events\/rel-2027\/sessions\/opening$/);
      assert.ok(!('releasedBy' in r.body.data[0]), 'who released is for organizers only');
      const tag = r.headers.get('etag')!;
      assert.equal((await api.get('/api/v1/events/rel-2027/releases', { headers: { 'If-None-Match': tag } })).status, 304);
      assert.equal((await api.get('/api/v1/events/unknown/releases')).status, 404);
    });
  });
}
