import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixedClock } from '../../src/lib/clock.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { testDatabases } from '../support/databases.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { moduleContext } from '../support/module-context.js';
import { releaseProgramme } from '../support/releases.js';
import { SseStream } from '../support/sse.js';

/*
 * The live channel over a real HTTP server on each database: the public stream of a published
 * event (releases only), the organizer stream (draft changes and releases), catching up from
 * Last-Event-ID or ?release=, heartbeats, headers that keep proxies and caches out of the way, a
 * shutdown that ends open streams instead of waiting for them, and (PostgreSQL) the listening
 * connection coming back after it is cut. Releases are made by test/support/releases.ts.
 */

const clock = fixedClock('2027-03-01T10:00:00Z');

for (const database of testDatabases) {
  describe(`live updates over Server-Sent Events on ${database.name}`, () => {
    let app: RunningApp;
    let eventId = 0;
    let organizerCookie = '';
    let organizer: Actor;
    let strangerCookie = '';
    const open: SseStream[] = [];
    const stream = async (path: string, headers: Record<string, string> = {}) => {
      const s = await SseStream.open(app.url + path, headers);
      open.push(s);
      return s;
    };
    const ctx = () => moduleContext(app.db, clock);

    before(async () => {
      app = await startTestApp({
        database,
        clock,
        docs: [buildEventDoc({ slug: 'live-2027' }), buildEventDoc({ slug: 'hidden-2027', event: { published: false } })],
        webhookDispatcher: false,
        live: { heartbeatMs: 200 },
      });
      const event = await app.db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', 'live-2027').executeTakeFirstOrThrow();
      eventId = event.id;
      const user = await createTestUser(app.db, {
        email: 'organizer@example.org',
        grants: [{ scope: 'community', scopeId: event.community_id, role: 'owner', trackIds: [] }],
      });
      organizerCookie = user.sessionCookie;
      organizer = await actorFor(app.db, await app.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow());
      strangerCookie = (await createTestUser(app.db, { email: 'stranger@example.org' })).sessionCookie;
    });
    after(async () => {
      for (const s of open) s.close();
      await app?.close();
    });

    test('a published event announces a new release to its open streams, with nothing of its draft', async () => {
      const s = await stream('/events/live-2027/live', { 'accept-encoding': 'br, gzip' });
      assert.equal(s.response.status, 200);
      assert.equal(s.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(s.response.headers.get('cache-control'), 'no-store', 'never cached');
      assert.equal(s.response.headers.get('content-encoding'), null, 'never compressed (that would buffer it)');
      assert.equal(s.response.headers.get('x-accel-buffering'), 'no', 'nginx is asked not to buffer');
      assert.ok(s.response.headers.get('content-security-policy'), 'the security headers are there');
      await s.following();
      assert.equal(s.lastEventId, '1', 'the imported programme is release 1');
      assert.ok(s.retry && s.retry >= 2000 && s.retry <= 5000, `retry: ${s.retry}`);

      // A draft change is not news for the public pages.
      await createRoom(ctx(), organizer, eventId, { name: 'Draft Room' });
      const first = await releaseProgramme(app.db, eventId, { name: 'Friday fix', changes: 3 });
      const { data, id } = await s.nextEvent('release');
      assert.deepEqual(data, { number: first.number, name: 'Friday fix', changes: 3 });
      assert.equal(id, String(first.number));
      const second = await releaseProgramme(app.db, eventId, { changes: 1 });
      assert.deepEqual((await s.nextEvent('release')).data, { number: second.number, name: second.name, changes: 1 });
      assert.deepEqual(
        s.messages.map((m) => m.event),
        ['release', 'release'],
        'only releases on the public stream',
      );
    });

    test('unpublished and unknown events have no public stream (404)', async () => {
      for (const slug of ['hidden-2027', 'no-such-event']) {
        const res = await app.get(`/events/${slug}/live`, { headers: { accept: 'text/event-stream' } });
        assert.equal(res.status, 404, slug);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        await res.arrayBuffer();
      }
    });

    test('a reconnecting browser (Last-Event-ID) or a page showing an older release (?release=) is told at once what it missed', async () => {
      await releaseProgramme(app.db, eventId, { changes: 2 });
      const latest = await releaseProgramme(app.db, eventId, { name: 'Saturday', changes: 5 });

      // Missed the last two: one message, its changes summed.
      const behind = await stream('/events/live-2027/live', { 'last-event-id': String(latest.number - 2) });
      assert.deepEqual((await behind.nextEvent('release')).data, { number: latest.number, name: 'Saturday', changes: 7 });
      assert.equal(behind.lastEventId, String(latest.number));

      const page = await stream(`/events/live-2027/live?release=${latest.number - 1}`);
      assert.deepEqual((await page.nextEvent('release')).data, { number: latest.number, name: 'Saturday', changes: 5 });

      // Up to date: only the id, no message; Last-Event-ID wins over ?release=.
      const current = await stream(`/events/live-2027/live?release=0`, { 'last-event-id': String(latest.number) });
      await current.following();
      assert.equal(current.lastEventId, String(latest.number));
      const next = await releaseProgramme(app.db, eventId, { changes: 1 });
      assert.equal((await current.nextEvent<{ number: number }>('release')).data.number, next.number);
      assert.equal(current.messages.length, 1, 'nothing was sent before the new release');
    });

    test('the organizer stream tells the editor every draft change and every release; others may not follow it', async () => {
      const s = await stream(`/manage/events/${eventId}/live`, { cookie: `hallway_session=${organizerCookie}` });
      assert.equal(s.response.status, 200);
      assert.equal(s.response.headers.get('cache-control'), 'no-store');
      await s.following();
      const before = await app.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow();
      assert.match(s.lastEventId ?? '', new RegExp(`^\\d+\\.${before.version}$`));

      await createRoom(ctx(), organizer, eventId, { name: 'Room Two' });
      const after = await app.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow();
      const draft = await s.nextEvent<{ version: number }>('draft');
      assert.deepEqual(draft.data, { version: after.version });
      const released = await releaseProgramme(app.db, eventId, { changes: 4 });
      assert.deepEqual((await s.nextEvent('release')).data, { number: released.number, name: released.name, changes: 4 });
      assert.equal(s.lastEventId, `${released.number}.${after.version + 1}`, 'a release is a write of the event: one version more');

      // An editor that loaded version V asks for what came after it.
      const late = await stream(`/manage/events/${eventId}/live?version=${before.version}`, { cookie: `hallway_session=${organizerCookie}` });
      assert.deepEqual((await late.nextEvent('draft')).data, { version: after.version + 1 }, 'the latest: the release was a write too');

      const anonymous = await app.get(`/manage/events/${eventId}/live`, { redirect: 'manual' });
      assert.equal(anonymous.status, 303);
      await anonymous.arrayBuffer();
      const stranger = await app.get(`/manage/events/${eventId}/live`, { headers: { cookie: `hallway_session=${strangerCookie}` } });
      assert.equal(stranger.status, 403);
      await stranger.arrayBuffer();
      const unknown = await app.get('/manage/events/999999/live', { headers: { cookie: `hallway_session=${organizerCookie}` } });
      assert.equal(unknown.status, 404);
      await unknown.arrayBuffer();
    });

    test('idle streams get heartbeat comments, so proxies keep them open', async () => {
      const s = await stream('/events/live-2027/live');
      await s.until(() => s.comments >= 2, 'no heartbeat comment arrived');
    });

    if (database.name === 'postgres') {
      test('when the listening connection is cut, it comes back and nothing released meanwhile is lost', async () => {
        const s = await stream('/events/live-2027/live');
        await s.following();
        const cut = await sql<{ pid: number }>`select pg_terminate_backend(pid) as pid from pg_stat_activity
          where application_name = 'hallway live' and datname = current_database()`.execute(app.db);
        assert.equal(cut.rows.length, 1, 'one listening connection per process');
        const released = await releaseProgramme(app.db, eventId, { changes: 3 });
        assert.deepEqual((await s.nextEvent('release')).data, { number: released.number, name: released.name, changes: 3 });
        const after = await releaseProgramme(app.db, eventId, { changes: 1 });
        assert.equal((await s.nextEvent<{ number: number }>('release')).data.number, after.number, 'and it listens again');
      });
    }
  });
}

test('closing the app ends open streams at once instead of waiting for them', { timeout: 30_000 }, async () => {
  const app = await startTestApp({ docs: [buildEventDoc({ slug: 'closing-2027' })], webhookDispatcher: false });
  const streams = await Promise.all([1, 2, 3].map(() => SseStream.open(`${app.url}/events/closing-2027/live`)));
  await Promise.all(streams.map((s) => s.following()));
  assert.equal(app.hallway.ctx.streams.size, 3);
  assert.equal(app.hallway.ctx.live.subscriberCount, 3);
  await app.close();
  await Promise.all(streams.map((s) => s.closedByServer()));
  assert.equal(app.hallway.ctx.streams.size, 0);
  assert.equal(app.hallway.ctx.live.subscriberCount, 0);
});
