import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { assertError, tokenFor, useManageApp, writeFingerprint, type TokenHolder } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';

for (const database of testDatabases) {
  describe(`organizer API: building and publishing an event on ${database.name}`, () => {
    const env = useManageApp(database);
    let owner: TokenHolder;
    let eventId: number;
    const ids = {} as Record<string, number>;

    test('community → event (a draft) → rooms → tracks → speakers → sessions, each 201 with Location', async () => {
      const { api } = env;
      owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
      const c = await api.post(`${M}/communities`, { token: owner.token, json: { slug: 'rust-nl', name: 'Rust NL', description: 'Rustaceans.' } });
      assert.equal(c.status, 201, c.text);
      assert.equal(c.headers.get('location'), `${M}/communities/${c.body.data.id}`);
      assert.deepEqual((await api.get(c.headers.get('location')!, { token: owner.token })).body.data, c.body.data);
      assert.deepEqual(
        (await api.get(`${M}/communities`, { token: owner.token })).body.data.map((x: { slug: string }) => x.slug),
        ['rust-nl'],
      );

      const e = await api.post(`${M}/events`, {
        token: owner.token,
        json: {
          communityId: c.body.data.id,
          slug: 'rustfest-2027',
          kind: 'conference',
          title: 'RustFest 2027',
          timeZone: 'Europe/Amsterdam',
          startDate: '2027-04-15',
          endDate: '2027-04-16',
          capacity: 300,
        },
      });
      assert.equal(e.status, 201, e.text);
      eventId = e.body.data.id;
      assert.equal(e.headers.get('location'), `${M}/events/${eventId}`);
      assert.equal(e.body.data.state, 'draft');
      assert.equal(e.body.data.capacity, 300);

      const listed = await api.get(`${M}/events`, { token: owner.token });
      assert.deepEqual(
        listed.body.data.map((x: { slug: string; state: string; canManage: boolean }) => [x.slug, x.state, x.canManage]),
        [['rustfest-2027', 'draft', true]],
      );
      assert.equal((await env.app.get('/api/v1/events/rustfest-2027')).status, 404, 'a draft is not public');

      for (const name of ['Main Hall', 'Room B']) {
        const r = await api.post(`${M}/events/${eventId}/rooms`, { token: owner.token, json: { name, capacity: 100 } });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.headers.get('location'), `${M}/events/${eventId}/rooms/${r.body.data.id}`);
        ids[name] = r.body.data.id;
      }
      const t = await api.post(`${M}/events/${eventId}/tracks`, { token: owner.token, json: { name: 'Systems', color: '#1F77B4' } });
      assert.equal(t.status, 201, t.text);
      assert.equal(t.body.data.color, '#1f77b4');
      ids.track = t.body.data.id;
      const sp = await api.post(`${M}/events/${eventId}/sponsors`, {
        token: owner.token,
        json: { name: 'Ferris Inc', level: 'gold', url: 'https://ferris.example' },
      });
      assert.equal(sp.status, 201, sp.text);
      ids.sponsor = sp.body.data.id;

      for (const name of ['Ada Lovelace', 'Grace Hopper']) {
        const s = await api.post(`${M}/events/${eventId}/speakers`, {
          token: owner.token,
          json: { name, company: 'Analytical', handles: { github: 'ada-example' } },
        });
        assert.equal(s.status, 201, s.text);
        assert.equal(s.body.data.email, null, 'organizers see the (absent) e-mail');
        ids[name] = s.body.data.id;
      }
      assert.equal((await api.get(`${M}/events/${eventId}/speakers`, { token: owner.token })).body.data[0].code, 'ada-lovelace');

      const keynote = await api.post(`${M}/events/${eventId}/sessions`, {
        token: owner.token,
        json: {
          kind: 'keynote',
          title: 'Opening Keynote',
          roomId: ids['Main Hall'],
          trackId: ids.track,
          start: '2027-04-15T09:30',
          durationMinutes: 45,
          speakerIds: [ids['Ada Lovelace']],
          links: [{ kind: 'slides', url: 'https://slides.example/k' }],
        },
      });
      assert.equal(keynote.status, 201, keynote.text);
      assert.equal(keynote.headers.get('location'), `${M}/events/${eventId}/sessions/${keynote.body.data.id}`);
      assert.equal(keynote.body.data.startsAt, '2027-04-15T07:30:00Z');
      assert.equal(keynote.body.data.code, 'opening-keynote');
      ids.keynote = keynote.body.data.id;
      const talk = await api.post(`${M}/events/${eventId}/sessions`, {
        token: owner.token,
        json: {
          kind: 'talk',
          title: 'Borrowing Without Tears',
          roomId: ids['Room B'],
          trackId: ids.track,
          sponsorId: ids.sponsor,
          start: '2027-04-15T09:30',
          durationMinutes: 30,
          speakerIds: [ids['Grace Hopper']],
        },
      });
      assert.equal(talk.status, 201, talk.text);
      ids.talk = talk.body.data.id;

      const hosts = await api.put(`${M}/events/${eventId}/hosts`, {
        token: owner.token,
        json: { hosts: [{ name: 'Venue BV', role: 'venue', url: 'https://venue.example' }] },
      });
      assert.equal(hosts.status, 200, hosts.text);

      const got = await api.get(`${M}/events/${eventId}`, { token: owner.token });
      assert.deepEqual(
        got.body.data.rooms.map((r: { name: string }) => r.name),
        ['Main Hall', 'Room B'],
      );
      assert.deepEqual(got.body.data.days, ['2027-04-15', '2027-04-16']);
      assert.deepEqual(got.body.data.permissions, { manageEvent: true, editableTrackIds: 'all' });
      assert.equal(got.headers.get('cache-control'), 'no-store');
    });

    test('publish → the public API and the event page show the programme; publishing twice is 409', async () => {
      const { api } = env;
      const p = await api.post(`${M}/events/${eventId}/publish`, { token: owner.token });
      assert.equal(p.status, 200, p.text);
      assert.equal(p.body.data.state, 'published');
      assertError(await api.post(`${M}/events/${eventId}/publish`, { token: owner.token }), 409, 'EVENT_TRANSITION_INVALID');

      const sessions = (await (await env.app.get('/api/v1/events/rustfest-2027/sessions')).json()) as {
        data: { code: string; room: string; speakers: string[]; sponsoredBy: string | null }[];
      };
      assert.deepEqual(
        sessions.data.map((s) => [s.code, s.room, s.speakers, s.sponsoredBy]),
        [
          ['opening-keynote', 'Main Hall', ['ada-lovelace'], null],
          ['borrowing-without-tears', 'Room B', ['grace-hopper'], 'Ferris Inc'],
        ],
      );
      const page = await env.app.get('/events/rustfest-2027');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /RustFest 2027/);
      assert.match(html, /Ferris Inc/);
      const schedule = await (await env.app.get('/events/rustfest-2027/schedule')).text();
      assert.match(schedule, /Opening Keynote/);
      assert.match(schedule, /Borrowing Without Tears/);
    });

    test('a validation error lists every field in the JSON error shape and writes nothing', async () => {
      const { api } = env;
      const before = await writeFingerprint(env.db);
      const bad = await api.post(`${M}/events/${eventId}/sessions`, {
        token: owner.token,
        json: { kind: 'nap', title: '', start: 'tomorrow', durationMinutes: 0, speakerIds: [ids['Ada Lovelace'], ids['Ada Lovelace']] },
      });
      assertError(bad, 422, 'VALIDATION_FAILED');
      assert.deepEqual(bad.body.error.problems.map((p: { path: string }) => p.path).sort(), ['durationMinutes', 'kind', 'speakerIds[1]', 'title']);
      const badEvent = await api.patch(`${M}/events/${eventId}`, { token: owner.token, json: { timeZone: 'Mars/Olympus', capacity: -1 } });
      assertError(badEvent, 422, 'VALIDATION_FAILED');
      assert.deepEqual(badEvent.body.error.problems.map((p: { path: string }) => p.path).sort(), ['capacity', 'timeZone']);
      assertError(await api.post(`${M}/events/${eventId}/rooms`, { token: owner.token, raw: '{"name": ', type: 'application/json' }), 400, 'REQUEST_INVALID');
      assertError(
        await api.post(`${M}/events/${eventId}/rooms`, { token: owner.token, raw: 'name=Hall', type: 'application/x-www-form-urlencoded' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      assertError(await api.patch(`${M}/events/abc`, { token: owner.token, json: {} }), 422, 'VALIDATION_FAILED');
      assertError(
        await api.post(`${M}/events/${eventId}/rooms`, { token: owner.token, json: { name: 'x'.repeat(1024 * 1024 + 10) } }),
        413,
        'REQUEST_TOO_LARGE',
      );
      assertError(await api.post(`${M}/events/${eventId}/rooms`, { token: owner.token, json: { name: 'Main Hall' } }), 409, 'NAME_TAKEN');
      assertError(await api.get(`${M}/events/999999`, { token: owner.token }), 404, 'NOT_FOUND');
      assert.equal(await writeFingerprint(env.db), before, 'nothing was written');
    });

    test('conflicts surface as the actions define them: 409 room/speaker, 422 outside dates, 409 in use', async () => {
      const { api } = env;
      const before = await writeFingerprint(env.db);
      const clash = await api.post(`${M}/events/${eventId}/sessions`, {
        token: owner.token,
        json: { kind: 'talk', title: 'Clash', roomId: ids['Main Hall'], start: '2027-04-15T10:00', durationMinutes: 30 },
      });
      assertError(clash, 409, 'SESSION_ROOM_CONFLICT');
      assert.equal(clash.body.error.problems[0].path, 'roomId');
      const twice = await api.post(`${M}/events/${eventId}/sessions`, {
        token: owner.token,
        json: { kind: 'talk', title: 'Twice', start: '2027-04-15T09:15', durationMinutes: 30, speakerIds: [ids['Ada Lovelace']] },
      });
      assertError(twice, 409, 'SPEAKER_DOUBLE_BOOKED');
      assertError(
        await api.post(`${M}/events/${eventId}/sessions`, {
          token: owner.token,
          json: { kind: 'talk', title: 'Late', start: '2027-04-20T10:00', durationMinutes: 30 },
        }),
        422,
        'SESSION_OUTSIDE_DATES',
      );
      assertError(await api.delete(`${M}/events/${eventId}/rooms/${ids['Main Hall']}`, { token: owner.token }), 409, 'ROOM_IN_USE');
      assertError(await api.delete(`${M}/events/${eventId}/speakers/${ids['Ada Lovelace']}`, { token: owner.token }), 409, 'SPEAKER_HAS_SESSIONS');
      assertError(
        await api.patch(`${M}/events/${eventId}`, { token: owner.token, json: { endDate: '2027-04-15', startDate: '2027-04-16' } }),
        422,
        'VALIDATION_FAILED',
      );
      assertError(await api.patch(`${M}/events/${eventId}`, { token: owner.token, json: { startDate: '2027-04-16' } }), 409, 'EVENT_SESSIONS_OUTSIDE_DATES');
      assertError(await api.post(`${M}/events/${eventId}/sessions/${ids.keynote}/restore`, { token: owner.token }), 409, 'SESSION_TRANSITION_INVALID');
      assert.equal(await writeFingerprint(env.db), before, 'nothing was written');
    });

    test('sessions: list with filters, change, cancel/restore, delete (204)', async () => {
      const { api } = env;
      const listed = await api.get(`${M}/events/${eventId}/sessions?roomId=${ids['Room B']}`, { token: owner.token });
      assert.deepEqual(
        listed.body.data.map((s: { id: number }) => s.id),
        [ids.talk],
      );
      const moved = await api.patch(`${M}/events/${eventId}/sessions/${ids.talk}`, {
        token: owner.token,
        json: { start: '2027-04-15T11:00', title: 'Borrowing, Revisited' },
      });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.data.code, 'borrowing-without-tears', 'the code never changes');
      assert.equal(moved.body.data.sequence, 1);
      const cancelled = await api.post(`${M}/events/${eventId}/sessions/${ids.keynote}/cancel`, { token: owner.token });
      assert.equal(cancelled.body.data.status, 'cancelled');
      assert.deepEqual(
        (await api.get(`${M}/events/${eventId}/sessions?status=cancelled`, { token: owner.token })).body.data.map((s: { id: number }) => s.id),
        [ids.keynote],
      );
      // A cancellation changes the draft; the public programme shows it once it is released.
      const publicKeynote = async () =>
        ((await (await env.app.get('/api/v1/events/rustfest-2027/sessions/opening-keynote')).json()) as { data: { status: string } }).data.status;
      assert.equal(await publicKeynote(), 'confirmed', 'still the released programme');
      const released = await api.post(`${M}/events/${eventId}/releases`, { token: owner.token, json: { comment: 'Keynote cancelled' } });
      assert.equal(released.status, 201, released.text);
      assert.deepEqual(
        released.body.data.release.changes.map((c: { kind: string; sessionId: number }) => [c.kind, c.sessionId]),
        [
          ['cancelled', ids.keynote],
          ['moved', ids.talk],
        ],
      );
      assert.equal(await publicKeynote(), 'cancelled');
      assert.equal((await api.post(`${M}/events/${eventId}/sessions/${ids.keynote}/restore`, { token: owner.token })).body.data.status, 'confirmed');

      const extra = await api.post(`${M}/events/${eventId}/sessions`, {
        token: owner.token,
        json: { kind: 'break', title: 'Coffee', start: '2027-04-16T10:00', durationMinutes: 15 },
      });
      assert.equal(extra.status, 201, extra.text);
      const del = await api.delete(`${M}/events/${eventId}/sessions/${extra.body.data.id}`, { token: owner.token });
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      assertError(await api.delete(`${M}/events/${eventId}/sessions/${extra.body.data.id}`, { token: owner.token }), 404, 'NOT_FOUND');
      const room = await api.post(`${M}/events/${eventId}/rooms`, { token: owner.token, json: { name: 'Spare' } });
      assert.equal(
        (await api.patch(`${M}/events/${eventId}/rooms/${room.body.data.id}`, { token: owner.token, json: { capacity: 12 } })).body.data.capacity,
        12,
      );
      assert.equal((await api.delete(`${M}/events/${eventId}/rooms/${room.body.data.id}`, { token: owner.token })).status, 204);
      assert.equal(
        (await api.patch(`${M}/events/${eventId}/sponsors/${ids.sponsor}`, { token: owner.token, json: { level: 'silver' } })).body.data.level,
        'silver',
      );
      assert.equal((await api.post(`${M}/events/${eventId}/unpublish`, { token: owner.token })).body.data.state, 'draft');
      assert.equal((await env.app.get('/api/v1/events/rustfest-2027')).status, 404);
    });

    test('speaker e-mails (of linked accounts) are shown to organizers only, never publicly', async () => {
      const { api } = env;
      const linked = await tokenFor(env.db, 'Linked Speaker');
      await env.db.updateTable('speakers').set({ user_id: linked.userId }).where('id', '=', ids['Grace Hopper']!).execute();
      const manager = await tokenFor(env.db, 'Track Manager', {
        grants: [{ scope: 'event', scopeId: eventId, role: 'track_manager', trackIds: [ids.track!] }],
      });
      const asOrganizer = (await api.get(`${M}/events/${eventId}/speakers`, { token: owner.token })).body.data as { id: number; email?: string | null }[];
      assert.equal(asOrganizer.find((s) => s.id === ids['Grace Hopper'])!.email, linked.email);
      assert.equal(asOrganizer.find((s) => s.id === ids['Ada Lovelace'])!.email, null);
      const asManager = (await api.get(`${M}/events/${eventId}/speakers`, { token: manager.token })).body.data as Record<string, unknown>[];
      assert.equal(asManager.length, 2);
      for (const s of asManager) assert.ok(!('email' in s), 'no e-mail key for track managers');
      await api.post(`${M}/events/${eventId}/publish`, { token: owner.token });
      assert.doesNotMatch(await (await env.app.get('/api/v1/events/rustfest-2027/speakers')).text(), /@example\.org/);
    });
  });
}
