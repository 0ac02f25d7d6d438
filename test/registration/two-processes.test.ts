import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { createDb, type Db } from '../../src/db/database.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { freePort, runHallway, waitReady } from '../support/processes.js';
import { WebClient, csrfTokenIn } from '../support/web-client.js';
import { createTestUser } from '../factories/users.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

/**
 * The seat guarantee lives in the database, not in a process: two Hallway server processes serve
 * the same event from one database, and 120 people post their RSVP at the same moment, half to
 * each process, for 25 seats. Exactly 25 are going, the others are waitlisted with positions
 * 1…95 without gaps or repeats, and everyone has exactly one RSVP.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const SEATS = 25;
const PEOPLE = 120;
const SLUG = 'twoproc-2027';

for (const database of testDatabases) {
  describe(`RSVPs through two server processes on one ${database.name} database`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const servers: ChildProcess[] = [];
    const bases: string[] = [];
    let eventId = 0;

    before(async () => {
      const created = await database.create({ migrated: true });
      drop = created.drop;
      db = createDb(created.config);
      await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc({ slug: SLUG, event: { capacity: SEATS } }));
      eventId = (await db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
      const url = created.config.kind === 'sqlite' ? `sqlite:${created.config.filename}` : created.config.url;
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        servers.push(runHallway(['serve'], { DATABASE_URL: url, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' }));
        bases.push(`http://127.0.0.1:${port}`);
      }
      await Promise.all(bases.map((base, i) => waitReady(base, servers[i])));
    });
    after(async () => {
      await Promise.all(servers.map((s) => new Promise((r) => (s.exitCode !== null ? r(null) : (s.once('exit', r), s.kill('SIGTERM'))))));
      await db?.destroy();
      await drop?.();
    });

    test(`${PEOPLE} simultaneous RSVPs for ${SEATS} seats: exactly ${SEATS} going, the rest waitlisted in one unbroken line`, async () => {
      const clients: Array<{ web: WebClient; token: string; userId: number }> = [];
      for (let i = 0; i < PEOPLE; i++) {
        const user = await createTestUser(db, { email: `p${i}@example.org` });
        const web = WebClient.signedIn(bases[i % 2]!, user.sessionCookie);
        const page = await web.get(`/events/${SLUG}/rsvp`);
        const token = csrfTokenIn(await page.text());
        assert.ok(token, 'the RSVP page has a form');
        clients.push({ web, token, userId: user.id });
      }
      const answers = await Promise.all(clients.map((c) => c.web.post(`/events/${SLUG}/rsvp`, { _csrf: c.token, attending: 'yes', guests: '0' })));
      assert.deepEqual([...new Set(answers.map((r) => r.status))], [303], 'every RSVP was accepted (going or waitlisted)');

      const rows = await db.selectFrom('rsvps').select(['user_id', 'status', 'waitlist_seq']).where('event_id', '=', eventId).execute();
      assert.equal(rows.length, PEOPLE, 'one RSVP per person');
      assert.equal(new Set(rows.map((r) => r.user_id)).size, PEOPLE, 'nobody twice');
      const going = rows.filter((r) => r.status === 'going');
      const waiting = rows.filter((r) => r.status === 'waitlisted');
      assert.equal(going.length, SEATS, 'exactly the seats there are');
      assert.equal(waiting.length, PEOPLE - SEATS);
      // Arrival numbers are handed out under the event's lock: unique, and the waitlisted ones come
      // after every seated one.
      const seqs = rows.map((r) => r.waitlist_seq).filter((s): s is number => s !== null);
      assert.equal(new Set(seqs).size, seqs.length, 'no arrival number twice');
      const maxGoing = Math.max(...going.map((r) => r.waitlist_seq ?? 0));
      assert.ok(
        waiting.every((r) => (r.waitlist_seq ?? 0) > maxGoing),
        'nobody waitlisted arrived before someone seated',
      );

      // Each person's page shows an unbroken line 1…95 of waitlist positions.
      const positions: number[] = [];
      for (const c of clients.filter((c) => waiting.some((w) => w.user_id === c.userId))) {
        const html = await (await c.web.get(`/events/${SLUG}/rsvp`)).text();
        const m = /on the waitlist[^<]*?number (\d+) in line/.exec(html);
        assert.ok(m, 'the waitlist position is shown');
        positions.push(Number(m[1]));
      }
      assert.deepEqual(
        positions.sort((a, b) => a - b),
        Array.from({ length: PEOPLE - SEATS }, (_, i) => i + 1),
      );
    });
  });
}
