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
 * A server process killed with SIGKILL in the middle of an RSVP rush: no confirmed RSVP is lost,
 * none is half written (an RSVP and its mail are one transaction), the seats stay exact, and the
 * waitlist stays one unbroken first-come line. The other process serves on; the killed one comes
 * back and the people whose answer was lost simply send again (RSVPs are idempotent).
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const SEATS = 20;
const PEOPLE = 80;
const SLUG = 'kill9-2027';

interface Person {
  web: WebClient;
  token: string;
  userId: number;
  email: string;
  server: number;
}

for (const database of testDatabases) {
  describe(`RSVPs while one of two server processes is killed (kill -9) on ${database.name}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let url = '';
    const servers: ChildProcess[] = [];
    const ports: number[] = [];
    let eventId = 0;

    const start = async (i: number) => {
      servers[i] = runHallway(['serve'], { DATABASE_URL: url, HOST: '127.0.0.1', PORT: String(ports[i]), LOG_LEVEL: 'warn' });
      await waitReady(`http://127.0.0.1:${ports[i]}`, servers[i]);
    };

    before(async () => {
      const created = await database.create({ migrated: true });
      drop = created.drop;
      db = createDb(created.config);
      await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc({ slug: SLUG, event: { capacity: SEATS } }));
      eventId = (await db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
      url = created.config.kind === 'sqlite' ? `sqlite:${created.config.filename}` : created.config.url;
      for (let i = 0; i < 2; i++) ports.push(await freePort());
      await Promise.all([start(0), start(1)]);
    });
    after(async () => {
      await Promise.all(
        servers.map((s) => new Promise((r) => (s.exitCode !== null || s.signalCode !== null ? r(null) : (s.once('exit', r), s.kill('SIGTERM'))))),
      );
      await db?.destroy();
      await drop?.();
    });

    const rsvp = (p: Person, attending: 'yes' | 'no') => p.web.post(`/events/${SLUG}/rsvp`, { _csrf: p.token, attending, guests: '0' });

    test(`${PEOPLE} people rush ${SEATS} seats, process 0 is killed mid-rush: nothing confirmed is lost, nothing half written, seats exact`, async (t) => {
      const people: Person[] = [];
      for (let i = 0; i < PEOPLE; i++) {
        const email = `k${i}@example.org`;
        const user = await createTestUser(db, { email });
        const server = i % 2;
        const web = WebClient.signedIn(`http://127.0.0.1:${ports[server]}`, user.sessionCookie);
        const token = csrfTokenIn(await (await web.get(`/events/${SLUG}/rsvp`)).text());
        assert.ok(token, 'the RSVP page has a form');
        people.push({ web, token, userId: user.id, email, server });
      }

      // Everyone at once; the first answer from process 0 gets it killed, with its other requests in flight.
      const victim = servers[0]!;
      let killed = false;
      const outcomes = await Promise.all(
        people.map(async (p) => {
          try {
            const res = await rsvp(p, 'yes');
            if (p.server === 0 && !killed) {
              killed = true;
              victim.kill('SIGKILL');
            }
            return res.status;
          } catch {
            return 'lost' as const; // the connection died with the process
          }
        }),
      );
      await new Promise((r) => (victim.exitCode !== null || victim.signalCode !== null ? r(null) : victim.once('exit', r)));
      assert.equal(victim.signalCode, 'SIGKILL');
      assert.ok(
        outcomes.every((o) => o === 303 || o === 'lost'),
        `only confirmations or lost connections: ${[...new Set(outcomes)].join(', ')}`,
      );
      assert.ok(
        outcomes.some((o) => o === 'lost'),
        'the kill did cut requests in flight',
      );
      assert.ok(
        people.every((p, i) => p.server === 0 || outcomes[i] === 303),
        'the other process answered everyone it was asked by',
      );

      const check = async () => {
        const rows = await db.selectFrom('rsvps').select(['user_id', 'status', 'waitlist_seq']).where('event_id', '=', eventId).execute();
        const byUser = new Map(rows.map((r) => [r.user_id, r]));
        assert.equal(byUser.size, rows.length, 'nobody has two RSVPs');
        const going = rows.filter((r) => r.status === 'going');
        assert.equal(going.length, Math.min(SEATS, rows.filter((r) => r.status !== 'cancelled').length), 'seats are filled exactly, never above capacity');
        const maxGoing = Math.max(...going.map((r) => r.waitlist_seq ?? 0));
        assert.ok(
          rows.filter((r) => r.status === 'waitlisted').every((r) => (r.waitlist_seq ?? 0) > maxGoing),
          'first come, first served',
        );
        // An RSVP and its mail are written together or not at all.
        const mails = await db.selectFrom('mail_outbox').select('to_address').where('to_address', 'like', 'k%@example.org').execute();
        for (const p of people) {
          const n = mails.filter((m) => m.to_address === p.email).length;
          assert.equal(n, byUser.has(p.userId) ? 1 : 0, `${p.email}: ${n} mails for ${byUser.has(p.userId) ? 'an' : 'no'} RSVP`);
        }
        return byUser;
      };
      const afterKill = await check();
      t.diagnostic(
        `${outcomes.filter((o) => o === 303).length} confirmed, ${outcomes.filter((o) => o === 'lost').length} lost with the process, ${afterKill.size} RSVPs stored after the kill`,
      );
      people.forEach((p, i) => outcomes[i] === 303 && assert.ok(afterKill.has(p.userId), `${p.email} was confirmed and kept`));

      // The killed process comes back; people whose answer was lost send again and are counted once.
      await start(0);
      const again = await Promise.all(people.map((p, i) => (outcomes[i] === 'lost' ? rsvp(p, 'yes').then((r) => r.status) : 303)));
      assert.deepEqual([...new Set(again)], [303]);
      const final = await check();
      assert.equal(final.size, PEOPLE, 'everyone has exactly one RSVP');
    });
  });
}
