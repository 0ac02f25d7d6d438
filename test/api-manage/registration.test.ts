import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { M, ME, people, publishedMeetup, useRegistrationApi } from '../api-me/support.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { assertError, type TokenHolder } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`organizer API: registration on ${database.name}`, () => {
    const env = useRegistrationApi(database);
    const yes = (p: TokenHolder, slug: string, json: object = {}) =>
      env.api.put(`${ME}/events/${slug}/rsvp`, { token: p.token, json: { attending: true, ...json } });
    const footprint = async (eventId: number) => ({
      rsvps: await env.db.selectFrom('rsvps').select(['id', 'status', 'waitlist_seq', 'checked_in_at']).where('event_id', '=', eventId).orderBy('id').execute(),
      settings: await env.db.selectFrom('registration_settings').selectAll().where('event_id', '=', eventId).execute(),
    });

    test('settings: read, change, and a bad field is named with nothing changed', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'settings', { capacity: 20 });
      const changed = await env.api.patch(`${M}/events/${ev.id}/registration`, {
        token: env.owner.token,
        json: {
          guestLimit: 2,
          opensAt: '2027-03-01T09:00:00+01:00',
          questions: [{ id: 'tshirt', label: 'T-shirt size', kind: 'choice', options: ['S', 'M'] }],
          reminderHours: [2, 24],
        },
      });
      assert.equal(changed.status, 200, changed.text);
      const got = (await env.api.get(`${M}/events/${ev.id}/registration`, { token: env.owner.token })).body.data;
      assert.deepEqual(
        [got.status, got.capacity, got.guestLimit, got.opensAt, got.closesAt, got.reminderHours, got.questions],
        [
          'not_yet_open',
          20,
          2,
          '2027-03-01T08:00:00Z',
          null,
          [24, 2],
          [{ id: 'tshirt', label: 'T-shirt size', kind: 'choice', required: false, options: ['S', 'M'] }],
        ],
      );
      const before = await footprint(ev.id);
      const bad = await env.api.patch(`${M}/events/${ev.id}/registration`, {
        token: env.owner.token,
        json: { guestLimit: 1, closesAt: '2027-02-01T00:00:00Z' },
      });
      assertError(bad, 422, 'VALIDATION_FAILED');
      assert.deepEqual(bad.body.error.problems, [{ path: 'closesAt', message: 'must be after opensAt' }]);
      const worse = await env.api.patch(`${M}/events/${ev.id}/registration`, { token: env.owner.token, json: { guestLimit: 99, capacity: 3 } });
      assertError(worse, 422, 'VALIDATION_FAILED');
      assert.deepEqual(worse.body.error.problems.map((p: { path: string }) => p.path).sort(), ['(document)', 'guestLimit'].sort());
      assert.deepEqual(await footprint(ev.id), before);
    });

    test('lowering capacity below the confirmed seats needs the confirmation the refusal names', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'lower', { capacity: 3 });
      const ps = await people(env.db, 4);
      for (const p of ps) await yes(p, ev.slug);
      const before = await footprint(ev.id);
      const refused = await env.api.put(`${M}/events/${ev.id}/registration/capacity`, { token: env.owner.token, json: { capacity: 1 } });
      assertError(refused, 409, 'RSVP_CAPACITY_BELOW_CONFIRMED');
      assert.match(refused.body.error.message, /would move 2 RSVPs .* to the head of the waitlist\. Confirm with confirmMoveToWaitlist: 2/);
      assert.equal(refused.body.error.problems.length, 2);
      assertError(
        await env.api.put(`${M}/events/${ev.id}/registration/capacity`, { token: env.owner.token, json: { capacity: 1, confirmMoveToWaitlist: 1 } }),
        409,
        'RSVP_CAPACITY_BELOW_CONFIRMED',
      );
      assert.deepEqual(await footprint(ev.id), before, 'nothing changed');

      const done = await env.api.put(`${M}/events/${ev.id}/registration/capacity`, { token: env.owner.token, json: { capacity: 1, confirmMoveToWaitlist: 2 } });
      assert.equal(done.status, 200, done.text);
      assert.deepEqual([done.body.movedToWaitlist, done.body.promoted, done.body.data.capacity], [2, 0, 1]);
      const counts = await env.api.get(`${M}/events/${ev.id}/registration/counts`, { token: env.owner.token });
      assert.deepEqual(counts.body.data, {
        capacity: 1,
        going: 1,
        seatsTaken: 1,
        seatsFree: 0,
        waitlisted: 3,
        waitlistedSeats: 3,
        notGoing: 0,
        cancelled: 0,
        checkedIn: 0,
      });
      const raised = await env.api.put(`${M}/events/${ev.id}/registration/capacity`, { token: env.owner.token, json: { capacity: 2 } });
      assert.deepEqual([raised.body.promoted, raised.body.data.counts.going], [1, 2]);
    });

    test('attendee list with addresses, answers and positions, paged; moving people', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'list', { capacity: 1 });
      await env.api.patch(`${M}/events/${ev.id}/registration`, { token: env.owner.token, json: { questions: [{ id: 'diet', label: 'Diet' }] } });
      const [a, b, c] = await people(env.db, 3);
      await yes(a!, ev.slug, { answers: { diet: 'vegan' } });
      await yes(b!, ev.slug);
      await yes(c!, ev.slug);
      const list = await env.api.get(`${M}/events/${ev.id}/attendees`, { token: env.owner.token });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(
        list.body.data.map((r: any) => [r.email, r.status, r.waitlistPosition, r.answers]),
        [
          [a!.email, 'going', null, { diet: 'vegan' }],
          [b!.email, 'waitlisted', 1, {}],
          [c!.email, 'waitlisted', 2, {}],
        ],
      );
      const page = await env.api.get(`${M}/events/${ev.id}/attendees?status=waitlisted&limit=1&offset=1`, { token: env.owner.token });
      assert.deepEqual([page.body.total, page.body.limit, page.body.offset, page.body.data.map((r: any) => r.email)], [2, 1, 1, [c!.email]]);
      const badLimit = await env.api.get(`${M}/events/${ev.id}/attendees?limit=5000`, { token: env.owner.token });
      assertError(badLimit, 422, 'VALIDATION_FAILED');
      assert.equal(badLimit.body.error.problems[0].path, 'limit');

      const [bId, cId] = [list.body.data[1].rsvpId, list.body.data[2].rsvpId];
      assertError(await env.api.post(`${M}/events/${ev.id}/attendees/${cId}/move`, { token: env.owner.token, json: { to: 'going' } }), 409, 'RSVP_NO_SEATS');
      const badTo = await env.api.post(`${M}/events/${ev.id}/attendees/${cId}/move`, { token: env.owner.token, json: { to: 'elsewhere' } });
      assertError(badTo, 422, 'VALIDATION_FAILED');
      assert.equal(badTo.body.error.problems[0].path, 'to');
      const cancelA = await env.api.post(`${M}/events/${ev.id}/attendees/${list.body.data[0].rsvpId}/move`, {
        token: env.owner.token,
        json: { to: 'cancelled' },
      });
      assert.deepEqual([cancelA.status, cancelA.body.data.status, cancelA.body.promoted], [200, 'cancelled', 1]);
      assert.equal((await env.api.get(`${ME}/events/${ev.slug}/rsvp`, { token: b!.token })).body.data.status, 'going');
      assertError(
        await env.api.post(`${M}/events/${ev.id}/attendees/${bId}/move`, { token: env.owner.token, json: { to: 'going' } }),
        409,
        'RSVP_TRANSITION_INVALID',
      );
    });

    test('check-in: once, a second scan warns, other event, cancelled and forged tickets are refused; undo', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'door', { capacity: 10 });
      const other = await publishedMeetup(env.api, env.owner, 'door-other', { capacity: 10 });
      const [a, b] = await people(env.db, 2);
      await yes(a!, ev.slug);
      await yes(b!, ev.slug);
      await yes(a!, other.slug);
      const ticket = async (p: TokenHolder, slug: string) => (await env.api.get(`${ME}/events/${slug}/ticket`, { token: p.token })).body.data.token as string;
      const [ta, tb, tOther] = [await ticket(a!, ev.slug), await ticket(b!, ev.slug), await ticket(a!, other.slug)];
      const scan = (t: string) => env.api.post(`${M}/events/${ev.id}/checkins`, { token: env.owner.token, json: { ticket: t } });

      const first = await scan(ta);
      assert.equal(first.status, 200, first.text);
      assert.equal(
        first.body.data.name,
        (await env.db.selectFrom('users').select('display_name').where('id', '=', a!.userId).executeTakeFirstOrThrow()).display_name,
      );
      const second = await scan(ta);
      assertError(second, 409, 'TICKET_ALREADY_CHECKED_IN');
      assert.match(second.body.error.message, /was already checked in at/);
      assertError(await scan(tOther), 409, 'TICKET_OTHER_EVENT');
      assertError(await scan(`${ta.slice(0, -3)}xyz`), 400, 'TICKET_INVALID');
      const noTicket = await env.api.post(`${M}/events/${ev.id}/checkins`, { token: env.owner.token, json: {} });
      assertError(noTicket, 422, 'VALIDATION_FAILED');
      assert.equal(noTicket.body.error.problems[0].path, 'ticket');
      await env.api.delete(`${ME}/events/${ev.slug}/rsvp`, { token: b!.token });
      const cancelled = await scan(tb);
      assertError(cancelled, 409, 'TICKET_CANCELLED');

      const undo = await env.api.delete(`${M}/events/${ev.id}/attendees/${first.body.data.rsvpId}/checkin`, { token: env.owner.token });
      assert.equal(undo.status, 204);
      assert.equal((await scan(ta)).status, 200, 'checked in again after the undo');
      const counts = await env.api.get(`${M}/events/${ev.id}/registration/counts`, { token: env.owner.token });
      assert.deepEqual([counts.body.data.checkedIn, counts.body.data.going, counts.body.data.cancelled], [1, 1, 1]);
    });

    test('close and reopen; ticket types', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'close', { capacity: 10 });
      const closed = await env.api.post(`${M}/events/${ev.id}/registration/close`, { token: env.owner.token });
      assert.equal(closed.body.data.status, 'closed_early');
      const open = await env.api.post(`${M}/events/${ev.id}/registration/open`, { token: env.owner.token });
      assert.deepEqual([open.body.data.status, open.body.data.closedAt], ['open', null]);
      const type = await env.api.post(`${M}/events/${ev.id}/registration/ticket-types`, { token: env.owner.token, json: { name: 'Student', quota: 5 } });
      assert.deepEqual([type.status, type.body.data.name, type.body.data.quota], [201, 'Student', 5]);
      assertError(
        await env.api.post(`${M}/events/${ev.id}/registration/ticket-types`, { token: env.owner.token, json: { name: 'Student' } }),
        409,
        'NAME_TAKEN',
      );
      const pub = await (await env.app.get(`/api/v1/events/${ev.slug}/registration`)).json();
      assert.deepEqual(pub.data.ticketTypes, [{ id: type.body.data.id, name: 'Student', description: '', quota: 5, seatsLeft: 5 }]);
    });

    test('event series: create, list, read, generate twice (idempotent)', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'series-home', {});
      const body = {
        name: 'Monthly',
        slug: 'monthly',
        titlePattern: 'Meetup #{n}',
        timeZone: 'Europe/Berlin',
        frequency: 'monthly',
        weekday: 'tuesday',
        ordinal: 'second',
        startsOn: '2030-01-01',
        count: 3,
      };
      const bad = await env.api.post(`${M}/communities/${ev.communityId}/series`, { token: env.owner.token, json: { ...body, weekday: 'someday' } });
      assertError(bad, 422, 'VALIDATION_FAILED');
      assert.equal(bad.body.error.problems[0].path, 'weekday');
      const created = await env.api.post(`${M}/communities/${ev.communityId}/series`, { token: env.owner.token, json: body });
      assert.equal(created.status, 201, created.text);
      const id = created.body.data.id;
      assert.deepEqual(
        (await env.api.get(`${M}/communities/${ev.communityId}/series`, { token: env.owner.token })).body.data.map((s: any) => s.slug),
        ['monthly'],
      );
      const gen = await env.api.post(`${M}/series/${id}/generate`, { token: env.owner.token });
      assert.deepEqual(
        gen.body.data.created.map((c: any) => [c.date, c.title]),
        [
          ['2030-01-08', 'Meetup #1'],
          ['2030-02-12', 'Meetup #2'],
          ['2030-03-12', 'Meetup #3'],
        ],
      );
      const again = await env.api.post(`${M}/series/${id}/generate`, { token: env.owner.token });
      assert.deepEqual([again.body.data.created, again.body.data.alreadyGenerated.length], [[], 3]);
      const read = await env.api.get(`${M}/series/${id}`, { token: env.owner.token });
      assert.deepEqual(
        read.body.data.occurrences.map((o: any) => [o.date, o.published]),
        [
          ['2030-01-08', false],
          ['2030-02-12', false],
          ['2030-03-12', false],
        ],
      );
      const renamed = await env.api.patch(`${M}/series/${id}`, { token: env.owner.token, json: { name: 'Monthly meetup' } });
      assert.equal(renamed.body.data.name, 'Monthly meetup');
    });
  });
}
