import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb, type Db } from '../../src/db/database.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { testDatabases } from '../support/databases.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';
import { startServers, type RunningServers } from '../support/processes.js';
import { releaseProgramme } from '../support/releases.js';
import { SseStream } from '../support/sse.js';
import { WebClient } from '../support/web-client.js';

/*
 * Live updates across processes: two `hallway serve` processes share one database (a SQLite file,
 * or one PostgreSQL), and the test process, a third, releases. Every open stream on both servers
 * hears the release; an organizer's change posted to one server reaches the editor open on the
 * other (the schedule editor's "two organizers see each other's moves").
 */

const SLUG = 'procs-2027';

for (const database of testDatabases) {
  describe(`live updates across two server processes on one ${database.name} database`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let servers: RunningServers;
    let eventId = 0;
    let cookie = '';
    const streams: SseStream[] = [];

    before(async () => {
      const created = await database.create({ migrated: true });
      drop = created.drop;
      db = createDb(created.config);
      await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc({ slug: SLUG }));
      const event = await db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', SLUG).executeTakeFirstOrThrow();
      eventId = event.id;
      cookie = (
        await createTestUser(db, { email: 'org@example.org', grants: [{ scope: 'community', scopeId: event.community_id, role: 'owner', trackIds: [] }] })
      ).sessionCookie;
      const url = created.config.kind === 'sqlite' ? `sqlite:${created.config.filename}` : created.config.url;
      servers = await startServers(url, 2);
    });
    after(async () => {
      for (const s of streams) s.close();
      await servers?.stop();
      await db?.destroy();
      await drop?.();
    });

    test('a release made by another process reaches the open streams of both servers', async () => {
      const open = await Promise.all(servers.bases.map((base) => SseStream.open(`${base}/events/${SLUG}/live`)));
      streams.push(...open);
      await Promise.all(open.map((s) => s.following()));
      const released = await releaseProgramme(db, eventId, { name: 'Across', changes: 2 });
      for (const s of open) assert.deepEqual((await s.nextEvent('release')).data, { number: released.number, name: 'Across', changes: 2 });
    });

    test("an organizer's change posted to one server reaches the editor open on the other", async () => {
      const editors = await Promise.all(
        servers.bases.map((base) => SseStream.open(`${base}/manage/events/${eventId}/live`, { cookie: `hallway_session=${cookie}` })),
      );
      streams.push(...editors);
      await Promise.all(editors.map((s) => s.following()));
      const web = WebClient.signedIn(servers.bases[0]!, cookie);
      const posted = await web.submit(`/manage/events/${eventId}/rooms`, `/manage/events/${eventId}/rooms`, { name: 'Room From A' });
      assert.equal(posted.status, 303, await posted.text());
      const { version } = await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow();
      for (const s of editors) assert.deepEqual((await s.nextEvent('draft')).data, { version });
    });
  });
}
