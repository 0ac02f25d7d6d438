import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { actorOf } from '../program/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { mainText } from '../attendee/support.js';

/**
 * "N interested": organizers and track managers see stars per session in the back office; the
 * public sees them only once an organizer enables it, through a small uncached JSON endpoint
 * that a script reads (stars never change the cached pages).
 */
for (const database of testDatabases) {
  describe(`interest counts on ${database.name}`, () => {
    let app: RunningApp;
    let eventId: number;
    let ids: Record<string, number>;
    let organizer: TestUser;
    let manager: TestUser;
    const EV = '/events/testconf-2027';
    const as = (u: TestUser) => WebClient.signedIn(app.url, u.sessionCookie);
    const version = async () => (await app.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;

    before(async () => {
      app = await startTestApp({ database, docs: [buildEventDoc()] });
      const ev = await app.db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow();
      eventId = ev.id;
      const rows = await app.db.selectFrom('sessions').select(['id', 'code']).where('event_id', '=', eventId).execute();
      ids = Object.fromEntries(rows.map((r) => [r.code, r.id]));
      const platform = await app.db.selectFrom('tracks').select('id').where('event_id', '=', eventId).where('name', '=', 'Platform').executeTakeFirstOrThrow();
      organizer = await createTestUser(app.db, {
        email: 'olga@example.org',
        displayName: 'Olga',
        grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
      });
      manager = await createTestUser(app.db, {
        email: 'tia@example.org',
        displayName: 'Tia',
        grants: [{ scope: 'event', scopeId: eventId, role: 'track_manager', trackIds: [platform.id] }],
      });
      // ebpf: 3 stars, keynote: 2, day2: 1.
      for (const [i, codes] of [['ebpf', 'keynote', 'day2'], ['ebpf', 'keynote'], ['ebpf']].entries()) {
        const u = await createTestUser(app.db, { email: `fan${i}@example.org` });
        const actor = await actorOf(app.db, u.id);
        for (const code of codes) await starSession(app.db, actor, eventId, ids[code]!);
      }
    });
    after(() => app?.close());

    /** The Session → Interested cells of the back-office list, in row order. */
    const interestedColumn = (html: string) =>
      [...html.matchAll(/<tr>[\s\S]*?<th scope="row"><a [^>]*>([^<]*)<\/a>[\s\S]*?<td class="num">(\d+)<\/td>[\s\S]*?<\/tr>/g)].map((m) => `${m[1]}: ${m[2]}`);

    test('organizers see "N interested" per session in the list (sortable) and on the session page', async () => {
      const list = await as(organizer).get(`/manage/events/${eventId}/sessions`);
      assert.equal(list.status, 200);
      assert.deepEqual(interestedColumn(await list.text()), ['Welcome: 0', 'The Keynote: 2', 'Coffee break: 0', 'eBPF for Humans: 3', 'Day Two Opener: 1']);
      const sorted = await (await as(organizer).get(`/manage/events/${eventId}/sessions?sort=interest`)).text();
      assert.deepEqual(interestedColumn(sorted).slice(0, 3), ['eBPF for Humans: 3', 'The Keynote: 2', 'Day Two Opener: 1']);
      const page = mainText(await (await as(organizer).get(`/manage/events/${eventId}/sessions/${ids.ebpf}`)).text());
      assert.match(page, /Code ebpf · 3 interested/);
      const overview = mainText(await (await as(organizer).get(`/manage/events/${eventId}`)).text());
      assert.match(overview, /Expected audience .* eBPF for Humans 3 interested The Keynote 2 interested Day Two Opener 1 interested/);
    });

    test("track managers see the counts of their tracks' sessions only, and cannot change the setting", async () => {
      const html = await (await as(manager).get(`/manage/events/${eventId}/sessions`)).text();
      assert.deepEqual(interestedColumn(html), ['The Keynote: 2', 'Day Two Opener: 1']);
      const overview = await (await as(manager).get(`/manage/events/${eventId}`)).text();
      assert.match(mainText(overview), /Only the team sees these counts\./);
      assert.ok(!overview.includes('interest-counts"'), 'no setting form for a track manager');
      const refused = await as(manager).submit(`/manage/events/${eventId}`, `/manage/events/${eventId}/interest-counts`, { show: 'on' });
      assert.equal(refused.status, 403);
      assert.equal((await app.get(`${EV}/interest.json`)).status, 404);
    });

    test('hidden publicly until an organizer enables it (form with CSRF); then interest.json and empty slots on cached pages', async () => {
      const hidden = await app.get(`${EV}/interest.json`);
      assert.equal(hidden.status, 404);
      assert.equal(hidden.headers.get('cache-control'), 'no-store');
      assert.equal(((await hidden.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
      for (const path of [`${EV}/sessions/ebpf`, `${EV}/schedule`]) {
        const html = await (await app.get(path)).text();
        assert.ok(!html.includes('data-interest'), `${path}: no slot while hidden`);
        assert.ok(!html.includes('interest.js'), `${path}: no script while hidden`);
      }

      const noToken = await as(organizer).post(`/manage/events/${eventId}/interest-counts`, { show: 'on' });
      assert.equal(noToken.status, 403, 'a POST without the CSRF token is refused');
      const before = await version();
      const ok = await as(organizer).submit(`/manage/events/${eventId}`, `/manage/events/${eventId}/interest-counts`, { show: 'on' });
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.get('location'), `/manage/events/${eventId}`);
      assert.equal(await version(), before + 1, 'the setting changes the public pages: the version moves');
      assert.match(await (await as(organizer).get(`/manage/events/${eventId}`)).text(), /name="show" type="checkbox" value="on" checked/);

      const shown = await app.get(`${EV}/interest.json`);
      assert.equal(shown.status, 200);
      assert.equal(shown.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await shown.json(), { counts: { keynote: 2, ebpf: 3, day2: 1 } });
      const session = await (await app.get(`${EV}/sessions/ebpf`)).text();
      assert.match(session, /<span class="interest" data-interest="ebpf" data-event="testconf-2027" hidden><\/span>/);
      assert.match(session, /src="\/assets\/interest\.js"/);
      assert.ok(!/\d+ interested/.test(session), 'the number itself is never in the cached page');
      const schedule = await (await app.get(`${EV}/schedule`)).text();
      assert.match(schedule, /data-interest="keynote"/);
      assert.equal((await app.get('/assets/interest.js')).status, 200);

      // A new star changes the JSON at once, not the cached pages' version.
      const v = await version();
      const late = await createTestUser(app.db, { email: 'late@example.org' });
      await as(late).submit(`${EV}/sessions/day2/star`, `${EV}/sessions/day2/star`, {});
      assert.equal(await version(), v, 'stars never bump the version');
      assert.deepEqual(await (await app.get(`${EV}/interest.json`)).json(), { counts: { keynote: 2, ebpf: 3, day2: 2 } });

      // Unticking hides them again.
      assert.equal((await as(organizer).submit(`/manage/events/${eventId}`, `/manage/events/${eventId}/interest-counts`, {})).status, 303);
      assert.equal((await app.get(`${EV}/interest.json`)).status, 404);
      assert.ok(!(await (await app.get(`${EV}/sessions/ebpf`)).text()).includes('data-interest'));
    });
  });
}
