import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError } from '../api-manage/support.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { releaseDraft } from '../support/module-context.js';
import { M, ME, people, publishedMeetup, useRegistrationApi } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`attendee API: sign-ups, communities, tokens on ${database.name}`, () => {
    const env = useRegistrationApi(database);

    /** A session of the event taking sign-ups with `seats`, at `start` (local) for 60 minutes; its code. */
    const signupSession = async (eventId: number, title: string, start: string, seats: number) => {
      const s = await env.api.post(`${M}/events/${eventId}/sessions`, {
        token: env.owner.token,
        json: { kind: 'workshop', title, start, durationMinutes: 60 },
      });
      assert.equal(s.status, 201, s.text);
      const on = await env.api.put(`${M}/events/${eventId}/sessions/${s.body.data.id}/signup`, {
        token: env.owner.token,
        json: { enabled: true, capacity: seats },
      });
      assert.equal(on.status, 200, on.text);
      // Attendees sign up for sessions of the released programme.
      await releaseDraft(env.db, eventId);
      return s.body.data.code as string;
    };

    test('sign-up takes a seat, then the line; overlapping sessions are refused naming the other one; cancelling promotes', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'workshops', { capacity: 10 });
      const clay = await signupSession(ev.id, 'Clay', '2027-04-15T10:00', 1);
      const glass = await signupSession(ev.id, 'Glass', '2027-04-15T10:30', 5);
      const [a, b, outsider] = await people(env.db, 3);
      for (const p of [a!, b!])
        assert.equal((await env.api.put(`${ME}/events/${ev.slug}/rsvp`, { token: p.token, json: { attending: true } })).body.data.status, 'going');

      const mine = await env.api.put(`${ME}/events/${ev.slug}/sessions/${clay}/signup`, { token: a!.token });
      assert.deepEqual([mine.status, mine.body.data.status], [200, 'going']);
      const again = await env.api.put(`${ME}/events/${ev.slug}/sessions/${clay}/signup`, { token: a!.token });
      assert.equal(again.body.data.status, 'going', 'idempotent');
      const waiting = await env.api.put(`${ME}/events/${ev.slug}/sessions/${clay}/signup`, { token: b!.token });
      assert.deepEqual([waiting.body.data.status, waiting.body.data.waitlistPosition], ['waitlisted', 1]);

      const overlap = await env.api.put(`${ME}/events/${ev.slug}/sessions/${glass}/signup`, { token: a!.token });
      assertError(overlap, 409, 'SIGNUP_OVERLAP');
      assert.ok(
        overlap.body.error.problems.some((p: { message: string }) => p.message.includes('Clay')),
        overlap.text,
      );

      assertError(await env.api.put(`${ME}/events/${ev.slug}/sessions/${clay}/signup`, { token: outsider!.token }), 409, 'RSVP_REQUIRED');
      assertError(await env.api.put(`${ME}/events/${ev.slug}/sessions/no-such-code/signup`, { token: a!.token }), 409, 'SIGNUP_NOT_OFFERED');

      const cancelled = await env.api.delete(`${ME}/events/${ev.slug}/sessions/${clay}/signup`, { token: a!.token });
      assert.equal(cancelled.body.data.status, 'cancelled');
      const list = await env.api.get(`${ME}/events/${ev.slug}/signups`, { token: b!.token });
      assert.deepEqual(
        list.body.data.map((s: any) => [s.title, s.going, s.waitlisted, s.mine?.status ?? null]),
        [
          ['Clay', 1, 0, 'going'],
          ['Glass', 0, 0, null],
        ],
      );
    });

    test('joining a community twice is one membership; leaving ends it', async () => {
      const ev = await publishedMeetup(env.api, env.owner, 'club', {});
      const slug = `${ev.slug}-group`;
      const [p] = await people(env.db, 1);
      const joined = await env.api.put(`${ME}/communities/${slug}/membership`, { token: p!.token });
      const twice = await env.api.put(`${ME}/communities/${slug}/membership`, { token: p!.token });
      assert.deepEqual(
        [joined.body.data, twice.body.data],
        [
          { communityId: ev.communityId, member: true, memberCount: 1 },
          { communityId: ev.communityId, member: true, memberCount: 1 },
        ],
      );
      const members = await env.api.get(`${M}/communities/${ev.communityId}/members`, { token: env.owner.token });
      assert.deepEqual(
        members.body.data.map((m: any) => m.email),
        [p!.email],
      );
      const left = await env.api.delete(`${ME}/communities/${slug}/membership`, { token: p!.token });
      assert.deepEqual(left.body.data, { communityId: ev.communityId, member: false, memberCount: 0 });
      assert.deepEqual((await env.api.get(`${ME}/communities/${slug}/membership`, { token: p!.token })).body.data.member, false);
      assertError(await env.api.put(`${ME}/communities/no-such-group/membership`, { token: p!.token }), 404, 'NOT_FOUND');
    });

    test('every /me route answers 401 without a token or with a forged one, and writes nothing', async () => {
      const doc = await env.api.openApi();
      const routes = Object.entries(doc.paths)
        .filter(([p]) => p.startsWith(`${ME}/`))
        .flatMap(([p, item]) => Object.keys(item).map((m) => [m.toUpperCase(), p.replace('{slug}', 'x').replace('{code}', 'y')] as const));
      assert.ok(routes.length >= 10, JSON.stringify(routes));
      const before = await env.db
        .selectFrom('rsvps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      for (const [method, path] of routes) {
        const none = await env.api.call(method, path, method === 'PUT' ? { json: { attending: true } } : {});
        assertError(none, 401, 'UNAUTHENTICATED');
        assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="hallway"');
        const forged = await env.api.call(method, path, { token: 'hw_forged0000000000000000000000000000000' });
        assertError(forged, 401, 'UNAUTHENTICATED');
      }
      // Cookies are not accepted either.
      const [p] = await people(env.db, 1);
      assertError(await env.api.get(`${ME}/rsvps`, { headers: { cookie: `hallway_session=${p!.sessionCookie}` } }), 401, 'UNAUTHENTICATED');
      const after = await env.db
        .selectFrom('rsvps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    test('the OpenAPI document lists the attendee routes under "Attendee" and the public registration read', async () => {
      const doc = (await env.api.openApi()) as any;
      const attendee = Object.entries(doc.paths).flatMap(([p, item]: [string, any]) =>
        Object.entries(item)
          .filter(([, op]: [string, any]) => op.tags?.includes('Attendee'))
          .map(([m]) => `${m.toUpperCase()} ${p}`),
      );
      assert.deepEqual(attendee.sort(), [
        'DELETE /api/v1/me/communities/{slug}/membership',
        'DELETE /api/v1/me/events/{slug}/rsvp',
        'DELETE /api/v1/me/events/{slug}/sessions/{code}/signup',
        'GET /api/v1/me/communities/{slug}/membership',
        'GET /api/v1/me/cospeaker-invitations',
        'GET /api/v1/me/events/{slug}/rsvp',
        'GET /api/v1/me/events/{slug}/signups',
        'GET /api/v1/me/events/{slug}/ticket',
        'GET /api/v1/me/proposals',
        'GET /api/v1/me/proposals/{proposalId}',
        'GET /api/v1/me/rsvps',
        'POST /api/v1/me/cospeaker-invitations/{proposalId}',
        'POST /api/v1/me/events/{slug}/proposals',
        'POST /api/v1/me/proposals/{proposalId}/withdraw',
        'PUT /api/v1/me/communities/{slug}/membership',
        'PUT /api/v1/me/events/{slug}/rsvp',
        'PUT /api/v1/me/events/{slug}/sessions/{code}/signup',
        'PUT /api/v1/me/proposals/{proposalId}',
      ]);
      assert.deepEqual(doc.paths['/api/v1/events/{slug}/registration'].get.security, undefined);
      assert.deepEqual(doc.paths['/api/v1/me/rsvps'].get.security, [{ bearerAuth: [] }]);
    });
  });
}
