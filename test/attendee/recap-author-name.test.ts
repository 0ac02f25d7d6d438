import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveNote } from '../../src/modules/agenda/note.actions.js';
import { createRecapDraft, publishRecap } from '../../src/modules/agenda/recap.actions.js';
import { actorOf } from '../agenda/support.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { moduleContext } from '../support/module-context.js';

/**
 * Recap pages and the recap feed are cached per event version and show the author's display
 * name: changing the name refreshes exactly the events where the person has published recaps
 * (and the session pages listing them); another event, even with their unpublished draft, keeps
 * its ETag, and saving the same name again bumps nothing.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const EV = '/events/testconf-2027';
const OTHER = '/events/otherconf-2027';
const PAGES = [`${EV}/recaps`, `${EV}/recaps/ann-at-testconf`, `${EV}/recaps.atom`, `${EV}/sessions/keynote`];

for (const database of testDatabases) {
  describe(`a display-name change and cached recap pages on ${database.name}`, () => {
    let app: RunningApp;
    let ann: TestUser;

    before(async () => {
      app = await startTestApp({ database, docs: [buildEventDoc(), buildEventDoc({ slug: 'otherconf-2027', event: { title: 'OtherConf 2027' } })] });
      ann = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann Attendee' });
      const actor = await actorOf(app.db, ann.id);
      const recapOn = async (slug: string) => {
        const event = await app.db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
        const keynote = await app.db
          .selectFrom('sessions')
          .select('id')
          .where('event_id', '=', event.id)
          .where('code', '=', 'keynote')
          .executeTakeFirstOrThrow();
        await saveNote(app.db, actor, event.id, keynote.id, { body: 'Fast feedback loops.', qa: '' });
        return createRecapDraft(moduleContext(app.db), actor, event.id);
      };
      await publishRecap(moduleContext(app.db), actor, (await recapOn('testconf-2027')).id, { slug: 'ann-at-testconf' });
      await recapOn('otherconf-2027');
    });
    after(async () => app?.close());

    test('the recap pages, the feed and the session page show the new name; the other event keeps its ETag', async () => {
      for (const path of PAGES) assert.match(await (await app.get(path)).text(), /Ann Attendee/, path);
      const other = await app.get(`${OTHER}/schedule`);
      const otherTag = other.headers.get('etag')!;
      assert.ok(otherTag);

      const rename = (displayName: string) => WebClient.signedIn(app.url, ann.sessionCookie).submit('/account', '/account/profile', { displayName });
      assert.equal((await rename('Ann Renamed')).status, 303);

      for (const path of PAGES) {
        const body = await (await app.get(path)).text();
        assert.match(body, /Ann Renamed/, path);
        assert.doesNotMatch(body, /Ann Attendee/, path);
      }
      const again = await app.get(`${OTHER}/schedule`, { headers: { 'if-none-match': otherTag } });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('etag'), otherTag);

      const recapTag = (await app.get(PAGES[1]!)).headers.get('etag')!;
      assert.equal((await rename('Ann Renamed')).status, 303);
      assert.equal((await app.get(PAGES[1]!, { headers: { 'if-none-match': recapTag } })).status, 304, 'the same name again bumps nothing');
    });
  });
}
