import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createDb, type Db } from '../../src/db/database.js';
import { changeCapacity } from '../../src/modules/registration/registration.actions.js';
import { cancelRsvp, rsvp } from '../../src/modules/registration/rsvp.actions.js';
import { getRegistrationCounts } from '../../src/modules/registration/rsvp.queries.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { attendees, meetup, useRegistrationDb } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/**
 * Extra connections to the same database, as other server processes would have: PostgreSQL
 * pools, or more SQLite connections to the same file (busy_timeout 0, so a locked connection
 * fails at once and the action retries instead of blocking this one process's event loop).
 */
async function connections(env: { db: Db; config: { database: Parameters<typeof createDb>[0] } }, n: number): Promise<Db[]> {
  const out: Db[] = [];
  for (let i = 0; i < n; i++) {
    const db = createDb(env.config.database, { poolSize: 5 });
    if (env.config.database.kind === 'sqlite') await sql`PRAGMA busy_timeout = 0`.execute(db);
    out.push(db);
  }
  return out;
}

async function rows(db: Db, eventId: number) {
  return db.selectFrom('rsvps').select(['id', 'user_id', 'status', 'waitlist_seq', 'promoted_at']).where('event_id', '=', eventId).orderBy('id').execute();
}

for (const database of testDatabases) {
  describe(`concurrent RSVPs on ${database.name}`, () => {
    const env = useRegistrationDb(database);

    test('300 people RSVPing twice at once over 4 connections for 20 seats', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rush');
      await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 20 });
      const people = await attendees(env.db, 300, 'rush');
      if (env.config.database.kind === 'sqlite') await sql`PRAGMA busy_timeout = 0`.execute(env.db);
      const dbs = [env.db, ...(await connections(env, 3))];
      try {
        const attempts = [...people, ...people].map((p, i) => rsvp(dbs[i % dbs.length]!, env.ctx, p, eventId, { attending: true }));
        const results = await Promise.allSettled(attempts);
        const failures = results.filter((r) => r.status === 'rejected');
        assert.deepEqual(failures, []);
      } finally {
        await Promise.all(dbs.slice(1).map((d) => d.destroy()));
      }
      const all = await rows(env.db, eventId);
      assert.equal(all.length, 300, 'one RSVP per person');
      assert.equal(new Set(all.map((r) => r.user_id)).size, 300);
      const going = all.filter((r) => r.status === 'going');
      const waiting = all.filter((r) => r.status === 'waitlisted').sort((a, b) => a.waitlist_seq! - b.waitlist_seq!);
      assert.equal(going.length, 20, 'confirmed equals capacity exactly');
      assert.equal(waiting.length, 280);
      // Rows are inserted under the event lock, so ids are arrival order: the first 20 got the seats
      // and the waitlist is in arrival order.
      assert.deepEqual(
        going.map((r) => r.id),
        all.slice(0, 20).map((r) => r.id),
      );
      assert.deepEqual(
        waiting.map((r) => r.id),
        all.slice(20).map((r) => r.id),
      );
      assert.deepEqual(
        waiting.map((r) => r.waitlist_seq),
        Array.from({ length: 280 }, (_, i) => 21 + i),
        'contiguous arrival numbers',
      );
      const mails = await env.db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subject', 'like', '%rush conference')
        .executeTakeFirstOrThrow();
      assert.equal(Number(mails.n), 300, 'one mail per person');
    });

    test('cancellations, new RSVPs and a capacity raise at once keep confirmed ≤ capacity and promote each person once', async () => {
      const { organizer, eventId } = await meetup(env.db, 'churn');
      await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 30 });
      const people = await attendees(env.db, 150, 'churn');
      for (const p of people.slice(0, 100)) await rsvp(env.db, env.ctx, p, eventId, { attending: true });
      const dbs = [env.db, ...(await connections(env, 3))];
      try {
        const on = (i: number) => dbs[i % dbs.length]!;
        const work: Promise<unknown>[] = [
          ...people.slice(0, 25).map((p, i) => cancelRsvp(on(i), env.ctx, p, eventId)),
          ...people.slice(30, 40).map((p, i) => cancelRsvp(on(i + 1), env.ctx, p, eventId)),
          ...people.slice(100).map((p, i) => rsvp(on(i + 2), env.ctx, p, eventId, { attending: true })),
          changeCapacity(on(3), env.ctx, organizer, eventId, { capacity: 40 }),
        ];
        const results = await Promise.allSettled(work);
        assert.deepEqual(
          results.filter((r) => r.status === 'rejected'),
          [],
        );
      } finally {
        await Promise.all(dbs.slice(1).map((d) => d.destroy()));
      }
      const counts = await getRegistrationCounts(env.db, eventId);
      assert.equal(counts.capacity, 40);
      assert.equal(counts.seatsTaken, 40, 'every freed seat was filled (the waitlist is long enough)');
      assert.equal(counts.going + counts.waitlisted + counts.cancelled, 150);
      const all = await rows(env.db, eventId);
      const promotedMails = await env.db
        .selectFrom('mail_outbox')
        .select(['to_address', (eb) => eb.fn.countAll<number>().as('n')])
        .where('subject', 'like', 'A seat opened up%churn conference')
        .groupBy('to_address')
        .execute();
      assert.ok(
        promotedMails.every((m) => Number(m.n) === 1),
        'nobody promoted twice',
      );
      assert.equal(promotedMails.length, all.filter((r) => r.promoted_at !== null).length);
      // The waitlist still in arrival order and those promoted were ahead of those still waiting.
      const waiting = all.filter((r) => r.status === 'waitlisted');
      const promoted = all.filter((r) => r.promoted_at !== null && r.status === 'going');
      assert.ok(
        promoted.every((p) => waiting.every((w) => p.id < w.id || w.id > 100)),
        'promotion follows arrival order',
      );
    });
  });
}
