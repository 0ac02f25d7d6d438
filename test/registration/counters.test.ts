import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Db } from '../../src/db/database.js';
import { changeCapacity, moveRsvp, updateRegistrationSettings } from '../../src/modules/registration/registration.actions.js';
import { cancelRsvp, rsvp } from '../../src/modules/registration/rsvp.actions.js';
import { getRegistrationCounts, getSeatCounts } from '../../src/modules/registration/rsvp.queries.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { attendees, meetup, useRegistrationDb } from './support.js';

/*
 * The seats-taken and waitlist counters every RSVP reads under the lock are kept by the database
 * (triggers on rsvps). Whatever changes the rows, through any action or around them, the counters
 * must equal a recount: a wrong counter would promise seats that do not exist, or refuse free ones.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

async function counters(db: Db, eventId: number) {
  const s = await db.selectFrom('registration_settings').select(['seats_taken', 'waitlisted']).where('event_id', '=', eventId).executeTakeFirstOrThrow();
  return { seatsTaken: Number(s.seats_taken), waitlisted: Number(s.waitlisted) };
}

async function recount(db: Db, eventId: number) {
  const rows = await db.selectFrom('rsvps').select(['status', 'guests']).where('event_id', '=', eventId).execute();
  return {
    seatsTaken: rows.filter((r) => r.status === 'going').reduce((n, r) => n + 1 + r.guests, 0),
    waitlisted: rows.filter((r) => r.status === 'waitlisted').length,
  };
}

for (const database of testDatabases) {
  describe(`registration counters on ${database.name}`, () => {
    const env = useRegistrationDb(database);

    test('equal a recount after RSVPs with guests, cancellations, moves and a capacity cut', async () => {
      const { organizer, eventId } = await meetup(env.db, 'counted');
      await updateRegistrationSettings(env.db, env.ctx, organizer, eventId, { guestLimit: 2 });
      await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 10 });
      const people = await attendees(env.db, 12, 'counted');
      for (const [i, p] of people.entries()) await rsvp(env.db, env.ctx, p, eventId, { attending: true, guests: i % 3 });
      assert.deepEqual(await counters(env.db, eventId), await recount(env.db, eventId));
      const before = await counters(env.db, eventId);
      assert.ok(before.seatsTaken > 0 && before.seatsTaken <= 10 && before.waitlisted > 0, `a full event with a line: ${JSON.stringify(before)}`);

      // Guests changed, a no, cancellations (which promote), a manual move, then fewer seats.
      await rsvp(env.db, env.ctx, people[1]!, eventId, { attending: true, guests: 0 });
      await rsvp(env.db, env.ctx, people[11]!, eventId, { attending: false });
      await cancelRsvp(env.db, env.ctx, people[0]!, eventId);
      await cancelRsvp(env.db, env.ctx, people[2]!, eventId);
      const someone = await env.db.selectFrom('rsvps').select('id').where('event_id', '=', eventId).where('status', '=', 'going').executeTakeFirstOrThrow();
      await moveRsvp(env.db, env.ctx, organizer, eventId, { rsvpId: someone.id, to: 'waitlisted' });
      assert.deepEqual(await counters(env.db, eventId), await recount(env.db, eventId));
      const going = (await recount(env.db, eventId)).seatsTaken;
      // The refusal names how many move; repeating that number confirms.
      const refusal = await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 3 }).then(
        () => assert.fail('lowering below the confirmed seats needs a confirmation'),
        (err: Error) => err.message,
      );
      await changeCapacity(env.db, env.ctx, organizer, eventId, {
        capacity: 3,
        confirmMoveToWaitlist: Number(/confirmMoveToWaitlist: (\d+)/.exec(refusal)?.[1]),
      });
      const after = await counters(env.db, eventId);
      assert.deepEqual(after, await recount(env.db, eventId));
      assert.ok(after.seatsTaken <= 3 && after.seatsTaken < going, `seats cut to 3: ${JSON.stringify(after)}`);
      // What the public pages show (from the counters) equals the organizers' full recount.
      const full = await getRegistrationCounts(env.db, eventId);
      assert.deepEqual(await getSeatCounts(env.db, eventId), {
        capacity: 3,
        seatsTaken: full.seatsTaken,
        seatsFree: full.seatsFree,
        waitlisted: full.waitlisted,
      });
    });

    test('before the first RSVP the public seat counts are the event capacity, nothing taken', async () => {
      const { eventId } = await meetup(env.db, 'untouched');
      await env.db.updateTable('events').set({ capacity: 40 }).where('id', '=', eventId).execute();
      assert.deepEqual(await getSeatCounts(env.db, eventId), { capacity: 40, seatsTaken: 0, seatsFree: 40, waitlisted: 0 });
    });

    test('follow rows removed around the actions (an account deleted by cascade)', async () => {
      const { organizer, eventId } = await meetup(env.db, 'cascade');
      await updateRegistrationSettings(env.db, env.ctx, organizer, eventId, { guestLimit: 2 });
      await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 4 });
      const [a, b, c] = await attendees(env.db, 3, 'cascade');
      await rsvp(env.db, env.ctx, a!, eventId, { attending: true, guests: 2 });
      await rsvp(env.db, env.ctx, b!, eventId, { attending: true, guests: 1 });
      await rsvp(env.db, env.ctx, c!, eventId, { attending: true });
      const before = await counters(env.db, eventId);
      assert.deepEqual(before, await recount(env.db, eventId));
      await env.db.deleteFrom('users').where('id', '=', a!.userId).execute();
      const after = await counters(env.db, eventId);
      assert.deepEqual(after, await recount(env.db, eventId));
      assert.equal(after.seatsTaken, before.seatsTaken - 3, 'the deleted party of three no longer holds seats');
      // The next change under the lock sees the freed seats: b's party of two gets in.
      await cancelRsvp(env.db, env.ctx, c!, eventId);
      const bRow = await env.db.selectFrom('rsvps').select('status').where('event_id', '=', eventId).where('user_id', '=', b!.userId).executeTakeFirstOrThrow();
      assert.equal(bRow.status, 'going');
      assert.deepEqual(await counters(env.db, eventId), await recount(env.db, eventId));
    });
  });
}
