import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, type TokenHolder } from '../api-manage/support.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { M, ME, people, publishedMeetup, useRegistrationApi } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`attendee API: RSVPs on ${database.name}`, () => {
    const env = useRegistrationApi(database);
    const rsvpOf = (who: TokenHolder, slug: string, json: unknown = { attending: true }) =>
      env.api.put(`${ME}/events/${slug}/rsvp`, { token: who.token, json });
    const rsvpRows = (eventId: number) =>
      env.db.selectFrom('rsvps').select(['id', 'user_id', 'status', 'guests', 'waitlist_seq']).where('event_id', '=', eventId).orderBy('id').execute();

    test('seats fill, then the waitlist with positions; a cancellation promotes the first in line, who then reads going', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'flow', { capacity: 2 });
      const [a, b, c, d] = await people(env.db, 4);
      const answers = [];
      for (const p of [a!, b!, c!, d!]) answers.push((await rsvpOf(p, ev.slug)).body);
      assert.deepEqual(
        answers.map((r) => [r.data.status, r.data.waitlistPosition, r.changed]),
        [
          ['going', null, true],
          ['going', null, true],
          ['waitlisted', 1, true],
          ['waitlisted', 2, true],
        ],
      );

      const again = await rsvpOf(a!, ev.slug, { attending: 'yes' });
      assert.equal(again.status, 200);
      assert.deepEqual([again.body.data.id, again.body.data.status, again.body.changed], [answers[0].data.id, 'going', false]);
      assert.equal((await rsvpRows(ev.id)).length, 4, 'still one RSVP per person');

      const cancelled = await env.api.delete(`${ME}/events/${ev.slug}/rsvp`, { token: a!.token });
      assert.deepEqual([cancelled.status, cancelled.body.data.status, cancelled.body.changed], [200, 'cancelled', true]);

      const promoted = await env.api.get(`${ME}/events/${ev.slug}/rsvp`, { token: c!.token });
      assert.deepEqual([promoted.body.data.status, promoted.body.data.waitlistPosition], ['going', null]);
      const stillWaiting = await env.api.get(`${ME}/rsvps`, { token: d!.token });
      assert.deepEqual(
        stillWaiting.body.data.map((r: any) => [r.event.slug, r.status, r.waitlistPosition]),
        [[ev.slug, 'waitlisted', 1]],
      );
      const mine = await env.api.get(`${ME}/rsvps`, { token: a!.token });
      assert.deepEqual(
        mine.body.data.map((r: any) => [r.event.slug, r.status]),
        [[ev.slug, 'cancelled']],
      );
    });

    test('changing guests and answers updates the one RSVP; attending false cancels it', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'change', { capacity: 10 });
      const patched = await env.api.patch(`${M}/events/${ev.id}/registration`, {
        token: env.owner.token,
        json: { guestLimit: 2, questions: [{ id: 'diet', label: 'Diet', kind: 'choice', required: true, options: ['vegan', 'any'] }] },
      });
      assert.equal(patched.status, 200, patched.text);
      const [p] = await people(env.db, 1);
      const missing = await rsvpOf(p!, ev.slug, { attending: true });
      assertError(missing, 422, 'VALIDATION_FAILED');
      assert.deepEqual(missing.body.error.problems, [{ path: 'answers.diet', message: 'is required' }]);
      const first = await rsvpOf(p!, ev.slug, { attending: true, answers: { diet: 'any' } });
      const changed = await rsvpOf(p!, ev.slug, { attending: true, guests: 2, answers: { diet: 'vegan' } });
      assert.deepEqual(
        [changed.body.data.id, changed.body.data.guests, changed.body.data.answers, changed.body.changed],
        [first.body.data.id, 2, { diet: 'vegan' }, true],
      );
      const no = await rsvpOf(p!, ev.slug, { attending: false });
      assert.deepEqual([no.body.data.status, no.body.changed], ['cancelled', true]);
    });

    test('guests above the limit are refused naming guests, and nothing is written', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'guests', { capacity: 10 });
      await env.api.patch(`${M}/events/${ev.id}/registration`, { token: env.owner.token, json: { guestLimit: 1 } });
      const [p] = await people(env.db, 1);
      const before = await rsvpRows(ev.id);
      const res = await rsvpOf(p!, ev.slug, { attending: true, guests: 3 });
      assertError(res, 422, 'RSVP_GUESTS_ABOVE_LIMIT');
      assert.deepEqual(res.body.error.problems, [{ path: 'guests', message: 'must be at most 1' }]);
      const notANumber = await rsvpOf(p!, ev.slug, { attending: true, guests: 'many' });
      assertError(notANumber, 422, 'VALIDATION_FAILED');
      assert.equal(notANumber.body.error.problems[0].path, 'guests');
      const unknownField = await rsvpOf(p!, ev.slug, { attending: true, seats: 2 });
      assertError(unknownField, 422, 'VALIDATION_FAILED');
      assert.deepEqual(await rsvpRows(ev.id), before);
    });

    test('RSVPs to a closed, past, unknown or draft event are refused', async () => {
      const closed = await publishedMeetup(env.api, env.owner, 'closed', { capacity: 10 });
      assert.equal((await env.api.post(`${M}/events/${closed.id}/registration/close`, { token: env.owner.token })).status, 200);
      const past = await publishedMeetup(env.api, env.owner, 'past', { dates: ['2025-06-01', '2025-06-01'] });
      const draftId = (
        await env.api.post(`${M}/events`, {
          token: env.owner.token,
          json: {
            communityId: closed.communityId,
            slug: 'draft',
            kind: 'meetup',
            title: 'Draft',
            timeZone: 'UTC',
            startDate: '2027-01-01',
            endDate: '2027-01-01',
          },
        })
      ).body.data.id;
      assert.ok(draftId);
      const [p] = await people(env.db, 1);
      assertError(await rsvpOf(p!, closed.slug), 409, 'RSVP_CLOSED');
      assertError(await rsvpOf(p!, past.slug), 409, 'EVENT_PAST');
      assertError(await rsvpOf(p!, 'no-such-event'), 404, 'EVENT_NOT_FOUND');
      assertError(await rsvpOf(p!, 'draft'), 404, 'EVENT_NOT_FOUND');
      assertError(await env.api.get(`${ME}/events/${closed.slug}/rsvp`, { token: p!.token }), 404, 'RSVP_NOT_FOUND');
      assert.equal(await env.db.selectFrom('rsvps').select('id').where('user_id', '=', p!.userId).executeTakeFirst(), undefined);
    });

    test('an RSVP that does not say yes or no is refused naming `attending`, and nothing is written (issue 11 item 10a)', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'unsaid');
      const [p] = await people(env.db, 1);
      for (const json of [{}, { attending: null }, { guests: 0 }, { attending: 'maybe' }]) {
        const res = await rsvpOf(p!, ev.slug, json);
        assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(json)}: ${res.status} ${res.text}`);
        assert.ok(
          res.body.error.problems.some((x: { path: string }) => /(^|\.)attending$/.test(x.path)),
          `${JSON.stringify(json)} names the field: ${res.text}`,
        );
      }
      assert.deepEqual(await rsvpRows(ev.id), []);
    });

    test('my ticket: a token the door accepts when going, TICKET_NOT_FOUND while waitlisted', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'ticket', { capacity: 1 });
      const [going, waiting] = await people(env.db, 2);
      await rsvpOf(going!, ev.slug);
      await rsvpOf(waiting!, ev.slug);
      const ticket = await env.api.get(`${ME}/events/${ev.slug}/ticket`, { token: going!.token });
      assert.equal(ticket.status, 200, ticket.text);
      assert.match(ticket.body.data.token, /^t\.\d+\.\d+\./);
      assert.equal(ticket.body.data.url, `${env.app.hallway.ctx.config.baseUrl}/events/ticket/ticket`);
      const scan = await env.api.post(`${M}/events/${ev.id}/checkins`, { token: env.owner.token, json: { ticket: ticket.body.data.token } });
      assert.equal(scan.status, 200, scan.text);
      assert.equal(scan.body.data.rsvpId, ticket.body.data.rsvp.id);
      assertError(await env.api.get(`${ME}/events/${ev.slug}/ticket`, { token: waiting!.token }), 404, 'TICKET_NOT_FOUND');
    });

    test('the public registration state shows seats and waitlist, and no e-mail address', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'public', { capacity: 1 });
      const [a, b] = await people(env.db, 2);
      await rsvpOf(a!, ev.slug);
      await rsvpOf(b!, ev.slug, { attending: true, answers: {} });
      const res = await env.app.get(`/api/v1/events/${ev.slug}/registration`);
      const text = await res.text();
      assert.equal(res.status, 200, text);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const data = JSON.parse(text).data;
      assert.deepEqual(
        { status: data.status, capacity: data.capacity, seatsLeft: data.seatsLeft, waitlisted: data.waitlisted, guestLimit: data.guestLimit },
        { status: 'open', capacity: 1, seatsLeft: 0, waitlisted: 1, guestLimit: 0 },
      );
      assert.equal(data.closesAt, '2027-04-14T22:00:00Z', 'closes when the event starts (midnight in Amsterdam)');
      assert.ok(!text.includes('@'), text);
      assert.ok(!text.includes(a!.email) && !text.includes(b!.email));
      assert.equal((await env.app.get('/api/v1/events/no-such/registration')).status, 404);
    });
  });
}
