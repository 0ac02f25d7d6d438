import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.js';
import { ManageClient, tokenFor, type TokenHolder } from '../api-manage/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { STUB_ENGINE } from './stub-engine.js';
import { addVotes, buildProposeFixture, draftFingerprint, type ProposeFixture } from './support.js';

/*
 * "Propose a programme" without JavaScript (issue 14): the form lists precisely what cannot be
 * satisfied and writes nothing; the run's page reloads itself while it runs (a refresh inside
 * <noscript>), stops on a button keeping the best, shows the proposal and is accepted or discarded
 * with forms; the editor pins with a form. The optimizer stands in (it proposes the draft as it
 * is until stopped), so the run's life is under the test's control. SQLite and PostgreSQL.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`Propose a programme without JavaScript on ${database.name}`, () => {
    let app: RunningApp;
    let owner: TokenHolder;
    let f: ProposeFixture;
    let web: WebClient;
    const page = () => `/manage/events/${f.E}/schedule/propose`;

    before(async () => {
      app = await startTestApp({ database, clock: fixedClock('2027-03-01T12:00:00Z'), optimizer: { engine: STUB_ENGINE } });
      owner = await tokenFor(app.db, 'Owner', { mayCreateCommunities: true });
      f = await buildProposeFixture(new ManageClient(app), app.db, owner, 'opt-web-2027');
      await addVotes(app.db, f.E, [[f.ids.one!, f.ids.two!]]);
      web = WebClient.signedIn(app.url, owner.sessionCookie);
    });
    after(async () => app?.close());

    test('the editor links to the form; a bad input is answered on the form, naming the field, with nothing written', async () => {
      const editor = await (await web.get(`/manage/events/${f.E}/schedule`)).text();
      assert.match(editor, new RegExp(`href="${page()}"[^>]*>\\s*Propose a programme`));
      const form = await web.get(page());
      assert.equal(form.status, 200);
      const html = await form.text();
      assert.match(html, /name="days" value="2027-04-15" checked/);
      assert.match(html, new RegExp(`name="track.${f.ids.T1}"`));
      const before = await draftFingerprint(app.db, f.E);
      const r = await web.submit(page(), page(), { grainMinutes: '7' });
      assert.equal(r.status, 422);
      assert.match(await r.text(), /must be 5, 10, 15 or 30/);
      assert.equal(await draftFingerprint(app.db, f.E), before);
    });

    test('a run page reloads itself while running, stops on a button, and its proposal is discarded', async () => {
      const start = await web.submit(page(), page(), {
        days: ['2027-04-15', '2027-04-16'],
        roomIds: [String(f.ids.hall), String(f.ids.side)],
        timeLimitSeconds: '30',
      });
      assert.equal(start.status, 303);
      const runPath = start.headers.get('location')!;
      assert.match(runPath, new RegExp(`^${page()}/\\d+$`));
      const running = await (await web.get(runPath)).text();
      assert.match(running, /<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
      assert.match(running, /Starting…|Working/);
      const options = JSON.parse((await app.db.selectFrom('optimizer_runs').select('options').orderBy('id', 'desc').executeTakeFirstOrThrow()).options);
      assert.deepEqual(options.roomIds, [f.ids.hall, f.ids.side], 'the form’s rooms, remembered for next time');
      const again = await (await web.get(page())).text();
      assert.match(again, new RegExp(`name="roomIds" value="${f.ids.hall}" checked`));
      assert.doesNotMatch(again, new RegExp(`name="roomIds" value="${f.ids.lab}" checked`));
      const stopped = await web.submit(runPath, `${runPath}/stop`, {});
      assert.equal(stopped.status, 303);
      const done = await (await web.get(runPath)).text();
      assert.doesNotMatch(done, /http-equiv="refresh"/);
      assert.match(done, /Accept into the draft/);
      assert.match(done, /Current draft/);
      const discarded = await web.submit(runPath, `${runPath}/discard`, {});
      assert.equal(discarded.status, 303);
      const row = await app.db.selectFrom('optimizer_runs').select('status').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(row.status, 'discarded');
      const refused = await web.submit(page(), `${runPath}/accept`, {});
      assert.equal(refused.status, 409);
      assert.match(await refused.text(), /is discarded: it cannot be accepted/);
    });

    test('pinning with the editor’s form', async () => {
      const editor = `/manage/events/${f.E}/schedule?day=2027-04-15`;
      const version = Number((await app.db.selectFrom('events').select('version').where('id', '=', f.E).executeTakeFirstOrThrow()).version);
      const r = await web.submit(editor, `/manage/events/${f.E}/schedule/moves`, {
        action: 'pin',
        sessionId: String(f.ids.one),
        baseVersion: String(version),
        day: '2027-04-15',
      });
      assert.equal(r.status, 303, await r.text());
      const s = await app.db.selectFrom('sessions').select('pinned').where('id', '=', f.ids.one!).executeTakeFirstOrThrow();
      assert.equal(s.pinned, 1);
      const html = await (await web.get(editor)).text();
      assert.match(html, /pinned: proposals leave it where it is/);
      assert.match(html, /aria-label="Unpin One/);
    });
  });
}
